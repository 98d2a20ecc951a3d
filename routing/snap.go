package routing

import (
	"errors"
	"fmt"
	"math"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// ErrTooFar is returned (wrapped) by Snap and the queries when a point is
// farther than Profile.MaxSnap from every path.
var ErrTooFar = errors.New("routing: point too far from every path")

// ErrNoGraph is returned by Snap on a graph with no edges (or none outside
// tunnels).
var ErrNoGraph = errors.New("routing: graph has no edges")

// ErrAcrossWater is returned (wrapped) by Snap and the queries when every
// path within Profile.MaxSnap of a point lies across a river or a water
// area that the off-path leg cannot cross: the reason across_water.
var ErrAcrossWater = errors.New("routing: point only reachable across water")

// Snap is a point attached to the graph: the nearest point on the nearest
// edge, which splits the edge virtually, and the straight off-path leg.
type Snap struct {
	Point     orb.Point  // the point asked for
	OnPath    orb.Point  // nearest point on the path
	Edge      EdgeID     // the edge OnPath lies on
	Along     geo.Meters // from the edge's From node to OnPath, along the edge
	Distance  geo.Meters // the off-path leg, Point to OnPath
	Component int        // component of Edge
	// Out and In are the off-path leg's walking times, Point→OnPath and
	// OnPath→Point, at Profile.OffPathFactor on the leg's own slope.
	Out, In geo.Seconds
	// Main, when the nearest edge is not in the largest component, is the
	// snap onto the nearest edge of the largest component within MaxSnap
	// (nil when there is none). Queries start or end at either.
	Main *Snap
	// blocked: the leg crosses water no one wades (a candidate Snap
	// rejected).
	blocked bool
}

// snapChunk is how many segments of an edge share one index entry: fewer
// entries than one per segment, tighter boxes than one per edge.
const snapChunk = 8

// buildSnapIndex indexes the edges' segments, snapChunk at a time, in local
// metres. Tunnels are left out.
func (g *Graph) buildSnapIndex() {
	var bound orb.Bound
	for i, p := range g.nodePt {
		if i == 0 {
			bound = orb.Bound{Min: p, Max: p}
		} else {
			bound = bound.Extend(p)
		}
	}
	g.local = geo.NewLocal(bound.Center())
	idx := &rtree.RTreeG[uint32]{}
	var cs []uint32
	var los, his []orb.Point
	for e := range g.edgeFrom {
		if g.tunnel[e] {
			// A point above a tunnel cannot step into it.
			continue
		}
		a, b := g.geomOff[e], g.geomOff[e+1]
		for s := a; s+1 < b; s += snapChunk {
			t := min(s+snapChunk, b-1)
			lo := g.local.Forward(g.pts[s])
			hi := lo
			for k := s + 1; k <= t; k++ {
				q := g.local.Forward(g.pts[k])
				lo = orb.Point{math.Min(lo[0], q[0]), math.Min(lo[1], q[1])}
				hi = orb.Point{math.Max(hi[0], q[0]), math.Max(hi[1], q[1])}
			}
			idx.Insert(lo, hi, s)
			cs, los, his = append(cs, s), append(los, lo), append(his, hi)
		}
	}
	g.snapIdx = idx
	g.snapGrid = newSnapGrid(cs, los, his)
}

// edgeOfPoint returns the edge whose geometry holds point index s (the
// first point of a chunk, never an edge's last point).
func (g *Graph) edgeOfPoint(s uint32) uint32 {
	lo, hi := 0, len(g.geomOff)-1
	for lo < hi {
		m := (lo + hi + 1) / 2
		if g.geomOff[m] <= s {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return uint32(lo)
}

// Snap attaches p to the nearest edge outside tunnels (a point above a
// tunnel cannot step into it). When p is farther than
// Profile.MaxSnap from every path it returns the Snap (so the caller sees
// the distance) and an error wrapping ErrTooFar. When the nearest edge is
// on a fragment (a component of at most Profile.FragmentNodes nodes), Main
// holds the nearest point of the largest component too (if within
// MaxSnap), and queries use whichever is faster: a house beside a short
// unconnected footpath still reaches the main network. The first call builds the spatial index (about a second per
// million edges); Snap is safe for concurrent use.
func (g *Graph) Snap(p orb.Point) (Snap, error) {
	s := Snap{Point: p}
	if !geo.ValidLonLat(p) {
		return s, fmt.Errorf("routing: snap %v: not a valid lon/lat point", p)
	}
	if g.Edges() == 0 {
		return s, ErrNoGraph
	}
	g.snapOnce.Do(g.buildSnapIndex)
	q := g.local.Forward(p)
	var first, main *Snap
	seen, acrossWater := false, false
	var nearest Snap
	// Local metres are within 0.5 % of haversine over a district; search a
	// little beyond the limit and check exactly below.
	limit2 := (g.prof.MaxSnap * 1.01) * (g.prof.MaxSnap * 1.01)
	visit := func(c uint32, d2 float64) bool {
		if first != nil && d2 > limit2 {
			return false
		}
		if first == nil && seen && d2 > limit2 {
			return false
		}
		cand := g.snapAt(p, q, c)
		if !seen {
			nearest, seen = cand, true
		}
		// The off-path leg never crosses a river or a water area:
		// look further for an edge on this side.
		if cand.blocked {
			acrossWater = true
			return true
		}
		if first == nil {
			first = &cand
			comp := g.nodeComp[g.edgeFrom[cand.Edge]]
			return comp != 0 && g.comps[comp].Nodes <= g.prof.FragmentNodes
		}
		if g.nodeComp[g.edgeFrom[cand.Edge]] == 0 {
			main = &cand
			return false
		}
		return true
	}
	// The grid answers within the limit; past it, only a point with no
	// path that near needs the nearest at any distance (for the error).
	measure := func(c uint32) float64 {
		_, _, d2 := g.nearestInChunk(q, c)
		return d2
	}
	if g.snapGrid == nil || g.snapGrid.nearby(q, g.prof.MaxSnap*1.01, measure, visit) && !seen {
		g.nearbyChunks(q, visit)
	}
	if !seen {
		return s, fmt.Errorf("%w outside tunnels", ErrNoGraph)
	}
	if first == nil || float64(first.Distance) > g.prof.MaxSnap {
		if acrossWater && float64(nearest.Distance) <= g.prof.MaxSnap {
			return nearest, fmt.Errorf("%w: every path within %.0f m lies across a river or water area", ErrAcrossWater, g.prof.MaxSnap)
		}
		if first != nil {
			nearest = *first
		}
		return nearest, fmt.Errorf("%w: %.0f m from the nearest path (limit %.0f m)", ErrTooFar, float64(nearest.Distance), g.prof.MaxSnap)
	}
	s = *first
	if main != nil && float64(main.Distance) <= g.prof.MaxSnap {
		s.Main = main
	}
	return s, nil
}

// nearbyChunks calls visit with the index chunks in order of exact
// distance from the local point q, until visit returns false: the R-tree's
// best-first search, measuring every chunk of every leaf it opens. Snap
// needs it only for a point with no path within the snap limit (the grid
// answers the rest).
func (g *Graph) nearbyChunks(q orb.Point, visit func(c uint32, d2 float64) bool) {
	g.snapIdx.Nearby(
		rtree.BoxDist[float64, uint32]([2]float64(q), [2]float64(q), func(_, _ [2]float64, c uint32) float64 {
			_, _, d2 := g.nearestInChunk(q, c)
			return d2
		}),
		func(_, _ [2]float64, c uint32, d2 float64) bool { return visit(c, d2) })
}

func (g *Graph) snapAt(p, q orb.Point, c uint32) Snap {
	s := Snap{Point: p}
	e := g.edgeOfPoint(c)
	k, t, _ := g.nearestInChunk(q, c)
	var along float64
	for i := g.geomOff[e]; i < k; i++ {
		along += float64(geo.Distance(g.pts[i], g.pts[i+1]))
	}
	a, b := g.pts[k], g.pts[k+1]
	along += t * float64(geo.Distance(a, b))
	s.Edge = EdgeID(e)
	s.OnPath = geo.Lerp(a, b, t)
	s.Along = geo.Meters(along)
	s.Distance = geo.Distance(p, s.OnPath)
	s.Component = int(g.nodeComp[g.edgeFrom[e]])
	zOn := g.edgeZAt(e, along)
	zP := math.NaN()
	if g.elev != nil {
		if z, ok := g.elev.Elevation(p); ok {
			zP = z
		}
		if z, ok := g.elev.Elevation(s.OnPath); ok {
			zOn = z
		}
	}
	d := float64(s.Distance)
	wade, blocked := g.legWater(p, s.OnPath)
	s.blocked = blocked
	s.Out = geo.Seconds(segTime(d, zOn-zP, d, g.prof.OffPathFactor) + wade)
	s.In = geo.Seconds(segTime(d, zP-zOn, d, g.prof.OffPathFactor) + wade)
	return s
}

// legWater returns the wading time (seconds) of the straight off-path leg
// a→b (lon/lat) and whether water blocks it (see waterIndex.offPath).
func (g *Graph) legWater(a, b orb.Point) (sec float64, blocked bool) {
	if g.water == nil {
		return 0, false
	}
	ms, blocked, _ := g.water.offPath(g.water.proj.Forward(a), g.water.proj.Forward(b), nil)
	return float64(ms) / 1000, blocked
}

// variants returns s and, when set, its snap onto the largest component.
func (s *Snap) variants() []*Snap {
	if s.Main != nil {
		return []*Snap{s, s.Main}
	}
	return []*Snap{s}
}

// canMeet reports whether a and b may be joined: some variant of each
// lies in the same component.
func canMeet(a, b *Snap) bool {
	for _, x := range a.variants() {
		for _, y := range b.variants() {
			if x.Component == y.Component {
				return true
			}
		}
	}
	return false
}

// nearestInChunk returns the segment (point index k) of index chunk c
// nearest to the local point q, the fraction along it and the squared
// local distance.
func (g *Graph) nearestInChunk(q orb.Point, c uint32) (k uint32, t, d2 float64) {
	e := g.edgeOfPoint(c)
	end := min(c+snapChunk, g.geomOff[e+1]-1)
	d2 = math.Inf(1)
	for i := c; i < end; i++ {
		ti, di := geo.ProjectToSegment(q, g.local.Forward(g.pts[i]), g.local.Forward(g.pts[i+1]))
		if di < d2 {
			k, t, d2 = i, ti, di
		}
	}
	return k, t, d2
}
