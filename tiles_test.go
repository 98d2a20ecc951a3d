package lastmile_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/mbtiles"
)

// TestTiles checks the tile stage on a small demo district: the demo's
// pyramid and MBTiles file, a re-run that reuses every tile, a changed
// household that re-renders only the tiles it is drawn in, per-CHW MBTiles,
// a missing DEM reported, and a huge zoom range refused.
func TestTiles(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a demo district")
	}
	dir := t.TempDir()
	res, err := lastmile.Demo(context.Background(), demo.Config{Seed: 3, Households: 300}, dir, lastmile.DemoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tiles) != 2 || res.Tiles[1].Copied != res.Tiles[1].Tiles {
		t.Fatalf("demo drew %d tile sets, want the pyramid and an MBTiles file copied from it (%+v)", len(res.Tiles), res.Tiles)
	}
	first := res.Tiles[0]
	if first.Tiles == 0 || first.Rendered != first.Tiles || first.MaxZoom != lastmile.DemoTilesMaxZoom {
		t.Errorf("demo tiles: %+v", first)
	}
	db, err := gpkg.Open(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range db.TileKeys(lastmile.MapTilesTable) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	hashes, err := district.ReadTileHashes(db)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if n != first.Tiles || len(hashes) != n {
		t.Errorf("map_tiles holds %d tiles and tile_hashes %d rows, want %d", n, len(hashes), first.Tiles)
	}
	meta, nm, err := mbtiles.Read(filepath.Join(dir, lastmile.DemoMBTiles))
	if err != nil || nm != res.Tiles[1].Tiles || meta["name"] == "" || meta["format"] != "png" || !strings.Contains(meta["attribution"], "OpenStreetMap") {
		t.Errorf("demo MBTiles: %v, %d tiles, %v", meta, nm, err)
	}

	d, err := lastmile.Open(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	opts := lastmile.TilesOptions{MaxZoom: lastmile.DemoTilesMaxZoom}
	again, err := d.Tiles(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.Rendered != 0 || again.Reused != first.Tiles {
		t.Errorf("re-run on unchanged data: drew %d, reused %d of %d; want all reused", again.Rendered, again.Reused, first.Tiles)
	}

	// One household removed: only the tiles that drew it change, at least
	// one per zoom level.
	if err := gpkg.Update(ctx, res.Path, func(tx *gpkg.Tx) error {
		_, err := tx.SQL().Exec("DELETE FROM households WHERE fid = (SELECT min(fid) FROM households)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	changed, err := d.Tiles(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	levels := changed.MaxZoom - changed.MinZoom + 1
	if changed.Rendered < levels || changed.Rendered > first.Tiles/2 || changed.Rendered+changed.Reused != changed.Tiles {
		t.Errorf("after removing one household: drew %d, reused %d of %d; want between %d and half", changed.Rendered, changed.Reused, changed.Tiles, levels)
	}

	// Per-CHW MBTiles cover the CHW's households.
	if err := gpkg.Update(ctx, res.Path, func(tx *gpkg.Tx) error {
		var as []district.Assignment
		for h, err := range district.ReadHouseholds(tx) {
			if err != nil {
				return err
			}
			if len(as) < 20 {
				as = append(as, district.Assignment{Household: h.ID, CHW: "CHW-0001", Method: "test"})
			}
		}
		return district.WriteAssignments(tx, as)
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "chw")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	chw, err := d.Tiles(ctx, lastmile.TilesOptions{MaxZoom: 13, CHWs: []string{"CHW-0001"}, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	meta, nm, err = mbtiles.Read(filepath.Join(out, "CHW-0001.mbtiles"))
	if err != nil || nm == 0 || nm != chw.Tiles || meta["name"] != "CHW CHW-0001" {
		t.Errorf("per-CHW MBTiles: %v, %d tiles (result %d), %v", meta, nm, chw.Tiles, err)
	}
	if _, err := d.Tiles(ctx, lastmile.TilesOptions{CHWs: []string{"CHW-9999"}, Out: out}); !errors.Is(err, lastmile.ErrUsage) {
		t.Errorf("--chw of an unknown CHW: err = %v, want a usage error", err)
	}

	// A missing DEM is reported, not fatal.
	noDEM, err := d.Tiles(ctx, lastmile.TilesOptions{MaxZoom: 11, Format: lastmile.TilesMBTiles, Out: filepath.Join(dir, "x.mbtiles"),
		DEM: filepath.Join(dir, "no-such-dem")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(noDEM.Missing, "; "), "cannot be opened") {
		t.Errorf("missing DEM not reported: %v", noDEM.Missing)
	}

	// A huge range is refused before anything is drawn, with a suggestion.
	before, _ := os.ReadFile(res.Path)
	_, err = d.Tiles(ctx, lastmile.TilesOptions{MaxZoom: 22, MaxTiles: 100_000})
	if !errors.Is(err, lastmile.ErrTooManyTiles) || !errors.Is(err, lastmile.ErrUsage) || !strings.Contains(err.Error(), "--max-zoom") {
		t.Errorf("zoom up to 22: err = %v, want ErrTooManyTiles suggesting --max-zoom", err)
	}
	if after, _ := os.ReadFile(res.Path); string(after) != string(before) {
		t.Error("a refused run changed the GeoPackage")
	}
}

// TestTilesWithoutGraph: a district with only facilities (no graph, no
// DEM, no households) still gets its tiles, and says what is missing.
func TestTilesWithoutGraph(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.gpkg")
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		w, err := district.Create(tx, &district.Facilities.Layer)
		if err != nil {
			return err
		}
		for i, p := range [][2]float64{{-9.50, 7.50}, {-9.46, 7.53}} {
			if err := w.Insert(orb.Point(p), fmt.Sprintf("FAC-%d", i+1), "Clinic", "clinic", nil, nil, "f.csv", i+2); err != nil {
				return err
			}
		}
		return w.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := lastmile.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Tiles(context.Background(), lastmile.TilesOptions{MaxZoom: 13})
	if err != nil {
		t.Fatal(err)
	}
	missing := strings.Join(res.Missing, "; ")
	for _, want := range []string{"no walking graph", "no households", "no study area"} {
		if !strings.Contains(missing, want) {
			t.Errorf("Missing = %q, want it to say %q", missing, want)
		}
	}
	if res.Tiles == 0 || res.Rendered != res.Tiles {
		t.Errorf("tiles without a graph: %+v", res)
	}
}
