package tiles

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"github.com/go-fonts/dejavu/dejavusanscondensed"
	"github.com/go-fonts/dejavu/dejavusanscondensedbold"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Pt is a canvas position in pixels (x right, y down).
type Pt struct{ X, Y float64 }

// Font is how a text is drawn: size in canvas pixels, colour, and a halo of
// HaloWidth pixels in Halo that keeps it readable over the map.
type Font struct {
	Size      float64
	Bold      bool
	Color     color.NRGBA
	Halo      color.NRGBA
	HaloWidth float64
}

// Canvas is what the renderer draws on. ImageCanvas draws into an
// *image.RGBA; a PDF page (the route sheets) implements the same methods.
// Coordinates are canvas pixels; a Canvas need not be safe for concurrent
// use.
type Canvas interface {
	// Size is the canvas's width and height in pixels.
	Size() (w, h int)
	// Fill fills polygons, each a list of rings (the first the exterior,
	// the others holes, in any orientation).
	Fill(polys [][][]Pt, c color.NRGBA)
	// Stroke draws lines width pixels wide with round joins and caps,
	// dashed when dash (alternating on and off lengths in pixels) is not
	// empty. Overlapping lines of one call are drawn once, so a
	// translucent colour does not darken where they cross.
	Stroke(lines [][]Pt, width float64, c color.NRGBA, dash []float64)
	// Image draws img scaled to the rectangle at (x, y) of w × h pixels,
	// over what is there (img's alpha blends).
	Image(img image.Image, x, y, w, h float64)
	// Text draws s with its baseline starting at (x, y).
	Text(x, y float64, s string, f Font)
	// Measure returns the width, ascent and descent of s in f, in pixels.
	Measure(s string, f Font) (w, ascent, descent float64)
}

// ImageCanvas draws anti-aliased vector graphics and text (FontTTF) into
// an RGBA image. It is not safe for concurrent use; use one per
// goroutine.
type ImageCanvas struct {
	img   *image.RGBA
	r     *vector.Rasterizer
	faces map[faceKey]font.Face
	// win is the window of the path being built (see begin).
	win image.Rectangle
}

type faceKey struct {
	size float64
	bold bool
}

var _ Canvas = (*ImageCanvas)(nil)

// NewImageCanvas returns a canvas drawing into img (its bounds must start
// at 0, 0).
func NewImageCanvas(img *image.RGBA) *ImageCanvas {
	b := img.Bounds()
	return &ImageCanvas{img: img, r: vector.NewRasterizer(b.Dx(), b.Dy()), faces: map[faceKey]font.Face{}}
}

// RGBA returns the image the canvas draws into.
func (c *ImageCanvas) RGBA() *image.RGBA { return c.img }

// Size implements Canvas.
func (c *ImageCanvas) Size() (int, int) {
	b := c.img.Bounds()
	return b.Dx(), b.Dy()
}

// clipMargin is how far outside the canvas geometry is kept: more than the
// widest stroke or symbol, so clipping never shows.
const clipMargin = 64

// Fill implements Canvas.
func (c *ImageCanvas) Fill(polys [][][]Pt, col color.NRGBA) {
	if col.A == 0 || len(polys) == 0 {
		return
	}
	w, h := c.Size()
	type ring struct {
		pts     []Pt
		reverse bool
	}
	var rings []ring
	bb := emptyBox()
	for _, poly := range polys {
		for i, r := range poly {
			r = clipRing(r, -clipMargin, -clipMargin, float64(w+clipMargin), float64(h+clipMargin))
			if len(r) < 3 {
				continue
			}
			// The rasterizer sums signed coverage and takes its absolute
			// value: exteriors one way and holes the other make holes;
			// parts that overlap add up and clamp (a union).
			rings = append(rings, ring{r, (ringArea(r) < 0) != (i > 0)})
			for _, p := range r {
				bb.extend(p, 0)
			}
		}
	}
	if c.begin(bb) {
		for _, r := range rings {
			c.addRing(r.pts, r.reverse)
		}
		c.end(col)
	}
}

// box2 is a pixel bounding box being grown.
type box2 struct{ x0, y0, x1, y1 float64 }

func emptyBox() box2 { return box2{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *box2) extend(p Pt, r float64) {
	b.x0, b.y0 = math.Min(b.x0, p.X-r), math.Min(b.y0, p.Y-r)
	b.x1, b.y1 = math.Max(b.x1, p.X+r), math.Max(b.y1, p.Y+r)
}

// begin readies the rasterizer for a path within bb (clipped to the
// canvas): it rasterizes only that window, so a small symbol costs its own
// area, not the whole canvas's. It reports whether anything can show.
func (c *ImageCanvas) begin(bb box2) bool {
	w, h := c.Size()
	x0, y0 := max(0, int(math.Floor(bb.x0))-1), max(0, int(math.Floor(bb.y0))-1)
	x1, y1 := min(w, int(math.Ceil(bb.x1))+1), min(h, int(math.Ceil(bb.y1))+1)
	if x0 >= x1 || y0 >= y1 {
		return false
	}
	c.win = image.Rect(x0, y0, x1, y1)
	c.r.Reset(x1-x0, y1-y0)
	return true
}

// end draws the path in col over the window.
func (c *ImageCanvas) end(col color.NRGBA) {
	c.r.Draw(c.img, c.win, image.NewUniform(col), image.Point{})
}

func (c *ImageCanvas) moveTo(x, y float64) {
	c.r.MoveTo(float32(x-float64(c.win.Min.X)), float32(y-float64(c.win.Min.Y)))
}

func (c *ImageCanvas) lineTo(x, y float64) {
	c.r.LineTo(float32(x-float64(c.win.Min.X)), float32(y-float64(c.win.Min.Y)))
}

func (c *ImageCanvas) addRing(ring []Pt, reverse bool) {
	n := len(ring)
	at := func(i int) Pt {
		if reverse {
			return ring[n-1-i]
		}
		return ring[i]
	}
	p := at(0)
	c.moveTo(p.X, p.Y)
	for i := 1; i < n; i++ {
		p := at(i)
		c.lineTo(p.X, p.Y)
	}
	c.r.ClosePath()
}

// ringArea is the shoelace signed area.
func ringArea(r []Pt) float64 {
	a := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i].X*r[j].Y - r[j].X*r[i].Y
	}
	return a / 2
}

// Stroke implements Canvas. Lines are built from one quadrilateral per
// segment and a disc at every vertex, all of one orientation, so their
// union is the round-joined stroke.
func (c *ImageCanvas) Stroke(lines [][]Pt, width float64, col color.NRGBA, dash []float64) {
	if col.A == 0 || width <= 0 || len(lines) == 0 {
		return
	}
	w, h := c.Size()
	hw := width / 2
	lo, hiX, hiY := -clipMargin-hw, float64(w+clipMargin)+hw, float64(h+clipMargin)+hw
	var parts [][]Pt
	bb := emptyBox()
	for _, line := range lines {
		for _, part := range clipLine(line, lo, lo, hiX, hiY) {
			ps := [][]Pt{part}
			if len(dash) > 0 {
				ps = dashes(part, dash)
			}
			for _, q := range ps {
				for _, p := range q {
					bb.extend(p, hw+1)
				}
			}
			parts = append(parts, ps...)
		}
	}
	if len(parts) == 0 || !c.begin(bb) {
		return
	}
	for _, part := range parts {
		c.strokePart(part, hw)
	}
	c.end(col)
}

func (c *ImageCanvas) strokePart(line []Pt, hw float64) {
	for i := 0; i+1 < len(line); i++ {
		a, b := line[i], line[i+1]
		dx, dy := b.X-a.X, b.Y-a.Y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		nx, ny := -dy/l*hw, dx/l*hw
		c.moveTo(a.X+nx, a.Y+ny)
		c.lineTo(b.X+nx, b.Y+ny)
		c.lineTo(b.X-nx, b.Y-ny)
		c.lineTo(a.X-nx, a.Y-ny)
		c.r.ClosePath()
	}
	// Discs at the vertices make the round joins and caps; below a pixel
	// they would only thicken the line's anti-aliased edge.
	if hw >= 0.6 || len(line) == 1 {
		for _, p := range line {
			c.disc(p, hw)
		}
	}
}

// disc adds a circle of radius r around p, in the strokes' orientation.
func (c *ImageCanvas) disc(p Pt, r float64) {
	n := circleSteps(r)
	c.moveTo(p.X+r, p.Y)
	for k := 1; k < n; k++ {
		t := -2 * math.Pi * float64(k) / float64(n)
		c.lineTo(p.X+r*math.Cos(t), p.Y+r*math.Sin(t))
	}
	c.r.ClosePath()
}

// circleSteps is how many sides a circle of radius r pixels needs to look
// round (the chord's sagitta below a tenth of a pixel).
func circleSteps(r float64) int {
	if r <= 0.5 {
		return 6
	}
	n := int(math.Ceil(math.Pi / math.Acos(1-0.1/r)))
	return max(8, min(n, 96))
}

// Image implements Canvas.
func (c *ImageCanvas) Image(img image.Image, x, y, w, h float64) {
	r := image.Rect(int(math.Round(x)), int(math.Round(y)), int(math.Round(x+w)), int(math.Round(y+h)))
	if r.Dx() == img.Bounds().Dx() && r.Dy() == img.Bounds().Dy() {
		draw.Draw(c.img, r, img, img.Bounds().Min, draw.Over)
		return
	}
	xdraw.BiLinear.Scale(c.img, r, img, img.Bounds(), xdraw.Over, nil)
}

// FontTTF is the TrueType font maps are labelled in: DejaVu Sans
// Condensed (bold when bold), which carries Latin with its extensions and
// IPA letters such as ɔ and ɛ in Liberian names. A PDF canvas embeds the
// same font so that sheets and tiles match.
func FontTTF(bold bool) []byte {
	if bold {
		return dejavusanscondensedbold.TTF
	}
	return dejavusanscondensed.TTF
}

// parsedFonts are the label fonts (regular, bold), parsed once;
// *opentype.Font is safe for concurrent use, faces are not.
var parsedFonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var fs [2]*opentype.Font
	for i, ttf := range [][]byte{FontTTF(false), FontTTF(true)} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return fs, err
		}
		fs[i] = f
	}
	return fs, nil
})

func (c *ImageCanvas) face(f Font) font.Face {
	k := faceKey{size: math.Round(f.Size*4) / 4, bold: f.Bold}
	if fc, ok := c.faces[k]; ok {
		return fc
	}
	fs, err := parsedFonts()
	if err != nil {
		// The fonts are compiled in: a parse failure is a broken build.
		panic("tiles: parsing the label fonts: " + err.Error())
	}
	src := fs[0]
	if f.Bold {
		src = fs[1]
	}
	fc, err := opentype.NewFace(src, &opentype.FaceOptions{Size: max(k.size, 1), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("tiles: label font face: " + err.Error())
	}
	c.faces[k] = fc
	return fc
}

// Measure implements Canvas.
func (c *ImageCanvas) Measure(s string, f Font) (w, ascent, descent float64) {
	fc := c.face(f)
	m := fc.Metrics()
	var adv fixed.Int26_6
	for _, r := range s {
		a, _ := fc.GlyphAdvance(r)
		adv += a
	}
	return fix(adv), fix(m.Ascent), fix(m.Descent)
}

func fix(v fixed.Int26_6) float64 { return float64(v) / 64 }

// Text implements Canvas. The halo is the text drawn in the halo colour at
// offsets around the pen position. Glyphs are set by their advances
// without kerning: x/image's kerning of DejaVu's pairs such as "To" pulls
// the second glyph into the first.
func (c *ImageCanvas) Text(x, y float64, s string, f Font) {
	fc := c.face(f)
	if f.HaloWidth > 0 && f.Halo.A > 0 {
		src := image.NewUniform(f.Halo)
		r := f.HaloWidth
		n := 8
		if r > 1.5 {
			n = 12
		}
		for k := 0; k < n; k++ {
			t := 2 * math.Pi * float64(k) / float64(n)
			c.drawString(fc, src, x+r*math.Cos(t), y+r*math.Sin(t), s)
		}
	}
	c.drawString(fc, image.NewUniform(f.Color), x, y, s)
}

func (c *ImageCanvas) drawString(fc font.Face, src image.Image, x, y float64, s string) {
	dot := fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}
	for _, r := range s {
		dr, mask, mp, adv, ok := fc.Glyph(dot, r)
		if ok {
			draw.DrawMask(c.img, dr, src, image.Point{}, mask, mp, draw.Over)
		}
		dot.X += adv
	}
}

// image1x1 is the image behind a canvas used only to measure text.
func image1x1() *image.RGBA { return image.NewRGBA(image.Rect(0, 0, 1, 1)) }
