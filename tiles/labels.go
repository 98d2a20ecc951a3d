package tiles

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// box is a label's or symbol's extent in world pixels.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) meets(x0, y0, x1, y1 float64) bool {
	return b.x0 < x1 && x0 < b.x1 && b.y0 < y1 && y0 < b.y1
}

// placed is a label with its place: the baseline's start (x, y) in world
// pixels at the zoom it was placed for.
type placed struct {
	text string
	font Font
	x, y float64
	box  box
}

// candidate is a label looking for a place next to a point.
type candidate struct {
	text string
	font Font
	at   orb.Point
	// clear is the radius in pixels of the symbol it labels (0: the label
	// may sit on the point itself, centred).
	clear float64
}

// labelGrid finds placed boxes near a box (uniform grid of 128 px cells).
type labelGrid struct {
	cells map[[2]int][]box
}

const labelCell = 128

func (g *labelGrid) cellRange(b box) (i0, j0, i1, j1 int) {
	return int(math.Floor(b.x0 / labelCell)), int(math.Floor(b.y0 / labelCell)),
		int(math.Floor(b.x1 / labelCell)), int(math.Floor(b.y1 / labelCell))
}

func (g *labelGrid) free(b box) bool {
	i0, j0, i1, j1 := g.cellRange(b)
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			for _, o := range g.cells[[2]int{i, j}] {
				if o.meets(b.x0, b.y0, b.x1, b.y1) {
					return false
				}
			}
		}
	}
	return true
}

func (g *labelGrid) add(b box) {
	i0, j0, i1, j1 := g.cellRange(b)
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			k := [2]int{i, j}
			g.cells[k] = append(g.cells[k], b)
		}
	}
}

// tileLabels returns the labels placed for tiles of zoom z over the whole
// scene (computed once per zoom).
func (r *Renderer) tileLabels(z int) []placed {
	r.labelMu.Lock()
	defer r.labelMu.Unlock()
	if l, ok := r.labelsAtZ[z]; ok {
		return l
	}
	r.measure.Lock()
	if r.measurer == nil {
		r.measurer = NewImageCanvas(image1x1())
	}
	l := r.placeLabels(r.measurer, float64(z), 1, orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}, nil)
	r.measure.Unlock()
	r.labelsAtZ[z] = l
	return l
}

// placeLabels places the labels whose anchors lie in within, greedily in
// priority order (facilities, then villages by size, then CHWs), each in
// the first of its candidate positions that collides with no label and no
// facility or CHW symbol placed before. Positions are world pixels at
// zoom z.
func (r *Renderer) placeLabels(c Canvas, z, ratio float64, within orb.Bound, keepOff []box) []placed {
	st, s := r.style, r.scene
	v := View{Zoom: z, PixelRatio: ratio}
	var cands []candidate
	grid := &labelGrid{cells: map[[2]int][]box{}}
	for _, b := range keepOff {
		grid.add(b)
	}
	obstacle := func(p orb.Point, ps PointStyle) float64 {
		rad := symbolSize(v, ps)/2 + v.px(ps.StrokeWidth)
		x, y := worldPx(p, z)
		grid.add(box{x - rad, y - rad, x + rad, y + rad})
		return rad
	}
	in := func(p orb.Point) bool { return within.Contains(p) }
	if r.layers&LayerFacilities != 0 {
		f := st.FacilityLabel
		f.Size = v.px(f.Size)
		fs := slices.Clone(s.Facilities)
		slices.SortFunc(fs, func(a, b Facility) int { return cmp.Compare(a.ID, b.ID) })
		for _, fc := range fs {
			if !in(fc.Point) {
				continue
			}
			rad := obstacle(fc.Point, st.Facilities)
			name := fc.Name
			if name == "" {
				name = fc.ID
			}
			cands = append(cands, candidate{text: name, font: f, at: fc.Point, clear: rad})
		}
	}
	var chwCands []candidate
	if r.layers&LayerCHWs != 0 {
		f := st.CHWLabel
		f.Size = v.px(f.Size)
		cs := slices.Clone(s.CHWs)
		slices.SortFunc(cs, func(a, b CHW) int { return cmp.Compare(a.ID, b.ID) })
		for _, ch := range cs {
			if !in(ch.Point) {
				continue
			}
			rad := obstacle(ch.Point, st.CHWs)
			if z >= st.CHWLabelMinZoom {
				chwCands = append(chwCands, candidate{text: ch.ID, font: f, at: ch.Point, clear: rad})
			}
		}
	}
	if z >= st.VillageMinZoom {
		f := st.VillageLabel
		f.Size = v.px(f.Size)
		vs := slices.Clone(s.Villages)
		slices.SortFunc(vs, func(a, b Village) int {
			if a.Households != b.Households {
				return b.Households - a.Households
			}
			return cmp.Compare(a.Name, b.Name)
		})
		for _, vl := range vs {
			if vl.Name != "" && in(vl.Point) {
				cands = append(cands, candidate{text: vl.Name, font: f, at: vl.Point})
			}
		}
	}
	cands = append(cands, chwCands...)

	var out []placed
	for _, cd := range cands {
		w, a, d := c.Measure(cd.text, cd.font)
		hw := cd.font.HaloWidth
		x, y := worldPx(cd.at, z)
		gap := cd.clear + 2*ratio
		type pos struct{ x, y float64 } // baseline start
		var tries []pos
		if cd.clear == 0 {
			tries = []pos{{x - w/2, y + a/2}, {x - w/2, y - d - 4*ratio}, {x - w/2, y + a + 4*ratio}}
		} else {
			mid := y + (a-d)/2
			tries = []pos{{x + gap, mid}, {x - gap - w, mid}, {x - w/2, y - gap - d}, {x - w/2, y + gap + a},
				{x + gap*0.7, y - gap*0.7 - d}, {x + gap*0.7, y + gap*0.7 + a}}
		}
		for _, t := range tries {
			b := box{t.x - hw - ratio, t.y - a - hw, t.x + w + hw + ratio, t.y + d + hw}
			if grid.free(b) {
				grid.add(b)
				out = append(out, placed{text: cd.text, font: cd.font, x: t.x, y: t.y, box: b})
				break
			}
		}
	}
	return out
}

// drawLabels draws the labels that reach into v (positions are world
// pixels at v's zoom).
func (r *Renderer) drawLabels(c Canvas, v View, ls []placed) {
	for _, l := range ls {
		if l.box.meets(v.X0, v.Y0, v.X0+float64(v.W), v.Y0+float64(v.H)) {
			c.Text(l.x-v.X0, l.y-v.Y0, l.text, l.font)
		}
	}
}
