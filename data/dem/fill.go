package dem

import (
	"errors"
	"math"
)

// errAllVoid is returned by fillVoids when a grid has no valid value to fill
// from.
var errAllVoid = errors.New("every cell is void")

// diag is the inverse-distance weight of a diagonal neighbour (1/√2); an
// orthogonal neighbour weighs 1.
const diag = 0.70710678118654752

// fillVoids replaces every NaN in v (cols × rows, row-major) by the
// inverse-distance weighted mean of its already known 8-neighbours, working
// outwards from the valid cells one ring at a time. This is the classic
// "repeat mean of valid neighbours until no void remains", but each void is
// visited once (a multi-source breadth-first search), so the cost is linear
// in the grid size even for a tile that is mostly void. A cell only uses
// neighbours from earlier rings, so the result does not depend on visiting
// order. It returns the number of voids filled.
func fillVoids(v []float32, cols, rows int) (int, error) {
	voids := 0
	for _, x := range v {
		if x != x {
			voids++
		}
	}
	if voids == 0 {
		return 0, nil
	}
	if voids == len(v) {
		return 0, errAllVoid
	}
	// ring[i] is 0 for a valid cell, k ≥ 1 for a void filled in ring k,
	// and unset (MaxInt32) for a void not reached yet.
	const unset = math.MaxInt32
	ring := make([]int32, len(v))
	var cur []int32
	for i, x := range v {
		if x != x {
			ring[i] = unset
		}
	}
	neighbours := func(i int, fn func(j int, w float64)) {
		r, c := i/cols, i%cols
		for dr := -1; dr <= 1; dr++ {
			rr := r + dr
			if rr < 0 || rr >= rows {
				continue
			}
			for dc := -1; dc <= 1; dc++ {
				cc := c + dc
				if (dr == 0 && dc == 0) || cc < 0 || cc >= cols {
					continue
				}
				w := 1.0
				if dr != 0 && dc != 0 {
					w = diag
				}
				fn(rr*cols+cc, w)
			}
		}
	}
	// Ring 1: voids touching a valid cell.
	for i, x := range v {
		if x == x {
			continue
		}
		touch := false
		neighbours(i, func(j int, _ float64) {
			if ring[j] == 0 {
				touch = true
			}
		})
		if touch {
			ring[i] = 1
			cur = append(cur, int32(i))
		}
	}
	filled := 0
	var next []int32
	for k := int32(1); len(cur) > 0; k++ {
		for _, i := range cur {
			var sum, wsum float64
			neighbours(int(i), func(j int, w float64) {
				if ring[j] < k {
					sum += w * float64(v[j])
					wsum += w
				}
			})
			v[i] = float32(sum / wsum)
		}
		filled += len(cur)
		next = next[:0]
		for _, i := range cur {
			neighbours(int(i), func(j int, _ float64) {
				if ring[j] == unset {
					ring[j] = k + 1
					next = append(next, int32(j))
				}
			})
		}
		cur, next = next, cur
	}
	return filled, nil
}
