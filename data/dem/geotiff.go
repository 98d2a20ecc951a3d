package dem

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lastmile-health/lastmile/data"
	"golang.org/x/image/tiff/lzw"
)

// TIFF and GeoTIFF tags read here.
const (
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagPredictor       = 317
	tagTileWidth       = 322
	tagTileLength      = 323
	tagTileOffsets     = 324
	tagTileByteCounts  = 325
	tagSampleFormat    = 339
	tagPixelScale      = 33550
	tagTiepoint        = 33922
	tagTransformation  = 34264
	tagGeoKeys         = 34735
	tagGDALNoData      = 42113
)

// GeoKeys read here.
const (
	keyModelType     = 1024
	keyRasterType    = 1025
	keyGeographic    = 2048
	keyGeodeticDatum = 2050
	keyAngularUnits  = 2054
	keyProjected     = 3072

	modelProjected  = 1
	modelGeographic = 2
	rasterIsPoint   = 2
	epsgWGS84       = 4326
	datumWGS84      = 6326
	userDefined     = 32767
	unitDegree      = 9102
)

// Caps on what a file may make us allocate. A compressed chunk may expand
// at most maxRatio times (Deflate's limit is about 1032:1, LZW's a few
// thousand for constant data); the whole raster is capped at maxPixels.
const (
	maxRatio    = 4096
	maxPixels   = 1 << 28
	maxIFDTags  = 1024
	maxChunkPix = 1 << 26
)

// ReadGeoTIFF reads a single-band GeoTIFF in EPSG:4326 (lon/lat degrees)
// from r, which holds size bytes. Samples may be 8/16/32-bit integers or
// 32/64-bit floats, in strips or tiles, uncompressed, Deflate (8 or the old
// 32946), LZW or PackBits, with the horizontal (2) or floating-point (3)
// predictor, in little- or big-endian TIFF. The grid comes from
// ModelPixelScale + ModelTiepoint or from a ModelTransformation without
// rotation; a PixelIsArea raster (the default) has its values at pixel
// centres, half a pixel in from the tie point, a PixelIsPoint raster on the
// tie point. The GDAL_NODATA value and NaN are voids, filled from their
// neighbours. Only the first image (not overviews) is read.
//
// Errors are *data.ParseError, naming the file when r has a Name method
// (like *os.File) and wrapping data.ErrFormat for a broken file or
// ErrUnsupported for a valid one this package does not read (BigTIFF, other
// compressions, several bands, a projected CRS or any CRS other than
// EPSG:4326). Allocations are capped by size.
func ReadGeoTIFF(r io.ReaderAt, size int64) (*Tile, error) {
	name := ""
	if n, ok := r.(interface{ Name() string }); ok {
		name = n.Name()
	}
	return readGeoTIFF(name, r, size)
}

// tiffReader reads one TIFF file.
type tiffReader struct {
	name string
	r    io.ReaderAt
	size int64
	bo   binary.ByteOrder
	tags map[uint16]ifdEntry
}

type ifdEntry struct {
	typ   uint16
	count uint32
	raw   [4]byte // the value when it fits, else its offset
}

// errf returns a format error in field.
func (t *tiffReader) errf(field, format string, args ...any) error {
	return parseErr(t.name, field, fmt.Errorf("%w: "+format, append([]any{data.ErrFormat}, args...)...))
}

// unsupported returns an ErrUnsupported error in field.
func (t *tiffReader) unsupported(field, format string, args ...any) error {
	return parseErr(t.name, field, fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...))
}

// readAt reads n bytes at off, checking they are inside the file.
func (t *tiffReader) readAt(field string, off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > t.size || n > t.size-off {
		return nil, t.errf(field, "%d bytes at offset %d run past the end of the %d-byte file", n, off, t.size)
	}
	b := make([]byte, n)
	if _, err := t.r.ReadAt(b, off); err != nil && !(errors.Is(err, io.EOF) && n > 0) {
		return nil, parseErr(t.name, field, err)
	}
	return b, nil
}

func typeSize(typ uint16) int64 {
	switch typ {
	case 1, 2, 6, 7: // BYTE, ASCII, SBYTE, UNDEFINED
		return 1
	case 3, 8: // SHORT, SSHORT
		return 2
	case 4, 9, 11: // LONG, SLONG, FLOAT
		return 4
	case 5, 10, 12: // RATIONAL, SRATIONAL, DOUBLE
		return 8
	}
	return 0
}

func tagName(tag uint16) string {
	switch tag {
	case tagImageWidth:
		return "ImageWidth"
	case tagImageLength:
		return "ImageLength"
	case tagBitsPerSample:
		return "BitsPerSample"
	case tagCompression:
		return "Compression"
	case tagStripOffsets:
		return "StripOffsets"
	case tagSamplesPerPixel:
		return "SamplesPerPixel"
	case tagRowsPerStrip:
		return "RowsPerStrip"
	case tagStripByteCounts:
		return "StripByteCounts"
	case tagPredictor:
		return "Predictor"
	case tagTileWidth:
		return "TileWidth"
	case tagTileLength:
		return "TileLength"
	case tagTileOffsets:
		return "TileOffsets"
	case tagTileByteCounts:
		return "TileByteCounts"
	case tagSampleFormat:
		return "SampleFormat"
	case tagPixelScale:
		return "ModelPixelScale"
	case tagTiepoint:
		return "ModelTiepoint"
	case tagTransformation:
		return "ModelTransformation"
	case tagGeoKeys:
		return "GeoKeyDirectory"
	case tagGDALNoData:
		return "GDAL_NODATA"
	}
	return "tag " + strconv.Itoa(int(tag))
}

// raw returns the bytes of a tag's value, or nil when the tag is absent.
func (t *tiffReader) rawValue(tag uint16) ([]byte, ifdEntry, error) {
	e, ok := t.tags[tag]
	if !ok {
		return nil, e, nil
	}
	sz := typeSize(e.typ)
	if sz == 0 {
		return nil, e, t.errf(tagName(tag), "unknown field type %d", e.typ)
	}
	n := int64(e.count) * sz
	if n <= 4 {
		return e.raw[:n], e, nil
	}
	b, err := t.readAt(tagName(tag), int64(t.bo.Uint32(e.raw[:])), n)
	return b, e, err
}

// ints returns an integer tag's values (BYTE, SHORT or LONG), nil if absent.
func (t *tiffReader) ints(tag uint16) ([]uint64, error) {
	b, e, err := t.rawValue(tag)
	if err != nil || b == nil {
		return nil, err
	}
	out := make([]uint64, e.count)
	for i := range out {
		switch e.typ {
		case 1, 7:
			out[i] = uint64(b[i])
		case 3:
			out[i] = uint64(t.bo.Uint16(b[2*i:]))
		case 4:
			out[i] = uint64(t.bo.Uint32(b[4*i:]))
		default:
			return nil, t.errf(tagName(tag), "field type %d, want an unsigned integer", e.typ)
		}
	}
	return out, nil
}

// int1 returns the first value of an integer tag, or def when absent.
func (t *tiffReader) int1(tag uint16, def uint64) (uint64, error) {
	v, err := t.ints(tag)
	if err != nil {
		return 0, err
	}
	if len(v) == 0 {
		if _, ok := t.tags[tag]; ok {
			return 0, t.errf(tagName(tag), "no value")
		}
		return def, nil
	}
	return v[0], nil
}

// floats returns a DOUBLE (or FLOAT) tag's values, nil if absent.
func (t *tiffReader) floats(tag uint16) ([]float64, error) {
	b, e, err := t.rawValue(tag)
	if err != nil || b == nil {
		return nil, err
	}
	out := make([]float64, e.count)
	for i := range out {
		switch e.typ {
		case 12:
			out[i] = math.Float64frombits(t.bo.Uint64(b[8*i:]))
		case 11:
			out[i] = float64(math.Float32frombits(t.bo.Uint32(b[4*i:])))
		default:
			return nil, t.errf(tagName(tag), "field type %d, want DOUBLE", e.typ)
		}
	}
	return out, nil
}

// sampleKind is the type of the raster's samples.
type sampleKind int

const (
	kUint8 sampleKind = iota
	kInt8
	kUint16
	kInt16
	kUint32
	kInt32
	kFloat32
	kFloat64
)

// sampleKinds maps SampleFormat (1 unsigned, 2 signed, 3 float) and
// BitsPerSample to the sample types read.
var sampleKinds = map[[2]uint64]sampleKind{
	{1, 8}: kUint8, {2, 8}: kInt8,
	{1, 16}: kUint16, {2, 16}: kInt16,
	{1, 32}: kUint32, {2, 32}: kInt32,
	{3, 32}: kFloat32, {3, 64}: kFloat64,
}

// layout says where the raster's chunks (strips or tiles) are.
type layout struct {
	w, h     int // image size
	cw, ch   int // chunk size (a strip is w × rowsPerStrip)
	tiled    bool
	across   int // chunks per chunk row
	offsets  []uint64
	counts   []uint64
	bps      int // bytes per sample
	kind     sampleKind
	compress uint64
	pred     uint64
}

func readGeoTIFF(name string, r io.ReaderAt, size int64) (*Tile, error) {
	t := &tiffReader{name: name, r: r, size: size}
	hdr, err := t.readAt("header", 0, 8)
	if err != nil {
		return nil, t.errf("header", "not a TIFF file: shorter than 8 bytes")
	}
	switch string(hdr[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return nil, t.errf("header", "not a TIFF file: starts with %q, want II or MM", hdr[:2])
	}
	switch t.bo.Uint16(hdr[2:]) {
	case 42:
	case 43:
		return nil, t.unsupported("header", "BigTIFF (write a classic TIFF, e.g. gdal_translate -co BIGTIFF=NO)")
	default:
		return nil, t.errf("header", "not a TIFF file: version %d, want 42", t.bo.Uint16(hdr[2:]))
	}
	if err := t.readIFD(int64(t.bo.Uint32(hdr[4:]))); err != nil {
		return nil, err
	}
	lay, err := t.layout()
	if err != nil {
		return nil, err
	}
	tile, err := t.georef(lay)
	if err != nil {
		return nil, err
	}
	nodata, hasNodata, err := t.nodata()
	if err != nil {
		return nil, err
	}
	v, err := t.decode(lay, nodata, hasNodata)
	if err != nil {
		return nil, err
	}
	n, err := fillVoids(v, lay.w, lay.h)
	if err != nil {
		return nil, t.errf("", "%v", err)
	}
	tile.voids = n
	tile.setValues(v, lay.kind == kInt16 || lay.kind == kInt8 || lay.kind == kUint8)
	return tile, nil
}

// readIFD reads the first image file directory.
func (t *tiffReader) readIFD(off int64) error {
	b, err := t.readAt("IFD", off, 2)
	if err != nil {
		return err
	}
	n := int64(t.bo.Uint16(b))
	if n == 0 || n > maxIFDTags {
		return t.errf("IFD", "%d entries", n)
	}
	b, err = t.readAt("IFD", off+2, 12*n)
	if err != nil {
		return err
	}
	t.tags = make(map[uint16]ifdEntry, n)
	for i := int64(0); i < n; i++ {
		e := b[12*i:]
		tag := t.bo.Uint16(e)
		if _, dup := t.tags[tag]; dup {
			continue
		}
		var ent ifdEntry
		ent.typ = t.bo.Uint16(e[2:])
		ent.count = t.bo.Uint32(e[4:])
		copy(ent.raw[:], e[8:12])
		t.tags[tag] = ent
	}
	return nil
}

// layout reads the image structure tags and checks them against the caps.
func (t *tiffReader) layout() (*layout, error) {
	var l layout
	w, err := t.int1(tagImageWidth, 0)
	if err != nil {
		return nil, err
	}
	h, err := t.int1(tagImageLength, 0)
	if err != nil {
		return nil, err
	}
	if w == 0 || h == 0 {
		return nil, t.errf("ImageWidth", "image is %d×%d pixels", w, h)
	}
	if w > maxPixels || h > maxPixels || w*h > maxPixels {
		return nil, t.unsupported("ImageWidth", "image of %d×%d pixels is larger than %d pixels", w, h, maxPixels)
	}
	l.w, l.h = int(w), int(h)
	if err := t.sampleFormat(&l); err != nil {
		return nil, err
	}
	cntTag, err := t.chunks(&l)
	if err != nil {
		return nil, err
	}
	if err := t.checkStored(&l, cntTag); err != nil {
		return nil, err
	}
	return &l, nil
}

// sampleFormat reads the samples' type, compression and predictor into l.
func (t *tiffReader) sampleFormat(l *layout) error {
	spp, err := t.int1(tagSamplesPerPixel, 1)
	if err != nil {
		return err
	}
	if spp != 1 {
		return t.unsupported("SamplesPerPixel", "%d bands, want 1", spp)
	}
	bits, err := t.int1(tagBitsPerSample, 1)
	if err != nil {
		return err
	}
	sf, err := t.int1(tagSampleFormat, 1)
	if err != nil {
		return err
	}
	kind, ok := sampleKinds[[2]uint64{sf, bits}]
	if !ok {
		return t.unsupported("SampleFormat", "sample format %d with %d bits (want 8/16/32-bit integers or 32/64-bit floats)", sf, bits)
	}
	l.kind = kind
	l.bps = int(bits / 8)
	if l.compress, err = t.int1(tagCompression, 1); err != nil {
		return err
	}
	switch l.compress {
	case 1, 5, 8, 32946, 32773:
	default:
		return t.unsupported("Compression", "compression %d%s (want none, Deflate, LZW or PackBits)", l.compress, compressionName(l.compress))
	}
	if l.pred, err = t.int1(tagPredictor, 1); err != nil {
		return err
	}
	switch {
	case l.pred == 1, l.pred == 2:
	case l.pred == 3 && (l.kind == kFloat32 || l.kind == kFloat64):
	default:
		return t.unsupported("Predictor", "predictor %d for this sample format", l.pred)
	}
	return nil
}

// chunks reads the strips' or tiles' size, offsets and byte counts into l
// and returns the tag of the byte counts, for errors.
func (t *tiffReader) chunks(l *layout) (cntTag uint16, err error) {
	offTag, cntTag := uint16(tagStripOffsets), uint16(tagStripByteCounts)
	if _, l.tiled = t.tags[tagTileWidth]; l.tiled {
		offTag, cntTag = tagTileOffsets, tagTileByteCounts
		tw, err := t.int1(tagTileWidth, 0)
		if err != nil {
			return 0, err
		}
		th, err := t.int1(tagTileLength, 0)
		if err != nil {
			return 0, err
		}
		if tw == 0 || th == 0 || tw*th > maxChunkPix {
			return 0, t.errf("TileWidth", "tiles of %d×%d pixels", tw, th)
		}
		l.cw, l.ch = int(tw), int(th)
	} else {
		h := uint64(l.h)
		rps, err := t.int1(tagRowsPerStrip, h)
		if err != nil {
			return 0, err
		}
		l.cw, l.ch = l.w, int(min(max(rps, 1), h))
	}
	l.across = (l.w + l.cw - 1) / l.cw
	chunks := l.across * ((l.h + l.ch - 1) / l.ch)
	if l.offsets, err = t.ints(offTag); err != nil {
		return 0, err
	}
	if l.counts, err = t.ints(cntTag); err != nil {
		return 0, err
	}
	if len(l.offsets) < chunks || len(l.counts) < chunks {
		return 0, t.errf(tagName(offTag), "%d offsets and %d byte counts for %d chunks", len(l.offsets), len(l.counts), chunks)
	}
	return cntTag, nil
}

// checkStored caps the raster by what the file can hold: every stored
// byte expands to at most maxRatio bytes (1 when uncompressed).
func (t *tiffReader) checkStored(l *layout, cntTag uint16) error {
	chunks := l.across * ((l.h + l.ch - 1) / l.ch)
	var stored uint64
	for _, c := range l.counts[:chunks] {
		stored += min(c, uint64(t.size))
	}
	stored = min(stored, uint64(t.size))
	ratio := uint64(maxRatio)
	if l.compress == 1 {
		ratio = 1
	}
	if need := uint64(l.w) * uint64(l.h) * uint64(l.bps); need > stored*ratio {
		return t.errf(tagName(cntTag), "%d×%d pixels of %d bytes cannot come from %d stored bytes", l.w, l.h, l.bps, stored)
	}
	// A tile is decoded whole, padding included, so it is capped too.
	if chunk := uint64(l.cw) * uint64(l.ch) * uint64(l.bps); chunk > uint64(t.size)*ratio {
		return t.errf("TileWidth", "%d×%d-pixel tiles cannot come from a %d-byte file", l.cw, l.ch, t.size)
	}
	return nil
}

func compressionName(c uint64) string {
	switch c {
	case 2:
		return " (CCITT)"
	case 6, 7:
		return " (JPEG)"
	case 34887:
		return " (LERC)"
	case 34925:
		return " (LZMA)"
	case 50000:
		return " (ZSTD)"
	case 50001:
		return " (WebP)"
	case 34712:
		return " (JPEG 2000)"
	}
	return ""
}

// georef reads the grid and CRS and returns a tile without values.
func (t *tiffReader) georef(l *layout) (*Tile, error) {
	keys, err := t.geoKeys()
	if err != nil {
		return nil, err
	}
	if err := t.checkCRS(keys); err != nil {
		return nil, err
	}
	var x0, y0, sx, sy float64 // model position of raster (0, 0); pixel size
	tm, err := t.floats(tagTransformation)
	if err != nil {
		return nil, err
	}
	scale, err := t.floats(tagPixelScale)
	if err != nil {
		return nil, err
	}
	tie, err := t.floats(tagTiepoint)
	if err != nil {
		return nil, err
	}
	switch {
	case len(scale) >= 2 && len(tie) >= 6:
		sx, sy = scale[0], scale[1]
		x0, y0 = tie[3]-tie[0]*sx, tie[4]+tie[1]*sy
		if !(sx > 0 && sy > 0) || math.IsInf(sx, 0) || math.IsInf(sy, 0) {
			return nil, t.unsupported("ModelPixelScale", "pixel scale %g, %g (want positive, north-up)", sx, sy)
		}
	case len(tm) >= 16:
		if tm[1] != 0 || tm[4] != 0 {
			return nil, t.unsupported("ModelTransformation", "rotated or sheared raster")
		}
		sx, sy, x0, y0 = tm[0], -tm[5], tm[3], tm[7]
		if !(sx > 0 && sy > 0) || math.IsInf(sx, 0) || math.IsInf(sy, 0) {
			return nil, t.unsupported("ModelTransformation", "pixel size %g, %g (want positive, north-up)", tm[0], tm[5])
		}
	default:
		return nil, t.errf("ModelPixelScale", "no georeferencing: want ModelPixelScale and ModelTiepoint, or ModelTransformation")
	}
	off := 0.5 // PixelIsArea: values at pixel centres
	if keys[keyRasterType] == rasterIsPoint {
		off = 0
	}
	lon0, lat0 := x0+off*sx, y0-off*sy
	lon1, lat1 := lon0+float64(l.w-1)*sx, lat0-float64(l.h-1)*sy
	if !(lon0 >= -181 && lon1 <= 361 && lat1 >= -91 && lat0 <= 91) {
		return nil, t.errf("ModelTiepoint", "extent %g..%g E, %g..%g N is not lon/lat degrees", lon0, lon1, lat1, lat0)
	}
	return newTile(t.name, lon0, lat0, sx, sy, l.w, l.h), nil
}

// geoKeys reads the SHORT-valued keys of the GeoKeyDirectory.
func (t *tiffReader) geoKeys() (map[uint16]uint64, error) {
	v, err := t.ints(tagGeoKeys)
	if err != nil {
		return nil, err
	}
	keys := map[uint16]uint64{}
	if len(v) < 4 {
		return keys, nil
	}
	n := int(v[3])
	for i := 0; i < n && 4+4*i+3 < len(v); i++ {
		k := v[4+4*i:]
		if k[1] == 0 { // value held in the directory itself
			keys[uint16(k[0])] = k[3]
		}
	}
	return keys, nil
}

// checkCRS accepts only WGS 84 lon/lat (EPSG:4326 or a user-defined
// geographic CRS on the WGS 84 datum, in degrees).
func (t *tiffReader) checkCRS(keys map[uint16]uint64) error {
	const f = "GeoKeyDirectory"
	if p, ok := keys[keyProjected]; ok || keys[keyModelType] == modelProjected {
		if ok && p != userDefined {
			return t.unsupported(f, "projected CRS EPSG:%d (want EPSG:4326 lon/lat; reproject with gdalwarp -t_srs EPSG:4326)", p)
		}
		return t.unsupported(f, "projected CRS (want EPSG:4326 lon/lat; reproject with gdalwarp -t_srs EPSG:4326)")
	}
	if m, ok := keys[keyModelType]; ok && m != modelGeographic {
		return t.unsupported(f, "model type %d (want 2, geographic EPSG:4326)", m)
	}
	g, ok := keys[keyGeographic]
	switch {
	case g == epsgWGS84:
	case (!ok || g == userDefined) && keys[keyGeodeticDatum] == datumWGS84:
	case !ok && keys[keyModelType] == 0:
		return t.unsupported(f, "no CRS (want GeoKeys for EPSG:4326)")
	case !ok || g == userDefined:
		return t.unsupported(f, "user-defined geographic CRS on datum %d (want EPSG:4326)", keys[keyGeodeticDatum])
	default:
		return t.unsupported(f, "geographic CRS EPSG:%d (want EPSG:4326)", g)
	}
	if u, ok := keys[keyAngularUnits]; ok && u != unitDegree {
		return t.unsupported(f, "angular unit %d (want 9102, degree)", u)
	}
	return nil
}

// nodata reads GDAL_NODATA.
func (t *tiffReader) nodata() (float64, bool, error) {
	b, e, err := t.rawValue(tagGDALNoData)
	if err != nil || b == nil {
		return 0, false, err
	}
	if e.typ != 2 {
		return 0, false, t.errf("GDAL_NODATA", "field type %d, want ASCII", e.typ)
	}
	s := strings.TrimSpace(strings.TrimRight(string(b), "\x00"))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false, t.errf("GDAL_NODATA", "%q is not a number", s)
	}
	return v, true, nil
}

// decode reads every chunk into a float32 raster, NaN for voids.
func (t *tiffReader) decode(l *layout, nodata float64, hasNodata bool) ([]float32, error) {
	if l.kind == kFloat32 {
		// GDAL compares float32 samples with the nodata value in float32.
		nodata = float64(float32(nodata))
	}
	v := make([]float32, l.w*l.h)
	chunkBytes := l.cw * l.ch * l.bps
	buf := make([]byte, chunkBytes)
	var tmp []byte // predictor 3 scratch
	nan := float32(math.NaN())
	down := (l.h + l.ch - 1) / l.ch
	for k := 0; k < l.across*down; k++ {
		cx, cy := (k%l.across)*l.cw, (k/l.across)*l.ch
		rows := l.ch
		if !l.tiled { // the last strip may be short; tiles are always whole
			rows = min(l.ch, l.h-cy)
		}
		want := rows * l.cw * l.bps
		field := fmt.Sprintf("chunk %d", k)
		if err := t.chunk(l, field, l.offsets[k], l.counts[k], buf[:want]); err != nil {
			return nil, err
		}
		b := buf[:want]
		rowBytes := l.cw * l.bps
		switch l.pred {
		case 2:
			for r := 0; r < rows; r++ {
				t.undoHorizontal(b[r*rowBytes:(r+1)*rowBytes], l.bps)
			}
		case 3:
			if tmp == nil {
				tmp = make([]byte, rowBytes)
			}
			for r := 0; r < rows; r++ {
				undoFloat(b[r*rowBytes:(r+1)*rowBytes], tmp, l.bps, t.bo)
			}
		}
		for r := 0; r < rows && cy+r < l.h; r++ {
			row := b[r*rowBytes:]
			out := v[(cy+r)*l.w:]
			for c := 0; c < l.cw && cx+c < l.w; c++ {
				x := t.sample(l.kind, row[c*l.bps:])
				if x != x || math.IsInf(x, 0) || (hasNodata && x == nodata) {
					out[cx+c] = nan
				} else {
					out[cx+c] = float32(x)
				}
			}
		}
	}
	return v, nil
}

// chunk reads and decompresses one strip or tile into dst, which it fills
// exactly.
func (t *tiffReader) chunk(l *layout, field string, off, count uint64, dst []byte) error {
	if l.compress == 1 {
		count = min(count, uint64(len(dst)))
	}
	if count > uint64(t.size) {
		return t.errf(field, "%d bytes at offset %d run past the end of the %d-byte file", count, off, t.size)
	}
	src, err := t.readAt(field, int64(min(off, uint64(math.MaxInt64))), int64(count))
	if err != nil {
		return err
	}
	var rd io.Reader
	switch l.compress {
	case 1:
		rd = bytes.NewReader(src)
	case 8, 32946:
		zr, err := zlib.NewReader(bytes.NewReader(src))
		if err != nil {
			return t.errf(field, "deflate: %v", err)
		}
		defer zr.Close()
		rd = zr
	case 5:
		lr := lzw.NewReader(bytes.NewReader(src), lzw.MSB, 8)
		defer lr.Close()
		rd = lr
	case 32773:
		n, err := unpackBits(dst, src)
		if err != nil {
			return t.errf(field, "packbits: %v", err)
		}
		if n < len(dst) {
			return t.errf(field, "%d bytes after packbits, want %d", n, len(dst))
		}
		return nil
	}
	n, err := io.ReadFull(rd, dst)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return t.errf(field, "%d bytes after decompression, want %d", n, len(dst))
		}
		return t.errf(field, "decompression: %v", err)
	}
	return nil
}

// unpackBits decodes PackBits from src into dst, stopping when dst is full.
func unpackBits(dst, src []byte) (int, error) {
	n := 0
	for i := 0; i < len(src) && n < len(dst); {
		h := int8(src[i])
		i++
		switch {
		case h >= 0:
			k := int(h) + 1
			if i+k > len(src) {
				return n, errors.New("literal run past the end of the data")
			}
			n += copy(dst[n:], src[i:i+k])
			i += k
		case h != -128:
			if i >= len(src) {
				return n, errors.New("repeat run past the end of the data")
			}
			k := min(1-int(h), len(dst)-n)
			for j := 0; j < k; j++ {
				dst[n+j] = src[i]
			}
			n += k
			i++
		}
	}
	return n, nil
}

// undoHorizontal reverses TIFF predictor 2 on one row of samples of bps
// bytes: each sample was stored as the difference from its left neighbour,
// modulo its bit width.
func (t *tiffReader) undoHorizontal(row []byte, bps int) {
	switch bps {
	case 1:
		for i := 1; i < len(row); i++ {
			row[i] += row[i-1]
		}
	case 2:
		for i := 2; i+2 <= len(row); i += 2 {
			t.bo.PutUint16(row[i:], t.bo.Uint16(row[i:])+t.bo.Uint16(row[i-2:]))
		}
	case 4:
		for i := 4; i+4 <= len(row); i += 4 {
			t.bo.PutUint32(row[i:], t.bo.Uint32(row[i:])+t.bo.Uint32(row[i-4:]))
		}
	case 8:
		for i := 8; i+8 <= len(row); i += 8 {
			t.bo.PutUint64(row[i:], t.bo.Uint64(row[i:])+t.bo.Uint64(row[i-8:]))
		}
	}
}

// undoFloat reverses TIFF predictor 3 on one row: bytes were differenced
// across the whole row, after splitting the samples into byte planes, most
// significant first. It rewrites row in byte order bo.
func undoFloat(row, tmp []byte, bps int, bo binary.ByteOrder) {
	for i := 1; i < len(row); i++ {
		row[i] += row[i-1]
	}
	copy(tmp, row)
	wc := len(row) / bps
	for c := 0; c < wc; c++ {
		for b := 0; b < bps; b++ {
			// Plane b holds byte b counted from the most significant.
			if bo == binary.BigEndian {
				row[c*bps+b] = tmp[b*wc+c]
			} else {
				row[c*bps+b] = tmp[(bps-1-b)*wc+c]
			}
		}
	}
}

// sample decodes one sample.
func (t *tiffReader) sample(k sampleKind, b []byte) float64 {
	switch k {
	case kUint8:
		return float64(b[0])
	case kInt8:
		return float64(int8(b[0]))
	case kUint16:
		return float64(t.bo.Uint16(b))
	case kInt16:
		return float64(int16(t.bo.Uint16(b)))
	case kUint32:
		return float64(t.bo.Uint32(b))
	case kInt32:
		return float64(int32(t.bo.Uint32(b)))
	case kFloat32:
		return float64(math.Float32frombits(t.bo.Uint32(b)))
	default:
		return math.Float64frombits(t.bo.Uint64(b))
	}
}
