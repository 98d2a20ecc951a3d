package shortest

import (
	"errors"
	"fmt"
	"math"
)

// inf is the internal "no distance" value. It is never returned: every API
// reports unreachable as ok == false.
const inf = math.MaxUint32

// Arc is a directed arc of an input graph: From → To costs Weight
// milliseconds. An undirected path segment is two arcs, one per direction,
// usually with different weights (uphill is slower than downhill).
type Arc struct {
	From, To uint32
	Weight   uint32 // milliseconds; math.MaxUint32 means impassable (dropped)
}

// Graph is a directed graph in compressed sparse row form: the arcs leaving
// node v are Head[FirstOut[v]:FirstOut[v+1]] with weights in Weight (uint32
// milliseconds). Node ids are dense, 0..NumNodes()-1.
//
// A Graph is immutable once built: every method only reads it, so one Graph
// is safe for concurrent use by many goroutines. Graphs from NewGraph have,
// per node, heads sorted ascending, no self-loops and no parallel arcs.
type Graph struct {
	FirstOut []uint32 // len NumNodes()+1, FirstOut[0] == 0, non-decreasing
	Head     []uint32 // len NumArcs(), each < NumNodes()
	Weight   []uint32 // len NumArcs(), milliseconds
}

// NewGraph builds a Graph with n nodes from arcs, which it does not modify.
// Self-loops and impassable arcs (Weight == math.MaxUint32) are dropped, and
// of parallel arcs (same From and To) only the cheapest is kept. It runs in
// O(n + len(arcs)) time using two counting sorts.
//
// NewGraph panics if n < 0, n ≥ 2³² - 1, or an arc names a node ≥ n: those
// are programmer errors, arcs come from the caller's own graph builder.
func NewGraph(n int, arcs []Arc) *Graph {
	if n < 0 || uint64(n) >= inf {
		panic(fmt.Sprintf("shortest: NewGraph: node count %d out of range", n))
	}
	for i, a := range arcs {
		if int64(a.From) >= int64(n) || int64(a.To) >= int64(n) {
			panic(fmt.Sprintf("shortest: NewGraph: arc %d (%d→%d) names a node ≥ %d", i, a.From, a.To, n))
		}
	}
	// Counting sort by To, then a stable counting sort by From, gives arcs
	// ordered by (From, To); duplicates are then adjacent.
	byTo := countingSort(arcs, n, func(a Arc) uint32 { return a.To })
	sorted := countingSort(byTo, n, func(a Arc) uint32 { return a.From })
	g := &Graph{FirstOut: make([]uint32, n+1)}
	g.Head = make([]uint32, 0, len(sorted))
	g.Weight = make([]uint32, 0, len(sorted))
	for i := 0; i < len(sorted); {
		a := sorted[i]
		j := i + 1
		w := a.Weight
		for j < len(sorted) && sorted[j].From == a.From && sorted[j].To == a.To {
			w = min(w, sorted[j].Weight)
			j++
		}
		i = j
		if a.From == a.To || w == inf {
			continue
		}
		g.Head = append(g.Head, a.To)
		g.Weight = append(g.Weight, w)
		g.FirstOut[a.From+1]++
	}
	for v := 0; v < n; v++ {
		g.FirstOut[v+1] += g.FirstOut[v]
	}
	return g
}

func countingSort(arcs []Arc, n int, key func(Arc) uint32) []Arc {
	start := make([]uint32, n+1)
	for _, a := range arcs {
		start[key(a)+1]++
	}
	for v := 0; v < n; v++ {
		start[v+1] += start[v]
	}
	out := make([]Arc, len(arcs))
	for _, a := range arcs {
		k := key(a)
		out[start[k]] = a
		start[k]++
	}
	return out
}

// NumNodes returns the number of nodes.
func (g *Graph) NumNodes() int {
	if len(g.FirstOut) == 0 {
		return 0
	}
	return len(g.FirstOut) - 1
}

// NumArcs returns the number of arcs.
func (g *Graph) NumArcs() int { return len(g.Head) }

// Arcs returns the arcs of g in CSR order (by From, then position).
func (g *Graph) Arcs() []Arc {
	out := make([]Arc, 0, len(g.Head))
	for v := 0; v < g.NumNodes(); v++ {
		for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
			out = append(out, Arc{From: uint32(v), To: g.Head[a], Weight: g.Weight[a]})
		}
	}
	return out
}

// Reverse returns the transposed graph: every arc u → v of g becomes
// v → u with the same weight. Searching the reverse graph from a set of
// sources gives the time from every node TO the nearest source (a household
// walking to a facility). Cost O(n + m).
func (g *Graph) Reverse() *Graph {
	n := g.NumNodes()
	r := &Graph{FirstOut: make([]uint32, n+1), Head: make([]uint32, len(g.Head)), Weight: make([]uint32, len(g.Weight))}
	for _, h := range g.Head {
		r.FirstOut[h+1]++
	}
	for v := 0; v < n; v++ {
		r.FirstOut[v+1] += r.FirstOut[v]
	}
	next := make([]uint32, n)
	copy(next, r.FirstOut[:n])
	// Visiting tails in increasing order keeps each reversed list sorted.
	for v := 0; v < n; v++ {
		for a := g.FirstOut[v]; a < g.FirstOut[v+1]; a++ {
			h := g.Head[a]
			r.Head[next[h]] = uint32(v)
			r.Weight[next[h]] = g.Weight[a]
			next[h]++
		}
	}
	return r
}

// ErrInvalidGraph is returned by Graph.Validate and wrapped by the decoders
// when a graph's arrays are inconsistent.
var ErrInvalidGraph = errors.New("shortest: invalid graph")

// Validate checks the CSR invariants a hand-built Graph must satisfy before
// use: FirstOut starts at 0, never decreases and ends at len(Head); Head and
// Weight have equal length; every head is a node. Graphs from NewGraph and
// UnmarshalBinary are always valid.
func (g *Graph) Validate() error {
	if len(g.FirstOut) == 0 {
		if len(g.Head) != 0 || len(g.Weight) != 0 {
			return fmt.Errorf("%w: arcs without FirstOut", ErrInvalidGraph)
		}
		return nil
	}
	n := len(g.FirstOut) - 1
	if uint64(n) >= inf {
		return fmt.Errorf("%w: %d nodes", ErrInvalidGraph, n)
	}
	if len(g.Head) != len(g.Weight) {
		return fmt.Errorf("%w: %d heads but %d weights", ErrInvalidGraph, len(g.Head), len(g.Weight))
	}
	if g.FirstOut[0] != 0 || int(g.FirstOut[n]) != len(g.Head) {
		return fmt.Errorf("%w: FirstOut must run from 0 to %d", ErrInvalidGraph, len(g.Head))
	}
	for v := 0; v < n; v++ {
		if g.FirstOut[v] > g.FirstOut[v+1] {
			return fmt.Errorf("%w: FirstOut decreases at node %d", ErrInvalidGraph, v)
		}
	}
	for i, h := range g.Head {
		if int64(h) >= int64(n) {
			return fmt.Errorf("%w: arc %d head %d ≥ %d nodes", ErrInvalidGraph, i, h, n)
		}
	}
	return nil
}

// Seed attaches a query point to a graph node with an initial cost: a
// household snapped onto the middle of a path segment is two seeds, one per
// end node, each with the walking time between the point and that node.
// Seeds naming a node ≥ NumNodes are ignored.
type Seed struct {
	Node   uint32
	Offset uint32 // milliseconds
}

// add returns a+b, or inf when the sum reaches inf (treated as unreachable).
func add(a, b uint32) uint32 {
	s := uint64(a) + uint64(b)
	if s >= inf {
		return inf
	}
	return uint32(s)
}
