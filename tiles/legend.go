package tiles

import (
	"fmt"
	"math"
)

// LegendItem is one row of a legend: a swatch in the style of a map
// feature and its label. Set one of Area, Line or Point.
type LegendItem struct {
	Label string
	Area  *AreaStyle
	Line  *LineStyle
	Point *PointStyle
}

// legendFont is the legend's text: the village label's font, smaller.
func (r *Renderer) legendFont(ratio float64, bold bool) Font {
	f := r.style.VillageLabel
	f.Size, f.Bold, f.HaloWidth = 11*ratio, bold, 0
	return f
}

// DrawLegend draws a legend with its top-left corner at (x, y) canvas
// pixels: a white box, the title, then one row per item (swatch, label).
// Sizes are style pixels times ratio (the view's PixelRatio). It returns
// the box's width and height.
func (r *Renderer) DrawLegend(c Canvas, x, y, ratio float64, title string, items []LegendItem) (w, h float64) {
	if ratio <= 0 {
		ratio = 1
	}
	sv := View{Zoom: 14, PixelRatio: ratio} // style pixels at ratio
	pad, row, sw := 8*ratio, 18*ratio, 22*ratio
	tf, lf := r.legendFont(ratio, true), r.legendFont(ratio, false)
	w, _, _ = c.Measure(title, tf)
	for _, it := range items {
		lw, _, _ := c.Measure(it.Label, lf)
		w = math.Max(w, sw+6*ratio+lw)
	}
	w += 2 * pad
	h = 2*pad + row*float64(len(items)+1)
	box := [][][]Pt{{rect(x, y, x+w, y+h)}}
	c.Fill(box, Hex("#ffffffe6"))
	c.Stroke([][]Pt{closeRing(box[0][0])}, ratio, Hex("#555555"), nil)
	_, asc, _ := c.Measure(title, tf)
	c.Text(x+pad, y+pad+asc, title, tf)
	for i, it := range items {
		cy := y + pad + row*float64(i+1) + row/2
		sx := x + pad
		switch {
		case it.Area != nil:
			sq := [][][]Pt{{rect(sx, cy-6*ratio, sx+sw, cy+6*ratio)}}
			r.fillArea(c, sv, sq, *it.Area)
		case it.Line != nil:
			r.strokeStyle(c, sv, [][]Pt{{{sx, cy}, {sx + sw, cy}}}, *it.Line)
		case it.Point != nil:
			ps := *it.Point
			ps.MinZoom = 0
			r.symbols(c, sv, []Pt{{sx + sw/2, cy}}, ps)
		}
		_, a, d := c.Measure(it.Label, lf)
		c.Text(sx+sw+6*ratio, cy+(a-d)/2, it.Label, lf)
	}
	return w, h
}

// DrawScaleBar draws a scale bar for v with its bottom-left corner at
// (x, y) canvas pixels: a round ground length (1, 2 or 5 × 10^k metres)
// of at most a fifth of the view's width, in four black and white parts,
// labelled in m or km. Web Mercator's scale changes with latitude: the bar
// is true at the view's centre.
func (r *Renderer) DrawScaleBar(c Canvas, v View, x, y float64) {
	ratio := v.ratio()
	mpp := float64(v.MetersPerPixel())
	if !(mpp > 0) {
		return
	}
	limit := float64(v.W) / 5 * mpp
	length := math.Pow(10, math.Floor(math.Log10(limit)))
	for _, m := range []float64{5, 2} {
		if length*m <= limit {
			length *= m
			break
		}
	}
	px := length / mpp
	hgt := 6 * ratio
	for k := range 4 {
		col := Hex("#111111")
		if k%2 == 1 {
			col = Hex("#ffffff")
		}
		x0 := x + px*float64(k)/4
		c.Fill([][][]Pt{{rect(x0, y-hgt, x0+px/4, y)}}, col)
	}
	c.Stroke([][]Pt{closeRing(rect(x, y-hgt, x+px, y))}, ratio, Hex("#111111"), nil)
	label := fmt.Sprintf("%g m", length)
	if length >= 1000 {
		label = fmt.Sprintf("%g km", length/1000)
	}
	f := r.legendFont(ratio, false)
	f.Halo, f.HaloWidth = Hex("#ffffffdd"), 1.5*ratio
	c.Text(x, y-hgt-4*ratio, "0", f)
	lw, _, _ := c.Measure(label, f)
	c.Text(x+px-lw/2, y-hgt-4*ratio, label, f)
}
