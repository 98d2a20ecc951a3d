package geo

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Voronoi is the Voronoi diagram of a set of sites clipped to an area, in
// planar coordinates (Local metres: the diagram is Euclidean, so lon/lat
// degrees would stretch it east-west).
//
// The cells partition the clip area: they do not overlap, their union is
// the area, and every point of a cell is at least as near its site as any
// other site. Neighbouring cells share their boundary vertices exactly
// (each crossing of the area's outline with a cell edge is computed once),
// so Dissolve can merge them without slivers.
//
// Exact degeneracies are handled for area and membership; OGC validity has
// one known gap: where an outline vertex lies exactly on a cell edge (sites
// and outline on one grid, say), a cell may touch itself at that point
// without a vertex there, which GEOS calls a self-intersection (0.5 % of
// cells in TestVoronoiDegenerate's grids; none among 100,000 cells of
// random sites in a real district, see bench/results/voronoi.md).
type Voronoi struct {
	// Cells[i] is site i's cell clipped to the area: outer rings
	// counter-clockwise, holes clockwise, rings closed. It is empty when
	// the cell misses the area, and for a duplicate site (see Owner).
	Cells []orb.MultiPolygon
	// Owner[i] is the lowest index of the sites at exactly site i's
	// coordinates: i for a site with no duplicate, or for the first of a
	// group of duplicates, which holds the group's one cell.
	Owner []int
	// Duplicates is the number of sites whose Owner is not themselves.
	Duplicates int
}

// ErrBadSite is wrapped by NewVoronoi's error for a site that is not a
// finite point.
var ErrBadSite = errors.New("geo: bad Voronoi site")

// NewVoronoi returns the Voronoi cells of sites clipped to clip, both in
// planar metres (geo.Local). clip must be a valid MultiPolygon (parts that
// do not overlap, holes inside their outer ring, no self-intersection);
// ring orientation and closure do not matter. Sites may lie outside clip
// (their cells are clipped like the others) and may repeat (Owner maps
// duplicates to one cell). Any number of sites from one works, collinear
// ones included.
//
// Method: a Delaunay triangulation with exact predicates (delaunator's
// sweep-hull) of the distinct sites plus four sentinel sites far outside
// (so every real cell is a bounded convex polygon and degenerate inputs
// need no special case); each clip ring is walked through the cells, cut
// where it crosses a cell edge (the bisector of two sites), and every cell
// joins the pieces of outline inside it with the stretches of its own
// boundary between them. Cost: O(n log n) for n sites plus O(m + k) for m
// clip vertices and k crossings; memory O(n + m + k) (10,000 sites in a
// district: about 20 ms; 1,000,000: about 2.5 s and 600 MB, see
// bench/results/voronoi.md). The output depends only on the input values
// and order (deterministic). For lon/lat input, project sites and clip
// with a Local centred on the area and the cells back with its Inverse
// (see the example).
func NewVoronoi(sites []orb.Point, clip orb.MultiPolygon) (*Voronoi, error) {
	v := &Voronoi{Cells: make([]orb.MultiPolygon, len(sites)), Owner: make([]int, len(sites))}
	if len(sites) == 0 {
		return v, nil
	}
	for i, p := range sites {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return nil, fmt.Errorf("%w: site %d is %v", ErrBadSite, i, p)
		}
	}
	// Distinct sites, in order of first appearance.
	order := make([]int, len(sites))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmpPoint(sites[a], sites[b]); c != 0 {
			return c
		}
		return a - b
	})
	for k, i := range order {
		if k > 0 && sites[order[k-1]] == sites[i] {
			v.Owner[i] = v.Owner[order[k-1]]
			v.Duplicates++
		} else {
			v.Owner[i] = i
		}
	}
	var uniq []int // triangulation vertex → site
	for i := range sites {
		if v.Owner[i] == i {
			uniq = append(uniq, i)
		}
	}
	rings := cleanRings(clip)
	if len(rings) == 0 {
		return v, nil
	}

	// Sentinels: far enough that no point of the box of sites and clip is
	// nearer a sentinel than a real site.
	b := orb.MultiPoint(sites).Bound()
	for _, r := range rings {
		for _, p := range r.pts {
			b = b.Extend(p)
		}
	}
	c := b.Center()
	span := math.Max(math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]), 1)
	// Number the sites along a Hilbert curve: neighbours in the plane get
	// near numbers, so the triangulation and the cells are assembled with
	// fewer cache misses (a fifth less CPU at a million sites).
	key := make([]uint64, len(sites))
	for _, i := range uniq {
		key[i] = hilbert(sites[i], b.Min, span)
	}
	slices.SortFunc(uniq, func(x, y int) int {
		if key[x] != key[y] {
			if key[x] < key[y] {
				return -1
			}
			return 1
		}
		return x - y
	})
	pts := make([]orb.Point, 0, len(uniq)+4)
	for _, i := range uniq {
		pts = append(pts, sites[i])
	}
	real := int32(len(pts))
	far := 8 * span
	pts = append(pts, orb.Point{c[0] - far, c[1] - far}, orb.Point{c[0] + far, c[1] - far},
		orb.Point{c[0] + far, c[1] + far}, orb.Point{c[0] - far, c[1] + far})

	d := newDiagram(triangulate(pts), real)
	var w walker
	w.d = d
	w.index = NewPolygonIndex(clipPolygons(rings))
	start := int32(0)
	for _, r := range rings {
		start = d.nearest(r.pts[0], start)
		w.ring(r, start)
	}
	for k := int32(0); k < real; k++ {
		v.Cells[uniq[k]] = w.cell(k)
	}
	return v, nil
}

// hilbert is the position of p on a Hilbert curve of 2^16 × 2^16 cells
// over the square of side span at min.
func hilbert(p, min orb.Point, span float64) uint64 {
	const n = 1 << 16
	x := uint32(math.Min(math.Max((p[0]-min[0])/span*n, 0), n-1))
	y := uint32(math.Min(math.Max((p[1]-min[1])/span*n, 0), n-1))
	return HilbertKey(x, y)
}

func cmpPoint(a, b orb.Point) int {
	switch {
	case a[0] < b[0]:
		return -1
	case a[0] > b[0]:
		return 1
	case a[1] < b[1]:
		return -1
	case a[1] > b[1]:
		return 1
	}
	return 0
}

// clipRing is a clip ring, open (no closing vertex), with no repeated
// vertex, oriented so that the area is on its left: outer rings
// counter-clockwise, holes clockwise.
type clipRing struct {
	pts  []orb.Point
	hole bool
}

func cleanRings(mp orb.MultiPolygon) []clipRing {
	var out []clipRing
	for _, poly := range mp {
		for ri, r := range poly {
			var pts []orb.Point
			for _, p := range r {
				if len(pts) == 0 || pts[len(pts)-1] != p {
					pts = append(pts, p)
				}
			}
			for len(pts) > 1 && pts[len(pts)-1] == pts[0] {
				pts = pts[:len(pts)-1]
			}
			a := ringArea(pts)
			if len(pts) < 3 || a == 0 || math.IsNaN(a) {
				continue
			}
			hole := ri > 0
			if (a < 0) != hole {
				slices.Reverse(pts)
			}
			out = append(out, clipRing{pts: pts, hole: hole})
		}
	}
	return out
}

// clipPolygons rebuilds a MultiPolygon from clean rings for the point index
// (each ring its own polygon: parity per polygon would otherwise treat a
// hole as a separate part, so holes join the polygon before them).
func clipPolygons(rings []clipRing) orb.MultiPolygon {
	var mp orb.MultiPolygon
	for _, r := range rings {
		ring := append(orb.Ring(slices.Clone(r.pts)), r.pts[0])
		if r.hole && len(mp) > 0 {
			mp[len(mp)-1] = append(mp[len(mp)-1], ring)
		} else {
			mp = append(mp, orb.Polygon{ring})
		}
	}
	return mp
}

// ringArea is the signed area of an open ring (positive counter-clockwise).
func ringArea(pts []orb.Point) float64 {
	var a float64
	for i := range pts {
		p, q := pts[i], pts[(i+1)%len(pts)]
		a += p[0]*q[1] - q[0]*p[1]
	}
	return a / 2
}

// diagram holds the bounded cells of the real sites: for site k, the
// vertices verts[off[k]:off[k+1]] counter-clockwise, and nbr[j] the site
// across the edge from verts[j] to the next vertex.
type diagram struct {
	pts   []orb.Point
	real  int32
	off   []int32
	verts []orb.Point
	nbr   []int32
}

func newDiagram(t *triangulation, real int32) *diagram {
	d := &diagram{pts: t.pts, real: real, off: make([]int32, real+1)}
	cc := make([]orb.Point, len(t.tri)/3)
	for k := range cc {
		cc[k] = circumcenter(t.pts[t.tri[3*k]], t.pts[t.tri[3*k+1]], t.pts[t.tri[3*k+2]])
	}
	in := make([]int32, len(t.pts)) // a half-edge ending at each vertex
	for e := range t.tri {
		in[t.tri[next(int32(e))]] = int32(e)
	}
	var cw []int32
	for k := int32(0); k < real; k++ {
		// Around k clockwise: from incoming e (triangle e/3), out of k
		// along next(e) to b, across to the next triangle.
		cw = cw[:0]
		e0 := in[k]
		e := e0
		for {
			out := next(e)
			cw = append(cw, e/3, t.tri[next(out)])
			e = t.half[out]
			if e == e0 || e == -1 {
				break
			}
		}
		// Reverse into counter-clockwise order: the edge from vertex m to
		// m+1 is the clockwise edge from L-1-m to L-2-m.
		L := len(cw) / 2
		for m := 0; m < L; m++ {
			d.verts = append(d.verts, cc[cw[2*(L-1-m)]])
			d.nbr = append(d.nbr, cw[2*((2*L-2-m)%L)+1])
		}
		d.off[k+1] = int32(len(d.verts))
	}
	return d
}

// nearest returns the real site nearest p, walking the Delaunay graph
// greedily from site k (the walk always reaches the nearest site; ties go
// to the lower index).
func (d *diagram) nearest(p orb.Point, k int32) int32 {
	dist := func(j int32) float64 {
		dx, dy := d.pts[j][0]-p[0], d.pts[j][1]-p[1]
		return dx*dx + dy*dy
	}
	best := dist(k)
	for {
		moved := false
		for _, j := range d.nbr[d.off[k]:d.off[k+1]] {
			if j >= d.real {
				continue
			}
			if dj := dist(j); dj < best || (dj == best && j < k) {
				k, best, moved = j, dj, true
			}
		}
		if !moved {
			return k
		}
	}
}

// bisector returns the line between sites lo < hi as n·x = c, n pointing
// from lo to hi, computed the same way from either side.
func (d *diagram) bisector(lo, hi int32) (nx, ny, c float64) {
	a, b := d.pts[lo], d.pts[hi]
	nx, ny = b[0]-a[0], b[1]-a[1]
	return nx, ny, nx*(a[0]+b[0])/2 + ny*(a[1]+b[1])/2
}

// crossing is where a clip ring crosses the edge between cells lo and hi.
type crossing struct {
	p      orb.Point
	lo, hi int32
	s      float64 // position along the edge, increasing counter-clockwise around lo
}

// arc is a stretch of clip ring inside one cell, from crossing in to
// crossing out.
type arc struct {
	in, out int32
	pts     []orb.Point
	used    bool
}

type walker struct {
	d       *diagram
	index   *PolygonIndex
	cross   []crossing
	arcs    map[int32][]arc
	whole   map[int32][]clipRing
	visited []int32
}

// ring walks one clip ring from site start's cell, retrying from the cell
// where the walk ended when that differs (its first vertex is then on a cell
// edge, and the walk decides which side it is on).
func (w *walker) ring(r clipRing, start int32) {
	for try := 0; ; try++ {
		n0 := len(w.cross)
		runs, end := w.walk(r, start)
		if end == start || try == 2 {
			w.keep(r, runs)
			return
		}
		w.cross = w.cross[:n0]
		start = end
	}
}

type run struct {
	cell    int32
	in, out int32
	pts     []orb.Point
}

func (w *walker) walk(r clipRing, start int32) ([]run, int32) {
	d := w.d
	cell := start
	var runs []run
	cur := run{cell: cell, in: -1, out: -1, pts: []orb.Point{r.pts[0]}}
	for i := range r.pts {
		a, b := r.pts[i], r.pts[(i+1)%len(r.pts)]
		dx, dy := b[0]-a[0], b[1]-a[1]
		tcur := 0.0
		w.visited = w.visited[:0]
		for {
			bestT, bestJ := math.Inf(1), int32(-1)
			for _, j := range d.nbr[d.off[cell]:d.off[cell+1]] {
				lo, hi := min(cell, j), max(cell, j)
				nx, ny, c := d.bisector(lo, hi)
				den := nx*dx + ny*dy
				if !(cell == lo && den > 0 || cell == hi && den < 0) {
					continue // the edge does not head out through this side
				}
				t := (c - (nx*a[0] + ny*a[1])) / den
				if t >= 1 {
					continue
				}
				if t <= tcur {
					t = tcur
					if slices.Contains(w.visited, j) {
						continue
					}
				}
				if t < bestT || t == bestT && j < bestJ {
					bestT, bestJ = t, j
				}
			}
			if bestJ < 0 {
				break
			}
			if bestJ >= d.real {
				panic("geo: Voronoi walk left the sentinel box")
			}
			if bestT > tcur {
				w.visited = w.visited[:0]
			}
			w.visited = append(w.visited, cell)
			lo, hi := min(cell, bestJ), max(cell, bestJ)
			p := Lerp(a, b, bestT)
			ex, ey := d.pts[hi][0]-d.pts[lo][0], d.pts[hi][1]-d.pts[lo][1]
			x := int32(len(w.cross))
			w.cross = append(w.cross, crossing{p: p, lo: lo, hi: hi, s: -ey*p[0] + ex*p[1]})
			cur.pts = append(cur.pts, p)
			cur.out = x
			runs = append(runs, cur)
			cell, tcur = bestJ, bestT
			cur = run{cell: cell, in: x, out: -1, pts: []orb.Point{p}}
		}
		cur.pts = append(cur.pts, b)
	}
	runs = append(runs, cur)
	return runs, cell
}

// keep files the runs of a ring walk as arcs of their cells (the last run
// joins the first, both in the start cell), or the ring as whole when it
// never left its cell.
func (w *walker) keep(r clipRing, runs []run) {
	if w.arcs == nil {
		w.arcs = map[int32][]arc{}
		w.whole = map[int32][]clipRing{}
	}
	if len(runs) == 1 {
		w.whole[runs[0].cell] = append(w.whole[runs[0].cell], r)
		return
	}
	last := runs[len(runs)-1]
	first := runs[0]
	joined := append(last.pts[:len(last.pts)-1:len(last.pts)-1], first.pts...)
	w.arcs[last.cell] = append(w.arcs[last.cell], arc{in: last.in, out: first.out, pts: joined})
	for _, ru := range runs[1 : len(runs)-1] {
		w.arcs[ru.cell] = append(w.arcs[ru.cell], arc{in: ru.in, out: ru.out, pts: ru.pts})
	}
}

// boundaryPos is a point's place on a cell's boundary: the edge and the
// position along it, counter-clockwise.
type boundaryPos struct {
	edge int
	s    float64
}

func (p boundaryPos) less(q boundaryPos) bool {
	return p.edge < q.edge || p.edge == q.edge && p.s < q.s
}

func (w *walker) pos(k int32, x int32) boundaryPos {
	c := w.cross[x]
	other, s := c.hi, c.s
	if k == c.hi {
		other, s = c.lo, -c.s
	}
	d := w.d
	for m, j := range d.nbr[d.off[k]:d.off[k+1]] {
		if j == other {
			return boundaryPos{m, s}
		}
	}
	panic("geo: Voronoi crossing on no edge of its cell")
}

// cell assembles site k's clipped cell.
func (w *walker) cell(k int32) orb.MultiPolygon {
	d := w.d
	verts := d.verts[d.off[k]:d.off[k+1]]
	var shells, holes []orb.Ring
	arcs := w.arcs[k]
	if len(arcs) == 0 {
		// No outline crosses the cell's boundary: it is all inside the
		// area or all outside. Its vertices may lie on an outline that runs
		// along a cell edge, so decide at an interior point instead: in
		// the area, flipped by each whole ring around the point.
		p := w.probe(k)
		in := w.index.Contains(p)
		for _, r := range w.whole[k] {
			if ringContains(closed(r.pts), p) {
				in = !in
			}
		}
		if in {
			shells = append(shells, closed(verts))
		}
	} else {
		type entry struct {
			pos boundaryPos
			arc int
		}
		entries := make([]entry, len(arcs))
		for i, a := range arcs {
			entries[i] = entry{w.pos(k, a.in), i}
		}
		slices.SortStableFunc(entries, func(a, b entry) int {
			if a.pos.less(b.pos) {
				return -1
			}
			if b.pos.less(a.pos) {
				return 1
			}
			return 0
		})
		for i := range arcs {
			if arcs[i].used {
				continue
			}
			var ring []orb.Point
			a := i
			for steps := 0; steps <= len(arcs); steps++ {
				arcs[a].used = true
				ring = append(ring, arcs[a].pts...)
				exit := w.pos(k, arcs[a].out)
				// The next entry counter-clockwise from the exit.
				j, _ := slices.BinarySearchFunc(entries, exit, func(e entry, p boundaryPos) int {
					if e.pos.less(p) {
						return -1
					}
					return 1
				})
				wrapped := j == len(entries)
				if wrapped {
					j = 0
				}
				next := entries[j]
				// Cell vertices passed on the way.
				if next.pos.edge != exit.edge || wrapped || next.pos.s < exit.s {
					m := exit.edge
					for {
						m = (m + 1) % len(verts)
						ring = append(ring, verts[m])
						if m == next.pos.edge {
							break
						}
					}
				}
				if next.arc == i || arcs[next.arc].used {
					break
				}
				a = next.arc
			}
			for _, r := range cleanRing(ring) {
				if ringArea(r) > 0 {
					shells = append(shells, closed(r))
				} else {
					holes = append(holes, closed(r))
				}
			}
		}
	}
	for _, r := range w.whole[k] {
		if r.hole {
			holes = append(holes, closed(r.pts))
		} else {
			shells = append(shells, closed(r.pts))
		}
	}
	return assemble(shells, holes)
}

// probe returns a point inside cell k away from the rings lying wholly in
// it: the site, or a point between the site and a cell vertex.
func (w *walker) probe(k int32) orb.Point {
	d := w.d
	site := d.pts[k]
	rings := w.whole[k]
	if len(rings) == 0 {
		return site
	}
	verts := d.verts[d.off[k]:d.off[k+1]]
	clear := func(p orb.Point) bool {
		for _, r := range rings {
			for i := range r.pts {
				_, d2 := ProjectToSegment(p, r.pts[i], r.pts[(i+1)%len(r.pts)])
				if d2 <= 1e-12*(1+p[0]*p[0]+p[1]*p[1]) {
					return false
				}
			}
		}
		return true
	}
	if clear(site) {
		return site
	}
	for _, f := range []float64{0.5, 0.25, 0.75} {
		for _, v := range verts {
			if p := Lerp(site, v, f); clear(p) {
				return p
			}
		}
	}
	return site
}

// dedupeRing drops consecutive repeated vertices (a crossing at a ring
// vertex, a zero-length cell edge) and a closing repeat.
func dedupeRing(r []orb.Point) []orb.Point {
	out := r[:0]
	for _, p := range r {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	return out
}

func closed(pts []orb.Point) orb.Ring {
	r := make(orb.Ring, len(pts)+1)
	copy(r, pts)
	r[len(pts)] = pts[0]
	return r
}

// assemble puts each hole in the smallest shell that holds a point inside
// the hole (not a vertex: a hole may touch its shell at one). Shells are
// counter-clockwise and holes clockwise.
func assemble(shells, holes []orb.Ring) orb.MultiPolygon {
	if len(shells) == 0 {
		return nil
	}
	mp := make(orb.MultiPolygon, len(shells))
	area := make([]float64, len(shells))
	for i, s := range shells {
		mp[i] = orb.Polygon{s}
		area[i] = ringArea(s[:len(s)-1])
	}
	for _, h := range holes {
		p, _ := PointOnSurface(orb.MultiPolygon{{h}})
		best := -1
		for i, s := range shells {
			if ringContains(s, p) && (best < 0 || area[i] < area[best]) {
				best = i
			}
		}
		if best >= 0 {
			mp[best] = append(mp[best], h)
		}
	}
	return mp
}

// ringContains is the even-odd test of p against one closed ring.
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}
