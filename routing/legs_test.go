package routing

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
)

// TestLegsAgainstWalk checks Legs against Matrix (times) and Walk (times
// and lengths) on random points of the grid fixture, with a limit that
// leaves some targets out.
func TestLegsAgainstWalk(t *testing.T) {
	g, b := gridFixture(t, 12, 120)
	r := rand.New(rand.NewPCG(*seed, 13))
	in, out := 0, 0
	for trial := 0; trial < 8; trial++ {
		from := randomPoints(r, b, 1)[0]
		pts := randomPoints(r, b, 25)
		pts = append(pts, from) // a target on the source itself
		snaps := make([]Snap, len(pts))
		for i, p := range pts {
			s, err := g.Snap(p)
			if err != nil {
				t.Fatal(err)
			}
			snaps[i] = s
		}
		limit := 400 + 200*float64(trial)
		legs, err := g.Legs(from, snaps, geo.Seconds(limit))
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pts {
			w, err := g.Walk(from, p)
			within := err == nil && float64(w.Seconds) <= limit
			if legs[i].OK != within {
				t.Errorf("trial %d target %d: Legs ok %v, Walk %v s (%v), limit %v", trial, i, legs[i].OK, w.Seconds, err, limit)
				continue
			}
			if !within {
				out++
				continue
			}
			in++
			if msOf(float64(legs[i].Time)) != msOf(float64(w.Seconds)) {
				t.Errorf("trial %d target %d: Legs %v s, Walk %v s", trial, i, legs[i].Time, w.Seconds)
			}
			if math.Abs(float64(legs[i].Length-w.Meters)) > 0.5 {
				t.Errorf("trial %d target %d: Legs %v m, Walk %v m", trial, i, legs[i].Length, w.Meters)
			}
		}
	}
	if in < 20 || out < 20 {
		t.Errorf("%d targets within the limit, %d beyond: the test should have plenty of both", in, out)
	}
}
