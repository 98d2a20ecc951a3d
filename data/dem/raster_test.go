package dem

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestMosaicRaster(t *testing.T) {
	plane := func(lon, lat float64) float32 { return float32(100*lon + 10*lat) }
	a := gridTile(orb.Point{1, 43}, 11, 11, 0.1, plane)
	// A second tile leaves a gap of two columns (2.1 and 2.2) after the
	// first one's footprint (which ends at 2.05).
	b := gridTile(orb.Point{2.3, 43}, 5, 11, 0.1, plane)
	m, err := NewMosaic(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// A window across both tiles and the gap, and beyond their south edge
	// (clipped to the mosaic: its footprint ends at 41.95).
	r, err := m.Raster(orb.Bound{Min: orb.Point{1.52, 41.8}, Max: orb.Point{2.33, 42.33}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cols != 9 || r.Rows != 4 || math.Abs(r.Lon0-1.5) > 1e-12 || math.Abs(r.Lat0-42.3) > 1e-12 || r.DLon != 0.1 || r.DLat != 0.1 {
		t.Fatalf("raster = %d×%d from %v,%v step %v,%v; want 9×4 from 1.5,42.3 step 0.1", r.Cols, r.Rows, r.Lon0, r.Lat0, r.DLon, r.DLat)
	}
	for y := 0; y < r.Rows; y++ {
		for x := 0; x < r.Cols; x++ {
			lon, lat := r.Lon0+float64(x)*r.DLon, r.Lat0-float64(y)*r.DLat
			got := r.Z[y*r.Cols+x]
			if lon > 2.06 && lon < 2.24 {
				if got == got {
					t.Errorf("cell (%d,%d) at %v,%v = %v, want NaN in the gap", x, y, lon, lat, got)
				}
				continue
			}
			if want := plane(lon, lat); math.Abs(float64(got-want)) > 1e-3 {
				t.Errorf("cell (%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
	if _, err := m.Raster(orb.Bound{Min: orb.Point{10, 10}, Max: orb.Point{11, 11}}); err == nil {
		t.Error("window away from the mosaic: no error")
	}
	var nilM *Mosaic
	if _, err := nilM.Raster(orb.Bound{}); err == nil {
		t.Error("nil mosaic: no error")
	}
}
