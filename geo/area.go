package geo

import (
	"github.com/golang/geo/s2"
	"github.com/paulmach/orb"
)

// SquareMeters is an area in square metres.
type SquareMeters float64

// SquareKilometers returns a in km².
func (a SquareMeters) SquareKilometers() float64 { return float64(a) / 1e6 }

// Area returns the geodesic area of a lon/lat MultiPolygon on the mean-radius
// sphere (EarthRadius): each ring becomes an S2 loop (edges are great-circle
// arcs, indistinguishable from the straight lon/lat edges at district
// scale), each polygon is its outer ring minus its holes, and the polygons
// are summed (overlapping polygons count twice). Ring orientation does not
// matter: every ring is taken as the smaller of the two regions it bounds.
// Rings with fewer than three distinct vertices add nothing. Cost:
// O(vertices); it is exact to about 1e-12 relative, the sphere itself is
// within 0.5 % of the ellipsoid.
func Area(mp orb.MultiPolygon) SquareMeters {
	var sr float64 // steradians
	for _, p := range mp {
		for i, r := range p {
			a := ringSteradians(r)
			if i == 0 {
				sr += a
			} else {
				sr -= a
			}
		}
	}
	r := float64(EarthRadius)
	return SquareMeters(sr * r * r)
}

// ringSteradians is the area of the smaller region bounded by the lon/lat
// ring r.
func ringSteradians(r orb.Ring) float64 {
	pts := make([]s2.Point, 0, len(r))
	for _, p := range r {
		q := s2.PointFromLatLng(s2.LatLngFromDegrees(p[1], p[0]))
		if n := len(pts); n > 0 && pts[n-1] == q {
			continue // S2 loops allow no repeated vertex
		}
		pts = append(pts, q)
	}
	for len(pts) > 1 && pts[len(pts)-1] == pts[0] {
		pts = pts[:len(pts)-1] // S2 loops are implicitly closed
	}
	if len(pts) < 3 {
		return 0
	}
	l := s2.LoopFromPoints(pts)
	l.Normalize()
	return l.Area()
}
