package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// The segment helpers work in planar coordinates, normally Local metres
// (their tolerances are tuned for coordinates of metres to hundreds of
// kilometres).

// Lerp returns the point at fraction t of the way from a to b (t = 0 gives
// a, t = 1 gives b; t outside [0, 1] extrapolates).
func Lerp(a, b orb.Point, t float64) orb.Point {
	return orb.Point{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t}
}

// ProjectToSegment returns the fraction t in [0, 1] of segment a→b nearest
// to p and the squared distance from p to that point. A zero-length segment
// gives t = 0.
func ProjectToSegment(p, a, b orb.Point) (t, d2 float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 > 0 {
		t = ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
		t = math.Min(math.Max(t, 0), 1)
	}
	x, y := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return t, x*x + y*y
}

// SegmentIntersection returns where segment p→q meets segment r→s, as the
// fraction t in [0, 1] of p→q (the point is Lerp(p, q, t)). Segments that
// touch count as meeting (a relative tolerance of 1e-9 absorbs rounding at
// shared endpoints); collinear overlapping segments meet at the first shared
// point along p→q. A zero-length p→q meets nothing.
func SegmentIntersection(p, q, r, s orb.Point) (t float64, ok bool) {
	dx, dy := q[0]-p[0], q[1]-p[1]
	ex, ey := s[0]-r[0], s[1]-r[1]
	den := dx*ey - dy*ex
	fx, fy := r[0]-p[0], r[1]-p[1]
	const eps = 1e-12
	if math.Abs(den) < eps*(math.Hypot(dx, dy)*math.Hypot(ex, ey)+eps) {
		// Parallel. Collinear only when r is on the line p→q.
		if math.Abs(fx*dy-fy*dx) > 1e-9*(math.Hypot(dx, dy)+1) {
			return 0, false
		}
		l2 := dx*dx + dy*dy
		if l2 == 0 {
			return 0, false
		}
		t0 := (fx*dx + fy*dy) / l2
		t1 := ((s[0]-p[0])*dx + (s[1]-p[1])*dy) / l2
		lo, hi := math.Min(t0, t1), math.Max(t0, t1)
		if hi < 0 || lo > 1 {
			return 0, false
		}
		return math.Max(lo, 0), true
	}
	t = (fx*ey - fy*ex) / den
	u := (fx*dy - fy*dx) / den
	const tol = 1e-9
	if t < -tol || t > 1+tol || u < -tol || u > 1+tol {
		return 0, false
	}
	return math.Min(math.Max(t, 0), 1), true
}
