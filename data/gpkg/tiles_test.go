package gpkg_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

func pngTile(t testing.TB, c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, gpkg.TileSize, gpkg.TileSize))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTilePyramid writes a two-level pyramid beside a feature layer, reads
// it back, shrinks it to one level, and has GDAL's validator and gdalinfo
// check the file.
func TestTilePyramid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.gpkg")
	ctx := context.Background()
	b := orb.Bound{Min: orb.Point{-9.6, 7.4}, Max: orb.Point{-9.4, 7.6}}
	keys := []gpkg.TileKey{{Z: 10, X: 484, Y: 489}, {Z: 11, X: 968, Y: 978}, {Z: 11, X: 969, Y: 978}}
	err := gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "pts", GeomType: gpkg.Point})
		if err != nil {
			return err
		}
		if _, err := w.Insert(orb.Point{-9.5, 7.5}); err != nil {
			return err
		}
		if err := tx.CreateTilePyramid(gpkg.TilePyramid{Name: "map_tiles", MinZoom: 10, MaxZoom: 11, Bound: b}); err != nil {
			return err
		}
		for i, k := range keys {
			if err := tx.PutTile("map_tiles", k, pngTile(t, color.RGBA{uint8(60 * i), 100, 200, 255})); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []gpkg.TileKey
	for k, err := range db.TileKeys("map_tiles") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, k)
	}
	if len(got) != len(keys) {
		t.Errorf("TileKeys = %v, want %v", got, keys)
	}
	data, ok, err := db.Tile("map_tiles", keys[1])
	if err != nil || !ok || !bytes.Equal(data, pngTile(t, color.RGBA{60, 100, 200, 255})) {
		t.Errorf("Tile(%v) = %d bytes, %v, %v; want the stored PNG", keys[1], len(data), ok, err)
	}
	if _, ok, err := db.Tile("map_tiles", gpkg.TileKey{Z: 3}); ok || err != nil {
		t.Errorf("Tile of a missing key: ok=%v err=%v, want false, nil", ok, err)
	}
	db.Close()

	if _, err := exec.LookPath("gdalinfo"); err == nil {
		out, err := exec.Command("gdalinfo", path).CombinedOutput()
		if err != nil {
			t.Fatalf("gdalinfo: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "ZOOM_LEVEL=11") || !strings.Contains(string(out), "3857") {
			t.Errorf("gdalinfo does not see a Web Mercator pyramid at zoom 11:\n%s", out)
		}
	}
	runValidator(t, validator(t), path)

	// Re-declaring with one zoom level keeps its tiles, drops the others.
	err = gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
		return tx.CreateTilePyramid(gpkg.TilePyramid{Name: "map_tiles", MinZoom: 11, MaxZoom: 11, Bound: b})
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err = gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	for k, err := range db.TileKeys("map_tiles") {
		if err != nil || k.Z != 11 {
			t.Errorf("after shrinking to zoom 11: key %v, err %v", k, err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("after shrinking to zoom 11: %d tiles, want 2", n)
	}
	runValidator(t, validator(t), path)

	// A pyramid cannot take a feature layer's name.
	err = gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
		return tx.CreateTilePyramid(gpkg.TilePyramid{Name: "pts", MinZoom: 1, MaxZoom: 2})
	})
	if err == nil || !strings.Contains(err.Error(), "not a tile pyramid") {
		t.Errorf("pyramid over a feature layer: err = %v, want 'not a tile pyramid'", err)
	}
}
