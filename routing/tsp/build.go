package tsp

import (
	"math"
	"math/rand/v2"
	"slices"
)

// newSearcher prepares a search on the symmetric n×n matrix c with the
// given fixed partners (nil: none). forbidden reports edges never to add
// (nil: none).
func newSearcher[T Cost](c []T, n int, fix [][2]int32, k int, seed uint64, forbidden func(a, b int32) bool) *searcher[T] {
	if fix == nil {
		fix = make([][2]int32, n)
		for i := range fix {
			fix[i] = [2]int32{-1, -1}
		}
	}
	k = min(k, n-1)
	s := &searcher[T]{
		n: n, c: c, fix: fix, k: k,
		tour:  make([]int32, n),
		pos:   make([]int32, n),
		queue: make([]int32, n),
		inQ:   make([]bool, n),
		rng:   rand.New(rand.NewPCG(seed, 0x6c6173746d696c65)),
		kickW: max(2, min(50, n/2)),
	}
	s.neighbours(forbidden)
	return s
}

// neighbours fills the candidate lists: the k cheapest edges at each node,
// leaving out fixed and forbidden ones (a fixed edge is always in the
// tour, so never a candidate to add). Rows with fewer valid edges are
// padded by repeating the last one; the search skips useless candidates.
func (s *searcher[T]) neighbours(forbidden func(a, b int32) bool) {
	n, k := s.n, s.k
	s.nb = make([]int32, n*k)
	type cand struct {
		d int64
		v int32
	}
	best := make([]cand, 0, k+1)
	for a := range int32(n) {
		best = best[:0]
		for b := range int32(n) {
			if a == b || s.fixed(a, b) || (forbidden != nil && forbidden(a, b)) {
				continue
			}
			d := s.d(a, b)
			if len(best) == k && d >= best[k-1].d {
				continue
			}
			// Insert in order.
			i := len(best)
			if i < k {
				best = append(best, cand{})
			} else {
				i = k - 1
			}
			for i > 0 && best[i-1].d > d {
				best[i] = best[i-1]
				i--
			}
			best[i] = cand{d, b}
		}
		fillRow(s.nb[int(a)*k:int(a)*k+k], len(best), func(i int) int32 { return best[i].v }, a)
	}
}

// fillRow fills the candidate row of node self with its m best
// candidates, best(0) .. best(m-1), padded by repeating the last (by self
// when there is none).
func fillRow(row []int32, m int, best func(i int) int32, self int32) {
	for i := range row {
		switch {
		case i < m:
			row[i] = best(i)
		case m > 0:
			row[i] = best(m - 1)
		default:
			row[i] = self
		}
	}
}

// greedy builds the start tour with the greedy edge heuristic on the
// candidate edges (fixed edges first), then joins the fragments nearest
// neighbour style.
func (s *searcher[T]) greedy() {
	n := s.n
	adj := make([][2]int32, n)
	for i := range adj {
		adj[i] = [2]int32{-1, -1}
	}
	deg := make([]int8, n)
	uf := make([]int32, n)
	for i := range uf {
		uf[i] = int32(i)
	}
	find := func(x int32) int32 {
		for uf[x] != x {
			uf[x] = uf[uf[x]]
			x = uf[x]
		}
		return x
	}
	link := func(a, b int32) {
		adj[a][deg[a]] = b
		deg[a]++
		adj[b][deg[b]] = a
		deg[b]++
		uf[find(a)] = find(b)
	}
	for a := range int32(n) {
		for _, b := range s.fix[a] {
			if b > a && deg[a] < 2 && deg[b] < 2 && find(a) != find(b) {
				link(a, b)
			}
		}
	}
	type edge struct {
		d    int64
		a, b int32
	}
	edges := make([]edge, 0, n*s.k)
	for a := range int32(n) {
		for _, b := range s.nb[int(a)*s.k : int(a)*s.k+s.k] {
			if a < b || !s.isCand(b, a) {
				edges = append(edges, edge{s.d(a, b), a, b})
			}
		}
	}
	slices.SortFunc(edges, func(x, y edge) int {
		switch {
		case x.d != y.d:
			if x.d < y.d {
				return -1
			}
			return 1
		case x.a != y.a:
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	for _, e := range edges {
		if e.a != e.b && deg[e.a] < 2 && deg[e.b] < 2 && find(e.a) != find(e.b) {
			link(e.a, e.b)
		}
	}
	// Fragments are paths (a lone node is a path of one). Join them: from
	// the tail of the current path go to the nearest end of another.
	other := func(end int32) int32 { // the far end of end's path
		if deg[end] == 0 {
			return end
		}
		prev, cur := int32(-1), end
		for {
			nx := adj[cur][0]
			if nx == prev || nx == -1 {
				nx = adj[cur][1]
			}
			if nx == -1 || nx == prev {
				return cur
			}
			prev, cur = cur, nx
		}
	}
	var ends []int32
	for v := range int32(n) {
		if deg[v] < 2 {
			ends = append(ends, v)
		}
	}
	used := make([]bool, n)
	if len(ends) > 0 {
		head := ends[0]
		tail := other(head)
		used[head], used[tail] = true, true
		for {
			best, bd := int32(-1), int64(math.MaxInt64)
			for _, e := range ends {
				if !used[e] {
					if d := s.d(tail, e); d < bd {
						best, bd = e, d
					}
				}
			}
			if best < 0 {
				break
			}
			far := other(best)
			used[best], used[far] = true, true
			link(tail, best)
			tail = far
		}
		if head != tail || n == 1 {
			adj[head][deg[head]] = tail
			deg[head]++
			adj[tail][deg[tail]] = head
			deg[tail]++
		}
	}
	// Walk the cycle.
	prev, cur := int32(-1), int32(0)
	for p := range n {
		s.tour[p] = cur
		s.pos[cur] = int32(p)
		nx := adj[cur][0]
		if nx == prev {
			nx = adj[cur][1]
		}
		prev, cur = cur, nx
	}
	s.cost = s.tourCost()
}

func (s *searcher[T]) isCand(a, b int32) bool {
	return slices.Contains(s.nb[int(a)*s.k:int(a)*s.k+s.k], b)
}
