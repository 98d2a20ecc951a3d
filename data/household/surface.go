package household

import (
	"errors"
	"fmt"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// ErrNoPoint is returned by Representative for a geometry that gives no
// usable point.
var ErrNoPoint = errors.New("household: geometry gives no point")

// Representative returns the point that stands for a feature: the point
// itself, the only point of a one-point MultiPoint, or a point on the surface
// of a (Multi)Polygon (geo.PointOnSurface), e.g. a facility mapped as a
// building outline. Other geometries give an error wrapping ErrNoPoint.
func Representative(g orb.Geometry) (orb.Point, error) {
	switch g := g.(type) {
	case orb.Point:
		return g, nil
	case orb.MultiPoint:
		if len(g) == 1 {
			return g[0], nil
		}
		return orb.Point{}, fmt.Errorf("%w: MultiPoint with %d points", ErrNoPoint, len(g))
	case orb.Polygon:
		return pointOnSurface(orb.MultiPolygon{g})
	case orb.MultiPolygon:
		return pointOnSurface(g)
	case nil:
		return orb.Point{}, fmt.Errorf("%w: no geometry", ErrNoPoint)
	default:
		return orb.Point{}, fmt.Errorf("%w: %s", ErrNoPoint, g.GeoJSONType())
	}
}

// pointOnSurface is geo.PointOnSurface with this package's error.
func pointOnSurface(mp orb.MultiPolygon) (orb.Point, error) {
	p, ok := geo.PointOnSurface(mp)
	if !ok {
		return orb.Point{}, fmt.Errorf("%w: empty polygon", ErrNoPoint)
	}
	return p, nil
}
