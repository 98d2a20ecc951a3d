package tiles

import (
	"fmt"
	"image/color"
	"math"
)

// Map furniture for printed maps (route sheets, the coverage overview),
// beside DrawLegend and DrawScaleBar: a north arrow, and the legend items
// of what a scene holds.

// DrawNorthArrow draws an arrow pointing up (Web Mercator's north) of
// height size canvas pixels with its tip at (x, y), and an N beneath it.
func (r *Renderer) DrawNorthArrow(c Canvas, x, y, size float64) {
	f := r.legendFont(size/40, true)
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

// Legend lists what the renderer's scene shows, in its style, for
// DrawLegend: the kinds of features it holds, with catchment, day and band
// colours collapsed into one item each.
func (r *Renderer) Legend() []LegendItem {
	st, s := r.style, r.scene
	var out []LegendItem
	add := func(ok bool, e LegendItem) {
		if ok {
			out = append(out, e)
		}
	}
	hh := st.Households
	hh.Fill = st.PaletteColor(0)
	add(len(s.Facilities) > 0, LegendItem{Label: "health facility", Point: &st.Facilities})
	add(len(s.CHWs) > 0, LegendItem{Label: "CHW home", Point: &st.CHWs})
	add(len(s.Households) > 0, LegendItem{Label: "household (colour: its CHW)", Point: &hh})
	add(len(s.Stops) > 0, LegendItem{Label: "visit stop (number: order)", Point: &st.Stops})
	add(len(s.Suggested) > 0, LegendItem{Label: "suggested site", Point: &st.Suggested})
	route := st.Routes
	route.Color = st.DayColor(1)
	add(len(s.Routes) > 0, LegendItem{Label: "route (colour: day)", Line: &route})
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
			out = append(out, LegendItem{Label: class, Line: &ls})
		}
	}
	stream := st.Streams
	add(len(s.Streams) > 0, LegendItem{Label: "stream, river", Line: &stream})
	add(len(s.WaterAreas) > 0, LegendItem{Label: "water", Area: &st.Water})
	ca := st.Catchment
	ca.Fill = WithAlpha(st.PaletteColor(0), st.CatchmentFillAlpha)
	add(len(s.Catchments) > 0, LegendItem{Label: "CHW catchment", Area: &ca})
	for i := 0; i < len(s.Isochrones); i++ {
		b := s.Isochrones[i]
		label := fmt.Sprintf("%g–%g min walk", b.Min, b.Max)
		dup := false
		for _, e := range out {
			dup = dup || e.Label == label
		}
		if !dup {
			a := AreaStyle{Fill: WithAlpha(st.BandColor(b.Index, b.Of), st.BandAlpha)}
			out = append(out, LegendItem{Label: label, Area: &a})
		}
	}
	add(len(s.Gaps) > 0, LegendItem{Label: "coverage gap", Area: &st.GapAreas})
	add(len(s.StudyArea) > 0, LegendItem{Label: "district", Area: &st.StudyArea})
	return out
}
