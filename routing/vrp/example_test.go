package vrp_test

import (
	"context"
	"fmt"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing/vrp"
)

// A health worker's visit plan: node 0 is the home, 1..6 households.
// Walking times are in seconds and asymmetric (uphill is slower); each
// visit takes 20 minutes and a day is at most 2 hours of walking plus
// visits. A large cost per day asks for the fewest days, then the least
// walking. Household 6 has no path from the home and is listed, not
// dropped.
func Example() {
	// Minutes along a valley: households 1-3 up one side, 4-5 up the
	// other; climbing costs half as much again as descending.
	pos := []float64{0, 10, 15, 20, -12, -18, 0}
	walk := func(i, j int) (geo.Seconds, bool) {
		if i == 6 || j == 6 {
			return 0, false
		}
		d := pos[j] - pos[i]
		if d < 0 {
			d = -d
		}
		if abs(pos[j]) > abs(pos[i]) { // away from the valley floor: uphill
			d *= 1.5
		}
		return geo.Seconds(60 * d), true
	}
	p := &vrp.Problem[geo.Seconds]{
		N:           7,
		Depot:       0,
		Travel:      walk,
		Service:     []geo.Seconds{0, 1200, 1200, 1200, 1200, 1200, 1200},
		MaxDuration: 2 * 3600,
		RouteCost:   1e6,
	}
	res, err := vrp.Solve(context.Background(), p, &vrp.Options{Iterations: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for d, r := range res.Routes {
		fmt.Printf("day %d: households %v, walking %.0f min, day %.0f min\n", d+1, r.Stops, r.Travel/60, r.Duration/60)
	}
	for _, u := range res.Unserved {
		fmt.Printf("household %d: %v\n", u.Node, u.Reason)
	}
	// Output:
	// day 1: households [1 2 3], walking 50 min, day 110 min
	// day 2: households [4 5], walking 45 min, day 85 min
	// household 6: unreachable from the depot
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
