package geo

import (
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// cellArea is the exact area of the lon/lat rectangle b on the sphere:
// R² · Δλ · (sin φ2 − sin φ1).
func cellArea(b orb.Bound) float64 {
	r := float64(EarthRadius)
	rad := math.Pi / 180
	return r * r * (b.Max[0] - b.Min[0]) * rad * (math.Sin(b.Max[1]*rad) - math.Sin(b.Min[1]*rad))
}

func reversed(r orb.Ring) orb.Ring {
	c := slices.Clone(r)
	slices.Reverse(c)
	return c
}

func TestArea(t *testing.T) {
	// S2 edges are great circles and a rectangle's east-west edges are
	// parallels: at 0.1° the difference is far below 1e-6 relative.
	small := orb.Bound{Min: orb.Point{-9.6, 7.4}, Max: orb.Point{-9.5, 7.5}}
	hole := orb.Bound{Min: orb.Point{-9.58, 7.42}, Max: orb.Point{-9.52, 7.48}}
	other := orb.Bound{Min: orb.Point{-8, 6}, Max: orb.Point{-7.95, 6.05}}
	sq := small.ToPolygon()[0]
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want float64
	}{
		{"0.1° square", orb.MultiPolygon{{sq}}, cellArea(small)},
		{"clockwise ring", orb.MultiPolygon{{reversed(sq)}}, cellArea(small)},
		{"open ring", orb.MultiPolygon{{sq[:4]}}, cellArea(small)},
		{"repeated vertex", orb.MultiPolygon{{append(orb.Ring{sq[0]}, sq...)}}, cellArea(small)},
		{"with hole (either orientation)", orb.MultiPolygon{{sq, hole.ToPolygon()[0]}}, cellArea(small) - cellArea(hole)},
		{"with reversed hole", orb.MultiPolygon{{sq, reversed(hole.ToPolygon()[0])}}, cellArea(small) - cellArea(hole)},
		{"two parts", orb.MultiPolygon{{sq}, other.ToPolygon()}, cellArea(small) + cellArea(other)},
		{"degenerate ring", orb.MultiPolygon{{{{1, 1}, {2, 2}, {1, 1}}}}, 0},
		{"empty", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := float64(Area(tt.mp))
			if math.Abs(got-tt.want) > 1e-6*tt.want+1e-6 {
				t.Errorf("Area = %.3f m², want %.3f", got, tt.want)
			}
		})
	}
}

// TestAreaLocal checks an irregular outline against its planar area in
// Local metres, which agree to well under 0.1 % over a district.
func TestAreaLocal(t *testing.T) {
	mp := orb.MultiPolygon{{{{-9.6, 7.4}, {-9.45, 7.42}, {-9.5, 7.5}, {-9.55, 7.45}, {-9.58, 7.55}, {-9.6, 7.4}}}}
	l := NewLocal(orb.Point{-9.52, 7.47})
	var lm orb.MultiPolygon
	for _, p := range mp {
		var lp orb.Polygon
		for _, r := range p {
			var lr orb.Ring
			for _, q := range r {
				lr = append(lr, l.Forward(q))
			}
			lp = append(lp, lr)
		}
		lm = append(lm, lp)
	}
	want := math.Abs(planar.Area(lm))
	if got := float64(Area(mp)); math.Abs(got-want) > 1e-3*want {
		t.Errorf("Area = %.0f m², Local planar area %.0f m²", got, want)
	}
	if km2 := Area(mp).SquareKilometers(); math.Abs(km2-want/1e6) > 1e-3*want/1e6 {
		t.Errorf("SquareKilometers = %v", km2)
	}
}
