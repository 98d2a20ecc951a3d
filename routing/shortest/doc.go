// Package shortest is lastmile's shortest-path engine: a compact directed
// graph with 32-bit node ids, Dijkstra, multi-source bounded search,
// components, and contraction hierarchies (CH) for fast point queries and
// many-to-many matrices on a walking graph of about a million arcs.
//
// # Units
//
// Every weight and distance is a uint32 number of milliseconds. Node ids
// are dense, 0..NumNodes()-1. Unreachable is always reported as ok == false,
// never as a magic number; a sum that would reach math.MaxUint32 ms (about
// 49.7 days) counts as unreachable. The graph is directed: an undirected
// path segment is two arcs with their own weights (uphill ≠ downhill).
// NewGraph drops self-loops and keeps the cheapest of parallel arcs.
//
// # Query points
//
// A query point is a []Seed: graph nodes with initial offsets (a household
// snapped onto a segment seeds both end nodes with the walking time to
// each). A distance is min over source seeds s and target seeds t of
// s.Offset + dist(s.Node, t.Node) + t.Offset, and paths run from a source
// seed node to a target seed node.
//
// # Algorithms
//
// Graph is a CSR array graph. Dijkstra uses a 4-ary heap with decrease-key
// through a position array; its per-query scratch comes from a sync.Pool
// and is epoch-stamped, so arrays sized by the graph are never cleared
// between queries.
//
// Contract builds a contraction hierarchy. It first renumbers the graph in
// breadth-first order for memory locality, then contracts independent sets
// of nodes whose priority (level + added/removed arcs + added/removed
// hops) is a local minimum, in parallel rounds; witness searches are
// bounded Dijkstras that stop once every target is decided, and avoid all
// nodes of the round, so a whole round can be contracted at once. Degree-2
// chains (paths densified every 30 m) go first and cost one tiny search per
// direction. The result depends only on the graph: identical bytes for any
// number of workers.
//
// Hierarchy.Query is a bidirectional upward Dijkstra with stall-on-demand;
// shortcuts store their middle node (and, derived on load, the indices of
// their two halves), so the path is unpacked without searching.
// Hierarchy.Matrix is the bucket many-to-many algorithm: one upward
// backward search per target fills buckets at the nodes it settles, one
// upward forward search per source scans them.
//
// # Cost (n nodes, m arcs; measured numbers in bench/results/shortest.md)
//
//   - NewGraph, Reverse, Components: O(n + m). StrongComponents: O(n + m).
//   - Graph.Dijkstra, Graph.Query: O((n + m) log n) worst case.
//   - Graph.Nearest: one multi-source Dijkstra per worker group.
//   - Contract: seconds for a million arcs; memory a few hundred bytes
//     per node.
//   - Hierarchy.Query: two upward search spaces, typically hundreds of
//     nodes, plus the unpacked path length: well under a millisecond.
//   - Hierarchy.Matrix: (sources + targets) upward searches plus bucket
//     scans.
//   - MarshalBinary/UnmarshalBinary: linear; decoding checks length,
//     CRC-32C and every structural invariant, so corrupt input yields an
//     error wrapping ErrFormat and never a panic.
//
// # Concurrency
//
// Graph and Hierarchy are immutable once built or decoded and safe for
// concurrent use by any number of goroutines; each query takes its scratch
// from a pool. Methods that take a workers count start at most that many
// goroutines and wait for all of them before returning.
package shortest
