package visits

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing/vrp"
)

// Depot is the node every day starts and ends at: the health worker's
// home, or the facility.
const Depot = 0

// Problem is one health worker's households and day budget. Node 0 is the
// depot; nodes 1..N-1 are the households (or, for a supervisor, the homes
// of the health workers visited).
type Problem struct {
	// N is the number of nodes, the depot included.
	N int
	// Travel returns the walking time from node i to node j, ok == false
	// when there is no path. It is called once for every ordered pair
	// i != j before planning, never concurrently. Times must be finite and
	// non-negative.
	Travel func(i, j int) (t geo.Seconds, ok bool)
	// Service is each node's visit time (nil: none); Service[Depot] is
	// ignored.
	Service []geo.Seconds
	// DayBudget is the most one day may take, walking plus visits.
	DayBudget geo.Seconds
	// Group optionally gives each node's village (nil, or a negative
	// value: none). Households of one village stay on one day where the
	// budget allows.
	Group []int
	// Priority optionally marks households to visit on the first days.
	Priority []bool
	// XY optionally gives each node's position in a plane (projected
	// metres): it steers the search and orders the days around the depot.
	XY [][2]float64
}

// Options tunes Plan and Schedule. The zero value (or nil) searches until
// the search stalls (vrp.DefaultStall iterations without a better plan).
type Options struct {
	// TimeLimit bounds the search for the days (0: none).
	TimeLimit time.Duration
	// Iterations bounds the genetic iterations of the search (0: none).
	Iterations int
	// Stall stops the search after this many iterations without a better
	// plan (0: vrp's default; negative: never).
	Stall int
	// Seed drives every random choice.
	Seed uint64
	// Clock, when set, measures TimeLimit instead of the wall clock (see
	// vrp.Options.Clock).
	Clock func() time.Duration
}

// Day is one day's walk: from the depot through Stops and back.
type Day struct {
	// Stops lists the nodes visited, in order, depot excluded.
	Stops []int
	// Visit gives, for each stop, which visit of the month it is (1 for
	// the first; always 1 in a Plan).
	Visit []int
	// Walk is the walking time depot → Stops… → depot; Service the sum of
	// the stops' visit times.
	Walk, Service geo.Seconds
}

// Duration is the day's walking plus visits.
func (d *Day) Duration() geo.Seconds { return d.Walk + d.Service }

// Reason says why a household cannot be planned.
type Reason int

// Reasons a household is left out of every day.
const (
	// Unreachable: no path from the depot to the household or back.
	Unreachable Reason = iota + 1
	// TooLong: the round trip to the household with its visit alone takes
	// longer than the day's budget.
	TooLong
)

// String describes the reason in a few words.
func (r Reason) String() string {
	switch r {
	case Unreachable:
		return "no path from the depot or back"
	case TooLong:
		return "its round trip alone exceeds the day's budget"
	}
	return fmt.Sprintf("reason %d", int(r))
}

// Code is the reason as a short code for tables: unreachable, too_far.
func (r Reason) Code() string {
	switch r {
	case Unreachable:
		return "unreachable"
	case TooLong:
		return "too_far"
	}
	return fmt.Sprintf("reason_%d", int(r))
}

// Unserved is a household no day can visit.
type Unserved struct {
	Node   int
	Reason Reason
}

// Villages counts what became of the villages (groups of two or more
// planned households).
type Villages struct {
	// Whole villages are visited on one day.
	Whole int
	// Split villages are spread over several days: TooLarge of them do
	// not fit in one day (their best round trip alone exceeds the budget),
	// NotJoined have households with no path between them; the others
	// (Whole + Split − TooLarge − NotJoined is every village that fits)
	// are split only in months, by further visits.
	Split, TooLarge, NotJoined int
}

// Result is a plan.
type Result struct {
	// Days are the days in the order to walk them: those with priority
	// households first, then around the depot clockwise from north. In a
	// Schedule, Days[i] is working day i of the month (possibly empty) and
	// days from Month.WorkDays on spill past the month.
	Days []Day
	// Unserved lists the households left out and why, in node order.
	Unserved []Unserved
	// Walk and Service are the totals over the days.
	Walk, Service geo.Seconds
	// Villages says how many villages stayed on one day.
	Villages Villages
	// Iterations is the number of genetic iterations of the search.
	Iterations int

	// Rounds is the number of days one visit of every household takes
	// (Schedule: the days of the first visits).
	Rounds int
	// Overflow is the number of days past the month's working days
	// (Schedule).
	Overflow int
	// SpacingMisses counts further visits placed more than half a spacing
	// from their ideal day (Schedule); SpacingError is the largest
	// difference, in days, between two consecutive visits of a household
	// and the even spacing W/f.
	SpacingMisses int
	SpacingError  float64
}

// Used returns the number of days with at least one stop.
func (r *Result) Used() int {
	n := 0
	for i := range r.Days {
		if len(r.Days[i].Stops) > 0 {
			n++
		}
	}
	return n
}

// ErrInput is the sentinel under the errors about a malformed problem.
var ErrInput = errors.New("visits: bad input")

// Validate reports whether p is well formed. It does not call Travel.
func (p *Problem) Validate() error {
	switch {
	case p.N < 1 || p.N > math.MaxInt32/4:
		return fmt.Errorf("%w: %d nodes, want 1 to %d", ErrInput, p.N, math.MaxInt32/4)
	case p.Travel == nil:
		return fmt.Errorf("%w: no Travel function", ErrInput)
	case p.Service != nil && len(p.Service) != p.N:
		return fmt.Errorf("%w: %d service times for %d nodes", ErrInput, len(p.Service), p.N)
	case p.Group != nil && len(p.Group) != p.N:
		return fmt.Errorf("%w: %d groups for %d nodes", ErrInput, len(p.Group), p.N)
	case p.Priority != nil && len(p.Priority) != p.N:
		return fmt.Errorf("%w: %d priorities for %d nodes", ErrInput, len(p.Priority), p.N)
	case p.XY != nil && len(p.XY) != p.N:
		return fmt.Errorf("%w: %d positions for %d nodes", ErrInput, len(p.XY), p.N)
	case !(p.DayBudget > 0) || math.IsInf(float64(p.DayBudget), 0):
		return fmt.Errorf("%w: day budget %v s, want a positive time", ErrInput, float64(p.DayBudget))
	}
	for i := 1; i < p.N && p.Service != nil; i++ {
		if s := float64(p.Service[i]); s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("%w: node %d: service time %v s", ErrInput, i, s)
		}
	}
	return nil
}

// costs is the travel-time matrix in seconds, with reachability.
type costs struct {
	n  int
	d  []float64
	ok []bool
}

func (c *costs) at(i, j int) (float64, bool) { k := i*c.n + j; return c.d[k], c.ok[k] }

func newCosts(p *Problem) (*costs, error) {
	n := p.N
	c := &costs{n: n, d: make([]float64, n*n), ok: make([]bool, n*n)}
	for i := range n {
		c.ok[i*n+i] = true
		for j := range n {
			if i == j {
				continue
			}
			t, ok := p.Travel(i, j)
			if !ok {
				continue
			}
			if f := float64(t); f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("%w: walking time %v s from node %d to node %d", ErrInput, f, i, j)
			}
			c.d[i*n+j], c.ok[i*n+j] = float64(t), true
		}
	}
	return c, nil
}

// planner holds one problem's costs and settings.
type planner struct {
	p      *Problem
	c      *costs
	svc    []float64
	budget float64
	opts   Options
	// fit caches groupTour by village: it is always asked about the
	// village's households that fit in a day alone.
	fit map[int]groupFit
}

func newPlanner(p *Problem, opts *Options) (*planner, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c, err := newCosts(p)
	if err != nil {
		return nil, err
	}
	pl := &planner{p: p, c: c, svc: make([]float64, p.N), budget: float64(p.DayBudget)}
	if opts != nil {
		pl.opts = *opts
	}
	for i := 1; i < p.N && p.Service != nil; i++ {
		pl.svc[i] = float64(p.Service[i])
	}
	return pl, nil
}

// unserved splits the households into those a day can visit and those it
// cannot.
func (pl *planner) unserved() (served []int, out []Unserved) {
	for i := 1; i < pl.p.N; i++ {
		to, ok1 := pl.c.at(Depot, i)
		back, ok2 := pl.c.at(i, Depot)
		switch {
		case !ok1 || !ok2:
			out = append(out, Unserved{i, Unreachable})
		case to+pl.svc[i]+back > pl.budget:
			out = append(out, Unserved{i, TooLong})
		default:
			served = append(served, i)
		}
	}
	return served, out
}

// Plan splits the households into the fewest days of at most DayBudget
// each, then the least total walking, visiting each once, villages whole
// where they fit in a day. It stops at opts.TimeLimit, after the search
// stalls or when ctx is done, and returns the best plan found; errors are
// only about a malformed problem (ErrInput).
//
// It calls Travel N² times and holds an N×N matrix; the search costs what
// vrp.Solve costs on the villages and remaining households.
func Plan(ctx context.Context, p *Problem, opts *Options) (*Result, error) {
	pl, err := newPlanner(p, opts)
	if err != nil {
		return nil, err
	}
	served, unserved := pl.unserved()
	res := &Result{Unserved: unserved}
	days, iters, err := pl.plan(ctx, served)
	if err != nil {
		return nil, err
	}
	res.Days, res.Iterations, res.Rounds = days, iters, len(days)
	pl.finish(res)
	return res, nil
}

// finish fills the totals and the village counts of res.
func (pl *planner) finish(res *Result) {
	res.Walk, res.Service = 0, 0
	dayOf := map[int]map[int]bool{} // group → days
	for di := range res.Days {
		d := &res.Days[di]
		if d.Visit == nil {
			d.Visit = make([]int, len(d.Stops))
			for k := range d.Visit {
				d.Visit[k] = 1
			}
		}
		w, _ := pl.walk(d.Stops)
		d.Walk = geo.Seconds(w)
		d.Service = 0
		for _, v := range d.Stops {
			d.Service += geo.Seconds(pl.svc[v])
		}
		res.Walk += d.Walk
		res.Service += d.Service
		for _, v := range d.Stops {
			if g := pl.group(v); g >= 0 {
				if dayOf[g] == nil {
					dayOf[g] = map[int]bool{}
				}
				dayOf[g][di] = true
			}
		}
	}
	members := pl.groups(nil)
	res.Villages = Villages{}
	for _, g := range sortedKeys(members) {
		var planned []int
		for _, v := range members[g] {
			if pl.servedAlone(v) {
				planned = append(planned, v)
			}
		}
		if len(planned) < 2 {
			continue
		}
		if len(dayOf[g]) <= 1 {
			res.Villages.Whole++
			continue
		}
		res.Villages.Split++
		switch f, _ := pl.groupTour(g, planned); f {
		case fitTooLarge:
			res.Villages.TooLarge++
		case fitNotJoined:
			res.Villages.NotJoined++
		}
	}
}

func (pl *planner) servedAlone(v int) bool {
	to, ok1 := pl.c.at(Depot, v)
	back, ok2 := pl.c.at(v, Depot)
	return ok1 && ok2 && to+pl.svc[v]+back <= pl.budget
}

func (pl *planner) group(v int) int {
	if pl.p.Group == nil {
		return -1
	}
	return pl.p.Group[v]
}

// groups returns the members of each group among nodes (all households
// when nodes is nil), in node order.
func (pl *planner) groups(nodes []int) map[int][]int {
	out := map[int][]int{}
	if pl.p.Group == nil {
		return out
	}
	if nodes == nil {
		for v := 1; v < pl.p.N; v++ {
			nodes = append(nodes, v)
		}
	}
	for _, v := range nodes {
		if g := pl.p.Group[v]; g >= 0 {
			out[g] = append(out[g], v)
		}
	}
	for g := range out {
		slices.Sort(out[g])
	}
	return out
}

// walk returns the walking time depot → stops → depot; ok is false when a
// leg has no path.
func (pl *planner) walk(stops []int) (float64, bool) {
	if len(stops) == 0 {
		return 0, true
	}
	var t float64
	ok := true
	prev := Depot
	for _, v := range append(stops, Depot) {
		d, k := pl.c.at(prev, v)
		t += d
		ok = ok && k
		prev = v
	}
	return t, ok
}

// unit is one stop of the search: a household, or a whole village walked
// in a fixed order.
type unit struct {
	seq  []int
	walk float64 // inside the unit, first → last
	svc  float64
}

type fit int

const (
	fitOK fit = iota
	fitTooLarge
	fitNotJoined
)

// groupTour says whether a village can be visited in one day, and if so
// in which order (its best round trip from the depot found).
func (pl *planner) groupTour(g int, members []int) (fit, []int) {
	for _, a := range members {
		if !pl.servedAlone(a) {
			return fitNotJoined, nil
		}
		for _, b := range members {
			if _, ok := pl.c.at(a, b); !ok {
				return fitNotJoined, nil
			}
		}
	}
	s := 0.0
	for _, v := range members {
		s += pl.svc[v]
	}
	if s > pl.budget {
		return fitTooLarge, nil // the visits alone fill more than a day
	}
	if f, ok := pl.fit[g]; ok {
		return f.fit, f.order
	}
	order, w, ok := pl.tour(context.Background(), members)
	f := fitOK
	switch {
	case !ok:
		f = fitNotJoined
	case w+s > pl.budget:
		f = fitTooLarge
	}
	if pl.fit == nil {
		pl.fit = map[int]groupFit{}
	}
	pl.fit[g] = groupFit{f, order}
	if f != fitOK {
		return f, nil
	}
	return f, order
}

// groupFit remembers a village's fit.
type groupFit struct {
	fit   fit
	order []int
}

// units turns the households into the search's stops: one per village
// that fits in a day, one per other household.
func (pl *planner) units(nodes []int) []unit {
	var us []unit
	inUnit := map[int]bool{}
	members := pl.groups(nodes)
	for _, g := range sortedKeys(members) {
		m := members[g]
		if len(m) < 2 {
			continue
		}
		f, order := pl.groupTour(g, m)
		if f != fitOK {
			continue
		}
		u := unit{seq: order}
		for k, v := range order {
			u.svc += pl.svc[v]
			if k > 0 {
				d, _ := pl.c.at(order[k-1], v)
				u.walk += d
			}
			inUnit[v] = true
		}
		us = append(us, u)
	}
	for _, v := range nodes {
		if !inUnit[v] {
			us = append(us, unit{seq: []int{v}, svc: pl.svc[v]})
		}
	}
	slices.SortFunc(us, func(a, b unit) int { return cmp.Compare(a.seq[0], b.seq[0]) })
	return us
}

// plan returns the days visiting nodes (each of which fits in a day on its
// own) once, ordered for walking, and the search's iterations.
func (pl *planner) plan(ctx context.Context, nodes []int) ([]Day, int, error) {
	if len(nodes) == 0 {
		return nil, 0, nil
	}
	us := pl.units(nodes)
	n := len(us) + 1
	first := func(u int) int {
		if u == 0 {
			return Depot
		}
		return us[u-1].seq[0]
	}
	last := func(u int) int {
		if u == 0 {
			return Depot
		}
		s := us[u-1].seq
		return s[len(s)-1]
	}
	svc := make([]geo.Seconds, n)
	for u := 1; u < n; u++ {
		svc[u] = geo.Seconds(us[u-1].svc + us[u-1].walk)
	}
	vp := &vrp.Problem[geo.Seconds]{
		N: n,
		Travel: func(a, b int) (geo.Seconds, bool) {
			d, ok := pl.c.at(last(a), first(b))
			return geo.Seconds(d), ok
		},
		Service:     svc,
		MaxDuration: pl.p.DayBudget,
		// Any plan's walking is at most its days times the budget, so a
		// day costing more than n budgets puts the fewest days first.
		RouteCost: geo.Seconds(float64(n+1) * pl.budget),
	}
	if pl.p.XY != nil {
		vp.XY = make([][2]float64, n)
		vp.XY[0] = pl.p.XY[Depot]
		for u := 1; u < n; u++ {
			vp.XY[u] = pl.centroid(us[u-1].seq)
		}
	}
	o := pl.opts
	res, err := vrp.Solve(ctx, vp, &vrp.Options{TimeLimit: o.TimeLimit, Iterations: o.Iterations, Stall: o.Stall, Seed: o.Seed, Clock: o.Clock})
	if err != nil {
		return nil, 0, fmt.Errorf("visits: %w", err)
	}
	if len(res.Unserved) > 0 {
		// Every unit fits in a day alone and is reachable: a bug.
		return nil, 0, fmt.Errorf("visits: search left %d stops unplanned", len(res.Unserved))
	}
	var days []Day
	for _, r := range res.Routes {
		var stops []int
		for _, u := range r.Stops {
			stops = append(stops, us[u-1].seq...)
		}
		days = append(days, pl.repair(stops)...)
	}
	for i := range days {
		days[i].Stops = pl.improve(ctx, days[i].Stops)
	}
	pl.order(days)
	return days, res.Iterations, nil
}

// repair returns stops as one day when it fits, else (a search that found
// no feasible plan in its time) as days of one household each, which
// always fit.
func (pl *planner) repair(stops []int) []Day {
	if pl.fits(stops) {
		return []Day{{Stops: stops}}
	}
	var out []Day
	for _, v := range stops {
		out = append(out, Day{Stops: []int{v}})
	}
	return out
}

// fits reports whether a day walking stops in this order keeps within the
// budget on paths that exist.
func (pl *planner) fits(stops []int) bool {
	w, ok := pl.walk(stops)
	if !ok {
		return false
	}
	for _, v := range stops {
		w += pl.svc[v]
	}
	return w <= pl.budget*(1+1e-12)
}

func (pl *planner) centroid(stops []int) [2]float64 {
	var x, y float64
	for _, v := range stops {
		x += pl.p.XY[v][0]
		y += pl.p.XY[v][1]
	}
	return [2]float64{x / float64(len(stops)), y / float64(len(stops))}
}

// order sorts days: most priority households first, then clockwise from
// north around the depot (by the days' centroids), then by first stop.
func (pl *planner) order(days []Day) {
	type key struct {
		prio  int
		angle float64
		first int
	}
	keys := make(map[*Day]key, len(days))
	for i := range days {
		d := &days[i]
		k := key{first: slices.Min(d.Stops)}
		for _, v := range d.Stops {
			if pl.p.Priority != nil && pl.p.Priority[v] {
				k.prio++
			}
		}
		if pl.p.XY != nil {
			c, o := pl.centroid(d.Stops), pl.p.XY[Depot]
			a := math.Atan2(c[0]-o[0], c[1]-o[1]) // azimuth: 0 north, clockwise
			if a < 0 {
				a += 2 * math.Pi
			}
			k.angle = a
		}
		keys[d] = k
	}
	ks := make([]key, len(days))
	for i := range days {
		ks[i] = keys[&days[i]]
	}
	idx := make([]int, len(days))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ka, kb := ks[a], ks[b]
		if c := cmp.Compare(kb.prio, ka.prio); c != 0 {
			return c
		}
		if c := cmp.Compare(ka.angle, kb.angle); c != 0 {
			return c
		}
		return cmp.Compare(ka.first, kb.first)
	})
	sorted := make([]Day, len(days))
	for i, k := range idx {
		sorted[i] = days[k]
	}
	copy(days, sorted)
}

func sortedKeys[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
