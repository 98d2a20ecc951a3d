package tsplib

import (
	"testing"

	"github.com/lastmile-health/lastmile/internal/shareddata"
)

// TestFileOrderTour checks TSPLIB distance rules on real files: the tour
// visiting the nodes in file order 1..n has a known length.
func TestFileOrderTour(t *testing.T) {
	tests := []struct {
		file string
		want int64
	}{
		{"a280.tsp", 2808},         // EUC_2D
		{"att48.tsp", 49840},       // ATT
		{"dsj1000.tsp", 557634042}, // CEIL_2D
		{"ftv33.atsp", 2239},       // ATSP FULL_MATRIX
		{"ulysses22.tsp", 12198},   // GEO
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, err := ReadFile(shareddata.Path(t, "tsplib/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			order := make([]int, in.Dimension)
			for i := range order {
				order[i] = i
			}
			if got := in.TourLength(order); got != tt.want {
				t.Errorf("file-order tour of %s = %d, want %d", tt.file, got, tt.want)
			}
		})
	}
}
