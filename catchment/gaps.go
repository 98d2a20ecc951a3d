package catchment

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
)

// Noise is Cluster's label of a point in no cluster.
const Noise = -1

// Cluster groups points (planar metres) by DBSCAN (Ester et al. 1996): a
// point with at least minPts points within eps (itself included) is a
// core point; core points within eps of each other share a cluster, and
// the points within eps of a core point join its cluster (the first one
// found, in point order); the rest are Noise. Clusters are numbered 0..n-1
// in the order of their first core point, so the result depends only on
// the input order. Cost: O(n·k) for k points within eps of a point, with a
// grid of eps cells.
func Cluster(pts []orb.Point, eps float64, minPts int) (labels []int, n int) {
	labels = make([]int, len(pts))
	for i := range labels {
		labels[i] = Noise
	}
	if len(pts) == 0 || !(eps > 0) {
		return labels, 0
	}
	type cell struct{ x, y int64 }
	key := func(p orb.Point) cell { return cell{int64(math.Floor(p[0] / eps)), int64(math.Floor(p[1] / eps))} }
	grid := map[cell][]int32{}
	for i, p := range pts {
		k := key(p)
		grid[k] = append(grid[k], int32(i))
	}
	eps2 := eps * eps
	neighbours := func(i int, out []int32) []int32 {
		out = out[:0]
		p := pts[i]
		k := key(p)
		for dx := int64(-1); dx <= 1; dx++ {
			for dy := int64(-1); dy <= 1; dy++ {
				for _, j := range grid[cell{k.x + dx, k.y + dy}] {
					q := pts[j]
					if (p[0]-q[0])*(p[0]-q[0])+(p[1]-q[1])*(p[1]-q[1]) <= eps2 {
						out = append(out, j)
					}
				}
			}
		}
		return out
	}
	visited := make([]bool, len(pts))
	var nb, queue []int32
	for i := range pts {
		if visited[i] {
			continue
		}
		visited[i] = true
		nb = neighbours(i, nb)
		if len(nb) < minPts {
			continue // noise, unless a later core point reaches it
		}
		c := n
		n++
		labels[i] = c
		queue = append(queue[:0], nb...)
		for len(queue) > 0 {
			j := int(queue[0])
			queue = queue[1:]
			if labels[j] == Noise {
				labels[j] = c
			}
			if visited[j] {
				continue
			}
			visited[j] = true
			more := neighbours(j, nil)
			if len(more) >= minPts {
				queue = append(queue, more...)
			}
		}
	}
	return labels, n
}

// ClusterAreas draws each cluster as the union of the square cells (side
// cell metres, on a grid anchored at the origin) whose centres lie within
// radius of the centre of a cell holding one of its points: a buffer of
// the points at the grid's resolution (the buffer is measured from the
// point's cell, so it reaches up to cell·√2/2 more or less far; the
// point's own cell is always in), built from cells that share their
// corners exactly, so that geo.DissolveSquares merges them without
// slivers. A cell near two clusters goes to the lower-numbered one, so the
// areas never overlap. Planar metres in and out; out[c] is cluster c's area.
// Cost: the occupied cells times the cells of a disc, not the points.
func ClusterAreas(pts []orb.Point, labels []int, n int, radius, cell float64) []orb.MultiPolygon {
	type key struct{ x, y int64 }
	type occupied struct {
		key
		c int
	}
	seen := map[occupied]bool{}
	var occ []occupied
	for i, p := range pts {
		c := labels[i]
		if c < 0 || c >= n {
			continue
		}
		o := occupied{key{int64(math.Floor(p[0] / cell)), int64(math.Floor(p[1] / cell))}, c}
		if !seen[o] {
			seen[o] = true
			occ = append(occ, o)
		}
	}
	var disc []key
	r := int64(math.Ceil(radius / cell))
	for dx := -r; dx <= r; dx++ {
		for dy := -r; dy <= r; dy++ {
			if math.Hypot(float64(dx)*cell, float64(dy)*cell) <= radius {
				disc = append(disc, key{dx, dy})
			}
		}
	}
	owner := map[key]int{}
	for _, o := range occ {
		for _, d := range disc {
			k := key{o.x + d.x, o.y + d.y}
			if c, ok := owner[k]; !ok || o.c < c {
				owner[k] = o.c
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(owner), func(a, b key) int { return cmp.Or(cmp.Compare(a.y, b.y), cmp.Compare(a.x, b.x)) })
	squares := make([]geo.Square, len(keys))
	groups := make([]int, len(keys))
	for i, k := range keys {
		squares[i], groups[i] = geo.Square{X: k.x, Y: k.y}, owner[k]
	}
	return geo.DissolveSquares(squares, groups, cell, n)
}
