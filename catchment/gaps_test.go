package catchment_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/geo"
)

// bruteDBSCAN is DBSCAN by the book, O(n²): the reference for Cluster.
func bruteDBSCAN(pts []orb.Point, eps float64, minPts int) []int {
	n := len(pts)
	near := func(i int) []int {
		var out []int
		for j := range pts {
			if math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1]) <= eps {
				out = append(out, j)
			}
		}
		return out
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = catchment.Noise
	}
	visited := make([]bool, n)
	c := 0
	for i := range pts {
		if visited[i] {
			continue
		}
		visited[i] = true
		nb := near(i)
		if len(nb) < minPts {
			continue
		}
		labels[i] = c
		for q := 0; q < len(nb); q++ {
			j := nb[q]
			if labels[j] == catchment.Noise {
				labels[j] = c
			}
			if visited[j] {
				continue
			}
			visited[j] = true
			if more := near(j); len(more) >= minPts {
				nb = append(nb, more...)
			}
		}
		c++
	}
	return labels
}

func TestClusterAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(*coverSeed, 31))
	for n := range 50 {
		var pts []orb.Point
		for range 3 + r.IntN(5) { // villages
			cx, cy := r.Float64()*5000, r.Float64()*5000
			for range r.IntN(40) {
				pts = append(pts, orb.Point{cx + r.NormFloat64()*150, cy + r.NormFloat64()*150})
			}
		}
		for range r.IntN(20) { // scattered homes
			pts = append(pts, orb.Point{r.Float64() * 5000, r.Float64() * 5000})
		}
		eps, minPts := 100+r.Float64()*300, 2+r.IntN(5)
		got, k := catchment.Cluster(pts, eps, minPts)
		want := bruteDBSCAN(pts, eps, minPts)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d (eps %.0f, minPts %d): labels %v, want %v", n, eps, minPts, got, want)
		}
		if k != slices.Max(append([]int{-1}, want...))+1 {
			t.Fatalf("case %d: %d clusters", n, k)
		}
	}
}

func TestClusterAreas(t *testing.T) {
	pts := []orb.Point{{0, 0}, {50, 20}, {-30, 60}, {40, -40}, {30, 30}, // a hamlet
		{2000, 2000}, {2060, 2000}, {2000, 2070}, {2050, 2050}, {1990, 1950}, // another
		{900, -900}} // alone
	labels, n := catchment.Cluster(pts, 150, 4)
	if n != 2 || labels[10] != catchment.Noise {
		t.Fatalf("Cluster = %v, %d clusters; want 2 clusters and the lone home as noise", labels, n)
	}
	areas := catchment.ClusterAreas(pts, labels, n, 120, 25)
	idx := make([]*geo.PolygonIndex, n)
	for c, a := range areas {
		idx[c] = geo.NewPolygonIndex(a)
		// A disc of 120 m about a handful of points: between one disc
		// (45,000 m²) and five.
		if area := planarArea(a); area < 40_000 || area > 5*46_000 {
			t.Errorf("cluster %d: area %.0f m²", c, area)
		}
	}
	for i, p := range pts {
		for c := range areas {
			if in := idx[c].Contains(p); in != (labels[i] == c) {
				t.Errorf("point %d (cluster %d) inside cluster %d's area: %v", i, labels[i], c, in)
			}
		}
	}
}

func planarArea(mp orb.MultiPolygon) float64 {
	a := 0.0
	for _, p := range mp {
		for k, r := range p {
			s := 0.0
			for i := 1; i < len(r); i++ {
				s += r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
			}
			if k == 0 {
				a += math.Abs(s) / 2
			} else {
				a -= math.Abs(s) / 2
			}
		}
	}
	return a
}
