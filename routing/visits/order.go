package visits

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/lastmile-health/lastmile/routing/tsp"
)

// exactStops is the largest day routing/tsp orders exactly (Held–Karp
// dynamic programming, O(2ⁿ·n²)); longer days are built by cheapest
// insertion and improved by polish. routing/tsp's iterated 3-opt would
// order them as well, but its Held–Karp ascent alone costs more than a
// whole day's local search, and a national plan orders 60,000 days.
const exactStops = 9

// tour returns a short round trip from the depot through stops that uses
// only legs with a path (the stops in visiting order, depot excluded) and
// its walking time; ok is false when none was found. Up to exactStops
// stops the trip is the shortest.
func (pl *planner) tour(ctx context.Context, stops []int) ([]int, float64, bool) {
	switch {
	case len(stops) == 0:
		return nil, 0, true
	case len(stops) <= 2:
		order := pl.bestOfTwo(stops)
		w, ok := pl.walk(order)
		return order, w, ok
	case len(stops) <= exactStops:
		return pl.exactTour(ctx, stops)
	}
	order := pl.polish(pl.cheapestInsertion(stops))
	w, ok := pl.walk(order)
	return order, w, ok
}

// exactTour orders stops with routing/tsp's exact solver.
func (pl *planner) exactTour(ctx context.Context, stops []int) ([]int, float64, bool) {
	nodes := append([]int{Depot}, stops...)
	n := len(nodes)
	// Milliseconds, as the walking graph measures them; a leg with no
	// path costs more than any tour of legs with one, and a tour using it
	// is rejected below.
	var maxLeg float64
	for _, a := range nodes {
		for _, b := range nodes {
			if d, ok := pl.c.at(a, b); ok && d > maxLeg {
				maxLeg = d
			}
		}
	}
	penalty := int64(math.Ceil(maxLeg*1000))*int64(n+1) + 1
	m := tsp.Matrix[int64]{N: n, C: make([]int64, n*n)}
	for i, a := range nodes {
		for j, b := range nodes {
			if i == j {
				continue
			}
			if d, ok := pl.c.at(a, b); ok {
				m.C[i*n+j] = int64(math.Round(d * 1000))
			} else {
				m.C[i*n+j] = penalty
			}
		}
	}
	r, err := tsp.Solve(ctx, m, nil)
	if err != nil {
		return nil, 0, false
	}
	order := make([]int, 0, len(stops))
	for _, i := range r.Order[1:] {
		order = append(order, nodes[i])
	}
	w, ok := pl.walk(order)
	return order, w, ok
}

// cheapestInsertion builds a round trip by inserting each stop, farthest
// from the depot first, where it adds the least walking.
func (pl *planner) cheapestInsertion(stops []int) []int {
	rest := slices.Clone(stops)
	far := func(v int) float64 {
		a, _ := pl.c.at(Depot, v)
		b, _ := pl.c.at(v, Depot)
		return a + b
	}
	slices.SortStableFunc(rest, func(a, b int) int { return cmp.Compare(far(b), far(a)) })
	var order []int
	for _, v := range rest {
		best, at := math.Inf(1), len(order)
		prev := Depot
		for k := 0; k <= len(order); k++ {
			next := Depot
			if k < len(order) {
				next = order[k]
			}
			a, ok1 := pl.c.at(prev, v)
			b, ok2 := pl.c.at(v, next)
			c, _ := pl.c.at(prev, next)
			if ok1 && ok2 && a+b-c < best {
				best, at = a+b-c, k
			}
			prev = next
		}
		order = slices.Insert(order, at, v)
	}
	return order
}

// polish improves a round trip by local search until no move helps:
// Or-opt (a segment of 1 to 3 stops moved elsewhere, in its direction)
// and 2-opt (a segment reversed, priced in both directions, as uphill and
// downhill differ), first improvement. Legs with no path are never added.
func (pl *planner) polish(order []int) []int {
	k := len(order)
	if k < 3 {
		return order
	}
	r := make([]int, 0, k+2)
	r = append(r, Depot)
	r = append(r, order...)
	r = append(r, Depot)
	n := len(r)
	leg := func(a, b int) float64 {
		d, ok := pl.c.at(a, b)
		if !ok {
			return math.Inf(1)
		}
		return d
	}
	fwd := make([]float64, n) // fwd[i]: r[0]→…→r[i]
	bwd := make([]float64, n) // bwd[i]: r[i]→…→r[0], walked backwards
	sums := func() {
		for i := 1; i < n; i++ {
			fwd[i] = fwd[i-1] + leg(r[i-1], r[i])
			bwd[i] = bwd[i-1] + leg(r[i], r[i-1])
		}
	}
	const tiny = 1e-9
	for improved := true; improved; {
		improved = false
		sums()
		// 2-opt: reverse r[i..j].
		for i := 1; i < n-2 && !improved; i++ {
			for j := i + 1; j < n-1; j++ {
				old := leg(r[i-1], r[i]) + (fwd[j] - fwd[i]) + leg(r[j], r[j+1])
				nw := leg(r[i-1], r[j]) + (bwd[j] - bwd[i]) + leg(r[i], r[j+1])
				if nw < old-tiny {
					slices.Reverse(r[i : j+1])
					improved = true
					break
				}
			}
		}
		if improved {
			continue
		}
		// Or-opt: move r[i..i+L-1] between r[j] and r[j+1].
		for L := 1; L <= 3 && !improved; L++ {
			for i := 1; i+L <= n-1 && !improved; i++ {
				a, s0, s1, b := r[i-1], r[i], r[i+L-1], r[i+L]
				gain := leg(a, s0) + leg(s1, b) - leg(a, b)
				if math.IsInf(gain, 0) || math.IsNaN(gain) {
					continue
				}
				for j := 0; j < n-1; j++ {
					if j >= i-1 && j <= i+L-1 {
						continue
					}
					add := leg(r[j], s0) + leg(s1, r[j+1]) - leg(r[j], r[j+1])
					if add < gain-tiny {
						seg := slices.Clone(r[i : i+L])
						r = slices.Delete(r, i, i+L)
						at := j + 1
						if j > i {
							at -= L
						}
						r = slices.Insert(r, at, seg...)
						improved = true
						break
					}
				}
			}
		}
	}
	return r[1 : n-1]
}

// improve returns the day's stops in the order that walks least among
// those tried, or stops unchanged when none was better.
func (pl *planner) improve(ctx context.Context, stops []int) []int {
	cur, curOK := pl.walk(stops)
	var order []int
	if len(stops) <= exactStops {
		order, _, _ = pl.tour(ctx, stops)
	} else {
		order = pl.polish(slices.Clone(stops))
	}
	if w, ok := pl.walk(order); ok && (!curOK || w < cur) {
		return order
	}
	return stops
}

// bestOfTwo orders one or two stops (uphill and downhill differ).
func (pl *planner) bestOfTwo(stops []int) []int {
	if len(stops) != 2 {
		return stops
	}
	a, okA := pl.walk(stops)
	rev := []int{stops[1], stops[0]}
	b, okB := pl.walk(rev)
	if okB && (!okA || b < a) {
		return rev
	}
	return stops
}
