package dem_test

import (
	"bytes"
	"fmt"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/paulmach/orb"
)

// A synthetic 3″ SRTM tile, written as .hgt, read back and sampled.
func Example() {
	const side = 1201 // 3″: 1201 × 1201 samples over one degree
	vals := make([]float32, side*side)
	for r := 0; r < side; r++ {
		for c := 0; c < side; c++ {
			vals[r*side+c] = float32(1000 + c) // rises 1 m per cell eastwards
		}
	}
	tile := dem.NewTile(orb.Point{1, 43}, side, side, 1.0/1200, vals)
	name, _ := tile.HGTName()

	var buf bytes.Buffer
	if err := dem.WriteHGT(&buf, tile); err != nil {
		fmt.Println(err)
		return
	}
	read, err := dem.ReadHGT(name, &buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := dem.NewMosaic(read)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(name, m.Bound().Min[0] < 1, m.Bound().Max[1] > 43)
	for _, p := range []orb.Point{{1, 42.5}, {1.5, 42.5}, {1.5 + 0.5/1200, 42.5}, {5, 42.5}} {
		e, ok := m.Elevation(p)
		fmt.Printf("%v: %.1f m %v\n", p, e, ok)
	}
	// Output:
	// N42E001.hgt true true
	// [1 42.5]: 1000.0 m true
	// [1.5 42.5]: 1600.0 m true
	// [1.5004166666666667 42.5]: 1600.5 m true
	// [5 42.5]: 0.0 m false
}
