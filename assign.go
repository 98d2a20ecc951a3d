package lastmile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing"
)

// Assignment methods.
const (
	MethodVoronoi  = "voronoi"
	MethodWalk     = "walk"
	MethodBalanced = "balanced"
)

// Defaults of the assign stage, from Liberia's national community health
// policy: one CHA per 40–60 households, households within an hour's walk.
const (
	DefaultMinHouseholds = 40
	DefaultMaxHouseholds = 60
	DefaultMaxWalk       = geo.Seconds(60 * 60)
)

// AssignOptions are the assign stage's inputs.
type AssignOptions struct {
	// Method is MethodVoronoi, MethodWalk or MethodBalanced.
	Method string
	// MinHouseholds and MaxHouseholds bound each CHW's load (balanced);
	// a roster capacity overrides the max, and the min is then at most the
	// capacity. MaxHouseholds 0 means DefaultMaxHouseholds; MinHouseholds
	// 0 is no minimum (the CLI's default is DefaultMinHouseholds).
	MinHouseholds, MaxHouseholds int
	// MaxWalk is the walk limit from a CHW's home; zero means 60 min.
	MaxWalk geo.Seconds
	// KeepVillages keeps households of one village with one CHW where the
	// limits allow (balanced).
	KeepVillages bool
	// Locks pins households or villages to CHWs.
	Locks []Lock
	// Keep starts from the current assignments and moves as few
	// households as possible (balanced).
	Keep bool
	// Progress hears each step.
	Progress func(step string)
}

// Lock pins a household (or every household of a village) to a CHW.
type Lock struct {
	Household district.HouseholdID // or
	Village   string
	CHW       district.CHWID
	// Line is the lock's line in its file, for messages.
	Line int
}

// AssignResult is what Assign did.
type AssignResult struct {
	Method  string
	Summary catchment.Summary
	// Loads are per active CHW, in CHW ID order.
	Loads []district.Workload
	// Moves are the households that changed CHW (Keep).
	Moves []district.Move
	// Warnings are for the user: inactive CHWs, CHWs outside the study
	// area, households without a walking time.
	Warnings []string
	// Flow figures (balanced): candidate arcs, arcs added by widening,
	// rounds of widening, and the seconds of the candidate search and of
	// the flow.
	Arcs, Widened, Rounds         int
	CandidateSeconds, FlowSeconds float64
	// Catchments is the number of catchment polygons written.
	Catchments int
	// Phases are the steps with their seconds, in order.
	Phases []routing.Phase
}

// ErrNoActiveCHW is wrapped by Assign's error when the roster has no
// active CHW.
var ErrNoActiveCHW = errors.New("no active CHW")

// assignInput is what Assign reads from the district.
type assignInput struct {
	hh      []district.Household // by ID
	chws    []district.CHW       // active, by ID
	area    *ingest.Area
	current map[district.HouseholdID]district.CHWID
	g       *routing.Graph
	// snaps are the households on the graph, snapped once for every
	// step; snapErr[i] is household i's snap error.
	snaps   []routing.Snap
	snapErr []error
}

// Assign decides which CHW serves each household and writes assignments,
// chw_workload, catchments (and moves with Keep) in one atomic update.
// Every household gets exactly one assignments row, assigned or with the
// reason it is not. The same households, roster and options in any row
// order give the same result.
func (d *District) Assign(ctx context.Context, opts AssignOptions) (*AssignResult, error) {
	if opts.MaxHouseholds == 0 {
		opts.MaxHouseholds = DefaultMaxHouseholds
	}
	if opts.MaxWalk == 0 {
		opts.MaxWalk = DefaultMaxWalk
	}
	switch {
	case opts.Method != MethodVoronoi && opts.Method != MethodWalk && opts.Method != MethodBalanced:
		return nil, usageErrorf("--method %q: want voronoi, walk or balanced", opts.Method)
	case opts.MinHouseholds < 0 || opts.MaxHouseholds < 1 || opts.MinHouseholds > opts.MaxHouseholds:
		return nil, usageErrorf("--min-households %d, --max-households %d: want 0 ≤ min ≤ max, max ≥ 1", opts.MinHouseholds, opts.MaxHouseholds)
	case opts.MaxWalk < 0:
		return nil, usageErrorf("--max-walk: want a positive number of minutes")
	case opts.Keep && opts.Method != MethodBalanced:
		return nil, usageErrorf("--keep works with --method balanced")
	}
	res := &AssignResult{Method: opts.Method}
	var last string
	var t0 time.Time
	// progress reports each step and times the one before it.
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
	progress("read households and CHWs")
	in, err := d.readAssignInput(opts, res)
	if err != nil {
		return nil, err
	}
	progress("load graph")
	g, warnings, err := d.Graph()
	if err != nil {
		return nil, err
	}
	in.g = g
	res.Warnings = append(res.Warnings, warnings...)
	progress("snap households")
	if in.snaps, in.snapErr, err = g.SnapAll(ctx, householdPoints(in.hh), 0); err != nil {
		return nil, d.explain(ctx, err)
	}
	res.Warnings = append(res.Warnings, unroutedWarnings(in)...)
	if err := checkLocks(in, opts.Locks); err != nil {
		return nil, err
	}

	var rows []district.Assignment
	switch opts.Method {
	case MethodBalanced:
		rows, err = assignBalanced(ctx, in, opts, res, progress)
	default:
		rows, err = assignNearest(ctx, in, opts, res, progress)
	}
	if err != nil {
		return nil, d.explain(ctx, err)
	}
	now := d.Now
	for i := range rows {
		rows[i].Method, rows[i].AssignedAt = opts.Method, now
	}
	res.Loads = workloads(in, rows, opts, &res.Summary)
	if opts.Method == MethodBalanced {
		res.Warnings = append(res.Warnings, limitWarnings(in, rows, res.Loads, opts)...)
	}

	progress("catchments")
	catchments, err := catchmentPolygons(in, rows, opts.Method)
	if err != nil {
		return nil, err
	}
	res.Catchments = len(catchments)
	progress("write")
	err = d.update(ctx, func(tx *gpkg.Tx) error {
		if err := district.WriteAssignments(tx, rows); err != nil {
			return err
		}
		if err := district.WriteWorkloads(tx, res.Loads); err != nil {
			return err
		}
		if err := district.WriteCatchments(tx, catchments); err != nil {
			return err
		}
		if opts.Keep {
			return district.WriteMoves(tx, res.Moves)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// readAssignInput reads the households, the active CHWs (sorted by ID),
// the study area and, with Keep, the current assignments.
func (d *District) readAssignInput(opts AssignOptions, res *AssignResult) (*assignInput, error) {
	in := &assignInput{}
	err := d.read(func(db *gpkg.DB) error {
		for h, err := range district.ReadHouseholds(db) {
			if err != nil {
				return missingLayer(err, d.Path, "lastmile ingest households")
			}
			in.hh = append(in.hh, h)
		}
		inactive := 0
		for c, err := range district.ReadCHWs(db) {
			if err != nil {
				return missingLayer(err, d.Path, "lastmile ingest chws")
			}
			if !c.Active {
				inactive++
				continue
			}
			in.chws = append(in.chws, c)
		}
		if inactive > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d inactive CHWs left out (active=false in the roster)", inactive))
		}
		a, err := ingest.ReadStudyArea(db)
		if err != nil {
			return err
		}
		in.area = a
		if opts.Keep {
			in.current = map[district.HouseholdID]district.CHWID{}
			for a, err := range district.ReadAssignments(db) {
				if errors.Is(err, district.ErrNoLayer) {
					return usageErrorf("--keep: %s has no assignments yet: run lastmile assign without --keep first", d.Path)
				}
				if err != nil {
					return err
				}
				if a.CHW != "" {
					in.current[a.Household] = a.CHW
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(in.chws) == 0 {
		return nil, fmt.Errorf("%w in %s: every CHW is inactive or the roster is empty; ingest a roster with lastmile ingest chws", ErrNoActiveCHW, d.Path)
	}
	slices.SortFunc(in.hh, func(a, b district.Household) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(in.chws, func(a, b district.CHW) int { return cmp.Compare(a.ID, b.ID) })
	if in.area != nil {
		outside := 0
		for _, c := range in.chws {
			if !in.area.Contains(c.Point) {
				if outside < 5 {
					res.Warnings = append(res.Warnings, fmt.Sprintf("CHW %s lives outside the study area (%.5f,%.5f): check the roster's coordinates", c.ID, c.Point[0], c.Point[1]))
				}
				outside++
			}
		}
		if outside > 5 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d more CHWs live outside the study area", outside-5))
		}
	}
	return in, nil
}

// unroutedWarnings names the first few households that could not be
// placed on the walking graph, with why, and counts the rest.
func unroutedWarnings(in *assignInput) []string {
	var out []string
	n := 0
	for i, err := range in.snapErr {
		if err == nil {
			continue
		}
		if n < 3 {
			out = append(out, fmt.Sprintf("household %s is not on the walking graph (%v): it stays unassigned (%s)", in.hh[i].ID, err, unroutedReason(err)))
		}
		n++
	}
	if n > 3 {
		out = append(out, fmt.Sprintf("%d more households are not on the walking graph", n-3))
	}
	return out
}

// missingLayer explains a missing input layer with the command that makes
// it.
func missingLayer(err error, path, fix string) error {
	if errors.Is(err, district.ErrNoLayer) {
		return fmt.Errorf("%w in %s: run %s first", err, path, fix)
	}
	return err
}

// checkLocks fails on a lock naming an unknown household, village or CHW.
func checkLocks(in *assignInput, locks []Lock) error {
	hh := map[district.HouseholdID]bool{}
	villages := map[string]bool{}
	for _, h := range in.hh {
		hh[h.ID] = true
		villages[h.Village] = true
	}
	chws := map[district.CHWID]bool{}
	for _, c := range in.chws {
		chws[c.ID] = true
	}
	for _, l := range locks {
		switch {
		case !chws[l.CHW]:
			return usageErrorf("locks line %d: CHW %q is not an active CHW of the roster (check the chw_id, or its active column)", l.Line, l.CHW)
		case l.Household != "" && !hh[l.Household]:
			return usageErrorf("locks line %d: household %q is not in the households layer", l.Line, l.Household)
		case l.Household == "" && !villages[l.Village]:
			return usageErrorf("locks line %d: no household has village %q", l.Line, l.Village)
		}
	}
	return nil
}

// lockOf returns the CHW a household is locked to, household locks first.
func lockOf(locks []Lock) func(h *district.Household) district.CHWID {
	byHH := map[district.HouseholdID]district.CHWID{}
	byVillage := map[string]district.CHWID{}
	for _, l := range locks {
		if l.Household != "" {
			byHH[l.Household] = l.CHW
		} else {
			byVillage[l.Village] = l.CHW
		}
	}
	return func(h *district.Household) district.CHWID {
		if c, ok := byHH[h.ID]; ok {
			return c
		}
		return byVillage[h.Village]
	}
}

func homes(chws []district.CHW) []orb.Point {
	out := make([]orb.Point, len(chws))
	for i, c := range chws {
		out[i] = c.Point
	}
	return out
}

func householdPoints(hh []district.Household) []orb.Point {
	out := make([]orb.Point, len(hh))
	for i, h := range hh {
		out[i] = h.Point
	}
	return out
}

// assignNearest is the voronoi (nearest home in local metres) and walk
// (least walking time from the home, a network Voronoi) methods; locks
// override both.
func assignNearest(ctx context.Context, in *assignInput, opts AssignOptions, res *AssignResult, progress func(string)) ([]district.Assignment, error) {
	rows := make([]district.Assignment, len(in.hh))
	chwIdx := map[district.CHWID]int{}
	for i, c := range in.chws {
		chwIdx[c.ID] = i
	}
	lock := lockOf(opts.Locks)
	pts := householdPoints(in.hh)
	var reach *routing.Reach
	var nearestHome func(p orb.Point) int
	if opts.Method == MethodWalk {
		progress("search from homes")
		var err error
		// Ties go to the lowest index, and CHWs are sorted by ID.
		reach, err = in.g.Nearest(ctx, homes(in.chws), geo.Seconds(24*3600))
		if err != nil {
			return nil, err
		}
	} else {
		nearestHome = newNearestSite(homes(in.chws))
	}
	chosen := make([]int, len(in.hh))
	for i := range in.hh {
		rows[i].Household = in.hh[i].ID
		chosen[i] = -1
		if c := lock(&in.hh[i]); c != "" {
			chosen[i] = chwIdx[c]
			continue
		}
		if reach == nil {
			chosen[i] = nearestHome(pts[i])
			continue
		}
		if in.snapErr[i] != nil {
			rows[i].Reason = unroutedReason(in.snapErr[i])
		} else if s, _, ok := reach.AtSnap(in.snaps[i]); ok {
			chosen[i] = s
		} else {
			rows[i].Reason = string(ReasonNoPath)
		}
	}
	for i, c := range chosen {
		if c >= 0 {
			rows[i].CHW = in.chws[c].ID
		}
	}
	progress("measure walks")
	if err := measureWalks(ctx, in, rows, chosen); err != nil {
		return nil, err
	}
	return rows, nil
}

// ReasonNoPath marks a household that no CHW can reach on the network.
const ReasonNoPath catchment.Reason = "no_chw_reachable"

// measureWalks fills in the walking time and route length from each
// assigned household's CHW home: one search per CHW that stops once all of
// its households are reached (routing.Legs), over the CHWs in parallel.
func measureWalks(ctx context.Context, in *assignInput, rows []district.Assignment, chosen []int) error {
	byCHW := make([][]int, len(in.chws))
	for i, c := range chosen {
		if c >= 0 && in.snapErr[i] == nil {
			byCHW[c] = append(byCHW[c], i)
		}
	}
	return parallel.For(ctx, 0, len(byCHW), func(c int) {
		hs := byCHW[c]
		if len(hs) == 0 {
			return
		}
		to := make([]routing.Snap, len(hs))
		for k, i := range hs {
			to[k] = in.snaps[i]
		}
		legs, err := in.g.Legs(in.chws[c].Point, to, measureLimit)
		if err != nil {
			return // the CHW's home is off the graph: no walking times
		}
		for k, i := range hs {
			if l := legs[k]; l.OK {
				rows[i].Walk, rows[i].Distance, rows[i].WalkOK = l.Time, l.Length, true
			}
		}
	})
}

// measureLimit bounds the search for a CHW's households: beyond a day's
// walk a household has no walking time.
const measureLimit = geo.Seconds(24 * 3600)

// newNearestSite returns a function giving the index of the site nearest
// to a point in local metres (ties to the lowest index), with a grid of
// buckets: sites are CHW homes, points households, both spread over a
// district.
func newNearestSite(sites []orb.Point) func(p orb.Point) int {
	var b orb.Bound = orb.Bound{Min: sites[0], Max: sites[0]}
	for _, s := range sites {
		b = b.Extend(s)
	}
	loc := geo.NewLocal(b.Center())
	xy := make([]orb.Point, len(sites))
	for i, s := range sites {
		xy[i] = loc.Forward(s)
	}
	lo, hi := loc.Forward(b.Min), loc.Forward(b.Max)
	n := max(1, int(math.Sqrt(float64(len(sites)))))
	cell := math.Max((hi[0]-lo[0])/float64(n), (hi[1]-lo[1])/float64(n))
	cell = math.Max(cell, 1)
	nx := int((hi[0]-lo[0])/cell) + 1
	ny := int((hi[1]-lo[1])/cell) + 1
	grid := make([][]int32, nx*ny)
	cellOf := func(p orb.Point) (int, int) {
		return min(nx-1, max(0, int((p[0]-lo[0])/cell))), min(ny-1, max(0, int((p[1]-lo[1])/cell)))
	}
	for i, p := range xy {
		cx, cy := cellOf(p)
		grid[cy*nx+cx] = append(grid[cy*nx+cx], int32(i))
	}
	return func(p orb.Point) int {
		q := loc.Forward(p)
		cx, cy := cellOf(q)
		best, bestD := -1, math.Inf(1)
		// Rings of cells outward until the ring's inner edge is farther
		// than the best site found.
		for r := 0; ; r++ {
			if best >= 0 && float64(r-1)*cell > math.Sqrt(bestD) {
				return best
			}
			if r > nx && r > ny {
				return best
			}
			for y := cy - r; y <= cy+r; y++ {
				for x := cx - r; x <= cx+r; x++ {
					if x < 0 || y < 0 || x >= nx || y >= ny || (max(abs(x-cx), abs(y-cy)) != r) {
						continue
					}
					for _, i := range grid[y*nx+x] {
						dx, dy := xy[i][0]-q[0], xy[i][1]-q[1]
						if d := dx*dx + dy*dy; d < bestD || (d == bestD && int(i) < best) {
							best, bestD = int(i), d
						}
					}
				}
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// workloads computes each active CHW's load and the summary from the rows.
func workloads(in *assignInput, rows []district.Assignment, opts AssignOptions, sum *catchment.Summary) []district.Workload {
	chwIdx := map[district.CHWID]int{}
	cs := make([]catchment.CHW, len(in.chws))
	for i, c := range in.chws {
		chwIdx[c.ID] = i
		cs[i] = catchment.CHW{ID: string(c.ID), Min: minOf(opts, c), Max: maxOf(opts, c)}
	}
	units := make([]catchment.Unit, len(rows))
	as := make([]catchment.Assignment, len(rows))
	for i, r := range rows {
		units[i] = catchment.Unit{ID: string(r.Household), Households: 1, People: in.hh[i].Members}
		if r.CHW == "" {
			as[i] = catchment.Assignment{Unassigned: 1, Reason: catchment.Reason(r.Reason)}
			continue
		}
		as[i] = catchment.Assignment{Parts: []catchment.Part{{CHW: chwIdx[r.CHW], Households: 1, Walk: r.Walk, Routed: r.WalkOK}}}
	}
	loads, s := catchment.Workload(units, cs, as, opts.MaxWalk)
	moves := sum.Moves
	*sum = s
	if moves > 0 {
		sum.Moves = moves
	}
	out := make([]district.Workload, len(loads))
	for i, l := range loads {
		out[i] = district.Workload{
			CHW: in.chws[i].ID, Households: l.Households, People: l.People,
			MeanMinutes: l.MeanWalk.Minutes(), MaxMinutes: l.MaxWalk.Minutes(),
			OverWalk: l.OverWalk, OverCapacity: l.OverCapacity, UnderMinimum: l.UnderMinimum,
		}
	}
	return out
}

// limitWarnings says which limits the balanced assignment could not meet:
// the CHWs short of their minimum or over capacity (locks), by how much,
// and the households beyond the walk limit or unassigned, the first few of
// each by name.
func limitWarnings(in *assignInput, rows []district.Assignment, loads []district.Workload, opts AssignOptions) []string {
	const show = 3
	var out []string
	list := func(n int, what string, first []string) {
		if n == 0 {
			return
		}
		more := ""
		if n > len(first) {
			more = fmt.Sprintf(" and %d more", n-len(first))
		}
		out = append(out, fmt.Sprintf("%d %s: %s%s", n, what, strings.Join(first, "; "), more))
	}
	var short, over []string
	nShort, nOver := 0, 0
	for i, l := range loads {
		if l.UnderMinimum > 0 {
			if nShort < show {
				short = append(short, fmt.Sprintf("%s has %d, %d short of %d", l.CHW, l.Households, l.UnderMinimum, minOf(opts, in.chws[i])))
			}
			nShort++
		}
		if l.OverCapacity > 0 {
			if nOver < show {
				over = append(over, fmt.Sprintf("%s has %d, %d over its capacity %d (locks)", l.CHW, l.Households, l.OverCapacity, maxOf(opts, in.chws[i])))
			}
			nOver++
		}
	}
	list(nShort, "CHWs are short of their minimum (no more households within reach)", short)
	list(nOver, "CHWs are over capacity", over)
	var far, none []string
	nFar, nNone := 0, 0
	for _, r := range rows {
		switch {
		case r.CHW != "" && r.WalkOK && r.Walk > opts.MaxWalk:
			if nFar < show {
				far = append(far, fmt.Sprintf("%s is %.0f min from %s's home", r.Household, r.Walk.Minutes(), r.CHW))
			}
			nFar++
		case r.CHW == "":
			if nNone < show {
				none = append(none, fmt.Sprintf("%s (%s)", r.Household, r.Reason))
			}
			nNone++
		}
	}
	list(nFar, fmt.Sprintf("households are beyond the walk limit of %.0f min", opts.MaxWalk.Minutes()), far)
	list(nNone, "households are unassigned", none)
	return out
}

// maxOf is a CHW's capacity: the roster's, else --max-households.
func maxOf(opts AssignOptions, c district.CHW) int {
	if c.Capacity > 0 {
		return c.Capacity
	}
	return opts.MaxHouseholds
}

// minOf is a CHW's minimum: --min-households, at most its capacity.
func minOf(opts AssignOptions, c district.CHW) int {
	return min(opts.MinHouseholds, maxOf(opts, c))
}

// elapsed returns the seconds since t0.
func elapsed(t0 time.Time) float64 { return time.Since(t0).Seconds() }
