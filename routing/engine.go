package routing

import (
	"context"
	"errors"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

// ErrNoHierarchy is returned by queries on a graph built with
// BuildOptions.NoHierarchy.
var ErrNoHierarchy = errors.New("routing: graph has no contraction hierarchy")

// engine holds the shortest-path structures derived from the edge arrays.
type engine struct {
	sg *shortest.Graph     // both directions of every edge, weights in ms
	ch *shortest.Hierarchy // nil when built with NoHierarchy
}

// arcs returns the directed arcs of every edge (self-loops are dropped by
// shortest.NewGraph).
func (g *Graph) arcs() []shortest.Arc {
	arcs := make([]shortest.Arc, 0, 2*len(g.edgeFrom))
	for e := range g.edgeFrom {
		u, v := g.edgeFrom[e], g.edgeTo[e]
		if u == v {
			continue
		}
		arcs = append(arcs, shortest.Arc{From: u, To: v, Weight: g.fwd[e]}, shortest.Arc{From: v, To: u, Weight: g.bwd[e]})
	}
	return arcs
}

// buildEngine makes the CSR graph and contracts it.
func (g *Graph) buildEngine(ctx context.Context, progress func(float64)) error {
	g.sg = shortest.NewGraph(g.Nodes(), g.arcs())
	ch, err := shortest.Contract(ctx, g.sg, &shortest.ContractOptions{Progress: func(done, total int) {
		if total > 0 {
			progress(float64(done) / float64(total))
		}
	}})
	if err != nil {
		return err
	}
	g.ch = ch
	return nil
}

// HasHierarchy reports whether the graph has a contraction hierarchy (a
// graph with a terrain lattice has none: its queries run Dijkstra).
func (g *Graph) HasHierarchy() bool { return g.ch != nil }
