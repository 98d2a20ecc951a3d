package routing

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

func TestTobler(t *testing.T) {
	tests := []struct {
		slope, want float64
	}{
		{-0.05, 6},                      // the peak of the curve
		{0, 6 * math.Exp(-3.5*0.05)},    // 5.036 km/h on the flat
		{0.1, 6 * math.Exp(-3.5*0.15)},  // 3.549 km/h up 10 %
		{-0.1, 6 * math.Exp(-3.5*0.05)}, // down 10 % is as fast as flat
		{0.5, 6 * math.Exp(-3.5*0.55)},  // steep: under 1 km/h
	}
	for _, tt := range tests {
		if got := Tobler(tt.slope); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Tobler(%v) = %v, want %v", tt.slope, got, tt.want)
		}
	}
	// The reference values, independently rounded.
	for _, c := range []struct{ s, want, tol float64 }{{-0.05, 6, 1e-9}, {0, 5.04, 0.005}, {0.1, 3.55, 0.005}} {
		if got := Tobler(c.s); math.Abs(got-c.want) > c.tol {
			t.Errorf("Tobler(%v) = %.4f, want %v ± %v", c.s, got, c.want, c.tol)
		}
	}
}

// edgeTime is the expected seconds for a straight edge of m metres at a
// constant slope and factor.
func edgeTime(m, slope, factor float64) float64 { return m * 3.6 / (Tobler(slope) * factor) }

func TestSlopeAsymmetry(t *testing.T) {
	var f fixture
	a, b := f.node(0, 0), f.node(1000, 0)
	f.way("footway", []int32{a, b})
	g, rep := f.build(t, plane{z0: 100, sx: 0.1}, DefaultProfile())
	if g.Edges() != 1 || g.Nodes() != 2 {
		t.Fatalf("graph has %d nodes, %d edges, want 2, 1", g.Nodes(), g.Edges())
	}
	e := g.Edge(0)
	wantF, wantB := edgeTime(1000, 0.1, 1), edgeTime(1000, -0.1, 1)
	if !near(float64(e.Forward), wantF, relTol) || !near(float64(e.Backward), wantB, relTol) {
		t.Errorf("uphill/downhill = %.1f/%.1f s, want %.1f/%.1f", e.Forward, e.Backward, wantF, wantB)
	}
	if e.Forward <= e.Backward {
		t.Errorf("uphill %v not slower than downhill %v", e.Forward, e.Backward)
	}
	if !near(float64(e.Ascent), 100, relTol) || e.Descent > 0.01 {
		t.Errorf("ascent/descent = %v/%v, want 100/0", e.Ascent, e.Descent)
	}
	if rep.PercentNoElevation != 0 {
		t.Errorf("no-elevation share %v, want 0", rep.PercentNoElevation)
	}
}

func TestDensify(t *testing.T) {
	for _, step := range []float64{30, 7, 100} {
		var f fixture
		f.way("path", []int32{f.node(0, 0), f.node(1234, 321), f.node(1300, 2000), f.node(1301, 2001)})
		prof := DefaultProfile()
		prof.DensifyStep = step
		g, _ := f.build(t, plane{sx: 0.05}, prof)
		for e := 0; e < g.Edges(); e++ {
			ls := g.Edge(EdgeID(e)).Geometry
			for i := 0; i+1 < len(ls); i++ {
				if d := geo.Distance(ls[i], ls[i+1]); float64(d) > step+1e-6 {
					t.Errorf("step %v: points %d-%d are %.2f m apart", step, i, i+1, d)
				}
			}
		}
	}
}

func TestJunctions(t *testing.T) {
	// A cross: two ways sharing the middle node, plus a way touching the
	// end of another.
	var f fixture
	c := f.node(0, 0)
	w, e, n, s := f.node(-100, 0), f.node(100, 0), f.node(0, 100), f.node(0, -100)
	f.way("path", []int32{w, c, e})
	f.way("path", []int32{n, c, s})
	x := f.node(100, 100)
	f.way("path", []int32{e, x})
	g, rep := f.build(t, nil, DefaultProfile())
	if g.Nodes() != 6 || g.Edges() != 5 {
		t.Errorf("nodes, edges = %d, %d, want 6, 5", g.Nodes(), g.Edges())
	}
	if rep.Components != 1 || !near(rep.PercentNoElevation, 100, 1e-9) {
		t.Errorf("components %d, no-elevation %v %%, want 1, 100", rep.Components, rep.PercentNoElevation)
	}
	if len(rep.Warnings) == 0 {
		t.Errorf("no warning for a nil DEM")
	}
}

func TestCrossings(t *testing.T) {
	flat := edgeTime(400, 0, 1)
	prof := DefaultProfile()
	// The two halves left by a removed segment are tiny fragments here;
	// walking off-path from one to the other would hide the barrier.
	prof.FragmentNodes = 0
	pen := 15 * 60.0
	tests := []struct {
		name      string
		setup     func(f *fixture, a, b int32)
		wantCross Crossing
		wantSec   float64 // forward time of the a→b path, 0 = no route
	}{
		{"no water", func(f *fixture, a, b int32) { f.way("footway", []int32{a, b}) }, CrossNone, flat},
		{"stream penalty", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			f.water("stream", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossPenalty, flat + pen},
		{"ditch free", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			f.water("ditch", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossNone, flat},
		{"bridge", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b}, func(w *wayInput) { w.Bridge = true })
			f.water("river", 50, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossBridge, flat},
		{"road on implicit bridge", func(f *fixture, a, b int32) {
			f.way("residential", []int32{a, b})
			f.water("river", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossBridge, flat},
		{"ford on a road", func(f *fixture, a, b int32) {
			f.way("unclassified", []int32{a, b}, func(w *wayInput) { w.Ford = true })
			f.water("stream", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossFord, flat},
		{"road ford on a wide river", func(f *fixture, a, b int32) {
			f.way("unclassified", []int32{a, b}, func(w *wayInput) { w.Ford = true })
			f.water("river", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossNone, 0},
		{"beside a bridge way", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			f.way("footway", []int32{f.node(190, 12), f.node(210, 12)}, func(w *wayInput) { w.Bridge = true })
			f.water("river", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossBridge, flat},
		{"ford way", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b}, func(w *wayInput) { w.Ford = true })
			f.water("stream", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossFord, flat},
		{"ford node near", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			fn := f.node(205, 3)
			f.in.Ford[fn] = true
			f.water("stream", 0, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossFord, flat},
		{"two streams", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			f.water("stream", 0, [2]float64{100, -50}, [2]float64{100, 50})
			f.water("stream", 0, [2]float64{300, -50}, [2]float64{300, 50})
		}, CrossPenalty, flat + 2*pen},
		{"narrow river waded", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			f.water("river", 8, [2]float64{200, -50}, [2]float64{200, 50})
		}, CrossPenalty, flat + pen},
		{"wide river impassable", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			f.water("river", 0, [2]float64{200, -50}, [2]float64{200, 50}) // default width 20 m
		}, CrossNone, 0},
		{"lake impassable", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b})
			f.area(150, -50, 250, 50)
		}, CrossNone, 0},
		{"bridge over lake", func(f *fixture, a, b int32) {
			f.way("footway", []int32{a, b}, func(w *wayInput) { w.Bridge = true })
			f.area(150, -50, 250, 50)
		}, CrossNone, flat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f fixture
			a, b := f.node(0, 0), f.node(400, 0)
			tt.setup(&f, a, b)
			// Split the way's one segment in three so that removing the
			// middle one leaves two pieces.
			w := &f.in.Ways[0]
			w.Nodes = []int32{a, f.node(100, 0), f.node(300, 0), b}
			g, rep := f.build(t, nil, prof)
			r, err := g.Walk(xy(0, 0), xy(400, 0))
			if tt.wantSec == 0 {
				if !errors.Is(err, ErrNoRoute) {
					t.Fatalf("Walk = %v, %v; want ErrNoRoute", r.Seconds, err)
				}
				if rep.Crossings.RemovedRiver+rep.Crossings.RemovedWater == 0 {
					t.Errorf("report counts no removed segment: %+v", rep.Crossings)
				}
				return
			}
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			if !near(float64(r.Seconds), tt.wantSec, relTol) {
				t.Errorf("Walk = %.1f s, want %.1f", r.Seconds, tt.wantSec)
			}
			if got := g.Edge(0).Crossing; got != tt.wantCross {
				t.Errorf("crossing = %q, want %q", got, tt.wantCross)
			}
			// Penalties apply in both directions.
			back, err := g.Walk(xy(400, 0), xy(0, 0))
			if err != nil || !near(float64(back.Seconds), tt.wantSec, relTol) {
				t.Errorf("Walk back = %.1f s, %v; want %.1f", back.Seconds, err, tt.wantSec)
			}
		})
	}
}

func TestSharedNodeCrossingCountedOnce(t *testing.T) {
	// The stream passes through a node of the path (mapped as connected).
	var f fixture
	a, m, b := f.node(0, 0), f.node(200, 0), f.node(400, 0)
	f.way("footway", []int32{a, m, b})
	f.water("stream", 0, [2]float64{200, -50}, [2]float64{200, 0}, [2]float64{200, 50})
	_, rep := f.build(t, nil, DefaultProfile())
	if rep.Crossings.Penalty != 1 {
		t.Errorf("penalty crossings = %d, want 1", rep.Crossings.Penalty)
	}
}

func TestDEMCoverage(t *testing.T) {
	var f fixture
	f.way("footway", []int32{f.node(0, 0), f.node(1000, 0)})
	g, rep := f.build(t, plane{z0: 50, sx: 0.05, limitX: 750}, DefaultProfile())
	if math.Abs(rep.PercentNoElevation-25) > 3.5 {
		t.Errorf("no-elevation share = %.1f %%, want about 25", rep.PercentNoElevation)
	}
	if len(rep.Warnings) != 1 {
		t.Errorf("warnings = %q, want one", rep.Warnings)
	}
	// Flat where uncovered: uphill on the first 750 m, flat after.
	want := edgeTime(float64(geo.Distance(xy(0, 0), xy(750, 0))), 0.05, 1)
	want += edgeTime(float64(geo.Distance(xy(750, 0), xy(1000, 0))), 0, 1)
	if got := float64(g.Edge(0).Forward); math.Abs(got-want) > 0.03*want {
		t.Errorf("forward = %.1f s, want about %.1f", got, want)
	}
}

func TestFactors(t *testing.T) {
	prof := DefaultProfile()
	var f fixture
	a, b, c := f.node(0, 0), f.node(500, 0), f.node(1000, 0)
	f.way("steps", []int32{a, b})
	f.way("path", []int32{b, c}, func(w *wayInput) { w.SAC = "demanding_mountain_hiking"; w.Surface = "grass" })
	g, _ := f.build(t, nil, prof)
	steps, path := g.Edge(0), g.Edge(1)
	if want := edgeTime(500, 0, prof.ClassFactor["steps"]); !near(float64(steps.Forward), want, relTol) {
		t.Errorf("steps = %.1f s, want %.1f", steps.Forward, want)
	}
	fac := prof.ClassFactor["path"] * prof.SurfaceFactor["grass"] * prof.SACFactor["demanding_mountain_hiking"]
	if want := edgeTime(500, 0, fac); !near(float64(path.Forward), want, relTol) {
		t.Errorf("demanding path = %.1f s, want %.1f", path.Forward, want)
	}
}

func TestDeterministicWorkers(t *testing.T) {
	var f fixture
	var prev []int32
	for i := 0; i < 40; i++ {
		line := f.line(float64(i*50), 0, float64(i*50), 2000, 7)
		f.way("path", line)
		if i > 0 {
			f.way("track", []int32{prev[3], line[3]})
		}
		prev = line
	}
	f.water("stream", 0, [2]float64{-10, 1000}, [2]float64{3000, 1100})
	ref, _, err := buildGraph(context.Background(), &f.in, plane{sx: 0.02, sy: 0.07}, DefaultProfile(), &BuildOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 5} {
		g, _, err := buildGraph(context.Background(), &f.in, plane{sx: 0.02, sy: 0.07}, DefaultProfile(), &BuildOptions{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if a, b := ref.arraysHash(), g.arraysHash(); a != b {
			t.Errorf("workers %d: hash %s, want %s", w, b, a)
		}
	}
}

func TestBuildCancelAndProgress(t *testing.T) {
	var f fixture
	for i := 0; i < 50; i++ {
		f.way("path", f.line(float64(i*40), 0, float64(i*40), 500, 3))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := buildGraph(ctx, &f.in, nil, DefaultProfile(), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled build: err = %v, want context.Canceled", err)
	}
	phases := map[string]float64{}
	opts := &BuildOptions{Progress: func(p string, done float64) { phases[p] = done }}
	if _, _, err := buildGraph(context.Background(), &f.in, nil, DefaultProfile(), opts); err != nil {
		t.Fatal(err)
	}
	if phases["densify"] != 1 {
		t.Errorf("progress = %v, want densify to reach 1", phases)
	}
	bad := DefaultProfile()
	bad.DensifyStep = 0
	if _, _, err := buildGraph(context.Background(), &f.in, nil, bad, nil); !errors.Is(err, ErrProfile) {
		t.Errorf("bad profile: err = %v, want ErrProfile", err)
	}
}

// ridge is a DEM with a straight ridge (or, with a negative height, a
// valley) along x = 500 m: z = 300 + h·(1 − |x − 500|/500).
type ridge struct{ h float64 }

func (ridge) Bound() orb.Bound { return orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}} }

func (r ridge) Elevation(q orb.Point) (float64, bool) {
	m := fixLocal.Forward(q)
	return 300 + r.h*(1-math.Abs(m[0]-500)/500), true
}

// TestBridgeTunnelLevel: a tunnel runs under the hill and a bridge over the
// valley, straight between their ends: the DEM between them is the
// mountain above or the river bed below, not the walked surface.
func TestBridgeTunnelLevel(t *testing.T) {
	tests := []struct {
		name string
		dem  ridge
		mod  func(*wayInput)
		// want ascent (m) from→to and whether the times are level
		ascent float64
	}{
		{"tunnel under a ridge", ridge{400}, func(w *wayInput) { w.Tunnel = true }, 0},
		{"bridge over a valley", ridge{-60}, func(w *wayInput) { w.Bridge = true }, 0},
		{"path over the ridge", ridge{400}, nil, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f fixture
			// The tunnel or bridge is the middle way; the approaches are
			// ordinary paths on the DEM.
			a, b, c, d := f.node(-100, 0), f.node(0, 0), f.node(1000, 0), f.node(1100, 0)
			f.way("footway", []int32{a, b})
			if tt.mod != nil {
				f.way("footway", []int32{b, f.node(300, 0), c}, tt.mod)
			} else {
				f.way("footway", []int32{b, f.node(300, 0), c})
			}
			f.way("footway", []int32{c, d})
			g, _ := f.build(t, tt.dem, DefaultProfile())
			var e Edge
			for i := 0; i < g.Edges(); i++ {
				if x := g.Edge(EdgeID(i)); x.WayID == 2 {
					e = x
				}
			}
			// Samples every 30 m may miss the crest by a few metres.
			if math.Abs(float64(e.Ascent)-tt.ascent) > 0.02*tt.ascent+0.01 || math.Abs(float64(e.Descent)-tt.ascent) > 0.02*tt.ascent+0.01 {
				t.Errorf("ascent/descent = %.1f/%.1f m, want %v/%v", e.Ascent, e.Descent, tt.ascent, tt.ascent)
			}
			if tt.ascent == 0 {
				if want := edgeTime(1000, 0, 1); !near(float64(e.Forward), want, relTol) || !near(float64(e.Backward), want, relTol) {
					t.Errorf("forward/backward = %.1f/%.1f s, want %.1f (level)", e.Forward, e.Backward, want)
				}
			}
		})
	}
}

// TestCrossingAtEdgeEnd: a stream crossed a hair before the node where
// one way ends and the next begins is waded once by every walk across it,
// whether it starts beside the path or at its end.
func TestCrossingAtEdgeEnd(t *testing.T) {
	pen := 15 * 60.0
	for _, dx := range []float64{1e-6, 1e-4, 0.5} {
		var f fixture
		a, m, b := f.node(0, 0), f.node(200, 0), f.node(400, 0)
		f.way("footway", []int32{a, m})
		f.way("footway", []int32{m, b})
		f.water("stream", 0, [2]float64{200 - dx, -50}, [2]float64{200 - dx, 50})
		g, _ := f.build(t, nil, DefaultProfile())
		for _, tt := range []struct {
			from, to orb.Point
			m        float64
		}{
			{xy(0, 0), xy(400, 0), 400},
			{xy(100, 0), xy(300, 0), 200},
			{xy(300, 0), xy(100, 0), 200},
			{xy(150, 0), xy(400, 0), 250},
		} {
			r, err := g.Walk(tt.from, tt.to)
			if want := edgeTime(tt.m, 0, 1) + pen; err != nil || !near(float64(r.Seconds), want, relTol) {
				t.Errorf("stream %g m before the node: Walk(%v, %v) = %.1f s (%v), want %.1f", dx, tt.from, tt.to, r.Seconds, err, want)
			}
		}
	}
}

// TestCrossingAtSharedNode: a stream mapped through the node where ways
// meet is waded once by a walk across it, however the ways run.
func TestCrossingAtSharedNode(t *testing.T) {
	pen := 15 * 60.0
	tests := []struct {
		name string
		ways func(a, m, b int32) [][]int32
	}{
		{"one way through", func(a, m, b int32) [][]int32 { return [][]int32{{a, m, b}} }},
		{"end and start", func(a, m, b int32) [][]int32 { return [][]int32{{a, m}, {m, b}} }},
		{"both end", func(a, m, b int32) [][]int32 { return [][]int32{{a, m}, {b, m}} }},
		{"both start", func(a, m, b int32) [][]int32 { return [][]int32{{m, a}, {m, b}} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f fixture
			a, m, b := f.node(0, 0), f.node(200, 0), f.node(400, 0)
			for _, w := range tt.ways(a, m, b) {
				f.way("footway", w)
			}
			// A side path on the near bank, from the node.
			f.way("footway", []int32{m, f.node(150, 100)})
			f.water("stream", 0, [2]float64{200, -50}, [2]float64{200, 0}, [2]float64{200, 50})
			g, rep := f.build(t, nil, DefaultProfile())
			if rep.Crossings.Penalty != 1 {
				t.Errorf("penalty crossings = %d, want 1", rep.Crossings.Penalty)
			}
			for _, q := range []struct {
				from, to orb.Point
				m        float64
			}{
				{xy(0, 0), xy(400, 0), 400},
				{xy(100, 0), xy(300, 0), 200},
				{xy(400, 0), xy(0, 0), 400},
			} {
				r, err := g.Walk(q.from, q.to)
				if want := edgeTime(q.m, 0, 1) + pen; err != nil || !near(float64(r.Seconds), want, relTol) {
					t.Errorf("Walk(%v, %v) = %.1f s (%v), want %.1f (one wade)", q.from, q.to, r.Seconds, err, want)
				}
			}
		})
	}
}
