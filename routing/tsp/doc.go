// Package tsp optimises the visiting order of one route: the travelling
// salesman problem on an n×n cost matrix, symmetric or asymmetric, as a
// round trip from a start node or as an open path from a start node to a
// fixed end node.
//
// Costs are plain integers in whatever unit the caller uses (TSPLIB
// distances, walking seconds or milliseconds); the package does not care
// about coordinates or CRS. Tours and costs are plain slices and int64
// sums, so a multi-day planner can reuse them.
//
// # Method
//
// Up to 12 nodes Solve is exact (Held–Karp dynamic programming). Above,
// it builds a greedy-edge tour on candidate edges, improves it with an
// Or-3opt local search and then runs an iterated local search:
//
//   - Candidates: first the 10 cheapest edges at each node; for a symmetric
//     matrix then the 8 α-nearest (Helsgaun, 2000) after a Held–Karp
//     subgradient ascent on minimum 1-trees (100–300 iterations, O(n²)
//     each, at most a quarter of the time limit). α-nearness keeps the long
//     edges that join clusters, which nearest-neighbour lists miss: with
//     plain 10-nearest lists pr144, pr152, pr264 and p654 ended 3.4–6.1 %
//     above the optimum after 1 s, with α-nearness at most 0.01 %.
//   - Lower bound: the same ascent gives the Held–Karp bound; a round trip
//     whose cost meets it is proven optimal and the search stops
//     (Result.Optimal). No bound is claimed for open paths.
//   - Local search: sequential 2-opt and 3-opt moves (the move scheme of
//     LKH's Best3OptMove: every sequential 3-opt reconnection, including
//     the reversal-free "or" segment moves), first improvement, with
//     neighbour lists, the positive-gain criterion and don't-look bits kept
//     as a queue of active nodes. The tour is an array with a position
//     index; a 3-opt move is made as two or three 2-opt reversals, each
//     reversing the shorter side.
//   - Perturbation: a segment swap (..X A B Y.. → ..X B A Y.., the
//     reversal-free double-bridge-like 3-change) of two adjacent segments
//     of up to 50 nodes at a random place; only its six endpoints become
//     active, so one round costs microseconds, not O(n). A round that makes
//     the tour worse is rolled back from a journal of the reversals. Every
//     max(100, 2n) rounds without a new best, a walk round makes 1–8 kicks
//     (more the longer the stall) and keeps the result even when worse, to
//     leave a deep local optimum; the best tour is returned. (With single
//     worse steps ftv38 stayed at 1532 for every seed; with these walks it
//     reaches the optimum 1530.)
//
// # Asymmetric costs
//
// An asymmetric matrix is transformed into a symmetric one of 2n nodes
// (Jonker and Volgenant, 1983, as LKH does): node i becomes an in-copy i
// and an out-copy n+i joined by a fixed edge of cost 0; the arc i→j becomes
// the edge {n+i, j}; edges between two in-copies or two out-copies cost
// more than any tour. Moves and kicks never remove a fixed edge and
// candidate lists never hold a forbidden one, so every tour the search
// sees alternates in/out and reads back as a directed route. We chose the
// transform over reversal-free moves on the original matrix because it
// reuses the whole symmetric 3-opt search unchanged (segment reversals are
// legal in the transformed problem), at the price of twice the nodes and
// an O(n²) int64 matrix. On TSPLIB's nine ATSP instances (up to 171 nodes)
// it reaches the optimum within the 1 s limit on an unloaded core. The
// Held–Karp ascent runs on the transformed matrix with the twin edges at a
// large negative cost, so every 1-tree holds them and the bound stays
// valid; it proves ftv33 and ft53 optimal. The search keeps the 10
// cheapest edges as candidates there: α-nearest lists of the transformed
// matrix did worse on ftv170.
//
// An open path from s to e is a round trip with the edge {e, s} (or the arc
// e→s) fixed, its cost then left out.
//
// # Multi-day routes
//
// Split cuts a giant tour into day trips from a depot under a time budget
// (Prins, 2004), so a planner can route all households once and then share
// the route between days. Options.Initial re-optimises a route a planner
// has edited (stops moved between days) from where it stands.
//
// # Determinism and concurrency
//
// With the same input, seed and no time limit, Solve returns the same
// route. It keeps no global state, so instances may be solved in
// parallel; each call is single-threaded.
package tsp
