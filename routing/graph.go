package routing

import (
	"math"
	"sync"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing/shortest"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// NodeID is a dense graph node index, 0..Nodes()-1. Nodes are numbered in
// ascending OSM node ID.
type NodeID uint32

// EdgeID is a dense edge index, 0..Edges()-1. Edges are the pieces of OSM
// ways between junctions, in ascending way ID and then along the way.
type EdgeID uint32

// Graph is the terrain-weighted walking graph. Each edge has two directed
// walking times (from→to and to→from) that differ on slopes. A Graph is
// immutable once built or loaded and safe for concurrent use.
type Graph struct {
	prof Profile

	nodeOSM  []int64
	nodePt   []orb.Point
	nodeComp []uint32 // component index per node

	edgeFrom, edgeTo []uint32
	geomOff          []uint32    // len Edges()+1, into pts and z
	pts              []orb.Point // densified geometry of every edge
	z                []float32   // elevation per point, NaN if unknown
	length           []float32   // metres
	ascent, descent  []float32   // metres, in the from→to direction
	fwd, bwd         []uint32    // milliseconds, from→to and to→from
	factor           []float32   // class × surface × sac_scale
	class            []uint16    // index into classes
	classes          []string
	wayID            []int64
	cross            []Crossing
	tunnel           []bool   // in a tunnel: walked through, never snapped to
	crossOff         []uint32 // len Edges()+1, into crossAt and crossMs
	crossAt          []float32
	crossMs          []uint32

	comps []Component // by size, largest first

	engine

	// waters are the waterways the graph was built with, derived streams
	// included (saved, and indexed again on Load); water indexes them, so
	// that off-path legs see water.
	waters []waterInput
	areas  []areaInput
	water  *waterIndex

	// elev, when set, gives the off-path legs their slope; otherwise the
	// path end's stored elevation is used for both ends (flat leg).
	elev elevModel

	snapOnce sync.Once
	snapIdx  *rtree.RTreeG[uint32]
	snapGrid *snapGrid
	local    geo.Local

	revOnce sync.Once
	rev     *shortest.Graph // reversed sg, for NearestTo

	adjOnce sync.Once
	adjOff  []uint32 // node → incident edges (CSR)
	adj     []uint32
}

// Component is one weakly connected component of the graph. Walking times
// in both directions are finite, so weak and strong connectivity agree.
type Component struct {
	ID      int        // 0 = largest
	Nodes   int        // graph nodes
	Edges   int        // edges
	Length  geo.Meters // total edge length
	Largest bool
	minNode uint32
}

// Nodes returns the number of graph nodes.
func (g *Graph) Nodes() int { return len(g.nodePt) }

// Edges returns the number of edges.
func (g *Graph) Edges() int { return len(g.edgeFrom) }

// Components returns the weakly connected components, largest first. The
// slice is shared: do not modify it.
func (g *Graph) Components() []Component { return g.comps }

// Profile returns the walking profile the graph was built with.
func (g *Graph) Profile() Profile { return g.prof }

// NodePoint returns node n's position.
func (g *Graph) NodePoint(n NodeID) orb.Point { return g.nodePt[n] }

// NodeOSMID returns the OSM node ID of node n.
func (g *Graph) NodeOSMID(n NodeID) int64 { return g.nodeOSM[n] }

// NodeComponent returns the component ID of node n.
func (g *Graph) NodeComponent(n NodeID) int { return int(g.nodeComp[n]) }

// Edge describes one edge for callers that list or export the graph.
type Edge struct {
	ID              EdgeID
	From, To        NodeID
	Geometry        orb.LineString // shared with the graph: do not modify
	Length          geo.Meters
	Forward         geo.Seconds // from→to
	Backward        geo.Seconds // to→from
	Ascent, Descent geo.Meters  // from→to
	Class           string      // OSM highway value
	WayID           int64       // OSM way ID
	Component       int
	Crossing        Crossing
}

// Edge returns edge e.
func (g *Graph) Edge(e EdgeID) Edge {
	return Edge{
		ID: e, From: NodeID(g.edgeFrom[e]), To: NodeID(g.edgeTo[e]),
		Geometry: orb.LineString(g.pts[g.geomOff[e]:g.geomOff[e+1]]),
		Length:   geo.Meters(g.length[e]),
		Forward:  geo.Seconds(float64(g.fwd[e]) / 1000), Backward: geo.Seconds(float64(g.bwd[e]) / 1000),
		Ascent: geo.Meters(g.ascent[e]), Descent: geo.Meters(g.descent[e]),
		Class: g.classes[g.class[e]], WayID: g.wayID[e],
		Component: int(g.nodeComp[g.edgeFrom[e]]), Crossing: g.cross[e],
	}
}

// ForwardMs and BackwardMs return an edge's stored weights in milliseconds,
// the integers the shortest-path engine adds up.
func (g *Graph) ForwardMs(e EdgeID) uint32 { return g.fwd[e] }

// BackwardMs returns edge e's to→from weight in milliseconds.
func (g *Graph) BackwardMs(e EdgeID) uint32 { return g.bwd[e] }

// view returns edge e's stored data for cost computations.
func (g *Graph) view(e uint32) edgeView {
	a, b := g.geomOff[e], g.geomOff[e+1]
	c, d := g.crossOff[e], g.crossOff[e+1]
	return edgeView{
		pts: g.pts[a:b], z: g.z[a:b], factor: float64(g.factor[e]),
		crossAt: g.crossAt[c:d], crossMs: g.crossMs[c:d],
	}
}

// SetElevation gives the graph an elevation model for the off-path legs of
// snapped points (a built graph keeps the one it was built with, a loaded
// graph has none; nil removes it). It must be called before the graph is
// shared between goroutines.
func (g *Graph) SetElevation(m dem.Model) {
	g.elev = nil
	if m != nil {
		g.elev = m
	}
}

// elevModel is the part of dem.Model the graph uses.
type elevModel interface {
	Elevation(p orb.Point) (meters float64, ok bool)
}

// edgeZAt returns the stored elevation at metres along edge e (NaN when
// unknown).
func (g *Graph) edgeZAt(e uint32, along float64) float64 {
	v := g.view(e)
	var s0 float64
	for k := 0; k+1 < len(v.pts); k++ {
		seg := float64(geo.Distance(v.pts[k], v.pts[k+1]))
		if s0+seg >= along || k+2 == len(v.pts) {
			t := 0.0
			if seg > 0 {
				t = math.Min(math.Max((along-s0)/seg, 0), 1)
			}
			return float64(v.z[k]) + (float64(v.z[k+1])-float64(v.z[k]))*t
		}
		s0 += seg
	}
	if len(v.z) > 0 {
		return float64(v.z[0])
	}
	return math.NaN()
}

// buildAdjacency fills adjOff/adj (node → incident edges), used to turn a
// node path back into edges.
func (g *Graph) buildAdjacency() {
	n := g.Nodes()
	off := make([]uint32, n+1)
	for e := range g.edgeFrom {
		off[g.edgeFrom[e]+1]++
		if g.edgeTo[e] != g.edgeFrom[e] {
			off[g.edgeTo[e]+1]++
		}
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
	}
	adj := make([]uint32, off[n])
	pos := append([]uint32(nil), off[:n]...)
	for e := range g.edgeFrom {
		u, v := g.edgeFrom[e], g.edgeTo[e]
		adj[pos[u]] = uint32(e)
		pos[u]++
		if v != u {
			adj[pos[v]] = uint32(e)
			pos[v]++
		}
	}
	g.adjOff, g.adj = off, adj
}

// edgeBetween returns the cheapest edge leading from u to v and whether it
// walks the edge forwards.
func (g *Graph) edgeBetween(u, v uint32) (e uint32, forward bool, ok bool) {
	g.adjOnce.Do(g.buildAdjacency)
	best := uint32(math.MaxUint32)
	for _, x := range g.adj[g.adjOff[u]:g.adjOff[u+1]] {
		if g.edgeFrom[x] == u && g.edgeTo[x] == v && g.fwd[x] < best {
			best, e, forward, ok = g.fwd[x], x, true, true
		}
		if g.edgeTo[x] == u && g.edgeFrom[x] == v && g.bwd[x] < best {
			best, e, forward, ok = g.bwd[x], x, false, true
		}
	}
	return e, forward, ok
}
