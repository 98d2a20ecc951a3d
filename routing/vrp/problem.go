package vrp

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Cost is the type of travel costs and times: integer units (TSPLIB
// distances, milliseconds) or float64 ones such as geo.Seconds.
type Cost interface{ ~int32 | ~int64 | ~float64 }

// Problem is one depot, customers with demands and service times, and
// routes that start and end at the depot. Travel costs may be asymmetric.
// A route's duration is its travel plus the service times of its stops,
// in the unit of T: travel costs are also travel times.
//
// The zero values of the optional fields mean "no such constraint".
type Problem[T Cost] struct {
	// N is the number of nodes, the depot included; nodes are 0..N-1.
	N int
	// Depot is the node every route starts and ends at.
	Depot int
	// Travel returns the cost (and time) of going from i to j, and
	// ok == false when j cannot be reached from i (no path on the walking
	// graph, for example). Solve calls it once for every ordered pair
	// i != j before searching, never concurrently. Costs must be finite
	// and non-negative.
	Travel func(i, j int) (cost T, ok bool)
	// Service is each node's service time (nil: none); Service[Depot] is
	// ignored.
	Service []T
	// Demand is each node's demand (nil: none); Demand[Depot] is ignored.
	Demand []int64
	// Capacity is the most demand one route may carry (0: no limit).
	Capacity int64
	// MaxDuration is the most one route may take, travel plus service
	// (0: no limit): a vehicle's shift, a health worker's day.
	MaxDuration T
	// RouteCost is a fixed cost for each route used. A RouteCost above
	// any possible total travel makes the objective "fewest routes, then
	// least travel".
	RouteCost T
	// MaxRoutes bounds the number of routes (0: as many as needed). When
	// the customers do not fit in MaxRoutes routes, the result is the
	// least infeasible plan found and Result.Feasible is false.
	MaxRoutes int
	// XY optionally gives each node's position in a plane (projected
	// metres, or longitude and latitude over a small area). The search
	// then compares only routes whose angular sectors around the depot
	// overlap in its SWAP* neighbourhood, as HGS does, which is faster on
	// many routes; without positions it compares every pair of routes.
	XY [][2]float64
}

// Options tunes Solve. The zero value (or nil) runs until the search
// stalls (DefaultStall iterations without a better plan).
type Options struct {
	// TimeLimit bounds the search (0: none). The first plan is always
	// built and repaired under rising penalties, so even a tiny limit
	// returns a complete plan, in practice a feasible one when one
	// exists. At most 40 % of the limit goes to the first population.
	TimeLimit time.Duration
	// Iterations bounds the number of genetic iterations (0: none).
	Iterations int
	// Stall stops the search after this many iterations in a row without
	// a better feasible plan (0: DefaultStall when no TimeLimit is set,
	// never otherwise; negative: never). Independently, the population is
	// restarted after Restart such iterations.
	Stall int
	// Restart rebuilds the population after this many iterations without
	// a better plan, keeping the best (0: 20,000 as in HGS-CVRP;
	// negative: never).
	Restart int
	// Seed drives every random choice. Same problem, same seed and no
	// TimeLimit give the same plan.
	Seed uint64
	// Neighbors is the number of nearest customers each customer's moves
	// consider (0: 12).
	Neighbors int
	// Clock, when set, measures TimeLimit instead of the wall clock: it
	// returns the time elapsed since any fixed origin, for example the
	// process's CPU time, which is how HGS-CVRP measures its limit.
	// Benchmarks on a shared machine use it so that time taken by other
	// processes does not count against the search.
	Clock func() time.Duration
}

// DefaultStall is the number of iterations without improvement after which
// Solve stops when neither a TimeLimit nor Stall is set.
const DefaultStall = 5000

// Route is one route of a plan: from the depot through Stops and back.
type Route[T Cost] struct {
	// Stops lists the nodes visited, in order, depot excluded.
	Stops []int
	// Travel is the travel cost depot → Stops… → depot.
	Travel T
	// Duration is Travel plus the service times of Stops.
	Duration T
	// Load is the sum of the demands of Stops.
	Load int64
}

// Reason says why a customer cannot be served.
type Reason int

// Reasons a customer is left out of every route.
const (
	// Unreachable: no way from the depot to the customer or back.
	Unreachable Reason = iota + 1
	// TooLong: the round trip depot → customer → depot with its service
	// alone takes longer than MaxDuration.
	TooLong
	// TooHeavy: its demand alone exceeds the Capacity.
	TooHeavy
)

// String describes the reason in a few words.
func (r Reason) String() string {
	switch r {
	case Unreachable:
		return "unreachable from the depot"
	case TooLong:
		return "its round trip alone exceeds the duration limit"
	case TooHeavy:
		return "its demand alone exceeds the capacity"
	}
	return fmt.Sprintf("reason %d", int(r))
}

// Unserved is a customer no route can visit.
type Unserved struct {
	Node   int
	Reason Reason
}

// Result is an optimised plan.
type Result[T Cost] struct {
	// Routes are the plan's non-empty routes.
	Routes []Route[T]
	// Cost is the objective: total travel plus RouteCost per route.
	Cost T
	// Travel is the total travel cost of the routes.
	Travel T
	// Feasible reports that every route respects Capacity and
	// MaxDuration, uses only reachable legs and that there are at most
	// MaxRoutes routes. It is false only when no such plan was found.
	Feasible bool
	// Unserved lists the customers left out and why, in node order. They
	// are never dropped silently: every other customer is in a route.
	Unserved []Unserved
	// Iterations is the number of genetic iterations run.
	Iterations int
}

// ErrInput is the sentinel under Solve's errors about a malformed problem.
var ErrInput = errors.New("vrp: bad input")

// Validate reports whether p is well formed: N ≥ 1, Depot in range, Travel
// set, slices of length N, no negative demand, service time or limit, and
// a Capacity wherever there are demands. It does not call Travel.
func (p *Problem[T]) Validate() error {
	switch {
	case p.N < 1 || p.N > math.MaxInt32/4:
		return fmt.Errorf("%w: %d nodes, want 1 to %d", ErrInput, p.N, math.MaxInt32/4)
	case p.Depot < 0 || p.Depot >= p.N:
		return fmt.Errorf("%w: depot %d outside 0..%d", ErrInput, p.Depot, p.N-1)
	case p.Travel == nil:
		return fmt.Errorf("%w: no Travel function", ErrInput)
	case p.Service != nil && len(p.Service) != p.N:
		return fmt.Errorf("%w: %d service times for %d nodes", ErrInput, len(p.Service), p.N)
	case p.Demand != nil && len(p.Demand) != p.N:
		return fmt.Errorf("%w: %d demands for %d nodes", ErrInput, len(p.Demand), p.N)
	case p.XY != nil && len(p.XY) != p.N:
		return fmt.Errorf("%w: %d positions for %d nodes", ErrInput, len(p.XY), p.N)
	case p.Capacity < 0 || p.MaxDuration < 0 || p.RouteCost < 0 || p.MaxRoutes < 0:
		return fmt.Errorf("%w: negative capacity, duration limit, route cost or route limit", ErrInput)
	case !finite(float64(p.MaxDuration)) || !finite(float64(p.RouteCost)):
		return fmt.Errorf("%w: duration limit or route cost is not finite", ErrInput)
	}
	for i := range p.N {
		if i == p.Depot {
			continue
		}
		if p.Service != nil && (p.Service[i] < 0 || !finite(float64(p.Service[i]))) {
			return fmt.Errorf("%w: node %d: service time %v", ErrInput, i, p.Service[i])
		}
		if p.Demand != nil && p.Demand[i] < 0 {
			return fmt.Errorf("%w: node %d: negative demand %d", ErrInput, i, p.Demand[i])
		}
		if p.Demand != nil && p.Demand[i] > 0 && p.Capacity == 0 {
			return fmt.Errorf("%w: node %d has a demand but the problem has no Capacity", ErrInput, i)
		}
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
