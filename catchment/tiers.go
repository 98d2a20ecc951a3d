package catchment

import (
	"math"
	"math/bits"
)

// Balance minimises one cost vector lexicographically, most important
// first:
//
//	tier 0  households beyond a CHW's capacity (only locks can force it)
//	tier 1  households left unassigned
//	tier 2  households assigned beyond the walk limit
//	tier 3  households short of a CHW's minimum
//	tier 4  households moved away from their current CHW (Keep)
//	tier 5  walking time, household-seconds (in units of the resolution)
//
// The flow solver takes a single int64 cost per arc, so the tiers are
// folded into one number with weights w0 > w1 > … > w5 = 1 chosen large
// enough that the fold is exact: a solution optimal for the folded cost is
// lexicographically optimal. The argument: if it were not, the difference
// to a lexicographically better flow decomposes into simple cycles of the
// residual network, and one of them is lexicographically negative yet has
// a folded cost ≥ 0. On a simple cycle a tier can only add up to a bounded
// amount, D_j per unit of flow, so w_k > Σ_{j>k} D_j·w_j rules that out.
//
// The bounds come from the network's shape (units → CHWs → sink T): a
// simple cycle passes T at most once, so the arcs into T (unassigned,
// minimum, capacity, overflow) contribute at most 2 each to tiers 0, 1
// and 3; every other arc joins a unit and a CHW, and a simple cycle has at
// most 2·(CHWs + 1) of those, each adding at most 1 to tiers 2 and 4 and
// at most maxArc to tier 5. The bounds therefore grow with the number of
// CHWs only (as their cube), not with the number of households, which is
// what lets a national instance fold into int64 at one-second resolution:
// 4,000 CHWs with walks up to 23 hours, 1,000 CHWs up to 61 days, 10,000
// CHWs only up to 1.5 hours. When it does not fit, the walking times are
// rounded to a coarser resolution (10 s, 100 s, …) until it does;
// Result.Resolution reports the one used.
type weights struct {
	overflow, unassigned, overWalk, underMin, move int64
	resolution                                     float64 // seconds per unit of tier 5
	maxArc                                         int64   // longest walk in resolution units
}

// foldWeights returns the tier weights for chws CHWs and walks up to
// maxWalkSec seconds, at the finest resolution (1 s, 10 s, …) for which
// every reduced cost of the solver stays within int64. ok is false only
// for absurd inputs (walks beyond 10^12 s).
func foldWeights(chws int, maxWalkSec float64) (w weights, ok bool) {
	for res := 1.0; res <= 1e12; res *= 10 {
		if w, ok := foldAt(chws, maxWalkSec, res); ok {
			return w, true
		}
	}
	return weights{}, false
}

func foldAt(chws int, maxWalkSec, res float64) (weights, bool) {
	maxArc := math.Round(maxWalkSec / res)
	if maxArc > 1<<40 {
		return weights{}, false
	}
	var of bool
	mul := func(a, b int64) int64 {
		hi, lo := bits.Mul64(uint64(a), uint64(b))
		if hi != 0 || lo > costLimit {
			of = true
			return 0
		}
		return int64(lo)
	}
	add := func(xs ...int64) int64 {
		var s int64
		for _, x := range xs {
			s += x
			if s > costLimit {
				of = true
				return 0
			}
		}
		return s
	}
	l := int64(2*chws + 4) // unit–CHW arcs on a simple cycle, generously
	w := weights{resolution: res, maxArc: int64(maxArc)}
	d5 := mul(l, w.maxArc) // tier 5 on a cycle
	w.move = add(d5, 1)
	w.underMin = add(mul(l, w.move), d5, 1)
	w.overWalk = add(mul(2, w.underMin), mul(l, w.move), d5, 1)
	w.unassigned = add(mul(l, w.overWalk), mul(2, w.underMin), mul(l, w.move), d5, 1)
	w.overflow = add(mul(2, w.unassigned), mul(l, w.overWalk), mul(2, w.underMin), mul(l, w.move), d5, 1)
	// Potentials: a tree path has at most two arcs at T and l unit–CHW
	// arcs; a reduced cost adds one arc cost to two potentials.
	ucArc := add(w.overWalk, w.move, w.maxArc)
	tArc := add(w.overflow, w.unassigned, w.move, w.underMin)
	pot := add(mul(2, tArc), mul(l, ucArc))
	if of || pot > costLimit/2 { // reduced costs stay below 2^62
		return weights{}, false
	}
	return w, true
}
