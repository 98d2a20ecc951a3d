package lastmile

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing"
)

// Candidate search of the balanced method: each household's nearest CHWs
// within assignCandidateReach × the walk limit, at most assignMaxCandidates, of which
// the first assignFirstCandidates go into the flow and the rest come when
// Balance asks for more.
const (
	assignCandidateReach  = 3
	assignMaxCandidates   = 32
	assignFirstCandidates = 8
)

// Reasons for a household that could not be placed on the walking graph.
const (
	ReasonAcrossWater = "across_water" // every path within reach lies across water
	ReasonNotRouted   = "no_path"      // farther than the snap limit from every path
)

// unroutedReason is the reason code for a household whose snap failed.
func unroutedReason(err error) string {
	if errors.Is(err, routing.ErrAcrossWater) {
		return ReasonAcrossWater
	}
	return ReasonNotRouted
}

// unitArc is one candidate CHW of a unit with its (mean) walking time.
type unitArc struct {
	chw  int
	walk geo.Seconds
}

// assignBalanced solves the transportation problem (catchment.Balance) on
// candidate arcs from each unit's nearest CHWs by walking time.
func assignBalanced(ctx context.Context, in *assignInput, opts AssignOptions, res *AssignResult, progress func(string)) ([]district.Assignment, error) {
	progress("candidates")
	t0 := time.Now()
	cand, err := in.g.CandidatesWithinSnaps(ctx, homes(in.chws), in.snaps, in.snapErr, assignCandidateReach*opts.MaxWalk, assignMaxCandidates, 0)
	if err != nil {
		return nil, err
	}
	res.CandidateSeconds = elapsed(t0)

	units, members := balanceUnits(in, opts)
	units, members = splitUnreachable(in, units, members, cand)
	lists := make([][]unitArc, len(units))
	for u := range units {
		lists[u] = unitCandidates(cand, members[u])
	}
	chws := make([]catchment.CHW, len(in.chws))
	for i, c := range in.chws {
		chws[i] = catchment.CHW{ID: string(c.ID), Min: minOf(opts, c), Max: maxOf(opts, c)}
	}
	given := make([]int, len(units)) // arcs of each unit's list given so far
	var arcs []catchment.Arc
	give := func(u, n int) {
		for ; given[u] < min(n, len(lists[u])); given[u]++ {
			a := lists[u][given[u]]
			arcs = append(arcs, catchment.Arc{Unit: u, CHW: a.chw, Walk: a.walk})
		}
	}
	for u := range units {
		give(u, assignFirstCandidates)
	}
	more := func(r catchment.Request) ([]catchment.Arc, error) {
		arcs = arcs[:0]
		for _, u := range r.Units {
			give(u, 2*max(given[u], 1))
		}
		if len(r.CHWs) > 0 {
			short := map[int]bool{}
			for _, c := range r.CHWs {
				short[c] = true
			}
			for u, l := range lists {
				for k := given[u]; k < len(l); k++ {
					if short[l[k].chw] && l[k].walk <= r.Within {
						arcs = append(arcs, catchment.Arc{Unit: u, CHW: l[k].chw, Walk: l[k].walk})
					}
				}
			}
		}
		return slices.Clone(arcs), nil
	}
	p := &catchment.Problem{Units: units, CHWs: chws, Arcs: slices.Clone(arcs), MaxWalk: opts.MaxWalk,
		KeepWhole: opts.KeepVillages, More: more, WidenOverWalk: true}
	progress("flow")
	t0 = time.Now()
	r, err := catchment.Balance(ctx, p)
	if err != nil {
		return nil, err
	}
	res.FlowSeconds = elapsed(t0)
	res.Arcs, res.Widened, res.Rounds = r.Arcs, r.Widened, r.Rounds

	rows := make([]district.Assignment, len(in.hh))
	chosen := make([]int, len(in.hh))
	for i := range in.hh {
		rows[i].Household = in.hh[i].ID
		chosen[i] = -1
	}
	for u, a := range r.Units {
		placeUnit(cand, members[u], a, chosen)
		for _, i := range members[u] {
			if chosen[i] < 0 {
				switch {
				case cand.PointErr[i] != nil:
					rows[i].Reason = unroutedReason(cand.PointErr[i])
				default:
					rows[i].Reason = string(a.Reason)
				}
			}
		}
	}
	for i, c := range chosen {
		if c >= 0 {
			rows[i].CHW = in.chws[c].ID
		}
	}
	res.Moves = householdMoves(in, rows, r, members)
	res.Summary.Moves = len(res.Moves)
	progress("measure walks")
	return rows, measureWalks(ctx, in, rows, chosen)
}

// balanceUnits makes the flow's units: with KeepVillages one per village
// (households with an empty village, or locked apart from their village,
// stay single), else one per household. members lists each unit's
// households (indices into in.hh, by ID).
func balanceUnits(in *assignInput, opts AssignOptions) ([]catchment.Unit, [][]int) {
	lock := lockOf(opts.Locks)
	type key struct {
		village string
		lock    district.CHWID
	}
	var group []string
	if opts.KeepVillages {
		group = villageGroups(in.hh)
	}
	var units []catchment.Unit
	var members [][]int
	byKey := map[key]int{}
	for i := range in.hh {
		h := &in.hh[i]
		l := lock(h)
		u, ok := -1, false
		if group != nil && group[i] != "" {
			u, ok = byKey[key{group[i], l}]
		}
		if !ok {
			id := "household " + string(h.ID)
			if group != nil && group[i] != "" {
				id = group[i]
				if l != "" {
					id += " locked to " + string(l)
				}
				byKey[key{group[i], l}] = len(units)
			}
			u = len(units)
			units = append(units, catchment.Unit{ID: id, Lock: string(l)})
			members = append(members, nil)
		}
		units[u].Households++
		units[u].People += h.Members
		members[u] = append(members[u], i)
		if c, ok := in.current[h.ID]; ok {
			addShare(&units[u], string(c))
		}
	}
	return units, members
}

// hamletDistance joins households with no village name into one unit
// when they stand this close to one another (chained): a hamlet whose
// registrations left the village column empty.
const hamletDistance geo.Meters = 150

// villageGroups returns each household's group for --keep-villages:
// "village NAME" for a named village; for households with an empty village
// column, "hamlet near ID" (the lowest household ID of the group) when
// they chain within hamletDistance of another such household, else "".
// Households are in ID order, so the groups do not depend on row order.
func villageGroups(hh []district.Household) []string {
	out := make([]string, len(hh))
	var loose []int
	for i, h := range hh {
		if h.Village != "" {
			out[i] = "village " + h.Village
		} else {
			loose = append(loose, i)
		}
	}
	if len(loose) < 2 {
		return out
	}
	// Union-find over a grid of hamletDistance cells in local metres.
	loc := geo.NewLocal(hh[loose[0]].Point)
	cell := float64(hamletDistance)
	parent := make([]int, len(loose))
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	type key struct{ x, y int }
	grid := map[key][]int{}
	xy := make([]orb.Point, len(loose))
	for k, i := range loose {
		parent[k] = k
		xy[k] = loc.Forward(hh[i].Point)
		c := key{int(math.Floor(xy[k][0] / cell)), int(math.Floor(xy[k][1] / cell))}
		grid[c] = append(grid[c], k)
	}
	for k := range loose {
		cx, cy := int(math.Floor(xy[k][0]/cell)), int(math.Floor(xy[k][1]/cell))
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				for _, j := range grid[key{cx + dx, cy + dy}] {
					if j > k && math.Hypot(xy[j][0]-xy[k][0], xy[j][1]-xy[k][1]) <= cell {
						if a, b := find(j), find(k); a != b {
							// The root is the lowest index: the lowest ID.
							parent[max(a, b)] = min(a, b)
						}
					}
				}
			}
		}
	}
	size := make([]int, len(loose))
	for k := range loose {
		size[find(k)]++
	}
	for k, i := range loose {
		if r := find(k); size[r] > 1 {
			out[i] = "hamlet near " + string(hh[loose[r]].ID)
		}
	}
	return out
}

// splitUnreachable breaks up the villages that no CHW reaches whole
// within the candidate search (a household off the graph, or a village
// spread wider than any CHW's reach) into single households, so that each
// household is placed on its own rather than the village being left out.
func splitUnreachable(in *assignInput, units []catchment.Unit, members [][]int, cand *routing.Candidates) ([]catchment.Unit, [][]int) {
	var us []catchment.Unit
	var ms [][]int
	for u := range units {
		if len(members[u]) == 1 || len(unitCandidates(cand, members[u])) > 0 {
			us, ms = append(us, units[u]), append(ms, members[u])
			continue
		}
		for _, i := range members[u] {
			h := &in.hh[i]
			one := catchment.Unit{ID: "household " + string(h.ID), Households: 1, People: h.Members, Lock: units[u].Lock}
			if c, ok := in.current[h.ID]; ok {
				addShare(&one, string(c))
			}
			us, ms = append(us, one), append(ms, []int{i})
		}
	}
	return us, ms
}

func addShare(u *catchment.Unit, chw string) {
	for k := range u.Current {
		if u.Current[k].CHW == chw {
			u.Current[k].Households++
			return
		}
	}
	u.Current = append(u.Current, catchment.Share{CHW: chw, Households: 1})
}

// unitCandidates returns a unit's candidate CHWs, nearest first (ties by
// CHW): for one household its candidates; for a village the CHWs that
// reach every one of its households, at the mean walk, so that households
// × walk is the village's total.
func unitCandidates(cand *routing.Candidates, hs []int) []unitArc {
	if len(hs) == 1 {
		l := cand.Of(hs[0])
		out := make([]unitArc, len(l))
		for k, c := range l {
			out[k] = unitArc{c.Source, c.Time}
		}
		return out
	}
	sum := map[int]geo.Seconds{}
	count := map[int]int{}
	for _, h := range hs {
		for _, c := range cand.Of(h) {
			sum[c.Source] += c.Time
			count[c.Source]++
		}
	}
	var out []unitArc
	for c, n := range count {
		if n == len(hs) {
			out = append(out, unitArc{c, sum[c] / geo.Seconds(n)})
		}
	}
	slices.SortFunc(out, func(a, b unitArc) int { return cmp.Or(cmp.Compare(a.walk, b.walk), cmp.Compare(a.chw, b.chw)) })
	return out
}

// placeUnit gives a unit's households to the parts of its assignment: each
// part, largest first, takes the households nearest to its CHW among those
// left (ties by household ID), so a split village is split along the walk.
func placeUnit(cand *routing.Candidates, hs []int, a catchment.Assignment, chosen []int) {
	left := slices.Clone(hs)
	for _, part := range a.Parts {
		walk := func(h int) geo.Seconds {
			for _, c := range cand.Of(h) {
				if c.Source == part.CHW {
					return c.Time
				}
			}
			return geo.Seconds(math.Inf(1))
		}
		slices.SortStableFunc(left, func(x, y int) int { return cmp.Compare(walk(x), walk(y)) })
		n := min(part.Households, len(left))
		for _, h := range left[:n] {
			chosen[h] = part.CHW
		}
		left = left[n:]
	}
}

// householdMoves lists the households whose CHW changed from their current
// one, with the reason Balance gave for their unit's move (by household
// ID).
func householdMoves(in *assignInput, rows []district.Assignment, r *catchment.Result, members [][]int) []district.Move {
	if in.current == nil {
		return nil
	}
	type fromTo struct{ from, to string }
	reason := map[int]map[fromTo]catchment.MoveReason{}
	for _, m := range r.Moves {
		if reason[m.Unit] == nil {
			reason[m.Unit] = map[fromTo]catchment.MoveReason{}
		}
		reason[m.Unit][fromTo{m.From, m.To}] = m.Reason
	}
	var out []district.Move
	for u, hs := range members {
		for _, i := range hs {
			from, to := in.current[in.hh[i].ID], rows[i].CHW
			if from == "" || from == to {
				continue
			}
			why, ok := reason[u][fromTo{string(from), string(to)}]
			if !ok {
				why = catchment.MoveRebalance
			}
			out = append(out, district.Move{Household: in.hh[i].ID, From: from, To: to, Reason: string(why)})
		}
	}
	slices.SortFunc(out, func(a, b district.Move) int { return cmp.Compare(a.Household, b.Household) })
	return out
}
