package dem

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/lastmile-health/lastmile/data"
)

// SRTM grid sides: 3 arc-second tiles have 1201 × 1201 samples, 1
// arc-second tiles 3601 × 3601; both cover one degree with the outer rows and
// columns shared with the neighbouring tiles.
const (
	side3 = 1201
	side1 = 3601
)

// hgtVoid is SRTM's void value.
const hgtVoid = -32768

// hgtSide returns the grid side of an HGT file of n bytes, or 0.
func hgtSide(n int64) int {
	switch n {
	case side3 * side3 * 2:
		return side3
	case side1 * side1 * 2:
		return side1
	}
	return 0
}

func errHGTSize(n int64) error {
	return fmt.Errorf("%w: %d bytes, want %d (1201×1201, 3″) or %d (3601×3601, 1″) big-endian int16",
		data.ErrFormat, n, side3*side3*2, side1*side1*2)
}

// ReadHGT reads an SRTM .hgt tile: a square grid of big-endian int16 metres,
// 1201 × 1201 (3″) or 3601 × 3601 (1″) samples, north row first. The
// lower-left corner comes from name's base name (like "N42E001.hgt" or
// "dir/s01w078.hgt": latitude 42 N, longitude 1 E); samples sit on whole
// multiples of the cell size, so the first row is exactly on the northern
// edge. Voids (−32768) are filled from their neighbours. Errors are
// *data.ParseError naming name and wrapping data.ErrFormat for a bad name or
// size.
func ReadHGT(name string, r io.Reader) (*Tile, error) {
	west, south, err := parseHGTName(name)
	if err != nil {
		return nil, parseErr(name, "", err)
	}
	buf, err := io.ReadAll(io.LimitReader(r, side1*side1*2+1))
	if err != nil {
		return nil, parseErr(name, "", err)
	}
	side := hgtSide(int64(len(buf)))
	if side == 0 {
		return nil, parseErr(name, "", errHGTSize(int64(len(buf))))
	}
	return decodeHGT(name, west, south, buf, side)
}

func decodeHGT(name string, west, south int, buf []byte, side int) (*Tile, error) {
	cell := 1 / float64(side-1)
	t := newTile(name, float64(west), float64(south+1), cell, cell, side, side)
	t.ilon, t.ilat = float64(side-1), float64(side-1) // exact, unlike 1/cell
	v16 := make([]int16, side*side)
	voids := 0
	for i := range v16 {
		v16[i] = int16(binary.BigEndian.Uint16(buf[2*i:]))
		if v16[i] == hgtVoid {
			voids++
		}
	}
	if voids == 0 {
		// Most tiles: no float copy, half the peak memory.
		t.i16 = v16
		return t, nil
	}
	v := make([]float32, side*side)
	nan := float32(math.NaN())
	for i, s := range v16 {
		if s == hgtVoid {
			v[i] = nan
		} else {
			v[i] = float32(s)
		}
	}
	n, err := fillVoids(v, side, side)
	if err != nil {
		return nil, parseErr(name, "", fmt.Errorf("%w: %v", data.ErrFormat, err))
	}
	t.voids = n
	for i, x := range v {
		v16[i] = int16(math.Round(float64(x)))
	}
	t.i16 = v16
	return t, nil
}

// parseHGTName reads the lower-left corner from an SRTM file name like
// N42E001.hgt (case-insensitive; anything after the first 7 characters of
// the base name is ignored, as in N42E001.SRTMGL1.hgt.zip).
func parseHGTName(name string) (west, south int, err error) {
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	bad := fmt.Errorf("%w: file name %q does not start like N42E001 (latitude, longitude of the lower-left corner)", data.ErrFormat, base)
	if len(base) < 7 {
		return 0, 0, bad
	}
	num := func(s string) (int, bool) {
		n := 0
		for _, c := range []byte(s) {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	lat, ok1 := num(base[1:3])
	lon, ok2 := num(base[4:7])
	if !ok1 || !ok2 {
		return 0, 0, bad
	}
	switch base[0] {
	case 'N', 'n':
	case 'S', 's':
		lat = -lat
	default:
		return 0, 0, bad
	}
	switch base[3] {
	case 'E', 'e':
	case 'W', 'w':
		lon = -lon
	default:
		return 0, 0, bad
	}
	if lat < -90 || lat >= 90 || lon < -180 || lon >= 180 {
		return 0, 0, bad
	}
	return lon, lat, nil
}

// readHGTZip reads every .hgt member of a zip archive (SRTM tiles are
// distributed as N42E001.hgt.zip holding N42E001.hgt). The origin comes
// from the member's name, or from the archive's name when the member's does
// not parse.
func readHGTZip(name string, r io.ReaderAt, size int64) ([]*Tile, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, parseErr(name, "", fmt.Errorf("%w: %v", data.ErrFormat, err))
	}
	var tiles []*Tile
	for _, f := range zr.File {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".hgt") {
			continue
		}
		if f.UncompressedSize64 > side1*side1*2 || hgtSide(int64(f.UncompressedSize64)) == 0 {
			return nil, parseErr(name, f.Name, errHGTSize(int64(min(f.UncompressedSize64, math.MaxInt64))))
		}
		tn := f.Name
		west, south, err := parseHGTName(tn)
		if err != nil {
			if west, south, err = parseHGTName(name); err != nil {
				return nil, parseErr(name, f.Name, err)
			}
		}
		rc, err := f.Open()
		if err != nil {
			return nil, parseErr(name, f.Name, fmt.Errorf("%w: %v", data.ErrFormat, err))
		}
		// The size was checked above, so the buffer is at most 26 MB; a
		// lying header makes ReadFull stop short or the checksum fail.
		buf := make([]byte, f.UncompressedSize64)
		n, err := io.ReadFull(rc, buf)
		if err == nil {
			// Read to EOF so archive/zip verifies the CRC.
			var one [1]byte
			var k int
			k, err = rc.Read(one[:])
			if k > 0 {
				err = errHGTSize(int64(n + k))
			} else if err == io.EOF {
				err = nil
			}
		}
		rc.Close()
		buf = buf[:n]
		if err != nil {
			if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = fmt.Errorf("%w: %v", data.ErrFormat, err)
			}
			return nil, parseErr(name, f.Name, err)
		}
		side := hgtSide(int64(len(buf)))
		if side == 0 {
			return nil, parseErr(name, f.Name, errHGTSize(int64(len(buf))))
		}
		t, err := decodeHGT(name, west, south, buf, side)
		if err != nil {
			return nil, parseErr(name, f.Name, errors.Unwrap(err))
		}
		tiles = append(tiles, t)
	}
	if len(tiles) == 0 {
		return nil, parseErr(name, "", fmt.Errorf("%w: no .hgt file inside the zip archive", data.ErrFormat))
	}
	return tiles, nil
}

// hgtShape reports the side of t when it is laid out like an SRTM tile:
// square, 1201 or 3601 samples a side spanning one degree, the north-west
// sample on whole degrees. It returns 0 otherwise.
func (t *Tile) hgtShape() int {
	const eps = 1e-9
	side := t.cols
	if t.rows != side || (side != side3 && side != side1) {
		return 0
	}
	span := float64(side - 1)
	if math.Abs(t.dlon*span-1) > eps || math.Abs(t.dlat*span-1) > eps ||
		math.Abs(t.lon0-math.Round(t.lon0)) > eps || math.Abs(t.lat0-math.Round(t.lat0)) > eps ||
		t.lon0 < -180 || t.lon0 > 179+eps || t.lat0 < -89-eps || t.lat0 > 90+eps {
		return 0
	}
	return side
}

// HGTName returns the SRTM file name of t, like "N42E001.hgt" (the
// lower-left corner), or an error when t is not laid out like an SRTM tile
// (see WriteHGT).
func (t *Tile) HGTName() (string, error) {
	if t.hgtShape() == 0 {
		return "", t.errNotHGT()
	}
	lat := int(math.Round(t.lat0)) - 1
	lon := int(math.Round(t.lon0))
	ns, ew := 'N', 'E'
	if lat < 0 {
		ns, lat = 'S', -lat
	}
	if lon < 0 {
		ew, lon = 'W', -lon
	}
	return fmt.Sprintf("%c%02d%c%03d.hgt", ns, lat, ew, lon), nil
}

func (t *Tile) errNotHGT() error {
	return fmt.Errorf("dem: tile of %d×%d cells of %g°×%g° at %g, %g is not an SRTM tile: want 1201×1201 cells of 1/1200° or 3601×3601 of 1/3600°, north-west sample on whole degrees",
		t.cols, t.rows, t.dlon, t.dlat, t.lon0, t.lat0)
}

// WriteHGT writes t as an SRTM .hgt file: big-endian int16 metres, north row
// first, values rounded to whole metres and clamped to ±32767 (so no value
// reads back as void). t must be laid out like an SRTM tile (1201×1201 cells
// of 1/1200°, or 3601×3601 of 1/3600°, the north-west sample on whole
// degrees); name the file with t.HGTName so ReadHGT finds the origin.
func WriteHGT(w io.Writer, t *Tile) error {
	side := t.hgtShape()
	if side == 0 {
		return t.errNotHGT()
	}
	row := make([]byte, 2*side)
	for r := 0; r < side; r++ {
		for c := 0; c < side; c++ {
			x := math.Round(t.at(r*side + c))
			x = max(-32767, min(32767, x))
			binary.BigEndian.PutUint16(row[2*c:], uint16(int16(x)))
		}
		if _, err := w.Write(row); err != nil {
			return err
		}
	}
	return nil
}
