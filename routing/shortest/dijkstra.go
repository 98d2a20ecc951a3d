package shortest

import (
	"slices"
	"sync"
)

// noNode marks "no parent" / "no middle node".
const noNode = ^uint32(0)

// search is the scratch of one Dijkstra run on a plain Graph. Arrays are
// sized for the whole graph and epoch-stamped: a node's dist and parent are
// valid only when stamp[v] == epoch, so starting a new query costs O(1)
// instead of clearing O(n) memory.
type search struct {
	dist   []uint32
	parent []uint32 // predecessor node, or the source index in Nearest
	stamp  []uint32
	epoch  uint32
	n      int // nodes of the current graph; arrays may be longer
	heap   heap4
}

func newSearch(n int) *search {
	return &search{
		dist:   make([]uint32, n),
		parent: make([]uint32, n),
		stamp:  make([]uint32, n),
		n:      n,
		heap:   newHeap4(n),
	}
}

// begin starts a new query on s.
func (s *search) begin() {
	s.epoch++
	if s.epoch == 0 { // wrapped after 2³² queries: stale stamps could match
		clear(s.stamp)
		s.epoch = 1
	}
	s.heap.reset()
}

func (s *search) reached(v uint32) bool { return s.stamp[v] == s.epoch }

// improve offers distance d with predecessor p to v.
func (s *search) improve(v, d, p uint32) {
	if s.stamp[v] != s.epoch {
		s.stamp[v] = s.epoch
		s.dist[v] = d
		s.parent[v] = p
		s.heap.push(v, uint64(d))
		return
	}
	if d >= s.dist[v] || s.heap.pos[v] == settled {
		return
	}
	s.dist[v] = d
	s.parent[v] = p
	s.heap.decrease(v, uint64(d))
}

func (s *search) seed(seeds []Seed) {
	for _, sd := range seeds {
		if int64(sd.Node) < int64(s.n) && sd.Offset != inf {
			s.improve(sd.Node, sd.Offset, noNode)
		}
	}
}

// settleNext pops the closest node and relaxes its arcs.
func (s *search) settleNext(g *Graph) (v, d uint32) {
	it := s.heap.pop()
	v, d = it.node, uint32(it.key)
	for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
		if nd := add(d, g.Weight[a]); nd != inf {
			s.improve(g.Head[a], nd, v)
		}
	}
	return v, d
}

// searchPool recycles search scratch. A recycled search may come from
// another graph: that is fine when its arrays are large enough, because its
// epoch only grows, so old stamps never look current.
var searchPool sync.Pool

func getSearch(n int) *search {
	if s, ok := searchPool.Get().(*search); ok && len(s.dist) >= n {
		s.n = n
		return s
	}
	return newSearch(n)
}

func putSearch(s *search) { searchPool.Put(s) }

// DijkstraOption configures Graph.Dijkstra.
type DijkstraOption func(*dijkstraConfig)

type dijkstraConfig struct {
	limit uint32
}

// WithLimit stops the search at ms milliseconds: nodes farther than ms from
// every seed are reported unreachable. The default is no limit.
func WithLimit(ms uint32) DijkstraOption {
	return func(c *dijkstraConfig) { c.limit = ms }
}

// Tree is a shortest-path tree: the result of a one-to-all search.
type Tree struct {
	dist   []uint32
	parent []uint32
}

// Dijkstra runs a one-to-all Dijkstra from the seeds (each node starts at its
// seed's offset; the cheapest seed wins) and returns the shortest-path tree.
// It is the plain reference algorithm; use a Hierarchy for many point
// queries. Cost O((n + m) log n) time and 8n bytes for the returned Tree.
func (g *Graph) Dijkstra(src []Seed, opts ...DijkstraOption) *Tree {
	cfg := dijkstraConfig{limit: inf - 1}
	for _, o := range opts {
		o(&cfg)
	}
	s := newSearch(g.NumNodes())
	s.begin()
	s.seed(src)
	for !s.heap.empty() && s.heap.minKey() <= uint64(cfg.limit) {
		s.settleNext(g)
	}
	for v := range s.dist {
		if s.stamp[v] != s.epoch || s.heap.pos[v] != settled {
			s.dist[v] = inf
			s.parent[v] = noNode
		}
	}
	return &Tree{dist: s.dist, parent: s.parent}
}

// Dist returns the time in milliseconds from the nearest seed to v; ok is
// false when v is unreachable, beyond the limit or not a node.
func (t *Tree) Dist(v uint32) (uint32, bool) {
	if int64(v) >= int64(len(t.dist)) || t.dist[v] == inf {
		return 0, false
	}
	return t.dist[v], true
}

// Path returns the nodes of a shortest path from a seed node to v, both
// included, or nil when v is unreachable.
func (t *Tree) Path(v uint32) []uint32 {
	if _, ok := t.Dist(v); !ok {
		return nil
	}
	var p []uint32
	for ; v != noNode; v = t.parent[v] {
		p = append(p, v)
	}
	slices.Reverse(p)
	return p
}

// targets is a sorted set of target seeds (node → smallest offset).
type targets []Seed

func newTargets(dst []Seed, n int) targets {
	t := make(targets, 0, len(dst))
	for _, s := range dst {
		if int64(s.Node) < int64(n) && s.Offset != inf {
			t = append(t, s)
		}
	}
	slices.SortFunc(t, func(a, b Seed) int {
		if a.Node != b.Node {
			return cmpU32(a.Node, b.Node)
		}
		return cmpU32(a.Offset, b.Offset)
	})
	return slices.CompactFunc(t, func(a, b Seed) bool { return a.Node == b.Node })
}

// offset returns the target offset of v.
func (t targets) offset(v uint32) (uint32, bool) {
	if len(t) <= 8 {
		for _, s := range t {
			if s.Node == v {
				return s.Offset, true
			}
		}
		return 0, false
	}
	i, ok := slices.BinarySearchFunc(t, v, func(s Seed, v uint32) int { return cmpU32(s.Node, v) })
	if !ok {
		return 0, false
	}
	return t[i].Offset, true
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Query returns the shortest time from the source seeds to the target seeds
// (offsets included on both ends) and the node path from a source seed node
// to a target seed node, by a plain point-to-point Dijkstra that stops once
// no closer target can exist. ok is false when no target is reachable.
// Safe for concurrent use; scratch comes from a pool. Cost: O((n + m) log n)
// in the worst case; use Hierarchy.Query for speed.
func (g *Graph) Query(src, dst []Seed) (dist uint32, path []uint32, ok bool) {
	s := getSearch(g.NumNodes())
	defer putSearch(s)
	tg := newTargets(dst, g.NumNodes())
	s.begin()
	s.seed(src)
	best, meet := uint32(inf), noNode
	for !s.heap.empty() && s.heap.minKey() < uint64(best) {
		v, d := s.settleNext(g)
		if off, isT := tg.offset(v); isT {
			if c := add(d, off); c < best {
				best, meet = c, v
			}
		}
	}
	if meet == noNode {
		return 0, nil, false
	}
	for v := meet; v != noNode; v = s.parent[v] {
		path = append(path, v)
	}
	slices.Reverse(path)
	return best, path, true
}
