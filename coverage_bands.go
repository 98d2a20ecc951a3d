package lastmile

import (
	"context"
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing"
)

// Isochrone source kinds.
const (
	SourceFacility = "facility"
	SourceCHW      = "chw"
)

// bandSites are the sample points of the walking-time surface, whose
// Voronoi cells, clipped to the study area, are dissolved by band: the
// travel-time surface sampled by nearest neighbour and contoured exactly,
// so bands never overlap and each household lies in the band of its own
// walking time. The samples, and so the diagram, are the same in every
// season; only their times change:
//
//   - every household, first (so that it owns its cell even where another
//     sample falls on the same spot), with its exact walking time (its own
//     snap, as in coverage_households);
//   - points along the mapped paths every half grid step and the terrain
//     lattice's nodes, at most one per quarter-step cell: each is timed
//     from the search's times at its edge's two nodes plus the walk along
//     the edge to it (pro rata of the edge's time), so the bands follow the
//     paths (another season's graph is built from the same ways: its edge
//     is found by its end nodes and length);
//   - a triangular grid over the study area (no four points on a circle, so
//     the diagram has no degenerate vertices), each point timed from the
//     nearest path sample plus the straight walk to it at the season's
//     off-path speed on the flat, up to the snap limit (farther points,
//     like households there, are off the network).
//
// Only the households' times are exact; the other samples approximate the
// surface between them, at the grid step.
type bandSites struct {
	pts      []orb.Point // lon/lat
	nHH      int
	nSamples int // pts[nHH:nHH+nSamples] are path and lattice samples
	// Each sample's place on the graph it was taken from: an edge and the
	// fraction of its length from its From node (noEdge: a lattice node,
	// node), and a key that finds the same edge or node in another
	// season's graph (built from the same OSM ways: the same nodes).
	season string // of the graph the samples were taken from
	sEdge  []routing.EdgeID
	sFrac  []float64
	sNode  []routing.NodeID
	sKey   []sampleKey
	// Grid points (the rest): the nearest sample (-1: none within the
	// snap limit) and the straight line to it.
	near     []int
	nearDist []geo.Meters
	loc      geo.Local
	vor      *geo.Voronoi
	cells    *geo.Dissolver // of vor's cells: every band is dissolved from it
}

// maxGridSites bounds the grid part of the samples: the grid step grows
// with the area (100 m up to about 1,700 km², 650 m at 84,000 km²).
const maxGridSites = 200_000

// newBandSites samples the surface along the paths of g over area (nil:
// the households' and the graph's extent) and computes the Voronoi diagram
// of the samples.
func newBandSites(ctx context.Context, g *routing.Graph, season string, hh []district.Household, area *ingest.Area) (*bandSites, error) {
	var clip orb.MultiPolygon
	var b orb.Bound
	if area != nil {
		clip, b = area.Geom, area.Bound()
	} else {
		b = orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, h := range hh {
			b = b.Extend(h.Point)
		}
		for n := 0; n < g.Nodes(); n++ {
			b = b.Extend(g.NodePoint(routing.NodeID(n)))
		}
		b = geo.ExpandBound(b, 500)
		clip = orb.MultiPolygon{b.ToPolygon()}
	}
	bs := &bandSites{loc: geo.NewLocal(b.Center()), nHH: len(hh)}
	lo, hi := bs.loc.Forward(b.Min), bs.loc.Forward(b.Max)
	w, h := hi[0]-lo[0], hi[1]-lo[1]
	step := math.Max(100, math.Sqrt(w*h/maxGridSites))

	for _, x := range hh {
		bs.pts = append(bs.pts, x.Point)
	}
	// Path samples, one per quarter-step cell (the first in edge order).
	bs.season = season
	cell := step / 4
	type key struct{ x, y int64 }
	taken := map[key]bool{}
	free := func(p orb.Point) bool {
		q := bs.loc.Forward(p)
		k := key{int64(math.Floor(q[0] / cell)), int64(math.Floor(q[1] / cell))}
		if taken[k] {
			return false
		}
		taken[k] = true
		return true
	}
	lattice := map[routing.NodeID]bool{}
	for e := 0; e < g.Edges(); e++ {
		ed := g.Edge(routing.EdgeID(e))
		if ed.Class == routing.TerrainClass {
			lattice[ed.From], lattice[ed.To] = true, true
			continue
		}
		k := edgeKey(g, ed)
		alongLine(ed.Geometry, step/2, func(p orb.Point, at float64) {
			if free(p) {
				bs.pts = append(bs.pts, p)
				bs.sEdge, bs.sNode, bs.sKey = append(bs.sEdge, ed.ID), append(bs.sNode, 0), append(bs.sKey, k)
				bs.sFrac = append(bs.sFrac, math.Max(0, math.Min(1, at/math.Max(float64(ed.Length), 1e-9))))
			}
		})
	}
	for n := 0; n < g.Nodes(); n++ {
		id := routing.NodeID(n)
		if p := g.NodePoint(id); lattice[id] && free(p) {
			bs.pts = append(bs.pts, p)
			bs.sEdge, bs.sFrac, bs.sNode = append(bs.sEdge, noEdge), append(bs.sFrac, 0), append(bs.sNode, id)
			bs.sKey = append(bs.sKey, sampleKey{from: g.NodeOSMID(id), to: g.NodeOSMID(id)})
		}
	}
	bs.nSamples = len(bs.pts) - bs.nHH
	if err := bs.grid(ctx, g, lo, hi, step); err != nil {
		return nil, err
	}

	local := make([]orb.Point, len(bs.pts))
	for i, p := range bs.pts {
		local[i] = bs.loc.Forward(p)
	}
	v, err := geo.NewVoronoi(local, bs.project(clip))
	if err != nil {
		return nil, err
	}
	bs.vor, bs.cells = v, geo.NewDissolver(v.Cells)
	return bs, nil
}

// alongLine calls add with points of line every step metres of its
// length (by haversine), both ends included, and their distance from the
// start.
func alongLine(line orb.LineString, step float64, add func(p orb.Point, at float64)) {
	if len(line) == 0 {
		return
	}
	add(line[0], 0)
	done, next := 0.0, step
	for i := 1; i < len(line); i++ {
		a, b := line[i-1], line[i]
		d := float64(geo.Distance(a, b))
		for ; next < done+d; next += step {
			add(geo.Lerp(a, b, (next-done)/d), next)
		}
		done += d
	}
	add(line[len(line)-1], done)
}

// noEdge and noNode mark a sample that is a lattice node (no edge), or
// that another season's graph lacks.
const (
	noEdge = routing.EdgeID(math.MaxUint32)
	noNode = routing.NodeID(math.MaxUint32)
)

// sampleKey finds a path sample's edge in another season's graph: the OSM
// nodes at its ends and its length in centimetres (for a lattice node:
// its OSM ID twice, length 0).
type sampleKey struct {
	from, to int64
	cm       int64
}

func edgeKey(g *routing.Graph, ed routing.Edge) sampleKey {
	return sampleKey{from: g.NodeOSMID(ed.From), to: g.NodeOSMID(ed.To), cm: int64(math.Round(float64(ed.Length) * 100))}
}

// samplesOn returns the samples' edges and lattice nodes in g, the graph
// of season: as taken when they were taken from it, else found by key
// (noEdge and noNode where g has no such edge: a crossing the rains
// close). Holding the season, not the graph, lets the first season's graph
// go while the next one is measured.
func (bs *bandSites) samplesOn(g *routing.Graph, season string) (edges []routing.EdgeID, nodes []routing.NodeID) {
	if season == bs.season {
		return bs.sEdge, bs.sNode
	}
	byKey := map[sampleKey]routing.EdgeID{}
	byNode := map[int64]routing.NodeID{}
	for e := 0; e < g.Edges(); e++ {
		ed := g.Edge(routing.EdgeID(e))
		if ed.Class == routing.TerrainClass {
			byNode[g.NodeOSMID(ed.From)], byNode[g.NodeOSMID(ed.To)] = ed.From, ed.To
			continue
		}
		byKey[edgeKey(g, ed)] = ed.ID
	}
	edges, nodes = make([]routing.EdgeID, bs.nSamples), make([]routing.NodeID, bs.nSamples)
	for k := range edges {
		edges[k], nodes[k] = noEdge, noNode
		if bs.sEdge[k] == noEdge {
			if n, ok := byNode[bs.sKey[k].from]; ok {
				nodes[k] = n
			}
			continue
		}
		if e, ok := byKey[bs.sKey[k]]; ok {
			edges[k] = e
		}
	}
	return edges, nodes
}

// grid adds a triangular grid over [lo, hi] (local metres), each point
// joined to its nearest path sample.
func (bs *bandSites) grid(ctx context.Context, g *routing.Graph, lo, hi orb.Point, step float64) error {
	var idx rtree.RTreeG[int]
	for i := bs.nHH; i < bs.nHH+bs.nSamples; i++ {
		q := bs.loc.Forward(bs.pts[i])
		idx.Insert(q, q, i)
	}
	maxSnap := g.Profile().MaxSnap
	dy := step * math.Sqrt(3) / 2
	first := len(bs.pts)
	for row, y := 0, lo[1]+dy/2; y < hi[1]; row, y = row+1, y+dy {
		x0 := lo[0] + step/2
		if row%2 == 1 {
			x0 += step / 2
		}
		for x := x0; x < hi[0]; x += step {
			bs.pts = append(bs.pts, bs.loc.Inverse(orb.Point{x, y}))
		}
	}
	bs.near = make([]int, len(bs.pts)-first)
	bs.nearDist = make([]geo.Meters, len(bs.near))
	return parallel.For(ctx, 0, len(bs.near), func(k int) {
		bs.near[k] = -1
		q := bs.loc.Forward(bs.pts[first+k])
		idx.Nearby(rtree.BoxDist[float64, int](q, q, nil), func(_, _ [2]float64, i int, d2 float64) bool {
			if d := math.Sqrt(d2); d <= maxSnap {
				bs.near[k], bs.nearDist[k] = i, geo.Meters(d)
			}
			return false
		})
	})
}

func (bs *bandSites) project(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, r := range poly {
			lr := make(orb.Ring, len(r))
			for k, p := range r {
				lr[k] = bs.loc.Forward(p)
			}
			out[i][j] = lr
		}
	}
	return out
}

// siteBands returns the band of every sample under reach (towards the
// sources when reverse, as NearestTo) on graph g. Households take their
// own snaps (hhSnapped false: off the network, no band); the path and
// lattice samples their edges and nodes in g (samplesOn).
func (bs *bandSites) siteBands(ctx context.Context, g *routing.Graph, reach *routing.Reach, reverse bool,
	hhSnaps []routing.Snap, hhSnapped []bool, sEdges []routing.EdgeID, sNodes []routing.NodeID, bands catchment.Bands) ([]int, error) {
	times := make([]geo.Seconds, len(bs.pts))
	ok := make([]bool, len(bs.pts))
	band := make([]int, len(bs.pts))
	nPath := bs.nHH + bs.nSamples
	err := parallel.For(ctx, 0, nPath, func(i int) {
		if i < bs.nHH {
			if hhSnapped[i] {
				_, times[i], ok[i] = reach.AtSnap(hhSnaps[i])
			}
			return
		}
		k := i - bs.nHH
		if sEdges[k] == noEdge {
			if n := sNodes[k]; n != noNode {
				_, times[i], ok[i] = reach.Node(n)
			}
			return
		}
		ed := g.Edge(sEdges[k])
		f := bs.sFrac[k]
		// Reaching the sample from either end of its edge (or, towards
		// the sources, leaving it to either end).
		along := [2]float64{f * float64(ed.Forward), (1 - f) * float64(ed.Backward)}
		if reverse {
			along = [2]float64{f * float64(ed.Backward), (1 - f) * float64(ed.Forward)}
		}
		best := math.Inf(1)
		for j, n := range [2]routing.NodeID{ed.From, ed.To} {
			if _, t, reached := reach.Node(n); reached {
				best = math.Min(best, float64(t)+along[j])
			}
		}
		if !math.IsInf(best, 1) {
			times[i], ok[i] = geo.Seconds(best), true
		}
	})
	if err != nil {
		return nil, err
	}
	prof := g.Profile()
	speed := prof.OffPathFactor * routing.Tobler(0) / 3.6 // m/s on the flat
	for k, s := range bs.near {
		i := nPath + k
		if s >= 0 && ok[s] {
			times[i], ok[i] = times[s]+geo.Seconds(float64(bs.nearDist[k])/speed), true
		}
	}
	for i := range band {
		band[i] = -1
		if o := bs.vor.Owner[i]; ok[o] {
			band[i] = bands.Of(times[o])
		}
	}
	return band, nil
}

// isochrones returns the band polygons (lon/lat) of one source kind and
// season, with the households and people in each.
func (bs *bandSites) isochrones(kind, season string, band []int, bands catchment.Bands, hh []district.Household) []district.Isochrone {
	areas := catchment.BandAreas(bs.cells, band, len(bands))
	var out []district.Isochrone
	for b, mp := range areas {
		ll := bs.lonLat(mp)
		if len(ll) == 0 {
			continue
		}
		iso := district.Isochrone{SourceKind: kind, SourceID: "all", BandMin: bands.Min(b), BandMax: bands.Max(b),
			Season: season, Area: ll, AreaKm2: geo.Area(ll).SquareKilometers()}
		for i := range hh {
			if band[i] == b {
				iso.Households++
				iso.People += hh[i].Members
			}
		}
		out = append(out, iso)
	}
	return out
}

// lonLat returns mp (local metres) in lon/lat, its rings cleaned of
// vertices within a millimetre of the previous one and of vertices on a
// straight line between their neighbours (the Voronoi cells' shared
// edges), which only add size.
func (bs *bandSites) lonLat(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, poly := range mp {
		var p orb.Polygon
		for j, r := range poly {
			c := cleanRing(r)
			if len(c) < 4 {
				if j == 0 {
					break
				}
				continue
			}
			for k := range c {
				c[k] = bs.loc.Inverse(c[k])
			}
			p = append(p, c)
		}
		if len(p) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// cleanRing drops near-duplicate and collinear vertices of a closed ring
// (local metres) and returns it closed, or shorter than 4 points when
// nothing is left.
func cleanRing(r orb.Ring) orb.Ring {
	const eps = 1e-3 // metres
	pts := make([]orb.Point, 0, len(r))
	for _, p := range r {
		if n := len(pts); n > 0 && math.Abs(p[0]-pts[n-1][0]) < eps && math.Abs(p[1]-pts[n-1][1]) < eps {
			continue
		}
		pts = append(pts, p)
	}
	for len(pts) > 1 && math.Abs(pts[0][0]-pts[len(pts)-1][0]) < eps && math.Abs(pts[0][1]-pts[len(pts)-1][1]) < eps {
		pts = pts[:len(pts)-1]
	}
	// Drop collinear vertices, going round until none is left.
	for changed := true; changed && len(pts) >= 3; {
		changed = false
		out := pts[:0:0]
		n := len(pts)
		for i := 0; i < n; i++ {
			a, b, c := pts[(i+n-1)%n], pts[i], pts[(i+1)%n]
			if len(out) > 0 {
				a = out[len(out)-1]
			}
			cross := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
			if math.Abs(cross) <= 1e-9*math.Hypot(c[0]-a[0], c[1]-a[1])*math.Max(1, math.Hypot(b[0]-a[0], b[1]-a[1])) {
				changed = true
				continue
			}
			out = append(out, b)
		}
		pts = out
	}
	if len(pts) < 3 {
		return nil
	}
	return append(orb.Ring(pts), pts[0])
}
