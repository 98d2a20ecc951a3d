package catchment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// Unbounded is the upper bound of an arc without capacity.
const Unbounded int64 = math.MaxInt64

// costLimit bounds |cost| of every arc and |potential| of every node so that
// a reduced cost (cost + π(u) − π(v)) never overflows int64.
const costLimit = 1 << 61

// Errors returned by Network.Solve.
var (
	// ErrInfeasible means no flow meets every supply, demand and bound.
	ErrInfeasible = errors.New("catchment: no feasible flow")
	// ErrUnbounded means a cycle of negative cost has no capacity limit.
	ErrUnbounded = errors.New("catchment: negative cycle without capacity limit")
	// ErrCostRange means the costs are too large to solve without overflow
	// (the artificial start needs (max |cost| + 1) × nodes below 2^61).
	ErrCostRange = errors.New("catchment: costs too large")
)

const (
	stateUpper int8 = -1 // nonbasic at its upper bound
	stateTree  int8 = 0  // basic: an arc of the spanning tree
	stateLower int8 = 1  // nonbasic at its lower bound

	dirUp   int8 = 1  // the node's tree arc points to its parent
	dirDown int8 = -1 // the node's tree arc points from its parent
)

// Network is a minimum-cost flow problem and its network simplex solver:
// nodes with supplies (positive: flow leaves the node; negative: demand),
// arcs with integer lower and upper bounds and costs per unit of flow.
// Solve finds an integer flow that meets every supply exactly, respects
// every bound and has the least total cost.
//
// The method is the primal network simplex with strongly feasible spanning
// trees (Cunningham's leaving-arc rule, so degenerate pivots cannot cycle),
// block-search pricing (about √m arcs a block, as LEMON's default), and a
// tree kept as parent, thread and subtree-size arrays so that a pivot
// costs the cycle length plus the size of the subtree that moves. Ties
// are broken by arc and node order only, so the same network gives the
// same flow.
//
// The zero value is an empty network. A Network is not safe for concurrent
// use.
type Network struct {
	supply []int64 // per node, as given
	lower  []int64 // per real arc; nil while every lower bound is 0

	// Arcs 0..nodes-1 are the artificial arcs (arc v joins node v and the
	// artificial root); real arc i is arc nodes+i. Capacities and flows are
	// shifted by the lower bound: 0 ≤ flow ≤ cap.
	src, dst        []int32
	cost, cap, flow []int64
	state           []int8
	prefix          int // artificial slots before the real arcs (nodeCount once laid out)
	laidOut         bool
	started         bool
	treeFromFlow    bool // started from a feasible flow, not the big-M tree
	costsChecked    bool // costs are known not to overflow the potentials
	trusted         bool // the caller bounds the potentials itself (Balance)
	stalePotentials bool // costs or tree changed: recompute π before pricing
	nodeCount       int
	arcCount        int
	artificialCost  int64

	// Spanning tree over the nodes and the root (index nodeCount): parent,
	// the tree arc to it and its direction, the preorder thread (circular,
	// through the root) and its reverse, subtree sizes and the last node of
	// every subtree in thread order.
	pi                              []int64
	parent, pred, thread, revThread []int32
	succNum, lastSucc               []int32
	predDir                         []int8
	nextArc, blockSize              int
	pivots                          int
	stem, segs, stemSucc, stemLast  []int32
	stemPred                        []int32
	stemDir                         []int8
}

// AddNode adds a node with the given supply and returns its index.
func (n *Network) AddNode(supply int64) int {
	if n.laidOut {
		panic("catchment: AddNode after Solve")
	}
	n.supply = append(n.supply, supply)
	n.nodeCount++
	return n.nodeCount - 1
}

// AddArc adds an arc from → to carrying between lower and upper units of
// flow (upper may be Unbounded) at cost per unit, and returns its index.
// It panics on a node out of range or lower > upper (programmer errors).
// Arcs may be added after Solve; the next Solve starts from the previous
// optimum, so adding candidate arcs and solving again is cheap.
func (n *Network) AddArc(from, to int, lower, upper, cost int64) int {
	if from < 0 || from >= n.nodeCount || to < 0 || to >= n.nodeCount {
		panic(fmt.Sprintf("catchment: arc %d → %d: node out of range [0, %d)", from, to, n.nodeCount))
	}
	if lower < 0 || lower > upper {
		panic(fmt.Sprintf("catchment: arc %d → %d: bounds [%d, %d]", from, to, lower, upper))
	}
	if lower != 0 && n.laidOut {
		panic("catchment: lower bound on an arc added after Solve")
	}
	c := upper
	if upper != Unbounded {
		c = upper - lower
	}
	n.appendArc(int32(from), int32(to), c, cost)
	if lower != 0 && n.lower == nil {
		n.lower = make([]int64, n.arcCount, cap(n.src)-n.prefix)
	}
	if n.lower != nil {
		n.lower = append(n.lower, lower)
	}
	n.arcCount++
	return n.arcCount - 1
}

// Reserve makes room for the given numbers of nodes and arcs in total, so
// that building a large network does not grow (and copy) its arrays.
func (n *Network) Reserve(nodes, arcs int) {
	if n.laidOut || n.arcCount > 0 {
		return
	}
	n.supply = slices.Grow(n.supply, nodes-len(n.supply))
	n.prefix = nodes
	m := nodes + arcs
	n.src = make([]int32, nodes, m)
	n.dst = make([]int32, nodes, m)
	n.cost = make([]int64, nodes, m)
	n.cap = make([]int64, nodes, m)
	n.flow = make([]int64, nodes, m)
	n.state = make([]int8, nodes, m)
}

func (n *Network) appendArc(from, to int32, c, cost int64) {
	n.src = append(n.src, from)
	n.dst = append(n.dst, to)
	n.cost = append(n.cost, cost)
	n.cap = append(n.cap, c)
	n.flow = append(n.flow, 0)
	n.state = append(n.state, stateLower)
	if n.started {
		// A new arc is nonbasic at its lower bound: the tree stays a
		// basis and the potentials stay valid.
		n.blockSize = blockSize(len(n.src) - n.nodeCount)
	}
}

// NumNodes returns the number of nodes.
func (n *Network) NumNodes() int { return n.nodeCount }

// NumArcs returns the number of arcs.
func (n *Network) NumArcs() int { return n.arcCount }

// Flow returns the flow on arc a after Solve.
func (n *Network) Flow(a int) int64 {
	f := n.flow[n.nodeCount+a]
	if n.lower != nil {
		f += n.lower[a]
	}
	return f
}

// Potential returns the dual value of node v after Solve: for every arc
// u → w, cost + Potential(u) − Potential(w) is ≥ 0 when the arc carries
// less than its upper bound and ≤ 0 when it carries more than its lower
// bound (complementary slackness, the certificate of optimality).
func (n *Network) Potential(v int) int64 { return n.pi[v] - n.pi[n.nodeCount] }

// Cost returns the total cost of the flow; ok is false if it overflows int64.
func (n *Network) Cost() (total int64, ok bool) {
	for a := range n.arcCount {
		hi, lo := bits.Mul64(uint64(abs64(n.Flow(a))), uint64(abs64(n.cost[n.nodeCount+a])))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		t := int64(lo)
		if (n.Flow(a) < 0) != (n.cost[n.nodeCount+a] < 0) {
			t = -t
		}
		s := total + t
		if (t > 0 && s < total) || (t < 0 && s > total) {
			return 0, false
		}
		total = s
	}
	return total, true
}

// Pivots returns the number of simplex pivots done so far.
func (n *Network) Pivots() int { return n.pivots }

// SetCost changes the cost of arc a. The next Solve starts from the
// current flow and spanning tree, re-optimising for the new costs.
func (n *Network) SetCost(a int, cost int64) {
	n.cost[n.prefix+a] = cost
	n.costsChecked = false
	n.stalePotentials = true
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func blockSize(arcs int) int {
	b := int(math.Sqrt(float64(arcs)))
	return max(b, 10)
}

// layout puts the artificial arcs (one per node) in front of the real
// arcs, shifting the real ones if nodes were added beyond the reserve, and
// allocates the tree arrays.
func (n *Network) layout() {
	nn := n.nodeCount
	if n.prefix != nn {
		shift := func(old []int32) []int32 {
			s := make([]int32, nn, nn+n.arcCount)
			return append(s, old[n.prefix:]...)
		}
		shift64 := func(old []int64) []int64 {
			s := make([]int64, nn, nn+n.arcCount)
			return append(s, old[n.prefix:]...)
		}
		n.src, n.dst = shift(n.src), shift(n.dst)
		n.cost, n.cap, n.flow = shift64(n.cost), shift64(n.cap), shift64(n.flow)
		st := make([]int8, nn, nn+n.arcCount)
		n.state = append(st, n.state[n.prefix:]...)
		n.prefix = nn
	}
	n.laidOut = true
	size := nn + 1
	n.pi = make([]int64, size)
	n.parent = make([]int32, size)
	n.pred = make([]int32, size)
	n.thread = make([]int32, size)
	n.revThread = make([]int32, size)
	n.succNum = make([]int32, size)
	n.lastSucc = make([]int32, size)
	n.predDir = make([]int8, size)
}

// shiftedSupply returns the supplies after moving every lower bound into
// them (flow' = flow − lower).
func (n *Network) shiftedSupply() []int64 {
	s := append([]int64(nil), n.supply...)
	if n.lower != nil {
		for i, l := range n.lower {
			if l != 0 {
				a := n.nodeCount + i
				s[n.src[a]] -= l
				s[n.dst[a]] += l
			}
		}
	}
	return s
}

// Solve finds a minimum-cost flow. It returns ErrInfeasible when the
// supplies do not sum to zero or no flow meets them, ErrUnbounded for a
// negative cycle without capacity, ErrCostRange when costs could overflow,
// and ctx's error when cancelled (the flow is then feasible but not
// optimal). Calling Solve again after AddArc or SetCost continues from the
// current optimum.
func (n *Network) Solve(ctx context.Context) error {
	if !n.laidOut {
		n.layout()
	}
	if !n.started {
		if err := n.startArtificial(); err != nil {
			return err
		}
	}
	if !n.costsChecked && !n.trusted {
		if err := n.checkCosts(); err != nil {
			return err
		}
	}
	if n.stalePotentials {
		n.computePotentials()
		n.stalePotentials = false
	}
	if err := n.run(ctx); err != nil {
		return err
	}
	if !n.treeFromFlow {
		// With the big-M start, a positive flow left on an artificial
		// arc means the supplies cannot be met.
		for v := range n.nodeCount {
			if n.flow[v] != 0 {
				return ErrInfeasible
			}
		}
	}
	return nil
}

func (n *Network) checkCosts() error {
	var mx int64
	for a := n.nodeCount; a < len(n.cost); a++ {
		c := n.cost[a]
		if c >= costLimit || c <= -costLimit {
			return ErrCostRange
		}
		mx = max(mx, abs64(c))
	}
	// |potential| ≤ (nodes) × max|cost| + artificial cost along any tree path.
	hi, lo := bits.Mul64(uint64(mx), uint64(n.nodeCount+1))
	if hi != 0 || lo+uint64(n.artificialCost) >= costLimit/2 {
		return ErrCostRange
	}
	n.costsChecked = true
	return nil
}

// startArtificial builds the textbook starting tree: every node hangs from
// the root by an artificial arc carrying its supply (or demand), which
// costs 0 from supply nodes and a big M to demand nodes, so that any real
// path is cheaper and artificial flow remains only if the problem is
// infeasible.
func (n *Network) startArtificial() error {
	nn := n.nodeCount
	s := n.shiftedSupply()
	var sum int64
	for _, v := range s {
		sum += v
	}
	if sum != 0 {
		return fmt.Errorf("supplies sum to %d, not 0: %w", sum, ErrInfeasible)
	}
	var mx int64
	for a := nn; a < len(n.cost); a++ {
		mx = max(mx, abs64(n.cost[a]))
	}
	hi, lo := bits.Mul64(uint64(mx)+1, uint64(nn+1))
	if hi != 0 || lo >= costLimit/4 {
		return ErrCostRange
	}
	n.artificialCost = int64(lo)
	root := int32(nn)
	for v := range nn {
		n.parent[v] = root
		n.pred[v] = int32(v)
		n.thread[v] = int32(v + 1)
		n.revThread[v+1] = int32(v)
		n.succNum[v] = 1
		n.lastSucc[v] = int32(v)
		n.cap[v] = Unbounded
		n.state[v] = stateTree
		if s[v] >= 0 {
			n.predDir[v] = dirUp
			n.src[v], n.dst[v] = int32(v), root
			n.flow[v] = s[v]
			n.cost[v] = 0
		} else {
			n.predDir[v] = dirDown
			n.src[v], n.dst[v] = root, int32(v)
			n.flow[v] = -s[v]
			n.cost[v] = n.artificialCost
		}
	}
	n.parent[root] = -1
	n.pred[root] = -1
	n.thread[root] = 0
	n.revThread[0] = root
	if nn == 0 {
		n.thread[root] = root
		n.revThread[root] = root
	}
	n.succNum[root] = int32(nn + 1)
	n.lastSucc[root] = int32(nn - 1)
	if nn == 0 {
		n.lastSucc[root] = root
	}
	n.started = true
	n.stalePotentials = true
	n.blockSize = blockSize(len(n.src) - nn)
	return nil
}

// startFromFlow builds a strongly feasible starting tree from a feasible
// flow on the real arcs (flow[a] for arc a, including its lower bound) and
// a parent arc for every node: treeArc[v] is the real arc joining v to its
// parent, or −1 to hang v from the artificial root by a zero-flow
// artificial arc pointing to the root. The caller guarantees that the
// parents form a forest, that every flow is within bounds and meets the
// supplies, that every real arc not in the tree is at a bound, and that
// every tree arc at a bound points to the root side when at its lower bound
// and away from it when at its upper bound. Artificial arcs are never
// priced, so they stay at zero flow.
func (n *Network) startFromFlow(flow []int64, treeArc []int32) {
	if !n.laidOut {
		n.layout()
	}
	nn := n.nodeCount
	root := int32(nn)
	for a := range n.arcCount {
		f := flow[a]
		if n.lower != nil {
			f -= n.lower[a]
		}
		n.flow[nn+a] = f
		switch {
		case f == 0:
			n.state[nn+a] = stateLower
		case f == n.cap[nn+a]:
			n.state[nn+a] = stateUpper
		default:
			// Only tree arcs may be strictly inside their bounds; the
			// tree loop below marks them.
			n.state[nn+a] = stateTree
		}
	}
	// Children lists, then a preorder walk for thread and subtree sizes.
	head := make([]int32, nn+1)
	next := make([]int32, nn+1)
	for i := range head {
		head[i] = -1
	}
	for v := nn - 1; v >= 0; v-- {
		var p int32
		if treeArc[v] < 0 {
			p = root
			n.pred[v] = int32(v)
			n.src[v], n.dst[v] = int32(v), root
			n.cap[v] = Unbounded
			n.cost[v] = 0
			n.flow[v] = 0
			n.state[v] = stateTree
			n.predDir[v] = dirUp
		} else {
			a := nn + int(treeArc[v])
			n.pred[v] = int32(a)
			n.state[a] = stateTree
			if n.src[a] == int32(v) {
				p = n.dst[a]
				n.predDir[v] = dirUp
			} else {
				p = n.src[a]
				n.predDir[v] = dirDown
			}
		}
		n.parent[v] = p
		next[v] = head[p]
		head[p] = int32(v)
	}
	for v := range nn {
		if treeArc[v] >= 0 {
			n.src[v], n.dst[v] = int32(v), root
			n.cap[v] = Unbounded
			n.cost[v] = 0
			n.flow[v] = 0
			n.state[v] = stateLower
		}
	}
	for a := range n.arcCount {
		if n.state[nn+a] == stateTree && n.pred[n.src[nn+a]] != int32(nn+a) && n.pred[n.dst[nn+a]] != int32(nn+a) {
			panic(fmt.Sprintf("catchment: arc %d is strictly inside its bounds but not in the starting tree", a))
		}
	}
	n.parent[root] = -1
	n.pred[root] = -1
	// Iterative preorder.
	stack := []int32{root}
	prev := int32(-1)
	order := make([]int32, 0, nn+1)
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if prev >= 0 {
			n.thread[prev] = v
			n.revThread[v] = prev
		}
		prev = v
		order = append(order, v)
		for c := head[v]; c >= 0; c = next[c] {
			stack = append(stack, c)
		}
	}
	if len(order) != nn+1 {
		panic("catchment: starting tree does not span every node")
	}
	n.thread[prev] = root
	n.revThread[root] = prev
	for _, v := range order {
		n.succNum[v] = 1
	}
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		if v != root {
			n.succNum[n.parent[v]] += n.succNum[v]
		}
	}
	// lastSucc: the last node of v's preorder block.
	for i, v := range order {
		n.lastSucc[v] = order[i+int(n.succNum[v])-1]
	}
	n.treeFromFlow = true
	n.started = true
	n.stalePotentials = true
	n.blockSize = blockSize(len(n.src) - nn)
}

// computePotentials sets π along the tree from the root: for every tree arc
// u → v, cost + π(u) − π(v) = 0.
func (n *Network) computePotentials() {
	root := int32(n.nodeCount)
	n.pi[root] = 0
	for v := n.thread[root]; v != root; v = n.thread[v] {
		a := n.pred[v]
		if n.predDir[v] == dirUp {
			n.pi[v] = n.pi[n.parent[v]] - n.cost[a]
		} else {
			n.pi[v] = n.pi[n.parent[v]] + n.cost[a]
		}
	}
}

// findEntering is block-search pricing: scan blocks of arcs from where the
// last search stopped and take the most violating arc of the first block
// that has one. It returns −1 when no arc violates optimality.
func (n *Network) findEntering() int {
	first := n.nodeCount
	m := len(n.src)
	if m == first {
		return -1
	}
	if n.nextArc < first || n.nextArc >= m {
		n.nextArc = first
	}
	src, dst, cost, state, pi := n.src, n.dst, n.cost, n.state, n.pi
	var best int64
	in := -1
	cnt := n.blockSize
	e := n.nextArc
	for range m - first {
		if s := state[e]; s != stateTree {
			c := int64(s) * (cost[e] + pi[src[e]] - pi[dst[e]])
			if c < best {
				best = c
				in = e
			}
		}
		e++
		if e == m {
			e = first
		}
		cnt--
		if cnt == 0 {
			if best < 0 {
				break
			}
			cnt = n.blockSize
		}
	}
	n.nextArc = e
	return in
}

// run pivots until no arc prices out.
func (n *Network) run(ctx context.Context) error {
	const checkEvery = 1 << 14
	for {
		in := n.findEntering()
		if in < 0 {
			return nil
		}
		if err := n.pivot(in); err != nil {
			return err
		}
		n.pivots++
		if n.pivots%checkEvery == 0 && ctx != nil {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// pivot brings arc in into the tree and takes the leaving arc out
// (Cunningham's rule: the last blocking arc met when walking the cycle in
// the direction of the flow change, starting at the join node).
func (n *Network) pivot(in int) error {
	parent, pred, predDir, flow, cap := n.parent, n.pred, n.predDir, n.flow, n.cap
	var first, second int32
	if n.state[in] == stateLower {
		first, second = n.src[in], n.dst[in]
	} else {
		first, second = n.dst[in], n.src[in]
	}
	u, v := n.src[in], n.dst[in]
	for u != v {
		if n.succNum[u] < n.succNum[v] {
			u = parent[u]
		} else {
			v = parent[v]
		}
	}
	join := u

	delta := cap[in]
	result := 0
	var uOut int32 = -1
	for u := first; u != join; u = parent[u] {
		e := pred[u]
		d := flow[e]
		if predDir[u] == dirDown {
			if c := cap[e]; c == Unbounded {
				d = Unbounded
			} else {
				d = c - d
			}
		}
		if d < delta {
			delta, uOut, result = d, u, 1
		}
	}
	for u := second; u != join; u = parent[u] {
		e := pred[u]
		d := flow[e]
		if predDir[u] == dirUp {
			if c := cap[e]; c == Unbounded {
				d = Unbounded
			} else {
				d = c - d
			}
		}
		if d <= delta {
			delta, uOut, result = d, u, 2
		}
	}
	if delta == Unbounded {
		return ErrUnbounded
	}
	if delta > 0 {
		val := int64(n.state[in]) * delta
		flow[in] += val
		for u := n.src[in]; u != join; u = parent[u] {
			flow[pred[u]] -= int64(predDir[u]) * val
		}
		for u := n.dst[in]; u != join; u = parent[u] {
			flow[pred[u]] += int64(predDir[u]) * val
		}
	}
	if result == 0 {
		// The entering arc itself blocks: it only moves to its other bound.
		n.state[in] = -n.state[in]
		return nil
	}
	var uIn, vIn int32
	if result == 1 {
		uIn, vIn = first, second
	} else {
		uIn, vIn = second, first
	}
	out := pred[uOut]
	n.state[in] = stateTree
	if flow[out] == 0 {
		n.state[out] = stateLower
	} else {
		n.state[out] = stateUpper
	}
	n.updateTree(int32(in), uIn, vIn, uOut, join)
	return nil
}

// updateTree removes the subtree S under uOut, re-roots it at uIn and hangs
// it under vIn by the entering arc in, then shifts the potentials of S.
//
// With the stem s0 = uIn, s1 = parent(s0), …, sk = uOut, the new preorder
// of S is R0, R1, …, Rk where Ri is the old preorder block of si without
// the block of s(i−1); S is spliced into the thread right after vIn.
func (n *Network) updateTree(in, uIn, vIn, uOut, join int32) {
	parent, pred, predDir := n.parent, n.pred, n.predDir
	thread, revThread, succNum, lastSucc := n.thread, n.revThread, n.succNum, n.lastSucc
	vOut := parent[uOut]
	sz := succNum[uOut]

	n.stem = n.stem[:0]
	for u := uIn; ; u = parent[u] {
		n.stem = append(n.stem, u)
		if u == uOut {
			break
		}
	}
	stem := n.stem
	k := len(stem) - 1
	n.stemSucc = n.stemSucc[:0]
	n.stemLast = n.stemLast[:0]
	n.stemPred = n.stemPred[:0]
	n.stemDir = n.stemDir[:0]
	for _, s := range stem {
		n.stemSucc = append(n.stemSucc, succNum[s])
		n.stemLast = append(n.stemLast, lastSucc[s])
		n.stemPred = append(n.stemPred, pred[s])
		n.stemDir = append(n.stemDir, predDir[s])
	}
	// Thread segments of the new order, read from the old thread.
	segs := n.segs[:0]
	segs = append(segs, stem[0], n.stemLast[0])
	for i := 1; i <= k; i++ {
		segs = append(segs, stem[i], revThread[stem[i-1]])
		if n.stemLast[i-1] != n.stemLast[i] {
			segs = append(segs, thread[n.stemLast[i-1]], n.stemLast[i])
		}
	}
	n.segs = segs

	// Cut S out of the thread.
	before := revThread[uOut]
	oldLast := n.stemLast[k]
	after := thread[oldLast]
	thread[before] = after
	revThread[after] = before
	for a := vOut; a >= 0 && lastSucc[a] == oldLast; a = parent[a] {
		lastSucc[a] = before
	}
	for a := vOut; a != join; a = parent[a] {
		succNum[a] -= sz
	}

	// Splice the new order of S after vIn.
	afterV := thread[vIn]
	prev := vIn
	for i := 0; i < len(segs); i += 2 {
		f, l := segs[i], segs[i+1]
		thread[prev] = f
		revThread[f] = prev
		prev = l
	}
	thread[prev] = afterV
	revThread[afterV] = prev
	newLast := prev

	// Reverse the stem.
	for i := k; i >= 1; i-- {
		parent[stem[i]] = stem[i-1]
		pred[stem[i]] = n.stemPred[i-1]
		predDir[stem[i]] = -n.stemDir[i-1]
	}
	parent[uIn] = vIn
	pred[uIn] = in
	if n.src[in] == uIn {
		predDir[uIn] = dirUp
	} else {
		predDir[uIn] = dirDown
	}
	var acc int32
	for i := k; i >= 0; i-- {
		r := n.stemSucc[i]
		if i > 0 {
			r -= n.stemSucc[i-1]
		}
		acc += r
		succNum[stem[i]] = acc
		lastSucc[stem[i]] = newLast
	}
	if lastSucc[vIn] == vIn {
		for a := vIn; a >= 0 && lastSucc[a] == vIn; a = parent[a] {
			lastSucc[a] = newLast
		}
	}
	for a := vIn; a != join; a = parent[a] {
		succNum[a] += sz
	}

	// Shift the potentials of S so that the entering arc has reduced cost 0.
	var want int64
	if n.src[in] == uIn {
		want = n.pi[vIn] - n.cost[in]
	} else {
		want = n.pi[vIn] + n.cost[in]
	}
	sigma := want - n.pi[uIn]
	if sigma != 0 {
		pi := n.pi
		u := uIn
		for range sz {
			pi[u] += sigma
			u = thread[u]
		}
	}
}
