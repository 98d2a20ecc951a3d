// Package vrp plans routes from one depot: the capacitated vehicle-routing
// problem with route duration limits, service times, asymmetric costs, a
// fixed cost per route and an optional limit on the number of routes. A
// health worker's visit plan is one such problem: the home is the depot,
// a day is a route, the day's budget of walking plus visits is the
// duration limit, and a large cost per route asks for the fewest days
// before the least walking.
//
// Costs carry the caller's unit through the type parameter T (Cost): a
// Problem[geo.Seconds] has walking times in seconds, a Problem[int64]
// TSPLIB distances. Travel costs double as travel times; a route's
// duration is its travel plus the service times of its stops, in the same
// unit. An unreachable pair is a value (Travel returns ok == false), never
// a large number: such legs are never used while any plan avoids them,
// and customers unreachable from the depot are listed in Result.Unserved.
// Positions (Problem.XY) are optional and only steer the search.
//
// # A visit plan
//
// A planner with a walking-time matrix from routing.Graph.Matrix over the
// points [home, household 1, ..., household n] passes it as it is:
//
//	p := &vrp.Problem[geo.Seconds]{
//		N:           n + 1,
//		Depot:       0,
//		Travel:      m.At,                       // (geo.Seconds, ok); ok == false: no path
//		Service:     service,                    // 20 min per household, 0 at home
//		MaxDuration: 6 * 3600,                   // the day's walking plus visits
//		RouteCost:   geo.Seconds(2*n) * longest, // above any total walking: fewest days first
//		XY:          lonLat,                     // optional
//	}
//	res, err := vrp.Solve(ctx, p, &vrp.Options{TimeLimit: 150 * time.Millisecond, Seed: 1})
//
// Each route of res.Routes is a day (Stops in visiting order, Travel the
// walking, Duration walking plus visits); res.Unserved lists households
// with no path from or back to the home, or whose visit alone does not
// fit in a day. Any RouteCost above the walking of every possible plan
// (a plan has at most 2n legs, so 2n times the longest leg bounds it)
// makes the objective lexicographic: fewest days, then least walking.
// Capacity and Demand stay unset for a walking day; MaxRoutes caps the
// days. On four synthetic months of 250 households in 6-hour days
// (BenchmarkCHW), 150 ms of one core gave plans with the same number of
// days as 3 s in three cases and one day more in the fourth, and at most
// 4 % more walking.
//
// # Method
//
// Solve is a hybrid genetic search after HGS-CVRP (T. Vidal, "Hybrid
// genetic search for the CVRP: Open-source implementation and SWAP*
// neighborhood", Computers & Operations Research 140, 2022), written from
// the paper and the structure of its public code:
//
//   - A plan is a giant tour through all customers; Split (Prins 2004)
//     cuts it into routes optimally for the tour, with penalised excess
//     load and duration.
//   - A local search improves each new plan: relocate one or two
//     customers (also reversed), swap 1–1, 2–1 and 2–2, 2-opt inside a
//     route and both 2-opt* reconnections between routes, each tried
//     between a customer and its 12 nearest customers (granular
//     neighbourhoods; HGS-CVRP uses 20), first improvement; then SWAP* between pairs of
//     routes (whose sectors around the depot overlap when positions are
//     known). Routes keep prefix sums of load, time and reversal cost, so
//     every move is priced in constant time, asymmetric costs included.
//   - The population holds feasible and infeasible plans separately;
//     penalties for excess load and duration adapt so that about 20 % of
//     new plans are feasible, and half of the infeasible ones are repaired
//     with ten-fold penalties. Parents are chosen by binary tournament on
//     a biased fitness mixing cost rank and diversity rank (broken-pairs
//     distance), children made by ordered crossover; survivors are
//     selected the same way, clones first. The first population has 25
//     plans (HGS-CVRP: 100); the population restarts after 20,000
//     iterations without improvement.
//   - With a cost per route, each new best plan is offered one try at
//     doing without its smallest route: its customers go to their
//     cheapest places in the other routes, then the local search repairs
//     the plan under heavy penalties. Moves of one customer at a time
//     reach fewer routes only through deep infeasibility.
//
// # Determinism and concurrency
//
// With the same problem, seed and no time limit, Solve returns the same
// plan. It keeps no global state; each call is single-threaded.
package vrp
