package geo

import "testing"

// TestHilbertKeyCurve checks the curve on the 256 × 256 corner of the grid,
// where it starts: the keys there are exactly 0 .. 65535, each once, and
// consecutive keys are neighbouring cells.
func TestHilbertKeyCurve(t *testing.T) {
	const side = 256
	cell := make([][2]uint32, side*side)
	seen := make([]bool, side*side)
	for x := uint32(0); x < side; x++ {
		for y := uint32(0); y < side; y++ {
			d := HilbertKey(x, y)
			if d >= side*side {
				t.Fatalf("HilbertKey(%d, %d) = %d, want below %d", x, y, d, side*side)
			}
			if seen[d] {
				t.Fatalf("HilbertKey(%d, %d) = %d, a key already given", x, y, d)
			}
			seen[d], cell[d] = true, [2]uint32{x, y}
		}
	}
	for d := 1; d < len(cell); d++ {
		a, b := cell[d-1], cell[d]
		if dist := absDiff(a[0], b[0]) + absDiff(a[1], b[1]); dist != 1 {
			t.Fatalf("keys %d and %d are cells %v and %v, want neighbours", d-1, d, a, b)
		}
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
