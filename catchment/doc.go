// Package catchment decides which community health worker (CHW) serves
// which household: an exact minimum-cost flow solver (Network), balanced
// assignment under capacity, minimum and walk limits with planners' locks
// and minimal-change reassignment (Balance), and workload statistics for
// any assignment (Workload). Beside them sit the coverage algorithms:
// access thresholds and tallies, isochrone bands, gap clusters and
// maximal covering location (Cover). It works on plain values and never
// reads files or routes: the caller computes the walking times (for
// Balance, as candidate arcs).
//
// # Units
//
// Loads are households (Unit.Households; a unit is one household or a
// village of them), people are household members. Walking times are
// geo.Seconds from the CHW's home to the household; the flow compares them
// in whole seconds (Result.Resolution). Balance uses no coordinates; the
// gap and band geometry (Cluster, ClusterAreas, BandAreas) is in planar
// metres of a local projection (geo.Local), as orb values.
//
// # Balance in brief
//
// The caller passes units, CHWs with a minimum and a capacity, and for
// each unit arcs to its nearest CHWs by walking time. Balance solves one
// transportation problem whose single int64 cost folds six tiers exactly
// (see tiers.go): capacity kept, few unassigned, few beyond the walk
// limit, few short of a minimum, few moved, least walking. Every unit is
// in the result, assigned or unassigned with a reason; CHW shortfalls and
// overloads are reported per CHW. Problem.More lets Balance ask for more
// candidate arcs where the given ones leave a limit unmet.
//
// # Determinism
//
// Inputs are sorted by ID before anything else, so the same units, CHWs
// and arcs in any order give the same result, and a rerun gives the same
// bytes. IDs must be unique.
//
// # Cost
//
// Network is a primal network simplex (block-search pricing, strongly
// feasible trees): about 38 bytes per arc in Balance's network; a pivot
// costs the cycle length plus the subtree that moves, and the number of
// pivots depends mostly on how near the optimum the start is. Balance
// therefore starts from prices found on a 1/4 sample of the units
// (recursively, above 50,000 units). On a saturated synthetic country of a
// million households, 4,000 CHWs and 8 arcs each it takes about 9
// CPU-seconds and 1.2 GB of Go heap at its peak; on 20,000 villages, 0.13
// s (bench/results/catchment.md).
package catchment
