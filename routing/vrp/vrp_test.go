package vrp

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

var seedFlag = flag.Uint64("seed", 1, "seed of the random test instances")

// testProblem is a random instance: costs, reachability, demands and
// service times as plain arrays, so the checker and the oracle read them
// without the solver.
type testProblem[T Cost] struct {
	p     Problem[T]
	cost  [][]T
	reach [][]bool
}

// randomProblem makes an instance of n nodes (depot 0) on a 100×100 grid.
// asym adds up to 50 % to one direction of each pair, as walking uphill
// does; unreach removes that share of the pairs between customers.
func randomProblem[T Cost](rng *rand.Rand, n int, asym bool, unreach float64) *testProblem[T] {
	tp := &testProblem[T]{cost: make([][]T, n), reach: make([][]bool, n)}
	xy := make([][2]float64, n)
	for i := range xy {
		xy[i] = [2]float64{float64(rng.IntN(100)), float64(rng.IntN(100))}
	}
	for i := range n {
		tp.cost[i] = make([]T, n)
		tp.reach[i] = make([]bool, n)
		for j := range n {
			d := math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1])
			if asym && i < j {
				d *= 1 + 0.5*rng.Float64()
			}
			tp.cost[i][j] = T(math.Round(d))
			tp.reach[i][j] = i == 0 || j == 0 || i == j || rng.Float64() >= unreach
		}
	}
	tp.p = Problem[T]{N: n, Depot: 0, XY: xy, Travel: func(i, j int) (T, bool) {
		return tp.cost[i][j], tp.reach[i][j]
	}}
	return tp
}

// check verifies res against tp independently of the solver and returns
// the recomputed objective. Every node but the depot is in exactly one
// route or in Unserved.
func (tp *testProblem[T]) check(t *testing.T, res Result[T]) float64 {
	t.Helper()
	p := &tp.p
	seen := make([]bool, p.N)
	seen[p.Depot] = true
	for _, u := range res.Unserved {
		if seen[u.Node] {
			t.Fatalf("unserved node %d is the depot or listed twice", u.Node)
		}
		seen[u.Node] = true
	}
	var total float64
	feasible := p.MaxRoutes == 0 || len(res.Routes) <= p.MaxRoutes
	for k, r := range res.Routes {
		if len(r.Stops) == 0 {
			t.Fatalf("route %d is empty", k)
		}
		var travel, svc float64
		var load int64
		prev := p.Depot
		for _, v := range append(slices.Clone(r.Stops), p.Depot) {
			if v != p.Depot {
				if v < 0 || v >= p.N || seen[v] {
					t.Fatalf("route %d visits node %d twice, or the depot, or out of range", k, v)
				}
				seen[v] = true
				if p.Service != nil {
					svc += float64(p.Service[v])
				}
				if p.Demand != nil {
					load += p.Demand[v]
				}
			}
			if !tp.reach[prev][v] {
				feasible = false
			}
			travel += float64(tp.cost[prev][v])
			prev = v
		}
		if math.Abs(float64(r.Travel)-travel) > 1e-6 || math.Abs(float64(r.Duration)-travel-svc) > 1e-6 || r.Load != load {
			t.Fatalf("route %d reports travel %v duration %v load %d, checker %v %v %d", k, r.Travel, r.Duration, r.Load, travel, travel+svc, load)
		}
		if (p.Capacity > 0 && load > p.Capacity) || (p.MaxDuration > 0 && travel+svc > float64(p.MaxDuration)+1e-9) {
			feasible = false
		}
		total += travel
	}
	for v, ok := range seen {
		if !ok {
			t.Fatalf("node %d is neither routed nor listed as unserved", v)
		}
	}
	obj := total + float64(p.RouteCost)*float64(len(res.Routes))
	if math.Abs(float64(res.Cost)-obj) > 1e-6 || math.Abs(float64(res.Travel)-total) > 1e-6 {
		t.Fatalf("result says cost %v travel %v, checker %v %v", res.Cost, res.Travel, obj, total)
	}
	if feasible != res.Feasible {
		t.Fatalf("result says feasible %v, checker %v", res.Feasible, feasible)
	}
	return obj
}

// bruteForce returns the least objective over every plan: every order of
// the customers cut into consecutive routes in every way. ok is false when
// no plan is feasible. O(n!·2ⁿ); n ≤ 8.
func (tp *testProblem[T]) bruteForce(customers []int) (best float64, plan [][]int, ok bool) {
	p := &tp.p
	best = math.Inf(1)
	perm := slices.Clone(customers)
	n := len(perm)
	var visit func(k int)
	visit = func(k int) {
		if k < n {
			for i := k; i < n; i++ {
				perm[k], perm[i] = perm[i], perm[k]
				visit(k + 1)
				perm[k], perm[i] = perm[i], perm[k]
			}
			return
		}
		for cuts := 0; cuts < 1<<max(0, n-1); cuts++ {
			obj, routes := 0.0, 0
			feasible := true
			start := 0
			for end := 1; end <= n && feasible; end++ {
				if end < n && cuts&(1<<(end-1)) == 0 {
					continue
				}
				var travel, svc float64
				var load int64
				prev := p.Depot
				for _, v := range append(slices.Clone(perm[start:end]), p.Depot) {
					if !tp.reach[prev][v] {
						feasible = false
					}
					travel += float64(tp.cost[prev][v])
					if v != p.Depot {
						if p.Service != nil {
							svc += float64(p.Service[v])
						}
						if p.Demand != nil {
							load += p.Demand[v]
						}
					}
					prev = v
				}
				if (p.Capacity > 0 && load > p.Capacity) || (p.MaxDuration > 0 && travel+svc > float64(p.MaxDuration)) {
					feasible = false
				}
				obj += travel + float64(p.RouteCost)
				routes++
				start = end
			}
			if feasible && (p.MaxRoutes == 0 || routes <= p.MaxRoutes) && obj < best {
				best = obj
				plan = plan[:0]
				start := 0
				for end := 1; end <= n; end++ {
					if end == n || cuts&(1<<(end-1)) != 0 {
						plan = append(plan, slices.Clone(perm[start:end]))
						start = end
					}
				}
			}
		}
	}
	visit(0)
	return best, plan, !math.IsInf(best, 1)
}

// TestOracle compares Solve with brute force on small random instances of
// every kind: capacities, duration limits with service times, asymmetric
// costs, fixed route costs, a route limit and unreachable pairs.
func TestOracle(t *testing.T) {
	type variant struct {
		name     string
		asym     bool
		capacity bool
		duration bool
		fixed    int64
		maxR     int
		unreach  float64
	}
	variants := []variant{
		{name: "capacity", capacity: true},
		{name: "duration", duration: true},
		{name: "asymmetric", asym: true, capacity: true},
		{name: "asymmetric duration", asym: true, duration: true},
		{name: "fixed cost", capacity: true, duration: true, fixed: 1000},
		{name: "max routes", capacity: true, maxR: 2},
		{name: "unreachable pairs", asym: true, capacity: true, unreach: 0.3},
		{name: "unconstrained", asym: true},
	}
	for _, v := range variants {
		for k := range 6 {
			n := 4 + k%4 // 3 to 6 customers, plus the depot
			t.Run(fmt.Sprintf("%s/%d", v.name, k), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(*seedFlag, uint64(k)))
				tp := randomProblem[int64](rng, n+1, v.asym, v.unreach)
				p := &tp.p
				if v.capacity {
					p.Demand = make([]int64, n+1)
					for i := 1; i <= n; i++ {
						p.Demand[i] = 1 + rng.Int64N(10)
					}
					p.Capacity = 15
				}
				if v.duration {
					p.Service = make([]int64, n+1)
					for i := 1; i <= n; i++ {
						p.Service[i] = rng.Int64N(20)
					}
					p.MaxDuration = 250
				}
				p.RouteCost, p.MaxRoutes = v.fixed, v.maxR
				res, err := Solve(context.Background(), p, &Options{Iterations: 1500, Seed: 7})
				if err != nil {
					t.Fatal(err)
				}
				got := tp.check(t, res)
				var served []int
				for i := 1; i <= n; i++ {
					if !slices.ContainsFunc(res.Unserved, func(u Unserved) bool { return u.Node == i }) {
						served = append(served, i)
					}
				}
				want, plan, ok := tp.bruteForce(served)
				if !ok {
					if res.Feasible {
						t.Fatalf("solver found a feasible plan of cost %v, brute force none", got)
					}
					return
				}
				if !res.Feasible || math.Abs(got-want) > 1e-9 {
					t.Errorf("Solve = %v (feasible %v), optimum %v %v; routes %v", got, res.Feasible, want, plan, res.Routes)
				}
			})
		}
	}
}

// TestLarger checks feasibility and the reported costs on instances too
// large for brute force, asymmetric, with a duration limit and service
// times, in seconds as float64.
func TestLarger(t *testing.T) {
	for _, n := range []int{30, 80} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(*seedFlag, uint64(n)))
			tp := randomProblem[float64](rng, n+1, true, 0.05)
			p := &tp.p
			p.Service = make([]float64, n+1)
			p.Demand = make([]int64, n+1)
			for i := 1; i <= n; i++ {
				p.Service[i] = 10 + 5*rng.Float64()
				p.Demand[i] = 1 + rng.Int64N(5)
			}
			p.Capacity, p.MaxDuration = 30, 300
			res, err := Solve(context.Background(), p, &Options{Iterations: 200, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			tp.check(t, res)
			if !res.Feasible || len(res.Unserved) != 0 {
				t.Errorf("plan feasible %v with %d unserved, want a feasible plan serving all", res.Feasible, len(res.Unserved))
			}
		})
	}
}

// TestAsymmetricDirection: customers on a hill are cheap to reach going
// down and dear going up, so the best route climbs straight to the top
// and visits them on the way down: the reverse of that order costs more.
func TestAsymmetricDirection(t *testing.T) {
	// Node 0 is the valley, 1..4 climb a slope. Going down costs 1 per
	// step; going up 3 per step plus 5 to start climbing.
	const n = 5
	cost := func(i, j int) (int64, bool) {
		if j > i {
			return 5 + 3*int64(j-i), true
		}
		return int64(i - j), true
	}
	p := &Problem[int64]{N: n, Travel: cost}
	res, err := Solve(context.Background(), p, &Options{Iterations: 50})
	if err != nil {
		t.Fatal(err)
	}
	// Up to 4 in one climb (17), then down through 3, 2, 1 (4): 21. The
	// reverse order climbs four times: 32 + 4.
	if res.Cost != 21 || len(res.Routes) != 1 || !slices.Equal(res.Routes[0].Stops, []int{4, 3, 2, 1}) {
		t.Errorf("Solve = cost %d routes %v, want 21 via [4 3 2 1]", res.Cost, res.Routes)
	}
}

// TestUnserved lists customers that no route can take, with the reason,
// and routes the rest.
func TestUnserved(t *testing.T) {
	// 0 depot; 1 unreachable from it; 2 too heavy; 3 too far for the day;
	// 4 and 5 fine.
	cost := func(i, j int) (int64, bool) {
		if i == 1 || j == 1 {
			return 0, false
		}
		if i == 3 || j == 3 {
			return 100, true
		}
		return 10, true
	}
	p := &Problem[int64]{N: 6, Travel: cost, Demand: []int64{0, 1, 50, 1, 1, 1}, Capacity: 10, MaxDuration: 150}
	res, err := Solve(context.Background(), p, &Options{Iterations: 20})
	if err != nil {
		t.Fatal(err)
	}
	want := []Unserved{{1, Unreachable}, {2, TooHeavy}, {3, TooLong}}
	if !slices.Equal(res.Unserved, want) {
		t.Errorf("Unserved = %v, want %v", res.Unserved, want)
	}
	if len(res.Routes) != 1 || len(res.Routes[0].Stops) != 2 || !res.Feasible {
		t.Errorf("Routes = %v (feasible %v), want one route with 4 and 5", res.Routes, res.Feasible)
	}
}

// TestFixedCostFewestRoutes: with a cost per route above any travel, the
// plan uses the fewest routes the duration limit allows, even when more
// routes would travel less. Four clusters of five customers lie 50 from
// the depot and 200 from each other (a river between them, the depot at
// the bridge); a day holds two clusters at most.
func TestFixedCostFewestRoutes(t *testing.T) {
	const n = 21
	cluster := func(i int) int { return (i - 1) / 5 }
	cost := func(i, j int) (int64, bool) {
		switch {
		case i == j:
			return 0, true
		case i == 0 || j == 0:
			return 50, true
		case cluster(i) == cluster(j):
			return 1, true
		}
		return 200, true
	}
	p := &Problem[int64]{N: n, Travel: cost, Service: slices.Repeat([]int64{10}, n), MaxDuration: 410}
	free, err := Solve(context.Background(), p, &Options{Iterations: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// One cluster per route: 4 × (50 + 4 + 50).
	if free.Cost != 416 || len(free.Routes) != 4 {
		t.Errorf("without a route cost: cost %d in %d routes, want 416 in 4", free.Cost, len(free.Routes))
	}
	p.RouteCost = 1_000_000
	fixed, err := Solve(context.Background(), p, &Options{Iterations: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Two clusters per route: 2 × (50 + 4 + 200 + 4 + 50), duration 408.
	if fixed.Travel != 616 || len(fixed.Routes) != 2 || !fixed.Feasible {
		t.Errorf("with a route cost: travel %d in %d routes (feasible %v), want 616 in 2", fixed.Travel, len(fixed.Routes), fixed.Feasible)
	}
}

// TestMaxRoutesInfeasible: when the customers cannot fit in MaxRoutes
// routes, Solve still returns a plan serving everyone, marked infeasible.
func TestMaxRoutesInfeasible(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 5))
	tp := randomProblem[int64](rng, 11, false, 0)
	p := &tp.p
	p.Demand = slices.Repeat([]int64{4}, 11)
	p.Capacity, p.MaxRoutes = 10, 3 // 10 customers of 4 need 5 routes
	res, err := Solve(context.Background(), p, &Options{Iterations: 100})
	if err != nil {
		t.Fatal(err)
	}
	tp.check(t, res)
	if res.Feasible || len(res.Routes) > 3 {
		t.Errorf("feasible %v with %d routes, want an infeasible plan of at most 3 routes", res.Feasible, len(res.Routes))
	}
}

// TestDeterministic: same problem and seed, same plan.
func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 11))
	tp := randomProblem[int64](rng, 60, true, 0)
	p := &tp.p
	p.Demand = make([]int64, 60)
	for i := 1; i < 60; i++ {
		p.Demand[i] = 1 + rng.Int64N(9)
	}
	p.Capacity = 40
	var first Result[int64]
	for k := range 3 {
		res, err := Solve(context.Background(), p, &Options{Iterations: 150, Seed: 42})
		if err != nil {
			t.Fatal(err)
		}
		tp.check(t, res)
		if k == 0 {
			first = res
			continue
		}
		if res.Cost != first.Cost || !slices.EqualFunc(res.Routes, first.Routes, func(a, b Route[int64]) bool {
			return slices.Equal(a.Stops, b.Stops)
		}) {
			t.Fatalf("run %d: cost %d routes %v, first run cost %d routes %v", k, res.Cost, res.Routes, first.Cost, first.Routes)
		}
	}
}

// TestCancelled: a cancelled context still gives a complete plan.
func TestCancelled(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 13))
	tp := randomProblem[int64](rng, 40, false, 0)
	p := &tp.p
	p.Demand = slices.Repeat([]int64{1}, 40)
	p.Capacity = 8
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Solve(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	tp.check(t, res)
	if res.Iterations != 0 || !res.Feasible {
		t.Errorf("cancelled run: %d iterations, feasible %v; want 0 iterations and a feasible plan", res.Iterations, res.Feasible)
	}
}

// TestTrivial: only the depot, and a single customer.
func TestTrivial(t *testing.T) {
	cost := func(i, j int) (int32, bool) { return int32(3 + i + 2*j), true }
	res, err := Solve(context.Background(), &Problem[int32]{N: 1, Travel: cost}, nil)
	if err != nil || len(res.Routes) != 0 || res.Cost != 0 || !res.Feasible {
		t.Errorf("depot only: %+v, %v", res, err)
	}
	res, err = Solve(context.Background(), &Problem[int32]{N: 2, Depot: 1, Travel: cost}, nil)
	if err != nil || len(res.Routes) != 1 || res.Cost != (3+1+0)+(3+0+2) {
		t.Errorf("one customer: %+v, %v", res, err)
	}
}

func TestBadInput(t *testing.T) {
	travel := func(i, j int) (float64, bool) { return 1, true }
	tests := []struct {
		name string
		p    Problem[float64]
	}{
		{"no nodes", Problem[float64]{Travel: travel}},
		{"depot out of range", Problem[float64]{N: 3, Depot: 3, Travel: travel}},
		{"no travel", Problem[float64]{N: 3}},
		{"short service", Problem[float64]{N: 3, Travel: travel, Service: []float64{1}}},
		{"short demand", Problem[float64]{N: 3, Travel: travel, Demand: []int64{1}, Capacity: 2}},
		{"demand without capacity", Problem[float64]{N: 3, Travel: travel, Demand: []int64{0, 1, 1}}},
		{"negative demand", Problem[float64]{N: 3, Travel: travel, Demand: []int64{0, -1, 1}, Capacity: 2}},
		{"negative service", Problem[float64]{N: 3, Travel: travel, Service: []float64{0, -1, 1}}},
		{"NaN duration", Problem[float64]{N: 3, Travel: travel, MaxDuration: math.NaN()}},
		{"negative route cost", Problem[float64]{N: 3, Travel: travel, RouteCost: -1}},
		{"negative travel", Problem[float64]{N: 3, Travel: func(i, j int) (float64, bool) { return -1, true }}},
		{"infinite travel", Problem[float64]{N: 3, Travel: func(i, j int) (float64, bool) { return math.Inf(1), true }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Solve(context.Background(), &tt.p, nil)
			if !errors.Is(err, ErrInput) {
				t.Errorf("Solve error = %v, want ErrInput", err)
			}
		})
	}
}

// TestHugePenaltiesTerminate: with too few routes allowed and a large
// route cost, penalties climb until penalised costs are about 1e12, where
// float64 rounding exceeds a fixed improvement threshold; the local search
// once cycled there for ever.
func TestHugePenaltiesTerminate(t *testing.T) {
	p := chwProblem(1, 250)
	p.MaxRoutes = 22
	res, err := Solve(context.Background(), p, &Options{Iterations: 800, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Feasible || len(res.Routes) > 22 {
		t.Errorf("feasible %v in %d routes, want an infeasible plan of at most 22 routes", res.Feasible, len(res.Routes))
	}
}

// TestRandomInvariants solves random problems mixing every option and
// checks each plan with the independent checker: every customer routed
// once or listed as unserved, reported costs and feasibility right.
func TestRandomInvariants(t *testing.T) {
	for k := range 40 {
		rng := rand.New(rand.NewPCG(*seedFlag, uint64(1000+k)))
		n := 2 + rng.IntN(40)
		tp := randomProblem[float64](rng, n, rng.IntN(2) == 0, 0.3*rng.Float64())
		p := &tp.p
		p.Depot = rng.IntN(n)
		if rng.IntN(2) == 0 {
			p.Demand = make([]int64, n)
			for i := range p.Demand {
				p.Demand[i] = rng.Int64N(10)
			}
			p.Capacity = 5 + rng.Int64N(30)
		}
		if rng.IntN(2) == 0 {
			p.Service = make([]float64, n)
			for i := range p.Service {
				p.Service[i] = 20 * rng.Float64()
			}
			p.MaxDuration = 100 + 300*rng.Float64()
		}
		if rng.IntN(3) == 0 {
			p.RouteCost = 1000 * rng.Float64()
		}
		if rng.IntN(3) == 0 {
			p.MaxRoutes = 1 + rng.IntN(4)
		}
		if rng.IntN(2) == 0 {
			p.XY = nil
		}
		res, err := Solve(context.Background(), p, &Options{Iterations: 30, Seed: uint64(k)})
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		tp.check(t, res)
	}
}
