package dem

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Tile is one elevation grid: cols × rows values in metres, row-major from
// the northern row to the southern one, each value sitting on a cell centre of
// a regular lon/lat grid. Voids are filled when the tile is built, so every
// value is valid. Values are held as int16 when the source has 8/16-bit
// integers (SRTM), else as float32 (a float64 GeoTIFF loses precision
// beyond about 7 digits, far below any DEM's accuracy). A Tile is immutable
// and safe for concurrent use.
type Tile struct {
	name       string
	cols, rows int
	lon0, lat0 float64 // centre of the north-west cell (column 0, row 0)
	dlon, dlat float64 // cell size in degrees, both > 0; rows go south
	ilon, ilat float64 // 1/dlon, 1/dlat (exact for SRTM grids)
	maxX, maxY float64 // cols-1, rows-1
	i16        []int16 // values when the source is 8/16-bit integers, else nil
	f32        []float32
	voids      int
	bound      orb.Bound // pixel footprint: centres ± half a cell
}

// NewTile returns a tile of cols × rows values whose north-west cell centre
// is at nw, with square cells of cellDeg degrees. values are row-major from
// north to south (values[r*cols+c] is at lon nw[0]+c·cellDeg, lat
// nw[1]−r·cellDeg); NaN marks a void, filled from its neighbours as for read
// tiles. values is copied, not kept. Use it to build synthetic DEMs, for
// example for WriteHGT (which wants 1201×1201 cells of 1/1200° on whole
// degrees).
//
// NewTile panics on programmer error: cols or rows < 1, len(values) !=
// cols*rows, cellDeg not a positive finite number, nw not finite, or no
// valid value at all.
func NewTile(nw orb.Point, cols, rows int, cellDeg float64, values []float32) *Tile {
	if cols < 1 || rows < 1 || len(values) != cols*rows || !(cellDeg > 0) || math.IsInf(cellDeg, 0) ||
		math.IsNaN(nw[0]+nw[1]) || math.IsInf(nw[0]+nw[1], 0) {
		panic(fmt.Sprintf("dem.NewTile: bad grid %d×%d with %d values and cell %g°", cols, rows, len(values), cellDeg))
	}
	v := make([]float32, len(values))
	copy(v, values)
	n, err := fillVoids(v, cols, rows)
	if err != nil {
		panic("dem.NewTile: " + err.Error())
	}
	t := newTile("", nw[0], nw[1], cellDeg, cellDeg, cols, rows)
	t.f32 = v
	t.voids = n
	return t
}

// newTile sets up the geometry of a tile without values.
func newTile(name string, lon0, lat0, dlon, dlat float64, cols, rows int) *Tile {
	t := &Tile{
		name: name, cols: cols, rows: rows,
		lon0: lon0, lat0: lat0, dlon: dlon, dlat: dlat,
		ilon: 1 / dlon, ilat: 1 / dlat,
		maxX: float64(cols - 1), maxY: float64(rows - 1),
	}
	t.bound = orb.Bound{
		Min: orb.Point{lon0 - dlon/2, lat0 - float64(rows-1)*dlat - dlat/2},
		Max: orb.Point{lon0 + float64(cols-1)*dlon + dlon/2, lat0 + dlat/2},
	}
	return t
}

// setValues stores the filled values, as int16 when intOK says every source
// value was an integer that fits (halving the memory of SRTM-like tiles).
func (t *Tile) setValues(v []float32, intOK bool) {
	if intOK {
		t.i16 = make([]int16, len(v))
		for i, x := range v {
			t.i16[i] = int16(math.Round(float64(x)))
		}
		return
	}
	t.f32 = v
}

// Name returns the file name the tile was read from ("" for NewTile).
func (t *Tile) Name() string { return t.name }

// Size returns the number of columns and rows.
func (t *Tile) Size() (cols, rows int) { return t.cols, t.rows }

// CellSize returns the cell size in degrees of longitude and latitude.
func (t *Tile) CellSize() (dlon, dlat float64) { return t.dlon, t.dlat }

// Voids returns how many void cells were filled when the tile was built.
func (t *Tile) Voids() int { return t.voids }

// Centre returns the lon/lat of the centre of cell (col, row), where the
// value At(col, row) sits. Row 0 is the northern row.
func (t *Tile) Centre(col, row int) orb.Point {
	return orb.Point{t.lon0 + float64(col)*t.dlon, t.lat0 - float64(row)*t.dlat}
}

// At returns the value of cell (col, row) in metres. It panics when the
// cell is outside the grid, like a slice index.
func (t *Tile) At(col, row int) float64 {
	if col < 0 || col >= t.cols || row < 0 || row >= t.rows {
		panic(fmt.Sprintf("dem: cell (%d, %d) outside %d×%d tile", col, row, t.cols, t.rows))
	}
	return t.at(row*t.cols + col)
}

func (t *Tile) at(i int) float64 {
	if t.i16 != nil {
		return float64(t.i16[i])
	}
	return float64(t.f32[i])
}

// Bound returns the footprint of the tile: the hull of its cell centres
// grown by half a cell on every side (the extent GDAL reports).
func (t *Tile) Bound() orb.Bound { return t.bound }

// Elevation returns the bilinear elevation at p in metres, and ok=false when
// p is outside Bound. Between the outer cell centres and the footprint's
// edge the edge values are used. A zero Tile covers nothing.
func (t *Tile) Elevation(p orb.Point) (float64, bool) {
	if t.cols == 0 || !(p[0] >= t.bound.Min[0] && p[0] <= t.bound.Max[0] && p[1] >= t.bound.Min[1] && p[1] <= t.bound.Max[1]) {
		return 0, false
	}
	return t.sample(p[0], p[1]), true
}

// snap is the distance, in cells, within which sample treats a point as on
// a cell centre.
const snap = 1e-9

// grid returns the grid position of lon/lat in cells from the centre of
// cell (0, 0), x eastwards and y southwards.
func (t *Tile) grid(lon, lat float64) (x, y float64) {
	return (lon - t.lon0) * t.ilon, (t.lat0 - lat) * t.ilat
}

// inner reports whether grid position x, y is inside the hull of the cell
// centres, where bilinear sampling uses four real neighbours.
func (t *Tile) inner(x, y float64) bool {
	return x >= 0 && x <= t.maxX && y >= 0 && y <= t.maxY
}

// sample interpolates bilinearly between the four cell centres around
// lon/lat, clamping to the grid. It does not allocate.
func (t *Tile) sample(lon, lat float64) float64 {
	x, y := t.grid(lon, lat)
	return t.sampleGrid(x, y)
}

// sampleGrid is sample at grid position x, y.
func (t *Tile) sampleGrid(x, y float64) float64 {
	if x < 0 {
		x = 0
	} else if x > t.maxX {
		x = t.maxX
	}
	if y < 0 {
		y = 0
	} else if y > t.maxY {
		y = t.maxY
	}
	c, r := int(x), int(y)
	ax, ay := x-float64(c), y-float64(r)
	// Snap to a cell centre within 1e-9 cells (0.1 mm), so a centre computed
	// as origin + i·cell returns the stored value exactly.
	if ax < snap {
		ax = 0
	} else if ax > 1-snap {
		c, ax = c+1, 0
	}
	if ay < snap {
		ay = 0
	} else if ay > 1-snap {
		r, ay = r+1, 0
	}
	dc, dr := 1, t.cols
	if c >= t.cols-1 {
		dc = 0
	}
	if r >= t.rows-1 {
		dr = 0
	}
	i := r*t.cols + c
	var v00, v01, v10, v11 float64
	if t.i16 != nil {
		s := t.i16
		v00, v01, v10, v11 = float64(s[i]), float64(s[i+dc]), float64(s[i+dr]), float64(s[i+dr+dc])
	} else {
		s := t.f32
		v00, v01, v10, v11 = float64(s[i]), float64(s[i+dc]), float64(s[i+dr]), float64(s[i+dr+dc])
	}
	top := v00 + (v01-v00)*ax
	bot := v10 + (v11-v10)*ax
	return top + (bot-top)*ay
}
