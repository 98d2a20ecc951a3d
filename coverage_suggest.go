package lastmile

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing"
)

// Gap-area defaults: households no CHW serves form a gap area when at
// least DefaultGapHouseholds of them lie within DefaultGapRadius of each
// other (DBSCAN on straight-line distance).
const (
	DefaultGapRadius     = geo.Meters(500)
	DefaultGapHouseholds = 5
)

// gapAreas clusters the households that the season leaves unserved
// (unassigned or far from their CHW) and draws each cluster.
func gapAreas(in *coverageInput, access []catchment.Access, th catchment.Thresholds, season string, radius geo.Meters, minPts int, loc geo.Local) []district.GapArea {
	var idx []int
	var pts []orb.Point
	for i, a := range access {
		if !th.Served(a) {
			idx = append(idx, i)
			pts = append(pts, loc.Forward(in.hh[i].Point))
		}
	}
	labels, n := catchment.Cluster(pts, float64(radius), minPts)
	// Drawn as the cells of a grid (100 m at the default radius) within
	// half the radius of a member's cell: areas of neighbouring clusters
	// (more than the radius apart) rarely touch, and never overlap.
	areas := catchment.ClusterAreas(pts, labels, n, float64(radius)/2, float64(radius)/5)
	gaps := make([]district.GapArea, n)
	facMin := make([]catchment.Stat, n)
	for k, c := range labels {
		if c < 0 {
			continue
		}
		i := idx[k]
		g := &gaps[c]
		g.Households++
		g.People += in.hh[i].Members
		if th.Remote(access[i]) {
			g.Remote++
		}
		if access[i].FacilityOK {
			facMin[c].Add(access[i].FacilityWalk.Minutes())
		}
	}
	for c := range gaps {
		gaps[c].ID, gaps[c].Season = c+1, season
		gaps[c].Area = inverse(loc, areas[c])
		gaps[c].AreaKm2 = geo.Area(gaps[c].Area).SquareKilometers()
		if facMin[c].N > 0 {
			gaps[c].MeanMinutesFacility = facMin[c].Mean()
		}
	}
	return gaps
}

// inverse maps a MultiPolygon from local metres to lon/lat.
func inverse(loc geo.Local, mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, r := range poly {
			lr := make(orb.Ring, len(r))
			for k, p := range r {
				lr[k] = loc.Inverse(p)
			}
			out[i][j] = lr
		}
	}
	return out
}

// Suggestions is the answer to --suggest or --suggest-facilities.
type Suggestions struct {
	// Kind is SourceCHW or SourceFacility.
	Kind   string
	Season string
	Limit  geo.Seconds
	// Demand counts the households (and people) to cover: those on the
	// walking graph that no CHW serves, or that are far from a facility (a
	// household with no members recorded counts as one person).
	// Candidates is the number of candidate homes.
	DemandHouseholds, DemandPeople int
	Candidates                     int
	// Sites are the suggestions, in rank order.
	Sites []district.Suggestion
	// Covered people by all the sites; Bound an upper bound on what any
	// as many sites could cover (Covered when Optimal); Method how the
	// bound was proven (see catchment.CoverSolution).
	Covered, Bound int
	Optimal        bool
	Method         string
}

// maxCandidates caps the candidate homes of a suggestion: above it, one
// household per grid cell stands for its cell (the cells grow until they
// fit).
const maxCandidates = 20_000

// suggest proposes n new sites among the demand households' homes that
// bring the most demand people within limit: for CHWs walking from the
// home (chwSide), for facilities walking to the site. A household with no
// members recorded counts as one person.
func suggest(ctx context.Context, g *routing.Graph, in *coverageInput, demand []int, n int, limit geo.Seconds, chwSide bool, season string, loc geo.Local) (*Suggestions, error) {
	kind := SourceFacility
	if chwSide {
		kind = SourceCHW
	}
	s := &Suggestions{Kind: kind, Season: season, Limit: limit, DemandHouseholds: len(demand)}
	weights := make([]int, len(demand))
	pts := make([]orb.Point, len(demand))
	for k, i := range demand {
		weights[k] = max(in.hh[i].Members, 1)
		s.DemandPeople += weights[k]
		pts[k] = in.hh[i].Point
	}
	cand := thinCandidates(pts, loc, maxCandidates)
	s.Candidates = len(cand)
	if n <= 0 || len(cand) == 0 {
		return s, nil
	}
	sites := make([]orb.Point, len(cand))
	for j, k := range cand {
		sites[j] = pts[k]
	}
	var cs *routing.Candidates
	var err error
	if chwSide {
		cs, err = g.CandidatesWithin(ctx, sites, pts, limit, 0, 0)
	} else {
		cs, err = g.CandidatesWithinTo(ctx, sites, pts, limit, 0, 0)
	}
	if err != nil {
		return nil, err
	}
	covers := make([][]int32, len(cand))
	for k := range pts {
		for _, c := range cs.Of(k) {
			covers[c.Source] = append(covers[c.Source], int32(k))
		}
	}
	sol, err := catchment.Cover(&catchment.CoverProblem{Weights: weights, Covers: covers, P: n}, nil)
	if err != nil {
		return nil, err
	}
	s.Covered, s.Bound, s.Optimal, s.Method = sol.Covered, sol.Bound, sol.Optimal, sol.Method
	seen := make([]bool, len(pts))
	cum := 0
	for r, j := range sol.Sites {
		h := in.hh[demand[cand[j]]]
		sg := district.Suggestion{Rank: r + 1, Point: h.Point, Household: h.ID, Season: season,
			LimitMinutes: limit.Minutes(), BoundPeople: sol.Bound}
		for _, k := range covers[j] {
			if !seen[k] {
				seen[k] = true
				sg.Households++
				sg.People += weights[k]
			}
		}
		cum += sg.People
		sg.Cumulative = cum
		s.Sites = append(s.Sites, sg)
	}
	return s, nil
}

// thinCandidates returns the indices of the points that are candidate
// sites: all of them up to max, else one per occupied cell of the
// smallest square grid (100 m, doubling) with at most max occupied cells,
// the point nearest its cell's mean (ties to the lowest index).
func thinCandidates(pts []orb.Point, loc geo.Local, max int) []int {
	all := make([]int, len(pts))
	for i := range all {
		all[i] = i
	}
	if len(pts) <= max {
		return all
	}
	local := make([]orb.Point, len(pts))
	for i, p := range pts {
		local[i] = loc.Forward(p)
	}
	type key struct{ x, y int64 }
	for size := 100.0; ; size *= 2 {
		cells := map[key][]int{}
		for i, q := range local {
			k := key{int64(math.Floor(q[0] / size)), int64(math.Floor(q[1] / size))}
			cells[k] = append(cells[k], i)
		}
		if len(cells) > max {
			continue
		}
		out := make([]int, 0, len(cells))
		for _, members := range cells {
			var mx, my float64
			for _, i := range members {
				mx += local[i][0]
				my += local[i][1]
			}
			mx, my = mx/float64(len(members)), my/float64(len(members))
			best, bd := -1, math.Inf(1)
			for _, i := range members {
				if d := math.Hypot(local[i][0]-mx, local[i][1]-my); d < bd {
					best, bd = i, d
				}
			}
			out = append(out, best)
		}
		slices.SortFunc(out, cmp.Compare)
		return out
	}
}
