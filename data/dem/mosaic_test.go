package dem

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/orb"
)

// gridTile returns a cols×rows tile with NW centre nw, cell size cell and
// value f(lon, lat) at each centre.
func gridTile(nw orb.Point, cols, rows int, cell float64, f func(lon, lat float64) float32) *Tile {
	v := make([]float32, cols*rows)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			v[r*cols+c] = f(nw[0]+float64(c)*cell, nw[1]-float64(r)*cell)
		}
	}
	return NewTile(nw, cols, rows, cell, v)
}

func TestMosaic(t *testing.T) {
	// A plane is reproduced exactly by bilinear sampling, so the mosaic must
	// give the same value whichever tile answers.
	plane := func(lon, lat float64) float32 { return float32(100*lon + 10*lat) }
	// Two SRTM-like tiles sharing their edge column at lon 2, a finer tile
	// inside the first, and a tile far away.
	a := gridTile(orb.Point{1, 43}, 11, 11, 0.1, plane)
	b := gridTile(orb.Point{2, 43}, 11, 11, 0.1, plane)
	far := gridTile(orb.Point{-60, -10}, 3, 3, 0.5, func(lon, lat float64) float32 { return 7 })
	m, err := NewMosaic(a, b, far)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p      orb.Point
		want   float64
		wantOK bool
	}{
		{orb.Point{1.5, 42.5}, 100*1.5 + 10*42.5, true},
		{orb.Point{2, 42.55}, 200 + 425.5, true},
		{orb.Point{2.01, 42.01}, 201 + 420.1, true},
		{orb.Point{2.999, 42.001}, 299.9 + 420.01, true},
		{orb.Point{1.02, 43.03}, 102 + 430, true}, // edge of the footprint: clamped to the edge row
		{orb.Point{0.96, 42.5}, 100 + 425, true},  // west edge, clamped
		{orb.Point{0.94, 42.5}, 0, false},         // west of the footprint
		{orb.Point{-59.9, -10.4}, 7, true},        // the far tile
		{orb.Point{-30, 10}, 0, false},            // a gap inside the mosaic bound
		{orb.Point{3.2, 42.5}, 0, false},          // east of everything
		{orb.Point{math.NaN(), 42.5}, 0, false},   // not a number
		{orb.Point{1.5, math.Inf(1)}, 0, false},   // not a number
		{orb.Point{-60.25, -9.75}, 7, true},       // corner of the far tile's footprint
		{orb.Point{-60.2500001, -9.75}, 0, false}, // just outside it
		{orb.Point{-59.0, -11.25}, 7, true},       // the other corner
		{orb.Point{3.05, 43.05}, 300 + 430, true}, // NE corner of the footprint
		{orb.Point{3.0500001, 43.05}, 0, false},   // just outside it
		{orb.Point{1.9999999, 42.3}, 199.99999 + 423, true},
	} {
		got, ok := m.Elevation(tc.p)
		if ok != tc.wantOK || (ok && math.Abs(got-tc.want) > 1e-3) {
			t.Errorf("Elevation(%v) = %g, %v, want %g, %v", tc.p, got, ok, tc.want, tc.wantOK)
		}
		if m.Covers(tc.p) != tc.wantOK {
			t.Errorf("Covers(%v) = %v, want %v", tc.p, !tc.wantOK, tc.wantOK)
		}
	}
	var zero Mosaic
	var null *Mosaic
	var zt Tile
	for _, model := range []Model{&zero, null, &zt} {
		if got, ok := model.Elevation(orb.Point{0, 0}); ok {
			t.Errorf("%T zero value: Elevation(0, 0) = %g, true, want ok=false", model, got)
		}
	}
	if _, err := NewMosaic(); err != ErrNoTiles {
		t.Errorf("NewMosaic() error = %v, want ErrNoTiles", err)
	}
}

// TestMosaicPrefersInner checks that a point on the border strip of one
// tile is sampled from a neighbour that has it inside its centre hull.
func TestMosaicPrefersInner(t *testing.T) {
	// Non-overlapping pixel-is-area tiles: west ends at lon 1.95 (last centre),
	// east starts at 2.05. Between them only clamped samples exist; inside
	// east's hull its own values must be used.
	west := gridTile(orb.Point{1.05, 42.95}, 10, 10, 0.1, func(lon, lat float64) float32 { return 1 })
	east := gridTile(orb.Point{2.05, 42.95}, 10, 10, 0.1, func(lon, lat float64) float32 { return 2 })
	m, err := NewMosaic(west, east)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lon  float64
		want float64
	}{{1.96, 1}, {1.999, 1}, {2.001, 2}, {2.06, 2}} {
		if got, ok := m.Elevation(orb.Point{tc.lon, 42.5}); !ok || got != tc.want {
			t.Errorf("Elevation(%g, 42.5) = %g, %v, want %g", tc.lon, got, ok, tc.want)
		}
	}
	// Overlap: a tile given first wins inside its hull.
	m2, err := NewMosaic(east, gridTile(orb.Point{1.05, 42.95}, 20, 10, 0.1, func(lon, lat float64) float32 { return 3 }))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lon  float64
		want float64
	}{{2.1, 2}, {1.5, 3}, {2.01, 3}} {
		if got, ok := m2.Elevation(orb.Point{tc.lon, 42.5}); !ok || got != tc.want {
			t.Errorf("overlap: Elevation(%g, 42.5) = %g, %v, want %g", tc.lon, got, ok, tc.want)
		}
	}
}

func TestMosaicConcurrent(t *testing.T) {
	tile := gridTile(orb.Point{0, 1}, 101, 101, 0.01, func(lon, lat float64) float32 { return float32(lon * lat) })
	m, err := NewMosaic(tile)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for i := 0; i < 10000; i++ {
				p := orb.Point{float64(i%100) / 100, float64(i/100) / 100}
				if _, ok := m.Elevation(p); !ok {
					t.Errorf("Elevation(%v) not ok", p)
					return
				}
			}
		})
	}
	wg.Wait()
}

// andorra opens the real SRTM tile of the shared data.
func andorra(tb testing.TB) *Mosaic {
	tb.Helper()
	m, err := Open(shareddata.Path(tb, "andorra/N42E001.hgt.zip"))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestAndorra(t *testing.T) {
	m := andorra(t)
	tiles := m.Tiles()
	if len(tiles) != 1 {
		t.Fatalf("%d tiles, want 1", len(tiles))
	}
	tile := tiles[0]
	if c, r := tile.Size(); c != 1201 || r != 1201 {
		t.Errorf("Size() = %d×%d, want 1201×1201", c, r)
	}
	if tile.Voids() != 7652 {
		t.Errorf("Voids() = %d, want 7652 (the raw tile's void cells)", tile.Voids())
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for r := 0; r < 1201; r++ {
		for c := 0; c < 1201; c++ {
			v := tile.At(c, r)
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if lo < 349 || hi > 3100 {
		t.Errorf("elevations %g..%g m after void fill, want within 349..3100", lo, hi)
	}
	alv := orb.Point{1.5218, 42.5063} // Andorra la Vella
	got, ok := m.Elevation(alv)
	if !ok || got < 1000 || got > 1100 {
		t.Errorf("Elevation(Andorra la Vella %v) = %.1f, %v, want 1000..1100 m", alv, got, ok)
	}
	t.Logf("elevations %g..%g m after filling %d voids; Andorra la Vella %.1f m", lo, hi, tile.Voids(), got)
	for _, p := range []orb.Point{{1.5, 41.99}, {0.99, 42.5}, {2.01, 42.5}, {1.5, 43.01}} {
		if _, ok := m.Elevation(p); ok {
			t.Errorf("Elevation(%v) ok outside the tile", p)
		}
	}
}

// TestAndorraGDAL cross-checks cell values against gdallocationinfo (nearest
// pixel, raw file, so void cells are skipped) when GDAL is installed.
func TestAndorraGDAL(t *testing.T) {
	path := shareddata.Path(t, "andorra/N42E001.hgt.zip")
	if _, err := exec.LookPath("gdallocationinfo"); err != nil {
		t.Skip("gdallocationinfo not installed")
	}
	if testing.Short() {
		t.Skip("runs GDAL")
	}
	m := andorra(t)
	tile := m.Tiles()[0]
	checked := 0
	for _, cr := range [][2]int{{626, 593}, {0, 0}, {1200, 1200}, {300, 900}, {1000, 150}, {777, 444}, {512, 512}} {
		p := tile.Centre(cr[0], cr[1])
		out, err := exec.Command("gdallocationinfo", "-valonly", "-wgs84", "/vsizip/"+path+"/N42E001.hgt",
			strconv.FormatFloat(p[0], 'f', -1, 64), strconv.FormatFloat(p[1], 'f', -1, 64)).Output()
		if err != nil {
			t.Fatalf("gdallocationinfo: %v", err)
		}
		want, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
		if err != nil {
			t.Fatalf("gdallocationinfo output %q: %v", out, err)
		}
		if want == hgtVoid {
			continue
		}
		checked++
		if got, ok := m.Elevation(p); !ok || got != want {
			t.Errorf("Elevation(%v) at cell %v = %g, %v; gdallocationinfo says %g", p, cr, got, ok, want)
		}
	}
	if checked < 5 {
		t.Errorf("only %d cells checked against GDAL", checked)
	}
}

func BenchmarkElevation(b *testing.B) {
	m := andorra(b)
	// A fixed walk over the tile: like sampling graph nodes, mostly local.
	pts := make([]orb.Point, 4096)
	for i := range pts {
		pts[i] = orb.Point{1 + float64(i*7919%4096)/4096, 42 + float64(i*104729%4096)/4096}
	}
	b.ReportAllocs()
	var sum float64
	for i := 0; b.Loop(); i++ {
		v, _ := m.Elevation(pts[i&4095])
		sum += v
	}
	if sum == 0 {
		b.Fatal("no elevation")
	}
}

// BenchmarkElevationLocal samples along a zig-zag walk in 20 m steps, the
// access pattern of consecutive nodes of OSM ways: mostly cache hits.
func BenchmarkElevationLocal(b *testing.B) {
	m := andorra(b)
	pts := make([]orb.Point, 4096)
	p := orb.Point{1.5, 42.5}
	for i := range pts {
		p[0] += 0.00025 * math.Cos(float64(i)/50)
		p[1] += 0.00018 * math.Sin(float64(i)/70)
		pts[i] = p
	}
	b.ReportAllocs()
	var sum float64
	for i := 0; b.Loop(); i++ {
		v, _ := m.Elevation(pts[i&4095])
		sum += v
	}
	if sum == 0 {
		b.Fatal("no elevation")
	}
}

func BenchmarkOpenAndorra(b *testing.B) {
	path := shareddata.Path(b, "andorra/N42E001.hgt.zip")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(path); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open("no/such/file.hgt"); !os.IsNotExist(err) {
		t.Errorf("Open(missing) error = %v, want not exist", err)
	}
	dir := t.TempDir()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "no elevation tiles") {
		t.Errorf("Open(empty dir) error = %v, want no elevation tiles", err)
	}
	bad := filepath.Join(dir, "N01E001.hgt")
	if err := os.WriteFile(bad, []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, dir} {
		_, err := Open(p)
		var pe *data.ParseError
		if !errors.As(err, &pe) || pe.File != bad || !strings.Contains(err.Error(), bad+": data: bad format: 5 bytes") {
			t.Errorf("Open(%s) error = %v, want a *data.ParseError naming %s", p, err, bad)
		}
	}
}
