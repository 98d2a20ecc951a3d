package routing

import (
	"context"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing/shortest"
	"github.com/paulmach/orb"
)

var seed = flag.Uint64("seed", 1, "seed for the randomised routing tests")

func offPath(m, slope float64, prof Profile) float64 {
	return m * 3.6 / (Tobler(slope) * prof.OffPathFactor)
}

func TestSnap(t *testing.T) {
	var f fixture
	f.way("footway", []int32{f.node(0, 0), f.node(1000, 0)})
	g, _ := f.build(t, nil, DefaultProfile())
	tests := []struct {
		name        string
		p           orb.Point
		along, dist float64
		onPath      orb.Point
		tooFar      bool
	}{
		{"beside middle", xy(500, 100), 500, 100, xy(500, 0), false},
		{"on the path", xy(250, 0), 250, 0, xy(250, 0), false},
		{"beyond the end", xy(1100, 0), 1000, 100, xy(1000, 0), false},
		{"before the start", xy(-30, -40), 0, 50, xy(0, 0), false},
		{"too far", xy(500, 2000), 500, 2000, xy(500, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := g.Snap(tt.p)
			if tt.tooFar != errors.Is(err, ErrTooFar) {
				t.Fatalf("Snap err = %v, want too far %v", err, tt.tooFar)
			}
			if math.Abs(float64(s.Along)-tt.along) > 0.5 || math.Abs(float64(s.Distance)-tt.dist) > 0.5 {
				t.Errorf("Snap along, dist = %.2f, %.2f, want %v, %v", s.Along, s.Distance, tt.along, tt.dist)
			}
			if d := geo.Distance(s.OnPath, tt.onPath); d > 0.5 {
				t.Errorf("OnPath %v is %.2f m from %v", s.OnPath, d, tt.onPath)
			}
		})
	}
}

func TestWalkSameEdge(t *testing.T) {
	prof := DefaultProfile()
	var f fixture
	f.way("footway", []int32{f.node(0, 0), f.node(1000, 0)})
	g, _ := f.build(t, plane{sx: 0.1}, prof)
	g.SetElevation(plane{sx: 0.1})
	// 50 m off-path on the flat (north-south legs have no slope here),
	// then 500 m along the edge, up or down.
	up, err := g.Walk(xy(200, 50), xy(700, -30))
	if err != nil {
		t.Fatal(err)
	}
	want := offPath(50, 0, prof) + edgeTime(500, 0.1, 1) + offPath(30, 0, prof)
	if !near(float64(up.Seconds), want, relTol) {
		t.Errorf("uphill same-edge walk = %.1f s, want %.1f", up.Seconds, want)
	}
	down, err := g.Walk(xy(700, -30), xy(200, 50))
	if err != nil {
		t.Fatal(err)
	}
	want = offPath(30, 0, prof) + edgeTime(500, -0.1, 1) + offPath(50, 0, prof)
	if !near(float64(down.Seconds), want, relTol) {
		t.Errorf("downhill same-edge walk = %.1f s, want %.1f", down.Seconds, want)
	}
	if !near(float64(up.Meters), 580, 0.002) || !near(float64(up.Ascent), 50, 0.01) {
		t.Errorf("meters, ascent = %.1f, %.1f, want 580, 50", up.Meters, up.Ascent)
	}
	if up.Path[0] != xy(200, 50) || up.Path[len(up.Path)-1] != xy(700, -30) {
		t.Errorf("path runs %v … %v", up.Path[0], up.Path[len(up.Path)-1])
	}
	// The off-path leg has its own slope: the point is 100 m east of the
	// path's end and 10 m above it.
	s, err := g.Snap(xy(1100, 0))
	if err != nil {
		t.Fatal(err)
	}
	if want := offPath(100, -0.1, prof); !near(float64(s.Out), want, relTol) {
		t.Errorf("off-path leg out = %.1f s, want %.1f", s.Out, want)
	}
	if want := offPath(100, 0.1, prof); !near(float64(s.In), want, relTol) {
		t.Errorf("off-path leg in = %.1f s, want %.1f", s.In, want)
	}
}

func TestWalkComponents(t *testing.T) {
	var f fixture
	f.way("footway", []int32{f.node(0, 0), f.node(1000, 0)})
	f.way("footway", []int32{f.node(0, 500), f.node(1000, 500)})
	f.way("footway", []int32{f.node(0, 520), f.node(0, 600)})
	prof := DefaultProfile()
	prof.FragmentNodes = 0
	g, rep := f.build(t, nil, prof)
	if rep.Components != 3 {
		t.Fatalf("components = %d, want 3", rep.Components)
	}
	if _, err := g.Walk(xy(10, 10), xy(900, 490)); !errors.Is(err, ErrNoRoute) {
		t.Errorf("Walk across components: err = %v, want ErrNoRoute", err)
	}
	if _, err := g.Walk(xy(10, 10), xy(500, 3000)); !errors.Is(err, ErrTooFar) {
		t.Errorf("Walk to a far point: err = %v, want ErrTooFar", err)
	}
	m, err := g.Matrix(context.Background(), []orb.Point{xy(10, 10)}, []orb.Point{xy(900, 10), xy(900, 490), xy(500, 3000)}, &MatrixOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.At(0, 0); !ok {
		t.Errorf("same component unreachable")
	}
	if _, ok := m.At(0, 1); ok {
		t.Errorf("other component reachable")
	}
	if _, ok := m.At(0, 2); ok || !errors.Is(m.ToErr[2], ErrTooFar) {
		t.Errorf("far point: ok %v, err %v", ok, m.ToErr[2])
	}
}

// gridFixture is a hilly grid of footways with some diagonal tracks and a
// stream, for randomised comparisons.
func gridFixture(tb testing.TB, n int, spacing float64) (*Graph, orb.Bound) {
	tb.Helper()
	var f fixture
	ids := make([][]int32, n)
	for i := range ids {
		ids[i] = make([]int32, n)
		for j := range ids[i] {
			ids[i][j] = f.node(float64(i)*spacing, float64(j)*spacing)
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j+1 < n; j++ {
			f.way("footway", []int32{ids[i][j], ids[i][j+1]})
			f.way("path", []int32{ids[j][i], ids[j+1][i]}, func(w *wayInput) {
				if (i+j)%3 == 0 {
					w.Surface = "grass"
				}
			})
		}
	}
	for i := 0; i+1 < n; i += 2 {
		f.way("track", []int32{ids[i][i], ids[i+1][i+1]})
	}
	f.water("stream", 0, [2]float64{-5, 0.5 * spacing}, [2]float64{float64(n) * spacing, 2.5 * spacing})
	g, _ := f.build(tb, hills{}, DefaultProfile())
	g.SetElevation(hills{})
	return g, orb.Bound{Min: xy(0, 0), Max: xy(float64(n-1)*spacing, float64(n-1)*spacing)}
}

// hills is a smooth DEM with slopes of up to about 15 %.
type hills struct{}

func (hills) Bound() orb.Bound { return orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}} }

func (hills) Elevation(q orb.Point) (float64, bool) {
	m := fixLocal.Forward(q)
	return 300 + 40*math.Sin(m[0]/300) + 30*math.Cos(m[1]/250), true
}

func randomPoints(r *rand.Rand, b orb.Bound, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])}
	}
	return pts
}

func TestMatrixAgainstReference(t *testing.T) {
	g, b := gridFixture(t, 12, 120)
	r := rand.New(rand.NewPCG(*seed, 7))
	from, to := randomPoints(r, b, 15), randomPoints(r, b, 17)
	m, err := g.Matrix(context.Background(), from, to, &MatrixOptions{Workers: 2, Lengths: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range from {
		for j := range to {
			got, ok := m.Millis(i, j)
			if l, lok := m.Length(i, j); lok != ok {
				t.Errorf("Length(%d,%d) ok = %v, At ok = %v", i, j, lok, ok)
			} else if ok {
				if w, err := g.WalkSnapped(m.FromSnaps[i], m.ToSnaps[j]); err != nil || math.Abs(float64(w.Meters-l)) > 0.01 {
					t.Errorf("Length(%d,%d) = %v m, WalkSnapped %v m (%v)", i, j, l, w.Meters, err)
				}
			}
			// Reference: plain Dijkstra on the CSR graph with the same
			// seeds, then the same-edge shortcut.
			sf, st := m.FromSnaps[i], m.ToSnaps[j]
			want, _, wok := g.sg.Query(g.sourceSeeds(&sf), g.targetSeeds(&st))
			if d, _, _, ok := g.direct(&sf, &st); ok && (!wok || d < want) {
				want, wok = d, true
			}
			if d, _, ok := g.straight(&sf, &st); ok && (!wok || d < want) {
				want, wok = d, true
			}
			if ok != wok || got != want {
				t.Errorf("Matrix(%d,%d) = %d ms %v, reference %d ms %v", i, j, got, ok, want, wok)
			}
			w, err := g.Walk(from[i], to[j])
			if err != nil || msOf(float64(w.Seconds)) != got {
				t.Errorf("Walk(%d,%d) = %v s (%v), matrix %d ms", i, j, w.Seconds, err, got)
			}
			// The route's geometry is as long as its reported length.
			if err == nil {
				var l float64
				for k := 0; k+1 < len(w.Path); k++ {
					l += float64(geo.Distance(w.Path[k], w.Path[k+1]))
				}
				if math.Abs(l-float64(w.Meters)) > 0.01*l+1 {
					t.Errorf("Walk(%d,%d): path length %.1f, Meters %.1f", i, j, l, w.Meters)
				}
				// Its time is within Tobler's bounds: no faster than 6 km/h.
				if float64(w.Seconds) < float64(w.Meters)*3.6/6-1 {
					t.Errorf("Walk(%d,%d): %.0f m in %.0f s is faster than 6 km/h", i, j, w.Meters, w.Seconds)
				}
			}
		}
	}
}

func TestNearest(t *testing.T) {
	for _, reverse := range []bool{false, true} {
		testNearest(t, reverse)
	}
}

func testNearest(t *testing.T, reverse bool) {
	g, b := gridFixture(t, 10, 150)
	r := rand.New(rand.NewPCG(*seed, 11))
	sources, pts := randomPoints(r, b, 4), randomPoints(r, b, 30)
	// Two sources on one edge as a point: same-edge walks count.
	pts = append(pts, sources[0])
	limit := geo.Seconds(15 * 60)
	nearest, from, to := g.Nearest, sources, pts
	if reverse {
		nearest, from, to = g.NearestTo, pts, sources
	}
	reach, err := nearest(context.Background(), sources, limit)
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.Matrix(context.Background(), from, to, &MatrixOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	at := func(i, j int) (uint32, bool) {
		if reverse {
			return m.Millis(j, i)
		}
		return m.Millis(i, j)
	}
	for j, p := range pts {
		wantSrc, want := -1, uint32(math.MaxUint32)
		for i := range sources {
			if d, ok := at(i, j); ok && d < want {
				wantSrc, want = i, d
			}
		}
		src, sec, ok := reach.At(p)
		if wantOK := want <= msOf(float64(limit)); ok != wantOK {
			t.Errorf("reverse %v: point %d: reached %v, want %v (best %d ms)", reverse, j, ok, wantOK, want)
			continue
		}
		if ok && (msOf(float64(sec)) != want || src != wantSrc) {
			t.Errorf("reverse %v: point %d: nearest %d at %v s, want %d at %d ms", reverse, j, src, sec, wantSrc, want)
		}
	}
}

func TestEdgeWeightsMatchEngine(t *testing.T) {
	g, _ := gridFixture(t, 5, 100)
	// Every arc of the engine graph is one of the edges' two weights.
	for e := 0; e < g.Edges(); e++ {
		u, v := g.edgeFrom[e], g.edgeTo[e]
		d, _, ok := g.sg.Query([]shortest.Seed{{Node: u}}, []shortest.Seed{{Node: v}})
		if !ok || d > g.fwd[e] {
			t.Errorf("edge %d: engine %d→%d = %d ms (%v), edge weight %d", e, u, v, d, ok, g.fwd[e])
		}
	}
}

func TestWalkFromFragment(t *testing.T) {
	// A main network of 60 nodes and, 300 m north of it, a 2-node footway
	// fragment beside a house.
	var f fixture
	f.way("footway", f.line(0, 0, 1200, 0, 59))
	f.way("footway", []int32{f.node(500, 300), f.node(520, 300)})
	prof := DefaultProfile()
	g, rep := f.build(t, nil, prof)
	if rep.Components != 2 {
		t.Fatalf("components = %d, want 2", rep.Components)
	}
	house := xy(510, 310)
	s, err := g.Snap(house)
	if err != nil {
		t.Fatal(err)
	}
	if s.Component != 1 || s.Main == nil || s.Main.Component != 0 || math.Abs(float64(s.Main.Distance)-310) > 0.5 {
		t.Fatalf("snap = component %d, main %+v; want the fragment, and the main network 310 m away", s.Component, s.Main)
	}
	r, err := g.Walk(house, xy(1000, -10))
	if err != nil {
		t.Fatalf("walk from the fragment: %v", err)
	}
	want := offPath(310, 0, prof) + edgeTime(490, 0, 1) + offPath(10, 0, prof)
	if !near(float64(r.Seconds), want, relTol) {
		t.Errorf("walk = %.1f s, want %.1f (straight to the main network)", r.Seconds, want)
	}
	if !near(float64(r.Meters), 810, 0.01) {
		t.Errorf("walk = %.1f m, want about 810", r.Meters)
	}
	// Two points on the fragment still walk along it.
	r, err = g.Walk(xy(501, 301), xy(519, 301))
	if err != nil || r.Meters > 25 {
		t.Errorf("walk along the fragment = %.1f m, %v", r.Meters, err)
	}
	m, err := g.Matrix(context.Background(), []orb.Point{house}, []orb.Point{xy(1000, -10)}, &MatrixOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := m.Millis(0, 0); !ok || d != msOf(float64(r0(g, house, xy(1000, -10)))) {
		t.Errorf("matrix = %d ms %v, walk %v", d, ok, r0(g, house, xy(1000, -10)))
	}
	prof.FragmentNodes = 0
	g, _ = f.build(t, nil, prof)
	if _, err := g.Walk(house, xy(1000, -10)); !errors.Is(err, ErrNoRoute) {
		t.Errorf("fragment_max_nodes 0: err = %v, want ErrNoRoute", err)
	}
}

func r0(g *Graph, a, b orb.Point) geo.Seconds {
	r, _ := g.Walk(a, b)
	return r.Seconds
}

// TestBuiltGraphOffPathSlope: a graph built with a DEM gives off-path legs
// their slope without SetElevation, as the stored graph does once the CLI
// reopens its DEM, so the same query gives the same minutes before and
// after Save/Load.
func TestBuiltGraphOffPathSlope(t *testing.T) {
	prof := DefaultProfile()
	var f fixture
	f.way("footway", []int32{f.node(0, 0), f.node(1000, 0)})
	dem := plane{sx: 0.1}
	g, _ := f.build(t, dem, prof)
	// 100 m east of the path's end and 10 m above it.
	s, err := g.Snap(xy(1100, 0))
	if err != nil {
		t.Fatal(err)
	}
	if want := offPath(100, -0.1, prof); !near(float64(s.Out), want, relTol) {
		t.Errorf("built graph: off-path leg out = %.1f s, want %.1f (downhill)", s.Out, want)
	}
	if want := offPath(100, 0.1, prof); !near(float64(s.In), want, relTol) {
		t.Errorf("built graph: off-path leg in = %.1f s, want %.1f (uphill)", s.In, want)
	}
	loaded := saveLoad(t, g)
	loaded.SetElevation(dem)
	for _, pair := range [][2]orb.Point{{xy(1100, 0), xy(300, 80)}, {xy(300, 80), xy(1100, 0)}} {
		a, errA := g.Walk(pair[0], pair[1])
		b, errB := loaded.Walk(pair[0], pair[1])
		if errA != nil || errB != nil || a.Seconds != b.Seconds {
			t.Errorf("Walk(%v, %v): built %.3f s (%v), loaded %.3f s (%v)", pair[0], pair[1], a.Seconds, errA, b.Seconds, errB)
		}
	}
}

// TestStraightBetweenNeighbours: points nearer to each other than to the
// paths (a compound, a hamlet off the mapped paths) walk straight between
// them, not out to the path and back; a point to itself takes no time.
func TestStraightBetweenNeighbours(t *testing.T) {
	prof := DefaultProfile()
	var f fixture
	f.way("footway", []int32{f.node(0, 0), f.node(1000, 0)})
	dem := plane{sy: 0.05} // 5 % up to the north
	g, _ := f.build(t, dem, prof)
	viaPath := func(d1, d2, along float64) float64 {
		return offPath(d1, -0.05, prof) + edgeTime(along, 0, 1) + offPath(d2, 0.05, prof)
	}
	tests := []struct {
		name     string
		from, to orb.Point
		want     float64
	}{
		{"same point", xy(500, 300), xy(500, 300), 0},
		{"neighbours", xy(500, 300), xy(520, 300), offPath(20, 0, prof)},
		{"uphill neighbour", xy(500, 300), xy(500, 340), offPath(40, 0.05, prof)},
		{"downhill neighbour", xy(500, 340), xy(500, 300), offPath(40, -0.05, prof)},
		{"far apart: by the path", xy(100, 50), xy(900, 50), viaPath(50, 50, 800)},
		{"beyond the longer leg: by the path", xy(500, 100), xy(620, 60), viaPath(100, 60, 120)},
		{"on the path", xy(100, 0), xy(300, 0), edgeTime(200, 0, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := g.Walk(tt.from, tt.to)
			if err != nil || !near(float64(r.Seconds), tt.want, relTol) {
				t.Fatalf("Walk = %.1f s (%v), want %.1f", r.Seconds, err, tt.want)
			}
			m, err := g.Matrix(context.Background(), []orb.Point{tt.from}, []orb.Point{tt.to}, &MatrixOptions{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := m.Millis(0, 0); !ok || d != msOf(float64(r.Seconds)) {
				t.Errorf("Matrix = %d ms %v, Walk %.3f s", d, ok, r.Seconds)
			}
			for _, reverse := range []bool{false, true} {
				nearest, src, pt := g.Nearest, tt.from, tt.to
				if reverse {
					nearest, src, pt = g.NearestTo, tt.to, tt.from
				}
				reach, err := nearest(context.Background(), []orb.Point{src}, 3600)
				if err != nil {
					t.Fatal(err)
				}
				if _, sec, ok := reach.At(pt); !ok || msOf(float64(sec)) != msOf(float64(r.Seconds)) {
					t.Errorf("reverse %v: Reach.At = %.3f s %v, Walk %.3f s", reverse, sec, ok, r.Seconds)
				}
			}
		})
	}
}

// TestSnapSkipsTunnels: a house above a tunnel cannot step into it; it
// snaps to the nearest path it can reach, in the built and the stored
// graph alike.
func TestSnapSkipsTunnels(t *testing.T) {
	var f fixture
	a, b := f.node(0, 0), f.node(1000, 0)
	c, d := f.node(0, 200), f.node(1000, 200)
	f.way("footway", []int32{a, b})
	f.way("footway", []int32{a, c})
	f.way("footway", []int32{b, d})
	f.way("primary", []int32{c, d}, func(w *wayInput) { w.Tunnel = true })
	g, _ := f.build(t, nil, DefaultProfile())
	loaded := saveLoad(t, g)
	for name, gr := range map[string]*Graph{"built": g, "loaded": loaded} {
		s, err := gr.Snap(xy(500, 190))
		if err != nil {
			t.Fatal(err)
		}
		if w := gr.Edge(s.Edge).WayID; w == 4 || math.Abs(float64(s.Distance)-190) > 0.5 {
			t.Errorf("%s: Snap above the tunnel = way %d, %.1f m off; want the footway 190 m away", name, w, s.Distance)
		}
		// Walking through the tunnel from its portals still works.
		if r, err := gr.Walk(xy(0, 210), xy(1000, 210)); err != nil || !near(float64(r.Seconds), offPath(10, 0, DefaultProfile())*2+edgeTime(1000, 0, 0.95), relTol) {
			t.Errorf("%s: Walk through the tunnel = %.1f s (%v)", name, r.Seconds, err)
		}
	}
}

// saveLoad stores g in a fresh GeoPackage and loads it back, as
// lastmile graph and lastmile walk do.
func saveLoad(t testing.TB, g *Graph) *Graph {
	t.Helper()
	path := filepath.Join(t.TempDir(), "g.gpkg")
	if err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error { return g.Save(tx, nil) }); err != nil {
		t.Fatal(err)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loaded, err := Load(db)
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

// TestMayWalkStraight: the chord filter never passes over a pair that
// geo.Distance puts within the limit (a pair straight would take), from
// centimetres to hundreds of kilometres, at the equator and near a pole.
func TestMayWalkStraight(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 13))
	passed := 0
	for range 200000 {
		a := orb.Point{rng.Float64()*360 - 180, rng.Float64()*178 - 89}
		scale := math.Pow(10, rng.Float64()*8-7) // 1e-7 .. 10 degrees
		b := orb.Point{a[0] + (rng.Float64()*2-1)*scale, math.Max(-90, math.Min(90, a[1]+(rng.Float64()*2-1)*scale))}
		d := geo.Distance(a, b)
		for _, limit := range []geo.Meters{d, d * (1 + 1e-12), d * 1.001} {
			if !mayWalkStraight(unitVector(a), unitVector(b), limit) {
				t.Fatalf("%v–%v: %v m apart, limit %v m: passed over", a, b, float64(d), float64(limit))
			}
		}
		if !mayWalkStraight(unitVector(a), unitVector(b), d*0.9-0.01) {
			passed++
		}
	}
	// It does filter: most pairs a tenth farther than the limit are refused.
	if passed < 150000 {
		t.Errorf("only %d of 200000 pairs beyond the limit refused", passed)
	}
}
