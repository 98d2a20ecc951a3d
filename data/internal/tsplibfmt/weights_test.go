package tsplibfmt

import (
	"errors"
	"strings"
	"testing"
)

// TestReadWeightsLayouts reads the same 4-node symmetric matrix in every
// layout; tsplib and vrplib read their EDGE_WEIGHT_SECTIONs through
// ReadWeights, so this is where the layouts are checked.
func TestReadWeightsLayouts(t *testing.T) {
	// d(1,2)=1 d(1,3)=2 d(1,4)=3 d(2,3)=4 d(2,4)=5 d(3,4)=6
	want := [4][4]int64{{0, 1, 2, 3}, {1, 0, 4, 5}, {2, 4, 0, 6}, {3, 5, 6, 0}}
	tests := []struct{ format, weights string }{
		{"FULL_MATRIX", "0 1 2 3\n1 0 4 5\n2 4 0 6\n3 5 6 0"},
		{"UPPER_ROW", "1 2 3\n4 5\n6"},
		{"LOWER_ROW", "1\n2 4\n3 5 6"},
		{"UPPER_DIAG_ROW", "0 1 2 3\n0 4 5\n0 6\n0"},
		{"LOWER_DIAG_ROW", "0\n1 0\n2 4 0\n3 5 6 0"},
		{"UPPER_COL", "1\n2 4\n3 5 6"},
		{"LOWER_COL", "1 2 3\n4 5\n6"},
		{"UPPER_DIAG_COL", "0\n1 0\n2 4 0\n3 5 6 0"},
		{"LOWER_DIAG_COL", "0 1 2 3\n0 4 5\n0 6\n0"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			lx := NewLexer(strings.NewReader(tt.weights+"\nEOF\n"), "t", errors.New("bad"))
			m, err := ReadWeights(lx, 4, tt.format, func() (int64, error) { return lx.Integer(Section) })
			if err != nil {
				t.Fatal(err)
			}
			for i := range 4 {
				for j := range 4 {
					if got := m[i*4+j]; got != want[i][j] {
						t.Errorf("ReadWeights(%s)[%d][%d] = %d, want %d", tt.format, i, j, got, want[i][j])
					}
				}
			}
		})
	}
}
