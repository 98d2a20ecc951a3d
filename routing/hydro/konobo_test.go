package hydro

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/orb"
)

var exportDir = flag.String("export", "", "write Konobo's DEM window and derived stream cells as ASCII grids into `DIR` (for bench/hydro_grass.sh)")

// konoboWindow is Konobo district's bounding box (OCHA COD-AB) grown by
// 0.1° (about 11 km), so that the catchments of its creeks are inside.
var konoboWindow = orb.Bound{Min: orb.Point{-8.154, 5.485}, Max: orb.Point{-7.543, 6.198}}

func konoboGrid(tb testing.TB) *Grid {
	tb.Helper()
	dir := filepath.Dir(shareddata.Path(tb, "liberia/konobo/N05W008.hgt.zip"))
	m, err := dem.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := m.Raster(konoboWindow)
	if err != nil {
		tb.Fatal(err)
	}
	return &Grid{Cols: r.Cols, Rows: r.Rows, Z: r.Z, Lon0: r.Lon0, Lat0: r.Lat0, DLon: r.DLon, DLat: r.DLat}
}

// TestKonobo derives Konobo's drainage from SRTM and checks what must hold
// on any real network: every stream cell drains into a stream cell or out of
// the window, orders never fall downstream, links join up.
func TestKonobo(t *testing.T) {
	if testing.Short() {
		t.Skip("short: skipping the Konobo drainage")
	}
	g := konoboGrid(t)
	d, err := Derive(context.Background(), g, nil)
	if err != nil {
		t.Fatal(err)
	}
	streams, rivers := d.StreamCells()
	t.Logf("Konobo window %d×%d cells: %d stream cells, %d river cells, %d links", g.Cols, g.Rows, streams, rivers, len(d.Streams))
	if streams == 0 || rivers == 0 {
		t.Fatalf("%d stream and %d river cells: want both", streams, rivers)
	}
	for i, o := range d.Order {
		if o == 0 {
			continue
		}
		if j := g.next(i, d.Dirs[i]); j >= 0 && d.Order[j] < o {
			t.Fatalf("cell %d of order %d drains into cell %d of order %d", i, o, j, d.Order[j])
		}
	}
	maxOrder := 0
	for _, s := range d.Streams {
		maxOrder = max(maxOrder, s.Order)
		if s.Down >= 0 && d.Streams[s.Down].Line[0] != s.Line[len(s.Line)-1] {
			t.Fatalf("link %d ends at %v but its downstream link %d starts at %v", s.ID, s.Line[len(s.Line)-1], s.Down, d.Streams[s.Down].Line[0])
		}
	}
	if maxOrder < 4 {
		t.Errorf("highest Strahler order %d: a 3,000 km² window of humid forest has order 4 or more", maxOrder)
	}
	if *exportDir != "" {
		if err := writeASC(filepath.Join(*exportDir, "konobo_dem.asc"), g, func(i int) string {
			return fmt.Sprintf("%g", g.Z[i])
		}); err != nil {
			t.Fatal(err)
		}
		if err := writeASC(filepath.Join(*exportDir, "konobo_streams_lastmile.asc"), g, func(i int) string {
			return fmt.Sprint(d.Order[i])
		}); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s/konobo_dem.asc and konobo_streams_lastmile.asc; stream threshold %.0f cells of %.5f km²",
			*exportDir, d.StreamKm2/g.CellKm2(g.Rows/2), g.CellKm2(g.Rows/2))
	}
}

// writeASC writes an ESRI ASCII grid (what GDAL and GRASS r.in.gdal read).
func writeASC(path string, g *Grid, val func(i int) string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "ncols %d\nnrows %d\nxllcorner %.10f\nyllcorner %.10f\ncellsize %.12f\nNODATA_value -9999\n",
		g.Cols, g.Rows, g.Lon0-g.DLon/2, g.Lat0-float64(g.Rows-1)*g.DLat-g.DLat/2, g.DLon)
	for r := 0; r < g.Rows; r++ {
		for c := 0; c < g.Cols; c++ {
			if c > 0 {
				w.WriteByte(' ')
			}
			w.WriteString(val(r*g.Cols + c))
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func BenchmarkDeriveKonobo(b *testing.B) {
	g := konoboGrid(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Derive(context.Background(), g, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(g.Z)), "cells")
}
