package shortest

import (
	"context"
	"runtime"
	"slices"
)

// ContractOptions configures Contract. A nil *ContractOptions means defaults.
type ContractOptions struct {
	// Progress, if set, is called from the calling goroutine after every
	// contraction round with the number of contracted nodes and the total.
	Progress func(done, total int)
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The hierarchy does not depend on it.
	Workers int
}

// Witness searches stop after this many settled nodes: a stopped search
// only costs an unneeded shortcut, never a wrong distance. Estimating a
// priority can afford to be rougher than the contraction itself: above
// simulateDegreeLimit neighbours (the dense upper levels, where nearly every
// neighbour pair is already joined) it only looks at direct arcs. These
// values were tuned on the synthetic benchmark graph (see bench_test.go):
// they trade about 10% larger query search spaces for half the
// contraction time.
const (
	simulateSettleLimit = 20
	simulateDegreeLimit = 12
	contractSettleLimit = 1000
)

// dynEdge is one neighbour in the contraction's dynamic graph. Each node
// keeps one entry per neighbour holding both directions, which halves the
// lists of walking graphs where almost every arc has a reverse.
type dynEdge struct {
	to         uint32
	fw, bw     uint32 // weight v→to and to→v; inf = no such arc
	fmid, bmid uint32 // middle node (original id) of the shortcut, or noNode
	fhop, bhop uint32 // original arcs represented, for the priority
}

// shortcut is an arc u → w through the contracted node.
type shortcut struct {
	u, w, weight, hops uint32
}

type contractor struct {
	adj     [][]dynEdge
	done    []bool // contracted
	inRound []bool // selected in the current round
	level   []uint32
	sim     []float32 // priority terms from the last simulation
	stale   []bool    // in this round's list of nodes to re-simulate
	workers []*witness
}

// witness is one worker's scratch for witness searches.
type witness struct {
	node  []witnessNode
	epoch uint32
	heap  heap4
}

// witnessNode keeps a node's search state in one place: the relax loop
// touches it for every arc, and one cache line beats four arrays.
type witnessNode struct {
	stamp, dist   uint32 // dist valid when stamp == epoch
	target, tcost uint32 // unresolved target when target == epoch
}

func newWitness(n int) *witness {
	return &witness{node: make([]witnessNode, n), heap: newHeap4(n)}
}

// Contract builds the contraction hierarchy of g; g is not modified.
//
// Nodes are contracted in rounds: every round takes the uncontracted nodes
// whose priority is lower than all their neighbours' (an independent set;
// ties broken by a fixed hash of the id), contracts them in parallel and
// re-estimates the priority of their neighbours. The priority is the
// node's level (1 + the highest level of a contracted neighbour) plus the
// ratios of arcs added to arcs removed and of original arcs (hops) they
// represent, so degree-2 chains go first and cost one bounded witness
// search per direction. Witness searches avoid every node of the round, so
// contracting the set at once is exact. All decisions depend only on the
// graph, never on scheduling: the same graph gives a byte-identical
// hierarchy for any Workers.
//
// Contract returns ctx.Err() if ctx is cancelled. Memory is a few times
// the graph's plus 20 bytes per node per worker (about 260 MB peak for the
// 1 M-arc benchmark graph, generator included).
func Contract(ctx context.Context, g *Graph, opts *ContractOptions) (*Hierarchy, error) {
	if opts == nil {
		opts = &ContractOptions{}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := g.NumNodes()
	// Contract a copy renumbered in BFS order: neighbours then sit close
	// in memory, which makes the witness searches (random access bound)
	// several times faster on graphs whose ids follow no geography.
	perm := bfsOrder(g)
	c := &contractor{
		adj:     buildDynamic(permute(g, perm)),
		done:    make([]bool, n),
		inRound: make([]bool, n),
		level:   make([]uint32, n),
		sim:     make([]float32, n),
		stale:   make([]bool, n),
	}
	for range workers {
		c.workers = append(c.workers, newWitness(n))
	}
	remaining := make([]uint32, n)
	for v := range remaining {
		remaining[v] = uint32(v)
	}
	if err := c.updatePriorities(ctx, remaining); err != nil {
		return nil, err
	}
	order := make([]uint32, 0, n)
	var sel, touched []uint32
	var results [][]shortcut
	for len(remaining) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sel = sel[:0]
		for _, v := range remaining {
			if c.localMin(v) {
				sel = append(sel, v)
				c.inRound[v] = true
			}
		}
		results = slices.Grow(results[:0], len(sel))[:len(sel)]
		err := parallel(ctx, len(c.workers), len(sel), func(w, i int) {
			var out []shortcut
			c.shortcuts(c.workers[w], sel[i], true, contractSettleLimit, func(s shortcut) { out = append(out, s) })
			results[i] = out
		})
		if err != nil {
			return nil, err
		}
		touched = touched[:0]
		for i, v := range sel {
			order = append(order, v)
			c.done[v] = true
			c.inRound[v] = false
			for _, e := range c.adj[v] {
				c.removeNeighbour(e.to, v)
				c.level[e.to] = max(c.level[e.to], c.level[v]+1)
				if !c.stale[e.to] {
					c.stale[e.to] = true
					touched = append(touched, e.to)
				}
			}
			for _, s := range results[i] {
				c.upsert(s, v)
			}
			results[i] = nil
		}
		// Round members are independent, so none of them was touched.
		if err := c.updatePriorities(ctx, touched); err != nil {
			return nil, err
		}
		for _, v := range touched {
			c.stale[v] = false
		}
		remaining = slices.DeleteFunc(remaining, func(v uint32) bool { return c.done[v] })
		if opts.Progress != nil {
			opts.Progress(len(order), n)
		}
	}
	h := c.build(order, perm)
	if err := h.link(); err != nil {
		// Contraction builds consistent shortcuts by construction.
		panic("shortest: inconsistent hierarchy: " + err.Error())
	}
	return h, nil
}

// bfsOrder returns the nodes of g in breadth-first order over the
// undirected support, starting from the lowest unvisited id each time.
func bfsOrder(g *Graph) []uint32 {
	n := g.NumNodes()
	r := g.Reverse()
	seen := make([]bool, n)
	order := make([]uint32, 0, n)
	for s := 0; s < n; s++ {
		if seen[s] {
			continue
		}
		seen[s] = true
		order = append(order, uint32(s))
		for i := len(order) - 1; i < len(order); i++ {
			v := order[i]
			for _, x := range []*Graph{g, r} {
				for a := x.FirstOut[v]; a < x.FirstOut[v+1]; a++ {
					if h := x.Head[a]; !seen[h] {
						seen[h] = true
						order = append(order, h)
					}
				}
			}
		}
	}
	return order
}

// permute returns g with node perm[i] renamed i.
func permute(g *Graph, perm []uint32) *Graph {
	inv := make([]uint32, len(perm))
	for i, v := range perm {
		inv[v] = uint32(i)
	}
	arcs := g.Arcs()
	for i := range arcs {
		arcs[i].From, arcs[i].To = inv[arcs[i].From], inv[arcs[i].To]
	}
	return NewGraph(len(perm), arcs)
}

// buildDynamic converts g into per-node neighbour lists.
func buildDynamic(g *Graph) [][]dynEdge {
	n := g.NumNodes()
	adj := make([][]dynEdge, n)
	// Count neighbours (out-heads plus in-tails without a matching out-arc)
	// so each list is allocated once from one backing array.
	deg := make([]uint32, n)
	for v := 0; v < n; v++ {
		deg[v] += g.FirstOut[v+1] - g.FirstOut[v]
	}
	hasArc := func(u, v uint32) bool {
		_, ok := slices.BinarySearch(g.Head[g.FirstOut[u]:g.FirstOut[u+1]], v)
		return ok
	}
	for v := 0; v < n; v++ {
		for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
			if h := g.Head[a]; !hasArc(h, uint32(v)) {
				deg[h]++
			}
		}
	}
	total := 0
	for _, d := range deg {
		total += int(d)
	}
	backing := make([]dynEdge, total)
	off := 0
	for v := 0; v < n; v++ {
		adj[v] = backing[off : off : off+int(deg[v])]
		off += int(deg[v])
		for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
			adj[v] = append(adj[v], dynEdge{to: g.Head[a], fw: g.Weight[a], bw: inf, fmid: noNode, bmid: noNode, fhop: 1})
		}
	}
	// Out-entries are sorted by head (NewGraph order) as long as only they
	// are present: find reverse directions by binary search over that prefix.
	outLen := make([]uint32, n)
	for v := range adj {
		outLen[v] = uint32(len(adj[v]))
	}
	for v := 0; v < n; v++ {
		for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
			h := g.Head[a]
			list := adj[h][:outLen[h]]
			i, ok := slices.BinarySearchFunc(list, uint32(v), func(e dynEdge, t uint32) int { return cmpU32(e.to, t) })
			if ok {
				list[i].bw, list[i].bhop = g.Weight[a], 1
			} else {
				adj[h] = append(adj[h], dynEdge{to: uint32(v), fw: inf, bw: g.Weight[a], fmid: noNode, bmid: noNode, bhop: 1})
			}
		}
	}
	return adj
}

// tieHash is a bijective mix of a node id that breaks priority ties without
// the grid-order artefacts plain ids would give.
func tieHash(v uint32) uint32 {
	v *= 0x9E3779B1
	v ^= v >> 16
	v *= 0x85EBCA6B
	v ^= v >> 13
	return v
}

func (c *contractor) less(u, v uint32) bool {
	pu, pv := float32(c.level[u])+c.sim[u], float32(c.level[v])+c.sim[v]
	if pu != pv {
		return pu < pv
	}
	return tieHash(u) < tieHash(v)
}

// localMin reports whether v comes before all its uncontracted neighbours.
func (c *contractor) localMin(v uint32) bool {
	for _, e := range c.adj[v] {
		if c.less(e.to, v) {
			return false
		}
	}
	return true
}

func (c *contractor) updatePriorities(ctx context.Context, nodes []uint32) error {
	// Chunks amortise the scheduling of cheap degree-2 nodes, but stay
	// small enough to keep every worker busy in the short rounds of the
	// dense upper levels, where each simulation is expensive.
	size := max(1, min(256, len(nodes)/(8*len(c.workers))))
	return parallel(ctx, len(c.workers), (len(nodes)+size-1)/size, func(w, chunk int) {
		ws := c.workers[w]
		for _, v := range nodes[chunk*size : min(len(nodes), chunk*size+size)] {
			c.sim[v] = c.simulate(ws, v)
		}
	})
}

// simulate estimates how attractive contracting v is now (lower first),
// apart from the level term which changes without a simulation.
func (c *contractor) simulate(ws *witness, v uint32) float32 {
	var added, addedHops, removed, removedHops uint32
	limit := simulateSettleLimit
	if len(c.adj[v]) > simulateDegreeLimit {
		limit = 1 // only direct arcs count as witnesses
	}
	c.shortcuts(ws, v, false, limit, func(s shortcut) {
		added++
		addedHops += s.hops
	})
	for _, e := range c.adj[v] {
		if e.fw != inf {
			removed++
			removedHops += e.fhop
		}
		if e.bw != inf {
			removed++
			removedHops += e.bhop
		}
	}
	if removed == 0 {
		return 0
	}
	return float32(added)/float32(removed) + float32(addedHops)/float32(removedHops)
}

// shortcuts finds the shortcuts contracting v requires: for every pair of
// neighbours u → v → w without a witness path u ⇝ w avoiding v (and, when
// avoidRound is set, every node of the current round) at most as long.
func (c *contractor) shortcuts(ws *witness, v uint32, avoidRound bool, settleLimit int, emit func(shortcut)) {
	ev := c.adj[v]
	for _, eu := range ev {
		if eu.bw == inf {
			continue
		}
		u := eu.to
		ws.begin()
		var limit uint32
		targets := 0
		for _, ew := range ev {
			if ew.fw == inf || ew.to == u {
				continue
			}
			if cost := add(eu.bw, ew.fw); cost != inf {
				limit = max(limit, cost)
				ws.node[ew.to].target = ws.epoch
				ws.node[ew.to].tcost = cost
				targets++
			}
		}
		if targets == 0 {
			continue
		}
		c.witnessSearch(ws, u, v, avoidRound, limit, targets, settleLimit)
		for _, ew := range ev {
			if ew.fw == inf || ew.to == u {
				continue
			}
			cost := add(eu.bw, ew.fw)
			if cost == inf {
				continue
			}
			// A tentative distance is the length of a real path avoiding
			// v, so it is a valid witness too.
			if t := &ws.node[ew.to]; t.stamp == ws.epoch && t.dist <= cost {
				continue
			}
			emit(shortcut{u: u, w: ew.to, weight: cost, hops: eu.bhop + ew.fhop})
		}
	}
}

func (ws *witness) begin() {
	ws.epoch++
	if ws.epoch == 0 {
		clear(ws.node)
		ws.epoch = 1
	}
	ws.heap.reset()
}

// witnessSearch runs a Dijkstra from src that avoids skip (and the round's
// nodes) and stops as soon as every target is resolved: reached within its
// cost (a witness, even if only tentatively: that is a real path) or
// settled beyond it. Targets are marked in ws.node with their cost; a
// resolved target's mark is cleared.
func (c *contractor) witnessSearch(ws *witness, src, skip uint32, avoidRound bool, limit uint32, targets, settleLimit int) {
	ws.node[src].stamp = ws.epoch
	ws.node[src].dist = 0
	ws.heap.push(src, 0)
	for n := 0; !ws.heap.empty() && n < settleLimit; n++ {
		it := ws.heap.pop()
		x, d := it.node, uint32(it.key)
		if d > limit {
			return
		}
		if t := &ws.node[x]; t.target == ws.epoch {
			t.target = 0
			if targets--; targets == 0 {
				return
			}
		}
		list := c.adj[x]
		for i := range list {
			y, w := list[i].to, list[i].fw
			if w == inf || y == skip || (avoidRound && c.inRound[y]) {
				continue
			}
			nd := add(d, w)
			if nd > limit {
				continue
			}
			t := &ws.node[y]
			if t.stamp != ws.epoch {
				t.stamp = ws.epoch
				t.dist = nd
				ws.heap.push(y, uint64(nd))
			} else if nd < t.dist && ws.heap.pos[y] != settled {
				t.dist = nd
				ws.heap.decrease(y, uint64(nd))
			} else {
				continue
			}
			if t.target == ws.epoch && nd <= t.tcost {
				t.target = 0
				if targets--; targets == 0 {
					return
				}
			}
		}
	}
}

// removeNeighbour drops v from u's list (order is not preserved).
func (c *contractor) removeNeighbour(u, v uint32) {
	list := c.adj[u]
	for i := range list {
		if list[i].to == v {
			list[i] = list[len(list)-1]
			c.adj[u] = list[:len(list)-1]
			return
		}
	}
}

// upsert adds shortcut s (through mid) to both endpoint lists, keeping the
// cheaper arc when one exists.
func (c *contractor) upsert(s shortcut, mid uint32) {
	i := c.find(s.u, s.w)
	if i < 0 {
		c.adj[s.u] = append(c.adj[s.u], dynEdge{to: s.w, fw: s.weight, bw: inf, fmid: mid, bmid: noNode, fhop: s.hops})
		c.adj[s.w] = append(c.adj[s.w], dynEdge{to: s.u, fw: inf, bw: s.weight, fmid: noNode, bmid: mid, bhop: s.hops})
		return
	}
	e := &c.adj[s.u][i]
	if s.weight >= e.fw {
		return
	}
	e.fw, e.fmid, e.fhop = s.weight, mid, s.hops
	r := &c.adj[s.w][c.find(s.w, s.u)]
	r.bw, r.bmid, r.bhop = s.weight, mid, s.hops
}

func (c *contractor) find(u, w uint32) int {
	for i, e := range c.adj[u] {
		if e.to == w {
			return i
		}
	}
	return -1
}

// build lays the contracted graph out in rank space.
// order lists contracted nodes (contraction ids); perm maps contraction
// ids to the caller's ids.
func (c *contractor) build(order, perm []uint32) *Hierarchy {
	n := len(order)
	rank := make([]uint32, n) // contraction id → rank
	for r, v := range order {
		rank[v] = uint32(r)
	}
	h := &Hierarchy{rank: make([]uint32, n), order: make([]uint32, n)}
	for r, v := range order {
		h.order[r] = perm[v]
		h.rank[perm[v]] = uint32(r)
	}
	mapMid := func(m uint32) uint32 {
		if m == noNode {
			return noNode
		}
		return rank[m]
	}
	var fw, bw []upArc
	h.fwd.first = make([]uint32, n+1)
	h.bwd.first = make([]uint32, n+1)
	for r, v := range order {
		fw, bw = fw[:0], bw[:0]
		for _, e := range c.adj[v] {
			if e.fw != inf {
				fw = append(fw, upArc{rank[e.to], e.fw, mapMid(e.fmid)})
			}
			if e.bw != inf {
				bw = append(bw, upArc{rank[e.to], e.bw, mapMid(e.bmid)})
			}
		}
		h.fwd.appendNode(r, fw)
		h.bwd.appendNode(r, bw)
		c.adj[v] = nil
	}
	return h
}

type upArc struct{ head, weight, mid uint32 }

func (u *upGraph) appendNode(r int, arcs []upArc) {
	slices.SortFunc(arcs, func(a, b upArc) int { return cmpU32(a.head, b.head) })
	for _, a := range arcs {
		u.arcs = append(u.arcs, chArc{a.head, a.weight})
		u.mid = append(u.mid, a.mid)
	}
	u.first[r+1] = uint32(len(u.arcs))
}
