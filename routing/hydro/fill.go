package hydro

import (
	"math"
)

// Fill returns a copy of the grid's elevations with every sink filled:
// Priority-Flood+ε (Barnes et al. 2014, Algorithm 3). The flood starts from
// the cells on the grid's edge and beside no-data cells (the outlets) and
// advances through the lowest unvisited neighbour first; a cell no higher
// than the cell that reached it is raised to the next float32 above it and
// flooded through a plain queue (the "pit" queue, which keeps the heap
// small inside depressions). So every valid cell that is not an outlet
// ends strictly higher than a neighbour that leads to an outlet, and D8
// finds a way out of every depression and across every flat. Cells that
// are not in a depression keep their value; raised ones rise by at most
// the depth of their depression plus a few float32 steps. NaN cells stay
// NaN.
//
// Ties in the heap break on the cell index, so the result is deterministic.
// Cost: O(n log n) for n cells, plus a bit set and the heap.
func Fill(g *Grid) ([]float32, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	z := make([]float32, len(g.Z))
	copy(z, g.Z)
	cols, rows := g.Cols, g.Rows
	closed := make([]bool, len(z))
	var open cellHeap
	var pit []int32 // FIFO: pit[head:] waits
	head := 0
	for i, v := range z {
		if v != v {
			closed[i] = true
		}
	}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			i := r*cols + c
			if !closed[i] && isOutlet(z, cols, rows, c, r) {
				closed[i] = true
				open.push(z[i], int32(i))
			}
		}
	}
	up := float32(math.Inf(1))
	for len(open.items) > 0 || head < len(pit) {
		var i int32
		if head < len(pit) {
			i = pit[head]
			head++
			if head == len(pit) {
				pit, head = pit[:0], 0
			}
		} else {
			i = open.pop().i
		}
		c, r := int(i)%cols, int(i)/cols
		zi := z[i]
		for d := 0; d < 8; d++ {
			cc, rr := c+dCol[d], r+dRow[d]
			if cc < 0 || cc >= cols || rr < 0 || rr >= rows {
				continue
			}
			j := rr*cols + cc
			if closed[j] {
				continue
			}
			closed[j] = true
			if step := math.Nextafter32(zi, up); z[j] <= step {
				z[j] = step
				pit = append(pit, int32(j))
			} else {
				open.push(z[j], int32(j))
			}
		}
	}
	return z, nil
}

// isOutlet reports whether cell (c, r) lets water out of the grid: it is
// on the edge or beside a no-data cell.
func isOutlet(z []float32, cols, rows, c, r int) bool {
	if c == 0 || r == 0 || c == cols-1 || r == rows-1 {
		return true
	}
	for d := 0; d < 8; d++ {
		if v := z[(r+dRow[d])*cols+c+dCol[d]]; v != v {
			return true
		}
	}
	return false
}

// cellHeap is a binary min-heap of cells by (elevation, index).
type cellHeap struct{ items []heapCell }

type heapCell struct {
	z float32
	i int32
}

func (a heapCell) less(b heapCell) bool { return a.z < b.z || (a.z == b.z && a.i < b.i) }

func (h *cellHeap) push(z float32, i int32) {
	h.items = append(h.items, heapCell{z, i})
	k := len(h.items) - 1
	it := h.items[k]
	for k > 0 {
		p := (k - 1) / 2
		if !it.less(h.items[p]) {
			break
		}
		h.items[k] = h.items[p]
		k = p
	}
	h.items[k] = it
}

func (h *cellHeap) pop() heapCell {
	top := h.items[0]
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	n := len(h.items)
	if n == 0 {
		return top
	}
	k := 0
	for {
		l := 2*k + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && h.items[r].less(h.items[l]) {
			l = r
		}
		if !h.items[l].less(last) {
			break
		}
		h.items[k] = h.items[l]
		k = l
	}
	h.items[k] = last
	return top
}
