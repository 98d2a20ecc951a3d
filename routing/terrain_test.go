package routing

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// square returns the lon/lat square of half-side h metres around fixCenter.
func square(h float64) orb.MultiPolygon {
	return orb.MultiPolygon{{orb.Ring{xy(-h, -h), xy(h, -h), xy(h, h), xy(-h, h), xy(-h, -h)}}}
}

func (f *fixture) buildTerrain(tb testing.TB, elev elevModel, prof Profile, t *Terrain) (*Graph, *BuildReport) {
	tb.Helper()
	g, rep, err := buildGraph(context.Background(), &f.in, elev, prof, &BuildOptions{Terrain: t})
	if err != nil {
		tb.Fatalf("buildGraph: %v", err)
	}
	return g, rep
}

// latticeNodes returns the positions of the graph's lattice nodes.
func latticeNodes(g *Graph) []orb.Point {
	var out []orb.Point
	for n := 0; n < g.Nodes(); n++ {
		if g.NodeOSMID(NodeID(n)) < 0 {
			out = append(out, g.NodePoint(NodeID(n)))
		}
	}
	return out
}

// offPathSeconds is the straight off-path walk over flat ground.
func offPathSeconds(prof Profile, m float64) float64 {
	return m * 3.6 / (Tobler(0) * prof.OffPathFactor)
}

// TestLatticeFlatMetricError: on flat ground, walking between lattice nodes
// takes the straight-line off-path time times the lattice's metric error,
// which with 16 neighbours is at most 1/cos(13.28°) − 1 = 2.75 % (the
// largest angle between neighbour directions is 26.57°, between east and
// the knight move), and never less than the straight line.
func TestLatticeFlatMetricError(t *testing.T) {
	var f fixture
	prof := DefaultProfile()
	g, rep := f.buildTerrain(t, plane{z0: 100}, prof, &Terrain{Area: square(3000), NoDerivedWater: true})
	if rep.Terrain == nil || rep.Terrain.LatticeNodes == 0 || g.ch != nil {
		t.Fatalf("report %+v, hierarchy %v: want a lattice and no hierarchy", rep.Terrain, g.ch != nil)
	}
	nodes := latticeNodes(g)
	rng := rand.New(rand.NewPCG(*seed, 91))
	worst, best := 0.0, math.Inf(1)
	const bound = 1.0275
	for k := 0; k < 300; k++ {
		a, b := nodes[rng.IntN(len(nodes))], nodes[rng.IntN(len(nodes))]
		d := float64(geo.Distance(a, b))
		if d < 1000 {
			continue
		}
		r, err := g.Walk(a, b)
		if err != nil {
			t.Fatalf("Walk(%v, %v): %v", a, b, err)
		}
		ratio := float64(r.Seconds) / offPathSeconds(prof, d)
		worst, best = math.Max(worst, ratio), math.Min(best, ratio)
		// relTol: haversine lengths against the local metre grid the
		// lattice is laid on, and millisecond rounding.
		if ratio > bound+relTol || ratio < 1-relTol {
			t.Errorf("Walk over %.0f m flat: %.1f s = %.4f × the straight off-path time, want 1..%.4f", d, float64(r.Seconds), ratio, bound)
		}
	}
	t.Logf("16-neighbour lattice on flat ground, 300 node pairs ≥ 1 km apart: time / straight-line time %.4f..%.4f (bound %.4f)", best, worst, bound)
}

// TestLatticeUniformSlope: walking up a uniform 10 % slope and back down
// takes Tobler's ratio exp(3.5·0.15)/exp(3.5·0.05) = e^0.35 = 1.419.
func TestLatticeUniformSlope(t *testing.T) {
	var f fixture
	prof := DefaultProfile()
	g, _ := f.buildTerrain(t, plane{z0: 500, sx: 0.1}, prof, &Terrain{Area: square(2500), NoDerivedWater: true})
	// Two lattice nodes on one row, 3 km apart.
	nodes := latticeNodes(g)
	var a, b orb.Point
	for _, p := range nodes {
		q := fixLocal.Forward(p)
		if math.Abs(q[1]) < prof.LatticeStep/2 && math.Abs(q[0]+1500) < prof.LatticeStep/2 {
			a = p
		}
	}
	qa := fixLocal.Forward(a)
	for _, p := range nodes {
		q := fixLocal.Forward(p)
		if math.Abs(q[1]-qa[1]) < 1e-6 && math.Abs(q[0]-qa[0]-3000) < prof.LatticeStep/2 {
			b = p
		}
	}
	up, err := g.Walk(a, b)
	if err != nil {
		t.Fatal(err)
	}
	down, err := g.Walk(b, a)
	if err != nil {
		t.Fatal(err)
	}
	d := float64(geo.Distance(a, b))
	wantUp := d * 3.6 / (Tobler(0.1) * prof.OffPathFactor)
	wantDown := d * 3.6 / (Tobler(-0.1) * prof.OffPathFactor)
	if !near(float64(up.Seconds), wantUp, 0.01) || !near(float64(down.Seconds), wantDown, 0.01) {
		t.Errorf("up %.1f s, down %.1f s over %.0f m; want %.1f and %.1f (Tobler at ±10 %% × %.1f)", float64(up.Seconds), float64(down.Seconds), d, wantUp, wantDown, prof.OffPathFactor)
	}
	if ratio := float64(up.Seconds / down.Seconds); math.Abs(ratio-math.Exp(0.35)) > 0.01 {
		t.Errorf("uphill / downhill = %.4f, want e^0.35 = %.4f", ratio, math.Exp(0.35))
	}
}

// TestLatticeRiver: a river too wide to wade splits the terrain; a mapped
// footbridge joins it again, and the walk goes over the bridge.
func TestLatticeRiver(t *testing.T) {
	prof := DefaultProfile()
	west, east := xy(-2000, 300), xy(2000, -300)
	for _, tc := range []struct {
		name   string
		bridge bool
		kind   string
		width  float64
		// wantMin is the least time: the straight line (plus wading).
		wantOK bool
		wade   float64
	}{
		{"river, no bridge", false, "river", 30, false, 0},
		{"river, bridge", true, "river", 30, true, 0},
		{"stream waded", false, "stream", 2, true, 15 * 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f fixture
			f.water(tc.kind, tc.width, [2]float64{0, -6000}, [2]float64{0, 6000})
			if tc.bridge {
				f.way("footway", []int32{f.node(-150, 1000), f.node(150, 1000)}, func(w *wayInput) { w.Bridge = true })
			}
			g, rep := f.buildTerrain(t, plane{z0: 50}, prof, &Terrain{Area: square(3000), NoDerivedWater: true})
			r, err := g.Walk(west, east)
			if !tc.wantOK {
				if !errors.Is(err, ErrNoRoute) {
					t.Fatalf("Walk across the river: %v, %v; want ErrNoRoute (blocked %d lattice steps)", r.Seconds, err, rep.Terrain.BlockedEdges)
				}
				return
			}
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			straight := offPathSeconds(prof, float64(geo.Distance(west, east))) + tc.wade
			if float64(r.Seconds) < straight*(1-relTol) || float64(r.Seconds) > straight*1.2 {
				t.Errorf("Walk = %.0f s, want about the straight line's %.0f s", float64(r.Seconds), straight)
			}
			if tc.bridge {
				onBridge := false
				for _, p := range r.Path {
					if q := fixLocal.Forward(p); math.Abs(q[0]) < 1 && math.Abs(q[1]-1000) < 1 {
						onBridge = true
					}
				}
				if !onBridge {
					t.Errorf("route does not cross on the bridge: %v", r.Path)
				}
			}
		})
	}
}

// valleyMosaic is a dem.Mosaic of a valley running south along lon 10.0 at
// the equator: sides rising 4 m a cell (50 cells each, 0.43 km², below
// the stream threshold), the floor falling 1 m a cell.
func valleyMosaic(tb testing.TB) *dem.Mosaic {
	tb.Helper()
	const cols, rows, cell = 101, 241, 1.0 / 1200
	v := make([]float32, cols*rows)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			v[r*cols+c] = float32(100 + 4*math.Abs(float64(c-cols/2)) + float64(rows-1-r))
		}
	}
	m, err := dem.NewMosaic(dem.NewTile(orb.Point{10 - cols/2*cell, 0.1}, cols, rows, cell, v))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestTerrainDerivedStream: the stream derived from the DEM runs along the
// valley floor; walking across it wades (Profile.DerivedStreamMinutes) or,
// when it drains enough to be a river, cannot.
func TestTerrainDerivedStream(t *testing.T) {
	m := valleyMosaic(t)
	a, b := orb.Point{9.985, 0.02}, orb.Point{10.015, 0.02}
	for _, barrier := range []bool{false, true} {
		prof := DefaultProfile()
		if barrier {
			prof.DerivedBarrierKm2 = prof.StreamKm2
		}
		var f fixture
		area := orb.MultiPolygon{{orb.Ring{{9.97, 0}, {10.03, 0}, {10.03, 0.04}, {9.97, 0.04}, {9.97, 0}}}}
		g, rep := f.buildTerrain(t, m, prof, &Terrain{Area: area})
		if rep.Terrain.DerivedStreams == 0 {
			t.Fatalf("no stream derived from the valley: %+v", rep.Terrain)
		}
		for _, w := range g.waters {
			for _, p := range w.Pts {
				if math.Abs(p[0]-10) > 1e-9 {
					t.Fatalf("derived stream vertex %v off the valley floor (lon 10)", p)
				}
			}
		}
		r, err := g.Walk(a, b)
		if barrier {
			if !errors.Is(err, ErrNoRoute) {
				t.Errorf("derived river: Walk = %v, %v; want ErrNoRoute", r.Seconds, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		// Down the side and up again: at least the flat time plus wading.
		flat := offPathSeconds(prof, float64(geo.Distance(a, b)))
		if wade := prof.DerivedStreamMinutes * 60; float64(r.Seconds) < flat+wade {
			t.Errorf("Walk across the valley = %.0f s, want at least %.0f s flat + %.0f s wading", float64(r.Seconds), flat, wade)
		}
	}
}

// TestSnapAcrossWater: a point beside a path that lies across a river it
// cannot wade is not snapped to it (without a lattice it is unreachable,
// across_water); one on the near bank is.
func TestSnapAcrossWater(t *testing.T) {
	var f fixture
	f.way("footway", f.line(100, -500, 100, 500, 10))
	f.water("river", 30, [2]float64{0, -1000}, [2]float64{0, 1000})
	g, _ := f.build(t, plane{z0: 10}, DefaultProfile())
	if _, err := g.Snap(xy(-50, 0)); !errors.Is(err, ErrAcrossWater) {
		t.Errorf("Snap across the river: err = %v, want ErrAcrossWater", err)
	}
	s, err := g.Snap(xy(50, 0))
	if err != nil || math.Abs(float64(s.Distance)-50) > 0.5 {
		t.Errorf("Snap on the near bank = %.1f m, %v; want 50 m", float64(s.Distance), err)
	}
}

func TestTerrainSaveLoad(t *testing.T) {
	var f fixture
	f.water("river", 30, [2]float64{0, -6000}, [2]float64{0, 6000})
	f.way("footway", []int32{f.node(-150, 1000), f.node(150, 1000)}, func(w *wayInput) { w.Bridge = true })
	g, _ := f.buildTerrain(t, plane{z0: 50, sx: 0.02}, DefaultProfile(), &Terrain{Area: square(2000), NoDerivedWater: true})
	loaded := saveLoad(t, g)
	loaded.SetElevation(plane{z0: 50, sx: 0.02})
	if loaded.water == nil || len(loaded.waters) != 1 {
		t.Fatalf("loaded graph has %d waterways, want 1", len(loaded.waters))
	}
	pts := []orb.Point{xy(-1500, 200), xy(1200, -700), xy(30, 30), xy(-40, -1800)}
	m1, err := g.Matrix(context.Background(), pts, pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := loaded.Matrix(context.Background(), pts, pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		for j := range pts {
			a, okA := m1.Millis(i, j)
			b, okB := m2.Millis(i, j)
			if a != b || okA != okB {
				t.Errorf("(%d,%d): built %d %v, loaded %d %v", i, j, a, okA, b, okB)
			}
		}
	}
}

// TestTerrainJoinsPaths: a household 2.5 km from the only path (beyond
// MaxSnap: unreachable before the lattice) walks over the land to it and
// along it; the lattice joins the path at its nodes, not only at its ends,
// and covers only a band from the far point to the path.
func TestTerrainJoinsPaths(t *testing.T) {
	var f fixture
	f.way("footway", f.line(0, 0, 6000, 0, 60)) // a node every 100 m
	prof := DefaultProfile()
	far, onPath := xy(3000, 2500), xy(6000, 0)
	g0, _ := f.build(t, plane{z0: 20}, prof)
	if _, err := g0.Snap(far); !errors.Is(err, ErrTooFar) {
		t.Fatalf("without the lattice: Snap(far) err = %v, want ErrTooFar", err)
	}
	g, rep := f.buildTerrain(t, plane{z0: 20}, prof, &Terrain{Points: []orb.Point{far, onPath}, NoDerivedWater: true})
	if rep.Terrain.Connectors == 0 {
		t.Fatalf("no connector: %+v", rep.Terrain)
	}
	// Only the band within the buffer of the line from the far point down
	// to the path.
	for _, p := range latticeNodes(g) {
		q := fixLocal.Forward(p)
		if _, d2 := geo.ProjectToSegment(q, orb.Point{3000, 2500}, orb.Point{3000, 0}); math.Sqrt(d2) > prof.LatticeBuffer+prof.LatticeStep {
			t.Fatalf("lattice node at %.0f,%.0f m is %.0f m from the band's axis, beyond the %.0f m buffer", q[0], q[1], math.Sqrt(d2), prof.LatticeBuffer)
		}
	}
	r, err := g.Walk(far, onPath)
	if err != nil {
		t.Fatal(err)
	}
	// Best: straight down to the path near x = 3000 + a bit, then along it
	// at the footway's speed; never better than that lower bound.
	path := func(m float64) float64 { return m * 3.6 / (Tobler(0) * lookup(prof.ClassFactor, "footway")) }
	lower := 1e18
	for x := 3000.0; x <= 6000; x += 100 {
		c := offPathSeconds(prof, math.Hypot(x-3000, 2500)) + path(6000-x)
		lower = math.Min(lower, c)
	}
	if got := float64(r.Seconds); got < lower*(1-relTol) || got > lower*1.04 {
		t.Errorf("Walk = %.0f s, want about the best off-path-then-path time %.0f s", got, lower)
	}
}
