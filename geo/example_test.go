package geo_test

import (
	"fmt"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
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

func ExampleNewVoronoi() {
	// Three CHW homes in a 2 km × 1 km study area, in local metres.
	homes := []orb.Point{{500, 500}, {1500, 500}, {1500, 500}}
	area := orb.MultiPolygon{{{{0, 0}, {2000, 0}, {2000, 1000}, {0, 1000}, {0, 0}}}}
	v, err := geo.NewVoronoi(homes, area)
	if err != nil {
		panic(err)
	}
	for i, c := range v.Cells {
		fmt.Printf("home %d: owner %d, %.0f m²\n", i, v.Owner[i], planar.Area(c))
	}
	// Output:
	// home 0: owner 0, 1000000 m²
	// home 1: owner 1, 1000000 m²
	// home 2: owner 1, 0 m²
}

func ExampleDissolve() {
	// Four households in a row, the first two served by CHW 0, the others
	// by CHW 1: each catchment is the union of its households' cells.
	households := []orb.Point{{250, 500}, {750, 500}, {1250, 500}, {1750, 500}}
	area := orb.MultiPolygon{{{{0, 0}, {2000, 0}, {2000, 1000}, {0, 1000}, {0, 0}}}}
	v, _ := geo.NewVoronoi(households, area)
	catchments := geo.Dissolve(v.Cells, []int{0, 0, 1, 1}, 2)
	for chw, c := range catchments {
		fmt.Printf("CHW %d: %d polygon, %.0f m², bound %v\n", chw, len(c), planar.Area(c), c.Bound())
	}
	// Output:
	// CHW 0: 1 polygon, 1000000 m², bound {[0 0] [1000 1000]}
	// CHW 1: 1 polygon, 1000000 m², bound {[1000 0] [2000 1000]}
}

// Voronoi works in metres: project lon/lat sites and study area with
// geo.Local, and the cells back with its Inverse (orb/project applies a
// projection to a whole geometry, in place).
func ExampleNewVoronoi_lonLat() {
	homes := []orb.Point{{-9.55, 7.5}, {-9.45, 7.5}} // lon/lat
	area := orb.MultiPolygon{orb.Bound{Min: orb.Point{-9.6, 7.4}, Max: orb.Point{-9.4, 7.6}}.ToPolygon()}
	local := geo.NewLocal(area.Bound().Center())
	sites := project.MultiPoint(orb.MultiPoint(homes).Clone(), local.Forward)
	clip := project.MultiPolygon(area.Clone(), local.Forward)
	v, err := geo.NewVoronoi(sites, clip)
	if err != nil {
		panic(err)
	}
	for i, c := range v.Cells {
		cell := project.MultiPolygon(c, local.Inverse) // back to lon/lat
		fmt.Printf("home %d: %.1f km², west edge %.2f\n", i, geo.Area(cell).SquareKilometers(), cell.Bound().Min[0])
	}
	// Output:
	// home 0: 245.2 km², west edge -9.60
	// home 1: 245.2 km², west edge -9.50
}
