package shortest

import (
	"context"
	"runtime"
)

// ContractOptions configures Contract. A nil *ContractOptions means defaults.
type ContractOptions struct {
	// Progress, if set, is called from the calling goroutine with the
	// number of contracted nodes so far and the total.
	Progress func(done, total int)
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The hierarchy does not depend on it.
	Workers int
}

// Hierarchy is a contraction hierarchy of a Graph. It is immutable and safe
// for concurrent queries.
type Hierarchy struct {
	g *Graph // interim: plain Dijkstra until the contraction lands
}

// Contract builds the contraction hierarchy of g.
func Contract(ctx context.Context, g *Graph, opts *ContractOptions) (*Hierarchy, error) {
	if opts == nil {
		opts = &ContractOptions{}
	}
	_ = runtime.GOMAXPROCS(0)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Progress != nil {
		opts.Progress(g.NumNodes(), g.NumNodes())
	}
	return &Hierarchy{g: g}, nil
}

// Query returns the shortest time from the source seeds to the target seeds
// and the original-node path; ok is false when unreachable.
func (h *Hierarchy) Query(src, dst []Seed) (dist uint32, path []uint32, ok bool) {
	return h.g.Query(src, dst)
}

// Matrix computes all source-to-target times.
func (h *Hierarchy) Matrix(ctx context.Context, src, dst [][]Seed, workers int) (*Matrix, error) {
	return h.g.Matrix(ctx, src, dst, workers)
}

// MarshalBinary encodes h.
func (h *Hierarchy) MarshalBinary() ([]byte, error) { return h.g.MarshalBinary() }

// UnmarshalBinary decodes h.
func (h *Hierarchy) UnmarshalBinary(data []byte) error {
	var g Graph
	if err := g.UnmarshalBinary(data); err != nil {
		return err
	}
	h.g = &g
	return nil
}
