package shortest

import "testing"

func TestQuick(t *testing.T) {
	g := NewGraph(4, []Arc{{0, 1, 5}, {1, 2, 5}, {0, 2, 20}, {2, 3, 1}, {1, 1, 3}, {0, 1, 4}})
	d, p, ok := g.Query([]Seed{{0, 0}}, []Seed{{3, 2}})
	if !ok || d != 12 || len(p) != 4 {
		t.Fatalf("got %d %v %v", d, p, ok)
	}
	tr := g.Dijkstra([]Seed{{0, 0}})
	if d, ok := tr.Dist(3); !ok || d != 10 {
		t.Fatal(d, ok)
	}
	nr := g.Nearest([][]Seed{{{0, 0}}, {{3, 0}}}, 100, 2)
	if s, d, ok := nr.At(2); !ok || s != 0 || d != 9 {
		t.Fatal(s, d, ok)
	}
}
