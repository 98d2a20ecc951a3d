package dem

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Model answers elevations in metres; *Mosaic and *Tile implement it.
type Model interface {
	// Elevation returns the elevation at p, and ok=false where the model
	// has no data.
	Elevation(p orb.Point) (meters float64, ok bool)
	// Bound returns the area the model covers (it may have holes).
	Bound() orb.Bound
}

var (
	_ Model = (*Mosaic)(nil)
	_ Model = (*Tile)(nil)
)

// Mosaic stitches tiles into one elevation model. A point is sampled from
// the first tile (in the order given) whose cell-centre hull contains it, so
// bilinear sampling uses four real neighbours; failing that, from the first
// tile whose footprint contains it. A Mosaic is immutable and safe for
// concurrent use.
type Mosaic struct {
	tiles  []*Tile
	bound  orb.Bound
	x0, y0 float64 // floor of bound.Min: origin of the degree-cell index
	nx, ny int
	start  []int32 // candidates of degree cell k are cand[start[k]:start[k+1]]
	cand   []*Tile
}

// maxIndexCells caps the lookup index (a whole-world mosaic has 64,800
// one-degree cells).
const maxIndexCells = 361 * 181

// NewMosaic returns a mosaic of tiles (kept, not copied). It returns
// ErrNoTiles when there is none.
func NewMosaic(tiles ...*Tile) (*Mosaic, error) {
	if len(tiles) == 0 {
		return nil, ErrNoTiles
	}
	m := &Mosaic{tiles: slices.Clone(tiles), bound: tiles[0].bound}
	for _, t := range tiles[1:] {
		m.bound = m.bound.Union(t.bound)
	}
	if b := m.bound; !(b.Min[0] >= -181 && b.Max[0] <= 361 && b.Min[1] >= -91 && b.Max[1] <= 91) {
		return nil, fmt.Errorf("dem: mosaic bound %v is not a lon/lat area", m.bound)
	}
	m.x0, m.y0 = math.Floor(m.bound.Min[0]), math.Floor(m.bound.Min[1])
	m.nx = int(math.Floor(m.bound.Max[0])-m.x0) + 1
	m.ny = int(math.Floor(m.bound.Max[1])-m.y0) + 1
	if m.nx*m.ny > maxIndexCells || m.nx <= 0 || m.ny <= 0 {
		return nil, fmt.Errorf("dem: mosaic bound %v is not a lon/lat area", m.bound)
	}
	// Two passes over the tiles build the candidate lists in tile order.
	count := make([]int32, m.nx*m.ny+1)
	each := func(t *Tile, fn func(k int)) {
		x1, y1 := m.cell(t.bound.Min[0], t.bound.Min[1])
		x2, y2 := m.cell(t.bound.Max[0], t.bound.Max[1])
		for y := y1; y <= y2; y++ {
			for x := x1; x <= x2; x++ {
				fn(y*m.nx + x)
			}
		}
	}
	for _, t := range tiles {
		each(t, func(k int) { count[k+1]++ })
	}
	for k := 1; k < len(count); k++ {
		count[k] += count[k-1]
	}
	m.start = count
	m.cand = make([]*Tile, count[len(count)-1])
	fill := slices.Clone(count)
	for _, t := range tiles {
		each(t, func(k int) { m.cand[fill[k]] = t; fill[k]++ })
	}
	return m, nil
}

// cell returns the degree cell of a point inside m.bound.
func (m *Mosaic) cell(lon, lat float64) (x, y int) {
	x, y = int(lon-m.x0), int(lat-m.y0)
	return min(x, m.nx-1), min(y, m.ny-1)
}

// Tiles returns the mosaic's tiles in lookup order. The slice is a copy;
// the tiles are shared (they are immutable).
func (m *Mosaic) Tiles() []*Tile {
	if m == nil {
		return nil
	}
	return slices.Clone(m.tiles)
}

// Bound returns the union of the tiles' footprints. Points inside it may
// still fall in a gap between tiles: Elevation's ok flag tells.
func (m *Mosaic) Bound() orb.Bound {
	if m == nil {
		return orb.Bound{}
	}
	return m.bound
}

// Elevation returns the bilinear elevation at p in metres, and ok=false when
// p is outside every tile (or not a number). It does not allocate; the cost
// is a degree-cell lookup and one bilinear sample. A nil or zero Mosaic
// covers nothing.
func (m *Mosaic) Elevation(p orb.Point) (float64, bool) {
	lon, lat := p[0], p[1]
	if m == nil || m.start == nil || !(lon >= m.bound.Min[0] && lon <= m.bound.Max[0] && lat >= m.bound.Min[1] && lat <= m.bound.Max[1]) {
		return 0, false
	}
	x, y := m.cell(lon, lat)
	k := y*m.nx + x
	var edge *Tile
	for _, t := range m.cand[m.start[k]:m.start[k+1]] {
		if x, y := t.grid(lon, lat); t.inner(x, y) {
			return t.sampleGrid(x, y), true
		}
		b := &t.bound
		if edge == nil && lon >= b.Min[0] && lon <= b.Max[0] && lat >= b.Min[1] && lat <= b.Max[1] {
			edge = t
		}
	}
	if edge != nil {
		return edge.sample(lon, lat), true
	}
	return 0, false
}

// Covers reports whether the mosaic has an elevation at p; it is
// Elevation's ok flag.
func (m *Mosaic) Covers(p orb.Point) bool {
	_, ok := m.Elevation(p)
	return ok
}

// Open reads the elevation file or directory at path into a mosaic: an SRTM
// .hgt file, a zipped one (.hgt.zip or .zip), a GeoTIFF (.tif, .tiff), or a
// directory whose files with those extensions are stitched (not recursive,
// in name order). Errors from parsing are *data.ParseError naming the file.
func Open(path string) (*Mosaic, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return openFS(os.DirFS(path), path, ".")
	}
	return openFS(os.DirFS(filepath.Dir(path)), filepath.Dir(path), filepath.Base(path))
}

// OpenFS is Open on fsys: names are files or directories in fsys (no names
// means the directory "."). Files are read in the order given, directory
// entries in name order.
func OpenFS(fsys fs.FS, names ...string) (*Mosaic, error) {
	if len(names) == 0 {
		names = []string{"."}
	}
	return openFS(fsys, "", names...)
}

// openFS is OpenFS naming files dir/name in errors and Tile.Name, so Open
// reports the paths its caller gave.
func openFS(fsys fs.FS, dir string, names ...string) (*Mosaic, error) {
	var tiles []*Tile
	for _, name := range names {
		st, err := fs.Stat(fsys, name)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			ts, err := readFile(fsys, dir, name)
			if err != nil {
				return nil, err
			}
			tiles = append(tiles, ts...)
			continue
		}
		ents, err := fs.ReadDir(fsys, name)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if e.IsDir() || kind(e.Name()) == "" {
				continue
			}
			ts, err := readFile(fsys, dir, path.Join(name, e.Name()))
			if err != nil {
				return nil, err
			}
			tiles = append(tiles, ts...)
		}
	}
	if len(tiles) == 0 {
		shown := make([]string, len(names))
		for i, n := range names {
			shown[i] = display(dir, n)
		}
		return nil, fmt.Errorf("%w in %s", ErrNoTiles, strings.Join(shown, ", "))
	}
	return NewMosaic(tiles...)
}

// kind classifies a file name by extension: "hgt", "zip", "tiff" or "".
func kind(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".hgt"):
		return "hgt"
	case strings.HasSuffix(n, ".zip"):
		return "zip"
	case strings.HasSuffix(n, ".tif"), strings.HasSuffix(n, ".tiff"):
		return "tiff"
	}
	return ""
}

// display is the name of file name of fsys in messages: dir/name, or name
// when fsys has no known directory.
func display(dir, name string) string {
	if dir == "" {
		return name
	}
	return filepath.Join(dir, filepath.FromSlash(name))
}

// readFile reads one elevation file of fsys by its extension.
func readFile(fsys fs.FS, dir, name string) ([]*Tile, error) {
	shown := display(dir, name)
	k := kind(name)
	if k == "" {
		return nil, fmt.Errorf("%s: %w: not an elevation file (want .hgt, .hgt.zip, .tif or .tiff)", shown, ErrUnsupported)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if k == "hgt" {
		t, err := ReadHGT(shown, f)
		if err != nil {
			return nil, err
		}
		return []*Tile{t}, nil
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	ra, ok := f.(io.ReaderAt)
	if !ok {
		// Files of an fs.FS need not be seekable: read them whole.
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		ra, size = bytes.NewReader(b), int64(len(b))
	}
	if k == "zip" {
		return readHGTZip(shown, ra, size)
	}
	t, err := readGeoTIFF(shown, ra, size)
	if err != nil {
		return nil, err
	}
	return []*Tile{t}, nil
}
