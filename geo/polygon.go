package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// PolygonIndex answers point-in-polygon queries against a fixed
// MultiPolygon. Its edges are bucketed in horizontal strips of the bound, so
// a query tests only the edges crossing its strip: O(edges / strips) on an
// even outline instead of O(edges). It works in any planar coordinates
// (lon/lat degrees or Local metres); it is read-only after NewPolygonIndex
// and safe for concurrent use.
type PolygonIndex struct {
	bound  orb.Bound
	strips [][]indexEdge // edges by horizontal strip, grouped by polygon
	dy     float64
}

// indexEdge is a ring edge of polygon poly.
type indexEdge struct {
	a, b orb.Point
	poly int
}

// polygonStrips is the number of horizontal strips a PolygonIndex has: 256
// keeps the index small for a district outline of thousands of vertices
// while cutting the edges tested per query by two orders of magnitude.
const polygonStrips = 256

// NewPolygonIndex indexes mp, which it does not modify or keep. Building is
// O(edges); rings need not be closed or oriented.
func NewPolygonIndex(mp orb.MultiPolygon) *PolygonIndex {
	x := &PolygonIndex{bound: mp.Bound(), strips: make([][]indexEdge, polygonStrips)}
	x.dy = (x.bound.Max[1] - x.bound.Min[1]) / polygonStrips
	for pi, p := range mp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				e := indexEdge{r[i], r[i+1], pi}
				lo, hi := x.strip(math.Min(e.a[1], e.b[1])), x.strip(math.Max(e.a[1], e.b[1]))
				for s := lo; s <= hi; s++ {
					x.strips[s] = append(x.strips[s], e)
				}
			}
		}
	}
	return x
}

func (x *PolygonIndex) strip(y float64) int {
	if x.dy <= 0 {
		return 0
	}
	s := int((y - x.bound.Min[1]) / x.dy)
	return max(0, min(polygonStrips-1, s))
}

// Bound returns the bounding box of the indexed MultiPolygon.
func (x *PolygonIndex) Bound() orb.Bound { return x.bound }

// Contains reports whether p is inside one of the polygons: the even-odd
// rule over each polygon's rings, so a hole is outside, and a point where
// two polygons overlap is inside. Points exactly on an edge follow the
// half-open crossing rule (inside on some edges, outside on others), as in
// most point-in-polygon code; callers that need closed edges for a
// rectangle check IsRectangle and the bound themselves.
func (x *PolygonIndex) Contains(p orb.Point) bool {
	if !x.bound.Contains(p) {
		return false
	}
	// A strip's edges are grouped by polygon (NewPolygonIndex appends them
	// in polygon order): the parity is decided per group.
	in, poly := false, -1
	for _, e := range x.strips[x.strip(p[1])] {
		if e.poly != poly {
			if in {
				return true
			}
			in, poly = false, e.poly
		}
		if (e.a[1] > p[1]) != (e.b[1] > p[1]) &&
			p[0] < (e.b[0]-e.a[0])*(p[1]-e.a[1])/(e.b[1]-e.a[1])+e.a[0] {
			in = !in
		}
	}
	return in
}

// IsRectangle reports whether mp is one ring with four distinct corners, the
// corners of its bound, joined by axis-parallel edges: a bounding box stored
// as a polygon.
func IsRectangle(mp orb.MultiPolygon) bool {
	b := mp.Bound()
	if len(mp) != 1 || len(mp[0]) != 1 || b.Min[0] >= b.Max[0] || b.Min[1] >= b.Max[1] {
		return false
	}
	r := mp[0][0]
	if len(r) < 4 || len(r) > 5 {
		return false
	}
	var corners [4]bool
	for i, p := range r {
		xi, yi := -1, -1
		switch p[0] {
		case b.Min[0]:
			xi = 0
		case b.Max[0]:
			xi = 1
		}
		switch p[1] {
		case b.Min[1]:
			yi = 0
		case b.Max[1]:
			yi = 1
		}
		if xi < 0 || yi < 0 {
			return false
		}
		corners[2*xi+yi] = true
		q := r[(i+1)%len(r)]
		if p[0] != q[0] && p[1] != q[1] {
			return false
		}
	}
	return corners == [4]bool{true, true, true, true}
}

// ExpandBound grows a lon/lat bound by m metres on every side (east-west at
// the bound's latitude farthest from the equator, so the margin is at least
// m everywhere), clamped to the valid lon/lat range.
func ExpandBound(b orb.Bound, m Meters) orb.Bound {
	dlat := float64(m) / (float64(EarthRadius) * math.Pi / 180)
	lat := math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1]))
	dlon := dlat / math.Max(math.Cos(lat*math.Pi/180), 0.01)
	return orb.Bound{
		Min: orb.Point{math.Max(-180, b.Min[0]-dlon), math.Max(-90, b.Min[1]-dlat)},
		Max: orb.Point{math.Min(180, b.Max[0]+dlon), math.Min(90, b.Max[1]+dlat)},
	}
}
