package tsp

import (
	"errors"
	"fmt"
	"math"
)

// ErrInfeasible is returned by Split when a single stop does not fit in
// the budget on its own.
var ErrInfeasible = errors.New("tsp: a stop does not fit in the budget")

// Trip is one day's route: from the depot through Stops and back.
type Trip struct {
	Stops []int
	// Cost is the travel cost depot → Stops… → depot.
	Cost int64
	// Duration is Cost plus the service times of Stops.
	Duration int64
}

// Split cuts a giant tour into consecutive trips from and back to depot,
// each with a duration (travel plus service) of at most budget, with the
// least total travel cost (ties: fewer trips). This is Prins' (2004)
// split: a shortest path over the O(n²) arcs "trip of stops i..j" of the
// auxiliary graph, pruned once a trip exceeds the budget.
//
// order lists the stops to visit (depot excluded), each once; service[v]
// is node v's service time (nil: 0). Costs must be non-negative. It
// returns ErrInfeasible when some stop alone exceeds the budget. O(n²)
// time at worst, O(n) memory. order and service are not modified.
func Split[T Cost](m Matrix[T], depot int, order []int, service []int64, budget int64) ([]Trip, int64, error) {
	if err := m.Validate(); err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrInput, err)
	}
	if depot < 0 || depot >= m.N {
		return nil, 0, fmt.Errorf("%w: depot %d outside 0..%d", ErrInput, depot, m.N-1)
	}
	if service != nil && len(service) != m.N {
		return nil, 0, fmt.Errorf("%w: %d service times for %d nodes", ErrInput, len(service), m.N)
	}
	svc := func(v int) int64 {
		if service == nil {
			return 0
		}
		return service[v]
	}
	for _, v := range order {
		if v < 0 || v >= m.N || v == depot {
			return nil, 0, fmt.Errorf("%w: stop %d is the depot or outside 0..%d", ErrInput, v, m.N-1)
		}
		if svc(v) < 0 {
			return nil, 0, fmt.Errorf("%w: negative service time at node %d", ErrInput, v)
		}
		if d := m.At(depot, v) + svc(v) + m.At(v, depot); d > budget {
			return nil, 0, fmt.Errorf("%w: node %d needs %d, budget %d", ErrInfeasible, v, d, budget)
		}
	}
	n := len(order)
	// best[j]: least cost of serving order[:j]; trips[j]: how many trips;
	// from[j]: where the last trip starts.
	best := make([]int64, n+1)
	trips := make([]int, n+1)
	from := make([]int, n+1)
	for j := 1; j <= n; j++ {
		best[j] = math.MaxInt64
	}
	for i := range n {
		if best[i] == math.MaxInt64 {
			continue
		}
		var path, dur int64 // depot → order[i] … order[j-1], without the way back
		for j := i + 1; j <= n; j++ {
			v := order[j-1]
			if j == i+1 {
				path = m.At(depot, v)
			} else {
				path += m.At(order[j-2], v)
			}
			dur += svc(v)
			back := m.At(v, depot)
			if path+dur+back > budget {
				if path+dur > budget {
					break // longer trips from i only grow
				}
				continue
			}
			c := best[i] + path + back
			if c < best[j] || (c == best[j] && trips[i]+1 < trips[j]) {
				best[j], trips[j], from[j] = c, trips[i]+1, i
			}
		}
	}
	out := make([]Trip, trips[n])
	for j, k := n, trips[n]-1; j > 0; k-- {
		i := from[j]
		t := Trip{Stops: append([]int(nil), order[i:j]...)}
		t.Cost = m.Cost(append(append([]int{depot}, t.Stops...), depot), false)
		t.Duration = t.Cost
		for _, v := range t.Stops {
			t.Duration += svc(v)
		}
		out[k] = t
		j = i
	}
	return out, best[n], nil
}
