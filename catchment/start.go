package catchment

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// sampleAbove is the number of units above which Balance first solves a
// sample to price the CHWs (see start).
const sampleAbove = 50_000

// sampleEvery keeps every sampleEvery-th unit (by ID) in the sample, with
// its households multiplied by sampleEvery so that loads keep their scale.
const sampleEvery = 4

// start gives the solver a feasible flow and a strongly feasible tree to
// begin from. The simplex needs few pivots from a near-optimal start and
// many from a poor one (on a quarter of the national instance: 2,600 from
// the optimum, 550,000 from a greedy fill in ID order), so above
// sampleAbove units Balance first solves a sample — every fourth unit by
// ID, four times as heavy, recursively — and uses its CHW potentials as
// prices: each unit then starts at its cheapest candidate after prices
// that has room, units with the most to lose choosing first.
func (b *balancer) start(ctx context.Context) error {
	if b.nu <= b.sampleAbove {
		b.startWith(b.greedy())
		return nil
	}
	price, err := b.samplePrices(ctx)
	if err != nil {
		return err
	}
	b.startWith(b.priceGreedy(price))
	return nil
}

// greedy returns, for each unit rank, the arc it starts on: locked units
// on their CHW, then every unit in ID order on its cheapest candidate
// with room, else its unassigned arc.
func (b *balancer) greedy() []int32 {
	return b.priceGreedy(make([]int64, b.nc))
}

// priceGreedy returns the starting arc of each unit: locked units on their
// CHW; the others, in order of decreasing regret (second-best minus best
// score, ties by ID), on their cheapest candidate by score = cost − price
// of the CHW that still has room, else on the unassigned arc.
func (b *balancer) priceGreedy(price []int64) []int32 {
	net := &b.net
	nn := net.NumNodes()
	choice := make([]int32, b.nu)
	load := make([]int64, b.nc)
	score := func(a int32) int64 {
		if b.kind[a] == kindUnassigned {
			return net.cost[nn+int(a)]
		}
		return net.cost[nn+int(a)] - price[int(net.dst[nn+int(a)])-b.nu]
	}
	type unitRegret struct {
		regret int64
		r      int32
	}
	order := make([]unitRegret, 0, b.nu)
	for r := range b.nu {
		if b.lock[r] >= 0 {
			a := b.unitArc[r][0]
			choice[r] = a
			load[int(net.dst[nn+int(a)])-b.nu] += b.w[r]
			continue
		}
		best, second := score(b.unArc[r]), int64(math.MaxInt64)
		for _, a := range b.unitArc[r] {
			if s := score(a); s < best {
				best, second = s, best
			} else if s < second {
				second = s
			}
		}
		regret := int64(math.MaxInt64)
		if second != math.MaxInt64 {
			regret = second - best
		}
		order = append(order, unitRegret{regret, int32(r)})
	}
	slices.SortStableFunc(order, func(x, y unitRegret) int { return cmp.Compare(y.regret, x.regret) })
	for _, o := range order {
		r := o.r
		best := b.unArc[r]
		bestScore := score(best)
		for _, a := range b.unitArc[r] {
			c := int(net.dst[nn+int(a)]) - b.nu
			if net.cap[nn+int(a)] != Unbounded || load[c]+b.w[r] > b.maxL[c] {
				continue // a partial stay arc, or no room
			}
			if s := score(a); s < bestScore {
				best, bestScore = a, s
			}
		}
		choice[r] = best
		if best != b.unArc[r] {
			load[int(net.dst[nn+int(best)])-b.nu] += b.w[r]
		}
	}
	return choice
}

// samplePrices solves the sample and returns each CHW's potential relative
// to the sink (by CHW rank): what a unit gains per household by going
// there, in folded cost units.
func (b *balancer) samplePrices(ctx context.Context) ([]int64, error) {
	p := b.p
	sp := &Problem{CHWs: p.CHWs, MaxWalk: p.MaxWalk,
		Units: make([]Unit, 0, b.nu/sampleEvery+1), Arcs: make([]Arc, 0, len(p.Arcs)/sampleEvery+b.nu/sampleEvery)}
	for r := 0; r < b.nu; r += sampleEvery {
		u := p.Units[b.uOf[r]]
		u.Households *= sampleEvery
		u.People = 0
		if len(u.Current) > 0 {
			cur := make([]Share, len(u.Current))
			for i, s := range u.Current {
				cur[i] = Share{CHW: s.CHW, Households: s.Households * sampleEvery}
			}
			u.Current = cur
		}
		sp.Units = append(sp.Units, u)
	}
	for _, a := range p.Arcs {
		if r := int(b.uRank[a.Unit]); r%sampleEvery == 0 {
			sp.Arcs = append(sp.Arcs, Arc{Unit: r / sampleEvery, CHW: a.CHW, Walk: a.Walk})
		}
	}
	s := &balancer{p: sp, floorSec: b.maxSec, sampleAbove: b.sampleAbove}
	if err := s.canonical(); err != nil {
		return nil, err
	}
	if err := s.build(); err != nil {
		return nil, err
	}
	if s.wt != b.wt {
		return nil, fmt.Errorf("catchment: sample folded its costs differently (%+v, %+v)", s.wt, b.wt)
	}
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	if err := s.net.Solve(ctx); err != nil {
		return nil, fmt.Errorf("catchment: balance sample: %w", err)
	}
	b.samplePivots += s.net.Pivots() + s.samplePivots
	return s.prices(), nil
}

// startWith starts the solver from every unit wholly on its chosen arc (a
// feasible flow: unit arcs and the unassigned arc have no capacity limit)
// and a strongly feasible tree: units hang from their CHW (or from T),
// CHWs from T by an arc strictly inside its bounds or at its lower bound.
func (b *balancer) startWith(choice []int32) {
	net := &b.net
	nn := net.NumNodes()
	flow := make([]int64, net.NumArcs())
	tree := make([]int32, nn)
	load := make([]int64, b.nc)
	for r, a := range choice {
		flow[a] = b.w[r]
		tree[r] = a
		if b.kind[a] != kindUnassigned {
			load[int(net.dst[nn+int(a)])-b.nu] += b.w[r]
		}
	}
	for c := range b.nc {
		l := load[c]
		mi, re, ov := b.chwArc[c][0], b.chwArc[c][1], b.chwArc[c][2]
		if mi >= 0 {
			flow[mi] = min(l, b.minL[c])
		}
		if re >= 0 {
			flow[re] = min(max(l-b.minL[c], 0), b.maxL[c]-b.minL[c])
		}
		flow[ov] = max(l-b.maxL[c], 0)
		switch {
		case mi >= 0 && l < b.minL[c]:
			tree[b.nu+c] = mi
		case re >= 0 && l < b.maxL[c]:
			tree[b.nu+c] = re
		default:
			tree[b.nu+c] = ov
		}
	}
	tree[b.T] = -1
	net.startFromFlow(flow, tree)
}

// prices returns the CHW potentials relative to the sink, by CHW rank.
func (b *balancer) prices() []int64 {
	price := make([]int64, b.nc)
	for c := range b.nc {
		price[c] = b.net.pi[b.nu+c] - b.net.pi[b.T]
	}
	return price
}
