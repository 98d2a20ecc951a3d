package geo

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestVoronoiDegenerate puts sites on a coarse grid that the clip
// outlines share: duplicates, collinear and cocircular sites, sites on the
// outline, outline edges along bisectors. Cells must still tile the area
// and pass the nearest-site oracle, and dissolve must keep the area.
func TestVoronoiDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := range 100 {
		n := 1 + rng.IntN(40)
		sites := make([]orb.Point, n)
		for i := range sites {
			sites[i] = orb.Point{float64(rng.IntN(11)) * 100, float64(rng.IntN(11)) * 100}
		}
		for name, clip := range studyAreas {
			t.Run(fmt.Sprintf("%d/%s", trial, name), func(t *testing.T) {
				v, err := NewVoronoi(sites, clip)
				if err != nil {
					t.Fatal(err)
				}
				checkVoronoi(t, sites, clip, v, rng)
				g := make([]int, n)
				for i := range g {
					g[i] = rng.IntN(3)
				}
				out := Dissolve(v.Cells, g, 3)
				var sum float64
				for _, mp := range out {
					sum += mpArea(mp)
				}
				if want := mpArea(clip); sum < want*(1-1e-9) || sum > want*(1+1e-9) {
					t.Fatalf("dissolved %v, clip %v; sites %v groups %v", sum, want, sites, g)
				}
			})
		}
	}
}

func TestCleanRing(t *testing.T) {
	tests := []struct {
		name  string
		in    []orb.Point
		rings int
		area  float64 // sum of signed areas
	}{
		{"square", []orb.Point{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, 1, 1},
		{"repeats", []orb.Point{{0, 0}, {0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, 1, 1},
		{"spike", []orb.Point{{0, 0}, {1, 0}, {1, 1}, {1.5, 1}, {1, 1}, {0, 1}}, 1, 1},
		{"spike at the seam", []orb.Point{{-0.5, 0}, {0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, 1, 1},
		{"two squares touching at a vertex", []orb.Point{{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}, {0, 1}}, 2, 2},
		{"shell with a hole touching it", []orb.Point{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}, {1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}, 2, 16 - 4},
		{"flat", []orb.Point{{0, 0}, {1, 0}, {2, 0}}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cleanRing(append([]orb.Point(nil), tt.in...))
			var area float64
			for _, r := range got {
				area += ringArea(r)
				for i := range r {
					if r[i] == r[(i+1)%len(r)] {
						t.Errorf("ring %v repeats a vertex", r)
					}
				}
			}
			if len(got) != tt.rings || area != tt.area {
				t.Errorf("cleanRing = %v (area %v), want %d rings, area %v", got, area, tt.rings, tt.area)
			}
		})
	}
}
