package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// triangulation is a Delaunay triangulation in the half-edge layout of
// Mapbox's delaunator: triangle t has the corners tri[3t], tri[3t+1],
// tri[3t+2], counter-clockwise; half-edge e runs from tri[e] to
// tri[next(e)]; half[e] is the opposite half-edge, -1 on the convex hull.
// The algorithm is delaunator's sweep-hull (points added in order of
// distance from a seed circumcentre, the hull found through an angular hash,
// edges legalised by flips), with exact predicates so that collinear and
// cocircular input cannot loop or fold: O(n log n) in practice.
type triangulation struct {
	pts  []orb.Point
	tri  []int32
	half []int32
}

func next(e int32) int32 {
	if e%3 == 2 {
		return e - 2
	}
	return e + 1
}

// triangulate triangulates pts, which must hold at least three points, not
// all collinear, with no two equal (Voronoi adds far sentinel corners and
// removes duplicates before calling it).
func triangulate(pts []orb.Point) *triangulation {
	n := len(pts)
	d := &triangulation{pts: pts}
	b := orb.MultiPoint(pts).Bound()
	c := b.Center()
	dist2 := func(a, b orb.Point) float64 { dx, dy := a[0]-b[0], a[1]-b[1]; return dx*dx + dy*dy }

	// Seed: the point nearest the centre, its nearest point, and the point
	// making the smallest circumcircle with them.
	i0, i1, i2 := -1, -1, -1
	best := math.Inf(1)
	for i, p := range pts {
		if d2 := dist2(p, c); d2 < best {
			i0, best = i, d2
		}
	}
	best = math.Inf(1)
	for i, p := range pts {
		if d2 := dist2(p, pts[i0]); i != i0 && d2 < best && d2 > 0 {
			i1, best = i, d2
		}
	}
	best = math.Inf(1)
	for i, p := range pts {
		if i == i0 || i == i1 {
			continue
		}
		if r := circumradius2(pts[i0], pts[i1], p); r < best {
			i2, best = i, r
		}
	}
	if orient(pts[i0], pts[i1], pts[i2]) < 0 {
		i1, i2 = i2, i1
	}
	cc := circumcenter(pts[i0], pts[i1], pts[i2])

	ids := make([]int32, n)
	dists := make([]float64, n)
	for i := range pts {
		ids[i] = int32(i)
		dists[i] = dist2(pts[i], cc)
	}
	slices.SortFunc(ids, func(a, b int32) int {
		if dists[a] != dists[b] {
			if dists[a] < dists[b] {
				return -1
			}
			return 1
		}
		return int(a - b)
	})

	hashSize := int(math.Ceil(math.Sqrt(float64(n))))
	hullPrev := make([]int32, n)
	hullNext := make([]int32, n)
	hullTri := make([]int32, n)
	hullHash := make([]int32, hashSize)
	for i := range hullHash {
		hullHash[i] = -1
	}
	hashKey := func(p orb.Point) int {
		// delaunator's pseudo-angle, mirrored (its hull runs the other way).
		dx, dy := p[0]-cc[0], -(p[1] - cc[1])
		q := dx / (math.Abs(dx) + math.Abs(dy))
		var a float64
		if dy > 0 {
			a = (3 - q) / 4
		} else {
			a = (1 + q) / 4
		}
		return int(math.Floor(a*float64(hashSize))) % hashSize
	}

	maxTri := max(2*n-5, 1)
	d.tri = make([]int32, 0, 3*maxTri)
	d.half = make([]int32, 0, 3*maxTri)

	hullStart := int32(i0)
	hullNext[i0], hullPrev[i2] = int32(i1), int32(i1)
	hullNext[i1], hullPrev[i0] = int32(i2), int32(i2)
	hullNext[i2], hullPrev[i1] = int32(i0), int32(i0)
	hullTri[i0], hullTri[i1], hullTri[i2] = 0, 1, 2
	hullHash[hashKey(pts[i0])] = int32(i0)
	hullHash[hashKey(pts[i1])] = int32(i1)
	hullHash[hashKey(pts[i2])] = int32(i2)
	d.add(int32(i0), int32(i1), int32(i2), -1, -1, -1)

	var stack []int32
	for _, i := range ids {
		if int(i) == i0 || int(i) == i1 || int(i) == i2 {
			continue
		}
		p := pts[i]
		// A visible hull edge, starting from the hash bucket of p's angle.
		var start int32
		key := hashKey(p)
		for j := 0; j < hashSize; j++ {
			start = hullHash[(key+j)%hashSize]
			if start != -1 && start != hullNext[start] {
				break
			}
		}
		start = hullPrev[start]
		e := start
		for {
			q := hullNext[e]
			if orient(p, pts[e], pts[q]) < 0 {
				break
			}
			e = q
			if e == start {
				e = -1
				break
			}
		}
		if e == -1 {
			continue // inside the hull: only a duplicate can be, and there is none
		}

		t := d.add(e, i, hullNext[e], -1, -1, hullTri[e])
		hullTri[i] = d.legalize(t+2, &stack, hullTri, hullPrev, hullStart)
		hullTri[e] = t

		nn := hullNext[e]
		for {
			q := hullNext[nn]
			if orient(p, pts[nn], pts[q]) >= 0 {
				break
			}
			t = d.add(nn, i, q, hullTri[i], -1, hullTri[nn])
			hullTri[i] = d.legalize(t+2, &stack, hullTri, hullPrev, hullStart)
			hullNext[nn] = nn // removed from the hull
			nn = q
		}
		if e == start {
			for {
				q := hullPrev[e]
				if orient(p, pts[q], pts[e]) >= 0 {
					break
				}
				t = d.add(q, i, e, -1, hullTri[e], hullTri[q])
				d.legalize(t+2, &stack, hullTri, hullPrev, hullStart)
				hullTri[q] = t
				hullNext[e] = e
				e = q
			}
		}
		hullStart = e
		hullPrev[i] = e
		hullNext[e] = i
		hullPrev[nn] = i
		hullNext[i] = nn
		hullHash[hashKey(p)] = i
		hullHash[hashKey(pts[e])] = e
	}
	return d
}

func (d *triangulation) add(i0, i1, i2, a, b, c int32) int32 {
	t := int32(len(d.tri))
	d.tri = append(d.tri, i0, i1, i2)
	d.half = append(d.half, -1, -1, -1)
	d.link(t, a)
	d.link(t+1, b)
	d.link(t+2, c)
	return t
}

func (d *triangulation) link(a, b int32) {
	d.half[a] = b
	if b != -1 {
		d.half[b] = a
	}
}

// legalize flips edge a and, recursively, the edges it exposes until every
// one is locally Delaunay; it returns the half-edge that now plays the part
// of a's left neighbour, as delaunator's does.
func (d *triangulation) legalize(a int32, stack *[]int32, hullTri, hullPrev []int32, hullStart int32) int32 {
	s := (*stack)[:0]
	var ar int32
	for {
		b := d.half[a]
		a0 := a - a%3
		ar = a0 + (a+2)%3
		if b == -1 {
			if len(s) == 0 {
				break
			}
			a, s = s[len(s)-1], s[:len(s)-1]
			continue
		}
		b0 := b - b%3
		al := a0 + (a+1)%3
		bl := b0 + (b+2)%3
		p0, pr, pl, p1 := d.tri[ar], d.tri[a], d.tri[al], d.tri[bl]
		if inCircle(d.pts[p0], d.pts[pr], d.pts[pl], d.pts[p1]) > 0 {
			d.tri[a] = p1
			d.tri[b] = p0
			hbl := d.half[bl]
			if hbl == -1 {
				// The flipped edge was on the hull: fix its reference.
				e := hullStart
				for {
					if hullTri[e] == bl {
						hullTri[e] = a
						break
					}
					e = hullPrev[e]
					if e == hullStart {
						break
					}
				}
			}
			d.link(a, hbl)
			d.link(b, d.half[ar])
			d.link(ar, bl)
			s = append(s, b0+(b+1)%3)
		} else {
			if len(s) == 0 {
				break
			}
			a, s = s[len(s)-1], s[:len(s)-1]
		}
	}
	*stack = s
	return ar
}

// circumradius2 is the squared circumradius of a, b, c (+Inf when they are
// collinear).
func circumradius2(a, b, c orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	ex, ey := c[0]-a[0], c[1]-a[1]
	bl, cl := dx*dx+dy*dy, ex*ex+ey*ey
	den := dx*ey - dy*ex
	if den == 0 {
		return math.Inf(1)
	}
	k := 0.5 / den
	x, y := (ey*bl-dy*cl)*k, (dx*cl-ex*bl)*k
	r := x*x + y*y
	if math.IsNaN(r) {
		return math.Inf(1)
	}
	return r
}

// circumcenter is the centre of the circle through a, b, c.
func circumcenter(a, b, c orb.Point) orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	ex, ey := c[0]-a[0], c[1]-a[1]
	bl, cl := dx*dx+dy*dy, ex*ex+ey*ey
	k := 0.5 / (dx*ey - dy*ex)
	return orb.Point{a[0] + (ey*bl-dy*cl)*k, a[1] + (dx*cl-ex*bl)*k}
}
