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
