package dem

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Raster is a window of elevations on a regular lon/lat grid: Cols × Rows
// values in metres, row-major from north to south, each on a cell centre;
// NaN where no tile has data. It is a plain value for the algorithms that
// work on grids (drainage, terrain lattices).
type Raster struct {
	Cols, Rows int
	// Lon0, Lat0 is the centre of cell (0, 0), the north-west cell.
	Lon0, Lat0 float64
	// DLon, DLat are the cell sizes in degrees (rows go south).
	DLon, DLat float64
	Z          []float32
}

// maxRasterCells caps Mosaic.Raster: 2²⁸ cells is 1 GB of float32, about
// 16 × 16 SRTM 3″ tiles.
const maxRasterCells = 1 << 28

// Raster returns the elevations of the mosaic on the cell centres of its
// finest tile's grid (the first tile with the smallest cells) that lie
// inside b, grown to whole cells. Centres of that tile's grid are sampled
// exactly; elsewhere (another tile, of another grid) bilinearly, as
// Elevation does. Cells outside every tile are NaN. It fails when b does not
// meet the mosaic or the window would exceed 2²⁸ cells.
func (m *Mosaic) Raster(b orb.Bound) (*Raster, error) {
	if m == nil || len(m.tiles) == 0 {
		return nil, ErrNoTiles
	}
	if !b.Intersects(m.bound) || math.IsNaN(b.Min[0]+b.Min[1]+b.Max[0]+b.Max[1]) {
		return nil, fmt.Errorf("dem: window %v does not meet the elevation model %v", b, m.bound)
	}
	b = orb.Bound{
		Min: orb.Point{math.Max(b.Min[0], m.bound.Min[0]), math.Max(b.Min[1], m.bound.Min[1])},
		Max: orb.Point{math.Min(b.Max[0], m.bound.Max[0]), math.Min(b.Max[1], m.bound.Max[1])},
	}
	fine := m.tiles[0]
	for _, t := range m.tiles[1:] {
		if t.dlon*t.dlat < fine.dlon*fine.dlat {
			fine = t
		}
	}
	// Whole cells of fine's grid: column k of the window is fine's column
	// c0+k (possibly negative or beyond the tile: the grid extends).
	c0 := int(math.Floor((b.Min[0]-fine.lon0)*fine.ilon + 0.5))
	c1 := int(math.Ceil((b.Max[0]-fine.lon0)*fine.ilon - 0.5))
	r0 := int(math.Floor((fine.lat0-b.Max[1])*fine.ilat + 0.5))
	r1 := int(math.Ceil((fine.lat0-b.Min[1])*fine.ilat - 0.5))
	cols, rows := c1-c0+1, r1-r0+1
	if cols < 1 || rows < 1 {
		return nil, fmt.Errorf("dem: window %v holds no cell centre", b)
	}
	if int64(cols)*int64(rows) > maxRasterCells {
		return nil, fmt.Errorf("dem: window %v is %d × %d cells, more than %d", b, cols, rows, maxRasterCells)
	}
	r := &Raster{
		Cols: cols, Rows: rows,
		Lon0: fine.lon0 + float64(c0)*fine.dlon, Lat0: fine.lat0 - float64(r0)*fine.dlat,
		DLon: fine.dlon, DLat: fine.dlat,
		Z: make([]float32, cols*rows),
	}
	nan := float32(math.NaN())
	for y := 0; y < rows; y++ {
		lat := r.Lat0 - float64(y)*r.DLat
		for x := 0; x < cols; x++ {
			z, ok := m.Elevation(orb.Point{r.Lon0 + float64(x)*r.DLon, lat})
			if !ok {
				r.Z[y*cols+x] = nan
				continue
			}
			r.Z[y*cols+x] = float32(z)
		}
	}
	return r, nil
}
