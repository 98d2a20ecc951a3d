package routing

import (
	"context"
	"errors"
	"testing"
)

// FuzzUnmarshalWater: the stored water decoder never panics, rejects what
// it cannot read with ErrFormat, and reads back what marshalWater wrote.
func FuzzUnmarshalWater(f *testing.F) {
	var fx fixture
	fx.way("path", []int32{fx.node(0, 0), fx.node(100, 0)})
	fx.water("stream", 2, [2]float64{50, -10}, [2]float64{50, 10})
	fx.water("river", 30, [2]float64{80, -10}, [2]float64{80, 10}, [2]float64{90, 20})
	fx.area(200, 200, 300, 300)
	g, _, err := buildGraph(context.Background(), &fx.in, nil, DefaultProfile(), &BuildOptions{NoHierarchy: true})
	if err != nil {
		f.Fatal(err)
	}
	b := g.marshalWater()
	var back Graph
	back.nodePt = g.nodePt
	if err := back.unmarshalWater(b); err != nil {
		f.Fatal(err)
	}
	if len(back.waters) != 2 || len(back.areas) != 1 || back.waters[1].Width != 30 || len(back.waters[1].Pts) != 3 {
		f.Fatalf("round trip: %d waterways, %d areas: %+v", len(back.waters), len(back.areas), back.waters)
	}
	f.Add(b)
	f.Add([]byte(waterMagic))
	f.Fuzz(func(t *testing.T, in []byte) {
		var h Graph
		h.nodePt = g.nodePt
		if err := h.unmarshalWater(in); err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		// What decodes is indexed and answers off-path legs.
		if h.water != nil {
			h.water.offPath(xy(0, 0), xy(100, 100), nil)
		}
	})
}
