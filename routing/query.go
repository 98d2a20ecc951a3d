package routing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing/shortest"
)

// ErrNoRoute is returned when no walking route joins two points (they lie
// in different components of the graph).
var ErrNoRoute = errors.New("routing: no route")

// edgeEnd stands for "the far end of the edge" in walk's metre positions.
const edgeEnd = math.MaxFloat32

// Route is a walking route between two points.
type Route struct {
	Seconds         geo.Seconds    // walking time, off-path legs and crossings included
	Meters          geo.Meters     // horizontal length
	Ascent, Descent geo.Meters     // total climb and drop along the route
	Path            orb.LineString // from the start point to the end point
}

// edgeSourceSeeds returns the seeds of s as a start: walking off-path to
// the path, then along the edge to either end.
func (g *Graph) edgeSourceSeeds(s *Snap) []shortest.Seed {
	e := uint32(s.Edge)
	v := g.view(e)
	toFrom, toTo := v.splitSec(float64(s.Along), false)
	out := float64(s.Out)
	return []shortest.Seed{
		{Node: g.edgeFrom[e], Offset: msOf(out + toFrom)},
		{Node: g.edgeTo[e], Offset: msOf(out + toTo)},
	}
}

// edgeTargetSeeds returns the seeds of s as an end: from either end of the
// edge along it to OnPath, then off-path to the point.
func (g *Graph) edgeTargetSeeds(s *Snap) []shortest.Seed {
	e := uint32(s.Edge)
	v := g.view(e)
	fromFrom, fromTo := v.splitSec(float64(s.Along), true)
	in := float64(s.In)
	return []shortest.Seed{
		{Node: g.edgeFrom[e], Offset: msOf(fromFrom + in)},
		{Node: g.edgeTo[e], Offset: msOf(fromTo + in)},
	}
}

// sourceSeeds returns the start seeds of s and of its Main variant.
func (g *Graph) sourceSeeds(s *Snap) []shortest.Seed {
	if s.Main == nil {
		return g.edgeSourceSeeds(s)
	}
	return append(g.edgeSourceSeeds(s), g.edgeSourceSeeds(s.Main)...)
}

// targetSeeds returns the end seeds of s and of its Main variant.
func (g *Graph) targetSeeds(s *Snap) []shortest.Seed {
	if s.Main == nil {
		return g.edgeTargetSeeds(s)
	}
	return append(g.edgeTargetSeeds(s), g.edgeTargetSeeds(s.Main)...)
}

// direct returns the fastest walk from a to b along an edge they share
// (through any of their variants) and the variants used; ok is false when
// they share no edge.
func (g *Graph) direct(a, b *Snap) (ms uint32, va, vb *Snap, ok bool) {
	for _, x := range a.variants() {
		for _, y := range b.variants() {
			if x.Edge != y.Edge {
				continue
			}
			v := g.view(uint32(x.Edge))
			d := msOf(float64(x.Out) + v.walk(float64(x.Along), float64(y.Along), nil).sec + float64(y.In))
			if !ok || d < ms {
				ms, va, vb, ok = d, x, y, true
			}
		}
	}
	return ms, va, vb, ok
}

// straight returns the time to walk straight from a to b off the paths,
// at Profile.OffPathFactor on the slope between them, when that line is no
// longer than the longer of their off-path legs: points nearer to each
// other than to the paths (a compound, a hamlet away from the mapped
// paths, a point and itself) do not walk out to a path and back. Like the
// off-path legs, the line does not see water; bounding it by a leg the
// walker would walk anyway keeps it from jumping rivers that the paths
// only cross on a bridge far away.
func (g *Graph) straight(a, b *Snap) (ms uint32, dz float64, ok bool) {
	d := float64(geo.Distance(a.Point, b.Point))
	if d > float64(max(a.Distance, b.Distance)) {
		return 0, 0, false
	}
	wade, blocked := g.legWater(a.Point, b.Point)
	if blocked {
		return 0, 0, false
	}
	dz = math.NaN()
	if g.elev != nil {
		za, okA := g.elev.Elevation(a.Point)
		zb, okB := g.elev.Elevation(b.Point)
		if okA && okB {
			dz = zb - za
		}
	}
	return msOf(segTime(d, dz, d, g.prof.OffPathFactor) + wade), dz, true
}

// variantAt returns the variant of s whose edge ends at node n.
func (g *Graph) variantAt(s *Snap, n uint32) *Snap {
	for _, v := range s.variants() {
		if e := uint32(v.Edge); g.edgeFrom[e] == n || g.edgeTo[e] == n {
			return v
		}
	}
	return s
}

// Walk returns the fastest walking route from one point to another. Each
// point is snapped to its nearest edge (see Snap): a point farther than
// Profile.MaxSnap gives an error wrapping ErrTooFar; points in different
// components give ErrNoRoute, unless they are nearer to each other than to
// the paths and walk straight between them (the route is then that line).
// Safe for concurrent use.
func (g *Graph) Walk(from, to orb.Point) (Route, error) {
	if g.sg == nil {
		return Route{}, ErrNoHierarchy
	}
	sf, err := g.Snap(from)
	if err != nil {
		return Route{}, err
	}
	st, err := g.Snap(to)
	if err != nil {
		return Route{}, err
	}
	return g.route(&sf, &st)
}

// WalkSnapped is Walk for points already snapped (by Snap), so callers
// that query one point many times snap it once.
func (g *Graph) WalkSnapped(from, to Snap) (Route, error) {
	if g.sg == nil {
		return Route{}, ErrNoHierarchy
	}
	return g.route(&from, &to)
}

func (g *Graph) route(sf, st *Snap) (Route, error) {
	sms, dz, sok := g.straight(sf, st)
	var dist uint32
	var path []uint32
	var ok bool
	if canMeet(sf, st) {
		dist, path, ok = g.query(g.sourceSeeds(sf), g.targetSeeds(st))
	}
	var va, vb *Snap
	if d, a, b, dok := g.direct(sf, st); dok && (!ok || d <= dist) {
		dist, path, ok, va, vb = d, nil, true, a, b
	}
	if sok && (!ok || sms < dist) {
		r := Route{Seconds: geo.Seconds(float64(sms) / 1000), Meters: geo.Distance(sf.Point, st.Point)}
		if dz > 0 {
			r.Ascent = geo.Meters(dz)
		} else if dz < 0 {
			r.Descent = geo.Meters(-dz)
		}
		r.Path = dedupe(orb.LineString{sf.Point, st.Point})
		return r, nil
	}
	if !ok {
		if g.hasTerrain() {
			// The lattice covers the land: what separates two of its
			// parts is a river or a water area.
			return Route{}, fmt.Errorf("%w: %w", ErrNoRoute, ErrAcrossWater)
		}
		return Route{}, ErrNoRoute
	}
	r := Route{Seconds: geo.Seconds(float64(dist) / 1000)}
	var acc legStats
	pts := make(orb.LineString, 1, 64)
	pts[0] = sf.Point
	out := (*[]orb.Point)(&pts)
	if path == nil {
		acc.m += float64(va.Distance)
		acc.add(g.view(uint32(va.Edge)).walk(float64(va.Along), float64(vb.Along), out))
	} else {
		// The path starts at whichever end of the source edge its seed
		// chose (the cheaper one when both ends are the same node).
		va, vb = g.variantAt(sf, path[0]), g.variantAt(st, path[len(path)-1])
		acc.m += float64(va.Distance)
		e := uint32(va.Edge)
		src := g.edgeSourceSeeds(va)
		end := 0.0
		if path[0] == g.edgeTo[e] && (path[0] != g.edgeFrom[e] || src[1].Offset < src[0].Offset) {
			end = edgeEnd
		}
		acc.add(g.view(e).walk(float64(va.Along), end, out))
		for i := 0; i+1 < len(path); i++ {
			pe, fwd, ok := g.edgeBetween(path[i], path[i+1])
			if !ok {
				return Route{}, errors.New("routing: internal error: path step without an edge")
			}
			acc.add(g.fullEdge(pe, fwd, out))
		}
		e = uint32(vb.Edge)
		dst := g.edgeTargetSeeds(vb)
		last := path[len(path)-1]
		start := 0.0
		if last == g.edgeTo[e] && (last != g.edgeFrom[e] || dst[1].Offset < dst[0].Offset) {
			start = edgeEnd
		}
		acc.add(g.view(e).walk(start, float64(vb.Along), out))
	}
	acc.m += float64(vb.Distance)
	pts = append(pts, st.Point)
	r.Meters = geo.Meters(acc.m)
	r.Ascent, r.Descent = geo.Meters(acc.asc), geo.Meters(acc.desc)
	r.Path = dedupe(pts)
	return r, nil
}

// fullEdge returns the stored stats of walking all of edge e (forwards or
// backwards) and appends its geometry to out, without recomputing
// anything: long routes cross thousands of edges.
func (g *Graph) fullEdge(e uint32, fwd bool, out *[]orb.Point) legStats {
	st := legStats{sec: float64(g.fwd[e]) / 1000, m: float64(g.length[e]), asc: float64(g.ascent[e]), desc: float64(g.descent[e])}
	pts := g.pts[g.geomOff[e]:g.geomOff[e+1]]
	if fwd {
		*out = append(*out, pts...)
		return st
	}
	st.sec = float64(g.bwd[e]) / 1000
	st.asc, st.desc = st.desc, st.asc
	for i := len(pts) - 1; i >= 0; i-- {
		*out = append(*out, pts[i])
	}
	return st
}

// dedupe drops consecutive repeated points (the joins between legs).
func dedupe(ls orb.LineString) orb.LineString {
	out := ls[:0]
	for i, p := range ls {
		if i > 0 && p == out[len(out)-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// Matrix holds walking times from every source point to every target
// point. Pairs with no route, and points that could not be snapped, are
// unreachable (ok == false).
type Matrix struct {
	rows, cols int
	ms         []uint32
	ok         []bool
	// FromSnaps and ToSnaps are the points' snaps; FromErr and ToErr hold
	// the snap error of each point (nil when snapped).
	FromSnaps, ToSnaps []Snap
	FromErr, ToErr     []error
	// meters holds the length of each fastest route when
	// MatrixOptions.Lengths asked for them.
	meters []float32
}

// MatrixOptions tunes Matrix; nil means the defaults.
type MatrixOptions struct {
	// Workers is the number of goroutines (0 = GOMAXPROCS).
	Workers int
	// Lengths also measures every fastest route's length (see
	// Matrix.Length); it unpacks each route, so it costs far more than
	// the times alone. On a graph without a hierarchy (a terrain lattice)
	// it is ignored: Length then reports ok == false.
	Lengths bool
}

// Length returns the length of the fastest route from source i to target
// j; ok is false when there is no route or the matrix was computed without
// MatrixOptions.Lengths.
func (m *Matrix) Length(i, j int) (geo.Meters, bool) {
	k := i*m.cols + j
	if m.meters == nil || !m.ok[k] {
		return 0, false
	}
	return geo.Meters(m.meters[k]), true
}

// Rows returns the number of source points.
func (m *Matrix) Rows() int { return m.rows }

// Cols returns the number of target points.
func (m *Matrix) Cols() int { return m.cols }

// At returns the walking time from source i to target j; ok is false when
// there is no route.
func (m *Matrix) At(i, j int) (geo.Seconds, bool) {
	k := i*m.cols + j
	if !m.ok[k] {
		return 0, false
	}
	return geo.Seconds(float64(m.ms[k]) / 1000), true
}

// Millis returns At in whole milliseconds, the engine's unit.
func (m *Matrix) Millis(i, j int) (uint32, bool) {
	k := i*m.cols + j
	return m.ms[k], m.ok[k]
}

// snapAll snaps pts with workers goroutines.
func (g *Graph) snapAll(ctx context.Context, pts []orb.Point, workers int) ([]Snap, []error, error) {
	snaps := make([]Snap, len(pts))
	errs := make([]error, len(pts))
	err := parallel.For(ctx, workers, len(pts), func(i int) {
		snaps[i], errs[i] = g.Snap(pts[i])
	})
	return snaps, errs, err
}

// Matrix computes walking times from every point of from to every point of
// to with the hierarchy's many-to-many search on opts.Workers goroutines.
// Points that cannot be snapped are reported in FromErr/ToErr and their
// rows/columns are unreachable. opts may be nil.
func (g *Graph) Matrix(ctx context.Context, from, to []orb.Point, opts *MatrixOptions) (*Matrix, error) {
	if opts == nil {
		opts = &MatrixOptions{}
	}
	m, err := g.matrix(ctx, from, to, opts.Workers)
	if err != nil || !opts.Lengths || g.ch == nil {
		// Without a hierarchy (a terrain lattice) unpacking every route
		// is one Dijkstra per pair: the lengths are left out.
		return m, err
	}
	m.meters = make([]float32, len(m.ms))
	err = parallel.For(ctx, opts.Workers, m.rows, func(i int) {
		for j := 0; j < m.cols; j++ {
			if _, ok := m.At(i, j); !ok {
				continue
			}
			if r, err := g.WalkSnapped(m.FromSnaps[i], m.ToSnaps[j]); err == nil {
				m.meters[i*m.cols+j] = float32(r.Meters)
			}
		}
	})
	return m, err
}

func (g *Graph) matrix(ctx context.Context, from, to []orb.Point, workers int) (*Matrix, error) {
	if g.sg == nil {
		return nil, ErrNoHierarchy
	}
	m := &Matrix{rows: len(from), cols: len(to), ms: make([]uint32, len(from)*len(to)), ok: make([]bool, len(from)*len(to))}
	var err error
	if m.FromSnaps, m.FromErr, err = g.snapAll(ctx, from, workers); err != nil {
		return nil, err
	}
	if m.ToSnaps, m.ToErr, err = g.snapAll(ctx, to, workers); err != nil {
		return nil, err
	}
	return m, g.fill(ctx, m, workers)
}

// fill computes the times of m between its snaps.
func (g *Graph) fill(ctx context.Context, m *Matrix, workers int) error {
	from, to := m.FromSnaps, m.ToSnaps
	var src, dst [][]shortest.Seed
	var srcIdx, dstIdx []int
	for i := range from {
		if m.FromErr[i] == nil {
			src = append(src, g.sourceSeeds(&m.FromSnaps[i]))
			srcIdx = append(srcIdx, i)
		}
	}
	for j := range to {
		if m.ToErr[j] == nil {
			dst = append(dst, g.targetSeeds(&m.ToSnaps[j]))
			dstIdx = append(dstIdx, j)
		}
	}
	if len(src) > 0 && len(dst) > 0 {
		sm, err := g.manyToMany(ctx, src, dst, workers)
		if err != nil {
			return err
		}
		for a, i := range srcIdx {
			for b, j := range dstIdx {
				if d, ok := sm.At(a, b); ok {
					m.ms[i*m.cols+j], m.ok[i*m.cols+j] = d, true
				}
			}
		}
	}
	// Points nearer to each other than to the paths walk straight. The
	// chord through the earth is never longer than the great circle
	// (geo.Distance): a pair whose chord is longer than both points' snap
	// distances cannot walk straight, and is passed over without the
	// haversine (a quarter of a national routes run's matrix time).
	toUnit := make([][3]float64, len(to))
	for _, j := range dstIdx {
		toUnit[j] = unitVector(m.ToSnaps[j].Point)
	}
	for _, i := range srcIdx {
		u := unitVector(m.FromSnaps[i].Point)
		for _, j := range dstIdx {
			if !mayWalkStraight(u, toUnit[j], max(m.FromSnaps[i].Distance, m.ToSnaps[j].Distance)) {
				continue
			}
			if d, _, ok := g.straight(&m.FromSnaps[i], &m.ToSnaps[j]); ok {
				if k := i*m.cols + j; !m.ok[k] || d < m.ms[k] {
					m.ms[k], m.ok[k] = d, true
				}
			}
		}
	}
	// Points on one edge may be joined along it without reaching a node.
	byEdge := map[EdgeID][]int{}
	for _, j := range dstIdx {
		for _, v := range m.ToSnaps[j].variants() {
			byEdge[v.Edge] = append(byEdge[v.Edge], j)
		}
	}
	for _, i := range srcIdx {
		for _, v := range m.FromSnaps[i].variants() {
			for _, j := range byEdge[v.Edge] {
				if d, _, _, ok := g.direct(&m.FromSnaps[i], &m.ToSnaps[j]); ok {
					if k := i*m.cols + j; !m.ok[k] || d < m.ms[k] {
						m.ms[k], m.ok[k] = d, true
					}
				}
			}
		}
	}
	return nil
}

// unitVector is p on the unit sphere.
func unitVector(p orb.Point) [3]float64 {
	lon, lat := p[0]*math.Pi/180, p[1]*math.Pi/180
	return [3]float64{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}
}

// mayWalkStraight is false when the points at unit vectors u and v are
// surely farther apart than limit (a chord longer than limit, with a
// margin for rounding), so that straight would refuse them.
func mayWalkStraight(u, v [3]float64, limit geo.Meters) bool {
	dx, dy, dz := u[0]-v[0], u[1]-v[1], u[2]-v[2]
	chord := math.Sqrt(dx*dx+dy*dy+dz*dz) * float64(geo.EarthRadius)
	return chord <= float64(limit)*(1+1e-6)+1e-3
}

// Reach is the result of Nearest: for every point of the graph, the
// nearest source within the time limit.
type Reach struct {
	g       *Graph
	reverse bool // times are TO the sources (NearestTo)
	nr      *shortest.Nearest
	limit   uint32
	snaps   []Snap
	errs    []error
	byEdge  map[EdgeID][]int
	// near indexes the snapped sources in local metres, for the straight
	// walks between neighbours; maxLeg is their longest off-path leg.
	near   *rtree.RTreeG[int]
	maxLeg float64
}

// Nearest runs one bounded multi-source search from sources (walking FROM
// each source) and returns, for any point, the nearest source and the time
// to walk from it, when within limit. Sources that cannot be snapped are
// left out (see SourceErr). Ties go to the lowest source index.
func (g *Graph) Nearest(ctx context.Context, sources []orb.Point, limit geo.Seconds) (*Reach, error) {
	return g.nearest(ctx, sources, limit, false)
}

// NearestTo is Nearest in the other direction: for any point, the source
// that is quickest to walk TO from there (a household walking to its
// nearest facility), and that time. Uphill and downhill make the two
// differ.
func (g *Graph) NearestTo(ctx context.Context, sources []orb.Point, limit geo.Seconds) (*Reach, error) {
	return g.nearest(ctx, sources, limit, true)
}

func (g *Graph) nearest(ctx context.Context, sources []orb.Point, limit geo.Seconds, reverse bool) (*Reach, error) {
	if g.sg == nil {
		return nil, ErrNoHierarchy
	}
	snaps, errs, err := g.snapAll(ctx, sources, 0)
	if err != nil {
		return nil, err
	}
	lim := msOf(float64(limit))
	seeds := make([][]shortest.Seed, len(sources))
	r := &Reach{g: g, reverse: reverse, limit: lim, snaps: snaps, errs: errs, byEdge: map[EdgeID][]int{}}
	for i := range sources {
		if errs[i] == nil {
			if reverse {
				seeds[i] = g.targetSeeds(&snaps[i])
			} else {
				seeds[i] = g.sourceSeeds(&snaps[i])
			}
			for _, v := range snaps[i].variants() {
				r.byEdge[v.Edge] = append(r.byEdge[v.Edge], i)
			}
			if r.near == nil {
				r.near = &rtree.RTreeG[int]{}
			}
			q := g.local.Forward(sources[i])
			r.near.Insert(q, q, i)
			r.maxLeg = max(r.maxLeg, float64(snaps[i].Distance))
		}
	}
	sg := g.sg
	if reverse {
		g.revOnce.Do(func() { g.rev = g.sg.Reverse() })
		sg = g.rev
	}
	r.nr = sg.Nearest(seeds, lim, runtime.GOMAXPROCS(0))
	return r, ctx.Err()
}

// SourceErr returns the snap error of source i (nil when it was snapped).
func (r *Reach) SourceErr(i int) error { return r.errs[i] }

// Node returns the nearest source of node n and the time from it (to it,
// for NearestTo).
func (r *Reach) Node(n NodeID) (source int, t geo.Seconds, ok bool) {
	s, d, ok := r.nr.At(uint32(n))
	return s, geo.Seconds(float64(d) / 1000), ok
}

// At returns the nearest source of point p (snapped like any query point)
// and the time to walk from it to p (from p to it, for NearestTo); ok is false when none is within the
// limit or p cannot be snapped.
func (r *Reach) At(p orb.Point) (source int, t geo.Seconds, ok bool) {
	s, err := r.g.Snap(p)
	if err != nil {
		return 0, 0, false
	}
	return r.AtSnap(s)
}

// AtSnap is At for an already snapped point.
func (r *Reach) AtSnap(s Snap) (source int, t geo.Seconds, ok bool) {
	best, bestSrc := uint64(math.MaxUint64), 0
	ends := r.g.targetSeeds(&s)
	if r.reverse {
		ends = r.g.sourceSeeds(&s)
	}
	for _, sd := range ends {
		if src, d, ok := r.nr.At(sd.Node); ok {
			if k := (uint64(d)+uint64(sd.Offset))<<32 | uint64(src); k < best {
				best, bestSrc = k, src
			}
		}
	}
	for _, v := range s.variants() {
		for _, i := range r.byEdge[v.Edge] {
			d, _, _, ok := r.g.direct(&r.snaps[i], &s)
			if r.reverse {
				d, _, _, ok = r.g.direct(&s, &r.snaps[i])
			}
			if k := uint64(d)<<32 | uint64(i); ok && k < best {
				best, bestSrc = k, i
			}
		}
	}
	if r.near != nil {
		// Local metres are within 0.5 % of haversine over a district.
		q := r.g.local.Forward(s.Point)
		rad := max(float64(s.Distance), r.maxLeg)*1.01 + 1
		r.near.Search([2]float64{q[0] - rad, q[1] - rad}, [2]float64{q[0] + rad, q[1] + rad}, func(_, _ [2]float64, i int) bool {
			d, _, ok := r.g.straight(&r.snaps[i], &s)
			if r.reverse {
				d, _, ok = r.g.straight(&s, &r.snaps[i])
			}
			if k := uint64(d)<<32 | uint64(i); ok && k < best {
				best, bestSrc = k, i
			}
			return true
		})
	}
	if best == math.MaxUint64 || uint32(best>>32) > r.limit {
		return 0, 0, false
	}
	return bestSrc, geo.Seconds(float64(best>>32) / 1000), true
}

// query is one point-to-point search: the hierarchy's, or on a graph
// without one (a terrain lattice) a plain Dijkstra.
func (g *Graph) query(src, dst []shortest.Seed) (uint32, []uint32, bool) {
	if g.ch != nil {
		return g.ch.Query(src, dst)
	}
	return g.sg.Query(src, dst)
}

// manyToMany is the hierarchy's bucket many-to-many search, or on a graph
// without one one Dijkstra per row or per column, whichever are fewer
// (columns searched backwards on the reversed graph): 1,000 households to
// 50 facilities are 50 searches.
func (g *Graph) manyToMany(ctx context.Context, src, dst [][]shortest.Seed, workers int) (interface {
	At(i, j int) (uint32, bool)
}, error) {
	if g.ch != nil {
		return g.ch.Matrix(ctx, src, dst, workers)
	}
	if len(src) <= len(dst) {
		return g.sg.Matrix(ctx, src, dst, workers)
	}
	g.revOnce.Do(func() { g.rev = g.sg.Reverse() })
	m, err := g.rev.Matrix(ctx, dst, src, workers)
	if err != nil {
		return nil, err
	}
	return transposed{m}, nil
}

// transposed reads a matrix with rows and columns exchanged.
type transposed struct{ m *shortest.Matrix }

func (t transposed) At(i, j int) (uint32, bool) { return t.m.At(j, i) }

// hasTerrain reports whether the graph has a terrain lattice.
func (g *Graph) hasTerrain() bool {
	for _, c := range g.classes {
		if c == TerrainClass {
			return true
		}
	}
	return false
}
