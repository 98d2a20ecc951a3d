package shortest

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Hierarchy is a contraction hierarchy: the nodes of a Graph ranked by
// contraction order, with the arcs and shortcuts that lead upwards in rank.
// Nodes are stored renumbered by rank, which keeps the small upward search
// spaces of a query close together in memory.
//
// A Hierarchy is immutable once built or decoded: every query method only
// reads it and takes its scratch from a pool, so one Hierarchy is safe for
// concurrent use by many goroutines. The zero value is an empty hierarchy.
type Hierarchy struct {
	rank  []uint32 // original id → rank
	order []uint32 // rank → original id
	fwd   upGraph  // arc r → head (head ranks higher), original direction
	bwd   upGraph  // arc stored at r with head h means h → r originally
}

// upGraph is a CSR graph in rank space whose arcs all lead to higher ranks.
// mid is the rank of a shortcut's middle node, or noNode for an original
// arc; heads are sorted within a node, so a shortcut's two halves are found
// by binary search when unpacking.
type upGraph struct {
	first []uint32
	arcs  []chArc  // head and weight side by side: one cache line per scan
	mid   []uint32 // serialized; down is derived from it
	// down holds, for a shortcut tail → mid → head, the index of tail →
	// mid in bwd and of mid → head in fwd, so unpacking needs no search.
	down [][2]uint32
}

type chArc struct{ head, weight uint32 }

// NumNodes returns the number of nodes of the contracted graph.
func (h *Hierarchy) NumNodes() int { return len(h.rank) }

// NumArcs returns the number of upward arcs and shortcuts stored (both
// search directions).
func (h *Hierarchy) NumArcs() int { return len(h.fwd.arcs) + len(h.bwd.arcs) }

// find returns the index of the arc from r to head, or -1.
func (u *upGraph) find(r, head uint32) int {
	lo, hi := u.first[r], u.first[r+1]
	i, ok := slices.BinarySearchFunc(u.arcs[lo:hi], head, func(a chArc, h uint32) int { return cmpU32(a.head, h) })
	if !ok {
		return -1
	}
	return int(lo) + i
}

// chDir is the scratch of one direction of a CH search, epoch-stamped like
// search.
type chDir struct {
	dist, stamp, parent, parc []uint32
	epoch                     uint32
	heap                      heap4
}

func newCHDir(n int) chDir {
	return chDir{dist: make([]uint32, n), stamp: make([]uint32, n), parent: make([]uint32, n), parc: make([]uint32, n), heap: newHeap4(n)}
}

func (d *chDir) begin() {
	d.epoch++
	if d.epoch == 0 {
		clear(d.stamp)
		d.epoch = 1
	}
	d.heap.reset()
}

func (d *chDir) reached(v uint32) bool { return d.stamp[v] == d.epoch }

func (d *chDir) improve(v, dist, parent, arc uint32) {
	if d.stamp[v] != d.epoch {
		d.stamp[v] = d.epoch
		d.dist[v], d.parent[v], d.parc[v] = dist, parent, arc
		d.heap.push(v, uint64(dist))
		return
	}
	if dist >= d.dist[v] || d.heap.pos[v] == settled {
		return
	}
	d.dist[v], d.parent[v], d.parc[v] = dist, parent, arc
	d.heap.decrease(v, uint64(dist))
}

// seed starts d at the ranks of the seeds.
func (d *chDir) seed(h *Hierarchy, seeds []Seed) {
	for _, s := range seeds {
		if int64(s.Node) < int64(len(h.rank)) && s.Offset != inf {
			d.improve(h.rank[s.Node], s.Offset, noNode, noNode)
		}
	}
}

// settle pops the closest node of d; it returns stalled = true when a
// higher node already reaches v more cheaply through a downward arc
// (stall-on-demand), in which case v's arcs are not relaxed. up holds d's
// arcs, down the opposite direction's (the downward arcs into v).
func (d *chDir) settle(up, down *upGraph) (v, dist uint32, stalled bool) {
	it := d.heap.pop()
	v, dist = it.node, uint32(it.key)
	for _, a := range down.arcs[down.first[v]:down.first[v+1]] {
		if d.stamp[a.head] == d.epoch && add(d.dist[a.head], a.weight) < dist {
			return v, dist, true
		}
	}
	lo := up.first[v]
	for i, a := range up.arcs[lo:up.first[v+1]] {
		if nd := add(dist, a.weight); nd != inf {
			d.improve(a.head, nd, v, lo+uint32(i))
		}
	}
	return v, dist, false
}

// chScratch is the scratch of one CH query: both directions.
type chScratch struct{ f, b chDir }

var chPool sync.Pool

func getCH(n int) *chScratch {
	if s, ok := chPool.Get().(*chScratch); ok && len(s.f.dist) >= n {
		return s
	}
	return &chScratch{f: newCHDir(n), b: newCHDir(n)}
}

// bucketHeads maps the nodes a matrix's backward searches reached to
// compact ids (id[node] = compact id + 1; 0 = not reached). id is all zero
// whenever it is in headsPool: putHeads clears only the entries set.
type bucketHeads struct {
	id           []uint32
	nodes, count []uint32
}

var headsPool sync.Pool

func getHeads(n int) *bucketHeads {
	if h, ok := headsPool.Get().(*bucketHeads); ok && len(h.id) >= n {
		return h
	}
	return &bucketHeads{id: make([]uint32, n)}
}

func putHeads(h *bucketHeads) {
	for _, v := range h.nodes {
		h.id[v] = 0
	}
	h.nodes, h.count = h.nodes[:0], h.count[:0]
	headsPool.Put(h)
}

// Query returns the shortest time from the source seeds to the target seeds
// (offsets included at both ends) and the path as original node ids from a
// source seed node to a target seed node, shortcuts unpacked; ok is false
// when no target is reachable. It runs a bidirectional upward Dijkstra
// with stall-on-demand, alternating by smaller key and stopping each side
// when its key reaches the best meeting. Safe for concurrent use. Cost:
// the two upward search spaces (typically a few hundred nodes) plus the
// path length.
func (h *Hierarchy) Query(src, dst []Seed) (dist uint32, path []uint32, ok bool) {
	s := getCH(len(h.rank))
	defer chPool.Put(s)
	f, b := &s.f, &s.b
	f.begin()
	b.begin()
	f.seed(h, src)
	b.seed(h, dst)
	best, meet := uint32(inf), noNode
	for {
		fOK := !f.heap.empty() && f.heap.minKey() < uint64(best)
		bOK := !b.heap.empty() && b.heap.minKey() < uint64(best)
		if !fOK && !bOK {
			break
		}
		var v, d uint32
		var other *chDir
		if fOK && (!bOK || f.heap.minKey() <= b.heap.minKey()) {
			v, d, _ = f.settle(&h.fwd, &h.bwd)
			other = b
		} else {
			v, d, _ = b.settle(&h.bwd, &h.fwd)
			other = f
		}
		// Stalled nodes may still meet: their distance is a real path's.
		if other.reached(v) {
			if c := add(d, other.dist[v]); c < best {
				best, meet = c, v
			}
		}
	}
	if meet == noNode {
		return 0, nil, false
	}
	return best, h.path(f, b, meet), true
}

// path unpacks the forward chain into meet and the backward chain out of it.
func (h *Hierarchy) path(f, b *chDir, meet uint32) []uint32 {
	// hop is an arc tail → head, stored in fwd (back == false) or bwd.
	type hop struct {
		tail, head, idx uint32
		back            bool
	}
	var chain []hop
	v := meet
	for f.parent[v] != noNode {
		p := f.parent[v]
		chain = append(chain, hop{p, v, f.parc[v], false})
		v = p
	}
	slices.Reverse(chain)
	out := []uint32{h.order[v]}
	for v = meet; b.parent[v] != noNode; {
		p := b.parent[v]
		chain = append(chain, hop{v, p, b.parc[v], true})
		v = p
	}
	var stack []hop
	for _, c := range chain {
		stack = append(stack[:0], c)
		for len(stack) > 0 {
			t := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			u := &h.fwd
			if t.back {
				u = &h.bwd
			}
			m := u.mid[t.idx]
			if m == noNode {
				out = append(out, h.order[t.head])
				continue
			}
			d := u.down[t.idx]
			stack = append(stack, hop{m, t.head, d[1], false}, hop{t.tail, m, d[0], true})
		}
	}
	return out
}

// Matrix computes the shortest times from every source to every target
// with the bucket many-to-many algorithm: one upward backward search per
// target records (target, distance) in a bucket at every node it settles
// (unstalled); one upward forward search per source then scans the buckets
// of the nodes it settles. Both phases are spread over workers goroutines,
// all of which have returned when Matrix returns; the result does not
// depend on workers. Cancelling ctx stops the work and returns ctx.Err().
// Cost: (len(src) + len(dst)) upward searches plus the bucket scans;
// memory 8 bytes per bucket entry, 4 per node and 4 per matrix cell.
func (h *Hierarchy) Matrix(ctx context.Context, src, dst [][]Seed, workers int) (*Matrix, error) {
	n := len(h.rank)
	m := newMatrix(len(src), len(dst))
	if len(src) == 0 || len(dst) == 0 {
		return m, ctx.Err()
	}
	type entry struct{ node, dist uint32 }
	type bucket struct{ target, dist uint32 }
	spaces := make([][]entry, len(dst))
	err := parallel(ctx, workers, len(dst), func(_, j int) {
		s := getCH(n)
		defer chPool.Put(s)
		b := &s.b
		b.begin()
		b.seed(h, dst[j])
		var out []entry
		for !b.heap.empty() {
			v, d, stalled := b.settle(&h.bwd, &h.fwd)
			if !stalled {
				out = append(out, entry{v, d})
			}
		}
		spaces[j] = out
	})
	if err != nil {
		return nil, err
	}
	// Buckets in CSR form over the nodes the backward searches reached,
	// filled in target order so scans are deterministic. Nodes get compact
	// ids through a pooled, all-zero array indexed by node: the work stays
	// proportional to the search spaces, not to the graph, which matters
	// for the many small matrices (one CHW's home to its households) of a
	// national district.
	heads := getHeads(n)
	defer putHeads(heads)
	var total int
	for _, sp := range spaces {
		for _, e := range sp {
			c := heads.id[e.node]
			if c == 0 {
				heads.nodes = append(heads.nodes, e.node)
				heads.count = append(heads.count, 0)
				c = uint32(len(heads.nodes))
				heads.id[e.node] = c
			}
			heads.count[c-1]++
		}
		total += len(sp)
	}
	first := make([]uint32, len(heads.nodes)+1)
	for c, k := range heads.count {
		first[c+1] = first[c] + k
	}
	next := slices.Clone(first[:len(heads.nodes)])
	buckets := make([]bucket, total)
	for j, sp := range spaces {
		for _, e := range sp {
			c := heads.id[e.node] - 1
			buckets[next[c]] = bucket{uint32(j), e.dist}
			next[c]++
		}
		spaces[j] = nil
	}
	err = parallel(ctx, workers, len(src), func(_, i int) {
		s := getCH(n)
		defer chPool.Put(s)
		f := &s.f
		f.begin()
		f.seed(h, src[i])
		row := m.d[i*m.cols : (i+1)*m.cols]
		for !f.heap.empty() {
			v, d, stalled := f.settle(&h.fwd, &h.bwd)
			if stalled {
				continue
			}
			c := heads.id[v]
			if c == 0 {
				continue
			}
			for _, e := range buckets[first[c-1]:first[c]] {
				if c := add(d, e.dist); c < row[e.target] {
					row[e.target] = c
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// link derives order from rank and the down indices from mid, checking
// that every shortcut's halves exist below both ends and add up. Decoding
// relies on it to reject inconsistent input; for a fresh contraction it
// cannot fail.
func (h *Hierarchy) link() error {
	n := len(h.rank)
	h.order = make([]uint32, n)
	seen := make([]bool, n)
	for v, r := range h.rank {
		if int64(r) >= int64(n) || seen[r] {
			return fmt.Errorf("%w: rank of node %d is not a permutation", ErrFormat, v)
		}
		seen[r] = true
		h.order[r] = uint32(v)
	}
	// For an arc stored at r in bwd with head x, the original arc is x → r.
	for dir, u := range []*upGraph{&h.fwd, &h.bwd} {
		u.down = make([][2]uint32, len(u.arcs))
		for r := 0; r < n; r++ {
			for a := u.first[r]; a < u.first[r+1]; a++ {
				tail, head := uint32(r), u.arcs[a].head
				if dir == 1 {
					tail, head = head, tail
				}
				m := u.mid[a]
				if m == noNode {
					u.down[a] = [2]uint32{noNode, noNode}
					continue
				}
				if m >= tail || m >= head {
					return fmt.Errorf("%w: shortcut %d→%d: middle %d not below both ends", ErrFormat, tail, head, m)
				}
				i, j := h.bwd.find(m, tail), h.fwd.find(m, head)
				if i < 0 || j < 0 || uint64(h.bwd.arcs[i].weight)+uint64(h.fwd.arcs[j].weight) != uint64(u.arcs[a].weight) {
					return fmt.Errorf("%w: shortcut %d→%d via %d does not match its halves", ErrFormat, tail, head, m)
				}
				u.down[a] = [2]uint32{uint32(i), uint32(j)}
			}
		}
	}
	return nil
}
