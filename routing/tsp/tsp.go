package tsp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Cost is the type of one matrix entry: TSPLIB integers, walking seconds
// or milliseconds. Sums are taken in int64.
type Cost interface{ ~int32 | ~int64 }

// Matrix is an n×n cost matrix in row-major order: C[i*N+j] is the cost of
// going from node i to node j. It may be asymmetric; the diagonal is
// ignored. Solve never modifies it.
type Matrix[T Cost] struct {
	N int
	C []T
}

// At returns the cost from i to j.
func (m Matrix[T]) At(i, j int) int64 { return int64(m.C[i*m.N+j]) }

// Validate reports whether m is well formed: N ≥ 1 and len(C) == N*N.
func (m Matrix[T]) Validate() error {
	if m.N < 1 {
		return fmt.Errorf("tsp: matrix has %d nodes, want at least 1", m.N)
	}
	if m.N > math.MaxInt32/2 || len(m.C) != m.N*m.N {
		return fmt.Errorf("tsp: matrix of %d nodes has %d costs, want %d", m.N, len(m.C), m.N*m.N)
	}
	return nil
}

// Symmetric reports whether C[i][j] == C[j][i] for all i, j. O(n²).
func (m Matrix[T]) Symmetric() bool {
	n := m.N
	for i := range n {
		for j := i + 1; j < n; j++ {
			if m.C[i*n+j] != m.C[j*n+i] {
				return false
			}
		}
	}
	return true
}

// Cost returns the cost of visiting order: the sum of the legs between
// consecutive nodes, plus the leg back to order[0] when roundTrip. It does
// not check that order is a permutation.
func (m Matrix[T]) Cost(order []int, roundTrip bool) int64 {
	var s int64
	for k := 1; k < len(order); k++ {
		s += m.At(order[k-1], order[k])
	}
	if roundTrip && len(order) > 1 {
		s += m.At(order[len(order)-1], order[0])
	}
	return s
}

// Options tunes Solve. The zero value (or nil) is a round trip from node 0
// with the default limits.
type Options struct {
	// Start is the first node of the route.
	Start int
	// End is the last node of an open path. End == Start asks for a round
	// trip that returns to Start.
	End int
	// TimeLimit bounds the search (0: no time limit). Construction and the
	// first local search always run to completion.
	TimeLimit time.Duration
	// Iterations bounds the number of perturbation rounds (0: unbounded
	// when a TimeLimit is set, otherwise DefaultIterations(n)).
	Iterations int
	// Stall stops the search after this many rounds in a row without a
	// strictly better route (0: DefaultStall(n); negative: never).
	Stall int
	// Seed drives the random perturbations. Same input, same seed and no
	// TimeLimit give the same route.
	Seed uint64
	// Initial is a route to start from instead of the greedy one, for
	// example a route edited by a multi-day planner: a permutation of
	// 0..n-1 beginning with Start (and ending with End for an open path).
	// Solve does not modify it; up to 12 nodes it is not needed.
	Initial []int
	// Neighbors is the candidate list size per node (0: 8 α-nearest for
	// a symmetric matrix, 10 cheapest for an asymmetric one).
	Neighbors int
}

// DefaultStall is the number of rounds without improvement after which
// Solve stops by default.
func DefaultStall(n int) int { return 100000 + 300*n }

// DefaultIterations is the round limit when neither TimeLimit nor
// Iterations is set.
func DefaultIterations(n int) int { return 100000 + 500*n }

// Result is an optimised route.
type Result struct {
	// Order lists every node once, starting with Start (and ending with
	// End for an open path).
	Order []int
	// Cost is the route's cost, including the leg back to Start for a
	// round trip.
	Cost int64
	// LowerBound is a proven lower bound on the optimal cost (math.MinInt64
	// when none was computed).
	LowerBound int64
	// Optimal reports that Cost is proven optimal (Cost == LowerBound).
	Optimal bool
	// Rounds is the number of perturbation rounds run.
	Rounds int
}

// ErrInput is the sentinel under Solve's errors about bad arguments.
var ErrInput = errors.New("tsp: bad input")

// exactMax is the largest n Solve solves by dynamic programming.
const exactMax = 12

// Solve returns a short route through every node of m, starting at
// opts.Start and either returning to it (End == Start) or ending at
// opts.End. Up to 12 nodes it is exact; above, it runs a 3-opt (Or-3opt)
// local search with neighbour lists and don't-look bits, then an iterated
// local search with segment-swap kicks until a limit is reached, ctx is
// done (the best route so far is returned, with no error) or the lower
// bound proves the route optimal. Asymmetric matrices are solved through
// the Jonker–Volgenant transformation to a symmetric problem of 2n nodes.
//
// Solve is single-threaded, keeps no global state and is safe to call
// concurrently. Preparation costs O(n²) time (neighbour lists, the
// Held–Karp ascent) and, for an asymmetric matrix, O(n²) memory for the
// transformed matrix; otherwise memory is O(n·Neighbors). Costs must stay
// well inside int64 (|cost|·n below 2⁶⁰); the ascent works in float64.
func Solve[T Cost](ctx context.Context, m Matrix[T], opts *Options) (Result, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if err := m.Validate(); err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrInput, err)
	}
	n := m.N
	if o.Start < 0 || o.Start >= n || o.End < 0 || o.End >= n {
		return Result{}, fmt.Errorf("%w: start %d or end %d outside 0..%d", ErrInput, o.Start, o.End, n-1)
	}
	if o.Initial != nil {
		if err := checkInitial(o.Initial, n, o.Start, o.End); err != nil {
			return Result{}, err
		}
	}
	if n <= exactMax {
		return exact(m, o.Start, o.End), nil
	}
	return heuristic(ctx, m, o), nil
}

func (o *Options) deadline(start time.Time) time.Time {
	if o.TimeLimit <= 0 {
		return time.Time{}
	}
	return start.Add(o.TimeLimit)
}

// deadlineFrac is the deadline for a fraction f of the time limit.
func (o *Options) deadlineFrac(start time.Time, f float64) time.Time {
	if o.TimeLimit <= 0 {
		return time.Time{}
	}
	return start.Add(time.Duration(f * float64(o.TimeLimit)))
}

// checkInitial reports whether order is a permutation of 0..n-1 from start
// (to end).
func checkInitial(order []int, n, start, end int) error {
	if len(order) != n {
		return fmt.Errorf("%w: initial route has %d nodes, want %d", ErrInput, len(order), n)
	}
	seen := make([]bool, n)
	for _, v := range order {
		if v < 0 || v >= n || seen[v] {
			return fmt.Errorf("%w: initial route is not a permutation of 0..%d (node %d)", ErrInput, n-1, v)
		}
		seen[v] = true
	}
	if order[0] != start || (start != end && order[n-1] != end) {
		return fmt.Errorf("%w: initial route runs from %d to %d, want %d to %d", ErrInput, order[0], order[n-1], start, end)
	}
	return nil
}
