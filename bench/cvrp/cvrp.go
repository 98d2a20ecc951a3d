// Package cvrp solves VRPLIB instances with routing/vrp and measures the
// result against best known solutions: the glue behind `lastmile vrp` and
// `lastmile bench cvrp`, kept out of the CLI so that it can be called and
// tested without it.
//
// Costs are the instance's own numbers under the chosen rounding (nearest
// integer for sets A to P, real distances for CMT), as float64. Every
// solution is checked by Check, which recomputes routes from the instance
// alone and shares no code with the solver.
package cvrp

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/lastmile-health/lastmile/data/vrplib"
	"github.com/lastmile-health/lastmile/routing/vrp"
)

// Problem returns the instance as a vrp.Problem with costs under rule r:
// every route starts at the depot, carries at most Capacity, and takes at
// most Distance (travel plus SERVICE_TIME per customer) when set.
func Problem(in *vrplib.Instance, r vrplib.Rounding) (*vrp.Problem[float64], error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	n := in.Dimension
	p := &vrp.Problem[float64]{
		N:           n,
		Depot:       in.Depots[0],
		Travel:      func(i, j int) (float64, bool) { return in.Dist(i, j, r), true },
		Demand:      in.Demand,
		Capacity:    in.Capacity,
		MaxDuration: in.Distance,
		XY:          in.Coords,
	}
	if in.ServiceTime > 0 {
		p.Service = make([]float64, n)
		for i := range n {
			p.Service[i] = in.Service(i)
		}
	}
	return p, nil
}

// Solution is a solved instance.
type Solution struct {
	// Cost is the total travel cost under the rounding rule.
	Cost float64
	// Routes list each route's node numbers as in the file (1-based),
	// depot excluded.
	Routes [][]int
	// Seconds is the time spent solving (not reading), on the options'
	// Clock when set, else on the wall clock.
	Seconds float64
	// Feasible is the solver's own verdict; Check gives an independent one.
	Feasible bool
}

// Solve solves in with rounding r.
func Solve(ctx context.Context, in *vrplib.Instance, r vrplib.Rounding, opts *vrp.Options) (Solution, error) {
	p, err := Problem(in, r)
	if err != nil {
		return Solution{}, err
	}
	clock := func() time.Duration { return time.Duration(time.Now().UnixNano()) }
	if opts != nil && opts.Clock != nil {
		clock = opts.Clock
	}
	t0 := clock()
	res, err := vrp.Solve(ctx, p, opts)
	if err != nil {
		return Solution{}, fmt.Errorf("%s: %w", in.Name, err)
	}
	s := Solution{Cost: res.Cost, Seconds: (clock() - t0).Seconds(), Feasible: res.Feasible && len(res.Unserved) == 0}
	for _, rt := range res.Routes {
		nodes := make([]int, len(rt.Stops))
		for k, v := range rt.Stops {
			nodes[k] = v + 1
		}
		s.Routes = append(s.Routes, nodes)
	}
	if r == vrplib.NInt {
		s.Cost = math.Round(s.Cost)
	}
	return s, nil
}

// Check verifies routes (1-based node numbers, depot excluded) against in
// under rule r, independently of the solver: every customer exactly once,
// no depot inside a route, each route's load at most the capacity and its
// travel plus service at most DISTANCE (with a relative tolerance of 1e-9
// for real distances). It returns the total travel cost.
func Check(in *vrplib.Instance, r vrplib.Rounding, routes [][]int) (float64, error) {
	if err := in.Validate(); err != nil {
		return 0, err
	}
	depot := in.Depots[0]
	seen := make([]bool, in.Dimension)
	var total float64
	for k, rt := range routes {
		if len(rt) == 0 {
			return 0, fmt.Errorf("route %d is empty", k+1)
		}
		var load int64
		var travel, svc float64
		prev := depot
		for _, v := range rt {
			i := v - 1
			if i < 0 || i >= in.Dimension || i == depot {
				return 0, fmt.Errorf("route %d visits node %d, not a customer", k+1, v)
			}
			if seen[i] {
				return 0, fmt.Errorf("node %d is visited twice", v)
			}
			seen[i] = true
			load += in.Demand[i]
			svc += in.ServiceTime
			travel += in.Dist(prev, i, r)
			prev = i
		}
		travel += in.Dist(prev, depot, r)
		if load > in.Capacity {
			return 0, fmt.Errorf("route %d carries %d, capacity %d", k+1, load, in.Capacity)
		}
		if in.Distance > 0 && travel+svc > in.Distance*(1+1e-9) {
			return 0, fmt.Errorf("route %d takes %.6f, limit %g", k+1, travel+svc, in.Distance)
		}
		total += travel
	}
	for i, ok := range seen {
		if !ok && i != depot {
			return 0, fmt.Errorf("node %d is not visited", i+1)
		}
	}
	return total, nil
}
