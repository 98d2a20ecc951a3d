package routing

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
)

// TestCandidatesAgainstMatrix checks CandidatesWithin and CandidatesWithinTo
// against the full matrix: for every point, exactly the sources whose matrix
// time is within the limit, nearest first, cut at k. "from" walks from the
// sources to the points; "to" from the points to the sources (the walk a
// household makes to a health post), uphill and downhill differing.
func TestCandidatesAgainstMatrix(t *testing.T) {
	for _, dir := range []struct {
		name string
		to   bool
		seed uint64
		// onTop is the point a source is put on top of: the straight walk
		// between them counts.
		onTop int
	}{
		{"from", false, 11, 3},
		{"to", true, 12, 5},
	} {
		t.Run(dir.name, func(t *testing.T) {
			g, b := gridFixture(t, 12, 120)
			r := rand.New(rand.NewPCG(*seed, dir.seed))
			sources, points := randomPoints(r, b, 12), randomPoints(r, b, 40)
			sources = append(sources, points[dir.onTop])
			fromSources, err := g.Matrix(context.Background(), sources, points, &MatrixOptions{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			// millis is the matrix time of the walk the candidates measure.
			millis := fromSources.Millis
			asymmetric := false
			if dir.to {
				toSources, err := g.Matrix(context.Background(), points, sources, &MatrixOptions{Workers: 2})
				if err != nil {
					t.Fatal(err)
				}
				millis = func(s, p int) (uint32, bool) {
					ms, ok := toSources.Millis(p, s)
					if bms, bok := fromSources.Millis(s, p); ok && bok && bms != ms {
						asymmetric = true
					}
					return ms, ok
				}
			}
			for _, tc := range []struct {
				limit geo.Seconds
				k     int
			}{{600, 0}, {1200, 3}, {1e6, 1}} {
				within := g.CandidatesWithin
				if dir.to {
					within = g.CandidatesWithinTo
				}
				c, err := within(context.Background(), sources, points, tc.limit, tc.k, 2)
				if err != nil {
					t.Fatal(err)
				}
				some := 0
				for p := range points {
					if len(c.Of(p)) > 0 {
						some++
					}
					var want []Candidate
					for s := range sources {
						if ms, ok := millis(s, p); ok && float64(ms) <= float64(tc.limit)*1000 {
							want = append(want, Candidate{Source: s, Time: geo.Seconds(float64(ms) / 1000)})
						}
					}
					slices.SortFunc(want, func(a, b Candidate) int {
						return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Source, b.Source))
					})
					if tc.k > 0 && len(want) > tc.k {
						want = want[:tc.k]
					}
					if got := c.Of(p); !slices.Equal(got, want) {
						t.Errorf("limit %v k %d point %d: candidates %v, matrix says %v", tc.limit, tc.k, p, got, want)
					}
				}
				if some < len(points)/4 {
					t.Errorf("limit %v: only %d of %d points have a candidate: the test proves little", tc.limit, some, len(points))
				}
			}
			if dir.to && !asymmetric {
				t.Log("the fixture's walks are symmetric: direction is not exercised")
			}
		})
	}
}
