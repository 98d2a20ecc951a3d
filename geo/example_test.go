package geo_test

import (
	"fmt"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

func ExamplePolygonIndex() {
	// A study area with a lake (a hole).
	area := orb.MultiPolygon{{
		{{-9.6, 7.4}, {-9.4, 7.4}, {-9.4, 7.6}, {-9.6, 7.6}, {-9.6, 7.4}},
		{{-9.55, 7.45}, {-9.5, 7.45}, {-9.5, 7.5}, {-9.55, 7.5}, {-9.55, 7.45}},
	}}
	idx := geo.NewPolygonIndex(area)
	fmt.Println(idx.Contains(orb.Point{-9.45, 7.55}), idx.Contains(orb.Point{-9.52, 7.47}))
	// Output: true false
}

func ExampleArea() {
	// 0.2° × 0.2° near 7.5°N.
	b := orb.Bound{Min: orb.Point{-9.6, 7.4}, Max: orb.Point{-9.4, 7.6}}
	fmt.Printf("%.1f km²\n", geo.Area(orb.MultiPolygon{b.ToPolygon()}).SquareKilometers())
	// Output: 490.3 km²
}
