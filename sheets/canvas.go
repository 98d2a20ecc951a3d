package sheets

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/lastmile-health/lastmile/tiles"
)

// mmPerPx is the size of a map canvas pixel on paper: a CSS pixel
// (1/96 inch), the unit tiles' style sizes are given in.
const mmPerPx = 25.4 / 96

// ascentShare and descentShare split a font's size into what stands above
// and below the baseline (DejaVu Sans: 0.93 and 0.24 em; the part of the
// ascent capitals use is about 0.76).
const (
	ascentShare  = 0.76
	descentShare = 0.24
)

// recording is a map drawn once by the tiles renderer and replayed onto
// every PDF that shows it (a CHW's sheet and its facility's): the
// renderer's calls, in order. It implements tiles.Canvas.
type recording struct {
	w, h int
	ops  []op
	// measure measures text in the PDF's font.
	measure func(s string, f tiles.Font) (w, ascent, descent float64)
}

var _ tiles.Canvas = (*recording)(nil)

type opKind uint8

const (
	opFill opKind = iota
	opStroke
	opImage
	opText
)

type op struct {
	kind       opKind
	polys      [][][]tiles.Pt
	lines      [][]tiles.Pt
	width      float64
	color      color.NRGBA
	dash       []float64
	jpeg       []byte
	gray       *image.Gray // the image jpeg encodes
	x, y, w, h float64
	text       string
	font       tiles.Font
}

func (r *recording) Size() (int, int) { return r.w, r.h }

func (r *recording) Fill(polys [][][]tiles.Pt, c color.NRGBA) {
	if c.A > 0 && len(polys) > 0 {
		r.ops = append(r.ops, op{kind: opFill, polys: polys, color: c})
	}
}

func (r *recording) Stroke(lines [][]tiles.Pt, width float64, c color.NRGBA, dash []float64) {
	if c.A > 0 && len(lines) > 0 && width > 0 {
		thin := make([][]tiles.Pt, 0, len(lines))
		for _, l := range lines {
			// Cut to the frame first: most of a path handed over lies
			// outside a day's map, and simplifying it was wasted.
			for _, run := range inFrame(l, float64(r.w), float64(r.h), width+2) {
				thin = append(thin, simplify(decimate(run), maxDeviation))
			}
		}
		if len(thin) > 0 {
			r.ops = append(r.ops, op{kind: opStroke, lines: thin, width: width, color: c, dash: dash})
		}
	}
}

// minStep is the shortest segment kept in a recorded line, in pixels:
// the paths' vertices every few metres are far denser than print shows,
// and each one is a number the PDF writes and compresses.
const minStep = 0.5

// decimate drops the points of l nearer than minStep to the last point
// kept, keeping both ends.
func decimate(l []tiles.Pt) []tiles.Pt {
	if len(l) < 3 {
		return l
	}
	out := make([]tiles.Pt, 0, len(l))
	out = append(out, l[0])
	for _, p := range l[1 : len(l)-1] {
		q := out[len(out)-1]
		if dx, dy := p.X-q.X, p.Y-q.Y; dx*dx+dy*dy >= minStep*minStep {
			out = append(out, p)
		}
	}
	return append(out, l[len(l)-1])
}

// maxDeviation is how far, in pixels, a recorded line may move from the
// renderer's: a twentieth of a millimetre on paper.
const maxDeviation = 0.2

// simplify drops the vertices of l that lie within tol of the chord
// between the vertices kept on either side (Douglas–Peucker), keeping both
// ends. The graph densifies every path to a vertex each 30 m, on straight
// segments too: on a day's map those collinear vertices are most of what
// a page writes and compresses, and print shows none of them.
func simplify(l []tiles.Pt, tol float64) []tiles.Pt {
	if len(l) < 3 {
		return l
	}
	keep := make([]bool, len(l))
	keep[0], keep[len(l)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(l) - 1}}
	dropped := false
	for len(stack) > 0 {
		sp := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		a, b := l[sp.a], l[sp.b]
		dx, dy := b.X-a.X, b.Y-a.Y
		n2 := dx*dx + dy*dy
		far, farD2 := -1, tol*tol
		for i := sp.a + 1; i < sp.b; i++ {
			px, py := l[i].X-a.X, l[i].Y-a.Y
			var d2 float64
			if t := (px*dx + py*dy) / n2; n2 == 0 || t <= 0 {
				d2 = px*px + py*py
			} else if t >= 1 {
				qx, qy := l[i].X-b.X, l[i].Y-b.Y
				d2 = qx*qx + qy*qy
			} else {
				c := px*dy - py*dx
				d2 = c * c / n2
			}
			if d2 > farD2 {
				far, farD2 = i, d2
			}
		}
		if far < 0 {
			dropped = dropped || sp.b-sp.a > 1
			continue
		}
		keep[far] = true
		stack = append(stack, span{far, sp.b}, span{sp.a, far})
	}
	if !dropped {
		return l
	}
	out := make([]tiles.Pt, 0, len(l))
	for i, p := range l {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// inFrame returns the runs of l that can show in the w × h frame: a
// segment whose ends both lie beyond the frame grown by margin on the
// same side is left out (the replay clips to the frame, so nothing
// visible changes but a dashed line's phase where a run restarts). The
// renderer hands over whole paths that reach into the map; on a day's map
// most of their length lies outside it, and every vertex is a number the
// PDF writes and compresses.
func inFrame(l []tiles.Pt, w, h, margin float64) [][]tiles.Pt {
	out := func(a, b tiles.Pt) bool {
		return a.X < -margin && b.X < -margin || a.X > w+margin && b.X > w+margin ||
			a.Y < -margin && b.Y < -margin || a.Y > h+margin && b.Y > h+margin
	}
	var runs [][]tiles.Pt
	start := -1 // first point of the current run
	for i := 0; i+1 < len(l); i++ {
		if out(l[i], l[i+1]) {
			if start >= 0 {
				runs = append(runs, l[start:i+1])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		runs = append(runs, l[start:])
	}
	if len(l) == 1 && !out(l[0], l[0]) {
		runs = append(runs, l)
	}
	return runs
}

// Image records img, encoded once for every replay. The renderer's one
// image is the hillshade: a translucent shading over the paper. A PDF
// image with an alpha channel costs fpdf a decompression and a
// recompression (two thirds of a sheet's time), so the shading is
// flattened onto mid-grey and drawn as an opaque grey JPEG in the
// HardLight blend mode, where grey 50 % leaves the map as it is, darker
// shades it and lighter brightens it, as the translucent overlay does.
func (r *recording) Image(img image.Image, x, y, w, h float64) {
	b := img.Bounds()
	g := image.NewGray(b)
	flat := func(r, gr, bl, a uint8) uint8 {
		lum := (299*float64(r) + 587*float64(gr) + 114*float64(bl)) / 1000
		return uint8(128 + float64(a)/255*(lum-128) + 0.5)
	}
	if n, ok := img.(*image.NRGBA); ok {
		for py := 0; py < b.Dy(); py++ {
			row := n.Pix[py*n.Stride : py*n.Stride+4*b.Dx()]
			out := g.Pix[py*g.Stride:]
			for px := 0; px < b.Dx(); px++ {
				out[px] = flat(row[4*px], row[4*px+1], row[4*px+2], row[4*px+3])
			}
		}
	} else {
		for py := b.Min.Y; py < b.Max.Y; py++ {
			for px := b.Min.X; px < b.Max.X; px++ {
				c := color.NRGBAModel.Convert(img.At(px, py)).(color.NRGBA)
				g.SetGray(px, py, color.Gray{Y: flat(c.R, c.G, c.B, c.A)})
			}
		}
	}
	jp := encodeJPEG(g)
	if jp == nil {
		return // an image the encoder refuses cannot be shown anyway
	}
	r.ops = append(r.ops, op{kind: opImage, jpeg: jp, gray: g, x: x, y: y, w: w, h: h})
}

// encodeJPEG encodes g as the PDF's JPEG (nil when the encoder refuses it).
func encodeJPEG(g *image.Gray) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: 85}); err != nil {
		return nil
	}
	return buf.Bytes()
}

// widen returns g with extra columns of mid-grey on its right: in the
// HardLight blend mode mid-grey leaves the map as it is, and the columns
// lie outside the map's clip anyway.
func widen(g *image.Gray, extra int) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()+extra, b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		row := out.Pix[y*out.Stride : (y+1)*out.Stride]
		copy(row, g.Pix[(y)*g.Stride:(y)*g.Stride+b.Dx()])
		for x := b.Dx(); x < len(row); x++ {
			row[x] = 128
		}
	}
	return out
}

func (r *recording) Text(x, y float64, s string, f tiles.Font) {
	r.ops = append(r.ops, op{kind: opText, x: x, y: y, text: s, font: f})
}

func (r *recording) Measure(s string, f tiles.Font) (float64, float64, float64) {
	return r.measure(s, f)
}

// measurer measures text in the sheets' font with a PDF of its own, so
// that recordings can be made concurrently.
func measurer(fontRegular, fontBold []byte) func(s string, f tiles.Font) (float64, float64, float64) {
	pdf := newPDF(fontRegular, fontBold)
	return func(s string, f tiles.Font) (float64, float64, float64) {
		style := ""
		if f.Bold {
			style = "B"
		}
		pdf.SetFont(fontFamily, style, f.Size*0.75)
		return pdf.GetStringWidth(s) / mmPerPx, f.Size * ascentShare, f.Size * descentShare
	}
}

// replay draws r onto pdf with its top-left corner at (x0, y0) mm,
// clipped to its rectangle. Images are registered in pdf under
// prefix+index. widths holds the pixel widths of the images pdf already
// has: fpdf writes a document's images in the order of their widths and,
// among equal widths, in its map's random order, so an image as wide as
// an earlier one (a facility's CHWs' overview maps) is widened by a few
// mid-grey columns outside the clip, and the same sheets give the same
// bytes.
func (r *recording) replay(pdf *fpdf.Fpdf, x0, y0 float64, prefix string, widths map[int]bool) {
	X := func(x float64) float64 { return x0 + x*mmPerPx }
	Y := func(y float64) float64 { return y0 + y*mmPerPx }
	pdf.ClipRect(x0, y0, float64(r.w)*mmPerPx, float64(r.h)*mmPerPx, false)
	_, pageH := pdf.GetPageSize()
	w := &pathWriter{k: pdf.GetConversionRatio(), h: pageH}
	pdf.SetLineCapStyle("round")
	pdf.SetLineJoinStyle("round")
	alpha := 1.0
	setAlpha := func(a uint8) {
		if v := float64(a) / 255; v != alpha {
			pdf.SetAlpha(v, "Normal")
			alpha = v
		}
	}
	for i, o := range r.ops {
		switch o.kind {
		case opFill:
			setAlpha(o.color.A)
			pdf.SetFillColor(int(o.color.R), int(o.color.G), int(o.color.B))
			for _, poly := range o.polys {
				n := 0
				for _, ring := range poly {
					if len(ring) < 3 {
						continue
					}
					w.moveTo(X(ring[0].X), Y(ring[0].Y))
					for _, p := range ring[1:] {
						w.lineTo(X(p.X), Y(p.Y))
					}
					w.op("h")
					n++
				}
				if n > 0 {
					// Exterior and holes in any orientation: even-odd.
					w.op("f*")
				}
			}
			w.flush(pdf)
		case opStroke:
			setAlpha(o.color.A)
			pdf.SetDrawColor(int(o.color.R), int(o.color.G), int(o.color.B))
			pdf.SetLineWidth(o.width * mmPerPx)
			dash := make([]float64, len(o.dash))
			for k, d := range o.dash {
				dash[k] = d * mmPerPx
			}
			pdf.SetDashPattern(dash, 0)
			for _, l := range o.lines {
				if len(l) < 2 {
					continue
				}
				w.moveTo(X(l[0].X), Y(l[0].Y))
				for _, p := range l[1:] {
					w.lineTo(X(p.X), Y(p.Y))
				}
			}
			w.op("S") // fpdf's DrawPath("D")
			w.flush(pdf)
			pdf.SetDashPattern(nil, 0)
		case opImage:
			name := fmt.Sprintf("%s%d", prefix, i)
			opts := fpdf.ImageOptions{ImageType: "JPG"}
			jp, iw := o.jpeg, o.w
			px := o.gray.Bounds().Dx()
			if widths[px] {
				extra := 1
				for widths[px+extra] {
					extra++
				}
				if wide := encodeJPEG(widen(o.gray, extra)); wide != nil {
					jp, iw = wide, o.w*float64(px+extra)/float64(px)
					px += extra
				}
			}
			widths[px] = true
			pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(jp))
			pdf.SetAlpha(1, "HardLight")
			pdf.ImageOptions(name, X(o.x), Y(o.y), iw*mmPerPx, o.h*mmPerPx, false, opts, 0, "")
			pdf.SetAlpha(1, "Normal")
			alpha = 1
		case opText:
			f := o.font
			style := ""
			if f.Bold {
				style = "B"
			}
			pdf.SetFont(fontFamily, style, f.Size*0.75)
			if f.HaloWidth > 0 && f.Halo.A > 0 {
				setAlpha(f.Halo.A)
				pdf.SetDrawColor(int(f.Halo.R), int(f.Halo.G), int(f.Halo.B))
				pdf.SetLineWidth(2 * f.HaloWidth * mmPerPx)
				pdf.SetTextRenderingMode(1) // stroke: the halo
				pdf.Text(X(o.x), Y(o.y), o.text)
				pdf.SetTextRenderingMode(0)
			}
			setAlpha(max(f.Color.A, 1))
			pdf.SetTextColor(int(f.Color.R), int(f.Color.G), int(f.Color.B))
			pdf.Text(X(o.x), Y(o.y), o.text)
		}
	}
	setAlpha(255)
	pdf.ClipEnd()
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
}

// pathWriter writes path operators into a page's content exactly as
// fpdf's MoveTo, LineTo, ClosePath and DrawPath do (two decimals in points,
// y up from the page's foot, one operator a line), without their cost:
// fpdf formats each number into a new string, and a national run's maps
// have tens of millions of vertices.
type pathWriter struct {
	// k is fpdf's points per user unit, h the page height in user units.
	k, h float64
	buf  []byte
}

func (w *pathWriter) moveTo(x, y float64) {
	w.buf = appendFixed2(w.buf, x*w.k)
	w.buf = append(w.buf, ' ')
	w.buf = appendFixed2(w.buf, (w.h-y)*w.k)
	w.buf = append(w.buf, " m\n"...)
}

func (w *pathWriter) lineTo(x, y float64) {
	w.buf = appendFixed2(w.buf, x*w.k)
	w.buf = append(w.buf, ' ')
	w.buf = appendFixed2(w.buf, (w.h-y)*w.k)
	w.buf = append(w.buf, " l\n"...)
}

// op writes an operator on a line of its own.
func (w *pathWriter) op(s string) {
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, '\n')
}

// flush hands what was written to pdf's current page.
func (w *pathWriter) flush(pdf *fpdf.Fpdf) {
	if len(w.buf) == 0 {
		return
	}
	// RawWriteStr ends the line itself.
	pdf.RawWriteStr(string(w.buf[:len(w.buf)-1]))
	w.buf = w.buf[:0]
}

// appendFixed2 appends v with two decimals, the bytes of
// strconv.AppendFloat(b, v, 'f', 2, 64), by integer arithmetic where the
// rounding is clear (v·100 at least a millionth from a half) and by
// strconv where it is not.
func appendFixed2(b []byte, v float64) []byte {
	a := math.Abs(v)
	s := a * 100
	if !(s < 1e15) {
		return strconv.AppendFloat(b, v, 'f', 2, 64)
	}
	if f := s - math.Floor(s); math.Abs(f-0.5) < 1e-6 {
		return strconv.AppendFloat(b, v, 'f', 2, 64)
	}
	n := int64(math.Floor(s + 0.5))
	if math.Signbit(v) {
		b = append(b, '-')
	}
	b = strconv.AppendInt(b, n/100, 10)
	c := n % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

// padBound keeps a tiny or empty bound drawable: at least 300 m across.
func padBound(minX, minY, maxX, maxY float64) (float64, float64, float64, float64) {
	const minDeg = 0.0015
	if dx := maxX - minX; dx < minDeg {
		minX, maxX = minX-(minDeg-dx)/2, maxX+(minDeg-dx)/2
	}
	if dy := maxY - minY; dy < minDeg {
		minY, maxY = minY-(minDeg-dy)/2, maxY+(minDeg-dy)/2
	}
	return minX, minY, maxX, maxY
}
