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
// the CHW each household is assigned to. To dissolve the same cells by
// several groupings, use a Dissolver.
func Dissolve(cells []orb.MultiPolygon, groups []int, n int) []orb.MultiPolygon {
	// Each group's edges cancel against their reverses within the group.
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
	forEachEdge(cells, func(i int, a, b orb.Point) {
		if i < len(groups) && groups[i] >= 0 && groups[i] < n {
			byGroup[groups[i]] = append(byGroup[groups[i]], edge{a, b})
		}
	})
	out := make([]orb.MultiPolygon, n)
	for g, edges := range byGroup {
		keep := boundaryEdges(edges)
		var boundary []edge
		for i, e := range edges {
			if keep[i] {
				boundary = append(boundary, e)
			}
		}
		out[g] = trace(boundary)
	}
	return out
}

// A Dissolver dissolves one set of cells by any number of groupings (the
// walking-time bands of every season and source kind share one Voronoi
// diagram). It pairs each cell edge with its reverse on the neighbouring
// cell once, with one sort; each Dissolve then only compares the groups of
// the two sides of every edge and traces what remains. Its results are
// Dissolve's, to the bit. Safe for concurrent use.
type Dissolver struct {
	cells []orb.MultiPolygon
	// across[k] is the cell on the other side of the k-th edge (cells,
	// rings and vertices in order, zero-length edges skipped), -1 on the
	// outline. nil when some edge occurs twice the same way (cells that
	// do not tile): Dissolve then cancels by counting, group by group.
	across []int32
}

// NewDissolver prepares cells (as Dissolve takes them) for dissolving.
func NewDissolver(cells []orb.MultiPolygon) *Dissolver {
	d := &Dissolver{cells: cells}
	type rec struct {
		lo, hi orb.Point
		k      int32 // edge number; < 0 when the edge runs hi→lo
		cell   int32
	}
	n := 0
	forEachEdge(cells, func(int, orb.Point, orb.Point) { n++ })
	recs := make([]rec, 0, n)
	forEachEdge(cells, func(i int, a, b orb.Point) {
		k := int32(len(recs))
		if cmpPoint(a, b) <= 0 {
			recs = append(recs, rec{a, b, k, int32(i)})
		} else {
			recs = append(recs, rec{b, a, ^k, int32(i)})
		}
	})
	slices.SortFunc(recs, func(x, y rec) int {
		if c := cmpPoint(x.lo, y.lo); c != 0 {
			return c
		}
		return cmpPoint(x.hi, y.hi)
	})
	across := make([]int32, len(recs))
	for i := 0; i < len(recs); {
		r := recs[i]
		if i+1 < len(recs) && recs[i+1].lo == r.lo && recs[i+1].hi == r.hi {
			q := recs[i+1]
			if (r.k < 0) == (q.k < 0) || i+2 < len(recs) && recs[i+2].lo == r.lo && recs[i+2].hi == r.hi {
				return d // an edge repeats: no pairing
			}
			across[max(r.k, ^r.k)], across[max(q.k, ^q.k)] = q.cell, r.cell
			i += 2
			continue
		}
		across[max(r.k, ^r.k)] = -1
		i++
	}
	d.across = across
	return d
}

// forEachEdge calls f with every non-degenerate edge a→b of every cell i,
// in order.
func forEachEdge(cells []orb.MultiPolygon, f func(i int, a, b orb.Point)) {
	for i, c := range cells {
		for _, p := range c {
			for _, r := range p {
				for j := 0; j+1 < len(r); j++ {
					if r[j] != r[j+1] {
						f(i, r[j], r[j+1])
					}
				}
			}
		}
	}
}

// Dissolve merges the cells by group, as the function Dissolve does.
func (d *Dissolver) Dissolve(groups []int, n int) []orb.MultiPolygon {
	if d.across == nil {
		return Dissolve(d.cells, groups, n)
	}
	group := func(i int) int {
		if i < 0 || i >= len(groups) || groups[i] < 0 || groups[i] >= n {
			return -1
		}
		return groups[i]
	}
	// An edge bounds its group unless the cell across is in it too.
	byGroup := make([][]edge, n)
	k := 0
	forEachEdge(d.cells, func(i int, a, b orb.Point) {
		if g := group(i); g >= 0 && group(int(d.across[k])) != g {
			byGroup[g] = append(byGroup[g], edge{a, b})
		}
		k++
	})
	out := make([]orb.MultiPolygon, n)
	for g, edges := range byGroup {
		out[g] = trace(edges)
	}
	return out
}

// Square is a cell of a square grid: [X·side, (X+1)·side] ×
// [Y·side, (Y+1)·side].
type Square struct{ X, Y int64 }

// DissolveSquares is Dissolve for cells that are squares of one grid
// (distinct, side metres, group groups[i] for squares[i]): the result is
// Dissolve's on the squares as polygons (corner points computed as
// float64(X)·side), to the bit, found from the grid's neighbours instead
// of by pairing edges. A gap area is drawn from grid cells.
func DissolveSquares(squares []Square, groups []int, side float64, n int) []orb.MultiPolygon {
	at := make(map[Square]int, len(squares))
	for i, q := range squares {
		at[q] = i
	}
	group := func(i int) int {
		if i < 0 || i >= len(groups) || groups[i] < 0 || groups[i] >= n {
			return -1
		}
		return groups[i]
	}
	byGroup := make([][]edge, n)
	for i, q := range squares {
		g := group(i)
		if g < 0 {
			continue
		}
		x0, y0 := float64(q.X)*side, float64(q.Y)*side
		x1, y1 := float64(q.X+1)*side, float64(q.Y+1)*side
		// The ring's edges in Dissolve's order (counter-clockwise from
		// the lower left), each with the square across it.
		for _, e := range [4]struct {
			a, b   orb.Point
			across Square
		}{
			{orb.Point{x0, y0}, orb.Point{x1, y0}, Square{q.X, q.Y - 1}},
			{orb.Point{x1, y0}, orb.Point{x1, y1}, Square{q.X + 1, q.Y}},
			{orb.Point{x1, y1}, orb.Point{x0, y1}, Square{q.X, q.Y + 1}},
			{orb.Point{x0, y1}, orb.Point{x0, y0}, Square{q.X - 1, q.Y}},
		} {
			if j, ok := at[e.across]; !ok || group(j) != g {
				byGroup[g] = append(byGroup[g], edge{e.a, e.b})
			}
		}
	}
	out := make([]orb.MultiPolygon, n)
	for g, edges := range byGroup {
		out[g] = trace(edges)
	}
	return out
}

// trace joins a group's boundary edges (in input order) into outer rings
// and holes.
func trace(boundary []edge) orb.MultiPolygon {
	// Outgoing boundary edges by start point, in input order.
	from := make(map[orb.Point][]orb.Point, len(boundary))
	for _, e := range boundary {
		from[e.a] = append(from[e.a], e.b)
	}
	var shells, holes []orb.Ring
	for _, s := range boundary {
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
	return assemble(shells, holes)
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
