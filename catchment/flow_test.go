package catchment

import (
	"context"
	"errors"
	"flag"
	"math"
	"math/rand/v2"
	"testing"
)

var (
	seedFlag  = flag.Uint64("seed", 1, "seed of the random instances in property tests")
	casesFlag = flag.Int("cases", 400, "number of random instances per property test")
)

type testArc struct {
	from, to     int
	lower, upper int64
	cost         int64
}

type testNet struct {
	supply []int64
	arcs   []testArc
}

func (tn testNet) build() *Network {
	var n Network
	for _, s := range tn.supply {
		n.AddNode(s)
	}
	for _, a := range tn.arcs {
		n.AddArc(a.from, a.to, a.lower, a.upper, a.cost)
	}
	return &n
}

// bruteMinCost enumerates every integer flow within the bounds and returns
// the least cost of those that meet the supplies; ok is false if none does.
func bruteMinCost(tn testNet) (best int64, ok bool) {
	f := make([]int64, len(tn.arcs))
	for i, a := range tn.arcs {
		f[i] = a.lower
	}
	bal := make([]int64, len(tn.supply))
	for {
		clear(bal)
		var c int64
		for i, a := range tn.arcs {
			bal[a.from] += f[i]
			bal[a.to] -= f[i]
			c += f[i] * a.cost
		}
		feasible := true
		for v, s := range tn.supply {
			if bal[v] != s {
				feasible = false
				break
			}
		}
		if feasible && (!ok || c < best) {
			best, ok = c, true
		}
		i := 0
		for ; i < len(f); i++ {
			if f[i] < tn.arcs[i].upper {
				f[i]++
				break
			}
			f[i] = tn.arcs[i].lower
		}
		if i == len(f) {
			return best, ok
		}
	}
}

// checkOptimal verifies that n's flow is feasible for tn and that the
// potentials certify it (complementary slackness), and returns its cost.
func checkOptimal(t *testing.T, tn testNet, n *Network) int64 {
	t.Helper()
	bal := make([]int64, len(tn.supply))
	var c int64
	for i, a := range tn.arcs {
		f := n.Flow(i)
		if f < a.lower || f > a.upper {
			t.Fatalf("arc %d flow %d outside [%d, %d]", i, f, a.lower, a.upper)
		}
		bal[a.from] += f
		bal[a.to] -= f
		c += f * a.cost
		rc := a.cost + n.Potential(a.from) - n.Potential(a.to)
		if rc > 0 && f != a.lower {
			t.Fatalf("arc %d: reduced cost %d > 0 but flow %d above lower %d", i, rc, f, a.lower)
		}
		if rc < 0 && f != a.upper {
			t.Fatalf("arc %d: reduced cost %d < 0 but flow %d below upper %d", i, rc, f, a.upper)
		}
	}
	for v, s := range tn.supply {
		if bal[v] != s {
			t.Fatalf("node %d: net outflow %d, supply %d", v, bal[v], s)
		}
	}
	if got, ok := n.Cost(); !ok || got != c {
		t.Fatalf("Cost() = %d, %v, want %d", got, ok, c)
	}
	return c
}

// randomNet draws a small network; when feasible is set, the supplies come
// from a random flow within the bounds, so a solution exists.
func randomNet(r *rand.Rand, nodes, arcs int, maxCap int64, feasible bool) testNet {
	tn := testNet{supply: make([]int64, nodes)}
	for range arcs {
		a := testArc{from: r.IntN(nodes), to: r.IntN(nodes), cost: r.Int64N(21) - 6}
		a.upper = r.Int64N(maxCap + 1)
		if r.IntN(4) == 0 {
			a.lower = r.Int64N(a.upper + 1)
		}
		tn.arcs = append(tn.arcs, a)
	}
	if feasible {
		for _, a := range tn.arcs {
			f := a.lower + r.Int64N(a.upper-a.lower+1)
			tn.supply[a.from] += f
			tn.supply[a.to] -= f
		}
	} else {
		var sum int64
		for v := range nodes - 1 {
			tn.supply[v] = r.Int64N(5) - 2
			sum += tn.supply[v]
		}
		tn.supply[nodes-1] = -sum
	}
	return tn
}

func TestNetworkBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(*seedFlag, 11))
	for i := range *casesFlag {
		nodes := 2 + r.IntN(4)
		arcs := 1 + r.IntN(6)
		tn := randomNet(r, nodes, arcs, 3, i%3 != 0)
		want, ok := bruteMinCost(tn)
		n := tn.build()
		err := n.Solve(context.Background())
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("case %d %+v: Solve = %v, want ErrInfeasible", i, tn, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d %+v: Solve: %v", i, tn, err)
		}
		if got := checkOptimal(t, tn, n); got != want {
			t.Fatalf("case %d %+v: cost %d, brute force %d", i, tn, got, want)
		}
	}
}

// refMinCost is an independent reference: a feasible flow by augmenting
// paths from a super source, then negative cycles cancelled one at a time
// (Bellman–Ford) until none is left. Slow and simple.
func refMinCost(tn testNet) (int64, bool) {
	nv := len(tn.supply)
	S, T := nv, nv+1
	type rarc struct {
		to   int
		cap  int64
		cost int64
	}
	var g []rarc
	adj := make([][]int, nv+2)
	add := func(u, v int, c, cost int64) {
		adj[u] = append(adj[u], len(g))
		g = append(g, rarc{v, c, cost})
		adj[v] = append(adj[v], len(g))
		g = append(g, rarc{u, 0, -cost})
	}
	supply := append([]int64(nil), tn.supply...)
	var base int64
	for _, a := range tn.arcs {
		supply[a.from] -= a.lower
		supply[a.to] += a.lower
		base += a.lower * a.cost
		add(a.from, a.to, a.upper-a.lower, a.cost)
	}
	var need int64
	for v, s := range supply {
		if s > 0 {
			add(S, v, s, 0)
			need += s
		} else if s < 0 {
			add(v, T, -s, 0)
		}
	}
	// Augment along BFS paths.
	for need > 0 {
		prev := make([]int, nv+2)
		for i := range prev {
			prev[i] = -1
		}
		prev[S] = -2
		q := []int{S}
		for len(q) > 0 && prev[T] == -1 {
			u := q[0]
			q = q[1:]
			for _, e := range adj[u] {
				if g[e].cap > 0 && prev[g[e].to] == -1 {
					prev[g[e].to] = e
					q = append(q, g[e].to)
				}
			}
		}
		if prev[T] == -1 {
			return 0, false
		}
		d := need
		for v := T; v != S; v = g[prev[v]^1].to {
			d = min(d, g[prev[v]].cap)
		}
		for v := T; v != S; v = g[prev[v]^1].to {
			g[prev[v]].cap -= d
			g[prev[v]^1].cap += d
		}
		need -= d
	}
	// Cancel negative cycles.
	for {
		n := nv + 2
		dist := make([]int64, n)
		pe := make([]int, n)
		for i := range pe {
			pe[i] = -1
		}
		x := -1
		for range n {
			x = -1
			for u := range n {
				for _, e := range adj[u] {
					if g[e].cap > 0 && dist[u]+g[e].cost < dist[g[e].to] {
						dist[g[e].to] = dist[u] + g[e].cost
						pe[g[e].to] = e
						x = g[e].to
					}
				}
			}
		}
		if x < 0 {
			break
		}
		for range n {
			x = g[pe[x]^1].to
		}
		d := int64(math.MaxInt64)
		for v := x; ; {
			e := pe[v]
			d = min(d, g[e].cap)
			v = g[e^1].to
			if v == x {
				break
			}
		}
		for v := x; ; {
			e := pe[v]
			g[e].cap -= d
			g[e^1].cap += d
			v = g[e^1].to
			if v == x {
				break
			}
		}
	}
	cost := base
	for i := range tn.arcs {
		e := 2 * i
		cost += g[e^1].cap * g[e].cost
	}
	return cost, true
}

func TestNetworkReference(t *testing.T) {
	r := rand.New(rand.NewPCG(*seedFlag, 12))
	cases := max(*casesFlag/4, 20)
	for i := range cases {
		nodes := 5 + r.IntN(40)
		arcs := nodes + r.IntN(4*nodes)
		tn := randomNet(r, nodes, arcs, 20, i%5 != 0)
		want, ok := refMinCost(tn)
		n := tn.build()
		err := n.Solve(context.Background())
		if !ok {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("case %d: Solve = %v, want ErrInfeasible", i, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d: Solve: %v", i, err)
		}
		if got := checkOptimal(t, tn, n); got != want {
			t.Fatalf("case %d: cost %d, reference %d", i, got, want)
		}
	}
}

// Adding arcs and changing costs after a Solve continues from the previous
// basis; the answer must equal a solve from scratch.
func TestNetworkWarmResolve(t *testing.T) {
	r := rand.New(rand.NewPCG(*seedFlag, 13))
	for i := range max(*casesFlag/4, 20) {
		nodes := 4 + r.IntN(25)
		tn := randomNet(r, nodes, nodes+r.IntN(3*nodes), 15, true)
		// Keep a zero-cost escape so the problem stays feasible: real arcs
		// only get added, costs only change.
		n := tn.build()
		if err := n.Solve(context.Background()); err != nil {
			t.Fatalf("case %d: first Solve: %v", i, err)
		}
		for range 1 + r.IntN(3) {
			for range r.IntN(nodes) {
				a := testArc{from: r.IntN(nodes), to: r.IntN(nodes), upper: r.Int64N(10), cost: r.Int64N(21) - 8}
				tn.arcs = append(tn.arcs, a)
				n.AddArc(a.from, a.to, 0, a.upper, a.cost)
			}
			for range r.IntN(4) {
				a := r.IntN(len(tn.arcs))
				tn.arcs[a].cost = r.Int64N(21) - 8
				n.SetCost(a, tn.arcs[a].cost)
			}
			if err := n.Solve(context.Background()); err != nil {
				t.Fatalf("case %d: warm Solve: %v", i, err)
			}
			want, ok := refMinCost(tn)
			if !ok {
				t.Fatalf("case %d: reference says infeasible", i)
			}
			if got := checkOptimal(t, tn, n); got != want {
				t.Fatalf("case %d: warm cost %d, reference %d", i, got, want)
			}
		}
	}
}

func TestNetworkErrors(t *testing.T) {
	t.Run("unbounded", func(t *testing.T) {
		var n Network
		n.AddNode(0)
		n.AddNode(0)
		n.AddArc(0, 1, 0, Unbounded, -1)
		n.AddArc(1, 0, 0, Unbounded, 0)
		if err := n.Solve(context.Background()); !errors.Is(err, ErrUnbounded) {
			t.Fatalf("Solve = %v, want ErrUnbounded", err)
		}
	})
	t.Run("unbalanced", func(t *testing.T) {
		var n Network
		n.AddNode(2)
		n.AddNode(-1)
		n.AddArc(0, 1, 0, 5, 1)
		if err := n.Solve(context.Background()); !errors.Is(err, ErrInfeasible) {
			t.Fatalf("Solve = %v, want ErrInfeasible", err)
		}
	})
	t.Run("cost range", func(t *testing.T) {
		var n Network
		n.AddNode(1)
		n.AddNode(-1)
		n.AddArc(0, 1, 0, 5, math.MaxInt64/4)
		if err := n.Solve(context.Background()); !errors.Is(err, ErrCostRange) {
			t.Fatalf("Solve = %v, want ErrCostRange", err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		var n Network
		if err := n.Solve(context.Background()); err != nil {
			t.Fatalf("Solve of the empty network = %v", err)
		}
	})
}
