package catchment_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/catchment"
)

var coverSeed = flag.Uint64("cover-seed", 1, "seed of the random covering problems")

// randomCover is a covering problem in a 100 × 100 square: demand points
// and sites at random positions, a site covering the points within reach.
// (On a line the problem would be an interval matrix, whose LP relaxation
// is integral: every bound would be tight.)
func randomCover(r *rand.Rand, demand, sites, p int, reach float64) *catchment.CoverProblem {
	type pt struct{ x, y float64 }
	pos := make([]pt, demand)
	pr := &catchment.CoverProblem{Weights: make([]int, demand), P: p}
	for i := range pos {
		pos[i] = pt{r.Float64() * 100, r.Float64() * 100}
		pr.Weights[i] = r.IntN(9)
	}
	for range sites {
		s := pt{r.Float64() * 100, r.Float64() * 100}
		var cv []int32
		for i, q := range pos {
			if (q.x-s.x)*(q.x-s.x)+(q.y-s.y)*(q.y-s.y) <= reach*reach {
				cv = append(cv, int32(i))
			}
		}
		pr.Covers = append(pr.Covers, cv)
	}
	return pr
}

// bruteCover returns the best coverage over every choice of p sites.
func bruteCover(pr *catchment.CoverProblem) int {
	best := 0
	var rec func(from int, chosen []int)
	rec = func(from int, chosen []int) {
		if len(chosen) == pr.P || from == len(pr.Covers) {
			seen := map[int32]bool{}
			s := 0
			for _, j := range chosen {
				for _, i := range pr.Covers[j] {
					if !seen[i] {
						seen[i] = true
						s += pr.Weights[i]
					}
				}
			}
			best = max(best, s)
			return
		}
		for j := from; j < len(pr.Covers); j++ {
			rec(j+1, append(chosen, j))
		}
	}
	rec(0, nil)
	return best
}

// TestCoverAgainstBruteForce: on small random instances the answer is the
// optimum (proven), and with the exact search disabled the answer is at
// most the optimum and the bound at least it.
func TestCoverAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(*coverSeed, 21))
	gaps := 0
	for n := range 300 {
		pr := randomCover(r, 5+r.IntN(40), 2+r.IntN(11), 1+r.IntN(4), 10+r.Float64()*30)
		opt := bruteCover(pr)
		sol, err := catchment.Cover(pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sol.Covered != opt || !sol.Optimal || sol.Bound != opt || sol.Method != "exact" {
			t.Fatalf("instance %d: covered %d bound %d (%s, optimal %v), brute force %d", n, sol.Covered, sol.Bound, sol.Method, sol.Optimal, opt)
		}
		checkGains(t, pr, sol)
		heur, err := catchment.Cover(pr, &catchment.CoverOptions{ExactWork: 1})
		if err != nil {
			t.Fatal(err)
		}
		if heur.Covered > opt || heur.Bound < opt {
			t.Fatalf("instance %d without the exact search: covered %d, bound %d (%s), optimum %d", n, heur.Covered, heur.Bound, heur.Method, opt)
		}
		if heur.Covered < opt {
			gaps++
		}
	}
	t.Logf("greedy + swaps missed the optimum on %d of 300 instances", gaps)
}

// checkGains checks that the gains are the marginal coverage of the sites
// in their order and sum to Covered.
func checkGains(t *testing.T, pr *catchment.CoverProblem, sol *catchment.CoverSolution) {
	t.Helper()
	seen := map[int32]bool{}
	total := 0
	for k, j := range sol.Sites {
		g := 0
		for _, i := range pr.Covers[j] {
			if !seen[i] {
				seen[i] = true
				g += pr.Weights[i]
			}
		}
		if g != sol.Gains[k] {
			t.Fatalf("site %d (rank %d): gain %d, recomputed %d", j, k+1, sol.Gains[k], g)
		}
		total += g
	}
	if total != sol.Covered || len(sol.Sites) > pr.P {
		t.Fatalf("gains sum to %d, covered %d; %d sites for P %d", total, sol.Covered, len(sol.Sites), pr.P)
	}
}

// TestCoverBoundLarger checks the bounds on larger instances, where brute
// force is out of reach: the Lagrangian or submodular bound is at least
// the exact optimum the branch and bound proves.
func TestCoverBoundLarger(t *testing.T) {
	r := rand.New(rand.NewPCG(*coverSeed, 22))
	for n := range 20 {
		pr := randomCover(r, 300, 60, 5, 8+r.Float64()*10)
		exact, err := catchment.Cover(pr, nil)
		if err != nil {
			t.Fatal(err)
		}
		heur, err := catchment.Cover(pr, &catchment.CoverOptions{ExactWork: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !exact.Optimal {
			t.Logf("instance %d: exact search did not finish (bound %d, %s)", n, exact.Bound, exact.Method)
			continue
		}
		if heur.Bound < exact.Covered || heur.Covered > exact.Covered {
			t.Fatalf("instance %d: heuristic %d, bound %d (%s); optimum %d", n, heur.Covered, heur.Bound, heur.Method, exact.Covered)
		}
	}
}

func TestCoverValidate(t *testing.T) {
	for _, pr := range []*catchment.CoverProblem{
		{Weights: []int{1, -1}, Covers: [][]int32{{0}}, P: 1},
		{Weights: []int{1}, Covers: [][]int32{{1}}, P: 1},
		{Weights: []int{1}, Covers: [][]int32{{0, 0}}, P: 1},
		{Weights: []int{1}, Covers: [][]int32{{0}}, P: -1},
	} {
		if _, err := catchment.Cover(pr, nil); !errors.Is(err, catchment.ErrCoverProblem) {
			t.Errorf("Cover(%+v) error %v, want ErrCoverProblem", pr, err)
		}
	}
}

func ExampleCover() {
	// Five households (weights are people) along a road; three candidate
	// homes, each reaching its neighbours. Greedy takes the middle home
	// first (13 people); swapping finds the two ends, which reach 18.
	pr := &catchment.CoverProblem{
		Weights: []int{4, 6, 2, 5, 3},
		Covers:  [][]int32{{0, 1}, {1, 2, 3}, {3, 4}},
		P:       2,
	}
	sol, _ := catchment.Cover(pr, nil)
	fmt.Println(sol.Sites, sol.Gains, sol.Covered, sol.Bound, sol.Optimal)
	// Output: [0 2] [10 8] 18 18 true
}

// TestCoverAgainstCBC compares with the optimum of the integer program
// solved by CBC (python3-pulp) on instances larger than brute force
// reaches: the answer is at most the optimum, the bound at least it, and
// a proven optimum equals it.
func TestCoverAgainstCBC(t *testing.T) {
	if testing.Short() {
		t.Skip("CBC comparison: slow")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import pulp").Run(); err != nil {
		t.Skip("python3-pulp not available: install python3-pulp and coinor-cbc")
	}
	r := rand.New(rand.NewPCG(*coverSeed, 23))
	worst := 0.0
	for n := range 8 {
		pr := randomCover(r, 400, 80, 3+r.IntN(6), 8+r.Float64()*12)
		in, err := json.Marshal(map[string]any{"weights": pr.Weights, "covers": pr.Covers, "p": pr.P})
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("/usr/bin/python3", filepath.Join("testdata", "mclp_cbc.py"))
		cmd.Stdin = bytes.NewReader(in)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("instance %d: cbc: %v", n, err)
		}
		opt, err := strconv.Atoi(strings.TrimSpace(string(out)))
		if err != nil {
			t.Fatalf("instance %d: cbc printed %q", n, out)
		}
		for _, o := range []*catchment.CoverOptions{nil, {ExactWork: 1}} {
			sol, err := catchment.Cover(pr, o)
			if err != nil {
				t.Fatal(err)
			}
			if sol.Covered > opt || sol.Bound < opt || (sol.Optimal && sol.Covered != opt) {
				t.Fatalf("instance %d (%+v): covered %d, bound %d (%s, optimal %v); CBC optimum %d", n, o, sol.Covered, sol.Bound, sol.Method, sol.Optimal, opt)
			}
			if o != nil && opt > 0 {
				worst = max(worst, float64(sol.Bound-sol.Covered)/float64(opt))
			}
		}
	}
	t.Logf("without the exact search, the widest bound gap was %.2f %% of the optimum", 100*worst)
}
