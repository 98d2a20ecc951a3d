package vrp

import (
	"math"
	"math/rand/v2"
	"testing"
)

// exactSplit is the plain O(n²) Bellman split over the penalised route
// costs, without pruning: the reference for both split algorithms.
// maxRoutes ≤ 0 means unlimited.
func exactSplit(in *instance, giant []int32, pen penalties, maxRoutes int) float64 {
	n := len(giant)
	R := n
	if maxRoutes > 0 {
		R = maxRoutes
	}
	pot := make([][]float64, R+1)
	for k := range pot {
		pot[k] = make([]float64, n+1)
		for j := range pot[k] {
			pot[k][j] = math.Inf(1)
		}
	}
	pot[0][0] = 0
	for k := range R {
		for i := range n {
			if math.IsInf(pot[k][i], 1) {
				continue
			}
			var travel, load, svc float64
			for j := i + 1; j <= n; j++ {
				c := giant[j-1]
				if j == i+1 {
					travel = in.at(0, c)
				} else {
					travel += in.at(giant[j-2], c)
				}
				load += in.dem[c]
				svc += in.svc[c]
				t := travel + in.at(c, 0)
				cost := t + in.fixed + pen.load*max(0, load-in.cap) + pen.dur*max(0, t+svc-in.dur)
				pot[k+1][j] = min(pot[k+1][j], pot[k][i]+cost)
			}
		}
	}
	best := math.Inf(1)
	for k := 1; k <= R; k++ {
		best = min(best, pot[k][n])
	}
	return best
}

// TestSplitExact: on random giant tours the linear split (no duration
// limit) finds the exact penalised optimum, with and without a route
// limit, and the pruned Bellman split (duration limit) never beats it.
func TestSplitExact(t *testing.T) {
	for k := range 30 {
		rng := rand.New(rand.NewPCG(*seedFlag, uint64(100+k)))
		n := 5 + rng.IntN(40)
		tp := randomProblem[int64](rng, n+1, k%2 == 1, 0)
		p := &tp.p
		p.Demand = make([]int64, n+1)
		for i := 1; i <= n; i++ {
			p.Demand[i] = 1 + rng.Int64N(10)
		}
		p.Capacity = 20 + rng.Int64N(20)
		p.RouteCost = int64(k % 3 * 50)
		withDur := k%4 == 3
		if withDur {
			p.Service = make([]int64, n+1)
			for i := 1; i <= n; i++ {
				p.Service[i] = rng.Int64N(10)
			}
			p.MaxDuration = 300
		}
		in, _ := build(p, 10)
		sp := newSplitter(in)
		ind := newIndividual(in)
		rng.Shuffle(len(ind.giant), func(a, b int) { ind.giant[a], ind.giant[b] = ind.giant[b], ind.giant[a] })
		pen := penalties{load: 1 + 10*rng.Float64(), dur: 1 + rng.Float64()}
		for _, limit := range []int{in.slots, 2} {
			sp.split(ind, limit, pen)
			want := exactSplit(in, ind.giant, pen, max(limit, int(math.Ceil(in.totalDemand/in.cap))))
			got := ind.ev.penalized
			if withDur {
				if got < want-1e-6 {
					t.Errorf("case %d limit %d: Bellman split %v below the exact %v", k, limit, got, want)
				}
				continue
			}
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("case %d (n %d, limit %d): linear split %v, exact %v", k, n, limit, got, want)
			}
		}
	}
}
