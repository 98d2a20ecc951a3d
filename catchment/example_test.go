package catchment_test

import (
	"context"
	"fmt"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/geo"
)

func minutes(m float64) geo.Seconds { return geo.Seconds(60 * m) }

// Three households, two CHWs. Ama can serve two households: the one that
// loses least by walking to Kofi's (h3, two more minutes) goes there.
func ExampleBalance() {
	p := &catchment.Problem{
		Units: []catchment.Unit{
			{ID: "h1", Households: 1, People: 5},
			{ID: "h2", Households: 1, People: 3},
			{ID: "h3", Households: 1, People: 6},
		},
		CHWs: []catchment.CHW{{ID: "ama", Max: 2}, {ID: "kofi", Min: 1, Max: 5}},
		Arcs: []catchment.Arc{ // Unit and CHW index the slices above
			{Unit: 0, CHW: 0, Walk: minutes(5)}, {Unit: 0, CHW: 1, Walk: minutes(30)},
			{Unit: 1, CHW: 0, Walk: minutes(6)}, {Unit: 1, CHW: 1, Walk: minutes(20)},
			{Unit: 2, CHW: 0, Walk: minutes(10)}, {Unit: 2, CHW: 1, Walk: minutes(12)},
		},
		MaxWalk: minutes(60),
	}
	r, err := catchment.Balance(context.Background(), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, a := range r.Units {
		q := a.Parts[0]
		fmt.Printf("%s → %s, %.0f min\n", p.Units[i].ID, p.CHWs[q.CHW].ID, q.Walk.Minutes())
	}
	for c, l := range r.Load {
		fmt.Printf("%s: %d households, %d people, mean %.1f min\n", p.CHWs[c].ID, l.Households, l.People, l.MeanWalk.Minutes())
	}
	// Output:
	// h1 → ama, 5 min
	// h2 → ama, 6 min
	// h3 → kofi, 12 min
	// ama: 2 households, 8 people, mean 5.5 min
	// kofi: 1 households, 6 people, mean 12.0 min
}

// After a roster change (CHW "old" left, "new" joined with a minimum of
// one household), Balance moves as few households as possible: only the
// two of "old", h2 filling "new"'s minimum. h4 stays with ama although
// "new" is nearer: a shorter walk alone is no reason to move.
func ExampleBalance_keep() {
	unit := func(id, chw string) catchment.Unit {
		return catchment.Unit{ID: id, Households: 1, Current: []catchment.Share{{CHW: chw, Households: 1}}}
	}
	p := &catchment.Problem{
		Units: []catchment.Unit{unit("h1", "old"), unit("h2", "old"), unit("h3", "ama"), unit("h4", "ama")},
		CHWs:  []catchment.CHW{{ID: "ama", Max: 10}, {ID: "new", Min: 1, Max: 10}},
		Arcs: []catchment.Arc{
			{Unit: 0, CHW: 0, Walk: minutes(15)}, {Unit: 0, CHW: 1, Walk: minutes(25)},
			{Unit: 1, CHW: 0, Walk: minutes(30)}, {Unit: 1, CHW: 1, Walk: minutes(10)},
			{Unit: 2, CHW: 0, Walk: minutes(5)},
			{Unit: 3, CHW: 0, Walk: minutes(20)}, {Unit: 3, CHW: 1, Walk: minutes(8)},
		},
	}
	r, err := catchment.Balance(context.Background(), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range r.Moves {
		fmt.Printf("%s: %s → %s (%s)\n", p.Units[m.Unit].ID, m.From, m.To, m.Reason)
	}
	fmt.Println(r.Summary.Moves, "households moved")
	// Output:
	// h1: old → ama (chw_left)
	// h2: old → new (chw_left)
	// 2 households moved
}

// Candidate arcs are widened on demand: h2's only candidate is full, so
// Balance asks for more, and the caller answers with the next nearest CHW
// (here from a table; a stage would search the walking graph).
func ExampleBalance_more() {
	next := map[int][]catchment.Arc{1: {{Unit: 1, CHW: 1, Walk: minutes(40)}}}
	p := &catchment.Problem{
		Units: []catchment.Unit{{ID: "h1", Households: 1}, {ID: "h2", Households: 1}},
		CHWs:  []catchment.CHW{{ID: "ama", Max: 1}, {ID: "kofi", Max: 1}},
		Arcs:  []catchment.Arc{{Unit: 0, CHW: 0, Walk: minutes(5)}, {Unit: 1, CHW: 0, Walk: minutes(9)}},
		More: func(req catchment.Request) ([]catchment.Arc, error) {
			fmt.Println("more for units", req.Units)
			var arcs []catchment.Arc
			for _, u := range req.Units {
				arcs = append(arcs, next[u]...)
				delete(next, u)
			}
			return arcs, nil
		},
	}
	r, err := catchment.Balance(context.Background(), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("h2 →", p.CHWs[r.Units[1].Parts[0].CHW].ID, "unassigned:", r.Summary.Unassigned)
	// Output:
	// more for units [1]
	// h2 → kofi unassigned: 0
}

// A transportation problem: two supplies, two demands, a capacity on the
// cheap arc.
func ExampleNetwork() {
	var n catchment.Network
	a := n.AddNode(3)             // supplies 3
	b := n.AddNode(2)             // supplies 2
	x := n.AddNode(-4)            // needs 4
	y := n.AddNode(-1)            // needs 1
	ax := n.AddArc(a, x, 0, 2, 1) // at most 2, cost 1 each
	ay := n.AddArc(a, y, 0, catchment.Unbounded, 5)
	bx := n.AddArc(b, x, 0, catchment.Unbounded, 3)
	by := n.AddArc(b, y, 0, catchment.Unbounded, 4)
	if err := n.Solve(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	cost, _ := n.Cost()
	fmt.Println(n.Flow(ax), n.Flow(ay), n.Flow(bx), n.Flow(by), cost)
	// Output: 2 1 2 0 13
}

// Workload summarises any assignment, for instance nearest-CHW catchments.
func ExampleWorkload() {
	units := []catchment.Unit{{ID: "h1", Households: 1, People: 4}, {ID: "h2", Households: 1, People: 6}, {ID: "h3", Households: 1, People: 2}}
	chws := []catchment.CHW{{ID: "ama", Min: 1, Max: 2}, {ID: "kofi", Min: 2, Max: 2}}
	a := []catchment.Assignment{
		{Parts: []catchment.Part{{CHW: 0, Households: 1, Walk: minutes(10), Routed: true}}},
		{Parts: []catchment.Part{{CHW: 0, Households: 1, Walk: minutes(70), Routed: true}}},
		{Parts: []catchment.Part{{CHW: 1, Households: 1, Walk: minutes(20), Routed: true}}},
	}
	loads, s := catchment.Workload(units, chws, a, minutes(60))
	for c, l := range loads {
		fmt.Printf("%s: %d households, %d people, max %.0f min, over walk %d, under minimum %d\n",
			chws[c].ID, l.Households, l.People, l.MaxWalk.Minutes(), l.OverWalk, l.UnderMinimum)
	}
	ratio, _ := s.Spread.Ratio()
	fmt.Printf("total %.0f min, spread %d–%d (×%.1f, CV %.2f)\n", s.TotalWalk.Minutes(), s.Spread.Min, s.Spread.Max, ratio, s.Spread.CV)
	// Output:
	// ama: 2 households, 10 people, max 70 min, over walk 1, under minimum 0
	// kofi: 1 households, 2 people, max 20 min, over walk 0, under minimum 1
	// total 100 min, spread 1–2 (×2.0, CV 0.33)
}
