package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// ErrGeometry is the sentinel under every error about a geometry blob or a
// geometry value: a blob that is not GeoPackage binary, truncated or
// malformed WKB, or a geometry that cannot be encoded (non-finite
// coordinates, an unsupported type).
var ErrGeometry = errors.New("gpkg: bad geometry")

// SRSID is the srs_id written into every geometry blob and layer: EPSG:4326,
// WGS 84 longitude/latitude in degrees.
const SRSID = 4326

// GeoPackage binary header flag bits (spec clause 2.1.3, "R R X Y E E E B").
const (
	flagLittleEndian = 1 << 0
	flagEnvelopeXY   = 1 << 1 // envelope contents indicator 1: [minx, maxx, miny, maxy]
	flagEmpty        = 1 << 4
	flagExtended     = 1 << 5
)

// WKB geometry type codes (ISO 13249-3 / OGC simple features).
const (
	wkbPoint              = 1
	wkbLineString         = 2
	wkbPolygon            = 3
	wkbMultiPoint         = 4
	wkbMultiLineString    = 5
	wkbMultiPolygon       = 6
	wkbGeometryCollection = 7
)

// maxDepth caps nesting of geometry collections so a hostile blob cannot
// exhaust the stack.
const maxDepth = 32

// EncodeGeometry returns g as a GeoPackage geometry blob: the "GP" header
// (version 0, little-endian, srs_id 4326, the [minx, maxx, miny, maxy]
// envelope for every non-empty geometry except a point, the empty flag for
// empty geometries) followed by ISO WKB, little-endian and 2D.
//
// Empty geometries are zero-length LineString, Polygon, Multi* and
// Collection values, and orb.Point{NaN, NaN} (the spec encodes an empty point
// as POINT(NaN NaN)). orb.Ring is written as a Polygon and orb.Bound as its
// rectangle Polygon. A nil g (or a nil slice type) has no blob: the caller
// stores SQL NULL; EncodeGeometry returns an error for it. Coordinates must
// be finite apart from empty points.
func EncodeGeometry(g orb.Geometry) ([]byte, error) {
	return AppendGeometry(nil, g)
}

// AppendGeometry appends the GeoPackage blob of g (see EncodeGeometry) to dst
// and returns the extended slice, so a writer can reuse one buffer.
func AppendGeometry(dst []byte, g orb.Geometry) ([]byte, error) {
	b, _, err := appendGeometry(dst, g)
	return b, err
}

// appendGeometry encodes g and also returns its envelope (empty Bound
// reported as ok=false) so the writer can feed the R-tree without decoding.
func appendGeometry(dst []byte, g orb.Geometry) ([]byte, envelope, error) {
	g, err := normalize(g)
	if err != nil {
		return dst, envelope{}, err
	}
	env, err := geometryEnvelope(g, 0)
	if err != nil {
		return dst, envelope{}, err
	}
	flags := byte(flagLittleEndian)
	_, isPoint := g.(orb.Point)
	switch {
	case env.empty:
		flags |= flagEmpty
	case !isPoint:
		flags |= flagEnvelopeXY
	}
	dst = append(dst, 'G', 'P', 0, flags)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(SRSID))
	if flags&flagEnvelopeXY != 0 {
		dst = appendFloat(dst, env.minX)
		dst = appendFloat(dst, env.maxX)
		dst = appendFloat(dst, env.minY)
		dst = appendFloat(dst, env.maxY)
	}
	return appendWKB(dst, g), env, nil
}

// normalize maps the orb types WKB has no code for onto ones it has, and
// rejects nil.
func normalize(g orb.Geometry) (orb.Geometry, error) {
	switch v := g.(type) {
	case nil:
		return nil, fmt.Errorf("%w: nil geometry (store NULL instead)", ErrGeometry)
	case orb.Ring:
		return orb.Polygon{v}, nil
	case orb.Bound:
		return v.ToPolygon(), nil
	case orb.Collection:
		out := make(orb.Collection, len(v))
		for i, m := range v {
			n, err := normalize(m)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case orb.Point, orb.MultiPoint, orb.LineString, orb.MultiLineString, orb.Polygon, orb.MultiPolygon:
		return g, nil
	}
	return nil, fmt.Errorf("%w: unsupported geometry type %T", ErrGeometry, g)
}

// envelope is a geometry's bounding box in the GeoPackage order; empty is
// true when the geometry has no coordinates.
type envelope struct {
	minX, maxX, minY, maxY float64
	empty                  bool
}

func (e *envelope) add(p orb.Point) {
	if e.empty {
		e.minX, e.maxX, e.minY, e.maxY = p[0], p[0], p[1], p[1]
		e.empty = false
		return
	}
	e.minX = math.Min(e.minX, p[0])
	e.maxX = math.Max(e.maxX, p[0])
	e.minY = math.Min(e.minY, p[1])
	e.maxY = math.Max(e.maxY, p[1])
}

func (e *envelope) union(o envelope) {
	if o.empty {
		return
	}
	e.add(orb.Point{o.minX, o.minY})
	e.add(orb.Point{o.maxX, o.maxY})
}

func isEmptyPoint(p orb.Point) bool { return math.IsNaN(p[0]) && math.IsNaN(p[1]) }

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

var errNonFinite = fmt.Errorf("%w: non-finite coordinate", ErrGeometry)

// geometryEnvelope computes the envelope and checks the coordinates:
// finite, except for empty points standing alone or as members.
func geometryEnvelope(g orb.Geometry, depth int) (envelope, error) {
	env := envelope{empty: true}
	addPoints := func(ps []orb.Point) error {
		for _, p := range ps {
			if !finite(p) {
				return errNonFinite
			}
			env.add(p)
		}
		return nil
	}
	switch v := g.(type) {
	case orb.Point:
		if isEmptyPoint(v) {
			return env, nil
		}
		if !finite(v) {
			return env, errNonFinite
		}
		env.add(v)
	case orb.MultiPoint:
		for _, p := range v {
			if isEmptyPoint(p) {
				continue
			}
			if !finite(p) {
				return env, errNonFinite
			}
			env.add(p)
		}
	case orb.LineString:
		return env, addPoints(v)
	case orb.Polygon:
		for _, r := range v {
			if err := addPoints(r); err != nil {
				return env, err
			}
		}
	case orb.MultiLineString:
		for _, l := range v {
			if err := addPoints(l); err != nil {
				return env, err
			}
		}
	case orb.MultiPolygon:
		for _, p := range v {
			for _, r := range p {
				if err := addPoints(r); err != nil {
					return env, err
				}
			}
		}
	case orb.Collection:
		if depth >= maxDepth {
			return env, fmt.Errorf("%w: collections nested deeper than %d", ErrGeometry, maxDepth)
		}
		for _, m := range v {
			e, err := geometryEnvelope(m, depth+1)
			if err != nil {
				return env, err
			}
			env.union(e)
		}
	default:
		return env, fmt.Errorf("%w: unsupported geometry type %T", ErrGeometry, g)
	}
	return env, nil
}

func appendFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

func appendHeader(b []byte, typ uint32) []byte {
	b = append(b, 1) // little-endian
	return binary.LittleEndian.AppendUint32(b, typ)
}

func appendPoints(b []byte, ps []orb.Point) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(ps)))
	for _, p := range ps {
		b = appendFloat(b, p[0])
		b = appendFloat(b, p[1])
	}
	return b
}

// appendWKB writes g (already normalized) as little-endian ISO WKB; it is
// byte-identical to orb/encoding/wkb's little-endian output but appends to a
// caller's buffer instead of allocating.
func appendWKB(b []byte, g orb.Geometry) []byte {
	switch v := g.(type) {
	case orb.Point:
		b = appendHeader(b, wkbPoint)
		b = appendFloat(b, v[0])
		return appendFloat(b, v[1])
	case orb.LineString:
		return appendPoints(appendHeader(b, wkbLineString), v)
	case orb.Polygon:
		b = appendHeader(b, wkbPolygon)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(v)))
		for _, r := range v {
			b = appendPoints(b, r)
		}
		return b
	case orb.MultiPoint:
		return appendMembers(b, wkbMultiPoint, v)
	case orb.MultiLineString:
		return appendMembers(b, wkbMultiLineString, v)
	case orb.MultiPolygon:
		return appendMembers(b, wkbMultiPolygon, v)
	case orb.Collection:
		return appendMembers(b, wkbGeometryCollection, v)
	}
	panic(fmt.Sprintf("gpkg: appendWKB called with unnormalized %T", g)) // programmer error: normalize first
}

// appendMembers writes a multi-geometry or collection of type typ: its
// header, the member count, then each member as a WKB geometry of its own.
func appendMembers[G orb.Geometry](b []byte, typ uint32, members []G) []byte {
	b = appendHeader(b, typ)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(members)))
	for _, m := range members {
		b = appendWKB(b, m)
	}
	return b
}

// header is the parsed GeoPackage binary header.
type header struct {
	flags  byte
	srsID  int32
	env    envelope // valid when hasEnv
	hasEnv bool
	size   int // header length in bytes; the WKB starts here
}

// envelope sizes in doubles for indicator codes 0..4.
var envDoubles = [5]int{0, 4, 6, 6, 8}

func parseHeader(b []byte) (header, error) {
	var h header
	if len(b) < 8 {
		return h, fmt.Errorf("%w: blob of %d bytes is shorter than the 8-byte header", ErrGeometry, len(b))
	}
	if b[0] != 'G' || b[1] != 'P' {
		return h, fmt.Errorf("%w: missing GP magic", ErrGeometry)
	}
	if b[2] != 0 {
		return h, fmt.Errorf("%w: unsupported GeoPackage binary version %d", ErrGeometry, b[2])
	}
	h.flags = b[3]
	if h.flags&flagExtended != 0 {
		return h, fmt.Errorf("%w: extended GeoPackage binary is not supported", ErrGeometry)
	}
	code := int(h.flags>>1) & 7
	if code > 4 {
		return h, fmt.Errorf("%w: invalid envelope indicator %d", ErrGeometry, code)
	}
	var order binary.ByteOrder = binary.BigEndian
	if h.flags&flagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	h.srsID = int32(order.Uint32(b[4:8]))
	h.size = 8 + 8*envDoubles[code]
	if len(b) < h.size {
		return h, fmt.Errorf("%w: blob of %d bytes is shorter than its %d-byte header", ErrGeometry, len(b), h.size)
	}
	if code > 0 {
		f := func(i int) float64 { return math.Float64frombits(order.Uint64(b[8+8*i:])) }
		// Every envelope layout starts with minx, maxx, miny, maxy.
		h.env = envelope{minX: f(0), maxX: f(1), minY: f(2), maxY: f(3)}
		h.hasEnv = true
	}
	return h, nil
}

// DecodeGeometry parses a GeoPackage geometry blob (standard GeoPackage
// binary, either byte order, any envelope) and returns the geometry in the
// orb types EncodeGeometry accepts. Z and M coordinates (ISO and EWKB
// encodings) are dropped. An empty point decodes to orb.Point{NaN, NaN}.
// Errors wrap ErrGeometry; the parser never panics and allocates at most in
// proportion to len(b).
func DecodeGeometry(b []byte) (orb.Geometry, error) {
	h, err := parseHeader(b)
	if err != nil {
		return nil, err
	}
	d := wkbDecoder{b: b[h.size:]}
	g, err := d.geometry(0)
	if err != nil {
		return nil, err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes after the WKB geometry", ErrGeometry, len(d.b))
	}
	return g, nil
}

// blobEnvelope returns the envelope of a geometry blob, from the header when
// it has one, else by decoding the WKB (points have no header envelope).
func blobEnvelope(b []byte) (envelope, error) {
	h, err := parseHeader(b)
	if err != nil {
		return envelope{}, err
	}
	if h.flags&flagEmpty != 0 {
		return envelope{empty: true}, nil
	}
	if h.hasEnv && !math.IsNaN(h.env.minX) {
		return h.env, nil
	}
	// Points carry no envelope: read a plain 2D WKB point in place rather
	// than decoding it (extent recomputation and triggers see many).
	if w := b[h.size:]; len(w) == 21 && (w[0] == 0 || w[0] == 1) {
		var order binary.ByteOrder = binary.BigEndian
		if w[0] == 1 {
			order = binary.LittleEndian
		}
		if order.Uint32(w[1:]) == wkbPoint {
			p := orb.Point{math.Float64frombits(order.Uint64(w[5:])), math.Float64frombits(order.Uint64(w[13:]))}
			env := envelope{empty: true}
			switch {
			case isEmptyPoint(p):
			case finite(p):
				env.add(p)
			default:
				return envelope{}, errNonFinite
			}
			return env, nil
		}
	}
	g, err := DecodeGeometry(b)
	if err != nil {
		return envelope{}, err
	}
	env, err := geometryEnvelope(g, 0)
	if err != nil {
		// NaN or infinite coordinates written by another tool: report the
		// geometry as bad rather than indexing garbage.
		return envelope{}, err
	}
	return env, nil
}

var errShort = fmt.Errorf("%w: truncated WKB", ErrGeometry)

// wkbDecoder reads WKB from b, consuming it.
type wkbDecoder struct {
	b []byte
}

func (d *wkbDecoder) uint32(order binary.ByteOrder) (uint32, error) {
	if len(d.b) < 4 {
		return 0, errShort
	}
	v := order.Uint32(d.b)
	d.b = d.b[4:]
	return v, nil
}

// count reads an element count and checks that the rest of the input can
// hold that many elements of at least minSize bytes, which caps allocation.
func (d *wkbDecoder) count(order binary.ByteOrder, minSize int) (int, error) {
	n, err := d.uint32(order)
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(minSize) > uint64(len(d.b)) {
		return 0, errShort
	}
	return int(n), nil
}

func (d *wkbDecoder) points(order binary.ByteOrder, dims int) ([]orb.Point, error) {
	n, err := d.count(order, 8*dims)
	if err != nil {
		return nil, err
	}
	ps := make([]orb.Point, n)
	for i := range ps {
		ps[i] = d.point(order, dims)
	}
	return ps, nil
}

// point reads one coordinate tuple; the caller has checked the length.
func (d *wkbDecoder) point(order binary.ByteOrder, dims int) orb.Point {
	p := orb.Point{
		math.Float64frombits(order.Uint64(d.b)),
		math.Float64frombits(order.Uint64(d.b[8:])),
	}
	d.b = d.b[8*dims:]
	return p
}

// typeHeader reads a byte order and a geometry type, and returns the base
// type and the number of doubles per coordinate.
func (d *wkbDecoder) typeHeader() (binary.ByteOrder, uint32, int, error) {
	if len(d.b) < 5 {
		return nil, 0, 0, errShort
	}
	var order binary.ByteOrder
	switch d.b[0] {
	case 0:
		order = binary.BigEndian
	case 1:
		order = binary.LittleEndian
	default:
		return nil, 0, 0, fmt.Errorf("%w: invalid WKB byte order %d", ErrGeometry, d.b[0])
	}
	t := order.Uint32(d.b[1:])
	d.b = d.b[5:]
	dims := 2
	// EWKB flags (PostGIS, some GDAL outputs).
	const ewkbZ, ewkbM, ewkbSRID = 0x80000000, 0x40000000, 0x20000000
	if t&ewkbZ != 0 {
		dims++
	}
	if t&ewkbM != 0 {
		dims++
	}
	if t&ewkbSRID != 0 {
		if len(d.b) < 4 {
			return nil, 0, 0, errShort
		}
		d.b = d.b[4:]
	}
	t &^= ewkbZ | ewkbM | ewkbSRID
	// ISO codes: 1000s Z, 2000s M, 3000s ZM.
	switch t / 1000 {
	case 0:
	case 1, 2:
		dims++
	case 3:
		dims += 2
	default:
		return nil, 0, 0, fmt.Errorf("%w: unknown WKB geometry type %d", ErrGeometry, t)
	}
	if dims > 4 {
		return nil, 0, 0, fmt.Errorf("%w: WKB geometry type mixes EWKB and ISO dimensions", ErrGeometry)
	}
	t %= 1000
	if t < wkbPoint || t > wkbGeometryCollection {
		return nil, 0, 0, fmt.Errorf("%w: unsupported WKB geometry type %d", ErrGeometry, t)
	}
	return order, t, dims, nil
}

func (d *wkbDecoder) geometry(depth int) (orb.Geometry, error) {
	order, t, dims, err := d.typeHeader()
	if err != nil {
		return nil, err
	}
	switch t {
	case wkbPoint:
		if len(d.b) < 8*dims {
			return nil, errShort
		}
		return d.point(order, dims), nil
	case wkbLineString:
		ps, err := d.points(order, dims)
		return orb.LineString(ps), err
	case wkbPolygon:
		return d.polygon(order, dims)
	}
	if depth >= maxDepth {
		return nil, fmt.Errorf("%w: collections nested deeper than %d", ErrGeometry, maxDepth)
	}
	// Every member is at least a byte order and a type.
	n, err := d.count(order, 5)
	if err != nil {
		return nil, err
	}
	members := make([]orb.Geometry, 0, min(n, 1024))
	for range n {
		m, err := d.geometry(depth + 1)
		if err != nil {
			return nil, err
		}
		members = append(members, m)
	}
	switch t {
	case wkbMultiPoint:
		ps, err := membersOf[orb.Point](members, "multipoint")
		return orb.MultiPoint(ps), err
	case wkbMultiLineString:
		ls, err := membersOf[orb.LineString](members, "multilinestring")
		return orb.MultiLineString(ls), err
	case wkbMultiPolygon:
		ps, err := membersOf[orb.Polygon](members, "multipolygon")
		return orb.MultiPolygon(ps), err
	}
	return orb.Collection(members), nil
}

// membersOf checks that every member of a multi-geometry (named kind in
// errors) is a G and returns them as one slice.
func membersOf[G orb.Geometry](members []orb.Geometry, kind string) ([]G, error) {
	out := make([]G, len(members))
	for i, m := range members {
		g, ok := m.(G)
		if !ok {
			return nil, fmt.Errorf("%w: %s member %d is a %s", ErrGeometry, kind, i, m.GeoJSONType())
		}
		out[i] = g
	}
	return out, nil
}

func (d *wkbDecoder) polygon(order binary.ByteOrder, dims int) (orb.Polygon, error) {
	n, err := d.count(order, 4)
	if err != nil {
		return nil, err
	}
	p := make(orb.Polygon, n)
	for i := range p {
		ps, err := d.points(order, dims)
		if err != nil {
			return nil, err
		}
		p[i] = orb.Ring(ps)
	}
	return p, nil
}
