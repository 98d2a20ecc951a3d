package tiles

import (
	"image"
	"math"
)

// hillshade returns the relief shading of v as a translucent image, or nil
// where the model has no data in v. Slopes are central differences over
// about step = max(pixel, ElevationStep) metres; the light is the style's
// azimuth and altitude. The shading is computed on a grid of about half a
// step and interpolated between, so zooming past the model's resolution
// costs no more than the model has detail.
func (r *Renderer) hillshade(v View) *image.NRGBA {
	s, hs := r.scene, r.style.Hillshade
	mpp := float64(v.MetersPerPixel())
	step := math.Max(mpp, float64(s.ElevationStep))
	// Elevations are sampled once per node of a grid g pixels apart (one
	// node beyond each edge); slopes are central differences between a
	// node's neighbours, 2g pixels ≈ step metres apart.
	g := max(1, int(math.Round(step/mpp/2)))
	nx, ny := v.W/g+2, v.H/g+2
	elev := make([]float64, (nx+2)*(ny+2))
	size := TileSize * math.Exp2(v.Zoom)
	lats := make([]float64, ny+2)
	for j := range ny + 2 {
		lats[j] = v.Unproject(0, float64((j-1)*g)+0.5)[1]
		for i := range nx + 2 {
			lon := (float64((i-1)*g)+0.5+v.X0)/size*360 - 180
			e, ok := s.Elevation.Elevation([2]float64{lon, lats[j]})
			if !ok {
				e = math.NaN()
			}
			elev[j*(nx+2)+i] = e
		}
	}
	shade := make([]float32, nx*ny)
	exag := hs.Exaggeration
	if exag <= 0 {
		exag = 1
	}
	az, alt := hs.Azimuth*math.Pi/180, hs.Altitude*math.Pi/180
	lx, ly, lz := math.Sin(az)*math.Cos(alt), math.Cos(az)*math.Cos(alt), math.Sin(alt)
	any := false
	w := nx + 2
	for j := range ny {
		// Ground distance between the neighbours: Web Mercator pixels
		// shrink with the cosine of the latitude.
		d := 2 * float64(g) * mpp * math.Cos(lats[j+1]*math.Pi/180) / math.Cos(lats[ny/2+1]*math.Pi/180)
		for i := range nx {
			c := (j+1)*w + i + 1
			ee, ew, en, es := elev[c+1], elev[c-1], elev[c-w], elev[c+w]
			if math.IsNaN(ee + ew + en + es) {
				shade[j*nx+i] = float32(math.NaN())
				continue
			}
			any = true
			dx := (ee - ew) / d * exag
			dy := (en - es) / d * exag
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
