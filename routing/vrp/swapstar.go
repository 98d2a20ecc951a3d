package vrp

import "math"

// swapStar applies the best SWAP* move between routes ls.ru and ls.rv, if
// it improves: exchange a customer of each route, each reinserted at its
// cheapest place in the other route rather than in the other's place
// (Vidal 2022). The cheapest places come from the three best insertion
// positions per customer and route, cached until the route changes. Plain
// relocations of one customer into the other route are priced on the way.
func (ls *localSearch) swapStar(eps float64) bool {
	ru, rv := ls.ru, ls.rv
	ls.preprocess(ru, rv)
	ls.preprocess(rv, ru)
	nodes := ls.nodes
	in := ls.in
	best := math.Inf(1)
	var bu, bv, bpu, bpv int32 = -1, -1, -1, -1
	// V's customers with what the inner loop needs, contiguous.
	vs := ls.swapV[:0]
	for v := nodes[rv.start].next; !nodes[v].depot; v = nodes[v].next {
		id := nodes[v].id
		vs = append(vs, swapCand{v, in.dem[id], in.svc[id], nodes[v].delRemoval})
	}
	ls.swapV = vs
	loadU, loadV := ru.load, rv.load
	for u := nodes[ru.start].next; !nodes[u].depot; u = nodes[u].next {
		nu := &nodes[u]
		du, su, ru0 := in.dem[nu.id], in.svc[nu.id], nu.delRemoval
		for _, c := range vs {
			dpu := ls.penLoad(loadU+c.dem-du) - ru.penalty
			dpv := ls.penLoad(loadV+du-c.dem) - rv.penalty
			// Removal gains bound the move from below: skip when even
			// free insertions could not pay.
			if dpu+ru0+dpv+c.del > 0 {
				continue
			}
			extraV, posU := ls.cheapestInsert(u, c.v) // u into v's route, v removed
			extraU, posV := ls.cheapestInsert(c.v, u)
			cost := dpu + ru0 + extraU + dpv + c.del + extraV +
				ls.penDur(ru.duration+ru0+extraU+c.svc-su) +
				ls.penDur(rv.duration+c.del+extraV-c.svc+su)
			if cost < best {
				best, bu, bv, bpu, bpv = cost, u, c.v, posU, posV
			}
		}
	}
	// Relocations of one customer into the other route.
	for k := 0; k < 2; k++ {
		from, to := ru, rv
		if k == 1 {
			from, to = rv, ru
		}
		fixed := 0.0
		if from.count == 1 {
			fixed = -in.fixed
		}
		toIdx := nodes[to.start].route
		for u := nodes[from.start].next; !nodes[u].depot; u = nodes[u].next {
			nu := &nodes[u]
			tb := &ls.best[toIdx][nu.id]
			dFrom := nu.delRemoval
			dTo := tb.cost[0]
			c := dFrom + dTo + fixed +
				ls.penLoad(from.load-in.dem[nu.id]) - from.penalty +
				ls.penLoad(to.load+in.dem[nu.id]) - to.penalty +
				ls.penDur(from.duration+dFrom-in.svc[nu.id]) +
				ls.penDur(to.duration+dTo+in.svc[nu.id])
			if c < best {
				best = c
				if k == 0 {
					bu, bpu, bv, bpv = u, tb.at[0], -1, -1
				} else {
					bv, bpv, bu, bpu = u, tb.at[0], -1, -1
				}
			}
		}
	}
	if best > -eps {
		return false
	}
	if bpu >= 0 {
		ls.insert(bu, bpu)
	}
	if bpv >= 0 {
		ls.insert(bv, bpv)
	}
	ls.moves++
	ls.done = false
	ls.update(ru)
	ls.update(rv)
	return true
}

// cheapestInsert is the cheapest place to insert u into the route of v
// once v is removed from it, and its cost.
func (ls *localSearch) cheapestInsert(u, v int32) (float64, int32) {
	nodes := ls.nodes
	nu, nv := &nodes[u], &nodes[v]
	tb := &ls.best[nv.route][nu.id]
	// The best place not next to v is among the top three.
	at, c := tb.at[0], tb.cost[0]
	found := at != v && nodes[at].next != v
	if !found && tb.at[1] >= 0 {
		at, c = tb.at[1], tb.cost[1]
		found = at != v && nodes[at].next != v
		if !found && tb.at[2] >= 0 {
			at, c = tb.at[2], tb.cost[2]
			found = true
		}
	}
	// In v's place.
	pid, nid := nodes[nv.prev].id, nodes[nv.next].id
	if dc := ls.d(pid, nu.id) + ls.d(nu.id, nid) - ls.d(pid, nid); !found || dc < c {
		at, c = nv.prev, dc
	}
	return c, at
}

// preprocess computes the removal gains of r1's customers and, where r2
// changed since, their three best insertion places in r2.
func (ls *localSearch) preprocess(r1, r2 *lsRoute) {
	nodes := ls.nodes
	r2Idx := nodes[r2.start].route
	for u := nodes[r1.start].next; !nodes[u].depot; u = nodes[u].next {
		nu := &nodes[u]
		pid, nid := nodes[nu.prev].id, nodes[nu.next].id
		nu.delRemoval = ls.d(pid, nid) - ls.d(pid, nu.id) - ls.d(nu.id, nid)
		tb := &ls.best[r2Idx][nu.id]
		if r2.modified <= tb.when {
			continue
		}
		tb.reset()
		tb.when = ls.moves
		first := nodes[r2.start].next
		fid := nodes[first].id
		tb.cost[0] = ls.d(0, nu.id) + ls.d(nu.id, fid) - ls.d(0, fid)
		tb.at[0] = r2.start
		for v := first; !nodes[v].depot; v = nodes[v].next {
			vid, wid := nodes[v].id, nodes[nodes[v].next].id
			tb.add(ls.d(vid, nu.id)+ls.d(nu.id, wid)-ls.d(vid, wid), v)
		}
	}
}

// swapCand is a customer of the second route of a SWAP* evaluation.
type swapCand struct {
	v             int32
	dem, svc, del float64
}
