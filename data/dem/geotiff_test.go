package dem

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/paulmach/orb"
)

// The GeoTIFF fixtures in testdata are written by GDAL (make_fixtures.sh):
// 20 × 15 pixels of 0.01°, the north-west pixel's corner at 10° E, 5° N.
const (
	fixCols, fixRows = 20, 15
	fixCell          = 0.01
	fixLon0, fixLat0 = 10.005, 4.995 // centre of pixel (0, 0)
)

// fixValue is the value make_fixtures.sh writes at pixel (c, r), before
// its scale.
func fixValue(c, r int) float64 { return float64(100 + 3*c + 7*r + (c*r)%5) }

// fixVoid reports whether make_fixtures.sh writes nodata at (c, r) in the
// nodata fixture.
func fixVoid(c, r int) bool { return (c+2*r)%9 == 4 }

func TestReadGeoTIFFFixtures(t *testing.T) {
	for _, tc := range []struct {
		file   string
		scale  float64
		max    float64 // clamp of the type, 0 for none
		voids  bool
		intMem bool // stored as int16
	}{
		{file: "int16_strip.tif", scale: 1, intMem: true},
		{file: "float32_tiled_deflate.tif", scale: 0.25},
		{file: "int16_lzw_pred.tif", scale: 1, intMem: true},
		{file: "int16_nodata.tif", scale: 1, voids: true, intMem: true},
		{file: "float32_pred3.tif", scale: 0.25},
		{file: "int16_point.tif", scale: 1, intMem: true},
		{file: "uint16_packbits.tif", scale: 1},
		{file: "int32_be_lzw_tiled.tif", scale: 1},
		{file: "float64_deflate_pred2.tif", scale: 0.25},
		{file: "uint8_tiled.tif", scale: 1, max: 255, intMem: true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				t.Fatal(err)
			}
			tile, err := ReadGeoTIFF(f, st.Size())
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(tile.Name(), tc.file) {
				t.Errorf("Name() = %q, want the file name", tile.Name())
			}
			if c, r := tile.Size(); c != fixCols || r != fixRows {
				t.Fatalf("Size() = %d×%d, want %d×%d", c, r, fixCols, fixRows)
			}
			if dx, dy := tile.CellSize(); math.Abs(dx-fixCell) > 1e-12 || math.Abs(dy-fixCell) > 1e-12 {
				t.Errorf("CellSize() = %g, %g, want %g", dx, dy, fixCell)
			}
			if p := tile.Centre(0, 0); math.Abs(p[0]-fixLon0) > 1e-9 || math.Abs(p[1]-fixLat0) > 1e-9 {
				t.Errorf("Centre(0, 0) = %v, want [%g %g]", p, fixLon0, fixLat0)
			}
			want := orb.Bound{Min: orb.Point{10, 4.85}, Max: orb.Point{10.2, 5}}
			if b := tile.Bound(); !boundNear(b, want) {
				t.Errorf("Bound() = %v, want %v", b, want)
			}
			if got := tile.i16 != nil; got != tc.intMem {
				t.Errorf("stored as int16 = %v, want %v", got, tc.intMem)
			}
			value := func(c, r int) float64 {
				v := fixValue(c, r) * tc.scale
				if tc.max > 0 {
					v = min(v, tc.max)
				}
				return v
			}
			voids := 0
			for r := 0; r < fixRows; r++ {
				for c := 0; c < fixCols; c++ {
					if tc.voids && fixVoid(c, r) {
						voids++
						continue
					}
					if got, want := tile.At(c, r), value(c, r); got != want {
						t.Errorf("At(%d, %d) = %g, want %g", c, r, got, want)
					}
					p := orb.Point{fixLon0 + float64(c)*fixCell, fixLat0 - float64(r)*fixCell}
					if got, ok := tile.Elevation(p); !ok || got != value(c, r) {
						t.Errorf("Elevation(%v) = %g, %v, want %g", p, got, ok, value(c, r))
					}
				}
			}
			if tile.Voids() != voids {
				t.Errorf("Voids() = %d, want %d", tile.Voids(), voids)
			}
			// Bilinear between centres away from voids.
			for _, b := range []struct {
				c, r   int
				ax, ay float64
			}{{0, 0, 0.5, 0.5}, {5, 1, 0.25, 0.1}, {17, 12, 0.9, 0.7}, {10, 14, 0.3, 0}} {
				if tc.voids && (fixVoid(b.c, b.r) || fixVoid(b.c+1, b.r) || fixVoid(b.c, b.r+1) || fixVoid(b.c+1, b.r+1)) {
					continue
				}
				p := orb.Point{fixLon0 + (float64(b.c)+b.ax)*fixCell, fixLat0 - (float64(b.r)+b.ay)*fixCell}
				r1 := min(b.r+1, fixRows-1)
				want := bilinear(value(b.c, b.r), value(b.c+1, b.r), value(b.c, r1), value(b.c+1, r1), b.ax, b.ay)
				if got, ok := tile.Elevation(p); !ok || math.Abs(got-want) > 1e-6 {
					t.Errorf("Elevation(%v) = %g, %v, want %g", p, got, ok, want)
				}
			}
			// In the outer half pixel, the edge value; beyond, nothing.
			if got, ok := tile.Elevation(orb.Point{10.001, 4.999}); !ok || got != value(0, 0) {
				t.Errorf("Elevation in the NW half pixel = %g, %v, want %g", got, ok, value(0, 0))
			}
			if _, ok := tile.Elevation(orb.Point{9.999, 4.9}); ok {
				t.Error("Elevation west of the raster ok")
			}
		})
	}
}

func TestReadGeoTIFFUnsupported(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"utm31n.tif", "projected CRS EPSG:32631"},
		{"nad83.tif", "geographic CRS EPSG:4269"},
		{"bigtiff.tif", "BigTIFF"},
		{"int16_zstd.tif", "compression 50000 (ZSTD)"},
		{"two_bands.tif", "2 bands, want 1"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := OpenFS(os.DirFS("testdata"), tc.file)
			var pe *data.ParseError
			if !errors.Is(err, ErrUnsupported) || !errors.As(err, &pe) || pe.File != tc.file {
				t.Fatalf("OpenFS(%s) error = %v, want a *data.ParseError naming the file, wrapping ErrUnsupported", tc.file, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("OpenFS(%s) error = %q, want it to contain %q", tc.file, err, tc.want)
			}
		})
	}
}

func TestOpenFSGeoTIFFMosaic(t *testing.T) {
	m, err := OpenFS(os.DirFS("testdata"), "int16_strip.tif", "float32_tiled_deflate.tif")
	if err != nil {
		t.Fatal(err)
	}
	// The first tile wins where both cover.
	if got, ok := m.Elevation(orb.Point{fixLon0, fixLat0}); !ok || got != fixValue(0, 0) {
		t.Errorf("Elevation = %g, %v, want %g", got, ok, fixValue(0, 0))
	}
}

// byteOrder is what buildTIFF needs of binary.LittleEndian or BigEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tiffTag is one IFD entry for buildTIFF: vals is []uint16, []uint32,
// []float64 or string.
type tiffTag struct {
	tag  uint16
	vals any
}

// buildTIFF writes a one-strip TIFF holding pix (w × h samples already in
// byte order bo) with the given tags plus the image and strip tags.
func buildTIFF(bo byteOrder, w, h int, pix []byte, tags ...tiffTag) []byte {
	tags = append(slices.Clone(tags),
		tiffTag{tagImageWidth, []uint32{uint32(w)}},
		tiffTag{tagImageLength, []uint32{uint32(h)}},
		tiffTag{tagStripOffsets, []uint32{8}},
		tiffTag{tagStripByteCounts, []uint32{uint32(len(pix))}},
	)
	slices.SortStableFunc(tags, func(a, b tiffTag) int { return int(a.tag) - int(b.tag) })
	var out []byte
	if bo == binary.BigEndian {
		out = append(out, "MM\x00\x2a"...)
	} else {
		out = append(out, "II\x2a\x00"...)
	}
	ifd := 8 + len(pix)
	out = bo.AppendUint32(out, uint32(ifd))
	out = append(out, pix...)
	extra := ifd + 2 + 12*len(tags) + 4
	var tail []byte
	out = bo.AppendUint16(out, uint16(len(tags)))
	for _, tg := range tags {
		var typ uint16
		var b []byte
		var n int
		switch v := tg.vals.(type) {
		case []uint16:
			typ, n = 3, len(v)
			for _, x := range v {
				b = bo.AppendUint16(b, x)
			}
		case []uint32:
			typ, n = 4, len(v)
			for _, x := range v {
				b = bo.AppendUint32(b, x)
			}
		case []float64:
			typ, n = 12, len(v)
			for _, x := range v {
				b = bo.AppendUint64(b, math.Float64bits(x))
			}
		case string:
			typ, n = 2, len(v)+1
			b = append([]byte(v), 0)
		}
		out = bo.AppendUint16(out, tg.tag)
		out = bo.AppendUint16(out, typ)
		out = bo.AppendUint32(out, uint32(n))
		if len(b) <= 4 {
			out = append(out, append(b, make([]byte, 4-len(b))...)...)
		} else {
			out = bo.AppendUint32(out, uint32(extra+len(tail)))
			tail = append(tail, b...)
		}
	}
	out = bo.AppendUint32(out, 0)
	return append(out, tail...)
}

// wgs84Keys is a GeoKeyDirectory for EPSG:4326, PixelIsArea.
var wgs84Keys = tiffTag{tagGeoKeys, []uint16{1, 1, 0, 3, keyModelType, 0, 1, modelGeographic, keyRasterType, 0, 1, 1, keyGeographic, 0, 1, epsgWGS84}}

// float32Pix encodes values as float32 samples in bo.
func float32Pix(bo byteOrder, vals ...float32) []byte {
	var b []byte
	for _, v := range vals {
		b = bo.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

func TestReadGeoTIFFBuilt(t *testing.T) {
	nan := float32(math.NaN())
	for _, bo := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		float32Tags := []tiffTag{{tagBitsPerSample, []uint16{32}}, {tagSampleFormat, []uint16{3}}, wgs84Keys}
		t.Run(bo.String()+"/transformation", func(t *testing.T) {
			// 3 × 2 pixels of 0.5° × 0.25°, corner at -70 E, -10 N.
			tm := []float64{0.5, 0, 0, -70, 0, -0.25, 0, -10, 0, 0, 0, 0, 0, 0, 0, 1}
			b := buildTIFF(bo, 3, 2, float32Pix(bo, 1, 2, 3, 4, 5, 6), append(float32Tags, tiffTag{tagTransformation, tm})...)
			tile, err := ReadGeoTIFF(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if p := tile.Centre(0, 0); p != (orb.Point{-69.75, -10.125}) {
				t.Errorf("Centre(0, 0) = %v, want [-69.75 -10.125]", p)
			}
			for _, tc := range []struct {
				p    orb.Point
				want float64
			}{{orb.Point{-68.75, -10.375}, 6}, {orb.Point{-69.5, -10.25}, 3}, {orb.Point{-69.99, -10.01}, 1}} {
				if got, ok := tile.Elevation(tc.p); !ok || math.Abs(got-tc.want) > eps {
					t.Errorf("Elevation(%v) = %g, %v, want %g", tc.p, got, ok, tc.want)
				}
			}
		})
		t.Run(bo.String()+"/tie point inside, pixel is point", func(t *testing.T) {
			// Raster point (1, 2) is at 20 E, 30 N; pixels are 0.5° with
			// values on the raster points (PixelIsPoint).
			keys := tiffTag{tagGeoKeys, []uint16{1, 1, 0, 3, keyModelType, 0, 1, modelGeographic, keyRasterType, 0, 1, rasterIsPoint, keyGeographic, 0, 1, epsgWGS84}}
			b := buildTIFF(bo, 3, 3, float32Pix(bo, 1, 2, 3, 4, 5, 6, 7, 8, 9), tiffTag{tagBitsPerSample, []uint16{32}}, tiffTag{tagSampleFormat, []uint16{3}}, keys,
				tiffTag{tagPixelScale, []float64{0.5, 0.5, 0}}, tiffTag{tagTiepoint, []float64{1, 2, 0, 20, 30, 0}})
			tile, err := ReadGeoTIFF(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if p := tile.Centre(0, 0); p != (orb.Point{19.5, 31}) {
				t.Errorf("Centre(0, 0) = %v, want [19.5 31]", p)
			}
			if got, ok := tile.Elevation(orb.Point{20, 30}); !ok || got != 8 {
				t.Errorf("Elevation at the tie point = %g, %v, want 8", got, ok)
			}
		})
		t.Run(bo.String()+"/nan voids", func(t *testing.T) {
			tags := append(float32Tags, tiffTag{tagPixelScale, []float64{1, 1, 0}}, tiffTag{tagTiepoint, []float64{0, 0, 0, 0, 3, 0}})
			b := buildTIFF(bo, 3, 3, float32Pix(bo, 1, 1, 1, 1, nan, 1, 1, 1, nan), tags...)
			tile, err := ReadGeoTIFF(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if tile.Voids() != 2 || tile.At(1, 1) != 1 || tile.At(2, 2) != 1 {
				t.Errorf("Voids() = %d, At(1, 1) = %g, At(2, 2) = %g, want 2, 1, 1", tile.Voids(), tile.At(1, 1), tile.At(2, 2))
			}
		})
		t.Run(bo.String()+"/nodata", func(t *testing.T) {
			tags := append(float32Tags, tiffTag{tagPixelScale, []float64{1, 1, 0}}, tiffTag{tagTiepoint, []float64{0, 0, 0, 0, 3, 0}},
				tiffTag{tagGDALNoData, "-9999.9"})
			b := buildTIFF(bo, 2, 2, float32Pix(bo, 1, -9999.9, 3, 5), tags...)
			tile, err := ReadGeoTIFF(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if tile.Voids() != 1 || tile.At(1, 0) < 1 || tile.At(1, 0) > 5 {
				t.Errorf("Voids() = %d, At(1, 0) = %g, want 1 void filled within 1..5", tile.Voids(), tile.At(1, 0))
			}
		})
	}
	pix := float32Pix(binary.LittleEndian, 1, 2, 3, 4)
	geo := []tiffTag{{tagBitsPerSample, []uint16{32}}, {tagSampleFormat, []uint16{3}}, {tagPixelScale, []float64{1, 1, 0}}, {tagTiepoint, []float64{0, 0, 0, 0, 3, 0}}}
	for _, tc := range []struct {
		name string
		b    []byte
		is   error
		want string
	}{
		{"no georeferencing", buildTIFF(binary.LittleEndian, 2, 2, pix, wgs84Keys, tiffTag{tagBitsPerSample, []uint16{32}}, tiffTag{tagSampleFormat, []uint16{3}}), data.ErrFormat, "no georeferencing"},
		{"no CRS", buildTIFF(binary.LittleEndian, 2, 2, pix, geo...), ErrUnsupported, "no CRS"},
		{"rotated", buildTIFF(binary.LittleEndian, 2, 2, pix, wgs84Keys, tiffTag{tagBitsPerSample, []uint16{32}}, tiffTag{tagSampleFormat, []uint16{3}},
			tiffTag{tagTransformation, []float64{1, 0.1, 0, 0, 0.1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}), ErrUnsupported, "rotated"},
		{"degrees out of range", buildTIFF(binary.LittleEndian, 2, 2, pix, wgs84Keys, tiffTag{tagBitsPerSample, []uint16{32}}, tiffTag{tagSampleFormat, []uint16{3}},
			tiffTag{tagPixelScale, []float64{30, 30, 0}}, tiffTag{tagTiepoint, []float64{0, 0, 0, 500000, 3, 0}}), data.ErrFormat, "not lon/lat degrees"},
		{"half float", buildTIFF(binary.LittleEndian, 2, 2, pix, append(geo[2:], wgs84Keys, tiffTag{tagBitsPerSample, []uint16{16}}, tiffTag{tagSampleFormat, []uint16{3}})...), ErrUnsupported, "sample format 3 with 16 bits"},
		{"bad nodata", buildTIFF(binary.LittleEndian, 2, 2, pix, append(geo, wgs84Keys, tiffTag{tagGDALNoData, "none"})...), data.ErrFormat, `"none" is not a number`},
		{"huge", buildTIFF(binary.LittleEndian, 1<<20, 1<<20, pix, append(geo, wgs84Keys)...), ErrUnsupported, "larger than"},
		{"more pixels than bytes", buildTIFF(binary.LittleEndian, 100, 100, pix, append(geo, wgs84Keys)...), data.ErrFormat, "cannot come from 16 stored bytes"},
		{"not a TIFF", []byte("GIF89a not a tiff"), data.ErrFormat, "not a TIFF file"},
		{"empty", nil, data.ErrFormat, "not a TIFF file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadGeoTIFF(bytes.NewReader(tc.b), int64(len(tc.b)))
			if !errors.Is(err, tc.is) || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadGeoTIFF error = %v, want %v containing %q", err, tc.is, tc.want)
			}
		})
	}
}

// TestReadGeoTIFFTruncated cuts every fixture at many lengths: each must fail
// with a format error, never panic.
func TestReadGeoTIFFTruncated(t *testing.T) {
	files, err := filepath.Glob("testdata/*.tif")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(b); n += 1 + n/16 {
			if _, err := ReadGeoTIFF(bytes.NewReader(b[:n]), int64(n)); err == nil {
				t.Errorf("%s cut at %d bytes: no error", f, n)
			}
		}
	}
}

// TestGeoTIFFGDAL cross-checks the fixtures against gdallocationinfo: the
// value GDAL reports at a geographic point (nearest pixel, raw, so voids
// are skipped) must be the value of the cell whose centre is nearest.
func TestGeoTIFFGDAL(t *testing.T) {
	if _, err := exec.LookPath("gdallocationinfo"); err != nil {
		t.Skip("gdallocationinfo not installed")
	}
	if testing.Short() {
		t.Skip("runs GDAL")
	}
	for _, file := range []string{"int16_point.tif", "int16_nodata.tif", "float32_tiled_deflate.tif", "int32_be_lzw_tiled.tif", "float32_pred3.tif"} {
		m, err := OpenFS(os.DirFS("testdata"), file)
		if err != nil {
			t.Fatal(err)
		}
		tile := m.Tiles()[0]
		for _, p := range []orb.Point{{10.0042, 4.9951}, {10.0111, 4.9333}, {10.1949, 4.8512}, {10.1234, 4.9012}} {
			out, err := exec.Command("gdallocationinfo", "-valonly", "-geoloc", filepath.Join("testdata", file),
				strconv.FormatFloat(p[0], 'f', -1, 64), strconv.FormatFloat(p[1], 'f', -1, 64)).Output()
			if err != nil {
				t.Fatalf("gdallocationinfo %s: %v", file, err)
			}
			want, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
			if err != nil {
				t.Fatalf("gdallocationinfo output %q: %v", out, err)
			}
			if want == -9999 {
				continue
			}
			c := int(math.Round((p[0] - fixLon0) / fixCell))
			r := int(math.Round((fixLat0 - p[1]) / fixCell))
			if got := tile.At(c, r); got != want {
				t.Errorf("%s: At(%d, %d) nearest to %v = %g; gdallocationinfo says %g", file, c, r, p, got, want)
			}
		}
	}
}
