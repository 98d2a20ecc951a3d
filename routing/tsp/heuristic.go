package tsp

import (
	"context"
	"math"
	"slices"
	"time"
)

// heuristic solves n > exactMax: the symmetric search directly on a
// symmetric matrix, or on the 2n-node Jonker–Volgenant transform of an
// asymmetric one.
func heuristic[T Cost](ctx context.Context, m Matrix[T], o Options) Result {
	start := time.Now()
	o.TimeLimit = max(0, o.TimeLimit)
	k, alphaK := o.Neighbors, o.Neighbors
	if k <= 0 {
		k, alphaK = 10, 8
	}
	n := m.N
	round := o.Start == o.End
	var order []int
	var rounds int
	lb := int64(math.MinInt64)
	if m.Symmetric() {
		fix := noFix(n)
		if !round {
			fix[o.Start][0], fix[o.End][0] = int32(o.End), int32(o.Start)
		}
		s := newSearcher(m.C, n, fix, k, o.Seed, nil)
		var init []int32
		if o.Initial != nil {
			init = make([]int32, n)
			for i, v := range o.Initial {
				init[i] = int32(v)
			}
		}
		s.descendFrom(init)
		// Held–Karp ascent: a lower bound, and α-nearness candidates that
		// hold the long edges clustered instances need.
		tree := newOneTree(m.C, n)
		w := tree.ascent(ctx, s.cost, ascentIterations(n), o.deadlineFrac(start, 0.25))
		if round {
			// Allow for rounding in the float sums.
			lb = int64(math.Ceil(w - 1e-9*math.Abs(w) - 1e-6))
		}
		// α-nearness costs O(n²) again: skip it when the time is up.
		if o.TimeLimit <= 0 || time.Since(start) < o.TimeLimit/2 {
			alphaK = min(alphaK, n-1)
			s.nb, s.k = tree.alphaNearest(alphaK, s.fixed), alphaK
		}
		rounds = s.runUntil(ctx, o, start, lb)
		order = s.orderFrom(int32(o.Start), int32(o.End), round)
	} else {
		c, fix, big := transform(m)
		if !round {
			// Force the arc End→Start: out-copy of End next to in-copy of Start.
			fix[n+o.End][1], fix[o.Start][1] = int32(o.Start), int32(n+o.End)
		}
		nn := int32(n)
		forbidden := func(a, b int32) bool { return (a < nn) == (b < nn) }
		s := newSearcher(c, 2*n, fix, k, o.Seed, forbidden)
		var init []int32
		if o.Initial != nil {
			// Each node's in-copy, then its out-copy.
			init = make([]int32, 0, 2*n)
			for _, v := range o.Initial {
				init = append(init, int32(v), int32(n+v))
			}
		}
		s.descendFrom(init)
		// A lower bound from the ascent on the transformed matrix with the
		// twin edges at -big, so that every 1-tree holds them; each tour
		// has n twins.
		tc := slices.Clone(c)
		for i := range n {
			tc[i*2*n+n+i], tc[(n+i)*2*n+i] = -big, -big
		}
		tree := newOneTree(tc, 2*n)
		shift := float64(big) * float64(n)
		w := tree.ascent(ctx, s.cost-big*int64(n), ascentIterations(2*n), o.deadlineFrac(start, 0.25)) + shift
		if round {
			lb = int64(math.Ceil(w - 1e-9*math.Abs(w) - 1e-6))
		}
		// The search keeps its nearest-neighbour candidates: on ftv170,
		// α-nearest lists of the transformed matrix found the optimum for
		// 1 seed of 6 in 200,000 rounds, the 10 cheapest edges for all 6.
		rounds = s.runUntil(ctx, o, start, lb)
		order = s.atspOrder(n, int32(o.Start))
	}
	res := Result{
		Order:      order,
		Cost:       m.Cost(order, round),
		LowerBound: lb,
		Rounds:     rounds,
	}
	res.Optimal = res.Cost <= lb
	return res
}

func noFix(n int) [][2]int32 {
	fix := make([][2]int32, n)
	for i := range fix {
		fix[i] = [2]int32{-1, -1}
	}
	return fix
}

// ascentIterations caps the Held–Karp ascent, whose iterations cost
// O(n²) each: more for small instances, where they are cheap and the
// candidates they give matter (clustered instances such as fl417).
func ascentIterations(n int) int {
	return min(300, max(100, 30_000_000/(n*n)))
}

// descend builds the greedy tour and runs the local search to a local
// optimum.
func (s *searcher[T]) descend() {
	s.descendFrom(nil)
}

// descendFrom starts from tour (nil: the greedy tour) and runs the local
// search to a local optimum.
func (s *searcher[T]) descendFrom(tour []int32) {
	if tour == nil {
		s.greedy()
	} else {
		copy(s.tour, tour)
		for p, v := range s.tour {
			s.pos[v] = int32(p)
		}
		s.cost = s.tourCost()
	}
	for v := range int32(s.n) {
		s.push(s.tour[v])
	}
	s.localSearch()
	s.undo = s.undo[:0]
}

// runUntil runs the iterated local search within o's limits, stopping at
// the lower bound lb.
func (s *searcher[T]) runUntil(ctx context.Context, o Options, start time.Time, lb int64) int {
	if s.cost <= lb {
		return 0
	}
	rounds := o.Iterations
	if rounds == 0 && o.TimeLimit <= 0 {
		rounds = DefaultIterations(s.n)
	}
	stall := o.Stall
	if stall == 0 {
		stall = DefaultStall(s.n)
	}
	return s.iterate(ctx, o.deadline(start), rounds, stall, func(c int64) bool { return c <= lb })
}

// orderFrom lists the tour from start; for an open path it walks away
// from end so that end comes last.
func (s *searcher[T]) orderFrom(start, end int32, round bool) []int {
	rev := !round && s.succ(start) == end
	order := make([]int, s.n)
	v := start
	for i := range order {
		order[i] = int(v)
		v = s.next(v, rev)
	}
	return order
}

// atspOrder reads the asymmetric route from the transformed tour: the
// in-copies in the direction where each is followed by its out-copy.
func (s *searcher[T]) atspOrder(n int, start int32) []int {
	rev := s.succ(start) != start+int32(n)
	order := make([]int, 0, n)
	v := start
	for range 2 * n {
		if v < int32(n) {
			order = append(order, int(v))
		}
		v = s.next(v, rev)
	}
	return order
}

// transform builds the symmetric 2n×2n matrix of the Jonker–Volgenant
// transformation: node i < n is the in-copy of i, n+i its out-copy; the
// edge {n+i, j} costs C[i][j], the twin edge {i, n+i} costs 0 and is
// fixed, and edges between two in-copies or two out-copies cost more than
// any tour, so they are never kept.
func transform[T Cost](m Matrix[T]) (c []int64, fix [][2]int32, big int64) {
	n := m.N
	var lo, hi int64 = math.MaxInt64, math.MinInt64
	for i := range n {
		for j := range n {
			if i != j {
				lo, hi = min(lo, m.At(i, j)), max(hi, m.At(i, j))
			}
		}
	}
	big = (hi-lo+1)*int64(n+1) + max(hi, 0)
	nn := 2 * n
	c = make([]int64, nn*nn)
	for a := range nn {
		for b := range nn {
			c[a*nn+b] = big
		}
	}
	for i := range n {
		for j := range n {
			if i == j {
				c[i*nn+n+i], c[(n+i)*nn+i] = 0, 0
				continue
			}
			w := m.At(i, j)
			c[(n+i)*nn+j], c[j*nn+n+i] = w, w
		}
	}
	fix = noFix(nn)
	for i := range n {
		fix[i][0], fix[n+i][0] = int32(n+i), int32(i)
	}
	return c, fix, big
}
