package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
		want Meters
		tol  Meters
	}{
		{"same point", orb.Point{-8.5, 6.5}, orb.Point{-8.5, 6.5}, 0, 1e-9},
		// One degree of latitude on the mean sphere is R*pi/180.
		{"one degree north", orb.Point{10, 0}, orb.Point{10, 1}, EarthRadius * math.Pi / 180, 1e-6},
		// Monrovia to Zwedru: about 296 km on the mean sphere (1 km tolerance).
		{"Monrovia-Zwedru", orb.Point{-10.7969, 6.3156}, orb.Point{-8.1281, 6.0667}, 296321, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Distance(tt.a, tt.b)
			if math.Abs(float64(got-tt.want)) > float64(tt.tol) {
				t.Errorf("Distance(%v, %v) = %v, want %v ± %v", tt.a, tt.b, got, tt.want, tt.tol)
			}
		})
	}
}

func TestLocalRoundTrip(t *testing.T) {
	l := NewLocal(orb.Point{1.5, 42.5})
	for _, p := range []orb.Point{{1.5, 42.5}, {1.6, 42.55}, {1.4, 42.4}} {
		q := l.Inverse(l.Forward(p))
		if math.Abs(q[0]-p[0]) > 1e-12 || math.Abs(q[1]-p[1]) > 1e-12 {
			t.Errorf("Inverse(Forward(%v)) = %v", p, q)
		}
	}
	// 0.01 degree east at 42.5N is about 820 m; check against haversine.
	a, b := orb.Point{1.5, 42.5}, orb.Point{1.51, 42.5}
	fa, fb := l.Forward(a), l.Forward(b)
	planar := Meters(math.Hypot(fb[0]-fa[0], fb[1]-fa[1]))
	if d := Distance(a, b); math.Abs(float64(planar-d)) > 0.5 {
		t.Errorf("local distance %v, haversine %v", planar, d)
	}
}
