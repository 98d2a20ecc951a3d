package tsp

import (
	"context"
	"math"
	"time"
)

// oneTree is the minimum 1-tree of a symmetric matrix under node penalties
// π (Held and Karp, 1970): a minimum spanning tree of the nodes 1..n-1
// plus the two cheapest edges at node 0, all costs c(i,j) + π_i + π_j. Its
// weight minus 2·Σπ is a lower bound on every tour.
type oneTree[T Cost] struct {
	n     int
	c     []T
	pi    []float64
	dad   []int32 // tree parent; -1 at the root and at node 0
	order []int32 // nodes 1..n-1 in the order Prim added them
	deg   []int32
	key   []float64
	rest  []int32
	sp    [2]int32 // node 0's two 1-tree neighbours
}

func newOneTree[T Cost](c []T, n int) *oneTree[T] {
	return &oneTree[T]{
		n: n, c: c,
		pi:    make([]float64, n),
		dad:   make([]int32, n),
		order: make([]int32, 0, n),
		deg:   make([]int32, n),
		key:   make([]float64, n),
		rest:  make([]int32, 0, n),
	}
}

func (t *oneTree[T]) cost(a, b int32) float64 {
	return float64(t.c[int(a)*t.n+int(b)]) + t.pi[a] + t.pi[b]
}

// build computes the minimum 1-tree for the current π by Prim's algorithm
// on the dense matrix, O(n²), and returns its bound w(π).
func (t *oneTree[T]) build() float64 {
	n := t.n
	for i := range n {
		t.key[i] = math.Inf(1)
		t.dad[i] = -1
		t.deg[i] = 0
	}
	t.order = t.order[:0]
	var w float64
	// rest holds the nodes not yet in the tree, so each step scans only
	// those: n²/2 cost evaluations in all.
	rest := t.rest[:0]
	for v := int32(2); v < int32(n); v++ {
		rest = append(rest, v)
	}
	u := int32(1)
	for {
		t.order = append(t.order, u)
		if d := t.dad[u]; d >= 0 {
			w += t.key[u]
			t.deg[u]++
			t.deg[d]++
		}
		if len(rest) == 0 {
			break
		}
		row := t.c[int(u)*n : int(u)*n+n]
		pu := t.pi[u]
		bi, best := 0, math.Inf(1)
		for i, v := range rest {
			if d := float64(row[v]) + pu + t.pi[v]; d < t.key[v] {
				t.key[v] = d
				t.dad[v] = u
			}
			if t.key[v] < best {
				best, bi = t.key[v], i
			}
		}
		u = rest[bi]
		rest[bi] = rest[len(rest)-1]
		rest = rest[:len(rest)-1]
	}
	t.rest = rest
	// The two cheapest edges at node 0.
	a, b := int32(-1), int32(-1)
	var da, db float64 = math.Inf(1), math.Inf(1)
	for v := int32(1); v < int32(n); v++ {
		d := t.cost(0, v)
		switch {
		case d < da:
			b, db = a, da
			a, da = v, d
		case d < db:
			b, db = v, d
		}
	}
	t.sp = [2]int32{a, b}
	w += da + db
	t.deg[0] = 2
	t.deg[a]++
	t.deg[b]++
	for _, p := range t.pi {
		w -= 2 * p
	}
	return w
}

// ascent maximises w(π) by subgradient optimisation with Polyak steps
// towards the upper bound ub, until maxIter iterations, the deadline, or a
// bound that proves ub optimal. It leaves the best π in t.pi, the 1-tree
// for it built, and returns the best bound (a valid lower bound).
func (t *oneTree[T]) ascent(ctx context.Context, ub int64, maxIter int, deadline time.Time) float64 {
	n := t.n
	best := t.build()
	bestPi := make([]float64, n)
	dir := make([]float64, n)
	lambda := 2.0
	stuck := 0
	for it := 0; it < maxIter; it++ {
		if best > float64(ub)-1+1e-7 || lambda < 1e-3 {
			break
		}
		// Each iteration is O(n²), so checking the clock every time is free.
		if ctx.Err() != nil || (!deadline.IsZero() && time.Now().After(deadline)) {
			break
		}
		var norm float64
		tour := true
		for i := range n {
			v := float64(t.deg[i] - 2)
			tour = tour && v == 0
			dir[i] = 0.7*v + 0.3*dir[i] // smoothed subgradient
			norm += dir[i] * dir[i]
		}
		if tour || norm == 0 {
			break // the 1-tree is a tour: optimal for these π
		}
		step := lambda * (float64(ub) - best) / norm
		for i := range n {
			t.pi[i] += step * dir[i]
		}
		w := t.build()
		if w > best+1e-9 {
			best = w
			copy(bestPi, t.pi)
			stuck = 0
		} else if stuck++; stuck >= 10 {
			lambda /= 2
			stuck = 0
		}
	}
	if w := t.build(); w < best {
		copy(t.pi, bestPi)
		t.build()
	}
	return best
}

// alphaNearest returns, for each node, the k nodes with the smallest
// α-nearness (Helsgaun, 2000): the increase of the minimum 1-tree's weight
// when the edge must be in it, ties broken by cost. It uses the 1-tree
// last built. O(n²) time, O(n·k) memory. skip reports edges never to list.
func (t *oneTree[T]) alphaNearest(k int, skip func(a, b int32) bool) []int32 {
	n := t.n
	nb := make([]int32, n*k)
	beta := make([]float64, n)
	mark := make([]int32, n)
	for i := range mark {
		mark[i] = -1
	}
	type cand struct {
		a, d float64
		v    int32
	}
	best := make([]cand, 0, k+1)
	// dadCost[j] is the cost of j's tree edge, used n times per node.
	dadCost := make([]float64, n)
	for j := range int32(n) {
		if d := t.dad[j]; d >= 0 {
			dadCost[j] = t.cost(j, d)
		}
	}
	// Node 0's second cheapest 1-tree edge bounds α at node 0.
	sp1 := t.cost(0, t.sp[1])
	for i := range int32(n) {
		best = best[:0]
		consider := func(j int32, a, d float64) {
			if len(best) == k && (a > best[k-1].a || (a == best[k-1].a && d >= best[k-1].d)) {
				return
			}
			if j == i || (skip != nil && skip(i, j)) {
				return
			}
			p := len(best)
			if p < k {
				best = append(best, cand{})
			} else {
				p = k - 1
			}
			for p > 0 && (best[p-1].a > a || (best[p-1].a == a && best[p-1].d > d)) {
				best[p] = best[p-1]
				p--
			}
			best[p] = cand{a, d, j}
		}
		row := t.c[int(i)*n : int(i)*n+n]
		pi := t.pi[i]
		if i == 0 {
			for j := int32(1); j < int32(n); j++ {
				d := float64(row[j]) + pi + t.pi[j]
				consider(j, max(0, d-sp1), d)
			}
		} else {
			// β(i, j): the largest edge on the tree path from i to j.
			beta[i] = math.Inf(-1)
			mark[i] = i
			for u := i; t.dad[u] >= 0; u = t.dad[u] {
				d := t.dad[u]
				beta[d] = max(beta[u], dadCost[u])
				mark[d] = i
			}
			for _, j := range t.order {
				if j == i {
					continue
				}
				if mark[j] != i {
					beta[j] = max(beta[t.dad[j]], dadCost[j])
				}
				d := float64(row[j]) + pi + t.pi[j]
				consider(j, d-beta[j], d)
			}
			d0 := t.cost(i, 0)
			a0 := d0 - sp1
			if i == t.sp[0] || i == t.sp[1] {
				a0 = 0
			}
			consider(0, max(0, a0), d0)
		}
		fillRow(nb[int(i)*k:int(i)*k+k], len(best), func(p int) int32 { return best[p].v }, i)
	}
	return nb
}
