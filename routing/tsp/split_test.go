package tsp

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// splitBrute tries every way to cut order into trips.
func splitBrute(m Matrix[int64], depot int, order []int, service []int64, budget int64) int64 {
	n := len(order)
	best := int64(1) << 62
	for mask := 0; mask < 1<<(n-1); mask++ { // bit k: cut after order[k]
		var total int64
		ok := true
		start := 0
		for k := range n {
			if k == n-1 || mask&(1<<k) != 0 {
				trip := append(append([]int{depot}, order[start:k+1]...), depot)
				c := m.Cost(trip, false)
				d := c
				for _, v := range order[start : k+1] {
					d += service[v]
				}
				if d > budget {
					ok = false
					break
				}
				total += c
				start = k + 1
			}
		}
		if ok {
			best = min(best, total)
		}
	}
	return best
}

func TestSplitBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 6))
	for trial := range 200 {
		n := 2 + rng.IntN(9)
		m := randomMatrix(rng, n+1, trial%2 == 0, 50)
		depot := rng.IntN(n + 1)
		var order []int
		service := make([]int64, n+1)
		for v := range n + 1 {
			if v != depot {
				order = append(order, v)
			}
			service[v] = int64(rng.IntN(20))
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		budget := int64(100 + rng.IntN(200))
		trips, cost, err := Split(m, depot, order, service, budget)
		if errors.Is(err, ErrInfeasible) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := splitBrute(m, depot, order, service, budget); cost != want {
			t.Fatalf("trial %d: Split cost %d, brute force %d", trial, cost, want)
		}
		var sum int64
		k := 0
		for _, tr := range trips {
			if tr.Duration > budget {
				t.Fatalf("trial %d: trip %v lasts %d > %d", trial, tr.Stops, tr.Duration, budget)
			}
			for _, v := range tr.Stops {
				if order[k] != v {
					t.Fatalf("trial %d: trips %v do not follow the order %v", trial, trips, order)
				}
				k++
			}
			sum += tr.Cost
		}
		if k != len(order) || sum != cost {
			t.Fatalf("trial %d: trips cover %d of %d stops, cost %d vs %d", trial, k, len(order), sum, cost)
		}
	}
}

func TestSplitInfeasible(t *testing.T) {
	m := Matrix[int32]{N: 3, C: []int32{0, 10, 50, 10, 0, 10, 50, 10, 0}}
	if _, _, err := Split(m, 0, []int{1, 2}, nil, 60); !errors.Is(err, ErrInfeasible) {
		t.Errorf("Split error %v, want ErrInfeasible (node 2 needs 100)", err)
	}
	trips, cost, err := Split(m, 0, []int{1, 2}, nil, 100)
	if err != nil || cost != 70 || len(trips) != 1 {
		t.Errorf("Split = %v, %d, %v; want one trip costing 70", trips, cost, err)
	}
}
