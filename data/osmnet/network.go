package osmnet

import (
	"sort"

	"github.com/paulmach/orb"
)

// Network is the walkable path network and the water barriers read from one
// OSM file. Every slice is sorted by ID; coordinates are WGS 84 lon/lat
// degrees rounded to the OSM precision of 1e-7°, so a PBF and an XML copy of
// the same data give identical values.
type Network struct {
	// Nodes are the nodes used by Ways, Waterways and WaterAreas, sorted by ID.
	Nodes []Node
	// Ways are the walkable ways, sorted by ID.
	Ways []Way
	// Waterways are waterway=river|stream|canal|ditch|drain lines, sorted by ID.
	Waterways []Waterway
	// WaterAreas are natural=water and waterway=riverbank areas, from closed
	// ways and multipolygon relations, sorted by (Relation, ID): closed ways
	// first, then relations.
	WaterAreas []WaterArea
	// Buildings are the closed ways tagged building=* (other than "no"),
	// sorted by ID; read only with Options.Buildings. Their nodes are not
	// in Nodes.
	Buildings []Building
	// Warnings describe data that was dropped or repaired, in a deterministic
	// order. They name OSM ids only, never tag values.
	Warnings []string
	// Bound is the bounding box of Nodes (the zero Bound when there are none).
	Bound orb.Bound
}

// Node is an OSM node used by the network.
type Node struct {
	ID    int64
	Point orb.Point // lon, lat
	// Ford is true for ford=* other than "no" on the node.
	Ford bool
	// Barrier is the value of the node's barrier=* tag ("" when absent).
	Barrier string
}

// Way is a walkable OSM way.
type Way struct {
	ID int64
	// Nodes are indices into Network.Nodes, in way order; at least 2, with no
	// two consecutive equal.
	Nodes   []int32
	Highway string // highway=* value, e.g. "path", "residential"
	Surface string // surface=* value ("" when absent)
	SAC     string // sac_scale=* value ("" when absent)
	Foot    string // foot=* value ("" when absent)
	Bridge  bool   // bridge=* other than "no"
	Ford    bool   // ford=* other than "no"
	Tunnel  bool   // tunnel=* other than "no"
	// Width is width=* in metres, 0 when absent or unparsable.
	Width float64
	// Area is true for an area=yes outline (e.g. a pedestrian square) kept as
	// a closed way.
	Area bool
}

// Waterway is a linear waterway, a barrier to walking unless crossed by a
// bridge or a ford.
type Waterway struct {
	ID int64
	// Kind is the waterway=* value: river, stream, canal, ditch or drain.
	Kind string
	// Width is width=* in metres, 0 when absent or unparsable.
	Width float64
	// Nodes are indices into Network.Nodes; at least 2.
	Nodes []int32
}

// WaterArea is a body of water, a barrier to walking.
type WaterArea struct {
	// ID is the OSM id of the closed way, or of the relation when Relation.
	ID int64
	// Relation is true when the area is a multipolygon relation.
	Relation bool
	// Polygon holds the rings: outer rings counter-clockwise, inner rings
	// clockwise, each closed (first point == last point).
	Polygon orb.MultiPolygon
	// Kind is "water" for natural=water and "riverbank" for waterway=riverbank.
	Kind string
}

// Building is a mapped building outline (a structure someone may live
// in).
type Building struct {
	ID int64
	// Kind is the building=* value ("yes", "house", "hut", …).
	Kind string
	// Ring is the outline, closed (first point == last point),
	// counter-clockwise, lon/lat.
	Ring orb.Ring
}

// Stats counts what a Network holds, for logs and reports.
type Stats struct {
	Nodes      int
	Ways       int
	Waterways  int
	WaterAreas int
	// ByHighway counts Ways by Highway; ByWaterway Waterways by Kind and
	// ByWaterArea WaterAreas by Kind.
	ByHighway   map[string]int
	ByWaterway  map[string]int
	ByWaterArea map[string]int
}

// Stats counts the network's contents. It does not modify n.
func (n *Network) Stats() Stats {
	s := Stats{
		Nodes: len(n.Nodes), Ways: len(n.Ways), Waterways: len(n.Waterways), WaterAreas: len(n.WaterAreas),
		ByHighway: map[string]int{}, ByWaterway: map[string]int{}, ByWaterArea: map[string]int{},
	}
	for _, w := range n.Ways {
		s.ByHighway[w.Highway]++
	}
	for _, w := range n.Waterways {
		s.ByWaterway[w.Kind]++
	}
	for _, a := range n.WaterAreas {
		s.ByWaterArea[a.Kind]++
	}
	return s
}

// NodeIndex returns the index in n.Nodes of the node with OSM id id, by
// binary search, and false when the network does not hold it.
func (n *Network) NodeIndex(id int64) (int32, bool) {
	i := sort.Search(len(n.Nodes), func(i int) bool { return n.Nodes[i].ID >= id })
	if i < len(n.Nodes) && n.Nodes[i].ID == id {
		return int32(i), true
	}
	return 0, false
}
