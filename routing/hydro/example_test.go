package hydro_test

import (
	"context"
	"fmt"
	"math"

	"github.com/lastmile-health/lastmile/routing/hydro"
)

// A valley running south: the derived stream follows its floor.
func ExampleDerive() {
	const cols, rows = 21, 40
	g := &hydro.Grid{Cols: cols, Rows: rows, Z: make([]float32, cols*rows),
		Lon0: -8, Lat0: 6, DLon: 1.0 / 1200, DLat: 1.0 / 1200} // SRTM 3″ cells
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			g.Z[r*cols+c] = float32(100 + 3*math.Abs(float64(c-10)) + 0.5*float64(rows-r))
		}
	}
	d, err := hydro.Derive(context.Background(), g, &hydro.Options{StreamKm2: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := d.Streams[0]
	fmt.Printf("%d link, order %d, from %.4f,%.4f to %.4f,%.4f, draining %.2f km²\n",
		len(d.Streams), s.Order, s.Line[0][0], s.Line[0][1], s.Line[len(s.Line)-1][0], s.Line[len(s.Line)-1][1], s.AreaKm2)
	// Output:
	// 1 link, order 1, from -7.9917,5.9967 to -7.9917,5.9675, draining 6.17 km²
}
