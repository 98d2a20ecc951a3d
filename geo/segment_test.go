package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestSegmentIntersection(t *testing.T) {
	tests := []struct {
		name       string
		p, q, r, s orb.Point
		ok         bool
		t          float64
	}{
		{"cross", orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{1, -1}, orb.Point{1, 1}, true, 0.5},
		{"miss", orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{3, -1}, orb.Point{3, 1}, false, 0},
		{"touch at r", orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{1.5, 0}, orb.Point{1.5, 1}, true, 0.75},
		{"touch at q", orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{2, -1}, orb.Point{2, 1}, true, 1},
		{"parallel apart", orb.Point{0, 0}, orb.Point{2, 0}, orb.Point{0, 1}, orb.Point{2, 1}, false, 0},
		{"collinear overlap", orb.Point{0, 0}, orb.Point{4, 0}, orb.Point{3, 0}, orb.Point{1, 0}, true, 0.25},
		{"collinear overlap from before p", orb.Point{0, 0}, orb.Point{4, 0}, orb.Point{-1, 0}, orb.Point{1, 0}, true, 0},
		{"collinear disjoint", orb.Point{0, 0}, orb.Point{1, 0}, orb.Point{2, 0}, orb.Point{3, 0}, false, 0},
		{"zero-length p→q", orb.Point{1, 0}, orb.Point{1, 0}, orb.Point{1, -1}, orb.Point{1, 1}, false, 0},
		{"metres far from origin", orb.Point{10000, 20000}, orb.Point{10010, 20000}, orb.Point{10002, 19990}, orb.Point{10002, 20010}, true, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := SegmentIntersection(tt.p, tt.q, tt.r, tt.s)
			if ok != tt.ok || (ok && math.Abs(got-tt.t) > 1e-12) {
				t.Errorf("SegmentIntersection = %v, %v; want %v, %v", got, ok, tt.t, tt.ok)
			}
		})
	}
}

// TestSegmentIntersectionOracle checks random crossings: the point found is
// on both segments, and segments whose endpoints lie strictly on opposite
// sides of each other's lines always meet.
func TestSegmentIntersectionOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	side := func(a, b, c orb.Point) float64 { return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0]) }
	pt := func() orb.Point { return orb.Point{rng.Float64() * 1000, rng.Float64() * 1000} }
	for range 20000 {
		p, q, r, s := pt(), pt(), pt(), pt()
		proper := side(p, q, r)*side(p, q, s) < 0 && side(r, s, p)*side(r, s, q) < 0
		apart := side(p, q, r)*side(p, q, s) > 0 || side(r, s, p)*side(r, s, q) > 0
		tt, ok := SegmentIntersection(p, q, r, s)
		if proper && !ok || apart && ok {
			t.Fatalf("%v→%v × %v→%v: ok = %v, proper %v", p, q, r, s, ok, proper)
		}
		if ok {
			x := Lerp(p, q, tt)
			if _, d2 := ProjectToSegment(x, r, s); d2 > 1e-12 {
				t.Fatalf("%v→%v × %v→%v: point %v is %g m from r→s", p, q, r, s, x, math.Sqrt(d2))
			}
		}
	}
}

func TestProjectToSegment(t *testing.T) {
	tests := []struct {
		name    string
		p, a, b orb.Point
		t, d2   float64
	}{
		{"middle", orb.Point{1, 1}, orb.Point{0, 0}, orb.Point{2, 0}, 0.5, 1},
		{"before a", orb.Point{-1, 0}, orb.Point{0, 0}, orb.Point{2, 0}, 0, 1},
		{"beyond b", orb.Point{5, 4}, orb.Point{0, 0}, orb.Point{2, 0}, 1, 25},
		{"on the segment", orb.Point{1.5, 0}, orb.Point{0, 0}, orb.Point{2, 0}, 0.75, 0},
		{"zero length", orb.Point{3, 4}, orb.Point{0, 0}, orb.Point{0, 0}, 0, 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gt, gd := ProjectToSegment(tt.p, tt.a, tt.b)
			if math.Abs(gt-tt.t) > 1e-12 || math.Abs(gd-tt.d2) > 1e-9 {
				t.Errorf("ProjectToSegment = %v, %v; want %v, %v", gt, gd, tt.t, tt.d2)
			}
		})
	}
}

// TestProjectToSegmentOracle compares with a brute-force scan of 10,001
// points along the segment: the projection is never farther than the best
// sampled point.
func TestProjectToSegmentOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pt := func() orb.Point { return orb.Point{rng.Float64()*200 - 100, rng.Float64()*200 - 100} }
	for range 300 {
		p, a, b := pt(), pt(), pt()
		_, d2 := ProjectToSegment(p, a, b)
		best := math.Inf(1)
		for k := 0; k <= 10000; k++ {
			x := Lerp(a, b, float64(k)/10000)
			best = math.Min(best, (x[0]-p[0])*(x[0]-p[0])+(x[1]-p[1])*(x[1]-p[1]))
		}
		if d2 > best+1e-9 {
			t.Fatalf("ProjectToSegment(%v, %v, %v) d2 = %v, a sampled point gives %v", p, a, b, d2, best)
		}
	}
}
