package shortest

import (
	"math/rand/v2"
	"testing"
)

// TestBoundedAgainstDijkstra checks that Bounded settles exactly the nodes
// the reference Dijkstra reaches within the limit, with the same times,
// nearest first.
func TestBoundedAgainstDijkstra(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	for trial := 0; trial < 20; trial++ {
		n := 50 + r.IntN(200)
		var arcs []Arc
		for i := 0; i < 4*n; i++ {
			arcs = append(arcs, Arc{From: uint32(r.IntN(n)), To: uint32(r.IntN(n)), Weight: uint32(1 + r.IntN(1000))})
		}
		g := NewGraph(n, arcs)
		src := []Seed{{Node: uint32(r.IntN(n)), Offset: uint32(r.IntN(50))}, {Node: uint32(r.IntN(n)), Offset: uint32(r.IntN(50))}}
		limit := uint32(500 + r.IntN(3000))
		tree := g.Dijkstra(src)
		got := map[uint32]uint32{}
		last := uint32(0)
		g.Bounded(src, limit, func(v, parent, ms uint32) bool {
			if parent != NoNode {
				if pd, ok := got[parent]; !ok || pd > ms {
					t.Fatalf("trial %d: node %d reached from %d, which was not settled before it", trial, v, parent)
				}
			}
			if ms < last {
				t.Fatalf("trial %d: node %d settled at %d after %d: not nearest first", trial, v, ms, last)
			}
			last = ms
			got[v] = ms
			return true
		})
		for v := uint32(0); v < uint32(n); v++ {
			d, ok := tree.Dist(v)
			want := ok && d <= limit
			if g, in := got[v]; in != want || (want && g != d) {
				t.Errorf("trial %d node %d: Bounded %d (%v), Dijkstra %d (%v) limit %d", trial, v, g, in, d, ok, limit)
			}
		}
	}
}
