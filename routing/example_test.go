package routing_test

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/routing"
)

func ExampleTobler() {
	for _, s := range []float64{-0.05, 0, 0.1, -0.1, 0.3} {
		fmt.Printf("slope %+.2f: %.2f km/h\n", s, routing.Tobler(s))
	}
	// Output:
	// slope -0.05: 6.00 km/h
	// slope +0.00: 5.04 km/h
	// slope +0.10: 3.55 km/h
	// slope -0.10: 5.04 km/h
	// slope +0.30: 1.76 km/h
}

func ExampleDefaultProfile() {
	p := routing.DefaultProfile()
	fmt.Println("snap up to", p.MaxSnap, "m; elevation every", p.DensifyStep, "m")
	fmt.Println("steps factor", p.ClassFactor["steps"], "; stream crossing", p.CrossingMinutes["stream"], "min")
	// Output:
	// snap up to 1000 m; elevation every 30 m
	// steps factor 0.6 ; stream crossing 15 min
}

func ExampleBuild() {
	// A 1 km footway due east along the equator, and a stream across it.
	net := &osmnet.Network{
		Nodes: []osmnet.Node{
			{ID: 1, Point: orb.Point{10, 0}},
			{ID: 2, Point: orb.Point{10.009, 0}},
			{ID: 3, Point: orb.Point{10.0045, -0.001}},
			{ID: 4, Point: orb.Point{10.0045, 0.001}},
		},
		Ways:      []osmnet.Way{{ID: 10, Nodes: []int32{0, 1}, Highway: "footway"}},
		Waterways: []osmnet.Waterway{{ID: 20, Kind: "stream", Nodes: []int32{2, 3}}},
	}
	g, rep, err := routing.Build(context.Background(), net, nil, routing.DefaultProfile(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d nodes, %d edges, %d stream crossing\n", rep.Nodes, rep.Edges, rep.Crossings.Penalty)
	r, err := g.Walk(orb.Point{10, 0.0001}, orb.Point{10.009, 0})
	if err != nil {
		fmt.Println(err)
		return
	}
	// 1,001 m flat at 5.04 km/h, an 11 m off-path leg at 60 % of that
	// speed, and 15 minutes to wade the stream.
	fmt.Printf("%.1f min, %.2f km\n", r.Seconds.Minutes(), r.Meters.Kilometers())
	// Output:
	// 2 nodes, 1 edges, 1 stream crossing
	// 27.1 min, 1.01 km
}
