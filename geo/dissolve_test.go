package geo

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// boundaryEdgesByCounting is the reference for boundaryEdges: the
// straightforward cancellation with a map of counts, edge by edge in input
// order.
func boundaryEdgesByCounting(edges []edge) []bool {
	count := make(map[edge]int, len(edges))
	for _, e := range edges {
		if count[edge{e.b, e.a}] > 0 {
			count[edge{e.b, e.a}]--
		} else {
			count[e]++
		}
	}
	keep := make([]bool, len(edges))
	for i, e := range edges {
		if count[e] > 0 {
			count[e]--
			keep[i] = true
		}
	}
	return keep
}

// TestBoundaryEdgesMatchesCounting compares the sort with the map on
// edge lists drawn from a few points, so that edges repeat both ways many
// times, and on the cell edges of Voronoi diagrams grouped at random.
func TestBoundaryEdgesMatchesCounting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := []orb.Point{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.5, -0}}
	for trial := range 200 {
		edges := make([]edge, rng.IntN(40))
		for i := range edges {
			a, b := pts[rng.IntN(len(pts))], pts[rng.IntN(len(pts))]
			for a == b {
				b = pts[rng.IntN(len(pts))]
			}
			edges[i] = edge{a, b}
		}
		if got, want := boundaryEdges(edges), boundaryEdgesByCounting(edges); !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d, edges %v:\n got %v\nwant %v", trial, edges, got, want)
		}
	}
	for name, clip := range studyAreas {
		sites := make([]orb.Point, 300)
		for i := range sites {
			sites[i] = orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
		}
		v, err := NewVoronoi(sites, clip)
		if err != nil {
			t.Fatal(err)
		}
		var edges []edge
		for i, c := range v.Cells {
			if i%3 == 0 { // a third of the cells in the group
				continue
			}
			for _, p := range c {
				for _, r := range p {
					for j := 0; j+1 < len(r); j++ {
						if r[j] != r[j+1] {
							edges = append(edges, edge{r[j], r[j+1]})
						}
					}
				}
			}
		}
		if got, want := boundaryEdges(edges), boundaryEdgesByCounting(edges); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the sort and the counting keep different edges", name)
		}
	}
}

// TestDissolverMatchesDissolve checks that a Dissolver, used for several
// groupings of one diagram, gives what dissolving each grouping on its own
// by counting gives, to the bit: on random sites and on the degenerate
// grid sites (duplicates, cocircular, on the outline), with groups out of
// range and fewer groups than cells.
func TestDissolverMatchesDissolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 60 {
		n := 1 + rng.IntN(300)
		sites := make([]orb.Point, n)
		for i := range sites {
			if trial%2 == 0 {
				sites[i] = orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
			} else {
				sites[i] = orb.Point{float64(rng.IntN(11)) * 100, float64(rng.IntN(11)) * 100}
			}
		}
		for name, clip := range studyAreas {
			v, err := NewVoronoi(sites, clip)
			if err != nil {
				t.Fatal(err)
			}
			d := NewDissolver(v.Cells)
			for _, k := range []int{1, 2, 5} {
				groups := make([]int, n-rng.IntN(2)) // sometimes one short
				for i := range groups {
					groups[i] = rng.IntN(k+1) - 1 // -1: left out
				}
				got, want := d.Dissolve(groups, k), Dissolve(v.Cells, groups, k)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("trial %d, %s, %d groups: Dissolver and counting differ", trial, name, k)
				}
			}
		}
	}
	// Cells that do not tile (one repeated) take the counting path.
	sq := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	if d := NewDissolver([]orb.MultiPolygon{sq, sq}); d.across != nil {
		t.Errorf("a repeated cell was paired")
	}
}

// TestDissolveSquaresMatchesDissolve checks DissolveSquares against
// Dissolve on the same squares as polygons: random blobs of grid cells in
// a few groups (with holes, touching corners, groups out of range).
func TestDissolveSquaresMatchesDissolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 200 {
		side := []float64{100, 0.1, 37.5}[trial%3]
		taken := map[Square]bool{}
		var squares []Square
		var groups []int
		n := 1 + rng.IntN(4)
		for range rng.IntN(120) {
			q := Square{int64(rng.IntN(15)) - 7, int64(rng.IntN(15)) - 7}
			if taken[q] {
				continue
			}
			taken[q] = true
			squares = append(squares, q)
			groups = append(groups, rng.IntN(n+1)-1)
		}
		cells := make([]orb.MultiPolygon, len(squares))
		for i, q := range squares {
			x0, y0 := float64(q.X)*side, float64(q.Y)*side
			x1, y1 := float64(q.X+1)*side, float64(q.Y+1)*side
			cells[i] = orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
		}
		got, want := DissolveSquares(squares, groups, side, n), Dissolve(cells, groups, n)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: squares %v groups %v:\n got %v\nwant %v", trial, squares, groups, got, want)
		}
	}
}

// BenchmarkDissolve dissolves the Voronoi cells of n random sites into
// five rings around the centre, as walking-time bands are.
func BenchmarkDissolve(b *testing.B) {
	for _, n := range []int{10_000, 200_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			clip := orb.MultiPolygon{{{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}}
			sites := make([]orb.Point, n)
			groups := make([]int, n)
			for i := range sites {
				sites[i] = orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
				dx, dy := sites[i][0]-500, sites[i][1]-500
				groups[i] = min(int((dx*dx+dy*dy)/(100*100)), 4)
			}
			v, err := NewVoronoi(sites, clip)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("Dissolve", func(b *testing.B) {
				for b.Loop() {
					Dissolve(v.Cells, groups, 5)
				}
			})
			// What the walking-time bands do: one diagram, four
			// groupings (two seasons, two source kinds).
			b.Run("Dissolver×4", func(b *testing.B) {
				for b.Loop() {
					d := NewDissolver(v.Cells)
					for range 4 {
						d.Dissolve(groups, 5)
					}
				}
			})
		})
	}
}
