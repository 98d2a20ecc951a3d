package shortest_test

import (
	"bytes"
	"context"
	"flag"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

var (
	seedFlag   = flag.Uint64("seed", 1, "seed of the random graphs in property tests")
	graphsFlag = flag.Int("graphs", 300, "number of random graphs in property tests")
)

const unreachable = ^uint64(0)

// refDijkstra is a deliberately simple O(n²) Dijkstra over the raw arc list
// (parallel arcs and loops included) with 64-bit sums: the reference.
func refDijkstra(n int, arcs []shortest.Arc, src []shortest.Seed) []uint64 {
	dist := make([]uint64, n)
	for i := range dist {
		dist[i] = unreachable
	}
	for _, s := range src {
		if int(s.Node) < n && uint64(s.Offset) < dist[s.Node] {
			dist[s.Node] = uint64(s.Offset)
		}
	}
	done := make([]bool, n)
	for {
		v := -1
		for u := range n {
			if !done[u] && dist[u] != unreachable && (v < 0 || dist[u] < dist[v]) {
				v = u
			}
		}
		if v < 0 {
			return dist
		}
		done[v] = true
		for _, a := range arcs {
			if int(a.From) == v && a.Weight != 1<<32-1 && dist[v]+uint64(a.Weight) < dist[a.To] {
				dist[a.To] = dist[v] + uint64(a.Weight)
			}
		}
	}
}

// refQuery is the reference for a seeded query: ok false when unreachable
// or the sum does not fit below math.MaxUint32.
func refQuery(n int, arcs []shortest.Arc, src, dst []shortest.Seed) (uint32, bool) {
	dist := refDijkstra(n, arcs, src)
	best := unreachable
	for _, t := range dst {
		if int(t.Node) < n && dist[t.Node] != unreachable {
			best = min(best, dist[t.Node]+uint64(t.Offset))
		}
	}
	if best >= 1<<32-1 {
		return 0, false
	}
	return uint32(best), true
}

type randomCase struct {
	n    int
	arcs []shortest.Arc
}

// randomGraph returns one of several random graph shapes: sparse random
// digraphs with parallel arcs and loops, or road-like grids with
// asymmetric two-way arcs, chains and missing edges (so several
// components).
func randomGraph(rng *rand.Rand) randomCase {
	var c randomCase
	weight := func() uint32 {
		switch rng.IntN(10) {
		case 0:
			return 0
		case 1:
			return uint32(rng.IntN(3))
		default:
			return uint32(rng.IntN(1000))
		}
	}
	switch rng.IntN(3) {
	case 0:
		c.n = 1 + rng.IntN(40)
		m := rng.IntN(4 * c.n)
		for range m {
			c.arcs = append(c.arcs, shortest.Arc{From: uint32(rng.IntN(c.n)), To: uint32(rng.IntN(c.n)), Weight: weight()})
		}
	default:
		w, h := 2+rng.IntN(7), 2+rng.IntN(7)
		c.n = w * h
		link := func(a, b int) {
			// Densify some edges into degree-2 chains.
			k := 0
			if rng.IntN(3) == 0 {
				k = 1 + rng.IntN(3)
			}
			prev := a
			for range k {
				v := c.n
				c.n++
				c.arcs = append(c.arcs, shortest.Arc{From: uint32(prev), To: uint32(v), Weight: weight()},
					shortest.Arc{From: uint32(v), To: uint32(prev), Weight: weight()})
				prev = v
			}
			c.arcs = append(c.arcs, shortest.Arc{From: uint32(prev), To: uint32(b), Weight: weight()})
			if rng.IntN(8) != 0 { // mostly two-way
				c.arcs = append(c.arcs, shortest.Arc{From: uint32(b), To: uint32(prev), Weight: weight()})
			}
		}
		for y := range h {
			for x := range w {
				v := y*w + x
				if x+1 < w && rng.IntN(5) != 0 {
					link(v, v+1)
				}
				if y+1 < h && rng.IntN(5) != 0 {
					link(v, v+w)
				}
			}
		}
		if rng.IntN(4) == 0 && c.n > 0 { // parallel arc and loop
			a := c.arcs[rng.IntN(max(1, len(c.arcs)))%max(1, len(c.arcs))]
			c.arcs = append(c.arcs, shortest.Arc{From: a.From, To: a.To, Weight: weight()}, shortest.Arc{From: a.From, To: a.From, Weight: 1})
		}
	}
	return c
}

func randomSeeds(rng *rand.Rand, n int) []shortest.Seed {
	k := 1 + rng.IntN(2)
	if rng.IntN(20) == 0 {
		k = 0
	}
	var s []shortest.Seed
	for range k {
		off := uint32(0)
		if rng.IntN(2) == 0 {
			off = uint32(rng.IntN(500))
		}
		s = append(s, shortest.Seed{Node: uint32(rng.IntN(n)), Offset: off})
	}
	return s
}

// checkPath asserts that path runs from a source seed node to a target seed
// node over arcs of the input and that offsets plus arc weights equal dist.
func checkPath(t testing.TB, c randomCase, src, dst []shortest.Seed, dist uint32, path []uint32) {
	t.Helper()
	if len(path) == 0 {
		t.Fatalf("empty path for dist %d", dist)
	}
	offset := func(seeds []shortest.Seed, v uint32) (uint64, bool) {
		best, ok := unreachable, false
		for _, s := range seeds {
			if s.Node == v {
				best, ok = min(best, uint64(s.Offset)), true
			}
		}
		return best, ok
	}
	sum, ok := offset(src, path[0])
	if !ok {
		t.Fatalf("path %v starts at %d, not a source seed %v", path, path[0], src)
	}
	for i := 1; i < len(path); i++ {
		w := unreachable
		for _, a := range c.arcs {
			if a.From == path[i-1] && a.To == path[i] && a.From != a.To {
				w = min(w, uint64(a.Weight))
			}
		}
		if w == unreachable {
			t.Fatalf("path %v: no arc %d→%d", path, path[i-1], path[i])
		}
		sum += w
	}
	end, ok := offset(dst, path[len(path)-1])
	if !ok {
		t.Fatalf("path %v ends at %d, not a target seed %v", path, path[len(path)-1], dst)
	}
	if sum+end != uint64(dist) {
		t.Fatalf("path %v costs %d, dist is %d", path, sum+end, dist)
	}
}

func TestRandomQueries(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 1))
	for gi := range *graphsFlag {
		c := randomGraph(rng)
		g := shortest.NewGraph(c.n, c.arcs)
		h, err := shortest.Contract(context.Background(), g, &shortest.ContractOptions{Workers: 1 + gi%3})
		if err != nil {
			t.Fatal(err)
		}
		for range 20 {
			src, dst := randomSeeds(rng, c.n), randomSeeds(rng, c.n)
			want, wantOK := refQuery(c.n, c.arcs, src, dst)
			for name, q := range map[string]func([]shortest.Seed, []shortest.Seed) (uint32, []uint32, bool){
				"Graph.Query": g.Query, "Hierarchy.Query": h.Query,
			} {
				got, path, ok := q(src, dst)
				if ok != wantOK || got != want {
					t.Fatalf("graph %d (seed %d): %s(%v, %v) = %d, %v; want %d, %v", gi, *seedFlag, name, src, dst, got, ok, want, wantOK)
				}
				if ok {
					checkPath(t, c, src, dst, got, path)
				} else if path != nil {
					t.Fatalf("%s: path %v for an unreachable target", name, path)
				}
			}
		}
	}
}

func TestRandomMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 2))
	ctx := context.Background()
	for gi := range *graphsFlag / 3 {
		c := randomGraph(rng)
		g := shortest.NewGraph(c.n, c.arcs)
		h, err := shortest.Contract(ctx, g, nil)
		if err != nil {
			t.Fatal(err)
		}
		src := make([][]shortest.Seed, rng.IntN(8))
		dst := make([][]shortest.Seed, rng.IntN(8))
		for i := range src {
			src[i] = randomSeeds(rng, c.n)
		}
		for j := range dst {
			dst[j] = randomSeeds(rng, c.n)
		}
		workers := 1 + rng.IntN(4)
		mg, err := g.Matrix(ctx, src, dst, workers)
		if err != nil {
			t.Fatal(err)
		}
		mh, err := h.Matrix(ctx, src, dst, workers)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*shortest.Matrix{mg, mh} {
			if m.Rows() != len(src) || m.Cols() != len(dst) {
				t.Fatalf("matrix is %d×%d, want %d×%d", m.Rows(), m.Cols(), len(src), len(dst))
			}
		}
		for i := range src {
			for j := range dst {
				want, wantOK := refQuery(c.n, c.arcs, src[i], dst[j])
				for name, m := range map[string]*shortest.Matrix{"Graph.Matrix": mg, "Hierarchy.Matrix": mh} {
					if got, ok := m.At(i, j); ok != wantOK || got != want {
						t.Fatalf("graph %d: %s.At(%d, %d) = %d, %v; want %d, %v", gi, name, i, j, got, ok, want, wantOK)
					}
				}
			}
		}
	}
}

func TestRandomNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 3))
	for gi := range *graphsFlag / 3 {
		c := randomGraph(rng)
		g := shortest.NewGraph(c.n, c.arcs)
		var rev []shortest.Arc
		for _, a := range c.arcs {
			rev = append(rev, shortest.Arc{From: a.To, To: a.From, Weight: a.Weight})
		}
		sources := make([][]shortest.Seed, 1+rng.IntN(5))
		for i := range sources {
			sources[i] = randomSeeds(rng, c.n)
		}
		limit := uint32(rng.IntN(3000))
		for _, dir := range []struct {
			name string
			g    *shortest.Graph
			arcs []shortest.Arc
		}{{"forward", g, c.arcs}, {"reverse", g.Reverse(), rev}} {
			ref := make([][]uint64, len(sources))
			for i, s := range sources {
				ref[i] = refDijkstra(c.n, dir.arcs, s)
			}
			for _, workers := range []int{1, 2, 4} {
				r := dir.g.Nearest(sources, limit, workers)
				if r.Len() != c.n {
					t.Fatalf("Len = %d, want %d", r.Len(), c.n)
				}
				for v := range c.n {
					wantSrc, wantD := -1, unreachable
					for i := range sources {
						if ref[i][v] < wantD { // strict: lowest index wins ties
							wantSrc, wantD = i, ref[i][v]
						}
					}
					wantOK := wantD <= uint64(limit)
					src, d, ok := r.At(uint32(v))
					if ok != wantOK || (ok && (src != wantSrc || uint64(d) != wantD)) {
						t.Fatalf("graph %d %s workers %d: At(%d) = %d, %d, %v; want %d, %d, %v", gi, dir.name, workers, v, src, d, ok, wantSrc, wantD, wantOK)
					}
				}
			}
		}
	}
}

func TestRandomDijkstraTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 4))
	for range *graphsFlag / 3 {
		c := randomGraph(rng)
		g := shortest.NewGraph(c.n, c.arcs)
		src := randomSeeds(rng, c.n)
		limit := uint32(rng.IntN(3000))
		ref := refDijkstra(c.n, c.arcs, src)
		tr := g.Dijkstra(src, shortest.WithLimit(limit))
		for v := range c.n {
			d, ok := tr.Dist(uint32(v))
			wantOK := ref[v] <= uint64(limit)
			if ok != wantOK || (ok && uint64(d) != ref[v]) {
				t.Fatalf("Dist(%d) = %d, %v; want %d, %v", v, d, ok, ref[v], wantOK)
			}
			if p := tr.Path(uint32(v)); ok {
				checkPath(t, c, src, []shortest.Seed{{Node: uint32(v)}}, d, p)
			} else if p != nil {
				t.Fatalf("Path(%d) = %v for an unreachable node", v, p)
			}
		}
	}
}

func TestComponents(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 5))
	for range *graphsFlag / 3 {
		c := randomGraph(rng)
		g := shortest.NewGraph(c.n, c.arcs)
		reach := make([][]uint64, c.n)
		for v := range c.n {
			reach[v] = refDijkstra(c.n, c.arcs, []shortest.Seed{{Node: uint32(v)}})
		}
		var und []shortest.Arc
		for _, a := range c.arcs {
			und = append(und, a, shortest.Arc{From: a.To, To: a.From})
		}
		ureach := make([][]uint64, c.n)
		for v := range c.n {
			ureach[v] = refDijkstra(c.n, und, []shortest.Seed{{Node: uint32(v)}})
		}
		for _, k := range []struct {
			name string
			f    func() ([]uint32, []int)
			same func(u, v int) bool
		}{
			{"Components", g.Components, func(u, v int) bool { return ureach[u][v] != unreachable }},
			{"StrongComponents", g.StrongComponents, func(u, v int) bool {
				return reach[u][v] != unreachable && reach[v][u] != unreachable
			}},
		} {
			comp, sizes := k.f()
			count := make([]int, len(sizes))
			for _, id := range comp {
				count[id]++
			}
			if !slices.Equal(count, sizes) {
				t.Fatalf("%s: sizes %v, counted %v", k.name, sizes, count)
			}
			if !slices.IsSortedFunc(sizes, func(a, b int) int { return b - a }) {
				t.Fatalf("%s: sizes %v not decreasing", k.name, sizes)
			}
			for u := range c.n {
				for v := range c.n {
					if got, want := comp[u] == comp[v], k.same(u, v); got != want {
						t.Fatalf("%s: nodes %d and %d together = %v, want %v", k.name, u, v, got, want)
					}
				}
			}
		}
	}
}

// TestContractDeterministic checks that the hierarchy bytes depend only on
// the graph, not on the number of workers, and survive a round trip.
func TestContractDeterministic(t *testing.T) {
	g := synthGraph(40, 7)
	var first []byte
	for _, workers := range []int{1, 2, 3} {
		h, err := shortest.Contract(context.Background(), g, &shortest.ContractOptions{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		b, err := h.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
			var h2 shortest.Hierarchy
			if err := h2.UnmarshalBinary(b); err != nil {
				t.Fatalf("UnmarshalBinary(MarshalBinary()) = %v", err)
			}
			b2, _ := h2.MarshalBinary()
			if !bytes.Equal(b, b2) {
				t.Fatal("round trip changed the hierarchy bytes")
			}
			continue
		}
		if !bytes.Equal(first, b) {
			t.Fatalf("Workers %d: hierarchy bytes differ from Workers 1", workers)
		}
	}
}

// TestMediumGraphs checks CH queries with multi-node seeds against plain
// Dijkstra on road-like graphs of a few thousand nodes, big enough for
// dense upper levels (where the contraction only simulates with direct
// arcs).
func TestMediumGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 6))
	for _, side := range []int{18, 26, 34} {
		g := synthGraph(side, *seedFlag+uint64(side))
		c := randomCase{n: g.NumNodes(), arcs: g.Arcs()}
		h, err := shortest.Contract(context.Background(), g, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 150 {
			src, dst := randomSeeds(rng, c.n), randomSeeds(rng, c.n)
			want, _, wantOK := g.Query(src, dst)
			got, path, ok := h.Query(src, dst)
			if got != want || ok != wantOK {
				t.Fatalf("side %d: Hierarchy.Query(%v, %v) = %d, %v; Dijkstra says %d, %v", side, src, dst, got, ok, want, wantOK)
			}
			if ok {
				checkPath(t, c, src, dst, got, path)
			}
		}
	}
}
