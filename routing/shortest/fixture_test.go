package shortest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

// fixture is a small hand-checked case: the time from src to dst.
type fixture struct {
	name     string
	n        int
	arcs     []shortest.Arc
	src, dst []shortest.Seed
	want     uint32
	ok       bool
}

var fixtures = []fixture{
	{name: "single node", n: 1, src: seeds(0, 0), dst: seeds(0, 0), want: 0, ok: true},
	{name: "offsets on one node", n: 1, src: seeds(0, 7), dst: seeds(0, 5), want: 12, ok: true},
	{name: "line", n: 3, arcs: arcs(0, 1, 10, 1, 2, 20), src: seeds(0, 0), dst: seeds(2, 0), want: 30, ok: true},
	{name: "line backwards unreachable", n: 3, arcs: arcs(0, 1, 10, 1, 2, 20), src: seeds(2, 0), dst: seeds(0, 0), ok: false},
	{name: "uphill slower than downhill", n: 2, arcs: arcs(0, 1, 900, 1, 0, 400), src: seeds(1, 0), dst: seeds(0, 0), want: 400, ok: true},
	{name: "parallel arcs keep cheapest", n: 2, arcs: arcs(0, 1, 50, 0, 1, 30, 0, 1, 40), src: seeds(0, 0), dst: seeds(1, 0), want: 30, ok: true},
	{name: "self loop ignored", n: 2, arcs: arcs(0, 0, 1, 0, 1, 5, 1, 1, 0), src: seeds(0, 0), dst: seeds(1, 0), want: 5, ok: true},
	{name: "detour beats direct", n: 3, arcs: arcs(0, 2, 100, 0, 1, 30, 1, 2, 30), src: seeds(0, 0), dst: seeds(2, 0), want: 60, ok: true},
	{name: "zero weights", n: 3, arcs: arcs(0, 1, 0, 1, 2, 0), src: seeds(0, 0), dst: seeds(2, 0), want: 0, ok: true},
	{name: "disconnected", n: 4, arcs: arcs(0, 1, 1, 2, 3, 1), src: seeds(0, 0), dst: seeds(3, 0), ok: false},
	{name: "impassable arc dropped", n: 2, arcs: arcs(0, 1, 1<<32-1), src: seeds(0, 0), dst: seeds(1, 0), ok: false},
	// A point on the edge 1–2 seeded at both ends; the far end wins here.
	{name: "two source seeds", n: 4, arcs: arcs(0, 1, 10, 1, 0, 10, 2, 3, 5, 3, 2, 5, 1, 2, 100, 2, 1, 100),
		src: seeds(1, 90, 2, 20), dst: seeds(3, 0), want: 25, ok: true},
	{name: "two target seeds", n: 3, arcs: arcs(0, 1, 10, 0, 2, 40), src: seeds(0, 0), dst: seeds(1, 50, 2, 5), want: 45, ok: true},
	{name: "seed outside graph ignored", n: 2, arcs: arcs(0, 1, 3), src: seeds(9, 0, 0, 1), dst: seeds(1, 0), want: 4, ok: true},
	{name: "no seeds", n: 2, arcs: arcs(0, 1, 3), src: nil, dst: seeds(1, 0), ok: false},
	{name: "large weights saturate to unreachable", n: 3, arcs: arcs(0, 1, 3_000_000_000, 1, 2, 3_000_000_000), src: seeds(0, 0), dst: seeds(2, 0), ok: false},
}

func init() {
	for _, f := range fixtures {
		for _, a := range f.arcs {
			if int(a.From) >= f.n || int(a.To) >= f.n {
				panic(fmt.Sprintf("fixture %q: arc %v outside %d nodes", f.name, a, f.n))
			}
		}
		if !f.ok && f.want != 0 {
			panic(fmt.Sprintf("fixture %q: unreachable case with a distance", f.name))
		}
	}
}

func seeds(v ...uint32) []shortest.Seed {
	var s []shortest.Seed
	for i := 0; i+1 < len(v); i += 2 {
		s = append(s, shortest.Seed{Node: v[i], Offset: v[i+1]})
	}
	return s
}

func arcs(v ...uint32) []shortest.Arc {
	var a []shortest.Arc
	for i := 0; i+2 < len(v); i += 3 {
		a = append(a, shortest.Arc{From: v[i], To: v[i+1], Weight: v[i+2]})
	}
	return a
}

// algorithm answers one src → dst query.
type algorithm struct {
	name string
	run  func(g *shortest.Graph, h *shortest.Hierarchy, src, dst []shortest.Seed) (uint32, bool)
}

var algorithms = []algorithm{
	{"Dijkstra", func(g *shortest.Graph, _ *shortest.Hierarchy, src, dst []shortest.Seed) (uint32, bool) {
		t := g.Dijkstra(src)
		best, ok := uint64(0), false
		for _, s := range dst {
			if d, reached := t.Dist(s.Node); reached {
				if c := uint64(d) + uint64(s.Offset); !ok || c < best {
					best, ok = c, true
				}
			}
		}
		if !ok || best >= 1<<32-1 {
			return 0, false
		}
		return uint32(best), true
	}},
	{"Graph.Query", func(g *shortest.Graph, _ *shortest.Hierarchy, src, dst []shortest.Seed) (uint32, bool) {
		d, _, ok := g.Query(src, dst)
		return d, ok
	}},
	{"Hierarchy.Query", func(_ *shortest.Graph, h *shortest.Hierarchy, src, dst []shortest.Seed) (uint32, bool) {
		d, _, ok := h.Query(src, dst)
		return d, ok
	}},
	{"Graph.Matrix", func(g *shortest.Graph, _ *shortest.Hierarchy, src, dst []shortest.Seed) (uint32, bool) {
		m, err := g.Matrix(context.Background(), [][]shortest.Seed{src}, [][]shortest.Seed{dst}, 1)
		if err != nil {
			panic(err)
		}
		return m.At(0, 0)
	}},
	{"Hierarchy.Matrix", func(_ *shortest.Graph, h *shortest.Hierarchy, src, dst []shortest.Seed) (uint32, bool) {
		m, err := h.Matrix(context.Background(), [][]shortest.Seed{src}, [][]shortest.Seed{dst}, 2)
		if err != nil {
			panic(err)
		}
		return m.At(0, 0)
	}},
	{"Nearest", func(g *shortest.Graph, _ *shortest.Hierarchy, src, dst []shortest.Seed) (uint32, bool) {
		r := g.Nearest([][]shortest.Seed{src}, 1<<32-2, 1)
		best, ok := uint64(0), false
		for _, s := range dst {
			if _, d, reached := r.At(s.Node); reached {
				if c := uint64(d) + uint64(s.Offset); !ok || c < best {
					best, ok = c, true
				}
			}
		}
		if !ok || best >= 1<<32-1 {
			return 0, false
		}
		return uint32(best), true
	}},
}

func TestFixtures(t *testing.T) {
	for _, f := range fixtures {
		g := shortest.NewGraph(f.n, f.arcs)
		h, err := shortest.Contract(context.Background(), g, nil)
		if err != nil {
			t.Fatalf("%s: Contract: %v", f.name, err)
		}
		for _, alg := range algorithms {
			t.Run(f.name+"/"+alg.name, func(t *testing.T) {
				got, ok := alg.run(g, h, f.src, f.dst)
				if ok != f.ok || got != f.want {
					t.Errorf("%s(%v → %v) = %d, %v; want %d, %v", alg.name, f.src, f.dst, got, ok, f.want, f.ok)
				}
			})
		}
	}
}
