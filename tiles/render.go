package tiles

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/tidwall/rtree"
)

// Layers selects what the renderer draws.
type Layers uint32

// The layers, in drawing order.
const (
	LayerHillshade Layers = 1 << iota
	LayerIsochrones
	LayerWater
	LayerCatchments // fills and borders
	LayerPaths
	LayerGaps
	LayerStudyArea
	LayerRoutes
	LayerHouseholds // households and stops
	LayerCHWs
	LayerFacilities
	LayerSuggested
	LayerLabels

	// AllLayers draws everything the scene holds.
	AllLayers Layers = 1<<iota - 1
	// BaseLayers is the topographic base map without the health layers
	// (for a viewer that overlays them itself).
	BaseLayers = LayerHillshade | LayerWater | LayerPaths | LayerStudyArea | LayerLabels
)

// kind numbers the scene's feature lists in the spatial index.
type kind uint8

const (
	kStudy kind = iota
	kBand
	kWater
	kCatchment
	kStream
	kPath
	kGap
	kRoute
	kHousehold
	kStop
	kCHW
	kFacility
	kSuggested
	nKinds
)

type ref struct {
	k kind
	i int32
}

// Renderer draws one Scene in one Style. It is safe for concurrent use:
// render tiles from several goroutines, each with its own Canvas.
type Renderer struct {
	scene  *Scene
	style  *Style
	layers Layers

	// A scene of at most indexFrom features (a route sheet's map: what
	// is near it) is searched box by box; a larger one through the tree.
	boxes    []refBox
	tree     rtree.RTreeG[ref]
	hashOnce sync.Once
	hash     [nKinds][]uint64
	color    map[string]int // CHW → palette index

	measure   sync.Mutex
	measurer  *ImageCanvas
	labelMu   sync.Mutex
	labelsAtZ map[int][]placed
}

// NewRenderer indexes the scene for drawing with style (nil: DefaultStyle)
// the given layers (0: AllLayers). It takes O(n log n) for n features.
func NewRenderer(s *Scene, style *Style, layers Layers) *Renderer {
	if style == nil {
		style = DefaultStyle()
	}
	if layers == 0 {
		layers = AllLayers
	}
	r := &Renderer{scene: s, style: style, layers: layers, labelsAtZ: map[int][]placed{}}
	r.color = chwColors(s, len(style.Palette))
	add := func(k kind, i int, b orb.Bound) {
		r.boxes = append(r.boxes, refBox{b, ref{k, int32(i)}})
	}
	for i, p := range s.StudyArea {
		add(kStudy, i, p.Bound())
	}
	for i, b := range s.Isochrones {
		add(kBand, i, b.Area.Bound())
	}
	for i, w := range s.WaterAreas {
		add(kWater, i, w.Bound())
	}
	for i, c := range s.Catchments {
		add(kCatchment, i, c.Area.Bound())
	}
	for i, st := range s.Streams {
		add(kStream, i, lineBound(st.Line, st.world, st.bound))
	}
	for i, p := range s.Paths {
		add(kPath, i, lineBound(p.Line, p.world, p.bound))
	}
	for i, g := range s.Gaps {
		add(kGap, i, g.Area.Bound())
	}
	for i, rt := range s.Routes {
		add(kRoute, i, rt.Line.Bound())
	}
	for i, h := range s.Households {
		add(kHousehold, i, h.Point.Bound())
	}
	for i, st := range s.Stops {
		add(kStop, i, st.Point.Bound())
	}
	for i, c := range s.CHWs {
		add(kCHW, i, c.Point.Bound())
	}
	for i, f := range s.Facilities {
		add(kFacility, i, f.Point.Bound())
	}
	for i, p := range s.Suggested {
		add(kSuggested, i, p.Bound())
	}
	if len(r.boxes) > indexFrom {
		for _, b := range r.boxes {
			r.tree.Insert([2]float64(b.b.Min), [2]float64(b.b.Max), b.ref)
		}
		r.boxes = nil
	}
	return r
}

// indexFrom is the size of scene above which a renderer builds its R-tree:
// below, scanning the boxes costs less than building it (a national
// district's route sheets make 132,000 small renderers).
const indexFrom = 2048

// refBox is a feature and its box.
type refBox struct {
	b orb.Bound
	ref
}

// hashes computes the features' content hashes for TileHash, once:
// renderers that draw without hashing (the route sheets' maps, one
// renderer a map) never pay for them.
func (r *Renderer) hashes() {
	r.hashOnce.Do(func() {
		s := r.scene
		add := func(k kind, h uint64) {
			r.hash[k] = append(r.hash[k], h)
		}
		for _, p := range s.StudyArea {
			add(kStudy, hashGeom(0, p))
		}
		for _, b := range s.Isochrones {
			add(kBand, hashGeom(hashNums(b.Min, b.Max, float64(b.Index), float64(b.Of)), b.Area))
		}
		for _, w := range s.WaterAreas {
			add(kWater, hashGeom(0, w))
		}
		for _, c := range s.Catchments {
			add(kCatchment, hashGeom(hashStr(c.CHW, strconv.Itoa(r.colorOf(c.CHW))), c.Area))
		}
		for _, st := range s.Streams {
			add(kStream, hashGeom(uint64(st.Order), st.Line))
		}
		for _, p := range s.Paths {
			add(kPath, hashGeom(hashStr(p.Class, p.Crossing), p.Line))
		}
		for _, g := range s.Gaps {
			add(kGap, hashGeom(uint64(g.Households), g.Area))
		}
		for _, rt := range s.Routes {
			add(kRoute, hashGeom(hashStr(rt.CHW, strconv.Itoa(rt.Day)), rt.Line))
		}
		for _, h := range s.Households {
			add(kHousehold, hashGeom(hashStr(h.ID, strconv.Itoa(r.colorOf(h.CHW))), h.Point))
		}
		for _, st := range s.Stops {
			add(kStop, hashGeom(hashStr(st.CHW, strconv.Itoa(st.Day), strconv.Itoa(st.Seq), st.Label), st.Point))
		}
		for _, c := range s.CHWs {
			add(kCHW, hashGeom(hashStr(c.ID), c.Point))
		}
		for _, f := range s.Facilities {
			add(kFacility, hashGeom(hashStr(f.ID, f.Name), f.Point))
		}
		for _, p := range s.Suggested {
			add(kSuggested, hashGeom(0, p))
		}
	})
}

// Style returns the renderer's style.
func (r *Renderer) Style() *Style { return r.style }

// CHWColor is the colour of a CHW's catchment and households: palette
// colours are given so that CHWs living near each other differ.
func (r *Renderer) CHWColor(id string) color.NRGBA {
	return r.style.PaletteColor(r.colorOf(id))
}

func (r *Renderer) colorOf(id string) int {
	if id == "" {
		return -1
	}
	if c, ok := r.color[id]; ok {
		return c
	}
	return -1
}

// chwColors gives every CHW a palette index different from its nearest
// neighbours' (greedy colouring in ID order over the 6 nearest homes).
// CHWs known only from households or catchments get one too.
func chwColors(s *Scene, n int) map[string]int {
	type home struct {
		id string
		p  orb.Point
	}
	seen := map[string]bool{}
	var homes []home
	for _, c := range s.CHWs {
		if !seen[c.ID] {
			seen[c.ID] = true
			homes = append(homes, home{c.ID, c.Point})
		}
	}
	for _, c := range s.Catchments {
		if !seen[c.CHW] {
			seen[c.CHW] = true
			homes = append(homes, home{c.CHW, c.Area.Bound().Center()})
		}
	}
	var extra []string
	for _, h := range s.Households {
		if h.CHW != "" && !seen[h.CHW] {
			seen[h.CHW] = true
			extra = append(extra, h.CHW)
		}
	}
	slices.SortFunc(homes, func(a, b home) int { return cmp.Compare(a.id, b.id) })
	out := make(map[string]int, len(homes)+len(extra))
	if n <= 0 {
		return out
	}
	const k = 6
	for i, h := range homes {
		// The k nearest already-coloured homes (brute force: CHWs are
		// thousands at most).
		type nb struct {
			d float64
			c int
		}
		var near []nb
		for j := range i {
			dx := (homes[j].p[0] - h.p[0]) * math.Cos(h.p[1]*math.Pi/180)
			dy := homes[j].p[1] - h.p[1]
			near = append(near, nb{dx*dx + dy*dy, out[homes[j].id]})
		}
		slices.SortFunc(near, func(a, b nb) int { return cmp.Compare(a.d, b.d) })
		used := make([]bool, n)
		for _, x := range near[:min(k, len(near))] {
			used[x.c] = true
		}
		c := i % n
		for t := range n {
			if !used[(i+t)%n] {
				c = (i + t) % n
				break
			}
		}
		out[h.id] = c
	}
	slices.Sort(extra)
	for i, id := range extra {
		out[id] = (len(homes) + i) % n
	}
	return out
}

// query returns the features whose boxes meet b, per kind, in index order.
func (r *Renderer) query(b orb.Bound) [nKinds][]int32 {
	var out [nKinds][]int32
	if r.boxes != nil {
		for _, x := range r.boxes {
			if x.b.Intersects(b) {
				out[x.k] = append(out[x.k], x.i)
			}
		}
	} else {
		r.tree.Search([2]float64(b.Min), [2]float64(b.Max), func(_, _ [2]float64, x ref) bool {
			out[x.k] = append(out[x.k], x.i)
			return true
		})
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

// padBound is the view's lon/lat box grown by pad canvas pixels.
func (v View) padBound(pad float64) orb.Bound {
	nw := v.Unproject(-pad, -pad)
	se := v.Unproject(float64(v.W)+pad, float64(v.H)+pad)
	return orb.Bound{Min: orb.Point{nw[0], se[1]}, Max: orb.Point{se[0], nw[1]}}
}

// symbolPad is how far (canvas pixels) a feature outside the view may
// still draw into it: the widest line or symbol.
func (r *Renderer) symbolPad(v View) float64 { return v.px(24) }

// Draw draws the map of v on c: background, then the layers in order, then
// the labels, placed so that they do not collide within v.
func (r *Renderer) Draw(c Canvas, v View) {
	sel := r.query(v.padBound(r.symbolPad(v)))
	stops := r.placeStops(v, sel)
	r.drawFeatures(c, v, sel, stops)
	if r.layers&LayerLabels != 0 {
		lb := r.placeLabels(c, v.Zoom, v.ratio(), v.padBound(0), stops.boxes(v))
		r.drawLabels(c, v, lb)
	}
}

// DrawTile draws XYZ tile t on c (256 × 256 pixels). Labels are placed
// once per zoom level over the whole scene, so a label that crosses a
// tile edge is drawn whole by every tile it touches.
func (r *Renderer) DrawTile(c Canvas, t maptile.Tile) {
	v := TileView(t)
	sel := r.query(v.padBound(r.symbolPad(v)))
	r.drawFeatures(c, v, sel, nil)
	if r.layers&LayerLabels != 0 {
		r.drawLabels(c, v, r.tileLabels(int(t.Z)))
	}
}

// Tile renders tile t into a new image.
func (r *Renderer) Tile(t maptile.Tile) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, TileSize, TileSize))
	r.DrawTile(NewImageCanvas(img), t)
	return img
}

// Image renders v into a new image.
func (r *Renderer) Image(v View) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, v.W, v.H))
	r.Draw(NewImageCanvas(img), v)
	return img
}

// TileHash is a digest of everything tile t shows: the style version, the
// layers, the elevation model, and every feature and label that reaches
// into the tile. Two renders with the same hash give the same pixels, so a
// stored tile with an equal hash need not be drawn again.
func (r *Renderer) TileHash(t maptile.Tile) uint64 {
	r.hashes()
	v := TileView(t)
	sel := r.query(v.padBound(r.symbolPad(v)))
	h := fnv.New64a()
	h.Write([]byte(r.style.Version))
	var buf [8]byte
	put := func(x uint64) {
		binary.LittleEndian.PutUint64(buf[:], x)
		h.Write(buf[:])
	}
	put(uint64(r.layers))
	if r.scene.Elevation != nil && r.layers&LayerHillshade != 0 {
		h.Write([]byte(r.scene.ElevationID))
		put(math.Float64bits(float64(r.scene.ElevationStep)))
	}
	for k := range sel {
		put(uint64(k)<<32 | uint64(len(sel[k])))
		for _, i := range sel[k] {
			put(r.hash[k][i])
		}
	}
	if r.layers&LayerLabels != 0 {
		for _, l := range r.tileLabels(int(t.Z)) {
			if l.box.meets(v.X0, v.Y0, v.X0+TileSize, v.Y0+TileSize) {
				h.Write([]byte(l.text))
				put(math.Float64bits(l.x))
				put(math.Float64bits(l.y))
			}
		}
	}
	return h.Sum64()
}

// drawFeatures draws every layer but the labels: the features sel of v;
// stops, when not nil, are where the stops' symbols go (placeStops).
func (r *Renderer) drawFeatures(c Canvas, v View, sel [nKinds][]int32, stops *stopPlaces) {
	st, s := r.style, r.scene
	w, h := c.Size()
	if ic, ok := c.(*ImageCanvas); ok {
		draw.Draw(ic.img, ic.img.Bounds(), image.NewUniform(st.Background), image.Point{}, draw.Src)
	} else {
		c.Fill([][][]Pt{{rect(-1, -1, float64(w+1), float64(h+1))}}, st.Background)
	}
	if r.layers&LayerStudyArea != 0 && len(s.StudyArea) > 0 && st.Outside.A > 0 {
		// The land outside the study area, tinted: the canvas with the
		// area's outlines as holes.
		poly := [][]Pt{rect(-clipMargin, -clipMargin, float64(w+clipMargin), float64(h+clipMargin))}
		for _, i := range sel[kStudy] {
			poly = append(poly, projRing(v, s.StudyArea[i][0]))
		}
		c.Fill([][][]Pt{poly}, st.Outside)
	}
	if r.layers&LayerHillshade != 0 && s.Elevation != nil {
		if img := r.hillshade(v); img != nil {
			c.Image(img, 0, 0, float64(v.W), float64(v.H))
		}
	}
	if r.layers&LayerIsochrones != 0 {
		for _, i := range sel[kBand] {
			b := s.Isochrones[i]
			c.Fill(projMulti(v, b.Area), WithAlpha(st.BandColor(b.Index, b.Of), st.BandAlpha))
		}
	}
	if r.layers&LayerWater != 0 {
		var polys [][][]Pt
		for _, i := range sel[kWater] {
			polys = append(polys, projMulti(v, s.WaterAreas[i])...)
		}
		r.fillArea(c, v, polys, st.Water)
	}
	if r.layers&LayerCatchments != 0 && st.CatchmentFillAlpha > 0 {
		for _, i := range sel[kCatchment] {
			ct := s.Catchments[i]
			c.Fill(projMulti(v, ct.Area), WithAlpha(r.CHWColor(ct.CHW), st.CatchmentFillAlpha))
		}
	}
	if r.layers&LayerWater != 0 {
		byOrder := map[int][][]Pt{}
		for _, i := range sel[kStream] {
			o := max(1, s.Streams[i].Order)
			byOrder[o] = append(byOrder[o], projWorld(v, s.Streams[i].Line, s.Streams[i].world))
		}
		for _, o := range sortedKeys(byOrder) {
			ls := st.Streams
			ls.Width += st.StreamWidthPerOrder * float64(o-1)
			r.strokeStyle(c, v, byOrder[o], ls)
		}
	}
	if r.layers&LayerPaths != 0 {
		r.drawPaths(c, v, sel[kPath])
	}
	if r.layers&LayerGaps != 0 {
		var polys [][][]Pt
		for _, i := range sel[kGap] {
			polys = append(polys, projMulti(v, s.Gaps[i].Area)...)
		}
		r.fillArea(c, v, polys, st.GapAreas)
	}
	if r.layers&LayerCatchments != 0 {
		var lines [][]Pt
		for _, i := range sel[kCatchment] {
			for _, p := range projMulti(v, s.Catchments[i].Area) {
				for _, ring := range p {
					lines = append(lines, closeRing(ring))
				}
			}
		}
		r.strokeStyle(c, v, lines, st.Catchment.Outline)
	}
	if r.layers&LayerStudyArea != 0 {
		var lines [][]Pt
		for _, i := range sel[kStudy] {
			for _, ring := range projPolygon(v, s.StudyArea[i]) {
				lines = append(lines, closeRing(ring))
			}
		}
		r.strokeStyle(c, v, lines, st.StudyArea.Outline)
	}
	if r.layers&LayerRoutes != 0 {
		byDay := map[int][][]Pt{}
		for _, i := range sel[kRoute] {
			rt := s.Routes[i]
			byDay[rt.Day] = append(byDay[rt.Day], projLine(v, rt.Line))
		}
		for _, d := range sortedKeys(byDay) {
			ls := st.Routes
			ls.Color = st.DayColor(d)
			r.strokeStyle(c, v, byDay[d], ls)
		}
	}
	if r.layers&LayerHouseholds != 0 {
		byColor := map[int][]Pt{}
		for _, i := range sel[kHousehold] {
			hh := s.Households[i]
			x, y := v.Project(hh.Point)
			k := r.colorOf(hh.CHW)
			byColor[k] = append(byColor[k], Pt{x, y})
		}
		for _, k := range sortedKeys(byColor) {
			ps := st.Households
			ps.Fill = st.PaletteColor(k)
			r.symbols(c, v, byColor[k], ps)
		}
		var pts []Pt
		if stops != nil {
			pts = stops.placed
			r.stopLeaders(c, v, sel[kStop], stops)
		} else {
			pts = make([]Pt, 0, len(sel[kStop]))
			for _, i := range sel[kStop] {
				x, y := v.Project(s.Stops[i].Point)
				pts = append(pts, Pt{x, y})
			}
		}
		labels := len(pts) > 0 && v.Zoom >= st.StopLabelMinZoom
		byDay := map[int][]Pt{}
		for k, i := range sel[kStop] {
			d := s.Stops[i].Day
			byDay[d] = append(byDay[d], pts[k])
		}
		for _, d := range sortedKeys(byDay) {
			ps := st.Stops
			ps.Stroke = st.DayColor(d)
			r.symbols(c, v, byDay[d], ps)
		}
		if labels {
			f := st.StopLabel
			f.Size = v.px(f.Size)
			for k, i := range sel[kStop] {
				sp := s.Stops[i]
				tw, a, _ := c.Measure(sp.Label, f)
				c.Text(pts[k].X-tw/2, pts[k].Y+a/2-f.Size*0.08, sp.Label, f)
			}
		}
	}
	if r.layers&LayerCHWs != 0 {
		r.symbols(c, v, r.points(v, sel[kCHW], func(i int32) orb.Point { return s.CHWs[i].Point }), st.CHWs)
	}
	if r.layers&LayerFacilities != 0 {
		r.symbols(c, v, r.points(v, sel[kFacility], func(i int32) orb.Point { return s.Facilities[i].Point }), st.Facilities)
	}
	if r.layers&LayerSuggested != 0 {
		r.symbols(c, v, r.points(v, sel[kSuggested], func(i int32) orb.Point { return s.Suggested[i] }), st.Suggested)
	}
}

// stopPlaces are where a view's stop symbols go (canvas pixels, in the
// order of the selection) and their diameter; moved marks those off
// their households.
type stopPlaces struct {
	at, placed []Pt
	moved      []bool
	size       float64
}

// placeStops moves the symbols of the selected stops off each other and
// off the CHWs' and facilities' symbols (placeCallouts) when the style
// asks for callouts and the stops are numbered; nil otherwise.
func (r *Renderer) placeStops(v View, sel [nKinds][]int32) *stopPlaces {
	st, s := r.style, r.scene
	if !st.StopCallouts || r.layers&LayerHouseholds == 0 || len(sel[kStop]) == 0 || v.Zoom < st.StopLabelMinZoom {
		return nil
	}
	ps := st.Stops
	size := symbolSize(v, ps) + 2*v.px(ps.StrokeWidth)
	at := make([]Pt, len(sel[kStop]))
	for k, i := range sel[kStop] {
		at[k].X, at[k].Y = v.Project(s.Stops[i].Point)
	}
	var fixed []Pt
	if r.layers&LayerCHWs != 0 {
		fixed = append(fixed, r.points(v, sel[kCHW], func(i int32) orb.Point { return s.CHWs[i].Point })...)
	}
	if r.layers&LayerFacilities != 0 {
		fixed = append(fixed, r.points(v, sel[kFacility], func(i int32) orb.Point { return s.Facilities[i].Point })...)
	}
	placed, moved := placeCallouts(at, fixed, size+v.px(1), 3*size)
	return &stopPlaces{at: at, placed: placed, moved: moved, size: size}
}

// boxes are the placed symbols' boxes in world pixels, for the labels to
// keep off (nil for nil).
func (sp *stopPlaces) boxes(v View) []box {
	if sp == nil {
		return nil
	}
	out := make([]box, len(sp.placed))
	h := sp.size / 2
	for k, p := range sp.placed {
		x, y := p.X+v.X0, p.Y+v.Y0
		out[k] = box{x - h, y - h, x + h, y + h}
	}
	return out
}

// stopLeaders draws the leader of each moved stop symbol: a thin line in
// its day's colour from a dot on the household.
func (r *Renderer) stopLeaders(c Canvas, v View, idx []int32, sp *stopPlaces) {
	st := r.style
	lines, dots := map[int][][]Pt{}, map[int][]Pt{}
	for k, i := range idx {
		if !sp.moved[k] {
			continue
		}
		d := r.scene.Stops[i].Day
		lines[d] = append(lines[d], []Pt{sp.at[k], sp.placed[k]})
		dots[d] = append(dots[d], sp.at[k])
	}
	for _, d := range sortedKeys(lines) {
		c.Stroke(lines[d], v.px(1), st.DayColor(d), nil)
		r.symbols(c, v, dots[d], PointStyle{Shape: Circle, Size: 3, Fill: st.DayColor(d)})
	}
}

func (r *Renderer) points(v View, idx []int32, at func(int32) orb.Point) []Pt {
	out := make([]Pt, 0, len(idx))
	for _, i := range idx {
		x, y := v.Project(at(i))
		out = append(out, Pt{x, y})
	}
	return out
}

// pathOrder draws minor paths first so roads lie on top.
var pathOrder = []string{"steps", "footway", "path", "track", "", "residential", "unclassified", "tertiary", "secondary", "primary"}

func pathRank(class string) int {
	if i := slices.Index(pathOrder, class); i >= 0 {
		return i
	}
	return slices.Index(pathOrder, "")
}

func (r *Renderer) drawPaths(c Canvas, v View, idx []int32) {
	st, s := r.style, r.scene
	type group struct {
		rank  int
		class string
		lines [][]Pt
	}
	groups := map[string]*group{}
	var bridges, fords [][]Pt
	for _, i := range idx {
		p := s.Paths[i]
		ls := st.PathStyle(p.Class)
		if v.Zoom < ls.MinZoom {
			continue
		}
		line := projWorld(v, p.Line, p.world)
		g := groups[p.Class]
		if g == nil {
			g = &group{rank: pathRank(p.Class), class: p.Class}
			groups[p.Class] = g
		}
		g.lines = append(g.lines, line)
		switch p.Crossing {
		case "bridge":
			bridges = append(bridges, line)
		case "ford":
			fords = append(fords, line)
		}
	}
	order := make([]*group, 0, len(groups))
	for _, g := range groups {
		order = append(order, g)
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].rank != order[j].rank {
			return order[i].rank < order[j].rank
		}
		return order[i].class < order[j].class
	})
	if len(bridges) > 0 {
		r.strokeStyle(c, v, bridges, st.Bridge)
	}
	// Casings of all classes first, then the lines, so junctions join.
	for _, g := range order {
		ls := st.PathStyle(g.class)
		if ls.CasingWidth > 0 {
			c.Stroke(g.lines, v.px(ls.Width+2*ls.CasingWidth), ls.Casing, nil)
		}
	}
	for _, g := range order {
		ls := st.PathStyle(g.class)
		ls.CasingWidth = 0
		r.strokeStyle(c, v, g.lines, ls)
	}
	if len(fords) > 0 && v.Zoom >= st.Ford.MinZoom {
		var pts []Pt
		for _, l := range fords {
			pts = append(pts, midpoint(l))
		}
		r.symbols(c, v, pts, st.Ford)
	}
}

// midpoint is the point halfway along a polyline.
func midpoint(l []Pt) Pt {
	total := 0.0
	for i := 0; i+1 < len(l); i++ {
		total += math.Hypot(l[i+1].X-l[i].X, l[i+1].Y-l[i].Y)
	}
	half := total / 2
	for i := 0; i+1 < len(l); i++ {
		d := math.Hypot(l[i+1].X-l[i].X, l[i+1].Y-l[i].Y)
		if d >= half && d > 0 {
			t := half / d
			return Pt{l[i].X + t*(l[i+1].X-l[i].X), l[i].Y + t*(l[i+1].Y-l[i].Y)}
		}
		half -= d
	}
	return l[0]
}

// strokeStyle strokes lines in ls (casing, then line), scaled to v.
func (r *Renderer) strokeStyle(c Canvas, v View, lines [][]Pt, ls LineStyle) {
	if len(lines) == 0 || v.Zoom < ls.MinZoom {
		return
	}
	if ls.CasingWidth > 0 && ls.Casing.A > 0 {
		c.Stroke(lines, v.px(ls.Width+2*ls.CasingWidth), ls.Casing, nil)
	}
	var dash []float64
	for _, d := range ls.Dash {
		dash = append(dash, v.px(d))
	}
	c.Stroke(lines, v.px(ls.Width), ls.Color, dash)
}

func (r *Renderer) fillArea(c Canvas, v View, polys [][][]Pt, as AreaStyle) {
	if len(polys) == 0 {
		return
	}
	c.Fill(polys, as.Fill)
	var lines [][]Pt
	for _, p := range polys {
		for _, ring := range p {
			lines = append(lines, closeRing(ring))
		}
	}
	r.strokeStyle(c, v, lines, as.Outline)
}

// symbols draws point symbols: the outline (the shape grown by
// StrokeWidth) in one pass, then the shapes.
// symbolSize is the diameter of ps's symbols in v, stroke left out.
// Symbols never shrink below a few pixels: a household must stay visible
// when zoomed out.
func symbolSize(v View, ps PointStyle) float64 {
	return math.Max(v.px(ps.Size), math.Min(ps.Size, 3)*v.ratio())
}

func (r *Renderer) symbols(c Canvas, v View, pts []Pt, ps PointStyle) {
	if len(pts) == 0 || v.Zoom < ps.MinZoom {
		return
	}
	size := symbolSize(v, ps)
	sw := v.px(ps.StrokeWidth)
	if ps.StrokeWidth > 0 && ps.Stroke.A > 0 {
		var out [][][]Pt
		for _, p := range pts {
			out = append(out, shape(ps.Shape, p, size/2+sw))
		}
		c.Fill(out, ps.Stroke)
	}
	var in [][][]Pt
	for _, p := range pts {
		in = append(in, shape(ps.Shape, p, size/2))
	}
	if ps.Shape == Cross {
		// A health cross: a white square, the red plus inside.
		c.Fill(in, ps.Stroke)
		var plus [][][]Pt
		for _, p := range pts {
			plus = append(plus, plusShape(p, size/2*0.8))
		}
		c.Fill(plus, ps.Fill)
		return
	}
	c.Fill(in, ps.Fill)
}

// shape returns the symbol's outline around p with "radius" r.
func shape(s Shape, p Pt, r float64) [][]Pt {
	switch s {
	case Square, Cross:
		return [][]Pt{rect(p.X-r, p.Y-r, p.X+r, p.Y+r)}
	case Triangle:
		// Equilateral, centred on p's centroid, as tall as a circle of r.
		h := r * 1.15
		return [][]Pt{{{p.X, p.Y - h}, {p.X + h*0.866, p.Y + h*0.5}, {p.X - h*0.866, p.Y + h*0.5}}}
	case Diamond:
		return [][]Pt{{{p.X, p.Y - r*1.2}, {p.X + r, p.Y}, {p.X, p.Y + r*1.2}, {p.X - r, p.Y}}}
	}
	n := circleSteps(r)
	ring := make([]Pt, n)
	for k := range n {
		t := 2 * math.Pi * float64(k) / float64(n)
		ring[k] = Pt{p.X + r*math.Cos(t), p.Y + r*math.Sin(t)}
	}
	return [][]Pt{ring}
}

// plusShape is a plus sign of arm length r and arm width r*0.5.
func plusShape(p Pt, r float64) [][]Pt {
	a := r * 0.3
	x, y := p.X, p.Y
	return [][]Pt{{
		{x - a, y - r}, {x + a, y - r}, {x + a, y - a}, {x + r, y - a}, {x + r, y + a}, {x + a, y + a},
		{x + a, y + r}, {x - a, y + r}, {x - a, y + a}, {x - r, y + a}, {x - r, y - a}, {x - a, y - a},
	}}
}

func rect(x0, y0, x1, y1 float64) []Pt {
	return []Pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

func closeRing(r []Pt) []Pt {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		return append(r[:len(r):len(r)], r[0])
	}
	return r
}

// projLine projects a line, dropping vertices closer than a quarter pixel
// to the last one kept (a whole district's paths at a low zoom).
func projLine(v View, l orb.LineString) []Pt {
	out := make([]Pt, 0, len(l))
	for i, p := range l {
		x, y := v.Project(p)
		out = appendThinned(out, x, y, i == len(l)-1)
	}
	return out
}

// appendThinned appends (x, y) to a projected line unless it lies within a
// quarter pixel of the last point kept; the last point is always kept.
func appendThinned(out []Pt, x, y float64, last bool) []Pt {
	if n := len(out); n > 0 && !last {
		if q := out[n-1]; math.Abs(q.X-x)+math.Abs(q.Y-y) < 0.25 {
			return out
		}
	}
	return append(out, Pt{x, y})
}

// lineBound is l's bound: b when Scene.Prepare set it (with w).
func lineBound(l orb.LineString, w []Pt, b orb.Bound) orb.Bound {
	if len(w) == len(l) && len(l) > 0 {
		return b
	}
	return l.Bound()
}

// projWorld is projLine for a line whose zoom-0 world pixels w were
// computed beforehand (Scene.Prepare); nil w projects l.
func projWorld(v View, l orb.LineString, w []Pt) []Pt {
	if len(w) != len(l) {
		return projLine(v, l)
	}
	k := math.Exp2(v.Zoom)
	out := make([]Pt, 0, len(w))
	for i, p := range w {
		out = appendThinned(out, p.X*k-v.X0, p.Y*k-v.Y0, i == len(w)-1)
	}
	return out
}

func projRing(v View, r orb.Ring) []Pt { return projLine(v, orb.LineString(r)) }

func projPolygon(v View, p orb.Polygon) [][]Pt {
	out := make([][]Pt, 0, len(p))
	for _, r := range p {
		out = append(out, projRing(v, r))
	}
	return out
}

func projMulti(v View, m orb.MultiPolygon) [][][]Pt {
	out := make([][][]Pt, 0, len(m))
	for _, p := range m {
		out = append(out, projPolygon(v, p))
	}
	return out
}

func sortedKeys[V any](m map[int]V) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// hashGeom hashes a geometry's coordinates after seed.
func hashGeom(seed uint64, g orb.Geometry) uint64 {
	h := fnv.New64a()
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], seed)
	h.Write(buf[:])
	put := func(p orb.Point) {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(p[0]))
		h.Write(buf[:])
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(p[1]))
		h.Write(buf[:])
	}
	var walk func(g orb.Geometry)
	walk = func(g orb.Geometry) {
		switch g := g.(type) {
		case orb.Point:
			put(g)
		case orb.LineString:
			for _, p := range g {
				put(p)
			}
		case orb.Ring:
			for _, p := range g {
				put(p)
			}
			h.Write([]byte{0})
		case orb.Polygon:
			for _, r := range g {
				walk(r)
			}
			h.Write([]byte{1})
		case orb.MultiPolygon:
			for _, p := range g {
				walk(p)
			}
		}
	}
	walk(g)
	return h.Sum64()
}

func hashStr(ss ...string) uint64 {
	h := fnv.New64a()
	for _, s := range ss {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

func hashNums(xs ...float64) uint64 {
	h := fnv.New64a()
	var buf [8]byte
	for _, x := range xs {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
		h.Write(buf[:])
	}
	return h.Sum64()
}
