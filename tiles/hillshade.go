package tiles

import (
	"image"
	"math"
)

// metresPerDegreeLat is the length of one degree of latitude (mean, on the
// WGS 84 ellipsoid), for turning a slope step in metres into degrees.
const metresPerDegreeLat = 111_195.0

// hillshade returns the relief shading of v as a translucent image, or nil
// where the model has no data in v. Slopes are central differences over
// step = max(pixel, ElevationStep) metres; the light is the style's
// azimuth and altitude. The shading is computed on a grid of about half a
// step and interpolated between, so zooming past the model's resolution
// costs no more than the model has detail.
func (r *Renderer) hillshade(v View) *image.NRGBA {
	s, hs := r.scene, r.style.Hillshade
	mpp := float64(v.MetersPerPixel())
	step := math.Max(mpp, float64(s.ElevationStep))
	g := max(1, int(step/mpp/2))
	nx, ny := v.W/g+2, v.H/g+2
	shade := make([]float32, nx*ny)
	exag := hs.Exaggeration
	if exag <= 0 {
		exag = 1
	}
	az, alt := hs.Azimuth*math.Pi/180, hs.Altitude*math.Pi/180
	lx, ly, lz := math.Sin(az)*math.Cos(alt), math.Cos(az)*math.Cos(alt), math.Sin(alt)
	any := false
	size := TileSize * math.Exp2(v.Zoom)
	for j := range ny {
		lat := v.Unproject(0, float64(j*g)+0.5)[1]
		dlat := step / metresPerDegreeLat
		dlon := dlat / math.Max(math.Cos(lat*math.Pi/180), 1e-6)
		for i := range nx {
			lon := (float64(i*g)+0.5+v.X0)/size*360 - 180
			e := s.Elevation
			ee, ok1 := e.Elevation([2]float64{lon + dlon, lat})
			ew, ok2 := e.Elevation([2]float64{lon - dlon, lat})
			en, ok3 := e.Elevation([2]float64{lon, lat + dlat})
			es, ok4 := e.Elevation([2]float64{lon, lat - dlat})
			if !(ok1 && ok2 && ok3 && ok4) {
				shade[j*nx+i] = float32(math.NaN())
				continue
			}
			any = true
			dx := (ee - ew) / (2 * step) * exag
			dy := (en - es) / (2 * step) * exag
			n := math.Sqrt(dx*dx + dy*dy + 1)
			shade[j*nx+i] = float32((-dx*lx - dy*ly + lz) / n)
		}
	}
	if !any {
		return nil
	}
	img := image.NewNRGBA(image.Rect(0, 0, v.W, v.H))
	flat := lz
	dark, bright := hs.ShadowColor, hs.Bright
	for y := range v.H {
		fy := float64(y) / float64(g)
		j := int(fy)
		ty := float32(fy - float64(j))
		for x := range v.W {
			fx := float64(x) / float64(g)
			i := int(fx)
			tx := float32(fx - float64(i))
			a, b := shade[j*nx+i], shade[j*nx+i+1]
			c, d := shade[(j+1)*nx+i], shade[(j+1)*nx+i+1]
			val := (a*(1-tx)+b*tx)*(1-ty) + (c*(1-tx)+d*tx)*ty
			if val != val { // NaN: some corner has no data
				continue
			}
			delta := float64(val) - flat
			o := img.PixOffset(x, y)
			px := img.Pix[o : o+4 : o+4]
			if delta < 0 {
				al := math.Min(1, -delta/flat) * hs.Shadow
				px[0], px[1], px[2], px[3] = dark.R, dark.G, dark.B, uint8(al*255+0.5)
			} else {
				al := math.Min(1, delta/(1-flat)) * hs.Highlight
				px[0], px[1], px[2], px[3] = bright.R, bright.G, bright.B, uint8(al*255+0.5)
			}
		}
	}
	return img
}
