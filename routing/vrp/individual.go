package vrp

import "math"

// penalties are the prices of one unit of excess load and of excess
// duration. The search adapts them so that about a fifth of its plans
// are feasible (HGS's targetFeasible).
type penalties struct{ load, dur float64 }

// evaluation is a plan's cost under given penalties.
type evaluation struct {
	penalized             float64 // travel + fixed costs + penalties
	travel                float64 // internal travel cost (bigM per unreachable leg)
	routes                int
	loadExcess, durExcess float64
	badLegs               int // unreachable legs used
	feasible              bool
}

// individual is one plan of the population: a giant tour and its cut into
// routes, with successor and predecessor arrays (0 = depot) for the
// broken-pairs distance.
type individual struct {
	giant  []int32   // the customers 1..n in giant-tour order
	routes [][]int32 // one slice per route slot, some empty
	succ   []int32
	pred   []int32
	ev     evaluation
	// prox lists the other members of the subpopulation by increasing
	// broken-pairs distance.
	prox    []proximity
	fitness float64 // biased fitness: lower is better
}

type proximity struct {
	d     float64
	other *individual
}

func newIndividual(in *instance) *individual {
	ind := &individual{
		giant:  make([]int32, in.n),
		routes: make([][]int32, in.slots),
		succ:   make([]int32, in.n+1),
		pred:   make([]int32, in.n+1),
	}
	for i := range ind.giant {
		ind.giant[i] = int32(i + 1)
	}
	return ind
}

// copyFrom makes ind a copy of o's plan (not of its proximity list).
func (ind *individual) copyFrom(o *individual) {
	copy(ind.giant, o.giant)
	for r := range ind.routes {
		ind.routes[r] = append(ind.routes[r][:0], o.routes[r]...)
	}
	copy(ind.succ, o.succ)
	copy(ind.pred, o.pred)
	ind.ev = o.ev
	ind.prox = ind.prox[:0]
	ind.fitness = 0
}

// evaluate computes ind's cost from its routes, and its successor and
// predecessor arrays.
func (in *instance) evaluate(ind *individual, pen penalties) {
	ev := evaluation{}
	for _, r := range ind.routes {
		if len(r) == 0 {
			continue
		}
		prev := int32(0)
		var travel, load, svc float64
		for _, c := range r {
			travel += in.at(prev, c)
			if in.bad != nil && in.bad[int(prev)*in.side+int(c)] {
				ev.badLegs++
			}
			load += in.dem[c]
			svc += in.svc[c]
			ind.pred[c] = prev
			if prev != 0 {
				ind.succ[prev] = c
			}
			prev = c
		}
		ind.succ[prev] = 0
		travel += in.at(prev, 0)
		if in.bad != nil && in.bad[int(prev)*in.side] {
			ev.badLegs++
		}
		ev.travel += travel
		ev.routes++
		ev.loadExcess += max(0, load-in.cap)
		ev.durExcess += max(0, travel+svc-in.dur)
	}
	ev.penalized = ev.travel + in.fixed*float64(ev.routes) + pen.load*ev.loadExcess + pen.dur*ev.durExcess
	ev.feasible = ev.loadExcess < 1e-9 && ev.durExcess < in.eps && ev.badLegs == 0 && ev.routes <= in.slots
	ind.ev = ev
}

// repenalize recomputes the penalized cost after the penalties changed.
func (in *instance) repenalize(ind *individual, pen penalties) {
	ev := &ind.ev
	ev.penalized = ev.travel + in.fixed*float64(ev.routes) + pen.load*ev.loadExcess + pen.dur*ev.durExcess
}

// brokenPairs is the share of customers whose neighbours differ between a
// and b (HGS's broken-pairs distance; a reversed pair counts as kept).
func brokenPairs(a, b *individual) float64 {
	n := len(a.succ) - 1
	diff := 0
	for j := 1; j <= n; j++ {
		if a.succ[j] != b.succ[j] && a.succ[j] != b.pred[j] {
			diff++
		}
		if a.pred[j] == 0 && b.pred[j] != 0 && b.succ[j] != 0 {
			diff++
		}
	}
	return float64(diff) / float64(n)
}

// avgClosest is the mean distance to the k nearest other members.
func (ind *individual) avgClosest(k int) float64 {
	k = min(k, len(ind.prox))
	if k == 0 {
		return math.Inf(1)
	}
	var s float64
	for _, p := range ind.prox[:k] {
		s += p.d
	}
	return s / float64(k)
}
