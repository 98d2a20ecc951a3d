package geo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// mpArea is the planar area of a MultiPolygon whose outer rings are
// counter-clockwise and holes clockwise.
func mpArea(mp orb.MultiPolygon) float64 {
	var a float64
	for _, p := range mp {
		for _, r := range p {
			a += math.Abs(planar.Area(r)) * orientSign(r)
		}
	}
	return a
}

func orientSign(r orb.Ring) float64 {
	if r.Orientation() == orb.CCW {
		return 1
	}
	return -1
}

// studyAreas are clip areas in metres: a square, a concave outline with a
// lake and an island in it, two parts.
var studyAreas = map[string]orb.MultiPolygon{
	"square": {{{{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}, {0, 0}}}},
	"concave with lake and island": {
		{
			{{0, 0}, {1000, 0}, {1000, 400}, {600, 450}, {1000, 600}, {1000, 1000}, {0, 1000}, {0, 0}},
			{{200, 200}, {200, 700}, {500, 700}, {500, 200}, {200, 200}}, // clockwise hole
		},
		{{{300, 300}, {400, 300}, {400, 400}, {300, 400}, {300, 300}}}, // island in the lake
	},
	"two parts": {
		{{{0, 0}, {400, 0}, {400, 1000}, {0, 1000}, {0, 0}}},
		{{{600, 0}, {1000, 0}, {1000, 1000}, {600, 1000}, {600, 0}}},
	},
}

// checkVoronoi checks the properties every diagram must have: cells
// are valid outlines that cover the clip area (areas add up) without
// overlap, each cell holds its site when the site is in the area, and at
// random points of the area the nearest site (brute force) owns the cell
// that contains the point.
func checkVoronoi(t *testing.T, sites []orb.Point, clip orb.MultiPolygon, v *Voronoi, rng *rand.Rand) {
	t.Helper()
	clipIdx := NewPolygonIndex(clip)
	want := math.Abs(mpArea(clip))
	var sum float64
	idx := make([]*PolygonIndex, len(sites))
	for i, c := range v.Cells {
		if v.Owner[i] != i && len(c) != 0 {
			t.Fatalf("duplicate site %d has a cell", i)
		}
		a := mpArea(c)
		if a < 0 {
			t.Fatalf("cell %d has negative area %v", i, a)
		}
		sum += a
		idx[i] = NewPolygonIndex(c)
	}
	if math.Abs(sum-want) > 1e-9*want {
		t.Fatalf("cells cover %.9f m², clip area %.9f m²", sum, want)
	}
	b := clip.Bound()
	for n := 0; n < 4000; n++ {
		p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		in := clipIdx.Contains(p)
		var owners []int
		for i := range sites {
			if idx[i].Contains(p) {
				owners = append(owners, i)
			}
		}
		if !in {
			if len(owners) != 0 {
				t.Fatalf("point %v outside the area is in cells %v", p, owners)
			}
			continue
		}
		if len(owners) != 1 {
			t.Fatalf("point %v is in cells %v, want exactly one", p, owners)
		}
		best, bestD := -1, math.Inf(1)
		for i, s := range sites {
			if d := math.Hypot(s[0]-p[0], s[1]-p[1]); d < bestD {
				best, bestD = i, d
			}
		}
		got := owners[0]
		if d := math.Hypot(sites[got][0]-p[0], sites[got][1]-p[1]); v.Owner[best] != got && d > bestD*(1+1e-9) {
			t.Fatalf("point %v: in the cell of site %d (%.6f m), nearest is %d (%.6f m)", p, got, d, best, bestD)
		}
	}
	for i, s := range sites {
		if v.Owner[i] == i && clipIdx.Contains(s) && !idx[i].Contains(s) && onBoundary(clip, s) > 1e-6 {
			t.Fatalf("site %d %v is not in its own cell", i, s)
		}
	}
}

// onBoundary is the distance from p to the nearest ring of mp.
func onBoundary(mp orb.MultiPolygon, p orb.Point) float64 {
	best := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				_, d2 := ProjectToSegment(p, r[i], r[i+1])
				best = math.Min(best, math.Sqrt(d2))
			}
		}
	}
	return best
}

func TestVoronoiProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	random := func(n int, lo, hi float64) []orb.Point {
		p := make([]orb.Point, n)
		for i := range p {
			p[i] = orb.Point{lo + rng.Float64()*(hi-lo), lo + rng.Float64()*(hi-lo)}
		}
		return p
	}
	grid := func(n int, step float64) []orb.Point {
		var p []orb.Point
		for i := range n {
			for j := range n {
				p = append(p, orb.Point{50 + float64(i)*step, 50 + float64(j)*step})
			}
		}
		return p
	}
	sitesets := []struct {
		name  string
		sites []orb.Point
	}{
		{"one site", []orb.Point{{500, 500}}},
		{"two sites", []orb.Point{{300, 500}, {700, 520}}},
		{"collinear", []orb.Point{{100, 100}, {300, 300}, {500, 500}, {700, 700}, {900, 900}}},
		{"duplicates", []orb.Point{{100, 100}, {800, 200}, {100, 100}, {500, 900}, {800, 200}, {100, 100}}},
		{"grid (cocircular)", grid(10, 100)},
		{"random 300", random(300, 0, 1000)},
		{"random 300, some outside", random(300, -300, 1300)},
		{"sites far outside", []orb.Point{{-5000, 0}, {-5000, 3000}, {9000, 500}}},
	}
	for areaName, clip := range studyAreas {
		for _, ss := range sitesets {
			t.Run(fmt.Sprintf("%s/%s", areaName, ss.name), func(t *testing.T) {
				v, err := NewVoronoi(ss.sites, clip)
				if err != nil {
					t.Fatal(err)
				}
				checkVoronoi(t, ss.sites, clip, v, rng)
			})
		}
	}
}

// TestDissolve dissolves the cells of random sites by a random group each
// and checks the union with its own measures: group areas add up to the
// clip area, each group's outline holds exactly the random points whose
// nearest site is in that group, and every ring is closed and simple
// enough to have a non-zero area.
func TestDissolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for areaName, clip := range studyAreas {
		for _, groups := range []int{1, 3, 17} {
			t.Run(fmt.Sprintf("%s/%d groups", areaName, groups), func(t *testing.T) {
				sites := make([]orb.Point, 400)
				g := make([]int, len(sites))
				for i := range sites {
					sites[i] = orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
					g[i] = rng.IntN(groups)
				}
				v, err := NewVoronoi(sites, clip)
				if err != nil {
					t.Fatal(err)
				}
				out := Dissolve(v.Cells, g, groups)
				want := math.Abs(mpArea(clip))
				var sum float64
				idx := make([]*PolygonIndex, groups)
				for k, mp := range out {
					sum += mpArea(mp)
					idx[k] = NewPolygonIndex(mp)
				}
				if math.Abs(sum-want) > 1e-9*want {
					t.Fatalf("groups cover %v m², clip %v m²", sum, want)
				}
				if groups == 1 {
					rings := func(mp orb.MultiPolygon) (n int) {
						for _, p := range mp {
							n += len(p)
						}
						return n
					}
					if len(out[0]) != len(clip) || rings(out[0]) != rings(clip) {
						t.Fatalf("one group: %d polygons, %d rings; the clip has %d, %d", len(out[0]), rings(out[0]), len(clip), rings(clip))
					}
				}
				clipIdx := NewPolygonIndex(clip)
				b := clip.Bound()
				for range 3000 {
					p := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
					if !clipIdx.Contains(p) {
						continue
					}
					best, bestD := -1, math.Inf(1)
					for i, s := range sites {
						if d := math.Hypot(s[0]-p[0], s[1]-p[1]); d < bestD {
							best, bestD = i, d
						}
					}
					for k := range groups {
						if idx[k].Contains(p) != (k == g[best]) {
							t.Fatalf("point %v: in group %d = %v, nearest site %d is in group %d", p, k, idx[k].Contains(p), best, g[best])
						}
					}
				}
			})
		}
	}
}

func TestVoronoiDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	sites := make([]orb.Point, 500)
	for i := range sites {
		sites[i] = orb.Point{rng.Float64() * 1000, rng.Float64() * 1000}
	}
	sites = append(sites, sites[7], sites[3]) // duplicates
	clip := studyAreas["concave with lake and island"]
	a, err := NewVoronoi(sites, clip)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewVoronoi(sites, clip)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs on the same input differ")
	}
	if a.Duplicates != 2 || a.Owner[500] != 7 || a.Owner[501] != 3 || len(a.Cells[500]) != 0 {
		t.Errorf("duplicates: %d, owners %d %d", a.Duplicates, a.Owner[500], a.Owner[501])
	}
}

func TestVoronoiBadInput(t *testing.T) {
	if _, err := NewVoronoi([]orb.Point{{0, 0}, {math.NaN(), 1}}, studyAreas["square"]); !errors.Is(err, ErrBadSite) {
		t.Errorf("NaN site: %v, want ErrBadSite", err)
	}
	v, err := NewVoronoi(nil, studyAreas["square"])
	if err != nil || len(v.Cells) != 0 {
		t.Errorf("no sites: %v, %v", v, err)
	}
	v, err = NewVoronoi([]orb.Point{{1, 1}}, nil)
	if err != nil || len(v.Cells) != 1 || len(v.Cells[0]) != 0 {
		t.Errorf("no clip: %v, %v", v, err)
	}
}
