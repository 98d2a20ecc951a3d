package tsp

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
)

var seedFlag = flag.Uint64("seed", 1, "seed of the random test matrices")

// randomMatrix returns an n×n matrix with costs in [0, maxCost), symmetric
// when sym. Diagonal entries are junk, as in TSPLIB's ATSP files.
func randomMatrix(rng *rand.Rand, n int, sym bool, maxCost int) Matrix[int64] {
	m := Matrix[int64]{N: n, C: make([]int64, n*n)}
	for i := range n {
		for j := range n {
			switch {
			case i == j:
				m.C[i*n+j] = 9999
			case sym && j < i:
				m.C[i*n+j] = m.C[j*n+i]
			default:
				m.C[i*n+j] = int64(rng.IntN(maxCost))
			}
		}
	}
	return m
}

// bruteForce returns the optimal cost by trying every order.
func bruteForce(m Matrix[int64], start, end int) int64 {
	n := m.N
	round := start == end
	var rest []int
	for v := range n {
		if v != start && (round || v != end) {
			rest = append(rest, v)
		}
	}
	best := int64(1) << 62
	var perm func(k int)
	perm = func(k int) {
		if k == len(rest) {
			order := append([]int{start}, rest...)
			if !round {
				order = append(order, end)
			}
			best = min(best, m.Cost(order, round))
			return
		}
		for i := k; i < len(rest); i++ {
			rest[k], rest[i] = rest[i], rest[k]
			perm(k + 1)
			rest[k], rest[i] = rest[i], rest[k]
		}
	}
	perm(0)
	return best
}

// checkRoute fails unless order is a permutation of 0..n-1 from start
// (to end) and cost is its recomputed cost.
func checkRoute(tb testing.TB, m Matrix[int64], start, end int, res Result) {
	tb.Helper()
	n := m.N
	if len(res.Order) != n {
		tb.Fatalf("route has %d nodes, want %d", len(res.Order), n)
	}
	seen := make([]bool, n)
	for _, v := range res.Order {
		if v < 0 || v >= n || seen[v] {
			tb.Fatalf("route %v is not a permutation", res.Order)
		}
		seen[v] = true
	}
	if res.Order[0] != start {
		tb.Fatalf("route starts at %d, want %d", res.Order[0], start)
	}
	if start != end && res.Order[n-1] != end {
		tb.Fatalf("route ends at %d, want %d", res.Order[n-1], end)
	}
	var c int64
	for k := 1; k < n; k++ {
		c += m.C[res.Order[k-1]*n+res.Order[k]]
	}
	if start == end && n > 1 {
		c += m.C[res.Order[n-1]*n+res.Order[0]]
	}
	if c != res.Cost {
		tb.Fatalf("route cost %d, recomputed %d", res.Cost, c)
	}
}

// TestBruteForce checks the exact solver and the heuristic against brute
// force on small random matrices.
func TestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 2))
	for n := 1; n <= 9; n++ {
		for _, sym := range []bool{true, false} {
			for trial := range 6 {
				m := randomMatrix(rng, n, sym, 1+rng.IntN(100))
				start := rng.IntN(n)
				end := start
				if trial%2 == 1 && n > 1 {
					end = (start + 1 + rng.IntN(n-1)) % n
				}
				name := fmt.Sprintf("n%d/sym=%v/trial%d", n, sym, trial)
				t.Run(name, func(t *testing.T) {
					want := bruteForce(m, start, end)
					res, err := Solve(context.Background(), m, &Options{Start: start, End: end})
					if err != nil {
						t.Fatal(err)
					}
					checkRoute(t, m, start, end, res)
					if res.Cost != want || !res.Optimal {
						t.Errorf("Solve cost %d (optimal %v), want %d", res.Cost, res.Optimal, want)
					}
					if n < 4 {
						return
					}
					h := heuristic(context.Background(), m, Options{Start: start, End: end, Iterations: 1000, Seed: 7})
					checkRoute(t, m, start, end, h)
					if h.Cost != want {
						t.Errorf("heuristic cost %d, want %d", h.Cost, want)
					}
				})
			}
		}
	}
}
