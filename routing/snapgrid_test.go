package routing

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestSnapGridOrder checks snapGrid.nearby against a brute-force sort:
// random boxes of mixed sizes (some spanning many cells), each with an
// "exact" distance from a point of the box (never less than the box's),
// queried from inside and outside the grid; every chunk within the radius
// must come in order of exact distance, and a visit returning false must
// stop it.
func TestSnapGridOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := range 100 {
		n := 1 + rng.IntN(400)
		cs := make([]uint32, n)
		lo, hi, at := make([]orb.Point, n), make([]orb.Point, n), make([]orb.Point, n)
		for i := range cs {
			cs[i] = uint32(i * 3) // chunk ids need not be dense
			x, y := rng.Float64()*5000, rng.Float64()*5000
			w, h := rng.ExpFloat64()*60, rng.ExpFloat64()*60
			lo[i], hi[i] = orb.Point{x, y}, orb.Point{x + w, y + h}
			at[i] = orb.Point{x + rng.Float64()*w, y + rng.Float64()*h}
		}
		g := newSnapGrid(cs, lo, hi)
		for range 20 {
			q := orb.Point{rng.Float64()*7000 - 1000, rng.Float64()*7000 - 1000}
			radius := rng.Float64() * 1500
			exact := func(c uint32) float64 {
				p := at[c/3]
				return (p[0]-q[0])*(p[0]-q[0]) + (p[1]-q[1])*(p[1]-q[1])
			}
			var want []uint32
			for _, c := range cs {
				if exact(c) <= radius*radius {
					want = append(want, c)
				}
			}
			slices.SortFunc(want, func(a, b uint32) int { return cmp.Compare(exact(a), exact(b)) })
			var got []uint32
			last := -1.0
			covered := g.nearby(q, radius, exact, func(c uint32, d2 float64) bool {
				if d2 != exact(c) || d2 < last {
					t.Fatalf("trial %d: chunk %d at %v after %v (exact %v)", trial, c, d2, last, exact(c))
				}
				last = d2
				got = append(got, c)
				return true
			})
			if !covered || !slices.Equal(got, want) {
				t.Fatalf("trial %d, q %v radius %.0f: got %v (covered %v), want %v", trial, q, radius, got, covered, want)
			}
			if len(want) > 1 {
				k := 0
				if g.nearby(q, radius, exact, func(uint32, float64) bool { k++; return k < 2 }) || k != 2 {
					t.Fatalf("trial %d: a visit returning false did not stop the search (%d visits)", trial, k)
				}
			}
		}
	}
}
