package tsp

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data/tsplib"
	"github.com/lastmile-health/lastmile/internal/shareddata"
)

var seedFlag = flag.Uint64("seed", 1, "seed of the random test matrices")

// randomMatrix returns an n×n matrix with costs in [0, maxCost), symmetric
// when sym. Diagonal entries are junk, as in TSPLIB's ATSP files.
func randomMatrix(rng *rand.Rand, n int, sym bool, maxCost int) Matrix[int64] {
	m := Matrix[int64]{N: n, C: make([]int64, n*n)}
	for i := range n {
		for j := range n {
			switch {
			case i == j:
				m.C[i*n+j] = 9999
			case sym && j < i:
				m.C[i*n+j] = m.C[j*n+i]
			default:
				m.C[i*n+j] = int64(rng.IntN(maxCost))
			}
		}
	}
	return m
}

// bruteForce returns the optimal cost by trying every order.
func bruteForce(m Matrix[int64], start, end int) int64 {
	n := m.N
	round := start == end
	var rest []int
	for v := range n {
		if v != start && (round || v != end) {
			rest = append(rest, v)
		}
	}
	best := int64(1) << 62
	var perm func(k int)
	perm = func(k int) {
		if k == len(rest) {
			order := append([]int{start}, rest...)
			if !round {
				order = append(order, end)
			}
			best = min(best, m.Cost(order, round))
			return
		}
		for i := k; i < len(rest); i++ {
			rest[k], rest[i] = rest[i], rest[k]
			perm(k + 1)
			rest[k], rest[i] = rest[i], rest[k]
		}
	}
	perm(0)
	return best
}

// checkRoute fails unless order is a permutation of 0..n-1 from start
// (to end) and cost is its recomputed cost.
func checkRoute(tb testing.TB, m Matrix[int64], start, end int, res Result) {
	tb.Helper()
	n := m.N
	if len(res.Order) != n {
		tb.Fatalf("route has %d nodes, want %d", len(res.Order), n)
	}
	seen := make([]bool, n)
	for _, v := range res.Order {
		if v < 0 || v >= n || seen[v] {
			tb.Fatalf("route %v is not a permutation", res.Order)
		}
		seen[v] = true
	}
	if res.Order[0] != start {
		tb.Fatalf("route starts at %d, want %d", res.Order[0], start)
	}
	if start != end && res.Order[n-1] != end {
		tb.Fatalf("route ends at %d, want %d", res.Order[n-1], end)
	}
	var c int64
	for k := 1; k < n; k++ {
		c += m.C[res.Order[k-1]*n+res.Order[k]]
	}
	if start == end && n > 1 {
		c += m.C[res.Order[n-1]*n+res.Order[0]]
	}
	if c != res.Cost {
		tb.Fatalf("route cost %d, recomputed %d", res.Cost, c)
	}
}

// TestBruteForce checks the exact solver and the heuristic against brute
// force on small random matrices.
func TestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 2))
	for n := 1; n <= 9; n++ {
		for _, sym := range []bool{true, false} {
			for trial := range 6 {
				m := randomMatrix(rng, n, sym, 1+rng.IntN(100))
				start := rng.IntN(n)
				end := start
				if trial%2 == 1 && n > 1 {
					end = (start + 1 + rng.IntN(n-1)) % n
				}
				name := fmt.Sprintf("n%d/sym=%v/trial%d", n, sym, trial)
				t.Run(name, func(t *testing.T) {
					want := bruteForce(m, start, end)
					res, err := Solve(context.Background(), m, &Options{Start: start, End: end})
					if err != nil {
						t.Fatal(err)
					}
					checkRoute(t, m, start, end, res)
					if res.Cost != want || !res.Optimal {
						t.Errorf("Solve cost %d (optimal %v), want %d", res.Cost, res.Optimal, want)
					}
					if n < 4 {
						return
					}
					h := heuristic(context.Background(), m, Options{Start: start, End: end, Iterations: 1000, Seed: 7})
					checkRoute(t, m, start, end, h)
					if h.Cost != want {
						t.Errorf("heuristic cost %d, want %d", h.Cost, want)
					}
				})
			}
		}
	}
}

// TestMoveGains checks that the cost the search tracks from move gains
// equals the recomputed tour cost, on symmetric and transformed
// asymmetric matrices, after the descent and after perturbation rounds.
func TestMoveGains(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 3))
	for trial := range 20 {
		n := 13 + rng.IntN(60)
		sym := trial%2 == 0
		m := randomMatrix(rng, n, sym, 1000)
		var check func(tag string)
		if sym {
			s := newSearcher(m.C, n, nil, 8, uint64(trial), nil)
			check = func(tag string) {
				if got := s.tourCost(); got != s.cost {
					t.Fatalf("trial %d (sym, n=%d) %s: tracked cost %d, tour costs %d", trial, n, tag, s.cost, got)
				}
			}
			s.descend()
			check("descent")
			s.iterate(context.Background(), time.Time{}, 300, 0, nil)
			check("iterate")
		} else {
			c, fix, _ := transform(m)
			nn := int32(n)
			s := newSearcher(c, 2*n, fix, 8, uint64(trial), func(a, b int32) bool { return (a < nn) == (b < nn) })
			check = func(tag string) {
				if got := s.tourCost(); got != s.cost {
					t.Fatalf("trial %d (atsp, n=%d) %s: tracked cost %d, tour costs %d", trial, n, tag, s.cost, got)
				}
				for v := range nn {
					if !s.fixed(v, s.succ(v)) && !s.fixed(v, s.pred(v)) {
						t.Fatalf("trial %d %s: twin edge of %d broken", trial, tag, v)
					}
				}
			}
			s.descend()
			check("descent")
			s.iterate(context.Background(), time.Time{}, 300, 0, nil)
			check("iterate")
			order := s.atspOrder(n, 0)
			if got := m.Cost(order, true); got != s.cost {
				t.Fatalf("trial %d: route costs %d, transformed tour %d", trial, got, s.cost)
			}
		}
	}
}

// TestDeterministic checks that the same seed gives the same route.
func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 4))
	for _, sym := range []bool{true, false} {
		m := randomMatrix(rng, 80, sym, 1000)
		opts := &Options{Start: 5, End: 9, Iterations: 2000, Seed: 42}
		a, err := Solve(context.Background(), m, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Solve(context.Background(), m, opts)
		checkRoute(t, m, 5, 9, a)
		if !slices.Equal(a.Order, b.Order) || a.Cost != b.Cost {
			t.Errorf("sym=%v: two runs with seed 42 differ: %d vs %d", sym, a.Cost, b.Cost)
		}
	}
}

// TestLowerBound checks that the Held–Karp bound never exceeds the
// optimum and that Optimal is only claimed when cost meets the bound.
func TestLowerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 5))
	for trial := range 10 {
		n := 8 + rng.IntN(5) // small enough for the exact solver
		m := randomMatrix(rng, n, true, 100)
		want, _ := Solve(context.Background(), m, nil)
		tree := newOneTree(m.C, n)
		w := tree.ascent(context.Background(), want.Cost, 200, time.Time{})
		if int64(math.Ceil(w-1e-6)) > want.Cost {
			t.Errorf("trial %d: bound %.3f above the optimum %d", trial, w, want.Cost)
		}
	}
	// The heuristic's bound (symmetric and through the 2n transform).
	for trial := range 40 {
		n := 5 + rng.IntN(8)
		m := randomMatrix(rng, n, trial%2 == 0, 100)
		want, _ := Solve(context.Background(), m, nil)
		h := heuristic(context.Background(), m, Options{Iterations: 100})
		if h.LowerBound > want.Cost || (h.Optimal && h.Cost != want.Cost) {
			t.Errorf("trial %d (n=%d): bound %d, cost %d (optimal %v), optimum %d", trial, n, h.LowerBound, h.Cost, h.Optimal, want.Cost)
		}
	}
	m := randomMatrix(rng, 60, true, 100)
	res, _ := Solve(context.Background(), m, &Options{Iterations: 500})
	if res.LowerBound > res.Cost || res.Optimal != (res.Cost == res.LowerBound) {
		t.Errorf("cost %d, lower bound %d, optimal %v", res.Cost, res.LowerBound, res.Optimal)
	}
}

func TestSolveErrors(t *testing.T) {
	tests := []struct {
		name string
		m    Matrix[int32]
		o    *Options
	}{
		{"empty", Matrix[int32]{}, nil},
		{"short", Matrix[int32]{N: 3, C: make([]int32, 8)}, nil},
		{"start", Matrix[int32]{N: 2, C: make([]int32, 4)}, &Options{Start: 2, End: 2}},
		{"end", Matrix[int32]{N: 2, C: make([]int32, 4)}, &Options{End: -1}},
		{"initial short", Matrix[int32]{N: 3, C: make([]int32, 9)}, &Options{Initial: []int{0, 1}}},
		{"initial repeat", Matrix[int32]{N: 3, C: make([]int32, 9)}, &Options{Initial: []int{0, 1, 1}}},
		{"initial start", Matrix[int32]{N: 3, C: make([]int32, 9)}, &Options{Initial: []int{1, 0, 2}}},
		{"initial end", Matrix[int32]{N: 3, C: make([]int32, 9)}, &Options{End: 2, Initial: []int{0, 2, 1}}},
	}
	for _, tt := range tests {
		if _, err := Solve(context.Background(), tt.m, tt.o); !errors.Is(err, ErrInput) {
			t.Errorf("%s: Solve error %v, want ErrInput", tt.name, err)
		}
	}
}

// TestTSPLIB solves real instances with a fixed number of rounds (no time
// limit, so the result is deterministic) and checks the gap.
func TestTSPLIB(t *testing.T) {
	tests := []struct {
		file    string
		optimum int64
		maxGap  float64 // percent
	}{
		{"gr17.tsp", 2085, 0},
		{"ulysses22.tsp", 7013, 0},
		{"ftv33.atsp", 1286, 1},
		{"kroA100.tsp", 21282, 0.5},
		{"kro124p.atsp", 36230, 2},
		{"pr152.tsp", 73682, 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, err := tsplib.ReadFile(shareddata.Path(t, "tsplib/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			c, err := in.Matrix()
			if err != nil {
				t.Fatal(err)
			}
			m := Matrix[int32]{N: in.Dimension, C: c}
			res, err := Solve(context.Background(), m, &Options{Iterations: 3000})
			if err != nil {
				t.Fatal(err)
			}
			order := slices.Clone(res.Order)
			if got := in.TourLength(order); got != res.Cost {
				t.Errorf("cost %d, TSPLIB length of the route %d", res.Cost, got)
			}
			if gap := 100 * float64(res.Cost-tt.optimum) / float64(tt.optimum); gap > tt.maxGap {
				t.Errorf("%s: length %d, gap %.2f%%, want at most %.2f%%", tt.file, res.Cost, gap, tt.maxGap)
			}
			if res.LowerBound > tt.optimum {
				t.Errorf("%s: lower bound %d above the optimum %d", tt.file, res.LowerBound, tt.optimum)
			}
		})
	}
}

// TestConcurrent solves the same matrices from several goroutines and
// checks they agree with a sequential run (run with -race).
func TestConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 7))
	ms := []Matrix[int64]{randomMatrix(rng, 40, true, 500), randomMatrix(rng, 40, false, 500)}
	opts := &Options{Iterations: 300, Seed: 3}
	var want [2]int64
	for i, m := range ms {
		r, _ := Solve(context.Background(), m, opts)
		want[i] = r.Cost
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			r, err := Solve(context.Background(), ms[g%2], opts)
			if err == nil && r.Cost != want[g%2] {
				err = fmt.Errorf("goroutine %d: cost %d, sequential %d", g, r.Cost, want[g%2])
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestInitial starts from a given route: the result is a valid route no
// worse than it, for symmetric and asymmetric matrices and open paths.
func TestInitial(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 8))
	for trial := range 8 {
		n := 20 + rng.IntN(40)
		m := randomMatrix(rng, n, trial%2 == 0, 1000)
		start, end := rng.IntN(n), rng.IntN(n)
		init := []int{start}
		for v := range n {
			if v != start && v != end {
				init = append(init, v)
			}
		}
		if end != start {
			init = append(init, end)
		}
		rng.Shuffle(len(init)-2, func(i, j int) { init[i+1], init[j+1] = init[j+1], init[i+1] })
		kept := slices.Clone(init)
		res, err := Solve(context.Background(), m, &Options{Start: start, End: end, Initial: init, Iterations: 50})
		if err != nil {
			t.Fatal(err)
		}
		checkRoute(t, m, start, end, res)
		if c := m.Cost(init, start == end); res.Cost > c {
			t.Errorf("trial %d: cost %d, worse than the initial route's %d", trial, res.Cost, c)
		}
		if !slices.Equal(init, kept) {
			t.Errorf("trial %d: Solve modified Options.Initial", trial)
		}
	}
}
