package shortest_test

import (
	"context"
	"fmt"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

// A footpath 0 – 1 – 2 climbing from node 0 to node 2, plus a flat detour
// 0 – 3 – 2. Every segment is two arcs: uphill is slower than downhill.
func Example() {
	g := shortest.NewGraph(4, []shortest.Arc{
		{From: 0, To: 1, Weight: 60_000}, {From: 1, To: 0, Weight: 40_000},
		{From: 1, To: 2, Weight: 90_000}, {From: 2, To: 1, Weight: 50_000},
		{From: 0, To: 3, Weight: 80_000}, {From: 3, To: 0, Weight: 80_000},
		{From: 3, To: 2, Weight: 80_000}, {From: 2, To: 3, Weight: 80_000},
	})
	h, err := shortest.Contract(context.Background(), g, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A household on segment 0–3, 20 s from node 0 and 60 s from node 3,
	// walking to a facility at node 2.
	house := []shortest.Seed{{Node: 0, Offset: 20_000}, {Node: 3, Offset: 60_000}}
	facility := []shortest.Seed{{Node: 2}}
	ms, path, ok := h.Query(house, facility)
	fmt.Println(ms, path, ok)
	ms, path, ok = h.Query(facility, house)
	fmt.Println(ms, path, ok)

	m, err := h.Matrix(context.Background(), [][]shortest.Seed{house, facility}, [][]shortest.Seed{facility}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, ok := m.At(1, 0)
	fmt.Println(d, ok)
	// Output:
	// 140000 [3 2] true
	// 110000 [2 1 0] true
	// 0 true
}

// Nearest answers "which facility is closest, within 3 minutes?" for every
// node; the reverse graph gives the time from the node to the facility.
func ExampleGraph_Nearest() {
	g := shortest.NewGraph(4, []shortest.Arc{
		{From: 0, To: 1, Weight: 60_000}, {From: 1, To: 0, Weight: 40_000},
		{From: 1, To: 2, Weight: 90_000}, {From: 2, To: 1, Weight: 50_000},
		{From: 2, To: 3, Weight: 100_000}, {From: 3, To: 2, Weight: 100_000},
	})
	facilities := [][]shortest.Seed{{{Node: 0}}, {{Node: 3}}}
	toFacility := g.Reverse().Nearest(facilities, 3*60_000, 1)
	for v := uint32(0); v < 4; v++ {
		src, ms, ok := toFacility.At(v)
		fmt.Println(v, src, ms, ok)
	}
	// Output:
	// 0 0 0 true
	// 1 0 40000 true
	// 2 0 90000 true
	// 3 1 0 true
}
