package tiles

import (
	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
)

// Elevation answers ground heights in metres; *dem.Mosaic implements it.
type Elevation interface {
	Elevation(p orb.Point) (meters float64, ok bool)
}

// Scene is what a map shows, as plain values in lon/lat (EPSG:4326). Any
// part may be empty: the renderer draws what is there. A Scene must not be
// changed after NewRenderer.
type Scene struct {
	StudyArea orb.MultiPolygon
	// Elevation shades the relief; nil draws none. ElevationStep is the
	// model's cell size (SRTM 3″: about 90 m): slopes are taken over at
	// least this distance, so the shading is smooth when zoomed in past
	// the model's resolution. ElevationID names the model's contents (a
	// hash of its files) for tile hashes.
	Elevation     Elevation
	ElevationStep geo.Meters
	ElevationID   string

	WaterAreas []orb.MultiPolygon
	Streams    []Stream
	Paths      []Path
	Catchments []Catchment
	Households []Household
	CHWs       []CHW
	Facilities []Facility
	// Villages are label anchors (the stage puts them at the mean of each
	// village's households).
	Villages   []Village
	Routes     []Route
	Stops      []Stop
	Isochrones []Band
	Gaps       []Gap
	// Suggested are proposed new CHW homes or facilities.
	Suggested []orb.Point
}

// Stream is a stream or river; Order is its Strahler order (0 when
// unknown, drawn as 1).
type Stream struct {
	Line  orb.LineString
	Order int
	// world is Line in Web Mercator world pixels at zoom 0 and bound its
	// bound, set by Scene.Prepare.
	world []Pt
	bound orb.Bound
}

// Path is a walkable way: Class is its OSM highway tag, Crossing "",
// "bridge", "ford" or "penalty" (paths layer).
type Path struct {
	Line     orb.LineString
	Class    string
	Crossing string
	// world is Line in Web Mercator world pixels at zoom 0 and bound its
	// bound, set by Scene.Prepare.
	world []Pt
	bound orb.Bound
}

// Prepare projects the scene's paths and streams into Web Mercator and
// takes their bounds once, so that the many maps drawn from one large
// scene do not each do it again: a national district's route sheets draw
// 130,000 maps from one base map, and the projection (a sine and a
// logarithm a vertex) and the bounds were a tenth of their time. The Path and Stream values carry their projection
// when copied into other scenes. Optional: a scene not prepared draws the
// same maps. Not safe to call while renderers draw s.
func (s *Scene) Prepare() {
	for i := range s.Paths {
		p := &s.Paths[i]
		p.world, p.bound = worldLine(p.Line), p.Line.Bound()
	}
	for i := range s.Streams {
		st := &s.Streams[i]
		st.world, st.bound = worldLine(st.Line), st.Line.Bound()
	}
}

// worldLine is l in world pixels at zoom 0.
func worldLine(l orb.LineString) []Pt {
	out := make([]Pt, len(l))
	for i, p := range l {
		out[i].X, out[i].Y = worldPx(p, 0)
	}
	return out
}

// Catchment is the area a CHW serves.
type Catchment struct {
	CHW  string
	Area orb.MultiPolygon
}

// Household is a registered household; CHW is its assigned CHW ("" for
// none).
type Household struct {
	ID    string
	Point orb.Point
	CHW   string
}

// CHW is a community health worker's home.
type CHW struct {
	ID    string
	Point orb.Point
}

// Facility is a health facility; Name labels it (the ID when empty).
type Facility struct {
	ID, Name string
	Point    orb.Point
}

// Village is a village's label at Point; Households ranks labels (bigger
// villages win a place first).
type Village struct {
	Name       string
	Point      orb.Point
	Households int
}

// Route is one CHW's walk on one visit day (1-based).
type Route struct {
	CHW  string
	Day  int
	Line orb.LineString
}

// Stop is a household visit: the Seq-th stop of Day, labelled with Label
// (usually Seq) inside its symbol.
type Stop struct {
	CHW   string
	Day   int
	Seq   int
	Point orb.Point
	Label string
}

// Band is a walking-time band: the area reached in [Min, Max) minutes.
// Index (0 the shortest) and Of (the number of bands) pick its colour.
type Band struct {
	Area      orb.MultiPolygon
	Min, Max  float64
	Index, Of int
}

// Gap is a cluster of unserved or far households.
type Gap struct {
	Area       orb.MultiPolygon
	Households int
}
