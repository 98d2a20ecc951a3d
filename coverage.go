package lastmile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing"
)

// CoverageOptions are the coverage stage's inputs. The zero value computes
// every season the district's graph has, with the policy's thresholds.
type CoverageOptions struct {
	// Seasons to compute (district.Dry, district.Wet); nil means every
	// season the graph has.
	Seasons []string
	// Thresholds behind the flags; zero fields take
	// catchment.DefaultThresholds' values.
	Thresholds catchment.Thresholds
	// Bands are the isochrones' limits; nil means catchment.DefaultBands.
	Bands catchment.Bands
	// GapRadius and GapHouseholds define gap areas: at least
	// GapHouseholds unserved households within GapRadius of each other;
	// zero means DefaultGapRadius and DefaultGapHouseholds.
	GapRadius     geo.Meters
	GapHouseholds int
	// Suggest proposes that many new CHW homes (Thresholds.CHWWalk) and
	// SuggestFacilities that many health posts (Thresholds.FacilityWalk),
	// planned on the wet season when it is computed (a home that reaches
	// a household in the rains reaches it all year), else the dry.
	Suggest, SuggestFacilities int
	// Map, when set, is a PNG file for the overview map (see
	// coverageMap); MapDEM overrides the DEM the graph stored for its
	// hillshade.
	Map, MapDEM string
	// Buildings is an OSM file with building outlines (building=*),
	// usually the paths file: the mapped structures with no registered
	// household within UnregisteredDistance are written to
	// unregistered_structures. "" writes that layer empty.
	Buildings string
	// Progress hears each step.
	Progress func(step string)
}

// CoverageResult is what Coverage computed.
type CoverageResult struct {
	Thresholds catchment.Thresholds
	Norm       catchment.Norm
	// Seasons holds one summary per computed season, dry first.
	Seasons []SeasonSummary
	// Isochrones are the band polygons written, per source kind and
	// season (without their geometry); GapAreas the gap areas (likewise).
	Isochrones []district.Isochrone
	GapAreas   []district.GapArea
	// SuggestedCHWs and SuggestedFacilities answer Suggest and
	// SuggestFacilities (nil when not asked).
	SuggestedCHWs, SuggestedFacilities *Suggestions
	// Structures summarises the mapped buildings (nil without Buildings).
	Structures *StructureSummary
	// Warnings are for the user: no assignments yet, households off the
	// network.
	Warnings []string
}

// SeasonSummary is one season's coverage, for the district and per group.
type SeasonSummary struct {
	Season   string
	District catchment.Tally
	// ByVillage, ByCHW and ByFacility are sorted by key; the key "" holds
	// households with no village, no CHW, no reachable facility.
	ByVillage, ByCHW, ByFacility []GroupTally
}

// GroupTally is one group's tally.
type GroupTally struct {
	Key string
	catchment.Tally
}

// coverageInput is what Coverage reads from the district.
type coverageInput struct {
	hh         []district.Household // by ID
	chw        []district.CHWID     // assigned CHW per household, "" when none
	chws       []district.CHW       // every CHW, by ID
	facilities []district.Facility  // by ID
	area       *ingest.Area
}

// facilityReachLimit bounds the search for the nearest facility: a day's
// walk, which no household in a district exceeds on a connected network.
const facilityReachLimit = geo.Seconds(24 * 3600)

// Coverage measures, for every household and season, the walk to the
// nearest health facility and from the assigned CHW's home, flags the
// gaps (catchment.Flags), and writes coverage_households and the views
// coverage_by_chw, coverage_by_facility and coverage_by_village in one
// atomic update. Without assignments every household is unassigned.
func (d *District) Coverage(ctx context.Context, opts CoverageOptions) (*CoverageResult, error) {
	th := withDefaults(opts.Thresholds)
	bands := opts.Bands
	if bands == nil {
		bands = catchment.DefaultBands()
	}
	if !bands.Valid() {
		return nil, usageErrorf("bands %v: want ascending positive limits", bands)
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	res := &CoverageResult{Thresholds: th, Norm: catchment.DefaultNorm()}
	progress("reading households, CHWs and facilities")
	in, err := d.readCoverageInput(res)
	if err != nil {
		return nil, err
	}
	seasons, err := d.coverageSeasons(opts.Seasons)
	if err != nil {
		return nil, err
	}
	rows := make([]district.HouseholdCoverage, len(in.hh))
	for i, h := range in.hh {
		rows[i] = district.HouseholdCoverage{Household: h.ID, Point: h.Point, Village: h.Village, Members: h.Members, CHW: in.chw[i]}
	}
	if opts.GapRadius == 0 {
		opts.GapRadius = DefaultGapRadius
	}
	if opts.GapHouseholds == 0 {
		opts.GapHouseholds = DefaultGapHouseholds
	}
	var dryAccess, firstAccess []catchment.Access
	var sites *bandSites
	var isos []district.Isochrone
	var gaps []district.GapArea
	loc := localOf(in)
	for _, season := range seasons {
		progress("loading the " + season + " season's graph")
		g, warnings, err := d.seasonGraph(season)
		if err != nil {
			return nil, err
		}
		res.Warnings = append(res.Warnings, warnings...)
		sc, err := measureSeason(ctx, g, in, func(step string) { progress(step + ", " + season + " season") })
		if err != nil {
			return nil, d.explain(ctx, err)
		}
		res.Warnings = append(res.Warnings, sc.warnings(season)...)
		if sites == nil {
			progress("sampling the paths for walking-time bands")
			if sites, err = newBandSites(ctx, g, season, in.hh, in.area); err != nil {
				return nil, d.explain(ctx, err)
			}
		}
		progress("walking-time bands, " + season + " season")
		is, err := seasonIsochrones(ctx, g, sites, sc, in, season, bands)
		if err != nil {
			return nil, d.explain(ctx, err)
		}
		isos = append(isos, is...)
		sum := SeasonSummary{Season: season}
		villages, chws, facs := map[string]*catchment.Tally{}, map[string]*catchment.Tally{}, map[string]*catchment.Tally{}
		for i := range rows {
			a := sc.access[i]
			flags := th.Flags(a)
			loss := false
			if season == district.Wet && dryAccess != nil {
				loss = th.WetLoss(dryAccess[i], a)
				flags = th.WetFlags(dryAccess[i], a)
			}
			var fac district.FacilityID
			if a.FacilityOK {
				fac = in.facilities[sc.facility[i]].ID
			}
			dist := a.NearestFacility
			if a.FacilityOK {
				dist = geo.Distance(in.hh[i].Point, in.facilities[sc.facility[i]].Point)
			}
			s := district.SeasonCoverage{Valid: true, Facility: fac, FacilityWalk: a.FacilityWalk, FacilityOK: a.FacilityOK,
				FacilityDistance: dist, CHWWalk: a.CHWWalk, CHWOK: a.CHWOK, Unreachable: a.Unreachable, Flags: flags}
			if season == district.Wet {
				rows[i].Wet = s
			} else {
				rows[i].Dry = s
			}
			m := in.hh[i].Members
			sum.District.Add(th, a, loss, m)
			tally(villages, in.hh[i].Village).Add(th, a, loss, m)
			tally(chws, string(in.chw[i])).Add(th, a, loss, m)
			tally(facs, string(fac)).Add(th, a, loss, m)
		}
		sum.ByVillage, sum.ByCHW, sum.ByFacility = sortedTallies(villages), sortedTallies(chws), sortedTallies(facs)
		res.Seasons = append(res.Seasons, sum)
		if season == district.Dry {
			dryAccess = sc.access
		}
		if firstAccess == nil {
			firstAccess = sc.access
		}
		progress("gap areas, " + season + " season")
		gaps = append(gaps, gapAreas(in, sc.access, th, season, opts.GapRadius, opts.GapHouseholds, loc)...)
		if season != seasons[len(seasons)-1] {
			continue
		}
		// The last season computed (wet when both) plans the suggestions.
		if opts.Suggest > 0 {
			progress("suggesting CHW homes")
			var demand []int
			for i, a := range sc.access {
				if !th.Served(a) && sc.snapped[i] {
					demand = append(demand, i)
				}
			}
			if res.SuggestedCHWs, err = suggest(ctx, g, in, demand, opts.Suggest, th.CHWWalk, true, season, loc); err != nil {
				return nil, d.explain(ctx, err)
			}
		}
		if opts.SuggestFacilities > 0 {
			progress("suggesting health posts")
			var demand []int
			for i, a := range sc.access {
				if th.FarFromFacility(a) && sc.snapped[i] {
					demand = append(demand, i)
				}
			}
			if res.SuggestedFacilities, err = suggest(ctx, g, in, demand, opts.SuggestFacilities, th.FacilityWalk, false, season, loc); err != nil {
				return nil, d.explain(ctx, err)
			}
		}
	}
	var structures []district.Structure
	if opts.Buildings != "" {
		progress("mapped buildings")
		if structures, res.Structures, err = d.unregisteredStructures(ctx, opts.Buildings, in); err != nil {
			return nil, d.explain(ctx, err)
		}
	}
	progress("writing coverage layers")
	err = d.update(ctx, func(tx *gpkg.Tx) error {
		for _, v := range coverageViews() {
			if err := tx.DropLayer(v.Name); err != nil {
				return err
			}
		}
		if err := district.WriteCoverageHouseholds(tx, rows); err != nil {
			return err
		}
		if err := district.WriteIsochrones(tx, isos); err != nil {
			return err
		}
		if err := district.WriteGapAreas(tx, gaps); err != nil {
			return err
		}
		// Suggestions of an earlier run are dropped, not left stale.
		for _, x := range []struct {
			l *district.SuggestionsSchema
			s *Suggestions
		}{{&district.SuggestedCHWs, res.SuggestedCHWs}, {&district.SuggestedFacilities, res.SuggestedFacilities}} {
			if x.s == nil {
				if err := tx.DropLayer(x.l.Name); err != nil {
					return err
				}
				continue
			}
			if err := district.WriteSuggestions(tx, x.l, x.s.Sites); err != nil {
				return err
			}
		}
		// The views count structures per CHW: an empty layer when no
		// building outlines were given.
		if err := district.WriteStructures(tx, structures); err != nil {
			return err
		}
		for _, v := range coverageViews() {
			if err := district.CreateView(tx, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if opts.Map != "" {
		progress("drawing the overview map")
		var unserved []district.Household
		for i, a := range firstAccess {
			if !th.Served(a) {
				unserved = append(unserved, in.hh[i])
			}
		}
		if err := d.coverageMap(opts.Map, opts.MapDEM, res, unserved); err != nil {
			return nil, err
		}
	}
	for _, x := range isos {
		x.Area = nil
		res.Isochrones = append(res.Isochrones, x)
	}
	for _, x := range gaps {
		x.Area = nil
		res.GapAreas = append(res.GapAreas, x)
	}
	return res, nil
}

// seasonIsochrones returns the bands from the facilities (walking to the
// nearest) and from the active CHWs' homes (walking from the nearest).
func seasonIsochrones(ctx context.Context, g *routing.Graph, sites *bandSites, sc *seasonAccess, in *coverageInput, season string, bands catchment.Bands) ([]district.Isochrone, error) {
	if sc.reach == nil {
		return nil, nil
	}
	sEdges, sNodes := sites.samplesOn(g, season)
	fb, err := sites.siteBands(ctx, g, sc.reach, true, sc.snaps, sc.snapped, sEdges, sNodes, bands)
	if err != nil {
		return nil, err
	}
	var homes []orb.Point
	for _, c := range in.chws {
		if c.Active {
			homes = append(homes, c.Point)
		}
	}
	var cb []int
	if len(homes) > 0 {
		cr, err := g.Nearest(ctx, homes, bands[len(bands)-1])
		if err != nil {
			return nil, err
		}
		if cb, err = sites.siteBands(ctx, g, cr, false, sc.snaps, sc.snapped, sEdges, sNodes, bands); err != nil {
			return nil, err
		}
	}
	// The two dissolves (the slowest part of the bands) run side by side.
	kinds := []struct {
		kind string
		band []int
	}{{SourceFacility, fb}, {SourceCHW, cb}}
	parts := make([][]district.Isochrone, len(kinds))
	err = parallel.For(ctx, 2, len(kinds), func(k int) {
		if kinds[k].band != nil {
			parts[k] = sites.isochrones(kinds[k].kind, season, kinds[k].band, bands, in.hh)
		}
	})
	return append(parts[0], parts[1]...), err
}

// localOf returns a local projection centred on the study area, else on
// the households.
func localOf(in *coverageInput) geo.Local {
	if in.area != nil {
		return geo.NewLocal(in.area.Bound().Center())
	}
	if len(in.hh) == 0 {
		return geo.NewLocal(orb.Point{})
	}
	b := orb.Bound{Min: in.hh[0].Point, Max: in.hh[0].Point}
	for _, h := range in.hh {
		b = b.Extend(h.Point)
	}
	return geo.NewLocal(b.Center())
}

func coverageViews() []*district.Layer {
	return []*district.Layer{&district.CoverageByCHW.Layer, &district.CoverageByFacility.Layer, &district.CoverageByVillage.Layer}
}

func withDefaults(t catchment.Thresholds) catchment.Thresholds {
	def := catchment.DefaultThresholds()
	if t.FacilityWalk == 0 {
		t.FacilityWalk = def.FacilityWalk
	}
	if t.RemoteDistance == 0 {
		t.RemoteDistance = def.RemoteDistance
	}
	if t.CHWWalk == 0 {
		t.CHWWalk = def.CHWWalk
	}
	return t
}

func tally(m map[string]*catchment.Tally, k string) *catchment.Tally {
	t, ok := m[k]
	if !ok {
		t = &catchment.Tally{}
		m[k] = t
	}
	return t
}

func sortedTallies(m map[string]*catchment.Tally) []GroupTally {
	out := make([]GroupTally, 0, len(m))
	for k, t := range m {
		out = append(out, GroupTally{Key: k, Tally: *t})
	}
	slices.SortFunc(out, func(a, b GroupTally) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// ErrNoSeason is wrapped by Coverage's error when a season is asked for
// that the district's graph does not have.
var ErrNoSeason = errors.New("no walking graph for the season")

// coverageSeasons returns the seasons to compute: want, checked against
// the graphs stored, or every season stored, dry first.
func (d *District) coverageSeasons(want []string) ([]string, error) {
	for _, s := range want {
		if s != district.Dry && s != district.Wet {
			return nil, usageErrorf("--season %q: want dry or wet", s)
		}
	}
	var have []string
	err := d.read(func(db *gpkg.DB) error {
		for _, s := range []string{district.Dry, district.Wet} {
			_, err := routing.LoadSeasonInfo(db, s)
			switch {
			case err == nil:
				have = append(have, s)
			case !errors.Is(err, routing.ErrNotStored):
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(have) == 0 {
		return nil, fmt.Errorf("%w in %s: run lastmile graph --gpkg %s --paths FILE first", ErrNoGraph, d.Path, d.Path)
	}
	if len(want) == 0 {
		return have, nil
	}
	var out []string
	for _, s := range []string{district.Dry, district.Wet} {
		if !slices.Contains(want, s) {
			continue
		}
		if !slices.Contains(have, s) {
			return nil, fmt.Errorf("%w %s in %s: build it with lastmile graph --season %s (or --season both)", ErrNoSeason, s, d.Path, s)
		}
		out = append(out, s)
	}
	return out, nil
}

// seasonGraph loads the walking graph of a season.
func (d *District) seasonGraph(season string) (*routing.Graph, []string, error) {
	dd := *d
	dd.Season = season
	return dd.Graph()
}

// readCoverageInput reads households (by ID), their assigned CHWs, the
// CHWs and the facilities.
func (d *District) readCoverageInput(res *CoverageResult) (*coverageInput, error) {
	in := &coverageInput{}
	assigned := map[district.HouseholdID]district.CHWID{}
	noAssignments := false
	// The assignments are read on a second connection while the
	// households are read: a million rows each, a few seconds each.
	assignErr := make(chan error, 1)
	go func() {
		assignErr <- d.read(func(db *gpkg.DB) error {
			for a, err := range district.ReadAssignments(db) {
				if errors.Is(err, district.ErrNoLayer) {
					noAssignments = true
					break
				}
				if err != nil {
					return err
				}
				if a.CHW != "" {
					assigned[a.Household] = a.CHW
				}
			}
			return nil
		})
	}()
	err := d.read(func(db *gpkg.DB) error {
		// Sized first: growing a slice of a million households copies
		// them (and their strings' pointers) again and again.
		var n int
		if db.QueryRow(`SELECT count(*) FROM "`+district.Households.Name+`"`).Scan(&n) == nil {
			in.hh = make([]district.Household, 0, n)
		}
		for h, err := range district.ReadHouseholds(db) {
			if err != nil {
				return missingCoverageLayer(err, d.Path, "lastmile ingest households")
			}
			in.hh = append(in.hh, h)
		}
		for c, err := range district.ReadCHWs(db) {
			if errors.Is(err, district.ErrNoLayer) {
				break
			}
			if err != nil {
				return err
			}
			in.chws = append(in.chws, c)
		}
		for f, err := range district.ReadFacilities(db) {
			if err != nil {
				return missingCoverageLayer(err, d.Path, "lastmile ingest facilities")
			}
			in.facilities = append(in.facilities, f)
		}
		a, err := ingest.ReadStudyArea(db)
		in.area = a
		return err
	})
	if aerr := <-assignErr; err == nil {
		err = aerr
	}
	if err != nil {
		return nil, err
	}
	if noAssignments {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s has no assignments yet: every household counts as unassigned (run lastmile assign first)", d.Path))
	}
	if len(in.facilities) == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s has no health facilities: every household is far from one (ingest them with lastmile ingest facilities)", d.Path))
	}
	slices.SortFunc(in.hh, func(a, b district.Household) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(in.chws, func(a, b district.CHW) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(in.facilities, func(a, b district.Facility) int { return cmp.Compare(a.ID, b.ID) })
	in.chw = make([]district.CHWID, len(in.hh))
	unknown := 0
	for i, h := range in.hh {
		c, ok := assigned[h.ID]
		if !ok {
			continue
		}
		if _, found := slices.BinarySearchFunc(in.chws, c, func(x district.CHW, id district.CHWID) int { return cmp.Compare(x.ID, id) }); !found {
			unknown++
			continue
		}
		in.chw[i] = c
	}
	if unknown > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d households are assigned to CHWs no longer in the roster: counted as unassigned (run lastmile assign --keep)", unknown))
	}
	return in, nil
}

func missingCoverageLayer(err error, path, fix string) error {
	if errors.Is(err, district.ErrNoLayer) {
		return fmt.Errorf("%w in %s: run %s first", err, path, fix)
	}
	return err
}

// seasonAccess is one season's measurements, per household.
type seasonAccess struct {
	access   []catchment.Access
	facility []int // index into facilities; valid when access.FacilityOK
	offNet   int
	// snaps are the households' snaps (snapped[i] false: off the network)
	// and reach the search towards the facilities (nil with none), for
	// the isochrones.
	snaps   []routing.Snap
	snapped []bool
	reach   *routing.Reach
}

func (s *seasonAccess) warnings(season string) []string {
	if s.offNet == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s season: %d households cannot be joined to the walking graph (unreachable: off_network, farther than the snap limit from every path, or across_water)", season, s.offNet)}
}

// measureSeason measures every household on graph g: the walk to the
// nearest facility (one multi-source search towards the facilities), the
// straight line to the nearest facility, and the walk from the assigned
// CHW's home (one matrix row per CHW over its households).
func measureSeason(ctx context.Context, g *routing.Graph, in *coverageInput, progress func(string)) (*seasonAccess, error) {
	n := len(in.hh)
	sc := &seasonAccess{access: make([]catchment.Access, n), facility: make([]int, n), snaps: make([]routing.Snap, n), snapped: make([]bool, n)}
	facPts := make([]orb.Point, len(in.facilities))
	for i, f := range in.facilities {
		facPts[i] = f.Point
	}
	var reach *routing.Reach
	progress("searching from the facilities")
	if len(facPts) > 0 {
		var err error
		reach, err = g.NearestTo(ctx, facPts, facilityReachLimit)
		if err != nil {
			return nil, err
		}
	}
	sc.reach = reach
	crow := newNearestPoint(facPts)
	noPath := catchment.UnreachableNoPath
	if hasTerrain(g) {
		// The lattice covers the land: only water separates its parts.
		noPath = catchment.UnreachableAcrossWater
	}
	progress("snapping households, walks to facilities")
	err := parallel.For(ctx, 0, n, func(i int) {
		h := &in.hh[i]
		a := &sc.access[i]
		a.LowAccuracy = slices.Contains(h.Flags, catchment.FlagLowAccuracy)
		a.Assigned = in.chw[i] != ""
		s, err := g.Snap(h.Point)
		switch {
		case errors.Is(err, routing.ErrAcrossWater):
			a.Unreachable = catchment.UnreachableAcrossWater
		case err != nil:
			a.Unreachable = catchment.UnreachableOffNetwork
		default:
			sc.snaps[i], sc.snapped[i] = s, true
		}
		if len(facPts) == 0 {
			a.NoFacilities = true
			a.Unreachable = catchment.UnreachableNoPath
			return
		}
		a.NearestFacility = crow(h.Point)
		if !sc.snapped[i] {
			return
		}
		src, t, ok := reach.AtSnap(s)
		if !ok {
			a.Unreachable = noPath
			return
		}
		a.FacilityWalk, a.FacilityOK, sc.facility[i] = t, true, src
	})
	if err != nil {
		return nil, err
	}
	for i := range sc.snapped {
		if !sc.snapped[i] {
			sc.offNet++
		}
	}
	// Walks from each CHW's home to the households assigned to it.
	progress("walks from CHW homes")
	byCHW := map[district.CHWID][]int{}
	for i, c := range in.chw {
		if c != "" {
			byCHW[c] = append(byCHW[c], i)
		}
	}
	err = parallel.For(ctx, 0, len(in.chws), func(k int) {
		c := in.chws[k]
		hs := byCHW[c.ID]
		if len(hs) == 0 {
			return
		}
		home, err := g.Snap(c.Point)
		if err != nil {
			return // the CHW's home is off the graph: CHWOK stays false
		}
		// The households' snaps of the facility search, not snapped again.
		var to []routing.Snap
		var idx []int
		for _, i := range hs {
			if sc.snapped[i] {
				to, idx = append(to, sc.snaps[i]), append(idx, i)
			}
		}
		m, err := g.MatrixBetweenSnapped(ctx, []routing.Snap{home}, nil, to, nil, &routing.MatrixOptions{Workers: 1})
		if err != nil {
			return // only ctx's error: For returns it
		}
		for j, i := range idx {
			if t, ok := m.At(0, j); ok {
				sc.access[i].CHWWalk, sc.access[i].CHWOK = t, true
			}
		}
	})
	return sc, err
}

// hasTerrain reports whether g has a terrain lattice (edges of class
// routing.TerrainClass) covering the land between the paths.
func hasTerrain(g *routing.Graph) bool {
	for e := g.Edges() - 1; e >= 0; e-- {
		if g.Edge(routing.EdgeID(e)).Class == routing.TerrainClass {
			return true
		}
	}
	return false
}

// newNearestPoint returns a function giving the straight-line (haversine)
// distance from a point to the nearest of pts, searched in local metres.
// Safe for concurrent use.
func newNearestPoint(pts []orb.Point) func(p orb.Point) geo.Meters {
	if len(pts) == 0 {
		return func(orb.Point) geo.Meters { return 0 }
	}
	var b orb.Bound
	for i, p := range pts {
		if i == 0 {
			b = orb.Bound{Min: p, Max: p}
		}
		b = b.Extend(p)
	}
	loc := geo.NewLocal(b.Center())
	var tr rtree.RTreeG[int]
	for i, p := range pts {
		q := loc.Forward(p)
		tr.Insert(q, q, i)
	}
	return func(p orb.Point) geo.Meters {
		q := loc.Forward(p)
		best := math.Inf(1)
		tr.Nearby(rtree.BoxDist[float64, int](q, q, nil), func(_, _ [2]float64, i int, d2 float64) bool {
			// Local metres are within 1 % of haversine over a district:
			// stop once the box distance passes the best true distance.
			if math.Sqrt(d2) > best*1.01+1 {
				return false
			}
			best = math.Min(best, float64(geo.Distance(p, pts[i])))
			return true
		})
		return geo.Meters(best)
	}
}
