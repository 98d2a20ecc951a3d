package routing

import (
	"math"

	"github.com/paulmach/orb"
)

// snapGrid is a uniform grid over the snap index's chunks (local metres):
// cell (x, y) lists, in CSR form, the chunks whose boxes overlap it. A
// snap looks at the cells around its point ring by ring, which costs a
// few dozen box tests where the R-tree's best-first search pushes every
// child of every node it opens onto a queue: on a national graph (a
// million households, two seasons) snapping was the largest single cost
// of assign and coverage. The R-tree stays for the rare point with no
// path within the snap limit.
type snapGrid struct {
	min    orb.Point
	cell   float64
	nx, ny int
	first  []uint32 // cell i's chunks are chunk[first[i]:first[i+1]]
	chunk  []uint32
	lo, hi []orb.Point // each listed chunk's box, beside it
}

// maxGridCells bounds the grid's cells (16 MB of offsets).
const maxGridCells = 4 << 20

// newSnapGrid indexes the chunks (first point index c, box lo–hi) over
// cells of about two chunks each.
func newSnapGrid(cs []uint32, lo, hi []orb.Point) *snapGrid {
	if len(cs) == 0 {
		return nil
	}
	b := orb.Bound{Min: lo[0], Max: hi[0]}
	for i := range cs {
		b = b.Extend(lo[i]).Extend(hi[i])
	}
	w, h := math.Max(b.Max[0]-b.Min[0], 1), math.Max(b.Max[1]-b.Min[1], 1)
	side := math.Max(20, math.Sqrt(2*w*h/float64(len(cs))))
	for (math.Floor(w/side)+1)*(math.Floor(h/side)+1) > maxGridCells {
		side *= 1.25
	}
	g := &snapGrid{min: b.Min, cell: side, nx: int(w/side) + 1, ny: int(h/side) + 1}
	g.first = make([]uint32, g.nx*g.ny+1)
	for i := range cs {
		x0, y0, x1, y1 := g.span(lo[i], hi[i])
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				g.first[y*g.nx+x+1]++
			}
		}
	}
	for i := 1; i < len(g.first); i++ {
		g.first[i] += g.first[i-1]
	}
	n := g.first[len(g.first)-1]
	g.chunk, g.lo, g.hi = make([]uint32, n), make([]orb.Point, n), make([]orb.Point, n)
	next := make([]uint32, g.nx*g.ny)
	copy(next, g.first)
	for i, c := range cs {
		x0, y0, x1, y1 := g.span(lo[i], hi[i])
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				k := next[y*g.nx+x]
				g.chunk[k], g.lo[k], g.hi[k] = c, lo[i], hi[i]
				next[y*g.nx+x]++
			}
		}
	}
	return g
}

// span returns the cells a box overlaps, clamped to the grid.
func (g *snapGrid) span(lo, hi orb.Point) (x0, y0, x1, y1 int) {
	return g.ix(lo[0]), g.iy(lo[1]), g.ix(hi[0]), g.iy(hi[1])
}

func (g *snapGrid) ix(x float64) int {
	return max(0, min(g.nx-1, int(math.Floor((x-g.min[0])/g.cell))))
}

func (g *snapGrid) iy(y float64) int {
	return max(0, min(g.ny-1, int(math.Floor((y-g.min[1])/g.cell))))
}

// boxDist2 is the squared distance from q to the box lo–hi.
func boxDist2(q, lo, hi orb.Point) float64 {
	dx := math.Max(0, math.Max(lo[0]-q[0], q[0]-hi[0]))
	dy := math.Max(0, math.Max(lo[1]-q[1], q[1]-hi[1]))
	return dx*dx + dy*dy
}

// gridEntry is a chunk in nearby's queue: by its box distance until it is
// measured, then by its exact distance.
type gridEntry struct {
	d2    float64
	c     uint32
	exact bool
}

// nearby calls visit with the chunks within radius of q (local metres) in
// order of exact squared distance (ties by chunk, measured before box),
// until visit returns false. exact measures a chunk. It reports whether it
// covered the radius: false when visit stopped it.
func (g *snapGrid) nearby(q orb.Point, radius float64, exact func(c uint32) float64, visit func(c uint32, d2 float64) bool) bool {
	var heapBuf [64]gridEntry
	var seenBuf [128]uint32
	h, seen := heapBuf[:0], seenBuf[:0]
	less := func(a, b gridEntry) bool {
		if a.d2 != b.d2 {
			return a.d2 < b.d2
		}
		if a.c != b.c {
			return a.c < b.c
		}
		return a.exact && !b.exact
	}
	push := func(e gridEntry) {
		h = append(h, e)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if !less(h[i], h[p]) {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
	}
	pop := func() gridEntry {
		top, last := h[0], len(h)-1
		h[0] = h[last]
		h = h[:last]
		for i := 0; ; {
			m, l, r := i, 2*i+1, 2*i+2
			if l < last && less(h[l], h[m]) {
				m = l
			}
			if r < last && less(h[r], h[m]) {
				m = r
			}
			if m == i {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
		return top
	}
	cx, cy := int(math.Floor((q[0]-g.min[0])/g.cell)), int(math.Floor((q[1]-g.min[1])/g.cell))
	r2 := radius * radius
	for ring := 0; ; ring++ {
		// The cells of this ring (the square's outline, clamped).
		x0, x1, y0, y1 := cx-ring, cx+ring, cy-ring, cy+ring
		for y := max(y0, 0); y <= min(y1, g.ny-1); y++ {
			for x := max(x0, 0); x <= min(x1, g.nx-1); x++ {
				if y != y0 && y != y1 && x != x0 && x != x1 {
					continue // inside: an earlier ring
				}
				i := y*g.nx + x
				for k := g.first[i]; k < g.first[i+1]; k++ {
					d2 := boxDist2(q, g.lo[k], g.hi[k])
					if d2 > r2 {
						continue
					}
					c := g.chunk[k]
					dup := false
					for _, s := range seen {
						if s == c {
							dup = true
							break
						}
					}
					if !dup {
						seen = append(seen, c)
						push(gridEntry{d2: d2, c: c})
					}
				}
			}
		}
		// Nothing outside the square is nearer than its outline.
		reach := math.Min(math.Min(q[0]-(g.min[0]+float64(x0)*g.cell), g.min[0]+float64(x1+1)*g.cell-q[0]),
			math.Min(q[1]-(g.min[1]+float64(y0)*g.cell), g.min[1]+float64(y1+1)*g.cell-q[1]))
		covered := reach >= radius || x0 <= 0 && y0 <= 0 && x1 >= g.nx-1 && y1 >= g.ny-1
		for len(h) > 0 && (covered || h[0].d2 <= reach*reach) {
			e := pop()
			if !e.exact {
				if d2 := exact(e.c); d2 <= r2 {
					push(gridEntry{d2: d2, c: e.c, exact: true})
				}
				continue
			}
			if !visit(e.c, e.d2) {
				return false
			}
		}
		if covered {
			return true
		}
	}
}
