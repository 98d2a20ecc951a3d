package dem

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lastmile-health/lastmile/data"
	"github.com/paulmach/orb"
)

// eps is the tolerance, in metres, for values that should be exact up to
// floating-point rounding of coordinates.
const eps = 1e-6

// hgtValue is the synthetic elevation of cell (c, r) used by the HGT tests:
// not linear, so bilinear sampling is really tested.
func hgtValue(c, r int) int16 {
	return int16((c*c/7+r*13+c*r/11)%3000 - 200)
}

// synthHGT returns an HGT file of side×side samples from hgtValue, with the
// cells in voids set to −32768.
func synthHGT(tb testing.TB, side int, voids ...[2]int) []byte {
	tb.Helper()
	b := make([]byte, 2*side*side)
	for r := 0; r < side; r++ {
		for c := 0; c < side; c++ {
			binary.BigEndian.PutUint16(b[2*(r*side+c):], uint16(hgtValue(c, r)))
		}
	}
	for _, v := range voids {
		binary.BigEndian.PutUint16(b[2*(v[1]*side+v[0]):], 0x8000)
	}
	return b
}

// bilinear is the textbook bilinear interpolation of the four corner values
// at fractions (ax, ay) from v00 towards v01 (east) and v10 (south).
func bilinear(v00, v01, v10, v11, ax, ay float64) float64 {
	return v00*(1-ax)*(1-ay) + v01*ax*(1-ay) + v10*(1-ax)*ay + v11*ax*ay
}

func TestReadHGT(t *testing.T) {
	for _, tc := range []struct {
		name       string
		side       int
		west, nrth float64
	}{
		{"N42E001.hgt", side3, 1, 43},
		{"dir/s01w078.hgt", side3, -78, 0},
		{"S10E179.SRTMGL1.hgt", side1, 179, -9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tile, err := ReadHGT(tc.name, bytes.NewReader(synthHGT(t, tc.side)))
			if err != nil {
				t.Fatal(err)
			}
			if c, r := tile.Size(); c != tc.side || r != tc.side {
				t.Fatalf("Size() = %d×%d, want %d×%d", c, r, tc.side, tc.side)
			}
			if got, want := tile.Centre(0, 0), (orb.Point{tc.west, tc.nrth}); got != want {
				t.Errorf("Centre(0, 0) = %v, want %v", got, want)
			}
			last := tc.side - 1
			if got := tile.Centre(last, last); math.Abs(got[0]-(tc.west+1)) > 1e-12 || math.Abs(got[1]-(tc.nrth-1)) > 1e-12 {
				t.Errorf("Centre(%d, %d) = %v, want %v", last, last, got, orb.Point{tc.west + 1, tc.nrth - 1})
			}
			wantB := orb.Bound{Min: orb.Point{tc.west, tc.nrth - 1}, Max: orb.Point{tc.west + 1, tc.nrth}}
			half := 0.5 / float64(last)
			if b := tile.Bound(); math.Abs(b.Min[0]-(wantB.Min[0]-half)) > 1e-12 || math.Abs(b.Max[1]-(wantB.Max[1]+half)) > 1e-12 {
				t.Errorf("Bound() = %v, want %v grown by %g", b, wantB, half)
			}
			for _, cr := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {17, 923}, {last, last}, {last, 0}, {0, last}, {600, 600}} {
				c, r := cr[0], cr[1]
				want := float64(hgtValue(c, r))
				if got := tile.At(c, r); got != want {
					t.Errorf("At(%d, %d) = %g, want %g", c, r, got, want)
				}
				if got, ok := tile.Elevation(tile.Centre(c, r)); !ok || math.Abs(got-want) > eps {
					t.Errorf("Elevation(Centre(%d, %d)) = %g, %v, want %g", c, r, got, ok, want)
				}
			}
			// Between cell centres.
			for _, f := range []struct {
				c, r   int
				ax, ay float64
			}{{10, 20, 0.5, 0.5}, {300, 5, 0.25, 0.75}, {last - 1, last - 1, 0.9, 0.1}, {0, 0, 0.3, 0}} {
				p := tile.Centre(f.c, f.r)
				p[0] += f.ax / float64(last)
				p[1] -= f.ay / float64(last)
				want := bilinear(float64(hgtValue(f.c, f.r)), float64(hgtValue(f.c+1, f.r)),
					float64(hgtValue(f.c, f.r+1)), float64(hgtValue(f.c+1, f.r+1)), f.ax, f.ay)
				if got, ok := tile.Elevation(p); !ok || math.Abs(got-want) > 1e-6 {
					t.Errorf("Elevation(%v) between (%d, %d) and the next = %g, %v, want %g", p, f.c, f.r, got, ok, want)
				}
			}
			for _, p := range []orb.Point{{tc.west - 0.01, tc.nrth - 0.5}, {tc.west + 0.5, tc.nrth + 0.01}, {math.NaN(), tc.nrth}} {
				if got, ok := tile.Elevation(p); ok {
					t.Errorf("Elevation(%v) = %g, true, want ok=false outside", p, got)
				}
			}
			if tile.Voids() != 0 {
				t.Errorf("Voids() = %d, want 0", tile.Voids())
			}
		})
	}
}

func TestReadHGTVoids(t *testing.T) {
	voids := [][2]int{{5, 5}, {0, 0}, {100, 100}, {101, 100}, {100, 101}, {101, 101}}
	tile, err := ReadHGT("N42E001.hgt", bytes.NewReader(synthHGT(t, side3, voids...)))
	if err != nil {
		t.Fatal(err)
	}
	if tile.Voids() != len(voids) {
		t.Errorf("Voids() = %d, want %d", tile.Voids(), len(voids))
	}
	// A lone void is the inverse-distance mean of its 8 neighbours.
	var sum, wsum float64
	for dr := -1; dr <= 1; dr++ {
		for dc := -1; dc <= 1; dc++ {
			if dr == 0 && dc == 0 {
				continue
			}
			w := 1.0
			if dr != 0 && dc != 0 {
				w = 1 / math.Sqrt2
			}
			sum += w * float64(hgtValue(5+dc, 5+dr))
			wsum += w
		}
	}
	if got, want := tile.At(5, 5), math.Round(sum/wsum); got != want {
		t.Errorf("At(5, 5) filled = %g, want %g", got, want)
	}
	// A 2×2 void: every filled value lies within its neighbours' range.
	lo, hi := math.Inf(1), math.Inf(-1)
	for r := 99; r <= 102; r++ {
		for c := 99; c <= 102; c++ {
			if r >= 100 && r <= 101 && c >= 100 && c <= 101 {
				continue
			}
			v := float64(hgtValue(c, r))
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	for _, v := range voids[2:] {
		if got := tile.At(v[0], v[1]); got < lo || got > hi {
			t.Errorf("At(%d, %d) filled = %g, want within [%g, %g]", v[0], v[1], got, lo, hi)
		}
	}
}

func TestReadHGTErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"short", "N42E001.hgt", make([]byte, 1000), "1000 bytes, want 2884802 (1201×1201, 3″) or 25934402"},
		{"empty", "N42E001.hgt", nil, "0 bytes"},
		{"one extra", "N42E001.hgt", make([]byte, 2*side3*side3+1), "2884803 bytes"},
		{"bad name", "tile.hgt", make([]byte, 2*side3*side3), `file name "tile.hgt" does not start like N42E001`},
		{"bad hemisphere", "X42E001.hgt", nil, "does not start like"},
		{"latitude 90", "N90E001.hgt", nil, "does not start like"},
		{"longitude 180", "N10E180.hgt", nil, "does not start like"},
		{"all void", "N42E001.hgt", bytes.Repeat([]byte{0x80, 0}, side3*side3), "every cell is void"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadHGT(tc.file, bytes.NewReader(tc.data))
			if err == nil {
				t.Fatalf("ReadHGT(%s) = nil error, want %q", tc.file, tc.want)
			}
			var pe *data.ParseError
			if !errors.As(err, &pe) || pe.File != tc.file || !errors.Is(err, data.ErrFormat) {
				t.Errorf("ReadHGT(%s) error %#v: want *data.ParseError for the file wrapping data.ErrFormat", tc.file, err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
				t.Errorf("ReadHGT(%s) error %q, want it to name the file and contain %q", tc.file, err, tc.want)
			}
		})
	}
}

// zipOf returns a zip archive holding the given files.
func zipOf(tb testing.TB, files map[string][]byte, order ...string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range order {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(files[name]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestOpenFSZip(t *testing.T) {
	raw := synthHGT(t, side3, [2]int{3, 4})
	fsys := fstest.MapFS{
		"N42E001.hgt.zip":  {Data: zipOf(t, map[string][]byte{"N42E001.hgt": raw}, "N42E001.hgt")},
		"N10E010.zip":      {Data: zipOf(t, map[string][]byte{"data.hgt": raw, "README.txt": []byte("hi")}, "README.txt", "data.hgt")},
		"bad/N42E001.zip":  {Data: zipOf(t, map[string][]byte{"N42E001.hgt": raw[:100]}, "N42E001.hgt")},
		"bad/none.zip":     {Data: zipOf(t, map[string][]byte{"x.txt": nil}, "x.txt")},
		"bad/garbage.zip":  {Data: []byte("PK not really")},
		"dir/N42E002.hgt":  {Data: synthHGT(t, side3)},
		"dir/notes.txt":    {Data: []byte("ignored")},
		"dir/N42E001.hgt":  {Data: raw},
		"empty/readme.txt": {Data: []byte("x")},
	}
	t.Run("zip", func(t *testing.T) {
		m, err := OpenFS(fsys, "N42E001.hgt.zip")
		if err != nil {
			t.Fatal(err)
		}
		tiles := m.Tiles()
		if len(tiles) != 1 || tiles[0].Voids() != 1 || tiles[0].Name() != "N42E001.hgt.zip" {
			t.Fatalf("tiles = %d, first %q with %d voids, want one N42E001.hgt.zip with 1 void", len(tiles), tiles[0].Name(), tiles[0].Voids())
		}
		p := tiles[0].Centre(7, 9)
		if got, ok := m.Elevation(p); !ok || got != float64(hgtValue(7, 9)) {
			t.Errorf("Elevation(%v) = %g, %v, want %d", p, got, ok, hgtValue(7, 9))
		}
	})
	t.Run("origin from the zip name", func(t *testing.T) {
		m, err := OpenFS(fsys, "N10E010.zip")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := m.Tiles()[0].Centre(0, 0), (orb.Point{10, 11}); got != want {
			t.Errorf("Centre(0, 0) = %v, want %v", got, want)
		}
	})
	t.Run("directory", func(t *testing.T) {
		m, err := OpenFS(fsys, "dir")
		if err != nil {
			t.Fatal(err)
		}
		if n := len(m.Tiles()); n != 2 {
			t.Fatalf("%d tiles, want 2", n)
		}
		if got, want := m.Bound(), (orb.Bound{Min: orb.Point{1 - 0.5/1200, 42 - 0.5/1200}, Max: orb.Point{3 + 0.5/1200, 43 + 0.5/1200}}); !boundNear(got, want) {
			t.Errorf("Bound() = %v, want %v", got, want)
		}
	})
	for _, tc := range []struct{ name, want string }{
		{"bad/N42E001.zip", "100 bytes"},
		{"bad/none.zip", "no .hgt file inside"},
		{"bad/garbage.zip", "bad/garbage.zip"},
		{"empty", "no elevation tiles"},
		{"dir/notes.txt", "not an elevation file"},
		{"missing.hgt", "not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := OpenFS(fsys, tc.name)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("OpenFS(%s) error = %v, want one containing %q", tc.name, err, tc.want)
			}
		})
	}
}

func boundNear(a, b orb.Bound) bool {
	const e = 1e-9
	return math.Abs(a.Min[0]-b.Min[0]) < e && math.Abs(a.Min[1]-b.Min[1]) < e &&
		math.Abs(a.Max[0]-b.Max[0]) < e && math.Abs(a.Max[1]-b.Max[1]) < e
}

func TestWriteHGTRoundTrip(t *testing.T) {
	for _, side := range []int{side3, side1} {
		vals := make([]float32, side*side)
		for i := range vals {
			vals[i] = float32(hgtValue(i%side, i/side)) + 0.3
		}
		vals[side+1] = float32(math.NaN())
		vals[0] = 40000 // clamped
		tile := NewTile(orb.Point{-72, -13}, side, side, 1/float64(side-1), vals)
		name, err := tile.HGTName()
		if err != nil {
			t.Fatal(err)
		}
		if name != "S14W072.hgt" {
			t.Errorf("HGTName() = %q, want S14W072.hgt", name)
		}
		var buf bytes.Buffer
		if err := WriteHGT(&buf, tile); err != nil {
			t.Fatal(err)
		}
		back, err := ReadHGT(name, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if back.Voids() != 0 || back.Centre(0, 0) != tile.Centre(0, 0) {
			t.Errorf("read back: %d voids, NW centre %v, want 0 voids at %v", back.Voids(), back.Centre(0, 0), tile.Centre(0, 0))
		}
		for _, cr := range [][2]int{{0, 0}, {1, 1}, {5, 3}, {side - 1, side - 1}} {
			want := math.Max(-32767, math.Min(32767, math.Round(tile.At(cr[0], cr[1]))))
			if got := back.At(cr[0], cr[1]); got != want {
				t.Errorf("side %d: At(%d, %d) after round trip = %g, want %g", side, cr[0], cr[1], got, want)
			}
		}
	}
}

func TestWriteHGTNotSRTM(t *testing.T) {
	for _, tc := range []struct {
		name string
		tile *Tile
	}{
		{"small", NewTile(orb.Point{1, 43}, 3, 3, 0.5, make([]float32, 9))},
		{"off-degree", NewTile(orb.Point{1.5, 43}, side3, side3, 1.0/1200, make([]float32, side3*side3))},
		{"cell", NewTile(orb.Point{1, 43}, side3, side3, 1.0/1000, make([]float32, side3*side3))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := WriteHGT(&bytes.Buffer{}, tc.tile); err == nil || !strings.Contains(err.Error(), "not an SRTM tile") {
				t.Errorf("WriteHGT = %v, want not an SRTM tile", err)
			}
			if _, err := tc.tile.HGTName(); err == nil {
				t.Error("HGTName() = nil error, want one")
			}
		})
	}
}
