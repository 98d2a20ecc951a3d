package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// checkDelaunay verifies the triangulation of pts by brute force: every
// triangle is counter-clockwise and has no point strictly inside its
// circumcircle, half-edges pair up, and the triangles' area equals the
// convex hull's (no gap, no fold).
func checkDelaunay(t *testing.T, pts []orb.Point, d *triangulation) {
	t.Helper()
	for e, o := range d.half {
		if o != -1 && (d.half[o] != int32(e) || d.tri[o] != d.tri[next(int32(e))]) {
			t.Fatalf("half-edge %d: opposite %d does not pair", e, o)
		}
	}
	var area float64
	for k := 0; k < len(d.tri); k += 3 {
		a, b, c := pts[d.tri[k]], pts[d.tri[k+1]], pts[d.tri[k+2]]
		if orient(a, b, c) <= 0 {
			t.Fatalf("triangle %d not counter-clockwise", k/3)
		}
		area += ((b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])) / 2
		for i, p := range pts {
			if int32(i) == d.tri[k] || int32(i) == d.tri[k+1] || int32(i) == d.tri[k+2] {
				continue
			}
			if inCircle(a, b, c, p) > 0 {
				t.Fatalf("point %d inside the circumcircle of triangle %d", i, k/3)
			}
		}
	}
	hull := convexHullArea(pts)
	if diff := area - hull; diff > 1e-9*hull || diff < -1e-9*hull {
		t.Fatalf("triangles cover %v, convex hull %v", area, hull)
	}
}

// convexHullArea is the area of the convex hull of pts (monotone chain).
func convexHullArea(pts []orb.Point) float64 {
	p := append([]orb.Point(nil), pts...)
	sortPoints(p)
	var h []orb.Point
	for pass := 0; pass < 2; pass++ {
		start := len(h)
		for _, q := range p {
			for len(h) >= start+2 && orient(h[len(h)-2], h[len(h)-1], q) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, q)
		}
		h = h[:len(h)-1]
		for i, j := 0, len(p)-1; i < j; i, j = i+1, j-1 {
			p[i], p[j] = p[j], p[i]
		}
	}
	var a float64
	for i := range h {
		j := (i + 1) % len(h)
		a += h[i][0]*h[j][1] - h[j][0]*h[i][1]
	}
	return a / 2
}

func TestTriangulate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	grid := func(n int) []orb.Point {
		var p []orb.Point
		for i := range n {
			for j := range n {
				p = append(p, orb.Point{float64(i) * 10, float64(j) * 10})
			}
		}
		return p
	}
	random := func(n int) []orb.Point {
		p := make([]orb.Point, n)
		for i := range p {
			p[i] = orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
		}
		return p
	}
	circle := func(n int) []orb.Point {
		p := []orb.Point{{0, 0}}
		for i := range n {
			// Points on a circle, cocircular in exact arithmetic only
			// where the rounding happens to agree.
			a := float64(i) / float64(n) * 6.283185307179586
			p = append(p, orb.Point{100 * math.Cos(a), 100 * math.Sin(a)})
		}
		return p
	}
	tests := []struct {
		name string
		pts  []orb.Point
	}{
		{"triangle", []orb.Point{{0, 0}, {1, 0}, {0, 1}}},
		{"square (cocircular)", []orb.Point{{0, 0}, {1, 0}, {1, 1}, {0, 1}}},
		{"grid 20×20 (cocircular everywhere)", grid(20)},
		{"random 2000", random(2000)},
		{"circle 200 + centre", circle(200)},
		{"collinear row + one off", append([]orb.Point{{50, 1}}, []orb.Point{{0, 0}, {10, 0}, {20, 0}, {30, 0}, {40, 0}, {50, 0}}...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDelaunay(t, tt.pts, triangulate(tt.pts))
		})
	}
}
