package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestPointOnSurface(t *testing.T) {
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		ok   bool
	}{
		{"square", testShapes["square"], true},
		{"U shape (centroid in the notch)", testShapes["U shape"], true},
		{"square with hole at centroid", testShapes["with hole"], true},
		{"two parts: on the larger", testShapes["two parts"], true},
		{"island in lake", testShapes["island in lake"], true},
		{"C shape", orb.MultiPolygon{{{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 2}, {3, 2}, {3, 3}, {0, 3}, {0, 0}}}}, true},
		{"empty", orb.MultiPolygon{}, false},
		{"empty ring", orb.MultiPolygon{{{}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := PointOnSurface(tt.mp)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok && !evenOdd(tt.mp, p) {
				t.Errorf("PointOnSurface = %v, not inside", p)
			}
		})
	}
	// On the largest part, not merely inside.
	if p, _ := PointOnSurface(testShapes["two parts"]); p[0] < 5 {
		t.Errorf("two parts: %v is not on the larger part", p)
	}
	// A degenerate (zero-area) outline gives its first vertex.
	flat := orb.MultiPolygon{{{{2, 2}, {3, 3}, {4, 4}, {2, 2}}}}
	if p, ok := PointOnSurface(flat); !ok || p != (orb.Point{2, 2}) {
		t.Errorf("flat outline: %v, %v; want its first vertex", p, ok)
	}
}
