package tiles

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/lastmile-health/lastmile/geo"
)

// TileSize is the width and height of a tile in pixels.
const TileSize = 256

// earthRadius is the Web Mercator sphere's radius (EPSG:3857), in metres.
const earthRadius = 6378137

// maxLat is the latitude where Web Mercator's square world ends.
const maxLat = 85.0511287798066

// View places a map on a canvas: the Web Mercator world at Zoom (256·2^Zoom
// pixels wide, fractional zooms allowed), shifted so that world pixel
// (X0, Y0) is the canvas's top-left corner, W × H canvas pixels.
// PixelRatio scales line widths, symbols and text (1 on screens and tiles;
// 300/96 for print at 300 dpi); it does not change the area shown.
type View struct {
	Zoom       float64
	X0, Y0     float64
	W, H       int
	PixelRatio float64
}

// worldPx returns p's Web Mercator world pixel at zoom z (x east, y south).
func worldPx(p orb.Point, z float64) (x, y float64) {
	size := TileSize * math.Exp2(z)
	lat := math.Max(-maxLat, math.Min(maxLat, p[1]))
	s := math.Sin(lat * math.Pi / 180)
	x = (p[0] + 180) / 360 * size
	y = (0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)) * size
	return x, y
}

// lonLat is worldPx's inverse.
func lonLat(x, y, z float64) orb.Point {
	size := TileSize * math.Exp2(z)
	lon := x/size*360 - 180
	n := math.Pi - 2*math.Pi*y/size
	lat := 180 / math.Pi * math.Atan(math.Sinh(n))
	return orb.Point{lon, lat}
}

// TileView is the View of one XYZ tile at PixelRatio 1.
func TileView(t maptile.Tile) View {
	return View{Zoom: float64(t.Z), X0: float64(t.X) * TileSize, Y0: float64(t.Y) * TileSize, W: TileSize, H: TileSize, PixelRatio: 1}
}

// FitView is the View of w × h pixels that shows b whole, centred, with a
// margin of pad pixels on every side, at the largest zoom that fits (capped
// at maxZoom; 0 means 18).
func FitView(b orb.Bound, w, h, pad int, maxZoom float64) View {
	if maxZoom <= 0 {
		maxZoom = 18
	}
	x0, y1 := worldPx(b.Min, 0)
	x1, y0 := worldPx(b.Max, 0)
	aw, ah := float64(w-2*pad), float64(h-2*pad)
	z := maxZoom
	if dx, dy := x1-x0, y1-y0; dx > 0 || dy > 0 {
		z = math.Min(maxZoom, math.Log2(math.Min(aw/math.Max(dx, 1e-12), ah/math.Max(dy, 1e-12))))
	}
	return CenterView(b.Center(), z, w, h)
}

// CenterView is the View of w × h pixels centred on c at zoom z.
func CenterView(c orb.Point, z float64, w, h int) View {
	cx, cy := worldPx(c, z)
	return View{Zoom: z, X0: cx - float64(w)/2, Y0: cy - float64(h)/2, W: w, H: h, PixelRatio: 1}
}

// ScaleView is the View of w × h pixels centred on c where one pixel is
// metersPerPixel on the ground at c's latitude: a map at a printed scale,
// e.g. 1:25,000 at 300 dpi is 25000 × 0.0254 / 300 m per pixel.
func ScaleView(c orb.Point, metersPerPixel geo.Meters, w, h int) View {
	circ := 2 * math.Pi * earthRadius * math.Cos(c[1]*math.Pi/180)
	z := math.Log2(circ / (TileSize * float64(metersPerPixel)))
	return CenterView(c, z, w, h)
}

// Project returns p's canvas pixel.
func (v View) Project(p orb.Point) (x, y float64) {
	x, y = worldPx(p, v.Zoom)
	return x - v.X0, y - v.Y0
}

// Unproject returns the lon/lat at canvas pixel (x, y).
func (v View) Unproject(x, y float64) orb.Point {
	return lonLat(x+v.X0, y+v.Y0, v.Zoom)
}

// Bound returns the lon/lat box the view shows.
func (v View) Bound() orb.Bound {
	nw := v.Unproject(0, 0)
	se := v.Unproject(float64(v.W), float64(v.H))
	return orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
}

// MetersPerPixel is the ground distance of one canvas pixel at the view's
// centre.
func (v View) MetersPerPixel() geo.Meters {
	c := v.Unproject(float64(v.W)/2, float64(v.H)/2)
	circ := 2 * math.Pi * earthRadius * math.Cos(c[1]*math.Pi/180)
	return geo.Meters(circ / (TileSize * math.Exp2(v.Zoom)))
}

// ratio is the PixelRatio, 1 when unset.
func (v View) ratio() float64 {
	if v.PixelRatio <= 0 {
		return 1
	}
	return v.PixelRatio
}

// px converts a style size (CSS pixels at zoom 14) into canvas pixels: sizes
// grow by √2 a zoom level above 14 and shrink below, within [¼, 3]×, so
// paths stay visible when zoomed out and do not swamp a close-up.
func (v View) px(size float64) float64 {
	f := math.Exp2((v.Zoom - 14) / 2)
	f = math.Max(0.25, math.Min(3, f))
	return size * f * v.ratio()
}
