package sheets

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

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
	png        []byte
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
		r.ops = append(r.ops, op{kind: opStroke, lines: lines, width: width, color: c, dash: dash})
	}
}

// Image encodes img once, as PNG with its alpha, for every replay.
func (r *recording) Image(img image.Image, x, y, w, h float64) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		return // an image the PNG encoder refuses cannot be shown anyway
	}
	r.ops = append(r.ops, op{kind: opImage, png: b.Bytes(), x: x, y: y, w: w, h: h})
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
// prefix+index.
func (r *recording) replay(pdf *fpdf.Fpdf, x0, y0 float64, prefix string) {
	X := func(x float64) float64 { return x0 + x*mmPerPx }
	Y := func(y float64) float64 { return y0 + y*mmPerPx }
	pdf.ClipRect(x0, y0, float64(r.w)*mmPerPx, float64(r.h)*mmPerPx, false)
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
					pdf.MoveTo(X(ring[0].X), Y(ring[0].Y))
					for _, p := range ring[1:] {
						pdf.LineTo(X(p.X), Y(p.Y))
					}
					pdf.ClosePath()
					n++
				}
				if n > 0 {
					// Exterior and holes in any orientation: even-odd.
					pdf.DrawPath("f*")
				}
			}
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
				pdf.MoveTo(X(l[0].X), Y(l[0].Y))
				for _, p := range l[1:] {
					pdf.LineTo(X(p.X), Y(p.Y))
				}
			}
			pdf.DrawPath("D")
			pdf.SetDashPattern(nil, 0)
		case opImage:
			setAlpha(255)
			name := fmt.Sprintf("%s%d", prefix, i)
			opts := fpdf.ImageOptions{ImageType: "PNG"}
			pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(o.png))
			pdf.ImageOptions(name, X(o.x), Y(o.y), o.w*mmPerPx, o.h*mmPerPx, false, opts, 0, "")
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
