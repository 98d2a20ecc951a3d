package hydro

import (
	"fmt"
	"math"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// Grid is an elevation raster: Cols × Rows values in metres, row-major from
// the northern row to the southern one, each on the centre of a cell of a
// regular lon/lat grid. NaN marks no data (outside the DEM); water leaves
// the grid there as at its edge.
type Grid struct {
	Cols, Rows int
	Z          []float32
	// Lon0, Lat0 is the centre of cell (0, 0), the north-west cell.
	Lon0, Lat0 float64
	// DLon, DLat are the cell sizes in degrees, both > 0 (rows go south).
	DLon, DLat float64
}

// Validate reports a grid whose sizes, values or geometry do not agree.
func (g *Grid) Validate() error {
	switch {
	case g.Cols < 1 || g.Rows < 1:
		return fmt.Errorf("hydro: grid %d×%d: want at least one cell", g.Cols, g.Rows)
	case g.Cols > 1<<15 || g.Rows > 1<<15:
		return fmt.Errorf("hydro: grid %d×%d: larger than 32768 cells a side", g.Cols, g.Rows)
	case len(g.Z) != g.Cols*g.Rows:
		return fmt.Errorf("hydro: grid %d×%d has %d values", g.Cols, g.Rows, len(g.Z))
	case !(g.DLon > 0) || !(g.DLat > 0) || math.IsInf(g.DLon, 0) || math.IsInf(g.DLat, 0):
		return fmt.Errorf("hydro: grid cell %g° × %g°: want positive sizes", g.DLon, g.DLat)
	case math.IsNaN(g.Lon0+g.Lat0) || math.Abs(g.Lat0) > 90 || math.Abs(g.Lat0-float64(g.Rows-1)*g.DLat) > 90:
		return fmt.Errorf("hydro: grid origin %v, %v with %d rows is not on the globe", g.Lon0, g.Lat0, g.Rows)
	}
	return nil
}

// Centre returns the lon/lat of the centre of cell (col, row).
func (g *Grid) Centre(col, row int) orb.Point {
	return orb.Point{g.Lon0 + float64(col)*g.DLon, g.Lat0 - float64(row)*g.DLat}
}

// CellKm2 returns the area of a cell of row row in km² (cells shrink
// east–west with latitude).
func (g *Grid) CellKm2(row int) float64 {
	w, h := g.cellMetres(row)
	return w * h / 1e6
}

// cellMetres returns a cell's east–west width and north–south height in
// metres at row row, on the sphere of geo.EarthRadius.
func (g *Grid) cellMetres(row int) (w, h float64) {
	const rad = math.Pi / 180
	r := float64(geo.EarthRadius)
	lat := (g.Lat0 - float64(row)*g.DLat) * rad
	return r * math.Cos(lat) * g.DLon * rad, r * g.DLat * rad
}

// Dir is a D8 flow direction: the neighbour a cell drains to.
type Dir uint8

// Flow directions. The eight neighbours are numbered clockwise from east;
// Out drains out of the grid (an edge cell, or beside no data) and NoData
// marks a cell without elevation.
const (
	East Dir = iota
	SouthEast
	South
	SouthWest
	West
	NorthWest
	North
	NorthEast
	Out    Dir = 8
	NoData Dir = 255
)

// dCol, dRow give each direction's neighbour offset (rows go south).
var (
	dCol = [8]int{1, 1, 0, -1, -1, -1, 0, 1}
	dRow = [8]int{0, 1, 1, 1, 0, -1, -1, -1}
)

// Offset returns the column and row offsets of direction d's neighbour
// (0, 0 for Out and NoData).
func (d Dir) Offset() (dc, dr int) {
	if d >= Out {
		return 0, 0
	}
	return dCol[d], dRow[d]
}

// next returns the index of the cell that cell i (at col, row) drains to,
// or -1 when it drains out of the grid.
func (g *Grid) next(i int, d Dir) int {
	if d >= Out {
		return -1
	}
	return i + dRow[d]*g.Cols + dCol[d]
}
