package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Dissolve merges cells by group: out[g] is the union of the cells i with
// groups[i] == g, for g in [0, n); cells whose group is outside [0, n) are
// left out. The cells must tile the plane edge to edge with shared vertices
// exactly equal, as Voronoi cells do (a Voronoi duplicate has no cell: its
// household belongs to the group of its Owner's cell). Edges shared by two
// cells of a group cancel; what remains is traced into outer rings
// (counter-clockwise) and holes (clockwise). Planar coordinates. Cost:
// O(e log e) for e cell edges (hashing); deterministic.
//
// The catchment stage uses it for the walk and balanced methods: the
// Voronoi cells of the households, clipped to the study area, dissolved by
// the CHW each household is assigned to.
func Dissolve(cells []orb.MultiPolygon, groups []int, n int) []orb.MultiPolygon {
	type edge struct{ a, b orb.Point }
	byGroup := make([][]edge, n)
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
		// Cancel each edge against its reverse (counting, so that an edge
		// that appears twice one way survives once per unmatched copy).
		count := make(map[edge]int, len(edges))
		for _, e := range edges {
			if count[edge{e.b, e.a}] > 0 {
				count[edge{e.b, e.a}]--
			} else {
				count[e]++
			}
		}
		// Outgoing boundary edges by start point, in input order.
		from := map[orb.Point][]orb.Point{}
		var starts []edge
		for _, e := range edges {
			if count[e] > 0 {
				count[e]--
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
