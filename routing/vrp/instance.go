package vrp

import (
	"math"
	"slices"
)

// instance is the problem as the search sees it: the depot is node 0,
// the customers that can be served are 1..n, and every number is a
// float64. Integer costs below 2⁵³ stay exact in float64, so sums and
// comparisons of integer costs are exact too.
type instance struct {
	n     int       // customers
	side  int       // n+1, the matrix side
	dist  []float64 // side×side travel costs, row-major
	bad   []bool    // side×side: true where Travel said unreachable (nil: none)
	bigM  float64   // the cost standing in for an unreachable leg inside the search
	dem   []float64 // demand per node (0 at the depot)
	svc   []float64 // service time per node (0 at the depot)
	cap   float64   // capacity (+Inf: none)
	dur   float64   // duration limit (+Inf: none)
	fixed float64   // cost per route
	// orig maps a search node to the problem's node: orig[0] is the depot.
	orig []int
	// polar is each node's angle around the depot in 1/65536 turns, when
	// positions were given.
	polar []int32
	xy    [][2]float64
	// near lists, per customer, the customers its moves consider (the k
	// nearest ones, made symmetric).
	near [][]int32
	k    int

	maxDist, maxDemand, totalDemand float64
	hasDur, hasCap                  bool
	slots                           int     // route slots the search uses
	eps                             float64 // improvements below this are noise
}

// at returns the internal cost from a to b.
func (in *instance) at(a, b int32) float64 { return in.dist[int(a)*in.side+int(b)] }

// build converts p. It returns the instance and the customers that cannot
// be served.
func build[T Cost](p *Problem[T], neighbors int) (*instance, []Unserved) {
	in := &instance{cap: math.Inf(1), dur: math.Inf(1), fixed: float64(p.RouteCost)}
	if p.Capacity > 0 {
		in.cap, in.hasCap = float64(p.Capacity), true
	}
	if p.MaxDuration > 0 {
		in.dur, in.hasDur = float64(p.MaxDuration), true
	}
	svc := func(i int) float64 {
		if p.Service == nil || i == p.Depot {
			return 0
		}
		return float64(p.Service[i])
	}
	dem := func(i int) float64 {
		if p.Demand == nil || i == p.Depot {
			return 0
		}
		return float64(p.Demand[i])
	}
	var unserved []Unserved
	in.orig = append(in.orig, p.Depot)
	for i := range p.N {
		if i == p.Depot {
			continue
		}
		to, ok1 := p.Travel(p.Depot, i)
		back, ok2 := p.Travel(i, p.Depot)
		switch {
		case !ok1 || !ok2:
			unserved = append(unserved, Unserved{i, Unreachable})
		case in.hasCap && dem(i) > in.cap:
			unserved = append(unserved, Unserved{i, TooHeavy})
		case in.hasDur && float64(to)+svc(i)+float64(back) > in.dur:
			unserved = append(unserved, Unserved{i, TooLong})
		default:
			in.orig = append(in.orig, i)
		}
	}
	in.n = len(in.orig) - 1
	in.side = in.n + 1
	s := in.side
	in.dist = make([]float64, s*s)
	in.dem = make([]float64, s)
	in.svc = make([]float64, s)
	var sumMax float64
	for a := range s {
		in.dem[a] = dem(in.orig[a])
		in.svc[a] = svc(in.orig[a])
		in.totalDemand += in.dem[a]
		in.maxDemand = max(in.maxDemand, in.dem[a])
		var rowMax float64
		for b := range s {
			if a == b {
				continue
			}
			c, ok := p.Travel(in.orig[a], in.orig[b])
			if !ok {
				if in.bad == nil {
					in.bad = make([]bool, s*s)
				}
				in.bad[a*s+b] = true
				continue
			}
			in.dist[a*s+b] = float64(c)
			rowMax = max(rowMax, float64(c))
		}
		in.maxDist = max(in.maxDist, rowMax)
		sumMax += rowMax + in.svc[a]
	}
	// An unreachable leg costs more than any plan made of reachable legs
	// (each node left once, by at most its dearest leg, plus one route
	// per customer), so the search only keeps one when nothing else fits.
	in.bigM = 2*(sumMax+float64(s)*in.fixed) + 1
	if in.bad != nil {
		for k, b := range in.bad {
			if b {
				in.dist[k] = in.bigM
			}
		}
	}
	in.eps = 1e-9 * max(in.maxDist, 1e-3)
	if p.XY != nil {
		in.xy = make([][2]float64, s)
		in.polar = make([]int32, s)
		o := p.XY[p.Depot]
		for a := range s {
			in.xy[a] = p.XY[in.orig[a]]
			ang := math.Atan2(in.xy[a][1]-o[1], in.xy[a][0]-o[0])
			in.polar[a] = int32(positiveMod(int(32768 * ang / math.Pi)))
		}
	}
	in.k = max(1, neighbors)
	in.near = in.neighbours(neighbors)
	in.slots = in.routeSlots(p.MaxRoutes)
	return in, unserved
}

// neighbours returns, for each customer, its k nearest customers by the
// cheaper direction, plus every customer that has it among its k nearest,
// in ascending customer order.
func (in *instance) neighbours(k int) [][]int32 {
	n := in.n
	near := make([][]int32, n+1)
	if n <= 1 {
		return near
	}
	k = min(k, n-1)
	sets := make([]map[int32]bool, n+1)
	for i := 1; i <= n; i++ {
		sets[i] = map[int32]bool{}
	}
	cand := make([]int32, 0, n)
	for i := int32(1); i <= int32(n); i++ {
		cand = cand[:0]
		for j := int32(1); j <= int32(n); j++ {
			if j != i {
				cand = append(cand, j)
			}
		}
		key := func(j int32) float64 { return min(in.at(i, j), in.at(j, i)) }
		slices.SortStableFunc(cand, func(a, b int32) int {
			ka, kb := key(a), key(b)
			switch {
			case ka < kb:
				return -1
			case ka > kb:
				return 1
			}
			return int(a - b)
		})
		for _, j := range cand[:k] {
			sets[i][j] = true
			sets[j][i] = true
		}
	}
	for i := 1; i <= n; i++ {
		for j := range sets[i] {
			near[i] = append(near[i], j)
		}
		slices.Sort(near[i])
	}
	return near
}

// routeSlots is the number of routes the search may use: maxRoutes when
// set; otherwise the lower bound from demand and duration with a 30 %
// margin plus 3, as HGS-CVRP sizes its fleet, but at least the routes of
// a feasible greedy plan (a duration bound is weak: the walk to the far
// villages does not show in it), and never more than n.
func (in *instance) routeSlots(maxRoutes int) int {
	if maxRoutes > 0 {
		return maxRoutes
	}
	lb := 1.0
	if in.hasCap {
		lb = max(lb, in.totalDemand/in.cap)
	}
	if in.hasDur {
		// Each customer costs at least its service and its cheapest way in.
		var work float64
		for b := int32(1); b <= int32(in.n); b++ {
			best := math.Inf(1)
			for a := int32(0); a <= int32(in.n); a++ {
				if a != b && (in.bad == nil || !in.bad[int(a)*in.side+int(b)]) {
					best = min(best, in.at(a, b))
				}
			}
			if !math.IsInf(best, 1) {
				work += best
			}
			work += in.svc[b]
		}
		lb = max(lb, work/in.dur)
	}
	return max(1, min(in.n, max(int(math.Ceil(1.3*lb))+3, in.greedyRoutes()+2)))
}

// greedyRoutes is the number of routes of a feasible plan built by
// nearest-neighbour: each route goes on to the nearest unvisited customer
// it can still serve and return from, and ends when there is none.
// O(n²).
func (in *instance) greedyRoutes() int {
	done := make([]bool, in.n+1)
	left, routes := in.n, 0
	for left > 0 {
		routes++
		cur := int32(0)
		var load, t float64
		for {
			next, best := int32(-1), math.Inf(1)
			for c := int32(1); c <= int32(in.n); c++ {
				if done[c] || in.at(cur, c) >= in.bigM {
					continue
				}
				d := in.at(cur, c)
				if d < best && load+in.dem[c] <= in.cap && t+d+in.svc[c]+in.at(c, 0) <= in.dur {
					next, best = c, d
				}
			}
			if next < 0 {
				break
			}
			done[next] = true
			left--
			load += in.dem[next]
			t += best + in.svc[next]
			cur = next
		}
		if cur == 0 {
			// No customer fits in an empty route: only possible with
			// unreachable legs everywhere; give every customer a route.
			return in.n
		}
	}
	return routes
}

// positiveMod is i modulo 65536 in 0..65535.
func positiveMod(i int) int { return (i%65536 + 65536) % 65536 }

// sector is a circle sector around the depot in 1/65536 turns (HGS-CVRP's
// CircleSector).
type sector struct{ start, end int }

func (c *sector) reset(p int) { c.start, c.end = p, p }

func (c *sector) encloses(p int) bool {
	return positiveMod(p-c.start) <= positiveMod(c.end-c.start)
}

// extend grows the sector to hold p, on the side that keeps it smallest.
func (c *sector) extend(p int) {
	if !c.encloses(p) {
		if positiveMod(p-c.end) <= positiveMod(c.start-p) {
			c.end = p
		} else {
			c.start = p
		}
	}
}

func overlap(a, b *sector) bool {
	return positiveMod(b.start-a.start) <= positiveMod(a.end-a.start) ||
		positiveMod(a.start-b.start) <= positiveMod(b.end-b.start)
}
