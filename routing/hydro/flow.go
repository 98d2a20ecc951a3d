package hydro

import (
	"fmt"
	"math"
)

// FlowDirections returns the D8 flow direction of every cell of a filled
// surface (from Fill; len(filled) == len(g.Z)): the neighbour with the
// steepest descent, drop over the distance between the cell centres in
// metres. Ties go to the first neighbour in the order East, SouthEast, …,
// NorthEast. Outlets (edge cells and cells beside no data) drain Out; cells
// whose value is NaN get NoData. On a surface from Fill every other cell has
// a lower neighbour; should one not (a surface that was not filled), it
// drains Out too, like a sink that swallows its water.
func FlowDirections(g *Grid, filled []float32) ([]Dir, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if len(filled) != len(g.Z) {
		return nil, fmt.Errorf("hydro: %d filled values for a %d×%d grid", len(filled), g.Cols, g.Rows)
	}
	cols, rows := g.Cols, g.Rows
	dirs := make([]Dir, len(filled))
	for r := 0; r < rows; r++ {
		w, h := g.cellMetres(r)
		var dist [8]float64
		for d := 0; d < 8; d++ {
			dist[d] = math.Hypot(float64(dCol[d])*w, float64(dRow[d])*h)
		}
		for c := 0; c < cols; c++ {
			i := r*cols + c
			zi := filled[i]
			if zi != zi {
				dirs[i] = NoData
				continue
			}
			if isOutlet(filled, cols, rows, c, r) {
				dirs[i] = Out
				continue
			}
			best, bestD := 0.0, Out
			for d := 0; d < 8; d++ {
				zj := filled[i+dRow[d]*cols+dCol[d]]
				if s := float64(zi-zj) / dist[d]; zj < zi && s > best {
					best, bestD = s, Dir(d)
				}
			}
			dirs[i] = bestD
		}
	}
	return dirs, nil
}

// topoOrder returns the valid cells in an order where every cell comes
// after all the cells that drain into it (Kahn's algorithm on the flow
// tree), ties by index.
func topoOrder(g *Grid, dirs []Dir) []int32 {
	in := make([]uint8, len(dirs))
	valid := 0
	for i, d := range dirs {
		if d == NoData {
			continue
		}
		valid++
		if j := g.next(i, d); j >= 0 {
			in[j]++
		}
	}
	order := make([]int32, 0, valid)
	for i, d := range dirs {
		if d != NoData && in[i] == 0 {
			order = append(order, int32(i))
		}
	}
	for k := 0; k < len(order); k++ {
		i := int(order[k])
		if j := g.next(i, dirs[i]); j >= 0 {
			if in[j]--; in[j] == 0 {
				order = append(order, int32(j))
			}
		}
	}
	return order
}

// Accumulate returns the contributing area of every cell in km²: its own
// area plus that of every cell draining through it (0 for NoData cells).
// dirs must come from FlowDirections on the same grid (a cycle, impossible
// there, would leave its cells at 0).
func Accumulate(g *Grid, dirs []Dir) ([]float64, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if len(dirs) != len(g.Z) {
		return nil, fmt.Errorf("hydro: %d directions for a %d×%d grid", len(dirs), g.Cols, g.Rows)
	}
	acc := make([]float64, len(dirs))
	return acc, accumulate(g, dirs, topoOrder(g, dirs), acc)
}

func accumulate(g *Grid, dirs []Dir, order []int32, acc []float64) error {
	rowArea := make([]float64, g.Rows)
	for r := range rowArea {
		rowArea[r] = g.CellKm2(r)
	}
	for _, i := range order {
		acc[i] += rowArea[int(i)/g.Cols]
		if j := g.next(int(i), dirs[i]); j >= 0 {
			acc[j] += acc[i]
		}
	}
	return nil
}
