package shortest

import "context"

// Nearest is the result of a multi-source bounded search: for every node,
// the index of the nearest source and the time to it. It is immutable and
// safe for concurrent reads.
type Nearest struct {
	source []uint32
	dist   []uint32 // inf = beyond the limit or unreachable
}

// Len returns the number of nodes covered (the graph's NumNodes).
func (r *Nearest) Len() int { return len(r.dist) }

// At returns the nearest source index of node v and the time in
// milliseconds; ok is false when no source is within the limit or v is not a
// node. Equal times are broken towards the lowest source index.
func (r *Nearest) At(v uint32) (source int, dist uint32, ok bool) {
	if int64(v) >= int64(len(r.dist)) || r.dist[v] == inf {
		return 0, 0, false
	}
	return int(r.source[v]), r.dist[v], true
}

// Nearest runs one Dijkstra from all sources at once (source i is the seed
// set sources[i]) and returns, for every node, the nearest source and its
// time, in the forward direction: the time FROM the source TO the node. For
// the time from each node to its nearest source (walking to a facility) use
// g.Reverse().Nearest. Nodes farther than limit milliseconds from every
// source are reported not ok.
//
// Labels are compared as (time, source index), so ties go to the lowest
// index and the result does not depend on workers. With workers > 1 the
// sources are split into that many groups searched in parallel and merged;
// this pays off when limit is small compared with the spacing of sources
// (each group then explores little more than its own balls), and costs up
// to workers times the work otherwise. Cost: O((n + m) log n) per group and
// 8n bytes per group.
func (g *Graph) Nearest(sources [][]Seed, limit uint32, workers int) *Nearest {
	n := g.NumNodes()
	workers = max(1, min(workers, len(sources)))
	if limit >= inf {
		limit = inf - 1
	}
	parts := make([]*search, workers)
	// The context is never cancelled: parallel is only used for its owned
	// worker pool here.
	_ = parallel(context.Background(), workers, workers, func(_, w int) {
		lo, hi := w*len(sources)/workers, (w+1)*len(sources)/workers
		parts[w] = g.nearestGroup(sources, lo, hi, limit)
	})
	r := &Nearest{source: make([]uint32, n), dist: make([]uint32, n)}
	for v := 0; v < n; v++ {
		r.dist[v] = inf
		for _, s := range parts {
			if s == nil || s.stamp[v] != s.epoch || s.heap.pos[v] != settled {
				continue
			}
			// Groups are in source order, so a strict comparison keeps
			// the lowest index on ties.
			if s.dist[v] < r.dist[v] {
				r.dist[v], r.source[v] = s.dist[v], s.parent[v]
			}
		}
	}
	return r
}

// nearestGroup searches from sources[lo:hi] with (time, index) keys.
func (g *Graph) nearestGroup(sources [][]Seed, lo, hi int, limit uint32) *search {
	n := g.NumNodes()
	s := newSearch(n)
	s.begin()
	offer := func(v, d, src uint32) {
		key := uint64(d)<<32 | uint64(src)
		if s.stamp[v] != s.epoch {
			s.stamp[v] = s.epoch
			s.dist[v], s.parent[v] = d, src
			s.heap.push(v, key)
			return
		}
		if s.heap.pos[v] == settled {
			return
		}
		if old := uint64(s.dist[v])<<32 | uint64(s.parent[v]); key < old {
			s.dist[v], s.parent[v] = d, src
			s.heap.decrease(v, key)
		}
	}
	for i := lo; i < hi; i++ {
		for _, sd := range sources[i] {
			if int64(sd.Node) < int64(n) && sd.Offset <= limit {
				offer(sd.Node, sd.Offset, uint32(i))
			}
		}
	}
	for !s.heap.empty() {
		it := s.heap.pop()
		v := it.node
		d, src := uint32(it.key>>32), uint32(it.key)
		for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
			if nd := add(d, g.Weight[a]); nd <= limit {
				offer(g.Head[a], nd, src)
			}
		}
	}
	return s
}
