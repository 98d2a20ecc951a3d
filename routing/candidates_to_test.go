package routing

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
)

// TestCandidatesToAgainstMatrix checks CandidatesWithinTo against the full
// matrix from the points to the sources (the walk a household makes to a
// health post), uphill and downhill differing.
func TestCandidatesToAgainstMatrix(t *testing.T) {
	g, b := gridFixture(t, 12, 120)
	r := rand.New(rand.NewPCG(*seed, 12))
	sources, points := randomPoints(r, b, 12), randomPoints(r, b, 40)
	sources = append(sources, points[5])
	m, err := g.Matrix(context.Background(), points, sources, &MatrixOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	asymmetric := false
	back, err := g.Matrix(context.Background(), sources, points, &MatrixOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		limit geo.Seconds
		k     int
	}{{600, 0}, {1200, 3}, {1e6, 1}} {
		c, err := g.CandidatesWithinTo(context.Background(), sources, points, tc.limit, tc.k, 2)
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
				ms, ok := m.Millis(p, s)
				if bms, bok := back.Millis(s, p); ok && bok && bms != ms {
					asymmetric = true
				}
				if ok && float64(ms) <= float64(tc.limit)*1000 {
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
	if !asymmetric {
		t.Log("the fixture's walks are symmetric: direction is not exercised")
	}
}
