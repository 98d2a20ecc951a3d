package tiles

import "math"

// placeCallouts returns where to draw round symbols of diameter d for the
// points at, in order, so that no two overlap: a symbol stays on its
// point when that is free, and otherwise moves to the nearest free spot
// on rings around it, at most maxShift away, that covers no other
// point (the points stay visible at the leaders' ends). Earlier points
// keep their place first: on a day's map the stops come in visit order.
// A symbol with no free spot within maxShift stays on its point. moved
// reports which symbols left their points. fixed are symbols of the same
// size that stay where they are (the CHW's home, the facility): the
// stops' symbols keep off them too.
//
// Households of a village are often metres apart: on a printed day map
// their numbered symbols lay on top of each other and the visit order
// could not be read.
func placeCallouts(at, fixed []Pt, d, maxShift float64) (placed []Pt, moved []bool) {
	placed = make([]Pt, len(at))
	moved = make([]bool, len(at))
	if len(at) == 0 || !(d > 0) {
		copy(placed, at)
		return placed, moved
	}
	// Grids of cell d: the symbols placed, and the points.
	type cell struct{ x, y int }
	key := func(p Pt) cell { return cell{int(math.Floor(p.X / d)), int(math.Floor(p.Y / d))} }
	symbols := map[cell][]int{}
	points := map[cell][]int{}
	for i, p := range at {
		points[key(p)] = append(points[key(p)], i)
	}
	near := func(g map[cell][]int, p Pt, r float64, skip int, within func(j int) Pt) bool {
		c := key(p)
		n := int(math.Ceil(r / d))
		for gx := c.x - n; gx <= c.x+n; gx++ {
			for gy := c.y - n; gy <= c.y+n; gy++ {
				for _, j := range g[cell{gx, gy}] {
					if j == skip {
						continue
					}
					q := within(j)
					if dx, dy := q.X-p.X, q.Y-p.Y; dx*dx+dy*dy < r*r {
						return true
					}
				}
			}
		}
		return false
	}
	for k, p := range fixed {
		symbols[key(p)] = append(symbols[key(p)], len(at)+k)
	}
	placedAt := func(j int) Pt {
		if j >= len(at) {
			return fixed[j-len(at)]
		}
		return placed[j]
	}
	pointAt := func(j int) Pt { return at[j] }
	free := func(p Pt, i int) bool { return !near(symbols, p, d, i, placedAt) }
	for i, p := range at {
		placed[i] = p
		if !free(p, i) {
		search:
			for ring := 1; float64(ring)*d <= maxShift; ring++ {
				r := float64(ring) * d
				n := 8 * ring
				for k := range n {
					// From up-right round clockwise on the page.
					a := -math.Pi/4 + 2*math.Pi*float64(k)/float64(n)
					q := Pt{p.X + r*math.Cos(a), p.Y + r*math.Sin(a)}
					if free(q, i) && !near(points, q, d/2, i, pointAt) {
						placed[i], moved[i] = q, true
						break search
					}
				}
			}
		}
		symbols[key(placed[i])] = append(symbols[key(placed[i])], i)
	}
	return placed, moved
}
