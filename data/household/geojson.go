package household

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lastmile-health/lastmile/data"
	"github.com/paulmach/orb"
)

// GeoJSONReader streams the features of a GeoJSON FeatureCollection. It
// decodes token by token, holding one feature at a time, so a 1 GB file is
// read in constant memory. It makes two passes over the input: the first
// collects the property keys (in order of first appearance) so that Columns
// is known before the first row.
//
// A feature's top-level "id" becomes column "id" (or "feature_id" when the
// properties already hold an "id").
type GeoJSONReader struct {
	name    string
	src     io.ReadSeeker
	lc      *lineCounter
	guard   *guardReader
	dec     *json.Decoder
	columns []string
	index   map[string]int
	idCol   int // column for the feature's top-level id, -1 when none
	row     Row
	err     error
	closer  io.Closer
}

var _ Reader = (*GeoJSONReader)(nil)

// MaxFeatureBytes caps one GeoJSON feature (or other top-level member);
// the reader stops with an error rather than hold a larger one in memory.
const MaxFeatureBytes = 64 << 20

// maxColumns caps the number of distinct property keys (allocation sized by
// the input).
const maxColumns = 4096

// NewGeoJSON prepares to read the FeatureCollection in r; name is used in
// errors. It reads r twice (seeking back to the start). Input that is not a
// FeatureCollection gives a *data.ParseError wrapping data.ErrFormat.
func NewGeoJSON(name string, r io.ReadSeeker) (*GeoJSONReader, error) {
	g := &GeoJSONReader{name: name, src: r, index: map[string]int{}, idCol: -1}
	hasID, err := g.prescan()
	if err != nil {
		return nil, err
	}
	if hasID {
		n := "id"
		if _, ok := g.index[n]; ok {
			n = "feature_id"
		}
		if _, ok := g.index[n]; !ok {
			g.idCol = len(g.columns)
			g.index[n] = g.idCol
			g.columns = append(g.columns, n)
		}
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if err := g.start(); err != nil {
		return nil, err
	}
	g.row.cols = g.columns
	g.row.Fields = make([]string, len(g.columns))
	return g, nil
}

// Rewind goes back to the first feature, keeping the columns, for a second
// pass over the file without a second scan of the property keys.
func (g *GeoJSONReader) Rewind() error {
	if _, err := g.src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	g.err = nil
	return g.start()
}

func (g *GeoJSONReader) formatErr(line int, format string, a ...any) error {
	return &data.ParseError{File: g.name, Line: line, Err: fmt.Errorf("%w: "+format, append([]any{data.ErrFormat}, a...)...)}
}

// start positions the decoder inside the "features" array. A UTF-8
// byte-order mark, which encoding/json refuses, is skipped.
func (g *GeoJSONReader) start() error {
	pos, err := g.src.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	var bom [3]byte
	if n, _ := io.ReadFull(g.src, bom[:]); n < len(bom) || !bytes.Equal(bom[:], utf8BOM) {
		if _, err := g.src.Seek(pos, io.SeekStart); err != nil {
			return err
		}
	}
	g.guard = &guardReader{r: g.src, limit: MaxFeatureBytes}
	g.lc = &lineCounter{r: g.guard}
	g.dec = json.NewDecoder(g.lc)
	bad := func(err error) error {
		line := g.lc.lineAt(g.dec.InputOffset()) + 1
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			var se *json.SyntaxError
			if !errors.As(err, &se) {
				return &data.ParseError{File: g.name, Line: line, Err: err}
			}
		}
		return g.formatErr(line, "expected a GeoJSON FeatureCollection (an object with a \"features\" array)")
	}
	tok, err := g.dec.Token()
	if err != nil || tok != json.Delim('{') {
		return bad(err)
	}
	for g.dec.More() {
		tok, err := g.dec.Token()
		if err != nil {
			return bad(err)
		}
		key, _ := tok.(string)
		switch key {
		case "features":
			tok, err := g.dec.Token()
			if err != nil || tok != json.Delim('[') {
				return bad(err)
			}
			g.guard.limit = g.dec.InputOffset() + MaxFeatureBytes + 64<<10
			return nil
		case "type":
			var t string
			if err := g.dec.Decode(&t); err != nil || t != "FeatureCollection" {
				return g.formatErr(g.lc.lineAt(g.dec.InputOffset())+1, "type is %q; expected a GeoJSON FeatureCollection", t)
			}
		default:
			var skip json.RawMessage
			if err := g.dec.Decode(&skip); err != nil {
				return bad(err)
			}
			g.guard.limit = g.dec.InputOffset() + MaxFeatureBytes + 64<<10
		}
	}
	return bad(nil)
}

// prescan reads every feature's property keys. It reports whether any
// feature has a top-level id.
func (g *GeoJSONReader) prescan() (hasID bool, err error) {
	if err := g.start(); err != nil {
		return false, err
	}
	for g.dec.More() {
		var f struct {
			ID         json.RawMessage `json:"id"`
			Properties json.RawMessage `json:"properties"`
		}
		if err := g.dec.Decode(&f); err != nil {
			// The main pass reports the error at its row.
			return hasID, nil
		}
		g.guard.limit = g.dec.InputOffset() + MaxFeatureBytes + 64<<10
		if len(f.ID) > 0 && string(f.ID) != "null" {
			hasID = true
		}
		g.addKeys(f.Properties)
	}
	return hasID, nil
}

// addKeys adds the keys of a properties object, in order.
func (g *GeoJSONReader) addKeys(props json.RawMessage) {
	if len(props) == 0 || props[0] != '{' {
		return
	}
	d := json.NewDecoder(bytes.NewReader(props))
	if _, err := d.Token(); err != nil {
		return
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return
		}
		k, _ := tok.(string)
		if _, ok := g.index[k]; !ok && len(g.columns) < maxColumns {
			g.index[k] = len(g.columns)
			g.columns = append(g.columns, k)
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return
		}
	}
}

// Columns returns the property keys in order of first appearance.
func (g *GeoJSONReader) Columns() []string { return g.columns }

// Scan decodes the next feature. A feature whose properties or geometry are
// malformed is returned with Row.Err or Row.GeomErr set; invalid JSON stops
// the scan with an error (the stream cannot be resynchronised).
func (g *GeoJSONReader) Scan() bool {
	if g.err != nil || g.dec == nil {
		return false
	}
	if !g.dec.More() {
		g.dec = nil
		return false
	}
	var raw json.RawMessage
	if err := g.dec.Decode(&raw); err != nil {
		line := g.lc.lineAt(g.dec.InputOffset()) + 1
		if errors.Is(err, errRecordTooLong) {
			g.err = g.formatErr(line, "a feature longer than %d MB; expected GeoJSON features of points or outlines", MaxFeatureBytes>>20)
		} else {
			g.err = g.formatErr(line, "invalid JSON in the features array: %v", err)
		}
		return false
	}
	g.guard.limit = g.dec.InputOffset() + MaxFeatureBytes + 64<<10
	r := &g.row
	r.Line = g.lc.lineAt(g.dec.InputOffset()-int64(len(raw))) + 1
	r.rawDoc = raw
	r.Err, r.GeomErr, r.Geometry = nil, nil, nil
	clear(r.Fields)
	var f struct {
		Type       string                     `json:"type"`
		ID         json.RawMessage            `json:"id"`
		Properties map[string]json.RawMessage `json:"properties"`
		Geometry   json.RawMessage            `json:"geometry"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		r.Err = fmt.Errorf("feature is not a GeoJSON Feature object: %v", err)
		return true
	}
	for k, v := range f.Properties {
		if i, ok := g.index[k]; ok {
			r.Fields[i] = jsonText(v)
		}
	}
	if g.idCol >= 0 {
		r.Fields[g.idCol] = jsonText(f.ID)
	}
	r.Geometry, r.GeomErr = decodeGeometry(f.Geometry)
	return true
}

// jsonText renders a JSON value as a field: strings unquoted, null as "",
// numbers and booleans as written, objects and arrays as compact JSON.
func jsonText(v json.RawMessage) string {
	if len(v) == 0 {
		return ""
	}
	switch v[0] {
	case 'n':
		return ""
	case '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
		return string(v)
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, v) == nil {
			return strings.ToValidUTF8(b.String(), "\uFFFD")
		}
	}
	return strings.ToValidUTF8(string(v), "\uFFFD")
}

// Row returns the current row.
func (g *GeoJSONReader) Row() *Row { return &g.row }

// Err returns the error that stopped Scan, if any.
func (g *GeoJSONReader) Err() error { return g.err }

// Close closes the file when the reader was made by Open.
func (g *GeoJSONReader) Close() error {
	if g.closer != nil {
		return g.closer.Close()
	}
	return nil
}

// ErrGeometry is wrapped by Row.GeomErr for a geometry that cannot be read.
var ErrGeometry = errors.New("household: bad geometry")

// decodeGeometry reads a GeoJSON geometry object. A null or absent geometry
// gives (nil, nil).
func decodeGeometry(b json.RawMessage) (orb.Geometry, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrGeometry, err)
	}
	if len(g.Coordinates) == 0 || string(g.Coordinates) == "null" {
		return nil, fmt.Errorf("%w: %s without coordinates", ErrGeometry, g.Type)
	}
	bad := func(err error) (orb.Geometry, error) {
		return nil, fmt.Errorf("%w: %s coordinates: %v", ErrGeometry, g.Type, err)
	}
	switch g.Type {
	case "Point":
		var c []float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil {
			return bad(err)
		}
		p, err := position(c)
		if err != nil {
			return bad(err)
		}
		return p, nil
	case "MultiPoint":
		ps, err := multi(g.Coordinates, position)
		if err != nil {
			return bad(err)
		}
		return orb.MultiPoint(ps), nil
	case "Polygon":
		var rs [][][]float64
		if err := json.Unmarshal(g.Coordinates, &rs); err != nil {
			return bad(err)
		}
		p, err := polygon(rs)
		if err != nil {
			return bad(err)
		}
		return p, nil
	case "MultiPolygon":
		ps, err := multi(g.Coordinates, polygon)
		if err != nil {
			return bad(err)
		}
		return orb.MultiPolygon(ps), nil
	default:
		return nil, fmt.Errorf("%w: unsupported geometry type %q (want Point, MultiPoint, Polygon or MultiPolygon)", ErrGeometry, g.Type)
	}
}

// multi decodes the coordinates of a Multi* geometry, a non-empty JSON
// array, converting each member with part.
func multi[C, P any](coords json.RawMessage, part func(C) (P, error)) ([]P, error) {
	var cs []C
	if err := json.Unmarshal(coords, &cs); err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, errors.New("empty")
	}
	ps := make([]P, len(cs))
	for i, c := range cs {
		p, err := part(c)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	return ps, nil
}

func position(c []float64) (orb.Point, error) {
	if len(c) < 2 {
		return orb.Point{}, fmt.Errorf("position has %d values, want at least 2", len(c))
	}
	return orb.Point{c[0], c[1]}, nil
}

func polygon(rs [][][]float64) (orb.Polygon, error) {
	if len(rs) == 0 {
		return nil, errors.New("polygon has no rings")
	}
	p := make(orb.Polygon, 0, len(rs))
	for i, r := range rs {
		ring := make(orb.Ring, 0, len(r))
		for _, c := range r {
			q, err := position(c)
			if err != nil {
				return nil, err
			}
			ring = append(ring, q)
		}
		if len(ring) < 4 {
			return nil, errors.New("ring " + strconv.Itoa(i) + " has fewer than 4 positions")
		}
		p = append(p, ring)
	}
	return p, nil
}

// lineCounter passes bytes through and converts stream offsets to line
// numbers. It keeps only the bytes between the last converted offset and
// the read position, so memory stays bounded by the decoder's read-ahead.
type lineCounter struct {
	r     io.Reader
	buf   []byte // bytes from offset base on
	base  int64
	lines int // newlines before base
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.buf = append(l.buf, p[:n]...)
	return n, err
}

// lineAt returns the number of newlines before offset off (so the 1-based
// line of off is lineAt(off)+1). Offsets must not decrease.
func (l *lineCounter) lineAt(off int64) int {
	k := off - l.base
	if k <= 0 {
		return l.lines
	}
	if k > int64(len(l.buf)) {
		k = int64(len(l.buf))
	}
	l.lines += bytes.Count(l.buf[:k], []byte{'\n'})
	l.base += k
	n := copy(l.buf, l.buf[k:])
	l.buf = l.buf[:n]
	return l.lines
}
