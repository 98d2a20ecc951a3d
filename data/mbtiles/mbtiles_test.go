package mbtiles_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/mbtiles"
)

// TestRoundTrip writes tiles and metadata, checks the TMS row flip through
// a reader that knows nothing of this package (GDAL, when installed), keeps
// hashes across runs, and leaves the file unchanged when fn fails.
func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.mbtiles")
	ctx := context.Background()
	meta := mbtiles.Metadata{Name: "Demo district", Format: "png", Attribution: "© OpenStreetMap contributors",
		Bounds: [4]float64{-9.6, 7.4, -9.4, 7.6}, Center: [3]float64{-9.5, 7.5, 12}, MinZoom: 10, MaxZoom: 11, Type: "baselayer"}
	k := mbtiles.Key{Z: 11, X: 968, Y: 978}
	err := mbtiles.Update(ctx, path, func(tx *mbtiles.Tx) error {
		if err := tx.SetMetadata(meta); err != nil {
			return err
		}
		if err := tx.Put(k, []byte("tile-a"), "h1"); err != nil {
			return err
		}
		return tx.Put(mbtiles.Key{Z: 10, X: 484, Y: 489}, []byte("tile-b"), "h2")
	})
	if err != nil {
		t.Fatal(err)
	}
	m, n, err := mbtiles.Read(path)
	if err != nil || n != 2 || m["name"] != "Demo district" || m["format"] != "png" || m["minzoom"] != "10" || m["bounds"] != "-9.6,7.4,-9.4,7.6" {
		t.Errorf("Read = %v, %d, %v", m, n, err)
	}
	data, ok, err := mbtiles.Tile(path, k)
	if err != nil || !ok || string(data) != "tile-a" {
		t.Errorf("Tile(%v) = %q, %v, %v", k, data, ok, err)
	}
	if _, err := exec.LookPath("sqlite3"); err == nil {
		out, _ := exec.Command("sqlite3", path, "SELECT tile_row FROM tiles WHERE zoom_level = 11").Output()
		if got := strings.TrimSpace(string(out)); got != "1069" { // 2^11 - 1 - 978
			t.Errorf("stored TMS row = %s, want 1069", got)
		}
	}
	boom := errors.New("boom")
	err = mbtiles.Update(ctx, path, func(tx *mbtiles.Tx) error {
		hs, err := tx.Hashes()
		if err != nil {
			return err
		}
		if hs[k] != "h1" || len(hs) != 2 {
			t.Errorf("Hashes = %v, want %v: h1 and one more", hs, k)
		}
		if err := tx.Delete(k); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if data, ok, _ := mbtiles.Tile(path, k); !ok || !bytes.Equal(data, []byte("tile-a")) {
		t.Errorf("a failed update changed the file: tile %v = %q, %v", k, data, ok)
	}
	if _, err := exec.LookPath("gdalinfo"); err == nil {
		out, err := exec.Command("gdalinfo", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "MBTiles") {
			t.Errorf("gdalinfo %s: %v\n%s", path, err, out)
		}
	}
}
