package visits_test

import (
	"context"
	"fmt"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing/visits"
)

// A health worker's week: node 0 is the home; households 1–3 are one
// village up the hill to the east, 4–5 another to the west, 6 has no path.
// Visits take 20 minutes and a day at most 2 hours; villages stay whole.
// Each day climbs to the top of its village and visits on the way down.
func ExamplePlan() {
	pos := []float64{0, 10, 11, 12, -15, -16, 0} // minutes from home along the valley
	walk := func(i, j int) (geo.Seconds, bool) {
		if i == 6 || j == 6 {
			return 0, false
		}
		d := pos[j] - pos[i]
		if d < 0 {
			d = -d
		}
		if abs(pos[j]) > abs(pos[i]) {
			d *= 1.5 // climbing away from the valley floor
		}
		return geo.Seconds(60 * d), true
	}
	p := &visits.Problem{
		N:         7,
		Travel:    walk,
		Service:   []geo.Seconds{0, 1200, 1200, 1200, 1200, 1200, 1200},
		Group:     []int{-1, 1, 1, 1, 2, 2, -1},
		DayBudget: 2 * 3600,
	}
	res, err := visits.Plan(context.Background(), p, &visits.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, d := range res.Days {
		fmt.Printf("day %d: %v, walking %.0f min, %.0f min in all\n", i+1, d.Stops, d.Walk.Minutes(), d.Duration().Minutes())
	}
	for _, u := range res.Unserved {
		fmt.Printf("household %d: %v\n", u.Node, u.Reason)
	}
	fmt.Printf("villages whole: %d, split: %d\n", res.Villages.Whole, res.Villages.Split)
	// Output:
	// day 1: [3 2 1], walking 30 min, 90 min in all
	// day 2: [4 5], walking 40 min, 80 min in all
	// household 6: no path from the depot or back
	// villages whole: 2, split: 0
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
