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

// A giant tour cut into days of at most 2000 s (walking plus 60 s per
// household visit).
func ExampleSplit() {
	m := tsp.Matrix[int32]{N: 5, C: []int32{
		0, 300, 900, 700, 400,
		200, 0, 500, 800, 600,
		800, 600, 0, 300, 900,
		600, 900, 200, 0, 500,
		300, 500, 900, 600, 0,
	}}
	giant, _ := tsp.Solve(context.Background(), m, nil)
	service := []int64{0, 60, 60, 60, 60}
	days, total, err := tsp.Split(m, 0, giant.Order[1:], service, 2000)
	if err != nil {
		panic(err)
	}
	for d, t := range days {
		fmt.Printf("day %d: %v walk %d s, %d s with visits\n", d+1, t.Stops, t.Cost, t.Duration)
	}
	fmt.Println("total walk", total, "s")
	// Output:
	// day 1: [1 2 3] walk 1700 s, 1880 s with visits
	// day 2: [4] walk 700 s, 760 s with visits
	// total walk 2400 s
}
