package dem

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzReadHGT feeds arbitrary bytes to ReadHGT as they are and as a zip
// archive, and fills the voids (−32768) of a small grid made of them: no
// void may be left and every filled value must lie within the range of the
// valid ones (it is a weighted mean). A whole 1201² tile per input would be
// too slow to fuzz; TestReadHGT* cover that size.
func FuzzReadHGT(f *testing.F) {
	f.Add("N42E001.hgt", []byte{0x01, 0x02, 0x80, 0x00})
	f.Add("S01W078.hgt", []byte{0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x12, 0x34})
	f.Add("n00e000.hgt.zip", zipOf(f, map[string][]byte{"N00E000.hgt": {1, 2, 3}}, "N00E000.hgt"))
	f.Add("N89W180.hgt", bytes.Repeat([]byte{0x7f, 0xff, 0x80, 0x01}, 100))
	f.Add("N00E000.hgt", append([]byte{7}, bytes.Repeat([]byte{0x80, 0x00}, 99)...))
	f.Fuzz(func(t *testing.T, name string, b []byte) {
		if tile, err := ReadHGT(name, bytes.NewReader(b)); err == nil {
			checkTile(t, tile)
		}
		if tiles, err := readHGTZip(name, bytes.NewReader(b), int64(len(b))); err == nil {
			for _, tile := range tiles {
				checkTile(t, tile)
			}
		}
		if len(b) < 3 {
			return
		}
		cols := 1 + int(b[0])%40
		b = b[1:]
		rows := len(b) / 2 / cols
		if rows == 0 {
			return
		}
		v := make([]float32, cols*rows)
		lo, hi, voids := math.Inf(1), math.Inf(-1), 0
		for i := range v {
			s := int16(binary.BigEndian.Uint16(b[2*i:]))
			if s == hgtVoid {
				v[i] = float32(math.NaN())
				voids++
				continue
			}
			v[i] = float32(s)
			lo, hi = min(lo, float64(s)), max(hi, float64(s))
		}
		n, err := fillVoids(v, cols, rows)
		if voids == len(v) {
			if err == nil {
				t.Fatal("all-void grid filled without error")
			}
			return
		}
		if err != nil || n != voids {
			t.Fatalf("fillVoids = %d, %v, want %d voids filled", n, err, voids)
		}
		for i, x := range v {
			if !(float64(x) >= lo-1e-3 && float64(x) <= hi+1e-3) {
				t.Fatalf("cell %d = %g outside the valid range %g..%g", i, x, lo, hi)
			}
		}
	})
}

// FuzzReadGeoTIFF feeds arbitrary bytes, seeded with the GDAL fixtures, to
// ReadGeoTIFF: it must return an error or a sane tile, never panic, and
// allocate no more than the caps allow.
func FuzzReadGeoTIFF(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.tif")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(buildTIFF(binary.BigEndian, 2, 2, float32Pix(binary.BigEndian, 1, float32(math.NaN()), 3, 4),
		tiffTag{tagBitsPerSample, []uint16{32}}, tiffTag{tagSampleFormat, []uint16{3}}, wgs84Keys,
		tiffTag{tagTransformation, []float64{1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		tile, err := ReadGeoTIFF(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		checkTile(t, tile)
	})
}

// checkTile asserts the invariants of every tile: finite values, a bound
// holding every cell centre, and the stored value at each sampled centre.
func checkTile(t *testing.T, tile *Tile) {
	t.Helper()
	cols, rows := tile.Size()
	if cols < 1 || rows < 1 {
		t.Fatalf("Size() = %d×%d", cols, rows)
	}
	b := tile.Bound()
	for _, cr := range [][2]int{{0, 0}, {cols - 1, rows - 1}, {cols / 2, rows / 2}} {
		v := tile.At(cr[0], cr[1])
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("At(%d, %d) = %g", cr[0], cr[1], v)
		}
		p := tile.Centre(cr[0], cr[1])
		if !b.Contains(p) {
			t.Fatalf("Bound() %v does not contain Centre(%d, %d) = %v", b, cr[0], cr[1], p)
		}
		if got, ok := tile.Elevation(p); !ok || math.IsNaN(got) {
			t.Fatalf("Elevation(Centre(%d, %d)) = %g, %v", cr[0], cr[1], got, ok)
		}
	}
	if _, ok := tile.Elevation(orb.Point{b.Max[0] + 1, b.Max[1] + 1}); ok {
		t.Fatal("Elevation outside the bound ok")
	}
}
