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

// ErrNoGraph is returned by Snap on a graph with no edges.
var ErrNoGraph = errors.New("routing: graph has no edges")

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
}

// snapChunk is how many segments of an edge share one index entry: fewer
// entries than one per segment, tighter boxes than one per edge.
const snapChunk = 8

// buildSnapIndex indexes the edges' segments, snapChunk at a time, in local
// metres.
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
	for e := range g.edgeFrom {
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
		}
	}
	g.snapIdx = idx
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

// projectSeg returns the fraction t of a→b nearest to p and the squared
// distance, all in local metres.
func projectSeg(p, a, b orb.Point) (t, d2 float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 > 0 {
		t = ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
		t = math.Min(math.Max(t, 0), 1)
	}
	x, y := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return t, x*x + y*y
}

// Snap attaches p to the nearest edge. When p is farther than
// Profile.MaxSnap from every path it returns the Snap (so the caller sees
// the distance) and an error wrapping ErrTooFar. The first call builds the
// spatial index (about a second per million edges); Snap is safe for
// concurrent use.
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
	best := uint32(math.MaxUint32)
	var bestT float64
	g.snapIdx.Nearby(
		rtree.BoxDist[float64, uint32]([2]float64(q), [2]float64(q), func(_, _ [2]float64, s uint32) float64 {
			e := g.edgeOfPoint(s)
			end := min(s+snapChunk, g.geomOff[e+1]-1)
			d := math.Inf(1)
			for k := s; k < end; k++ {
				_, d2 := projectSeg(q, g.local.Forward(g.pts[k]), g.local.Forward(g.pts[k+1]))
				d = math.Min(d, d2)
			}
			return d
		}),
		func(_, _ [2]float64, s uint32, _ float64) bool {
			best = s
			return false
		})
	// Refine: the chunk's nearest segment and the fraction on it.
	e := g.edgeOfPoint(best)
	end := min(best+snapChunk, g.geomOff[e+1]-1)
	bestD, bestK := math.Inf(1), best
	for k := best; k < end; k++ {
		t, d2 := projectSeg(q, g.local.Forward(g.pts[k]), g.local.Forward(g.pts[k+1]))
		if d2 < bestD {
			bestD, bestK, bestT = d2, k, t
		}
	}
	var along float64
	for k := g.geomOff[e]; k < bestK; k++ {
		along += float64(geo.Distance(g.pts[k], g.pts[k+1]))
	}
	a, b := g.pts[bestK], g.pts[bestK+1]
	along += bestT * float64(geo.Distance(a, b))
	s.Edge = EdgeID(e)
	s.OnPath = interp(a, b, bestT)
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
	s.Out = geo.Seconds(segTime(d, zOn-zP, d, g.prof.OffPathFactor))
	s.In = geo.Seconds(segTime(d, zP-zOn, d, g.prof.OffPathFactor))
	if d > g.prof.MaxSnap {
		return s, fmt.Errorf("%w: %.0f m from the nearest path (limit %.0f m)", ErrTooFar, d, g.prof.MaxSnap)
	}
	return s, nil
}
