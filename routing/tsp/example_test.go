package tsp_test

import (
	"context"
	"fmt"

	"github.com/lastmile-health/lastmile/routing/tsp"
)

// Walking times in seconds between a health post (node 0) and four
// households; uphill legs take longer, so the matrix is asymmetric.
func ExampleSolve() {
	m := tsp.Matrix[int32]{N: 5, C: []int32{
		0, 300, 900, 700, 400,
		200, 0, 500, 800, 600,
		800, 600, 0, 300, 900,
		600, 900, 200, 0, 500,
		300, 500, 900, 600, 0,
	}}
	round, err := tsp.Solve(context.Background(), m, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("round trip:", round.Order, round.Cost, "s, optimal:", round.Optimal)

	// An open path from the health post to household 3.
	path, _ := tsp.Solve(context.Background(), m, &tsp.Options{Start: 0, End: 3})
	fmt.Println("path to 3:", path.Order, path.Cost, "s")
	// Output:
	// round trip: [0 1 2 3 4] 1900 s, optimal: true
	// path to 3: [0 4 1 2 3] 1700 s
}
