package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Dissolve merges cells by group: out[g] is the union of the cells i with
// groups[i] == g, for g in [0, n); cells whose group is outside [0, n) are
// left out. The cells must tile the plane edge to edge with shared vertices
// exactly equal, as Voronoi cells do (a Voronoi duplicate has no cell: its
// household belongs to the group of its Owner's cell). Edges shared by two
// cells of a group cancel; what remains is traced into outer rings
// (counter-clockwise) and holes (clockwise). Planar coordinates. Cost:
// O(e log e) for e cell edges (a sort); deterministic.
//
// The catchment stage uses it for the walk and balanced methods: the
// Voronoi cells of the households, clipped to the study area, dissolved by
// the CHW each household is assigned to.
func Dissolve(cells []orb.MultiPolygon, groups []int, n int) []orb.MultiPolygon {
	// Sized first: appending tens of millions of edges would copy each
	// several times.
	sizes := make([]int, n)
	for i, c := range cells {
		if i < len(groups) && groups[i] >= 0 && groups[i] < n {
			for _, p := range c {
				for _, r := range p {
					sizes[groups[i]] += len(r)
				}
			}
		}
	}
	byGroup := make([][]edge, n)
	for g, k := range sizes {
		byGroup[g] = make([]edge, 0, k)
	}
	for i, c := range cells {
		if i >= len(groups) || groups[i] < 0 || groups[i] >= n {
			continue
		}
		g := groups[i]
		for _, p := range c {
			for _, r := range p {
				for j := 0; j+1 < len(r); j++ {
					if r[j] != r[j+1] {
						byGroup[g] = append(byGroup[g], edge{r[j], r[j+1]})
					}
				}
			}
		}
	}
	out := make([]orb.MultiPolygon, n)
	for g, edges := range byGroup {
		keep := boundaryEdges(edges)
		// Outgoing boundary edges by start point, in input order.
		from := map[orb.Point][]orb.Point{}
		var starts []edge
		for i, e := range edges {
			if keep[i] {
				from[e.a] = append(from[e.a], e.b)
				starts = append(starts, e)
			}
		}
		var shells, holes []orb.Ring
		for _, s := range starts {
			if !take(from, s.a, s.b) {
				continue // already traced
			}
			ring := []orb.Point{s.a}
			prev, cur := s.a, s.b
			for cur != s.a {
				ring = append(ring, cur)
				nx, ok := nextEdge(from, prev, cur)
				if !ok {
					break // open chain: cells did not share vertices exactly
				}
				prev, cur = cur, nx
			}
			for _, r := range cleanRing(ring) {
				if ringArea(r) > 0 {
					shells = append(shells, closed(r))
				} else {
					holes = append(holes, closed(r))
				}
			}
		}
		out[g] = assemble(shells, holes)
	}
	return out
}

// edge is a directed cell edge a→b.
type edge struct{ a, b orb.Point }

// boundaryEdges reports which of the directed edges survive cancellation:
// each edge cancels one copy of its reverse, and of an edge a→b that
// occurs f times against r times b→a, the first f−r occurrences (in input
// order) survive. It sorts the edges by their undirected ends instead of
// hashing them: a national district's bands have tens of millions of cell
// edges, and a hash map of them spends its time in cache misses.
func boundaryEdges(edges []edge) []bool {
	type rec struct {
		lo, hi orb.Point
		i      int32 // input position; < 0 when the edge runs hi→lo
	}
	recs := make([]rec, len(edges))
	for i, e := range edges {
		a, b := e.a, e.b
		if cmpPoint(a, b) <= 0 {
			recs[i] = rec{a, b, int32(i)}
		} else {
			recs[i] = rec{b, a, ^int32(i)}
		}
	}
	pos := func(r rec) int32 {
		if r.i < 0 {
			return ^r.i
		}
		return r.i
	}
	slices.SortFunc(recs, func(x, y rec) int {
		if c := cmpPoint(x.lo, y.lo); c != 0 {
			return c
		}
		if c := cmpPoint(x.hi, y.hi); c != 0 {
			return c
		}
		return cmp.Compare(pos(x), pos(y))
	})
	keep := make([]bool, len(edges))
	for start := 0; start < len(recs); {
		end := start + 1
		for end < len(recs) && recs[end].lo == recs[start].lo && recs[end].hi == recs[start].hi {
			end++
		}
		fwd := 0
		for _, r := range recs[start:end] {
			if r.i >= 0 {
				fwd++
			}
		}
		// Survivors run the majority's way; the run is in input order.
		surplus, forward := fwd-(end-start-fwd), true
		if surplus < 0 {
			surplus, forward = -surplus, false
		}
		for _, r := range recs[start:end] {
			if surplus == 0 {
				break
			}
			if (r.i >= 0) == forward {
				keep[pos(r)] = true
				surplus--
			}
		}
		start = end
	}
	return keep
}

// take removes the edge a→b from the outgoing lists; false when it is not
// there (already traced).
func take(from map[orb.Point][]orb.Point, a, b orb.Point) bool {
	l := from[a]
	for i, q := range l {
		if q == b {
			from[a] = append(l[:i:i], l[i+1:]...)
			return true
		}
	}
	return false
}

// nextEdge picks and removes the boundary edge leaving cur after arriving
// from prev. Where two outlines of the group touch at a vertex, it takes
// the first edge clockwise from the way back, which keeps the ring on the
// boundary of the face it is tracing (rings may then touch at that point,
// as OGC allows, but not cross).
func nextEdge(from map[orb.Point][]orb.Point, prev, cur orb.Point) (orb.Point, bool) {
	l := from[cur]
	switch len(l) {
	case 0:
		return orb.Point{}, false
	case 1:
		nx := l[0]
		from[cur] = l[:0]
		return nx, true
	}
	back := math.Atan2(prev[1]-cur[1], prev[0]-cur[0])
	best, bestTurn := -1, math.Inf(1)
	for i, q := range l {
		a := math.Atan2(q[1]-cur[1], q[0]-cur[0])
		turn := back - a // clockwise angle from the way back
		for turn <= 0 {
			turn += 2 * math.Pi
		}
		if turn < bestTurn {
			best, bestTurn = i, turn
		}
	}
	nx := l[best]
	from[cur] = append(l[:best:best], l[best+1:]...)
	return nx, true
}
