package tiles_test

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/lastmile-health/lastmile/tiles"
)

// A map of a bound at a printed scale, and an XYZ tile, from one renderer.
func ExampleRenderer() {
	s := &tiles.Scene{
		Facilities: []tiles.Facility{{ID: "FAC-1", Name: "Zorzor Clinic", Point: orb.Point{-9.43, 7.78}}},
		Paths:      []tiles.Path{{Class: "track", Line: orb.LineString{{-9.44, 7.77}, {-9.42, 7.79}}}},
	}
	r := tiles.NewRenderer(s, tiles.DefaultStyle(), tiles.AllLayers)

	// 1:25,000 at 300 dpi on a 16 × 12 cm frame.
	v := tiles.ScaleView(orb.Point{-9.43, 7.78}, 25000*0.0254/300, 1890, 1417)
	v.PixelRatio = 300.0 / 96
	img := r.Image(v)
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy(), fmt.Sprintf("%.2f m", float64(v.MetersPerPixel())))

	t := r.Tile(maptile.At(orb.Point{-9.43, 7.78}, 15))
	fmt.Println(t.Bounds().Dx(), t.Bounds().Dy())
	// Output:
	// 1890 1417 2.12 m
	// 256 256
}
