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
//
// # Determinism and concurrency
//
// With the same problem, seed and no time limit, Solve returns the same
// plan. It keeps no global state; each call is single-threaded.
package vrp
