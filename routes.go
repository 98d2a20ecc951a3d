package lastmile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing"
	"github.com/lastmile-health/lastmile/routing/visits"
)

// Where each day starts and ends (RoutesOptions.Start).
const (
	StartHome     = "home"
	StartFacility = "facility"
)

// Defaults of the routes stage: a CHW's working day of 6 hours, walking
// and visits together, 20 minutes per household visit, and an hour with
// each CHW on a supervisor's circuit.
const (
	DefaultDayBudget   = geo.Seconds(6 * 3600)
	DefaultService     = geo.Seconds(20 * 60)
	DefaultSupervision = geo.Seconds(60 * 60)
)

// The search's share of a run when no time limit is given: two minutes of
// every worker's time in all, at least 50 ms and at most 1 s per CHW, so
// that the 4,000 CHWs of a national district plan in minutes and a
// district of 50 in under a minute.
const (
	routesSearchBudget = 2 * time.Minute
	minCHWSearch       = 50 * time.Millisecond
	maxCHWSearch       = 1 * time.Second
	// routesStall ends a CHW's search early after this many iterations
	// without a better plan: a district's CHW of 50 households settles in
	// a few hundred.
	routesStall = 1000
)

// RoutesOptions are the routes stage's inputs.
type RoutesOptions struct {
	// CHW plans one CHW only ("" plans every active CHW); the other CHWs'
	// rows are kept.
	CHW district.CHWID
	// DayBudget is the most a day may take, walking and visits; Service a
	// household visit. Both must be positive (DefaultDayBudget,
	// DefaultService); the roster's day_budget_minutes and
	// service_minutes override them per CHW.
	DayBudget, Service geo.Seconds
	// Start is StartHome (default) or StartFacility.
	Start string
	// Month ("2027-01") plans the month's working days (Monday to Friday)
	// with each household's visits_per_month, evenly spaced, priority
	// households first. Empty: one round visiting every household once.
	Month string
	// TimeLimit is each CHW's search time (0: routesSearchBudget shared
	// out, see CHWTimeLimit). Iterations, when set, bounds the search by
	// genetic iterations instead, with no time limit: the same inputs and
	// Seed then give the same plan.
	TimeLimit  time.Duration
	Iterations int
	Seed       uint64
	// Supervision is the time a supervisor spends at each CHW's home
	// (0: DefaultSupervision).
	Supervision geo.Seconds
	// Workers plans CHWs in parallel (0: GOMAXPROCS).
	Workers int
	// Progress hears each step; CHWDone each CHW planned.
	Progress func(step string)
	CHWDone  func(done, total int)
}

// RoutesResult is what Routes planned.
type RoutesResult struct {
	// CHWs are the per-CHW summaries, in CHW ID order.
	CHWs []CHWRoutes
	// Supervisors are the supervisors' circuits and the balance across
	// their CHWs, in supervisor order.
	Supervisors []SupervisorRoutes
	// Month and Dates: the planned month and its working days.
	Month string
	Dates []time.Time
	// TimeLimit is each CHW's search time (0 with Iterations).
	TimeLimit time.Duration
	// Totals over every CHW.
	Households, Visits, Unserved, Days int
	Walk, Service                      geo.Seconds
	Distance                           geo.Meters
	// Where the time went, summed over CHWs (seconds of all workers): the
	// walking-time matrices, the search, and the walked lines.
	MatrixSeconds, SearchSeconds, GeometrySeconds float64
	Warnings                                      []string
	Phases                                        []routing.Phase
}

// CHWRoutes summarises one CHW's plan.
type CHWRoutes struct {
	CHW        district.CHWID
	Facility   district.FacilityID
	Supervisor string
	// Households assigned; Visits planned (more than Households with
	// --month); Unserved households no day can reach (see stops.reason).
	Households, Visits, Unserved int
	Days                         int
	Walk, Service                geo.Seconds
	Distance                     geo.Meters
	// ShortestDay and LongestDay (walking and visits) show the balance
	// across the CHW's days.
	ShortestDay, LongestDay geo.Seconds
	// Villages kept on one day and split (TooLarge of them bigger than a
	// day).
	VillagesWhole, VillagesSplit, VillagesTooLarge int
	// Overflow: days past the month (--month); SpacingError the largest
	// difference in days between a household's visits and even spacing.
	Overflow     int
	SpacingError float64
	// Seconds is the time spent on this CHW.
	Seconds float64
}

// Hours is the CHW's time in the plan, walking and visits.
func (c *CHWRoutes) Hours() float64 { return float64(c.Walk+c.Service) / 3600 }

// SupervisorRoutes is one supervisor's circuit and the balance across
// their CHWs.
type SupervisorRoutes struct {
	Supervisor string
	Facility   district.FacilityID
	CHWs       int
	// Days, Walk and Distance are the circuit's; Unreached the CHW homes
	// it cannot reach.
	Days      int
	Walk      geo.Seconds
	Distance  geo.Meters
	Unreached []district.CHWID
	// The spread of the supervised CHWs' plans.
	MinCHWDays, MaxCHWDays   int
	MinCHWHours, MaxCHWHours float64
}

// ErrNoAssignments is wrapped by Routes' error when the district has no
// assignments yet.
var ErrNoAssignments = errors.New("no assignments")

// routesInput is what Routes reads.
type routesInput struct {
	chws       []district.CHW // active, by ID
	facilities map[district.FacilityID]district.Facility
	hh         map[district.HouseholdID]district.Household
	byCHW      map[district.CHWID][]district.HouseholdID
	need       map[district.HouseholdID]district.VisitNeed
	planning   map[district.CHWID]district.CHWPlanning
	unassigned int
	// kept are the rows of the CHWs not planned (RoutesOptions.CHW).
	keptDays  []district.VisitDay
	keptStops []district.Stop
}

// Routes plans each active CHW's visit days (visits.Plan, or
// visits.Schedule with a month) from their assigned households, walks the
// planned order on the graph for the lines, plans each supervisor's
// circuit, and writes visit_days, stops and supervision_days in one atomic
// update. Every assigned household appears in stops as many times as its
// visits ask, or once with the reason it has no day.
func (d *District) Routes(ctx context.Context, opts RoutesOptions) (*RoutesResult, error) {
	if err := checkRoutesOptions(&opts); err != nil {
		return nil, err
	}
	res := &RoutesResult{Month: opts.Month}
	var last string
	var t0 time.Time
	progress := func(step string) {
		now := time.Now()
		if last != "" {
			res.Phases = append(res.Phases, routing.Phase{Name: last, Seconds: now.Sub(t0).Seconds()})
		}
		last, t0 = step, now
		if opts.Progress != nil && step != "" {
			opts.Progress(step)
		}
	}
	defer progress("")
	var dates []time.Time
	if opts.Month != "" {
		var err error
		if dates, err = workingDays(opts.Month); err != nil {
			return nil, err
		}
		res.Dates = dates
	}

	progress("read households, assignments and CHWs")
	// The graph loads on the other core while the layers are read.
	type loaded struct {
		g        *routing.Graph
		warnings []string
		err      error
	}
	graph := make(chan loaded, 1)
	go func() {
		var l loaded
		l.g, l.warnings, l.err = d.Graph()
		graph <- l
	}()
	in, err := d.readRoutesInput(opts, res)
	if err != nil {
		<-graph
		return nil, err
	}
	progress("load graph")
	l := <-graph
	if l.err != nil {
		return nil, l.err
	}
	g := l.g
	res.Warnings = append(res.Warnings, l.warnings...)

	plan := in.chws
	if opts.CHW != "" {
		plan = nil
		for _, c := range in.chws {
			if c.ID == opts.CHW {
				plan = append(plan, c)
			}
		}
	}
	switch {
	case opts.TimeLimit > 0:
		res.TimeLimit = opts.TimeLimit
	case opts.Iterations == 0:
		res.TimeLimit = CHWTimeLimit(len(plan), opts.Workers)
	}
	progress(fmt.Sprintf("plan %d CHWs", len(plan)))
	outs := make([]chwPlanOut, len(plan))
	var mu sync.Mutex
	done := 0
	err = parallel.For(ctx, opts.Workers, len(plan), func(i int) {
		outs[i] = d.planCHW(ctx, g, in, plan[i], opts, res.TimeLimit, dates)
		if opts.CHWDone != nil {
			mu.Lock()
			done++
			opts.CHWDone(done, len(plan))
			mu.Unlock()
		}
	})
	if err != nil {
		return nil, d.explain(ctx, err)
	}
	days := slices.Clone(in.keptDays)
	stops := slices.Clone(in.keptStops)
	for _, o := range outs {
		if o.err != nil {
			return nil, o.err
		}
		res.CHWs = append(res.CHWs, o.sum)
		res.Warnings = append(res.Warnings, o.warnings...)
		days = append(days, o.days...)
		stops = append(stops, o.stops...)
		res.MatrixSeconds += o.matrixSec
		res.SearchSeconds += o.searchSec
		res.GeometrySeconds += o.geomSec
		s := o.sum
		res.Households += s.Households
		res.Visits += s.Visits
		res.Unserved += s.Unserved
		res.Days += s.Days
		res.Walk += s.Walk
		res.Service += s.Service
		res.Distance += s.Distance
	}
	if n := len(res.Warnings); n > 12 {
		res.Warnings = append(res.Warnings[:10], fmt.Sprintf("%d more warnings", n-10))
	}

	var sup []district.SupervisorDay
	if opts.CHW == "" {
		progress("plan supervisors' circuits")
		if sup, err = d.planSupervisors(ctx, g, in, opts, res); err != nil {
			return nil, d.explain(ctx, err)
		}
	}

	progress("write")
	err = d.update(ctx, func(tx *gpkg.Tx) error {
		if err := district.WriteVisitDays(tx, days); err != nil {
			return err
		}
		if err := district.WriteStops(tx, stops); err != nil {
			return err
		}
		if opts.CHW == "" {
			return district.WriteSupervisionDays(tx, sup)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// CHWTimeLimit is each CHW's search time when none is given: the search
// budget of a run shared out over n CHWs on workers goroutines, between
// 50 ms and 1 s.
func CHWTimeLimit(n, workers int) time.Duration {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if n < 1 {
		return maxCHWSearch
	}
	t := routesSearchBudget * time.Duration(workers) / time.Duration(n)
	return min(maxCHWSearch, max(minCHWSearch, t))
}

func checkRoutesOptions(o *RoutesOptions) error {
	if o.Start == "" {
		o.Start = StartHome
	}
	if o.Supervision == 0 {
		o.Supervision = DefaultSupervision
	}
	switch {
	case o.Start != StartHome && o.Start != StartFacility:
		return usageErrorf("--start %q: want home or facility", o.Start)
	case !(o.Service > 0):
		return usageErrorf("--service %v: a visit takes time; give at least a minute (default %v)", minutesText(o.Service), minutesText(DefaultService))
	case !(o.DayBudget > 0):
		return usageErrorf("--day-budget %v: want a positive time (default %v)", minutesText(o.DayBudget), minutesText(DefaultDayBudget))
	case o.DayBudget < o.Service:
		return usageErrorf("--day-budget %v is shorter than one visit (--service %v): no household fits in a day", minutesText(o.DayBudget), minutesText(o.Service))
	case o.Supervision < 0:
		return usageErrorf("--supervision %v: want a positive time", minutesText(o.Supervision))
	case o.TimeLimit < 0 || o.Iterations < 0:
		return usageErrorf("--time-limit and --iterations: want positive values")
	}
	return nil
}

// minutesText formats a time the way the flags take it: 20m, 6h, 1h30m.
func minutesText(s geo.Seconds) string {
	return time.Duration(float64(s) * float64(time.Second)).Round(time.Second).String()
}

// workingDays returns the Monday-to-Friday dates of month "YYYY-MM".
func workingDays(month string) ([]time.Time, error) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, usageErrorf("--month %q: want a month as YYYY-MM, e.g. 2027-01", month)
	}
	var out []time.Time
	for d := t; d.Month() == t.Month(); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			out = append(out, d)
		}
	}
	return out, nil
}

// dateOf returns the date of day index i (0-based) of a month whose working
// days are dates; days past the month continue on the next working days.
func dateOf(dates []time.Time, i int) time.Time {
	if i < len(dates) {
		return dates[i]
	}
	d := dates[len(dates)-1]
	for k := len(dates) - 1; k < i; {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			k++
		}
	}
	return d
}

// readRoutesInput reads the active CHWs, facilities, households,
// assignments, visit needs and roster planning columns.
func (d *District) readRoutesInput(opts RoutesOptions, res *RoutesResult) (*routesInput, error) {
	in := &routesInput{
		facilities: map[district.FacilityID]district.Facility{},
		hh:         map[district.HouseholdID]district.Household{},
		byCHW:      map[district.CHWID][]district.HouseholdID{},
		need:       map[district.HouseholdID]district.VisitNeed{},
		planning:   map[district.CHWID]district.CHWPlanning{},
	}
	// The visit needs are a second scan of the households layer: on a
	// connection of its own, beside the first.
	needs := make(chan error, 1)
	go func() {
		needs <- d.read(func(db *gpkg.DB) error {
			for n, err := range district.ReadVisitNeeds(db) {
				if err != nil {
					return err
				}
				in.need[n.Household] = n
			}
			return nil
		})
	}()
	err := d.read(func(db *gpkg.DB) error {
		for c, err := range district.ReadCHWs(db) {
			if err != nil {
				return missingLayer(err, d.Path, "lastmile ingest chws")
			}
			if c.Active {
				in.chws = append(in.chws, c)
			}
		}
		if ok, err := db.HasTable(district.Facilities.Name); err != nil {
			return err
		} else if ok {
			for f, err := range district.ReadFacilities(db) {
				if err != nil {
					return err
				}
				in.facilities[f.ID] = f
			}
		}
		for h, err := range district.ReadHouseholds(db) {
			if err != nil {
				return missingLayer(err, d.Path, "lastmile ingest households")
			}
			in.hh[h.ID] = h
		}
		for a, err := range district.ReadAssignments(db) {
			if errors.Is(err, district.ErrNoLayer) {
				return fmt.Errorf("%w in %s: run lastmile assign --gpkg %s first", ErrNoAssignments, d.Path, d.Path)
			}
			if err != nil {
				return err
			}
			if a.CHW == "" {
				in.unassigned++
				continue
			}
			in.byCHW[a.CHW] = append(in.byCHW[a.CHW], a.Household)
		}
		for p, err := range district.ReadCHWPlanning(db) {
			if err != nil {
				return err
			}
			in.planning[p.CHW] = p
		}
		if opts.CHW != "" {
			return d.readKeptRows(db, in, opts.CHW)
		}
		return nil
	})
	if nerr := <-needs; err == nil {
		err = nerr
	}
	if err != nil {
		return nil, err
	}
	slices.SortFunc(in.chws, func(a, b district.CHW) int { return cmp.Compare(a.ID, b.ID) })
	for id := range in.byCHW {
		slices.Sort(in.byCHW[id])
	}
	if opts.CHW != "" {
		found := false
		for _, c := range in.chws {
			found = found || c.ID == opts.CHW
		}
		if !found {
			return nil, usageErrorf("--chw %s: no active CHW of that ID in %s (see lastmile info)", opts.CHW, d.Path)
		}
	}
	if len(in.chws) == 0 {
		return nil, fmt.Errorf("%w in %s: every CHW is inactive or the roster is empty", ErrNoActiveCHW, d.Path)
	}
	if in.unassigned > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d households have no CHW (see assignments.reason): they are in no plan", in.unassigned))
	}
	return in, nil
}

// readKeptRows keeps the visit_days and stops rows of every CHW but chw.
func (d *District) readKeptRows(db *gpkg.DB, in *routesInput, chw district.CHWID) error {
	for v, err := range district.ReadVisitDays(db) {
		if errors.Is(err, district.ErrNoLayer) {
			break
		}
		if err != nil {
			return err
		}
		if v.CHW != chw {
			in.keptDays = append(in.keptDays, v)
		}
	}
	for s, err := range district.ReadStops(db) {
		if errors.Is(err, district.ErrNoLayer) {
			break
		}
		if err != nil {
			return err
		}
		if s.CHW != chw {
			in.keptStops = append(in.keptStops, s)
		}
	}
	return nil
}

// chwPlanOut is one CHW's plan as rows and summary.
type chwPlanOut struct {
	sum                           CHWRoutes
	days                          []district.VisitDay
	stops                         []district.Stop
	warnings                      []string
	matrixSec, searchSec, geomSec float64
	err                           error
}

// planCHW plans one CHW: the walking-time matrix between the start and the
// households, the search, and the walked lines.
func (d *District) planCHW(ctx context.Context, g *routing.Graph, in *routesInput, c district.CHW, opts RoutesOptions, limit time.Duration, dates []time.Time) (out chwPlanOut) {
	start := time.Now()
	defer func() { out.sum.Seconds = time.Since(start).Seconds() }()
	pl := in.planning[c.ID]
	out.sum = CHWRoutes{CHW: c.ID, Facility: c.Facility, Supervisor: pl.Supervisor}
	budget, service := opts.DayBudget, opts.Service
	if pl.DayBudget > 0 {
		budget = pl.DayBudget
	}
	if pl.Service > 0 {
		service = pl.Service
	}
	if budget < service {
		out.err = usageErrorf("CHW %s: the roster's day of %v is shorter than one visit (%v)", c.ID, minutesText(budget), minutesText(service))
		return out
	}
	ids := in.byCHW[c.ID]
	out.sum.Households = len(ids)
	if len(ids) == 0 {
		out.warnings = append(out.warnings, fmt.Sprintf("CHW %s has no households assigned: no days planned", c.ID))
		return out
	}
	depot := c.Point
	if opts.Start == StartFacility {
		f, ok := in.facilities[c.Facility]
		if !ok {
			out.warnings = append(out.warnings, fmt.Sprintf("CHW %s: facility %q is not in the facilities layer: days start from home", c.ID, c.Facility))
		} else {
			depot = f.Point
		}
	}
	pts := make([]orb.Point, 1, len(ids)+1)
	pts[0] = depot
	for _, id := range ids {
		pts = append(pts, in.hh[id].Point)
	}

	t := time.Now()
	m, err := matrixOf(ctx, g, pts)
	if err != nil {
		out.err = err
		return out
	}
	out.matrixSec = time.Since(t).Seconds()

	n := len(pts)
	local := geo.NewLocal(depot)
	p := &visits.Problem{
		N: n, DayBudget: budget,
		Travel:   func(i, j int) (geo.Seconds, bool) { return m.At(i, j) },
		Service:  make([]geo.Seconds, n),
		Group:    make([]int, n),
		Priority: make([]bool, n),
		XY:       make([][2]float64, n),
	}
	villages := map[string]int{}
	var names []string
	for _, id := range ids {
		if v := in.hh[id].Village; v != "" {
			if _, ok := villages[v]; !ok {
				villages[v] = 0
				names = append(names, v)
			}
		}
	}
	slices.Sort(names)
	for i, v := range names {
		villages[v] = i
	}
	p.Group[0] = -1
	freq := make([]int, n)
	freq[0] = 1
	for i, id := range ids {
		h := in.hh[id]
		p.Service[i+1] = service
		p.Group[i+1] = -1
		if h.Village != "" {
			p.Group[i+1] = villages[h.Village]
		}
		p.Priority[i+1] = in.need[id].Priority
		freq[i+1] = max(1, in.need[id].Visits)
		if freq[i+1] > len(dates) && dates != nil {
			out.warnings = append(out.warnings, fmt.Sprintf("household %s asks %d visits a month, more than the %d working days: visited daily", id, freq[i+1], len(dates)))
			freq[i+1] = len(dates)
		}
		xy := local.Forward(h.Point)
		p.XY[i+1] = [2]float64{xy[0], xy[1]}
	}

	t = time.Now()
	vo := &visits.Options{TimeLimit: limit, Iterations: opts.Iterations, Seed: opts.Seed, Stall: routesStall}
	if opts.Iterations > 0 {
		vo.Stall = -1
	}
	var plan *visits.Result
	if dates != nil {
		plan, err = visits.Schedule(ctx, p, visits.Month{WorkDays: len(dates), Visits: freq}, vo)
	} else {
		plan, err = visits.Plan(ctx, p, vo)
	}
	if err != nil {
		out.err = fmt.Errorf("CHW %s: %w", c.ID, err)
		return out
	}
	out.searchSec = time.Since(t).Seconds()

	t = time.Now()
	d.chwRows(g, m, c, ids, in, plan, dates, &out)
	out.geomSec = time.Since(t).Seconds()
	return out
}

// chwRows turns a CHW's plan into visit_days and stops rows and the
// summary, walking each day on the graph for its line.
func (d *District) chwRows(g *routing.Graph, m *routing.Matrix, c district.CHW, ids []district.HouseholdID, in *routesInput, plan *visits.Result, dates []time.Time, out *chwPlanOut) {
	s := &out.sum
	s.VillagesWhole, s.VillagesSplit, s.VillagesTooLarge = plan.Villages.Whole, plan.Villages.Split, plan.Villages.TooLarge
	s.Overflow, s.SpacingError = plan.Overflow, plan.SpacingError
	dayNo := 0
	for di, day := range plan.Days {
		if len(day.Stops) == 0 {
			continue
		}
		dayNo++
		num := dayNo
		var date time.Time
		if dates != nil {
			num, date = di+1, dateOf(dates, di)
		}
		line, meters, up, down := walkDay(g, m, day.Stops)
		vd := district.VisitDay{CHW: c.ID, Day: num, Date: date, Line: line, Households: len(day.Stops),
			Walk: day.Walk, Service: day.Service, Distance: meters, Ascent: up, Descent: down}
		out.days = append(out.days, vd)
		var clock geo.Seconds
		prev := 0
		for k, v := range day.Stops {
			w, _ := m.At(prev, v)
			clock += w
			out.stops = append(out.stops, district.Stop{
				Household: ids[v-1], CHW: c.ID, Point: in.hh[ids[v-1]].Point, Day: num, Date: date, Seq: k + 1,
				Arrive: clock, Walk: w, Visit: day.Visit[k],
			})
			clock += day.Service / geo.Seconds(len(day.Stops))
			prev = v
		}
		s.Days++
		s.Visits += len(day.Stops)
		s.Walk += day.Walk
		s.Service += day.Service
		s.Distance += meters
		dur := day.Duration()
		if s.Days == 1 || dur < s.ShortestDay {
			s.ShortestDay = dur
		}
		s.LongestDay = max(s.LongestDay, dur)
	}
	for _, u := range plan.Unserved {
		id := ids[u.Node-1]
		reason := u.Reason.Code()
		if err := m.ToErr[u.Node]; err != nil {
			reason = unroutedReason(err)
		}
		if err := m.FromErr[0]; err != nil {
			reason = visits.Unreachable.Code()
		}
		out.stops = append(out.stops, district.Stop{Household: id, CHW: c.ID, Point: in.hh[id].Point, Reason: reason})
		s.Unserved++
	}
	if err := m.FromErr[0]; err != nil {
		out.warnings = append(out.warnings, fmt.Sprintf("CHW %s: the start is not on the walking graph (%v): no days planned", c.ID, err))
	} else if s.Unserved > 0 {
		out.warnings = append(out.warnings, fmt.Sprintf("CHW %s: %d households have no day (see stops.reason)", c.ID, s.Unserved))
	}
	if s.Overflow > 0 {
		out.warnings = append(out.warnings, fmt.Sprintf("CHW %s: the month's visits need %d days past its %d working days", c.ID, s.Overflow, len(dates)))
	}
}

// walkDay walks a day on the graph, node 0 (the start) → stops → node 0,
// and returns its line and its length, climb and descent.
func walkDay(g *routing.Graph, m *routing.Matrix, stops []int) (orb.LineString, geo.Meters, geo.Meters, geo.Meters) {
	var line orb.LineString
	var meters, up, down geo.Meters
	prev := 0
	for _, v := range append(slices.Clone(stops), 0) {
		r, err := g.WalkSnapped(m.FromSnaps[prev], m.FromSnaps[v])
		if err != nil {
			// The matrix found a way; draw the leg straight rather than
			// leave a gap.
			r = routing.Route{Path: orb.LineString{m.FromSnaps[prev].Point, m.FromSnaps[v].Point}}
		}
		for k, q := range r.Path {
			if k == 0 && len(line) > 0 && line[len(line)-1] == q {
				continue
			}
			line = append(line, q)
		}
		meters += r.Meters
		up += r.Ascent
		down += r.Descent
		prev = v
	}
	if len(line) == 1 {
		line = append(line, line[0])
	}
	return line, meters, up, down
}

// planSupervisors plans each supervisor's circuit from the facility most of
// their CHWs belong to through the CHWs' homes, and sums up the balance
// across their CHWs.
func (d *District) planSupervisors(ctx context.Context, g *routing.Graph, in *routesInput, opts RoutesOptions, res *RoutesResult) ([]district.SupervisorDay, error) {
	bySup := map[string][]district.CHW{}
	for _, c := range in.chws {
		if s := in.planning[c.ID].Supervisor; s != "" {
			bySup[s] = append(bySup[s], c)
		}
	}
	sums := map[district.CHWID]*CHWRoutes{}
	for i := range res.CHWs {
		sums[res.CHWs[i].CHW] = &res.CHWs[i]
	}
	var rows []district.SupervisorDay
	names := make([]string, 0, len(bySup))
	for s := range bySup {
		names = append(names, s)
	}
	slices.Sort(names)
	out := make([]SupervisorRoutes, len(names))
	rowsOf := make([][]district.SupervisorDay, len(names))
	warns := make([][]string, len(names))
	err := parallel.For(ctx, opts.Workers, len(names), func(i int) {
		out[i], rowsOf[i], warns[i] = planSupervisor(ctx, g, in, names[i], bySup[names[i]], opts, sums)
	})
	if err != nil {
		return nil, err
	}
	for i := range names {
		res.Supervisors = append(res.Supervisors, out[i])
		rows = append(rows, rowsOf[i]...)
		res.Warnings = append(res.Warnings, warns[i]...)
	}
	return rows, nil
}

func planSupervisor(ctx context.Context, g *routing.Graph, in *routesInput, name string, chws []district.CHW, opts RoutesOptions, sums map[district.CHWID]*CHWRoutes) (SupervisorRoutes, []district.SupervisorDay, []string) {
	sr := SupervisorRoutes{Supervisor: name, CHWs: len(chws)}
	count := map[district.FacilityID]int{}
	for _, c := range chws {
		count[c.Facility]++
		if s := sums[c.ID]; s != nil {
			if sr.MinCHWDays == 0 || s.Days < sr.MinCHWDays {
				sr.MinCHWDays = s.Days
			}
			sr.MaxCHWDays = max(sr.MaxCHWDays, s.Days)
			if sr.MinCHWHours == 0 || s.Hours() < sr.MinCHWHours {
				sr.MinCHWHours = s.Hours()
			}
			sr.MaxCHWHours = max(sr.MaxCHWHours, s.Hours())
		}
	}
	for f, k := range count {
		if k > count[sr.Facility] || (k == count[sr.Facility] && f < sr.Facility) {
			sr.Facility = f
		}
	}
	fac, ok := in.facilities[sr.Facility]
	if !ok {
		return sr, nil, []string{fmt.Sprintf("supervisor %s: facility %q is not in the facilities layer: no circuit planned", name, sr.Facility)}
	}
	pts := []orb.Point{fac.Point}
	for _, c := range chws {
		pts = append(pts, c.Point)
	}
	m, err := matrixOf(ctx, g, pts)
	if err != nil {
		return sr, nil, []string{fmt.Sprintf("supervisor %s: %v", name, err)}
	}
	n := len(pts)
	p := &visits.Problem{N: n, DayBudget: opts.DayBudget, Service: make([]geo.Seconds, n),
		Travel: func(i, j int) (geo.Seconds, bool) { return m.At(i, j) }}
	for i := 1; i < n; i++ {
		p.Service[i] = opts.Supervision
	}
	plan, err := visits.Plan(ctx, p, &visits.Options{Iterations: 200, Stall: 100, Seed: opts.Seed})
	if err != nil {
		return sr, nil, []string{fmt.Sprintf("supervisor %s: %v", name, err)}
	}
	var rows []district.SupervisorDay
	for di, day := range plan.Days {
		line, meters, _, _ := walkDay(g, m, day.Stops)
		row := district.SupervisorDay{Supervisor: name, Facility: sr.Facility, Day: di + 1, Line: line,
			Walk: day.Walk, Service: day.Service, Distance: meters}
		for _, v := range day.Stops {
			row.CHWs = append(row.CHWs, chws[v-1].ID)
		}
		rows = append(rows, row)
		sr.Days++
		sr.Walk += day.Walk
		sr.Distance += meters
	}
	for _, u := range plan.Unserved {
		sr.Unreached = append(sr.Unreached, chws[u.Node-1].ID)
	}
	var warns []string
	if len(sr.Unreached) > 0 {
		warns = append(warns, fmt.Sprintf("supervisor %s: %d CHW homes cannot be reached from %s within a day", name, len(sr.Unreached), sr.Facility))
	}
	return sr, rows, warns
}

// matrixOf is the walking-time matrix between pts, each snapped once, on
// the calling goroutine (CHWs are planned in parallel).
func matrixOf(ctx context.Context, g *routing.Graph, pts []orb.Point) (*routing.Matrix, error) {
	snaps, errs, err := g.SnapAll(ctx, pts, 1)
	if err != nil {
		return nil, err
	}
	return g.MatrixSnapped(ctx, snaps, errs, &routing.MatrixOptions{Workers: 1})
}
