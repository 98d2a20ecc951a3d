package catchment

import (
	"math"
	"slices"
	"strings"

	"github.com/lastmile-health/lastmile/geo"
)

// Load is one CHW's workload.
type Load struct {
	Households, People int
	// MeanWalk and MaxWalk are over the CHW's routed households (walking
	// time from the CHW's home); 0 when it has none.
	MeanWalk, MaxWalk geo.Seconds
	// OverWalk counts households beyond the walk limit; OverCapacity the
	// households beyond Max (only locks can cause it); UnderMinimum how
	// many households the CHW is short of Min.
	OverWalk, OverCapacity, UnderMinimum int
}

// Summary sums up an assignment.
type Summary struct {
	Units, Households    int
	Assigned, Unassigned int // households
	// UnassignedBy counts unassigned households by reason.
	UnassignedBy map[Reason]int
	// OverWalk, OverCapacity and UnderMinimum are the sums of the CHWs'.
	OverWalk, OverCapacity, UnderMinimum int
	// Unrouted counts assigned households without a walking time (locked
	// to a CHW with no candidate arc).
	Unrouted int
	// TotalWalk is Σ households × walk over routed households, MeanWalk
	// its mean per routed household.
	TotalWalk, MeanWalk geo.Seconds
	// Spread is the spread of households per CHW.
	Spread Spread
	// SplitUnits counts units assigned to more than one CHW; Moves the
	// households that changed CHW (Balance only).
	SplitUnits, Moves int
}

// Spread describes how evenly households are spread over the CHWs.
type Spread struct {
	CHWs     int
	Min, Max int // households of the least and most loaded CHW
	Mean     float64
	// CV is the coefficient of variation (population standard deviation
	// over mean) of households per CHW; 0 when the mean is 0.
	CV float64
}

// Ratio returns Max/Min; ok is false when Min is 0 (the ratio is
// undefined, not a big number).
func (s Spread) Ratio() (ratio float64, ok bool) {
	if s.Min == 0 {
		return 0, false
	}
	return float64(s.Max) / float64(s.Min), true
}

// Workload computes each CHW's load and the summary of an assignment
// (a[i] for units[i]; Part.CHW indexes chws), for any method: Balance
// calls it, and a stage can call it on a Voronoi or nearest-CHW
// assignment. maxWalk is the walk limit (0: none). People of a unit split
// between CHWs are shared in proportion to households (largest remainder,
// ties by CHW ID), so they add up.
func Workload(units []Unit, chws []CHW, a []Assignment, maxWalk geo.Seconds) ([]Load, Summary) {
	loads := make([]Load, len(chws))
	walkSum := make([]float64, len(chws))
	routed := make([]int, len(chws))
	s := Summary{Units: len(units), UnassignedBy: map[Reason]int{}}
	var routedAll int
	for i, u := range units {
		s.Households += u.Households
		as := a[i]
		if as.Unassigned > 0 {
			s.Unassigned += as.Unassigned
			s.UnassignedBy[as.Reason] += as.Unassigned
		}
		if len(as.Parts) > 1 {
			s.SplitUnits++
		}
		people := sharePeople(u, chws, as.Parts)
		for k, p := range as.Parts {
			l := &loads[p.CHW]
			l.Households += p.Households
			l.People += people[k]
			s.Assigned += p.Households
			if !p.Routed {
				s.Unrouted += p.Households
				continue
			}
			walkSum[p.CHW] += float64(p.Households) * float64(p.Walk)
			routed[p.CHW] += p.Households
			l.MaxWalk = max(l.MaxWalk, p.Walk)
			if maxWalk > 0 && p.Walk > maxWalk {
				l.OverWalk += p.Households
			}
		}
	}
	var total float64
	for c := range loads {
		l := &loads[c]
		if routed[c] > 0 {
			l.MeanWalk = geo.Seconds(walkSum[c] / float64(routed[c]))
		}
		total += walkSum[c]
		routedAll += routed[c]
		l.OverCapacity = max(0, l.Households-chws[c].Max)
		l.UnderMinimum = max(0, chws[c].Min-l.Households)
		s.OverWalk += l.OverWalk
		s.OverCapacity += l.OverCapacity
		s.UnderMinimum += l.UnderMinimum
	}
	s.TotalWalk = geo.Seconds(total)
	if routedAll > 0 {
		s.MeanWalk = geo.Seconds(total / float64(routedAll))
	}
	s.Spread = spread(loads)
	return loads, s
}

func spread(loads []Load) Spread {
	sp := Spread{CHWs: len(loads)}
	if len(loads) == 0 {
		return sp
	}
	sp.Min, sp.Max = math.MaxInt, 0
	var sum float64
	for _, l := range loads {
		sp.Min = min(sp.Min, l.Households)
		sp.Max = max(sp.Max, l.Households)
		sum += float64(l.Households)
	}
	sp.Mean = sum / float64(len(loads))
	if sp.Mean > 0 {
		var ss float64
		for _, l := range loads {
			d := float64(l.Households) - sp.Mean
			ss += d * d
		}
		sp.CV = math.Sqrt(ss/float64(len(loads))) / sp.Mean
	}
	return sp
}

// sharePeople splits a unit's people over its parts in proportion to
// households, by largest remainder.
func sharePeople(u Unit, chws []CHW, parts []Part) []int {
	out := make([]int, len(parts))
	if len(parts) == 1 && parts[0].Households == u.Households {
		out[0] = u.People
		return out
	}
	type rem struct {
		k    int
		frac float64
	}
	rems := make([]rem, len(parts))
	given := 0
	for k, p := range parts {
		exact := float64(u.People) * float64(p.Households) / float64(u.Households)
		out[k] = int(math.Floor(exact))
		given += out[k]
		rems[k] = rem{k, exact - math.Floor(exact)}
	}
	// People of unassigned households are not anyone's load: hand out
	// only the share of the assigned households.
	assigned := 0
	for _, p := range parts {
		assigned += p.Households
	}
	target := int(math.Round(float64(u.People) * float64(assigned) / float64(u.Households)))
	slices.SortFunc(rems, func(a, b rem) int {
		if a.frac != b.frac {
			if a.frac > b.frac {
				return -1
			}
			return 1
		}
		return strings.Compare(chws[parts[a.k].CHW].ID, chws[parts[b.k].CHW].ID)
	})
	for i := 0; given < target && i < len(rems); i++ {
		out[rems[i].k]++
		given++
	}
	return out
}
