package vrp

import (
	"math"
	"math/rand/v2"
	"slices"
)

// maxLoops bounds the passes of one local search run.
const maxLoops = 1000

// lsNode is a customer or a route's start or end depot in the local
// search's doubly linked routes. Cumulated values run from the route's
// start up to and including the node.
type lsNode struct {
	next, prev int32
	route      int32
	pos        int32 // position in the route (start depot 0)
	id         int32 // matrix index: the customer, or 0 for a depot
	depot      bool
	testedRI   int // move counter when this node's moves were last tested
	cumLoad    float64
	cumTime    float64 // travel plus service from the start
	// cumRev is how much the path from the start to here costs more when
	// walked backwards (0 for symmetric costs).
	cumRev     float64
	delRemoval float64 // travel saved by removing the node (SWAP*)
}

// lsRoute holds one route's summaries, so that a move is priced in
// constant time.
type lsRoute struct {
	start, end     int32 // depot nodes
	count          int   // customers
	modified       int   // move counter at the last change
	testedSwapStar int
	duration, load float64
	reversal       float64 // cost change if the whole route is reversed
	penalty        float64
	bary           float64 // polar angle of the customers' barycentre
	sec            sector
}

// threeBest keeps the three cheapest insertion places of a customer in a
// route (SWAP*).
type threeBest struct {
	when int
	cost [3]float64
	at   [3]int32 // node after which to insert; -1: none
}

func (t *threeBest) reset() {
	t.cost = [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	t.at = [3]int32{-1, -1, -1}
}

func (t *threeBest) add(c float64, at int32) {
	switch {
	case c >= t.cost[2]:
	case c >= t.cost[1]:
		t.cost[2], t.at[2] = c, at
	case c >= t.cost[0]:
		t.cost[2], t.at[2] = t.cost[1], t.at[1]
		t.cost[1], t.at[1] = c, at
	default:
		t.cost[2], t.at[2] = t.cost[1], t.at[1]
		t.cost[1], t.at[1] = t.cost[0], t.at[0]
		t.cost[0], t.at[0] = c, at
	}
}

// localSearch improves one plan with HGS-CVRP's neighbourhoods: relocate
// one or two customers (also reversed), swap 1–1, 2–1 and 2–2, 2-opt
// inside a route, 2-opt* between routes (both reconnections), all
// restricted to each customer's nearest neighbours, then SWAP* between
// routes (Vidal 2022). Moves are first-improvement on the penalised cost.
type localSearch struct {
	in     *instance
	dist   []float64 // in.dist
	side   int       // in.side
	cap    float64   // in.cap
	dur    float64   // in.dur
	fixed  float64   // in.fixed
	rng    *rand.Rand
	nodes  []lsNode
	routes []lsRoute
	near   [][]int32 // shuffled copies of in.near
	order  []int32   // customers in random order
	rorder []int32   // routes in random order
	best   [][]threeBest
	pen    penalties
	moves  int
	loop   int
	done   bool
	nEmpty int
	swapV  []swapCand // SWAP* scratch
	// the move under evaluation: uPrev → u → x → xNext, vPrev → v → y → yNext
	u, x, v, y                 int32
	uPrevID, uID, xID, xNextID int32
	vPrevID, vID, yID, yNextID int32
	loadU, loadX, loadV, loadY float64
	svcU, svcX, svcV, svcY     float64
	ru, rv                     *lsRoute
	intra                      bool
	// Costs of the legs around u and v, looked up once per u or v:
	// uPrev→u, u→x, x→xNext, uPrev→x, uPrev→xNext, x→u; v→y, vPrev→v, y→yNext.
	dPU, dUX, dXN, dPX, dPN, dXU float64
	dVY, dQV, dYN                float64
}

func newLocalSearch(in *instance, rng *rand.Rand) *localSearch {
	n, R := in.n, in.slots
	ls := &localSearch{in: in, rng: rng, dist: in.dist, side: in.side, cap: in.cap, dur: in.dur, fixed: in.fixed,
		nodes:  make([]lsNode, n+1+2*R),
		routes: make([]lsRoute, R),
		near:   make([][]int32, n+1),
		best:   make([][]threeBest, R),
	}
	for i := 1; i <= n; i++ {
		ls.nodes[i].id = int32(i)
		ls.near[i] = slices.Clone(in.near[i])
		ls.order = append(ls.order, int32(i))
	}
	for r := range R {
		s, e := int32(n+1+r), int32(n+1+R+r)
		ls.nodes[s] = lsNode{depot: true, route: int32(r)}
		ls.nodes[e] = lsNode{depot: true, route: int32(r)}
		ls.routes[r].start, ls.routes[r].end = s, e
		ls.rorder = append(ls.rorder, int32(r))
		ls.best[r] = make([]threeBest, n+1)
	}
	return ls
}

func (ls *localSearch) penDur(t float64) float64  { return max(0, t-ls.in.dur) * ls.pen.dur }
func (ls *localSearch) penLoad(l float64) float64 { return max(0, l-ls.in.cap) * ls.pen.load }

// d is the cost between the nodes with matrix indices a and b.
func (ls *localSearch) d(a, b int32) float64 { return ls.dist[int(a)*ls.side+int(b)] }

// run improves ind in place under the penalties pen.
func (ls *localSearch) run(ind *individual, pen penalties) {
	ls.pen = pen
	ls.load(ind)
	rng := ls.rng
	rng.Shuffle(len(ls.order), func(i, j int) { ls.order[i], ls.order[j] = ls.order[j], ls.order[i] })
	rng.Shuffle(len(ls.rorder), func(i, j int) { ls.rorder[i], ls.rorder[j] = ls.rorder[j], ls.rorder[i] })
	// Reshuffle about n/k neighbour lists per run: linear time overall.
	for i := 1; i <= ls.in.n; i++ {
		if rng.IntN(ls.in.k) == 0 {
			nb := ls.near[i]
			rng.Shuffle(len(nb), func(a, b int) { nb[a], nb[b] = nb[b], nb[a] })
		}
	}
	// Penalised costs reach pen × duration; float64 rounding there is
	// about 1e-16 of it, so a move must gain well above that or the
	// search could cycle on rounding noise (with large penalties and
	// route costs it did).
	in := ls.in
	mag := in.fixed
	if in.hasDur {
		mag += pen.dur * in.dur
	}
	if in.hasCap {
		mag += pen.load * in.cap
	}
	eps := max(in.eps, 1e-12*mag)
	ls.done = false
	// The loop limit is a safety net: each loop makes at least one
	// improving move, and a run normally ends after a handful of loops.
	for ls.loop = 0; !ls.done && ls.loop < maxLoops; ls.loop++ {
		if ls.loop > 1 { // at least two loops: moves into empty routes wait for the second
			ls.done = true
		}
		for _, u := range ls.order {
			ls.u = u
			lastTested := ls.nodes[u].testedRI
			ls.nodes[u].testedRI = ls.moves
			uSet := false
			for _, v := range ls.near[u] {
				ls.v = v
				if ls.loop > 0 && max(ls.routes[ls.nodes[u].route].modified, ls.routes[ls.nodes[v].route].modified) <= lastTested {
					continue
				}
				// u's surroundings change only when a move is made, and
				// every move ends this iteration with uSet = false.
				if !uSet {
					ls.setU()
					uSet = true
				}
				ls.setV()
				if ls.move1(eps) || ls.move2(eps) || ls.move3(eps) ||
					(ls.uID <= ls.vID && ls.move4(eps)) || ls.move5(eps) ||
					(ls.uID <= ls.vID && ls.move6(eps)) ||
					(ls.intra && ls.move7(eps)) ||
					(!ls.intra && (ls.move8(eps) || ls.move9(eps))) {
					uSet = false
					continue
				}
				// Insertions right after the depot of v's route.
				if p := ls.nodes[v].prev; ls.nodes[p].depot {
					ls.v = p
					ls.setV()
					if ls.move1(eps) || ls.move2(eps) || ls.move3(eps) ||
						(!ls.intra && (ls.move8(eps) || ls.move9(eps))) {
						uSet = false
						continue
					}
				}
			}
			// Moves into an empty route, not in the first loop to keep
			// the fleet from growing too eagerly.
			if ls.loop > 0 && ls.nEmpty > 0 {
				for r := range ls.routes {
					if ls.routes[r].count == 0 {
						ls.v = ls.routes[r].start
						break
					}
				}
				ls.setU()
				ls.setV()
				if ls.move1(eps) || ls.move2(eps) || ls.move3(eps) || ls.move9(eps) {
					continue
				}
			}
		}
		for ri, a := range ls.rorder {
			ra := &ls.routes[a]
			lastTested := ra.testedSwapStar
			ra.testedSwapStar = ls.moves
			for _, b := range ls.rorder[ri+1:] {
				rb := &ls.routes[b]
				if ra.count == 0 || rb.count == 0 {
					continue
				}
				if ls.loop > 0 && max(ra.modified, rb.modified) <= lastTested {
					continue
				}
				if ls.in.polar != nil && !overlap(&ra.sec, &rb.sec) {
					continue
				}
				ls.ru, ls.rv = ra, rb
				ls.swapStar(eps)
			}
		}
	}
	ls.store(ind)
}

func (ls *localSearch) setU() {
	nu := &ls.nodes[ls.u]
	ls.ru = &ls.routes[nu.route]
	ls.x = nu.next
	nx := &ls.nodes[ls.x]
	ls.xNextID = ls.nodes[nx.next].id
	ls.uID = nu.id
	ls.uPrevID = ls.nodes[nu.prev].id
	ls.xID = nx.id
	ls.loadU, ls.svcU = ls.in.dem[ls.uID], ls.in.svc[ls.uID]
	ls.loadX, ls.svcX = ls.in.dem[ls.xID], ls.in.svc[ls.xID]
	ls.dPU, ls.dUX, ls.dXN = ls.d(ls.uPrevID, ls.uID), ls.d(ls.uID, ls.xID), ls.d(ls.xID, ls.xNextID)
	ls.dPX, ls.dPN, ls.dXU = ls.d(ls.uPrevID, ls.xID), ls.d(ls.uPrevID, ls.xNextID), ls.d(ls.xID, ls.uID)
}

func (ls *localSearch) setV() {
	nv := &ls.nodes[ls.v]
	ls.rv = &ls.routes[nv.route]
	ls.y = nv.next
	ny := &ls.nodes[ls.y]
	ls.yNextID = ls.nodes[ny.next].id
	ls.vID = nv.id
	ls.vPrevID = ls.nodes[nv.prev].id
	ls.yID = ny.id
	ls.loadV, ls.svcV = ls.in.dem[ls.vID], ls.in.svc[ls.vID]
	ls.loadY, ls.svcY = ls.in.dem[ls.yID], ls.in.svc[ls.yID]
	ls.intra = ls.ru == ls.rv
	ls.dVY, ls.dQV, ls.dYN = ls.d(ls.vID, ls.yID), ls.d(ls.vPrevID, ls.vID), ls.d(ls.yID, ls.yNextID)
}

// fixedDelta is the change of fixed route costs when routes U and V go
// from their current customer counts to cu and cv.
func (ls *localSearch) fixedDelta(cu, cv int) float64 {
	if ls.fixed == 0 {
		return 0
	}
	return ls.fixed * float64(used(cu)+used(cv)-used(ls.ru.count)-used(ls.rv.count))
}

func used(c int) int {
	if c > 0 {
		return 1
	}
	return 0
}

// applied records a move and refreshes the routes it touched.
func (ls *localSearch) applied() bool {
	ls.moves++
	ls.done = false
	ls.update(ls.ru)
	if !ls.intra {
		ls.update(ls.rv)
	}
	return true
}

// move1 relocates u after v.
func (ls *localSearch) move1(eps float64) bool {
	cu := ls.dPX - ls.dPU - ls.dUX
	cv := ls.d(ls.vID, ls.uID) + ls.d(ls.uID, ls.yID) - ls.dVY
	if !ls.intra {
		f := ls.fixedDelta(ls.ru.count-1, ls.rv.count+1)
		if cu+cv+f >= ls.ru.penalty+ls.rv.penalty {
			return false
		}
		cu += f + ls.penDur(ls.ru.duration+cu-ls.svcU) + ls.penLoad(ls.ru.load-ls.loadU) - ls.ru.penalty
		cv += ls.penDur(ls.rv.duration+cv+ls.svcU) + ls.penLoad(ls.rv.load+ls.loadU) - ls.rv.penalty
	}
	if cu+cv > -eps || ls.u == ls.y {
		return false
	}
	ls.insert(ls.u, ls.v)
	return ls.applied()
}

// move2 relocates the pair (u, x) after v.
func (ls *localSearch) move2(eps float64) bool {
	if ls.nodes[ls.x].depot || ls.u == ls.y || ls.v == ls.x {
		return false
	}
	cu := ls.dPN - ls.dPU - ls.dXN
	cv := ls.d(ls.vID, ls.uID) + ls.d(ls.xID, ls.yID) - ls.dVY
	if !ls.intra {
		f := ls.fixedDelta(ls.ru.count-2, ls.rv.count+2)
		if cu+cv+f >= ls.ru.penalty+ls.rv.penalty {
			return false
		}
		ux := ls.dUX
		cu += f + ls.penDur(ls.ru.duration+cu-ux-ls.svcU-ls.svcX) + ls.penLoad(ls.ru.load-ls.loadU-ls.loadX) - ls.ru.penalty
		cv += ls.penDur(ls.rv.duration+cv+ux+ls.svcU+ls.svcX) + ls.penLoad(ls.rv.load+ls.loadU+ls.loadX) - ls.rv.penalty
	}
	if cu+cv > -eps {
		return false
	}
	ls.insert(ls.u, ls.v)
	ls.insert(ls.x, ls.u)
	return ls.applied()
}

// move3 relocates the pair (u, x) after v as (x, u).
func (ls *localSearch) move3(eps float64) bool {
	if ls.nodes[ls.x].depot || ls.u == ls.y || ls.v == ls.x {
		return false
	}
	cu := ls.dPN - ls.dPU - ls.dUX - ls.dXN
	cv := ls.d(ls.vID, ls.xID) + ls.dXU + ls.d(ls.uID, ls.yID) - ls.dVY
	if !ls.intra {
		f := ls.fixedDelta(ls.ru.count-2, ls.rv.count+2)
		if cu+cv+f >= ls.ru.penalty+ls.rv.penalty {
			return false
		}
		cu += f + ls.penDur(ls.ru.duration+cu-ls.svcU-ls.svcX) + ls.penLoad(ls.ru.load-ls.loadU-ls.loadX) - ls.ru.penalty
		cv += ls.penDur(ls.rv.duration+cv+ls.svcU+ls.svcX) + ls.penLoad(ls.rv.load+ls.loadU+ls.loadX) - ls.rv.penalty
	}
	if cu+cv > -eps {
		return false
	}
	ls.insert(ls.x, ls.v)
	ls.insert(ls.u, ls.x)
	return ls.applied()
}

// move4 swaps u and v.
func (ls *localSearch) move4(eps float64) bool {
	if ls.uID == ls.vPrevID || ls.uID == ls.yID || ls.nodes[ls.v].depot {
		return false
	}
	cu := ls.d(ls.uPrevID, ls.vID) + ls.d(ls.vID, ls.xID) - ls.dPU - ls.dUX
	cv := ls.d(ls.vPrevID, ls.uID) + ls.d(ls.uID, ls.yID) - ls.dQV - ls.dVY
	if !ls.intra {
		if cu+cv >= ls.ru.penalty+ls.rv.penalty {
			return false
		}
		cu += ls.penDur(ls.ru.duration+cu+ls.svcV-ls.svcU) + ls.penLoad(ls.ru.load+ls.loadV-ls.loadU) - ls.ru.penalty
		cv += ls.penDur(ls.rv.duration+cv-ls.svcV+ls.svcU) + ls.penLoad(ls.rv.load+ls.loadU-ls.loadV) - ls.rv.penalty
	}
	if cu+cv > -eps {
		return false
	}
	ls.swap(ls.u, ls.v)
	return ls.applied()
}

// move5 swaps the pair (u, x) with v.
func (ls *localSearch) move5(eps float64) bool {
	if ls.u == ls.nodes[ls.v].prev || ls.x == ls.nodes[ls.v].prev || ls.u == ls.y ||
		ls.nodes[ls.x].depot || ls.nodes[ls.v].depot {
		return false
	}
	cu := ls.d(ls.uPrevID, ls.vID) + ls.d(ls.vID, ls.xNextID) - ls.dPU - ls.dXN
	cv := ls.d(ls.vPrevID, ls.uID) + ls.d(ls.xID, ls.yID) - ls.dQV - ls.dVY
	if !ls.intra {
		if cu+cv >= ls.ru.penalty+ls.rv.penalty {
			return false
		}
		ux := ls.dUX
		cu += ls.penDur(ls.ru.duration+cu-ux+ls.svcV-ls.svcU-ls.svcX) + ls.penLoad(ls.ru.load+ls.loadV-ls.loadU-ls.loadX) - ls.ru.penalty
		cv += ls.penDur(ls.rv.duration+cv+ux-ls.svcV+ls.svcU+ls.svcX) + ls.penLoad(ls.rv.load+ls.loadU+ls.loadX-ls.loadV) - ls.rv.penalty
	}
	if cu+cv > -eps {
		return false
	}
	ls.swap(ls.u, ls.v)
	ls.insert(ls.x, ls.u)
	return ls.applied()
}

// move6 swaps the pairs (u, x) and (v, y).
func (ls *localSearch) move6(eps float64) bool {
	if ls.nodes[ls.x].depot || ls.nodes[ls.y].depot || ls.nodes[ls.v].depot ||
		ls.y == ls.nodes[ls.u].prev || ls.u == ls.y || ls.x == ls.v || ls.v == ls.nodes[ls.x].next {
		return false
	}
	cu := ls.d(ls.uPrevID, ls.vID) + ls.d(ls.yID, ls.xNextID) - ls.dPU - ls.dXN
	cv := ls.d(ls.vPrevID, ls.uID) + ls.d(ls.xID, ls.yNextID) - ls.dQV - ls.dYN
	if !ls.intra {
		if cu+cv >= ls.ru.penalty+ls.rv.penalty {
			return false
		}
		ux, vy := ls.dUX, ls.dVY
		cu += ls.penDur(ls.ru.duration+cu-ux+vy+ls.svcV+ls.svcY-ls.svcU-ls.svcX) + ls.penLoad(ls.ru.load+ls.loadV+ls.loadY-ls.loadU-ls.loadX) - ls.ru.penalty
		cv += ls.penDur(ls.rv.duration+cv+ux-vy-ls.svcV-ls.svcY+ls.svcU+ls.svcX) + ls.penLoad(ls.rv.load+ls.loadU+ls.loadX-ls.loadV-ls.loadY) - ls.rv.penalty
	}
	if cu+cv > -eps {
		return false
	}
	ls.swap(ls.u, ls.v)
	ls.swap(ls.x, ls.y)
	return ls.applied()
}

// move7 is 2-opt inside a route: (u, x) and (v, y) become (u, v) and
// (x, y), reversing x..v.
func (ls *localSearch) move7(eps float64) bool {
	nu, nv := &ls.nodes[ls.u], &ls.nodes[ls.v]
	if nu.pos > nv.pos || nu.next == ls.v {
		return false
	}
	c := ls.d(ls.uID, ls.vID) + ls.d(ls.xID, ls.yID) - ls.dUX - ls.dVY + nv.cumRev - ls.nodes[ls.x].cumRev
	if c > -eps {
		return false
	}
	nodes := ls.nodes
	cur := nodes[ls.x].next
	nodes[ls.x].prev = cur
	nodes[ls.x].next = ls.y
	for cur != ls.v {
		t := nodes[cur].next
		nodes[cur].next = nodes[cur].prev
		nodes[cur].prev = t
		cur = t
	}
	nodes[ls.v].next = nodes[ls.v].prev
	nodes[ls.v].prev = ls.u
	nodes[ls.u].next = ls.v
	nodes[ls.y].prev = ls.x
	return ls.applied()
}

// move8 is 2-opt* between routes: (u, x) and (v, y) become (u, v) and
// (x, y): the start of U's route is followed by the start of V's route
// reversed, and the end of U's route reversed by the end of V's route.
func (ls *localSearch) move8(eps float64) bool {
	nu, nv, nx := &ls.nodes[ls.u], &ls.nodes[ls.v], &ls.nodes[ls.x]
	ru, rv := ls.ru, ls.rv
	f := ls.fixedDelta(int(nu.pos+nv.pos), ru.count+rv.count-int(nu.pos+nv.pos))
	c := ls.d(ls.uID, ls.vID) + ls.d(ls.xID, ls.yID) - ls.dUX - ls.dVY +
		nv.cumRev + ru.reversal - nx.cumRev - ru.penalty - rv.penalty + f
	if c >= 0 {
		return false
	}
	c += ls.penDur(nu.cumTime+nv.cumTime+nv.cumRev+ls.d(ls.uID, ls.vID)) +
		ls.penDur(ru.duration-nu.cumTime-ls.dUX+ru.reversal-nx.cumRev+rv.duration-nv.cumTime-ls.dVY+ls.d(ls.xID, ls.yID)) +
		ls.penLoad(nu.cumLoad+nv.cumLoad) + ls.penLoad(ru.load+rv.load-nu.cumLoad-nv.cumLoad)
	if c > -eps {
		return false
	}
	nodes := ls.nodes
	ruIdx, rvIdx := nodes[ru.start].route, nodes[rv.start].route
	depU, depV := ru.start, rv.start
	depUEnd, depVEnd := ru.end, rv.end
	depVNext := nodes[depV].next
	for xx := ls.x; !nodes[xx].depot; {
		t := nodes[xx].next
		nodes[xx].next = nodes[xx].prev
		nodes[xx].prev = t
		nodes[xx].route = rvIdx
		xx = t
	}
	for vv := ls.v; !nodes[vv].depot; {
		t := nodes[vv].prev
		nodes[vv].prev = nodes[vv].next
		nodes[vv].next = t
		nodes[vv].route = ruIdx
		vv = t
	}
	nodes[ls.u].next = ls.v
	nodes[ls.v].prev = ls.u
	nodes[ls.x].next = ls.y
	nodes[ls.y].prev = ls.x
	switch {
	case nodes[ls.x].depot:
		// x is U's end depot: U's route now ends with V's start, reversed.
		nodes[depUEnd].next = depU
		nodes[depUEnd].prev = depVNext
		nodes[depVNext].next = depUEnd
		nodes[depV].next = ls.y
		nodes[ls.y].prev = depV
	case nodes[ls.v].depot:
		nodes[depV].next = nodes[depUEnd].prev
		nodes[nodes[depV].next].prev = depV
		nodes[depV].prev = depVEnd
		nodes[depUEnd].prev = ls.u
		nodes[ls.u].next = depUEnd
	default:
		nodes[depV].next = nodes[depUEnd].prev
		nodes[nodes[depV].next].prev = depV
		nodes[depUEnd].prev = depVNext
		nodes[depVNext].next = depUEnd
	}
	return ls.applied()
}

// move9 is 2-opt* between routes: (u, x) and (v, y) become (u, y) and
// (v, x): the routes exchange their ends.
func (ls *localSearch) move9(eps float64) bool {
	nu, nv := &ls.nodes[ls.u], &ls.nodes[ls.v]
	ru, rv := ls.ru, ls.rv
	f := ls.fixedDelta(int(nu.pos)+rv.count-int(nv.pos), int(nv.pos)+ru.count-int(nu.pos))
	c := ls.d(ls.uID, ls.yID) + ls.d(ls.vID, ls.xID) - ls.dUX - ls.dVY - ru.penalty - rv.penalty + f
	if c >= 0 {
		return false
	}
	c += ls.penDur(nu.cumTime+rv.duration-nv.cumTime-ls.dVY+ls.d(ls.uID, ls.yID)) +
		ls.penDur(ru.duration-nu.cumTime-ls.dUX+nv.cumTime+ls.d(ls.vID, ls.xID)) +
		ls.penLoad(nu.cumLoad+rv.load-nv.cumLoad) + ls.penLoad(nv.cumLoad+ru.load-nu.cumLoad)
	if c > -eps {
		return false
	}
	nodes := ls.nodes
	ruIdx, rvIdx := nodes[ru.start].route, nodes[rv.start].route
	depUEnd, depVEnd := ru.end, rv.end
	depUPred := nodes[depUEnd].prev
	for k := ls.y; !nodes[k].depot; k = nodes[k].next {
		nodes[k].route = ruIdx
	}
	for k := ls.x; !nodes[k].depot; k = nodes[k].next {
		nodes[k].route = rvIdx
	}
	nodes[ls.u].next = ls.y
	nodes[ls.y].prev = ls.u
	nodes[ls.v].next = ls.x
	nodes[ls.x].prev = ls.v
	if nodes[ls.x].depot {
		nodes[depUEnd].prev = nodes[depVEnd].prev
		nodes[nodes[depUEnd].prev].next = depUEnd
		nodes[ls.v].next = depVEnd
		nodes[depVEnd].prev = ls.v
	} else {
		nodes[depUEnd].prev = nodes[depVEnd].prev
		nodes[nodes[depUEnd].prev].next = depUEnd
		nodes[depVEnd].prev = depUPred
		nodes[depUPred].next = depVEnd
	}
	return ls.applied()
}

// insert moves node a right after node b.
func (ls *localSearch) insert(a, b int32) {
	n := ls.nodes
	n[n[a].prev].next = n[a].next
	n[n[a].next].prev = n[a].prev
	n[n[b].next].prev = a
	n[a].prev = b
	n[a].next = n[b].next
	n[b].next = a
	n[a].route = n[b].route
}

// swap exchanges the places of nodes a and b.
func (ls *localSearch) swap(a, b int32) {
	n := ls.nodes
	bPrev, bNext := n[b].prev, n[b].next
	aPrev, aNext := n[a].prev, n[a].next
	ra, rb := n[a].route, n[b].route
	n[aPrev].next = b
	n[aNext].prev = b
	n[bPrev].next = a
	n[bNext].prev = a
	n[a].prev, n[a].next = bPrev, bNext
	n[b].prev, n[b].next = aPrev, aNext
	n[a].route, n[b].route = rb, ra
}

// update recomputes a route's summaries and its nodes' cumulated values.
func (ls *localSearch) update(r *lsRoute) {
	in := ls.in
	nodes := ls.nodes
	var pos int32
	var load, t, rev, sx, sy float64
	k := r.start
	nodes[k].pos, nodes[k].cumLoad, nodes[k].cumTime, nodes[k].cumRev = 0, 0, 0, 0
	first := true
	for {
		prev := k
		k = nodes[k].next
		pos++
		nk := &nodes[k]
		pid, id := nodes[prev].id, nk.id
		nk.pos = pos
		load += in.dem[id]
		t += in.dist[int(pid)*in.side+int(id)] + in.svc[id]
		rev += in.dist[int(id)*in.side+int(pid)] - in.dist[int(pid)*in.side+int(id)]
		nk.cumLoad, nk.cumTime, nk.cumRev = load, t, rev
		if nk.depot {
			break
		}
		if in.polar != nil {
			sx += in.xy[id][0]
			sy += in.xy[id][1]
			if first {
				r.sec.reset(int(in.polar[id]))
			} else {
				r.sec.extend(int(in.polar[id]))
			}
		}
		first = false
	}
	wasEmpty := r.count == 0
	r.duration, r.load, r.reversal = t, load, rev
	r.penalty = ls.penDur(t) + ls.penLoad(load)
	r.count = int(pos) - 1
	r.modified = ls.moves
	if r.count == 0 {
		r.bary = 1e30
		if !wasEmpty {
			ls.nEmpty++
		}
	} else {
		if in.polar != nil {
			o := in.xy[0]
			r.bary = math.Atan2(sy/float64(r.count)-o[1], sx/float64(r.count)-o[0])
		}
		if wasEmpty {
			ls.nEmpty--
		}
	}
}

// load sets the routes from ind.
func (ls *localSearch) load(ind *individual) {
	ls.moves = 0
	ls.nEmpty = 0
	nodes := ls.nodes
	for r := range ls.routes {
		rt := &ls.routes[r]
		s, e := rt.start, rt.end
		nodes[s].prev, nodes[e].next = e, s
		prev := s
		for _, c := range ind.routes[r] {
			nodes[c].route = int32(r)
			nodes[c].prev = prev
			nodes[prev].next = c
			prev = c
		}
		nodes[prev].next = e
		nodes[e].prev = prev
		rt.count = 1 // so that update counts an empty route once
		ls.update(rt)
		rt.testedSwapStar = -1
		for i := range ls.best[r] {
			ls.best[r][i].when = -1
		}
	}
	for i := 1; i <= ls.in.n; i++ {
		nodes[i].testedRI = -1
	}
}

// store writes the routes back into ind, ordered by the polar angle of
// their barycentres when positions are known (so that the giant tour
// sweeps around the depot), and evaluates it.
func (ls *localSearch) store(ind *individual) {
	order := make([]int, len(ls.routes))
	for r := range order {
		order[r] = r
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := &ls.routes[a], &ls.routes[b]
		switch {
		case (ra.count == 0) != (rb.count == 0):
			if ra.count == 0 {
				return 1
			}
			return -1
		case ra.bary < rb.bary:
			return -1
		case ra.bary > rb.bary:
			return 1
		}
		return 0
	})
	pos := 0
	for k, r := range order {
		ind.routes[k] = ind.routes[k][:0]
		for c := ls.nodes[ls.routes[r].start].next; !ls.nodes[c].depot; c = ls.nodes[c].next {
			ind.giant[pos] = c
			ind.routes[k] = append(ind.routes[k], c)
			pos++
		}
	}
	ls.in.evaluate(ind, ls.pen)
}
