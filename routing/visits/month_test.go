package visits

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestScheduleMonth(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 21))
	for _, tc := range []struct {
		name      string
		n, W      int
		freq      []int // drawn from
		wantSpill bool
	}{
		{"roomy month", 40, 21, []int{1, 1, 1, 2, 4}, false},
		{"every two weeks", 25, 20, []int{2}, false},
		{"two working days", 40, 2, []int{1, 1, 2}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := randomInstance(rng, tc.n, 6*3600, 4)
			visits := make([]int, tc.n)
			p.Priority = make([]bool, tc.n)
			for v := 1; v < tc.n; v++ {
				visits[v] = tc.freq[rng.IntN(len(tc.freq))]
				p.Priority[v] = rng.IntN(8) == 0
			}
			res, err := Schedule(context.Background(), p, Month{WorkDays: tc.W, Visits: visits}, &Options{Stall: 300, Seed: 2})
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, p, res, visits)
			if (res.Overflow > 0) != tc.wantSpill {
				t.Errorf("Overflow = %d, want spill %v", res.Overflow, tc.wantSpill)
			}
			if tc.wantSpill {
				return
			}
			if res.SpacingMisses > 0 {
				t.Errorf("%d visits off their spacing in a roomy month", res.SpacingMisses)
			}
			// Gaps between a household's visits are the even spacing
			// within half a spacing (and a day of rounding).
			on := make([][]int, tc.n)
			for d, day := range res.Days {
				for k, v := range day.Stops {
					on[v] = append(on[v], d)
					if day.Visit[k] != len(on[v]) {
						t.Errorf("day %d: household %d is visit %d, want %d", d, v, day.Visit[k], len(on[v]))
					}
				}
			}
			for v := 1; v < tc.n; v++ {
				f := len(on[v])
				spacing := float64(tc.W) / float64(f)
				for k := range f {
					if f < 2 {
						break
					}
					gap := float64(on[v][(k+1)%f] - on[v][k])
					if k == f-1 {
						gap += float64(tc.W)
					}
					if math.Abs(gap-spacing) > spacing/2+1 {
						t.Errorf("household %d (%d visits): visits on days %v, spacing %.1f", v, f, on[v], spacing)
						break
					}
				}
			}
			// Priority households get their first visit on the earliest
			// days: before the others on average, and in the first half of
			// the month.
			var prio, other []float64
			for d, day := range res.Days {
				for k, v := range day.Stops {
					if day.Visit[k] != 1 {
						continue
					}
					if p.Priority[v] {
						prio = append(prio, float64(d))
						if d > tc.W/2 {
							t.Errorf("priority household %d is first visited on day %d of %d", v, d, tc.W)
						}
					} else {
						other = append(other, float64(d))
					}
				}
			}
			if len(prio) > 0 && mean(prio) >= mean(other) {
				t.Errorf("priority households' first visits on day %.1f on average, the others' on day %.1f", mean(prio), mean(other))
			}
		})
	}
}

func TestScheduleBadVisits(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seedFlag, 22))
	p := randomInstance(rng, 5, 6*3600, 0)
	for _, visits := range [][]int{{0, 1, 0, 1, 1}, {0, 1, 22, 1, 1}, {1, 1}} {
		if _, err := Schedule(context.Background(), p, Month{WorkDays: 21, Visits: visits}, nil); !errors.Is(err, ErrInput) {
			t.Errorf("visits %v: err = %v, want ErrInput", visits, err)
		}
	}
	if _, err := Schedule(context.Background(), p, Month{}, nil); !errors.Is(err, ErrInput) {
		t.Errorf("no working days: err = %v, want ErrInput", err)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
