package catchment

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// CoverProblem is a maximal covering location problem (Church and ReVelle
// 1974): choose P of the candidate sites so that the demand points within
// reach of at least one chosen site weigh as much as possible.
type CoverProblem struct {
	// Weights are the demand points' weights (people), ≥ 0.
	Weights []int
	// Covers[j] lists the demand points candidate j reaches (any order,
	// no repeats).
	Covers [][]int32
	// P is the number of sites to choose.
	P int
}

// CoverOptions tune Cover; nil means the defaults.
type CoverOptions struct {
	// ExactWork caps the branch and bound's work, in demand-point visits;
	// 0 means 200,000,000 (a few seconds). When the search finishes within
	// it, the answer is proven optimal.
	ExactWork int
	// BoundWork caps the Lagrangian bound's work, in demand-point visits;
	// 0 means 400,000,000 (a few seconds).
	BoundWork int
}

// CoverSolution is Cover's answer.
type CoverSolution struct {
	// Sites are the chosen candidates, in the order of their marginal
	// gains (each the best addition to those before it); Gains are those
	// gains, summing to Covered.
	Sites   []int
	Gains   []int
	Covered int
	// Bound is an upper bound on the best coverage of P sites: Covered ≤
	// optimum ≤ Bound. Optimal is true when Covered is proven optimal
	// (Bound == Covered).
	Bound   int
	Optimal bool
	// Method says how the bound was proven: "exact" (branch and bound
	// finished), "lagrangian" or "submodular".
	Method string
}

// ErrCoverProblem is wrapped by Cover's error for a malformed problem.
var ErrCoverProblem = errors.New("catchment: bad covering problem")

// Validate reports a malformed problem: a negative weight or P, a demand
// index out of range, a repeated index in a cover.
func (p *CoverProblem) Validate() error {
	if p.P < 0 {
		return fmt.Errorf("%w: P %d", ErrCoverProblem, p.P)
	}
	for i, w := range p.Weights {
		if w < 0 {
			return fmt.Errorf("%w: demand point %d: weight %d", ErrCoverProblem, i, w)
		}
	}
	seen := make([]int, len(p.Weights))
	for j, c := range p.Covers {
		for _, i := range c {
			if i < 0 || int(i) >= len(p.Weights) {
				return fmt.Errorf("%w: candidate %d covers demand point %d of %d", ErrCoverProblem, j, i, len(p.Weights))
			}
			if seen[i] == j+1 {
				return fmt.Errorf("%w: candidate %d covers demand point %d twice", ErrCoverProblem, j, i)
			}
			seen[i] = j + 1
		}
	}
	return nil
}

// Cover solves the problem: greedy (each site the largest marginal gain,
// ties to the lowest index), then swap local search (replace a chosen site
// by any other while that gains, best swap first), then, when the problem
// is small enough to finish within ExactWork, branch and bound with the
// submodular bound, which proves the optimum. Otherwise it reports the
// tighter of two upper bounds: the submodular bound of Nemhauser, Wolsey
// and Fisher (1978) — the coverage of any site set plus the P largest
// marginal gains over it — taken over every greedy prefix and the final
// set, and the Lagrangian bound of the coverage constraints (Galvão and
// ReVelle 1996), minimised by subgradient steps. Deterministic.
func Cover(p *CoverProblem, opts *CoverOptions) (*CoverSolution, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	o := CoverOptions{ExactWork: 200_000_000, BoundWork: 400_000_000}
	if opts != nil {
		if opts.ExactWork > 0 {
			o.ExactWork = opts.ExactWork
		}
		if opts.BoundWork > 0 {
			o.BoundWork = opts.BoundWork
		}
	}
	c := newCoverState(p)
	pp := min(p.P, len(p.Covers))
	bound := c.greedy(pp)
	c.swaps()
	bound = min(bound, c.submodularBound(pp))
	sol := &CoverSolution{Method: "submodular"}
	if best, ok := c.branchAndBound(pp, o.ExactWork); ok {
		sol.Method, bound = "exact", best
	} else if lb := c.lagrangian(pp, o.BoundWork); lb < bound {
		sol.Method, bound = "lagrangian", lb
	}
	sol.Sites, sol.Gains = c.ordered()
	for _, g := range sol.Gains {
		sol.Covered += g
	}
	sol.Bound = max(bound, sol.Covered)
	sol.Optimal = sol.Bound == sol.Covered
	return sol, nil
}

// coverState is a set of chosen sites and how often each demand point is
// covered by them.
type coverState struct {
	p      *CoverProblem
	cov    []int32 // chosen sites covering each demand point
	chosen []int
	in     []bool
	total  int
}

func newCoverState(p *CoverProblem) *coverState {
	return &coverState{p: p, cov: make([]int32, len(p.Weights)), in: make([]bool, len(p.Covers))}
}

// gain is what adding j would add.
func (c *coverState) gain(j int) int {
	g := 0
	for _, i := range c.p.Covers[j] {
		if c.cov[i] == 0 {
			g += c.p.Weights[i]
		}
	}
	return g
}

func (c *coverState) add(j int) {
	c.total += c.gain(j)
	for _, i := range c.p.Covers[j] {
		c.cov[i]++
	}
	c.chosen = append(c.chosen, j)
	c.in[j] = true
}

func (c *coverState) remove(j int) {
	for _, i := range c.p.Covers[j] {
		c.cov[i]--
		if c.cov[i] == 0 {
			c.total -= c.p.Weights[i]
		}
	}
	c.chosen = slices.DeleteFunc(c.chosen, func(x int) bool { return x == j })
	c.in[j] = false
}

// topGains returns the sum of the k largest marginal gains of the
// unchosen sites.
func (c *coverState) topGains(k int) int {
	gs := make([]int, 0, len(c.p.Covers))
	for j := range c.p.Covers {
		if !c.in[j] {
			gs = append(gs, c.gain(j))
		}
	}
	slices.SortFunc(gs, func(a, b int) int { return b - a })
	s := 0
	for _, g := range gs[:min(k, len(gs))] {
		s += g
	}
	return s
}

// submodularBound is f(S) + the P largest gains over S: no P sites cover
// more, since coverage is submodular.
func (c *coverState) submodularBound(p int) int { return c.total + c.topGains(p) }

// greedy adds p sites by largest gain with lazy re-evaluation (gains only
// shrink as sites are added), ties to the lowest index, and returns the
// best submodular bound seen along the way.
func (c *coverState) greedy(p int) int {
	type entry struct{ gain, j int }
	h := make([]entry, len(c.p.Covers))
	for j := range h {
		h[j] = entry{c.gain(j), j}
	}
	less := func(a, b entry) int { return cmp.Or(b.gain-a.gain, a.j-b.j) }
	slices.SortFunc(h, less)
	bound := math.MaxInt
	for len(c.chosen) < p && len(h) > 0 {
		// The P largest stale gains bound the fresh ones from above.
		s := c.total
		for _, e := range h[:min(p, len(h))] {
			s += e.gain
		}
		bound = min(bound, s)
		for {
			g := c.gain(h[0].j)
			if g == h[0].gain {
				break
			}
			h[0].gain = g
			// Sift the stale head down to its place.
			k := 0
			for k+1 < len(h) && less(h[k+1], h[k]) < 0 {
				h[k], h[k+1] = h[k+1], h[k]
				k++
			}
		}
		c.add(h[0].j)
		h = h[1:]
	}
	return min(bound, c.submodularBound(p))
}

// swaps replaces a chosen site by an unchosen one while that increases the
// coverage, best swap first (ties to the lowest indices).
func (c *coverState) swaps() {
	uniq := make([]bool, len(c.p.Weights))
	for {
		bestDelta, bestOut, bestIn := 0, -1, -1
		for _, out := range c.chosen {
			loss := 0
			for _, i := range c.p.Covers[out] {
				if c.cov[i] == 1 {
					uniq[i] = true
					loss += c.p.Weights[i]
				}
			}
			for j := range c.p.Covers {
				if c.in[j] {
					continue
				}
				g := 0
				for _, i := range c.p.Covers[j] {
					if c.cov[i] == 0 || uniq[i] {
						g += c.p.Weights[i]
					}
				}
				if d := g - loss; d > bestDelta || (d == bestDelta && d > 0 && (out < bestOut || (out == bestOut && j < bestIn))) {
					bestDelta, bestOut, bestIn = d, out, j
				}
			}
			for _, i := range c.p.Covers[out] {
				uniq[i] = false
			}
		}
		if bestDelta <= 0 {
			return
		}
		c.remove(bestOut)
		c.add(bestIn)
	}
}

// ordered returns the chosen sites in greedy order over themselves (each
// the largest gain given those before it) with their gains.
func (c *coverState) ordered() ([]int, []int) {
	sites := slices.Clone(c.chosen)
	slices.Sort(sites)
	o := newCoverState(c.p)
	var out, gains []int
	for len(sites) > 0 {
		bk, bg := 0, -1
		for k, j := range sites {
			if g := o.gain(j); g > bg {
				bk, bg = k, g
			}
		}
		o.add(sites[bk])
		out, gains = append(out, sites[bk]), append(gains, bg)
		sites = slices.Delete(sites, bk, bk+1)
	}
	return out, gains
}

// branchAndBound searches every choice of p sites, depth first in the
// order of the sites' gains on their own, pruning a branch when the
// coverage so far plus the largest remaining gains cannot beat the best
// found (the incumbent is the current solution). It returns the optimum
// and true when it finished within work demand-point visits, and leaves
// the best choice found in c.
func (c *coverState) branchAndBound(p, work int) (int, bool) {
	order := make([]int, len(c.p.Covers))
	alone := make([]int, len(order))
	for j := range order {
		order[j] = j
		for _, i := range c.p.Covers[j] {
			alone[j] += c.p.Weights[i]
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return alone[b] - alone[a] })
	best := c.total
	bestSet := slices.Clone(c.chosen)
	s := newCoverState(c.p)
	suffix := make([]int, len(order)+1) // demand visits of order[k:]
	for k := len(order) - 1; k >= 0; k-- {
		suffix[k] = suffix[k+1] + len(c.p.Covers[order[k]])
	}
	gains := make([]int, 0, len(order))
	var dfs func(from int) bool
	dfs = func(from int) bool {
		if work -= suffix[from] + 1; work < 0 {
			return false
		}
		if s.total > best {
			best, bestSet = s.total, slices.Clone(s.chosen)
		}
		left := p - len(s.chosen)
		if left == 0 || from == len(order) {
			return true
		}
		// Bound: the left largest gains among the remaining sites.
		gains = gains[:0]
		for _, j := range order[from:] {
			gains = append(gains, s.gain(j))
		}
		slices.SortFunc(gains, func(a, b int) int { return b - a })
		ub := s.total
		for _, g := range gains[:min(left, len(gains))] {
			ub += g
		}
		if ub <= best {
			return true
		}
		for k := from; k < len(order); k++ {
			j := order[k]
			if s.gain(j) == 0 {
				continue // adds nothing: a site with a gain is as good
			}
			s.add(j)
			ok := dfs(k + 1)
			s.remove(j)
			if !ok {
				return false
			}
		}
		return true
	}
	done := dfs(0)
	if best > c.total {
		for _, j := range slices.Clone(c.chosen) {
			c.remove(j)
		}
		for _, j := range bestSet {
			c.add(j)
		}
	}
	return best, done
}

// lagrangian returns the best Lagrangian bound found within work demand
// visits. Relaxing "a point counts only if a chosen site covers it" with
// multipliers λ ≥ 0 gives L(λ) = Σ max(0, w_i − λ_i) + the P largest
// Σ_{i∈cover(j)} λ_i, an upper bound for every λ; subgradient steps
// (Polyak's step towards the best solution known) lower it.
func (c *coverState) lagrangian(p, work int) int {
	n := len(c.p.Weights)
	if n == 0 || p == 0 {
		return 0
	}
	pairs := 0
	for _, cv := range c.p.Covers {
		pairs += len(cv)
	}
	lam := make([]float64, n)
	for i := range lam {
		lam[i] = float64(c.p.Weights[i]) / 2
	}
	score := make([]float64, len(c.p.Covers))
	idx := make([]int, len(c.p.Covers))
	grad := make([]float64, n)
	best := math.Inf(1)
	lower := float64(c.total)
	mu := 2.0
	stall := 0
	for it := 0; (it+1)*(pairs+n) <= work || it == 0; it++ {
		l := 0.0
		for i, w := range c.p.Weights {
			if d := float64(w) - lam[i]; d > 0 {
				l += d
				grad[i] = 1
			} else {
				grad[i] = 0
			}
		}
		for j, cv := range c.p.Covers {
			s := 0.0
			for _, i := range cv {
				s += lam[i]
			}
			score[j], idx[j] = s, j
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Or(cmp.Compare(score[b], score[a]), a-b) })
		for _, j := range idx[:min(p, len(idx))] {
			l += score[j]
			for _, i := range c.p.Covers[j] {
				grad[i]--
			}
		}
		if l < best-1e-9 {
			best, stall = l, 0
		} else if stall++; stall >= 10 {
			mu, stall = mu/2, 0
		}
		norm := 0.0
		for _, g := range grad {
			norm += g * g
		}
		if norm == 0 || best-lower < 1 || mu < 1e-4 {
			break
		}
		t := mu * (l - lower) / norm
		for i := range lam {
			// L decreases along −grad: λ_i rises where the point was
			// counted but not covered, falls where covered twice.
			lam[i] = math.Max(0, lam[i]+t*grad[i])
		}
	}
	// Integer weights: the optimum is at most the floor (less a rounding
	// margin for the float sums).
	return int(math.Floor(best + 1e-6))
}
