package vrp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrOverflow is returned when a route's cost does not fit in T.
var ErrOverflow = errors.New("vrp: cost does not fit in the cost type")

// Solve returns a plan serving every customer that can be served, with
// the least total travel plus RouteCost per route, within Capacity,
// MaxDuration and MaxRoutes.
//
// It runs a hybrid genetic search after HGS-CVRP (Vidal 2022): giant
// tours cut into routes by Split, a local search with relocate, swap,
// 2-opt, 2-opt* and SWAP* moves restricted to each customer's nearest
// neighbours, and a population of feasible and penalised infeasible plans
// managed for diversity. It stops at opts.TimeLimit, after opts.Iterations,
// after opts.Stall iterations without improvement, or when ctx is done;
// in every case it returns the best plan found, with no error.
//
// Customers unreachable from the depot (or back), heavier than the
// Capacity or whose round trip alone exceeds MaxDuration are listed in
// Result.Unserved, never dropped silently. Errors are only about a
// malformed problem (ErrInput) or a total that does not fit in T
// (ErrOverflow).
//
// Solve is single-threaded and keeps no global state, so problems may be
// solved in parallel. Preparation costs O(N²) time and memory (the cost
// matrix, the neighbour lists); each local search is O(N·Neighbors) per
// pass.
func Solve[T Cost](ctx context.Context, p *Problem[T], opts *Options) (Result[T], error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	clock := o.Clock
	if clock == nil {
		t0 := time.Now()
		clock = func() time.Duration { return time.Since(t0) }
	}
	start := clock()
	if err := p.Validate(); err != nil {
		return Result[T]{}, err
	}
	if o.Neighbors <= 0 {
		o.Neighbors = defaultNear
	}
	in, unserved := build(p, o.Neighbors)
	for k := range in.dist {
		if c := in.dist[k]; c < 0 || !finite(c) {
			return Result[T]{}, fmt.Errorf("%w: travel cost %v from node %d to node %d", ErrInput, c, in.orig[k/in.side], in.orig[k%in.side])
		}
	}
	res := Result[T]{Unserved: unserved, Feasible: true}
	if in.n == 0 {
		return res, nil
	}
	g := newGenetic(in, o.Seed)
	st := &stopper{ctx: ctx, clock: clock, maxIter: o.Iterations, stall: o.Stall, restart: o.Restart}
	if ctx == nil {
		st.ctx = context.Background()
	}
	if o.TimeLimit > 0 {
		st.deadline = start + o.TimeLimit
		st.initialEnd = start + o.TimeLimit*2/5
	}
	if st.stall == 0 && o.TimeLimit <= 0 {
		st.stall = DefaultStall
	}
	if st.restart == 0 {
		st.restart = defaultRestart
	}
	g.run(st)
	best := g.best
	if math.IsInf(best.ev.penalized, 1) {
		switch {
		case len(g.infea) > 0:
			best = g.infea[0]
		case len(g.feas) > 0:
			best = g.feas[0]
		default:
			best = g.child
		}
	}
	res.Iterations = st.iter
	return finish(in, best, res)
}

// finish converts the plan ind into res, in the caller's node numbers and
// cost type, and checks it against the constraints.
func finish[T Cost](in *instance, ind *individual, res Result[T]) (Result[T], error) {
	conv := func(x float64) (T, error) {
		t := T(x)
		if float64(t) != x && math.Abs(float64(t)-x) > 1e-9*math.Abs(x) {
			return t, fmt.Errorf("%w: %v", ErrOverflow, x)
		}
		return t, nil
	}
	var travel float64
	for _, r := range ind.routes {
		if len(r) == 0 {
			continue
		}
		var t, svc float64
		var load int64
		stops := make([]int, len(r))
		prev := int32(0)
		for k, c := range r {
			stops[k] = in.orig[c]
			t += in.at(prev, c)
			if in.bad != nil && in.bad[int(prev)*in.side+int(c)] {
				res.Feasible = false
			}
			svc += in.svc[c]
			load += int64(in.dem[c])
			prev = c
		}
		t += in.at(prev, 0)
		if in.bad != nil && in.bad[int(prev)*in.side] {
			res.Feasible = false
		}
		if float64(load) > in.cap || t+svc > in.dur+in.eps {
			res.Feasible = false
		}
		rt := Route[T]{Stops: stops, Load: load}
		var err error
		if rt.Travel, err = conv(t); err != nil {
			return res, err
		}
		if rt.Duration, err = conv(t + svc); err != nil {
			return res, err
		}
		res.Routes = append(res.Routes, rt)
		travel += t
	}
	if len(res.Routes) > in.slots {
		res.Feasible = false
	}
	var err error
	if res.Travel, err = conv(travel); err != nil {
		return res, err
	}
	if res.Cost, err = conv(travel + in.fixed*float64(len(res.Routes))); err != nil {
		return res, err
	}
	return res, nil
}
