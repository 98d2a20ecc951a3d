package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// evenOdd is the reference point-in-polygon test: the same crossing rule as
// PolygonIndex, over every edge of every polygon, without the strip index.
func evenOdd(mp orb.MultiPolygon, q orb.Point) bool {
	for _, p := range mp {
		in := false
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				if (a[1] > q[1]) != (b[1] > q[1]) && q[0] < (b[0]-a[0])*(q[1]-a[1])/(b[1]-a[1])+a[0] {
					in = !in
				}
			}
		}
		if in {
			return true
		}
	}
	return false
}

// testShapes are the outlines the polygon tests share: a U, a square with a
// hole, two overlapping parts, a part inside another's hole.
var testShapes = map[string]orb.MultiPolygon{
	"square":    {{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
	"U shape":   {{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}},
	"with hole": {{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}}}},
	"two parts": {{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}, {{{5, 5}, {9, 5}, {9, 9}, {5, 9}, {5, 5}}}},
	"overlapping parts": {
		{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}},
		{{{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}}},
	},
	"island in lake": {
		{{{0, 0}, {6, 0}, {6, 6}, {0, 6}, {0, 0}}, {{1, 1}, {5, 1}, {5, 5}, {1, 5}, {1, 1}}},
		{{{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}}},
	},
}

func TestPolygonIndexContains(t *testing.T) {
	tests := []struct {
		shape string
		p     orb.Point
		want  bool
	}{
		{"square", orb.Point{0.5, 0.5}, true},
		{"square", orb.Point{1.5, 0.5}, false},
		{"U shape", orb.Point{1.5, 2}, false}, // in the notch
		{"U shape", orb.Point{0.5, 2}, true},
		{"with hole", orb.Point{2, 2}, false},
		{"with hole", orb.Point{0.5, 2}, true},
		{"two parts", orb.Point{7, 7}, true},
		{"two parts", orb.Point{3, 3}, false},
		{"overlapping parts", orb.Point{1.5, 1.5}, true}, // in both: inside, not parity across parts
		{"island in lake", orb.Point{3, 3}, true},
		{"island in lake", orb.Point{1.5, 1.5}, false},
		{"island in lake", orb.Point{0.5, 0.5}, true},
	}
	for _, tt := range tests {
		t.Run(tt.shape, func(t *testing.T) {
			if got := NewPolygonIndex(testShapes[tt.shape]).Contains(tt.p); got != tt.want {
				t.Errorf("Contains(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// TestPolygonIndexOracle checks the strip index against the plain even-odd
// test at random points, on the shapes and on a random star outline with
// many vertices (so edges span many strips).
func TestPolygonIndexOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]orb.MultiPolygon{}
	for k, v := range testShapes {
		shapes[k] = v
	}
	var star orb.Ring
	for i := range 500 {
		a := 2 * math.Pi * float64(i) / 500
		r := 1 + rng.Float64()
		star = append(star, orb.Point{r * math.Cos(a), r * math.Sin(a)})
	}
	star = append(star, star[0])
	shapes["star"] = orb.MultiPolygon{{star}}
	for name, mp := range shapes {
		idx := NewPolygonIndex(mp)
		b := mp.Bound()
		for range 20000 {
			p := orb.Point{
				b.Min[0] - 0.1 + rng.Float64()*(b.Max[0]-b.Min[0]+0.2),
				b.Min[1] - 0.1 + rng.Float64()*(b.Max[1]-b.Min[1]+0.2),
			}
			if got, want := idx.Contains(p), evenOdd(mp, p); got != want {
				t.Fatalf("%s: Contains(%v) = %v, even-odd says %v", name, p, got, want)
			}
		}
	}
}

func TestIsRectangle(t *testing.T) {
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want bool
	}{
		{"bound polygon", orb.MultiPolygon{orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}.ToPolygon()}, true},
		{"open ring", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}}, true},
		{"U shape", testShapes["U shape"], false},
		{"with hole", testShapes["with hole"], false},
		{"two parts", testShapes["two parts"], false},
		{"diamond", orb.MultiPolygon{{{{1, 0}, {2, 1}, {1, 2}, {0, 1}, {1, 0}}}}, false},
		{"flat", orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 0}, {0, 0}}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsRectangle(tt.mp); got != tt.want {
				t.Errorf("IsRectangle = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExpandBound(t *testing.T) {
	b := orb.Bound{Min: orb.Point{-9.6, 7.4}, Max: orb.Point{-9.4, 7.6}}
	e := ExpandBound(b, 5000)
	for _, c := range []struct {
		name string
		a, b orb.Point
	}{
		{"south", orb.Point{-9.5, b.Min[1]}, orb.Point{-9.5, e.Min[1]}},
		{"north", orb.Point{-9.5, b.Max[1]}, orb.Point{-9.5, e.Max[1]}},
		{"west at the far latitude", orb.Point{b.Min[0], b.Max[1]}, orb.Point{e.Min[0], b.Max[1]}},
	} {
		if d := Distance(c.a, c.b); d < 4999 || d > 5001 {
			t.Errorf("%s margin %.1f m, want 5000", c.name, d)
		}
	}
	world := ExpandBound(orb.Bound{Min: orb.Point{-179.99, -89.99}, Max: orb.Point{179.99, 89.99}}, 5000)
	if world.Min != (orb.Point{-180, -90}) || world.Max != (orb.Point{180, 90}) {
		t.Errorf("ExpandBound near the poles and the antimeridian = %v, want clamped to the world", world)
	}
}
