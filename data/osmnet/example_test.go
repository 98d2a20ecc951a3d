package osmnet_test

import (
	"context"
	"fmt"
	"log"

	"github.com/lastmile-health/lastmile/data/osmnet"
)

func ExampleRead() {
	net, err := osmnet.Read(context.Background(), "testdata/fixtures.osm", nil)
	if err != nil {
		log.Fatal(err)
	}
	st := net.Stats()
	fmt.Println("walkable ways:", st.Ways, "nodes:", st.Nodes)
	fmt.Println("waterways:", st.ByWaterway)
	fmt.Println("water areas:", st.ByWaterArea)
	w := net.Ways[2]
	fmt.Printf("way %d: highway=%s bridge=%v width=%gm from %v\n", w.ID, w.Highway, w.Bridge, w.Width, net.Nodes[w.Nodes[0]].Point)
	fmt.Println(net.Warnings[0])
	// Output:
	// walkable ways: 11 nodes: 28
	// waterways: map[canal:1 ditch:1 drain:1 river:1 stream:2]
	// water areas: map[riverbank:1 water:2]
	// way 102: highway=footway bridge=true width=2m from [10.001 5.001]
	// way 112 references 2 missing nodes: dropped
}
