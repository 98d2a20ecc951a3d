package routing

import (
	"container/heap"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// oracleTolMs is how far (ms) a snapped query may be from the split-edge
// reference: the engine rounds each end's off-path leg plus partial edge
// to whole milliseconds (at most 0.5 ms each), and a route that runs
// through the whole of a split edge adds the edge's stored weight, rounded
// too, where the reference adds its unrounded pieces (two such edges at
// most: the start's and the end's).
const oracleTolMs = 2.0 + 1e-6

// splitOracle is the reference for snapped queries. For each pair it
// inserts both snapped points into the graph as real nodes: each point's
// edge (and its Main variant's) is split at OnPath into pieces whose times
// are computed afresh from the densified geometry (pieceSeconds, written
// apart from edgeView.walk), and the points are joined to their split
// nodes by the off-path legs (offLegSeconds), and to each other by a
// straight off-path walk when they are nearer to each other than to the
// paths. A plain Dijkstra on float milliseconds then gives the time; every
// edge not split keeps its stored weights.
type splitOracle struct {
	g        *Graph
	elev     elevModel
	adj      [][]oracleArc // per node: both directions of every edge
	from, to []*Snap       // nil when not snapped
	pf, pt   []orb.Point
	dist     []float64 // scratch of pair
	done     []bool
}

type oracleArc struct {
	head, edge uint32
	ms         float64
}

// newSplitOracle snaps from and to and checks every snap against a brute
// force scan (checkSnap).
func newSplitOracle(tb testing.TB, g *Graph, elev elevModel, from, to []orb.Point) *splitOracle {
	tb.Helper()
	o := &splitOracle{g: g, elev: elev, adj: make([][]oracleArc, g.Nodes()), pf: from, pt: to}
	for e := range g.edgeFrom {
		u, v := g.edgeFrom[e], g.edgeTo[e]
		o.adj[u] = append(o.adj[u], oracleArc{v, uint32(e), float64(g.fwd[e])})
		o.adj[v] = append(o.adj[v], oracleArc{u, uint32(e), float64(g.bwd[e])})
	}
	snap := func(p orb.Point) *Snap {
		s, err := g.Snap(p)
		if err != nil {
			return nil
		}
		for k, v := range s.variants() {
			checkSnap(tb, g, p, v, k == 1)
		}
		return &s
	}
	for _, p := range from {
		o.from = append(o.from, snap(p))
	}
	for _, p := range to {
		o.to = append(o.to, snap(p))
	}
	return o
}

// pair returns the reference time (ms) from from[i] to to[j].
func (o *splitOracle) pair(i, j int) (float64, bool) {
	sf, st := o.from[i], o.to[j]
	if sf == nil || st == nil {
		return 0, false
	}
	g := o.g
	n := uint32(g.Nodes())
	extra := map[uint32][]oracleArc{}
	const noEdge = math.MaxUint32
	arc := func(a, b uint32, ms float64) { extra[a] = append(extra[a], oracleArc{b, noEdge, ms}) }
	src, dst := n, n+1
	n += 2
	type split struct {
		along float64
		node  uint32
	}
	splits := map[uint32][]split{}
	for k, s := range [2]*Snap{sf, st} {
		for _, v := range s.variants() {
			pn := n
			n++
			splits[uint32(v.Edge)] = append(splits[uint32(v.Edge)], split{float64(v.Along), pn})
			if k == 0 {
				arc(src, pn, 1000*offLegSeconds(g, o.elev, o.pf[i], v, true))
			} else {
				arc(pn, dst, 1000*offLegSeconds(g, o.elev, o.pt[j], v, false))
			}
		}
	}
	// Points nearer to each other than to the paths walk straight.
	if d := float64(geo.Distance(o.pf[i], o.pt[j])); d <= float64(max(sf.Distance, st.Distance)) {
		slope := 0.0
		if o.elev != nil && d > 0 {
			za, okA := o.elev.Elevation(o.pf[i])
			zb, okB := o.elev.Elevation(o.pt[j])
			if okA && okB {
				slope = (zb - za) / d
			}
		}
		if wade, blocked := oracleLegWater(g, o.pf[i], o.pt[j]); !blocked {
			arc(src, dst, d/(Tobler(slope)*g.prof.OffPathFactor)*3600+1000*wade)
		}
	}
	for e, sp := range splits {
		slices.SortFunc(sp, func(a, b split) int {
			if a.along < b.along {
				return -1
			}
			if a.along > b.along {
				return 1
			}
			return int(a.node) - int(b.node)
		})
		chain := append(append([]split{{0, g.edgeFrom[e]}}, sp...), split{edgeLength(g, e), g.edgeTo[e]})
		for k := 0; k+1 < len(chain); k++ {
			a, b := chain[k], chain[k+1]
			arc(a.node, b.node, 1000*pieceSeconds(g, e, a.along, b.along))
			arc(b.node, a.node, 1000*pieceSeconds(g, e, b.along, a.along))
		}
	}
	if cap(o.dist) < int(n) {
		o.dist, o.done = make([]float64, n), make([]bool, n)
	}
	dist, done := o.dist[:n], o.done[:n]
	for k := range dist {
		dist[k], done[k] = math.Inf(1), false
	}
	dist[src] = 0
	pq := &floatHeap{{src, 0}}
	for pq.Len() > 0 {
		it := heap.Pop(pq).(floatItem)
		if done[it.node] {
			continue
		}
		done[it.node] = true
		if it.node == dst {
			return it.d, true
		}
		var arcs []oracleArc
		if it.node < uint32(g.Nodes()) {
			arcs = o.adj[it.node]
		}
		for _, a := range append(slices.Clip(arcs), extra[it.node]...) {
			if _, split := splits[a.edge]; split && a.edge != noEdge {
				continue
			}
			if it.d+a.ms < dist[a.head] {
				dist[a.head] = it.d + a.ms
				heap.Push(pq, floatItem{a.head, it.d + a.ms})
			}
		}
	}
	return 0, false
}

type floatItem struct {
	node uint32
	d    float64
}

type floatHeap []floatItem

func (h floatHeap) Len() int           { return len(h) }
func (h floatHeap) Less(i, j int) bool { return h[i].d < h[j].d }
func (h floatHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *floatHeap) Push(x any)        { *h = append(*h, x.(floatItem)) }
func (h *floatHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// edgeLength is the length of edge e's densified polyline.
func edgeLength(g *Graph, e uint32) float64 {
	pts := g.pts[g.geomOff[e]:g.geomOff[e+1]]
	var l float64
	for k := 0; k+1 < len(pts); k++ {
		l += float64(geo.Distance(pts[k], pts[k+1]))
	}
	return l
}

// pieceSeconds is the time to walk edge e from a to b (metres along it;
// a > b walks it backwards): Tobler's speed on each densified segment's
// slope in the direction of travel, times the way's factor, plus the
// crossings between a and b.
func pieceSeconds(g *Graph, e uint32, a, b float64) float64 {
	pts := g.pts[g.geomOff[e]:g.geomOff[e+1]]
	z := g.z[g.geomOff[e]:g.geomOff[e+1]]
	lo, hi, sign := a, b, 1.0
	if a > b {
		lo, hi, sign = b, a, -1
	}
	var sec, pos float64
	for k := 0; k+1 < len(pts); k++ {
		l := float64(geo.Distance(pts[k], pts[k+1]))
		if s, t := math.Max(lo, pos), math.Min(hi, pos+l); t > s {
			slope := 0.0
			if dz := float64(z[k+1]) - float64(z[k]); !math.IsNaN(dz) {
				slope = sign * dz / l
			}
			kmh := Tobler(slope) * float64(g.factor[e])
			sec += (t - s) / 1000 / kmh * 3600
		}
		pos += l
	}
	for c := g.crossOff[e]; c < g.crossOff[e+1]; c++ {
		if at := float64(g.crossAt[c]); at >= lo && at <= hi {
			sec += float64(g.crossMs[c]) / 1000
		}
	}
	return sec
}

// offLegSeconds is the straight walk between p and its snap s.OnPath
// (toPath: p → OnPath) at the off-path factor, on the slope between the
// DEM at p and at OnPath (the edge's own elevation where the DEM has
// none; flat when either end is unknown).
func offLegSeconds(g *Graph, elev elevModel, p orb.Point, s *Snap, toPath bool) float64 {
	d := float64(geo.Distance(p, s.OnPath))
	if d == 0 {
		return 0
	}
	zp, zo := math.NaN(), edgeZ(g, uint32(s.Edge), float64(s.Along))
	if elev != nil {
		if z, ok := elev.Elevation(p); ok {
			zp = z
		}
		if z, ok := elev.Elevation(s.OnPath); ok {
			zo = z
		}
	}
	slope := 0.0
	if !math.IsNaN(zp) && !math.IsNaN(zo) {
		slope = (zo - zp) / d
	}
	if !toPath {
		slope = -slope
	}
	wade, _ := oracleLegWater(g, p, s.OnPath)
	return d/1000/(Tobler(slope)*g.prof.OffPathFactor)*3600 + wade
}

// oracleLegWater is the slow reference for the water an off-path leg a→b
// crosses: every segment of every waterway is tested, each waterway counts
// once; wider than the wading limit, a derived river or a water area (tested
// every 30 m) blocks the leg.
func oracleLegWater(g *Graph, a, b orb.Point) (sec float64, blocked bool) {
	if g.water == nil {
		return 0, false
	}
	proj := g.water.proj
	la, lb := proj.Forward(a), proj.Forward(b)
	if math.Hypot(lb[0]-la[0], lb[1]-la[1]) < 1e-6 {
		// A point on the path: no leg (and a degenerate segment meets
		// everything collinear with it).
		return 0, false
	}
	for _, w := range g.waters {
		crossed := false
		for k := 0; k+1 < len(w.Pts) && !crossed; k++ {
			_, crossed = geo.SegmentIntersection(la, lb, proj.Forward(w.Pts[k]), proj.Forward(w.Pts[k+1]))
		}
		if !crossed {
			continue
		}
		width := w.Width
		if width <= 0 && !w.Derived {
			width = lookupDefault(g.prof.DefaultWidth, w.Kind, 0)
		}
		switch {
		case w.Derived && w.AreaKm2 >= g.prof.DerivedBarrierKm2, !w.Derived && width > g.prof.MaxWadeWidth:
			return 0, true
		case w.Derived:
			sec += g.prof.DerivedStreamMinutes * 60
		default:
			sec += lookupDefault(g.prof.CrossingMinutes, w.Kind, 15) * 60
		}
	}
	n := max(1, int(math.Ceil(math.Hypot(lb[0]-la[0], lb[1]-la[1])/30)))
	for _, ar := range g.areas {
		for k := 0; k <= n; k++ {
			if planar.MultiPolygonContains(ar.Poly, geo.Lerp(a, b, float64(k)/float64(n))) {
				return 0, true
			}
		}
	}
	return sec, false
}

// edgeZ interpolates edge e's stored elevation at metres along it.
func edgeZ(g *Graph, e uint32, along float64) float64 {
	pts := g.pts[g.geomOff[e]:g.geomOff[e+1]]
	z := g.z[g.geomOff[e]:g.geomOff[e+1]]
	var pos float64
	for k := 0; k+1 < len(pts); k++ {
		l := float64(geo.Distance(pts[k], pts[k+1]))
		if along <= pos+l || k+2 == len(pts) {
			t := 0.0
			if l > 0 {
				t = math.Min(math.Max((along-pos)/l, 0), 1)
			}
			return float64(z[k]) + t*(float64(z[k+1])-float64(z[k]))
		}
		pos += l
	}
	return float64(z[0])
}

// checkSnap compares a snap with a brute-force scan of every segment
// outside tunnels (of the largest component only for a Main snap): none
// may be nearer than
// s.OnPath (in the snap's local metres), and Along must lead to OnPath.
func checkSnap(tb testing.TB, g *Graph, p orb.Point, s *Snap, main bool) {
	tb.Helper()
	q := g.local.Forward(p)
	dOn := math.Hypot(g.local.Forward(s.OnPath)[0]-q[0], g.local.Forward(s.OnPath)[1]-q[1])
	best := math.Inf(1)
	for e := range g.edgeFrom {
		if main && g.nodeComp[g.edgeFrom[e]] != 0 || g.tunnel[e] {
			continue
		}
		for k := g.geomOff[e]; k+1 < g.geomOff[e+1]; k++ {
			a, b := g.local.Forward(g.pts[k]), g.local.Forward(g.pts[k+1])
			t, d2 := geo.ProjectToSegment(q, a, b)
			if d := math.Sqrt(d2); d < best {
				// A segment nearer than the snap counts unless the leg
				// to it crosses a river (the slow check only then).
				if d+0.01 >= dOn {
					best = d
				} else if _, blocked := oracleLegWater(g, p, g.local.Inverse(geo.Lerp(a, b, t))); !blocked {
					best = d
				}
			}
		}
	}
	if dOn > best+0.01 {
		tb.Errorf("Snap(%v) onto edge %d is %.3f m away, a segment lies %.3f m away", p, s.Edge, dOn, best)
	}
	if d := geo.Distance(pointAlong(g, uint32(s.Edge), float64(s.Along)), s.OnPath); d > 0.01 {
		tb.Errorf("Snap(%v): Along %.3f m leads %.3f m from OnPath", p, s.Along, d)
	}
}

// pointAlong returns the point at metres along edge e.
func pointAlong(g *Graph, e uint32, along float64) orb.Point {
	pts := g.pts[g.geomOff[e]:g.geomOff[e+1]]
	var pos float64
	for k := 0; k+1 < len(pts); k++ {
		l := float64(geo.Distance(pts[k], pts[k+1]))
		if along <= pos+l {
			t := 0.0
			if l > 0 {
				t = (along - pos) / l
			}
			return geo.Lerp(pts[k], pts[k+1], t)
		}
		pos += l
	}
	return pts[len(pts)-1]
}

// oracleStats collects the largest differences seen.
type oracleStats struct {
	pairs, reached   int
	maxMatrix        float64 // ms, Matrix vs the reference
	maxWalk, maxNear float64 // ms, Walk vs Matrix; Nearest vs the reference
}

// compareWithOracle checks Matrix and Walk on every pair of from × to
// against the split-edge reference, and Nearest/NearestTo (the first few
// points of from, resp. to, as sources) against the reference's nearest
// source.
func compareWithOracle(t *testing.T, g *Graph, elev elevModel, from, to []orb.Point) oracleStats {
	t.Helper()
	o := newSplitOracle(t, g, elev, from, to)
	m, err := g.Matrix(context.Background(), from, to, &MatrixOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var st oracleStats
	ref := make([][]float64, len(from))
	refOK := make([][]bool, len(from))
	bad := 0
	fail := func(format string, a ...any) {
		bad++
		if bad <= 10 {
			t.Errorf(format, a...)
		}
	}
	for i := range from {
		ref[i], refOK[i] = make([]float64, len(to)), make([]bool, len(to))
		for j := range to {
			st.pairs++
			want, wok := o.pair(i, j)
			ref[i][j], refOK[i][j] = want, wok
			got, ok := m.Millis(i, j)
			w, werr := g.Walk(from[i], to[j])
			if ok != wok || ok != (werr == nil) {
				fail("%v→%v: Matrix reachable %v (%d ms), Walk err %v, reference reachable %v (%.1f ms)", from[i], to[j], ok, got, werr, wok, want)
				continue
			}
			if !ok {
				continue
			}
			st.reached++
			d := math.Abs(float64(got) - want)
			st.maxMatrix = max(st.maxMatrix, d)
			if d > oracleTolMs {
				fail("Matrix(%d,%d) %v→%v = %d ms, split-edge reference %.3f ms", i, j, from[i], to[j], got, want)
			}
			if dw := math.Abs(float64(msOf(float64(w.Seconds))) - float64(got)); dw != 0 {
				st.maxWalk = max(st.maxWalk, dw)
				fail("Walk(%d,%d) = %.3f s, Matrix %d ms", i, j, w.Seconds, got)
			}
		}
	}
	const k = 5
	limit := geo.Seconds(40 * 60)
	lim := 1000 * float64(limit)
	for _, reverse := range []bool{false, true} {
		sources, pts := from[:min(k, len(from))], to
		nearest := g.Nearest
		if reverse {
			sources, pts, nearest = to[:min(k, len(to))], from, g.NearestTo
		}
		reach, err := nearest(context.Background(), sources, limit)
		if err != nil {
			t.Fatal(err)
		}
		for j, p := range pts {
			refAt := func(s int) (float64, bool) {
				if reverse {
					return ref[j][s], refOK[j][s]
				}
				return ref[s][j], refOK[s][j]
			}
			want, wok := math.Inf(1), false
			for s := range sources {
				if d, ok := refAt(s); ok && d < want {
					want, wok = d, true
				}
			}
			src, sec, ok := reach.At(p)
			inLimit := wok && want <= lim
			if ok != inLimit && math.Abs(want-lim) > oracleTolMs {
				fail("reverse %v: point %d: reached %v, reference best %.1f ms (reachable %v, limit %.0f ms)", reverse, j, ok, want, wok, lim)
				continue
			}
			if !ok {
				continue
			}
			got := float64(msOf(float64(sec)))
			own, _ := refAt(src)
			st.maxNear = max(st.maxNear, math.Abs(got-want))
			if math.Abs(got-want) > oracleTolMs || math.Abs(own-want) > 2*oracleTolMs {
				fail("reverse %v: point %d: nearest %d at %.0f ms (reference %.1f ms for it), reference best %.1f ms", reverse, j, src, got, own, want)
			}
		}
	}
	return st
}

// queryPoints returns n points around g's edges: on them, beside them (up
// to maxOff metres), exactly at nodes, at densified vertices and beyond
// edge ends, so every snapping case comes up.
func queryPoints(r *rand.Rand, g *Graph, n int, maxOff float64) []orb.Point {
	pts := make([]orb.Point, 0, n)
	for len(pts) < n {
		e := uint32(r.IntN(g.Edges()))
		geom := g.pts[g.geomOff[e]:g.geomOff[e+1]]
		var p orb.Point
		switch r.IntN(8) {
		case 0: // a node
			p = g.nodePt[g.edgeFrom[e]]
		case 1: // a densified vertex
			p = geom[r.IntN(len(geom))]
		case 2: // on the edge
			p = pointAlong(g, e, r.Float64()*edgeLength(g, e))
		default: // beside it
			p = pointAlong(g, e, r.Float64()*edgeLength(g, e))
			l := geo.NewLocal(p)
			a, d := r.Float64()*2*math.Pi, r.Float64()*maxOff
			p = l.Inverse(orb.Point{d * math.Cos(a), d * math.Sin(a)})
		}
		pts = append(pts, p)
	}
	return pts
}

func TestOracleGrid(t *testing.T) {
	g, _ := gridFixture(t, 12, 120)
	r := rand.New(rand.NewPCG(*seed, 21))
	from, to := queryPoints(r, g, 60, 150), queryPoints(r, g, 60, 150)
	// Pairs on one edge: the same points as both ends, and close pairs.
	to = append(to, from[:10]...)
	st := compareWithOracle(t, g, hills{}, from, to)
	t.Logf("grid: %d pairs, %d reached, max |Δ| vs split-edge Dijkstra: matrix %.3f ms, nearest %.3f ms; walk vs matrix %.0f ms", st.pairs, st.reached, st.maxMatrix, st.maxNear, st.maxWalk)
}

// andorraInternal builds the Andorra graph for the tests inside the
// package (the external tests have their own copy, andorraGraph).
var andorraInternal struct {
	once sync.Once
	g    *Graph
	elev *dem.Mosaic
	err  error
}

func andorraInternalGraph(tb testing.TB) (*Graph, *dem.Mosaic) {
	tb.Helper()
	pbf := shareddata.Path(tb, "andorra/andorra.osm.pbf")
	hgt := shareddata.Path(tb, "andorra/N42E001.hgt.zip")
	a := &andorraInternal
	a.once.Do(func() {
		ctx := context.Background()
		net, err := osmnet.Read(ctx, pbf, nil)
		if err != nil {
			a.err = err
			return
		}
		if a.elev, a.err = dem.Open(hgt); a.err != nil {
			return
		}
		a.g, _, a.err = Build(ctx, net, a.elev, DefaultProfile(), nil)
	})
	if a.err != nil {
		tb.Fatalf("andorra: %v", a.err)
	}
	return a.g, a.elev
}

func TestOracleAndorra(t *testing.T) {
	g, elev := andorraInternalGraph(t)
	g.SetElevation(elev)
	r := rand.New(rand.NewPCG(*seed, 31))
	n := 60
	if os.Getenv("LASTMILE_LONG") != "" {
		n = 100
	}
	from, to := queryPoints(r, g, n, 1200), queryPoints(r, g, n, 1200)
	// A few pairs with both ends at the same place (same edge).
	copy(to[n-n/10:], from[:n/10])
	st := compareWithOracle(t, g, elev, from, to)
	t.Logf("andorra: %d pairs, %d reached, max |Δ| vs split-edge Dijkstra: matrix %.3f ms, nearest %.3f ms; walk vs matrix %.0f ms", st.pairs, st.reached, st.maxMatrix, st.maxNear, st.maxWalk)
}

func TestOracleDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo district: skipped in -short")
	}
	ctx := context.Background()
	files, err := demo.Generate(ctx, demo.Config{Seed: 3, Households: 500}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net, err := osmnet.Read(ctx, files.Paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	elev, err := dem.Open(files.DEM)
	if err != nil {
		t.Fatal(err)
	}
	g, rep, err := Build(ctx, net, elev, DefaultProfile(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(*seed, 41))
	from, to := queryPoints(r, g, 50, 1200), queryPoints(r, g, 50, 1200)
	copy(to[45:], from[:5])
	st := compareWithOracle(t, g, elev, from, to)
	t.Logf("demo (%d nodes, %d edges, crossings %+v): %d pairs, %d reached, max |Δ| vs split-edge Dijkstra: matrix %.3f ms, nearest %.3f ms; walk vs matrix %.0f ms",
		rep.Nodes, rep.Edges, rep.Crossings, st.pairs, st.reached, st.maxMatrix, st.maxNear, st.maxWalk)
}

// TestOracleSpecialShapes runs the reference on the awkward shapes: a
// closed loop way (a self-loop edge), two nodes at one position (a
// zero-length edge), parallel edges of different speed, a fragment beside
// the main network, a waded stream and steep slopes.
func TestOracleSpecialShapes(t *testing.T) {
	var f fixture
	main := f.line(0, 0, 1500, 0, 50)
	f.way("footway", main)
	// A closed loop hanging off node 10 of the main line.
	l1, l2, l3 := f.node(300, 100), f.node(400, 200), f.node(250, 250)
	f.way("path", []int32{main[10], l1, l2, l3, main[10]})
	// A loop way touching nothing: one node, one self-loop edge.
	s0 := f.node(900, 300)
	f.way("footway", []int32{s0, f.node(1000, 350), f.node(950, 420), s0})
	// Two nodes at one position joined by a zero-length way, then a spur.
	z1, z2 := f.node(600, -200), f.node(600, -200)
	f.way("footway", []int32{main[20], z1})
	f.way("footway", []int32{z1, z2})
	f.way("footway", []int32{z2, f.node(700, -300)})
	// A parallel slow way between main[30] and main[40].
	f.way("path", []int32{main[30], f.node(1050, 40), main[40]}, func(w *wayInput) { w.Surface = "mud" })
	// A fragment north of the line.
	f.way("footway", []int32{f.node(1200, 250), f.node(1260, 250)})
	f.water("stream", 0, [2]float64{450, -400}, [2]float64{450, 400})
	dem := hills{}
	g, _ := f.build(t, dem, DefaultProfile())
	r := rand.New(rand.NewPCG(*seed, 51))
	from, to := queryPoints(r, g, 70, 300), queryPoints(r, g, 70, 300)
	copy(to[60:], from[:10])
	st := compareWithOracle(t, g, dem, from, to)
	t.Logf("special shapes: %d pairs, %d reached, max |Δ| vs split-edge Dijkstra: matrix %.3f ms, nearest %.3f ms; walk vs matrix %.0f ms", st.pairs, st.reached, st.maxMatrix, st.maxNear, st.maxWalk)
}

// TestSaveLoadAndorra: the stored Andorra graph, loaded and given its DEM
// back, answers every query as the built one does.
func TestSaveLoadAndorra(t *testing.T) {
	g, elev := andorraInternalGraph(t)
	loaded := saveLoad(t, g)
	loaded.SetElevation(elev)
	r := rand.New(rand.NewPCG(*seed, 61))
	from, to := queryPoints(r, g, 60, 1200), queryPoints(r, g, 60, 1200)
	m1, err := g.Matrix(context.Background(), from, to, &MatrixOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := loaded.Matrix(context.Background(), from, to, &MatrixOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for i := range from {
		for j := range to {
			a, aok := m1.Millis(i, j)
			b, bok := m2.Millis(i, j)
			if a != b || aok != bok {
				t.Errorf("(%d,%d): built %d ms %v, loaded %d ms %v", i, j, a, aok, b, bok)
				continue
			}
			same++
		}
	}
	for k := 0; k < 20; k++ {
		a, errA := g.Walk(from[k], to[k])
		b, errB := loaded.Walk(from[k], to[k])
		if (errA == nil) != (errB == nil) || a.Seconds != b.Seconds || a.Meters != b.Meters || len(a.Path) != len(b.Path) {
			t.Errorf("Walk %d: built %.3f s %.1f m (%v), loaded %.3f s %.1f m (%v)", k, a.Seconds, a.Meters, errA, b.Seconds, b.Meters, errB)
		}
	}
	t.Logf("andorra stored and loaded: %d of %d matrix cells identical", same, len(from)*len(to))
}
