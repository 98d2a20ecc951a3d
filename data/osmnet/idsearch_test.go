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

// TestSortIDs checks sortIDs against slices.Sort, negative ids and
// duplicates included.
func TestSortIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 100, 5000, 70000} {
		for _, span := range []int64{10, 1 << 20, 1 << 40, 1 << 62} {
			ids := make([]int64, n)
			for i := range ids {
				ids[i] = rng.Int64N(span) - span/3
			}
			want := slices.Clone(ids)
			slices.Sort(want)
			sortIDs(ids)
			if !slices.Equal(ids, want) {
				t.Fatalf("sortIDs(n=%d, span=%d) differs from slices.Sort", n, span)
			}
		}
	}
}
