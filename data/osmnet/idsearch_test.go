package osmnet

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCursor checks cursor.find against slices.BinarySearch on random
// sorted sets and query orders (sorted, random, way-like runs).
func TestCursor(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := rng.IntN(300)
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = rng.Int64N(1000) - 100
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		c := cursor{ids: ids}
		q := rng.Int64N(1200) - 150
		for range 500 {
			switch rng.IntN(3) {
			case 0:
				q = rng.Int64N(1200) - 150
			case 1:
				q++
			default:
				q -= rng.Int64N(3)
			}
			gi, gok := c.find(q)
			wi, wok := slices.BinarySearch(ids, q)
			if gok != wok || (wok && gi != wi) {
				t.Fatalf("trial %d: find(%d) = %d, %v, want %d, %v (ids %v)", trial, q, gi, gok, wi, wok, ids)
			}
		}
	}
}
