package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// PointOnSurface returns a point inside mp (in planar terms, lon/lat or
// Local metres): on the polygon with the largest area, the midpoint of the
// widest interior horizontal span at the latitude of its centroid (or, when
// that line misses the interior, at the middle of its bounding box, then at
// 15 more latitudes). Unlike the centroid, the point cannot fall outside an
// L- or U-shaped outline or inside a hole. A degenerate outline (zero area)
// gives its first vertex. ok is false when mp has no vertex. The input is
// not modified. Cost: O(vertices) per scanned latitude.
func PointOnSurface(mp orb.MultiPolygon) (p orb.Point, ok bool) {
	best, bestArea := -1, -1.0
	for i, p := range mp {
		if len(p) == 0 || len(p[0]) == 0 {
			continue
		}
		a := math.Abs(planar.Area(p))
		if a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return orb.Point{}, false
	}
	poly := mp[best]
	if bestArea == 0 {
		// Degenerate outline (all points on a line): its first vertex is
		// still on the feature.
		return poly[0][0], true
	}
	c, _ := planar.CentroidArea(poly)
	b := poly.Bound()
	for _, y := range []float64{c[1], (b.Min[1] + b.Max[1]) / 2} {
		if q, ok := widestSpan(poly, y); ok {
			return q, true
		}
	}
	// Fall back to scanning a few latitudes across the bounding box.
	for k := 1; k < 16; k++ {
		y := b.Min[1] + (b.Max[1]-b.Min[1])*float64(k)/16
		if q, ok := widestSpan(poly, y); ok {
			return q, true
		}
	}
	return poly[0][0], true
}

// widestSpan intersects the horizontal line at latitude y with all rings of
// p and returns the midpoint of the widest interior interval.
func widestSpan(p orb.Polygon, y float64) (orb.Point, bool) {
	var xs []float64
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			// Half-open rule: count an edge when y is in [min, max), so a
			// vertex on the line is counted once.
			if (a[1] <= y) == (b[1] <= y) {
				continue
			}
			t := (y - a[1]) / (b[1] - a[1])
			xs = append(xs, a[0]+t*(b[0]-a[0]))
		}
	}
	if len(xs) < 2 {
		return orb.Point{}, false
	}
	slices.Sort(xs)
	bestW := 0.0
	var q orb.Point
	ok := false
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bestW {
			bestW, ok = w, true
			q = orb.Point{(xs[i] + xs[i+1]) / 2, y}
		}
	}
	return q, ok
}
