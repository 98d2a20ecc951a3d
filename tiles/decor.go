package tiles

import (
	"fmt"
	"image/color"
	"math"
)

// Map furniture for printed maps (route sheets, the coverage overview):
// scale bar, north arrow and legend, drawn on any Canvas in canvas pixels.

// ScaleBar draws a scale bar with its left end at (x, y) (the bar's
// baseline), at most maxWidth pixels long: the longest round length (1, 2
// or 5 × 10^n metres) that fits, in black and white segments, labelled in m
// or km. It returns the bar's width in pixels.
func ScaleBar(c Canvas, v View, x, y, maxWidth float64, f Font) float64 {
	mpp := float64(v.MetersPerPixel())
	if mpp <= 0 || maxWidth <= 0 {
		return 0
	}
	maxM := maxWidth * mpp
	step := math.Pow(10, math.Floor(math.Log10(maxM)))
	length := step
	for _, k := range []float64{5, 2, 1} {
		if k*step <= maxM {
			length = k * step
			break
		}
	}
	w := length / mpp
	h := math.Max(3, f.Size*0.4)
	black, white := color.NRGBA{A: 255}, color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	c.Fill([][][]Pt{{rect(x-1, y-h-1, x+w+1, y+1)}}, black)
	for i := range 4 {
		if i%2 == 1 {
			x0 := x + w*float64(i)/4
			c.Fill([][][]Pt{{rect(x0, y-h, x0+w/4, y)}}, white)
		}
	}
	label := fmt.Sprintf("%g m", length)
	if length >= 1000 {
		label = fmt.Sprintf("%g km", length/1000)
	}
	tw, _, d := c.Measure(label, f)
	c.Text(x+w-tw/2, y-h-d-2, label, f)
	c.Text(x-2, y-h-d-2, "0", f)
	return w
}

// NorthArrow draws an arrow pointing up (Web Mercator's north) of height
// size with its tip at (x, y), and an N beneath it.
func NorthArrow(c Canvas, x, y, size float64, f Font) {
	w := size * 0.35
	black, white := color.NRGBA{A: 255}, color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	left := [][]Pt{{{x, y}, {x - w, y + size}, {x, y + size*0.75}}}
	right := [][]Pt{{{x, y}, {x, y + size*0.75}, {x + w, y + size}}}
	c.Fill([][][]Pt{left}, white)
	c.Fill([][][]Pt{right}, black)
	c.Stroke([][]Pt{{{x, y}, {x - w, y + size}, {x, y + size*0.75}, {x + w, y + size}, {x, y}}}, math.Max(1, size/30), black, nil)
	tw, a, _ := c.Measure("N", f)
	c.Text(x-tw/2, y+size+a+2, "N", f)
}

// LegendEntry is one line of a legend: a symbol and its text.
type LegendEntry struct {
	Label string
	// One of Point, Line or Area is set.
	Point *PointStyle
	Line  *LineStyle
	Area  *AreaStyle
}

// Legend lists what the renderer's scene shows, in its style: the layers
// that hold features, with catchment, day and band colours collapsed into
// one entry each.
func (r *Renderer) Legend() []LegendEntry {
	st, s := r.style, r.scene
	var out []LegendEntry
	add := func(ok bool, e LegendEntry) {
		if ok {
			out = append(out, e)
		}
	}
	hh := st.Households
	hh.Fill = st.PaletteColor(0)
	add(len(s.Facilities) > 0, LegendEntry{Label: "health facility", Point: &st.Facilities})
	add(len(s.CHWs) > 0, LegendEntry{Label: "CHW home", Point: &st.CHWs})
	add(len(s.Households) > 0, LegendEntry{Label: "household (colour: its CHW)", Point: &hh})
	add(len(s.Stops) > 0, LegendEntry{Label: "visit stop (number: order)", Point: &st.Stops})
	add(len(s.Suggested) > 0, LegendEntry{Label: "suggested site", Point: &st.Suggested})
	route := st.Routes
	route.Color = st.DayColor(1)
	add(len(s.Routes) > 0, LegendEntry{Label: "route (colour: day)", Line: &route})
	seen := map[string]bool{}
	for _, p := range s.Paths {
		if seen[p.Class] {
			continue
		}
		seen[p.Class] = true
	}
	for _, class := range pathOrder {
		if class != "" && seen[class] {
			ls := st.PathStyle(class)
			out = append(out, LegendEntry{Label: class, Line: &ls})
		}
	}
	stream := st.Streams
	add(len(s.Streams) > 0, LegendEntry{Label: "stream, river", Line: &stream})
	add(len(s.WaterAreas) > 0, LegendEntry{Label: "water", Area: &st.Water})
	ca := st.Catchment
	ca.Fill = WithAlpha(st.PaletteColor(0), st.CatchmentFillAlpha)
	add(len(s.Catchments) > 0, LegendEntry{Label: "CHW catchment", Area: &ca})
	for i := 0; i < len(s.Isochrones); i++ {
		b := s.Isochrones[i]
		label := fmt.Sprintf("%g–%g min walk", b.Min, b.Max)
		dup := false
		for _, e := range out {
			dup = dup || e.Label == label
		}
		if !dup {
			a := AreaStyle{Fill: WithAlpha(st.BandColor(b.Index, b.Of), st.BandAlpha)}
			out = append(out, LegendEntry{Label: label, Area: &a})
		}
	}
	add(len(s.Gaps) > 0, LegendEntry{Label: "coverage gap", Area: &st.GapAreas})
	add(len(s.StudyArea) > 0, LegendEntry{Label: "district", Area: &st.StudyArea})
	return out
}

// DrawLegend draws entries in a column from (x, y) (top left) on a white
// box, one row of f.Size × 1.6 pixels each, and returns the box's width
// and height. Symbols are drawn at the style's zoom-14 size times ratio.
func DrawLegend(c Canvas, entries []LegendEntry, x, y float64, f Font, ratio float64) (w, h float64) {
	row := f.Size * 1.6
	sym := f.Size * 1.6
	pad := f.Size * 0.5
	for _, e := range entries {
		tw, _, _ := c.Measure(e.Label, f)
		w = math.Max(w, tw)
	}
	w += sym + 3*pad
	h = float64(len(entries))*row + 2*pad
	c.Fill([][][]Pt{{rect(x, y, x+w, y+h)}}, color.NRGBA{R: 255, G: 255, B: 255, A: 235})
	c.Stroke([][]Pt{closeRing(rect(x, y, x+w, y+h))}, math.Max(1, ratio*0.75), color.NRGBA{R: 120, G: 120, B: 120, A: 255}, nil)
	v := View{Zoom: 14, PixelRatio: ratio}
	for i, e := range entries {
		cy := y + pad + row*(float64(i)+0.5)
		cx := x + pad + sym/2
		switch {
		case e.Point != nil:
			(&Renderer{style: &Style{}}).symbols(c, v, []Pt{{cx, cy}}, *e.Point)
		case e.Line != nil:
			ls := *e.Line
			line := [][]Pt{{{cx - sym/2, cy}, {cx + sym/2, cy}}}
			if ls.CasingWidth > 0 {
				c.Stroke(line, v.px(ls.Width+2*ls.CasingWidth), ls.Casing, nil)
			}
			var dash []float64
			for _, d := range ls.Dash {
				dash = append(dash, v.px(d))
			}
			c.Stroke(line, v.px(ls.Width), ls.Color, dash)
		case e.Area != nil:
			box := rect(cx-sym/2, cy-sym*0.35, cx+sym/2, cy+sym*0.35)
			c.Fill([][][]Pt{{box}}, e.Area.Fill)
			if o := e.Area.Outline; o.Width > 0 {
				var dash []float64
				for _, d := range o.Dash {
					dash = append(dash, v.px(d)/2)
				}
				c.Stroke([][]Pt{closeRing(box)}, math.Max(1, v.px(o.Width)/2), o.Color, dash)
			}
		}
		_, a, d := c.Measure(e.Label, f)
		c.Text(x+2*pad+sym, cy+(a-d)/2, e.Label, f)
	}
	return w, h
}
