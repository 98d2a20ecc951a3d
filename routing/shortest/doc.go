// Package shortest is lastmile's shortest-path engine: a compact directed
// graph in CSR form with 32-bit node ids, Dijkstra with a 4-ary heap and
// pooled, epoch-stamped scratch, multi-source bounded search (Nearest),
// components, and contraction hierarchies for fast point queries and
// many-to-many matrices.
//
// Units: every weight and distance is a uint32 number of milliseconds.
// Unreachable is always reported as ok == false, never as a magic value;
// sums that would reach math.MaxUint32 ms (about 49.7 days) count as
// unreachable.
package shortest
