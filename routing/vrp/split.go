package vrp

import "math"

// splitter cuts a giant tour into routes (Prins 2004) with penalised load
// and duration, as HGS-CVRP's Split does: a shortest path in the acyclic
// graph whose arc (i, j) is the route serving tour positions i+1..j. A
// route's load may reach 1.5 times the capacity (and its duration 1.5
// times the limit) at a penalty, so that the cut explores slightly
// infeasible plans too.
type splitter struct {
	in               *instance
	d0x, dx0, dnext  []float64 // per tour position 1..n
	dem, svc         []float64
	pot              [][]float64 // pot[k][j]: best cost of positions 1..j in k routes
	from             [][]int32
	potOne           []float64
	fromOne          []int32
	maxLoad, maxWork float64
	sumDist, sumLoad []float64 // prefix sums for the linear split
	deque            []int32
}

func newSplitter(in *instance) *splitter {
	n := in.n
	s := &splitter{
		in: in, d0x: make([]float64, n+1), dx0: make([]float64, n+1), dnext: make([]float64, n+1),
		dem: make([]float64, n+1), svc: make([]float64, n+1),
		potOne: make([]float64, n+1), fromOne: make([]int32, n+1),
		maxLoad: 1.5 * in.cap, maxWork: 1.5 * in.dur,
		sumDist: make([]float64, n+2), sumLoad: make([]float64, n+1), deque: make([]int32, n+1),
	}
	s.pot = make([][]float64, in.slots+1)
	s.from = make([][]int32, in.slots+1)
	for k := range s.pot {
		s.pot[k] = make([]float64, n+1)
		s.from[k] = make([]int32, n+1)
	}
	return s
}

// arcCost is the penalised cost of a route with the given travel, load and
// service, fixed cost included.
func (s *splitter) arcCost(travel, load, svc float64, pen penalties) float64 {
	return travel + s.in.fixed + pen.load*max(0, load-s.in.cap) + pen.dur*max(0, travel+svc-s.in.dur)
}

// split fills ind.routes from ind.giant with at most maxRoutes routes (at
// least the bin-packing bound, at most the slots) and evaluates ind.
func (s *splitter) split(ind *individual, maxRoutes int, pen penalties) {
	in := s.in
	n := in.n
	if in.hasCap {
		maxRoutes = max(maxRoutes, int(math.Ceil(in.totalDemand/in.cap)))
	}
	maxRoutes = max(1, min(maxRoutes, in.slots))
	for i := 1; i <= n; i++ {
		c := ind.giant[i-1]
		s.d0x[i], s.dx0[i] = in.at(0, c), in.at(c, 0)
		s.dem[i], s.svc[i] = in.dem[c], in.svc[c]
		if i < n {
			s.dnext[i] = in.at(c, ind.giant[i])
		}
	}
	if !in.hasDur {
		for i := 1; i <= n; i++ {
			s.sumLoad[i] = s.sumLoad[i-1] + s.dem[i]
			if i > 1 {
				s.sumDist[i] = s.sumDist[i-1] + s.dnext[i-1]
			} else {
				s.sumDist[1] = 0
			}
		}
		if s.linear(ind, s.potOne, s.fromOne, pen, maxRoutes) {
			in.evaluate(ind, pen)
			return
		}
		s.linearLimited(ind, maxRoutes, pen)
		in.evaluate(ind, pen)
		return
	}
	// Unlimited fleet first.
	pot, from := s.potOne, s.fromOne
	pot[0] = 0
	for j := 1; j <= n; j++ {
		pot[j] = math.Inf(1)
	}
	for i := range n {
		var load, svc, travel float64
		for j := i + 1; j <= n && load <= s.maxLoad && travel+svc <= s.maxWork; j++ {
			load += s.dem[j]
			svc += s.svc[j]
			if j == i+1 {
				travel = s.d0x[j]
			} else {
				travel += s.dnext[j-1]
			}
			if c := pot[i] + s.arcCost(travel+s.dx0[j], load, svc, pen); c < pot[j] {
				pot[j], from[j] = c, int32(i)
			}
		}
	}
	count := 0
	for j := n; j > 0; j = int(from[j]) {
		count++
	}
	if count <= maxRoutes {
		s.fill(ind, from, nil, count)
	} else {
		s.splitLimited(ind, maxRoutes, pen)
	}
	in.evaluate(ind, pen)
}

// The linear split (Vidal 2016, "Split algorithm in O(n) for the
// capacitated vehicle routing problem") for problems without a duration
// limit: with only a penalised load, labels dominate each other in a way
// a double-ended queue of candidate predecessors captures, so each
// position is relaxed once. propagate is the cost of serving tour
// positions i+1..j in one route after the label pot[i].
func (s *splitter) propagate(pot []float64, i, j int, pen penalties) float64 {
	return pot[i] + s.sumDist[j] - s.sumDist[i+1] + s.d0x[i+1] + s.dx0[j] + s.in.fixed +
		pen.load*max(0, s.sumLoad[j]-s.sumLoad[i]-s.in.cap)
}

// dominates reports whether predecessor i is better than j (i < j) for
// every later position.
func (s *splitter) dominates(pot []float64, i, j int, pen penalties) bool {
	return pot[j]+s.d0x[j+1] > pot[i]+s.d0x[i+1]+s.sumDist[j+1]-s.sumDist[i+1]+pen.load*(s.sumLoad[j]-s.sumLoad[i])
}

// dominatesRight reports whether predecessor j is better than i (i < j)
// for every later position.
func (s *splitter) dominatesRight(pot []float64, i, j int) bool {
	return pot[j]+s.d0x[j+1] < pot[i]+s.d0x[i+1]+s.sumDist[j+1]-s.sumDist[i+1]+s.in.eps
}

// linearLayer relaxes positions first+1..n from the labels in prev (one
// route more), writing next and from. With prev == next it is the
// unlimited-fleet split.
func (s *splitter) linearLayer(prev, next []float64, from []int32, first int, pen penalties) {
	n := s.in.n
	dq := s.deque
	front, back := 0, 0
	dq[0] = int32(first)
	for i := first + 1; i <= n && back >= front; i++ {
		f := int(dq[front])
		next[i] = s.propagate(prev, f, i, pen)
		from[i] = int32(f)
		if i == n {
			break
		}
		if !s.dominates(prev, int(dq[back]), i, pen) {
			for back >= front && s.dominatesRight(prev, int(dq[back]), i) {
				back--
			}
			back++
			dq[back] = int32(i)
		}
		for back > front && s.propagate(prev, int(dq[front]), i+1, pen) > s.propagate(prev, int(dq[front+1]), i+1, pen)-s.in.eps {
			front++
		}
	}
}

// linear is the unlimited-fleet linear split; it fills ind and reports
// true when the result has at most maxRoutes routes.
func (s *splitter) linear(ind *individual, pot []float64, from []int32, pen penalties, maxRoutes int) bool {
	n := s.in.n
	for j := range n + 1 {
		pot[j] = math.Inf(1)
	}
	pot[0] = 0
	s.linearLayer(pot, pot, from, 0, pen)
	count := 0
	for j := n; j > 0; j = int(from[j]) {
		count++
	}
	if count > maxRoutes {
		return false
	}
	s.fill(ind, from, nil, count)
	return true
}

// linearLimited is the linear split with at most maxRoutes routes, one
// layer per route count.
func (s *splitter) linearLimited(ind *individual, maxRoutes int, pen penalties) {
	n := s.in.n
	for k := 0; k <= maxRoutes; k++ {
		for j := range n + 1 {
			s.pot[k][j] = math.Inf(1)
		}
	}
	s.pot[0][0] = 0
	for k := range maxRoutes {
		s.linearLayer(s.pot[k], s.pot[k+1], s.from[k+1], k, pen)
	}
	best, routes := math.Inf(1), 0
	for k := 1; k <= maxRoutes; k++ {
		if s.pot[k][n] < best {
			best, routes = s.pot[k][n], k
		}
	}
	s.fill(ind, nil, s.from, routes)
}

// splitLimited is the cut with at most maxRoutes routes (Bellman over the
// number of routes used). Like the unlimited cut it skips routes beyond
// 1.5 times the capacity or duration; should that leave the end of the
// tour unreached, it runs again without that pruning.
func (s *splitter) splitLimited(ind *individual, maxRoutes int, pen penalties) {
	n := s.in.n
	for _, prune := range []bool{true, false} {
		for k := 0; k <= maxRoutes; k++ {
			for j := range n + 1 {
				s.pot[k][j] = math.Inf(1)
			}
		}
		s.pot[0][0] = 0
		maxLoad, maxWork := math.Inf(1), math.Inf(1)
		if prune {
			maxLoad, maxWork = s.maxLoad, s.maxWork
		}
		for k := range maxRoutes {
			pk, pn, fn := s.pot[k], s.pot[k+1], s.from[k+1]
			for i := k; i < n; i++ {
				if math.IsInf(pk[i], 1) {
					continue
				}
				base := pk[i]
				var load, svc, travel float64
				for j := i + 1; j <= n && load <= maxLoad && travel+svc <= maxWork; j++ {
					load += s.dem[j]
					svc += s.svc[j]
					if j == i+1 {
						travel = s.d0x[j]
					} else {
						travel += s.dnext[j-1]
					}
					if c := base + s.arcCost(travel+s.dx0[j], load, svc, pen); c < pn[j] {
						pn[j], fn[j] = c, int32(i)
					}
				}
			}
		}
		best, routes := math.Inf(1), 0
		for k := 1; k <= maxRoutes; k++ {
			if s.pot[k][n] < best {
				best, routes = s.pot[k][n], k
			}
		}
		if routes > 0 {
			s.fill(ind, nil, s.from, routes)
			return
		}
	}
}

// fill writes the routes found: from (one fleet-free label per position)
// or fromK (labels per route count).
func (s *splitter) fill(ind *individual, from []int32, fromK [][]int32, routes int) {
	for r := range ind.routes {
		ind.routes[r] = ind.routes[r][:0]
	}
	end := s.in.n
	for k := routes - 1; k >= 0; k-- {
		var begin int
		if from != nil {
			begin = int(from[end])
		} else {
			begin = int(fromK[k+1][end])
		}
		ind.routes[k] = append(ind.routes[k], ind.giant[begin:end]...)
		end = begin
	}
}
