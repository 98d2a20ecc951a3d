// Package xmlscan is a streaming reader for OSM XML built for osmnet's
// passes: it skips the elements a pass does not need without decoding them.
// paulmach/osm's osmxml decodes every element with encoding/xml (about 150k
// nodes/s on one core); this one finds element boundaries with vectorised
// byte searches and parses only the attributes it uses (several million
// nodes skipped per second, over a million decoded).
//
// It accepts the XML that OSM tools write: elements, attributes in single
// or double quotes, the five predefined entities and character references,
// comments, processing instructions, a doctype and CDATA (ignored). It
// checks that the document has an <osm> root that is closed, so a truncated
// file is an error. Objects marked action="delete" (JOSM) or
// visible="false" are left out. Coordinates carry no CRS conversion: WGS 84
// degrees as written.
package xmlscan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/osm"
)

// Scanner reads nodes, ways and relations from OSM XML. Set the exported
// fields before the first Scan. The objects it returns are reused by the
// next Scan: copy what you keep. Not safe for concurrent use.
type Scanner struct {
	// SkipNodes, SkipWays and SkipRelations skip those elements without
	// decoding them.
	SkipNodes, SkipWays, SkipRelations bool
	// FilterNode and FilterWay, when not nil, are asked with the id before
	// the rest of an element is decoded; false skips it.
	FilterNode func(id int64) bool
	FilterWay  func(id int64) bool

	ctx context.Context
	r   io.Reader

	buf      []byte
	pos, end int  // buf[pos:end] is unread
	line     int  // newlines in the bytes dropped from the front of buf
	eof      bool // r returned io.EOF
	rootOpen bool
	rootDone bool
	calls    int

	node   osm.Node
	way    osm.Way
	rel    osm.Relation
	obj    osm.Object
	err    error
	intern map[string]string
}

var _ osm.Scanner = (*Scanner)(nil)

const (
	xmlBufSize = 64 << 10
	// maxXMLTag caps one tag (from < to >): no OSM element tag is near it,
	// and it bounds the buffer on garbage input.
	maxXMLTag = 16 << 20
	// maxInterned bounds the string intern table.
	maxInterned = 1 << 14
)

// SyntaxError is malformed XML, or XML that is not OSM data, at a line
// (1-based).
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// New returns a Scanner reading r. It does not close r. A nil ctx means
// context.Background().
func New(ctx context.Context, r io.Reader) *Scanner {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Scanner{ctx: ctx, r: r, buf: make([]byte, xmlBufSize), intern: map[string]string{}}
}

// Close stops the scanner; it does not close the reader.
func (s *Scanner) Close() error {
	if s.err == nil {
		s.err = osm.ErrScannerClosed
	}
	return nil
}

// Object returns the object of the last successful Scan.
func (s *Scanner) Object() osm.Object { return s.obj }

// Err returns the first error, nil at a clean end of the document.
func (s *Scanner) Err() error {
	if s.err == io.EOF || s.err == osm.ErrScannerClosed {
		return nil
	}
	return s.err
}

// errorf records a syntax error at the current position.
func (s *Scanner) errorf(format string, args ...any) error {
	line := s.line + 1 + bytes.Count(s.buf[:min(s.pos, s.end)], []byte{'\n'})
	return &SyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// fill reads more input after buf[pos:end], moving the unread bytes to the
// front and growing the buffer when a tag does not fit. It returns false at
// the end of the input or on an error (in s.err).
func (s *Scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.line += bytes.Count(s.buf[:s.pos], []byte{'\n'})
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxXMLTag {
			s.err = s.errorf("xml tag longer than %d bytes", maxXMLTag)
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	if err := s.ctx.Err(); err != nil {
		s.err = err
		return false
	}
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return n > 0
		}
		if err != nil {
			s.err = err
			return false
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// tag kinds returned by next.
const (
	tagStart = iota + 1 // <name ...>
	tagEmpty            // <name .../>
	tagEnd              // </name>
)

// xmlTag is one tag; its slices point into the buffer and are valid until
// the next call of next.
type xmlTag struct {
	kind  int
	name  []byte
	attrs []byte
}

// next returns the next element tag, skipping text, comments, processing
// instructions, doctypes and CDATA. At the end of the input it returns
// io.EOF (or the read error).
func (s *Scanner) next() (xmlTag, error) {
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			s.pos = s.end
			if !s.fill() {
				return xmlTag{}, s.endErr()
			}
			continue
		}
		s.pos += i
		n, ok := s.tagLen()
		if !ok {
			if s.err != nil {
				return xmlTag{}, s.err
			}
			if !s.fill() {
				if s.err != nil {
					return xmlTag{}, s.err
				}
				return xmlTag{}, s.errorf("unexpected end of file inside a tag")
			}
			continue
		}
		b := s.buf[s.pos : s.pos+n]
		s.pos += n
		switch {
		case b[1] == '?' || b[1] == '!':
			continue // processing instruction, comment, doctype or CDATA
		case b[1] == '/':
			name := b[2 : len(b)-1]
			for len(name) > 0 && isSpace(name[len(name)-1]) {
				name = name[:len(name)-1]
			}
			return xmlTag{kind: tagEnd, name: name}, nil
		}
		t := xmlTag{kind: tagStart}
		body := b[1 : len(b)-1]
		if body[len(body)-1] == '/' {
			t.kind = tagEmpty
			body = body[:len(body)-1]
		}
		j := 0
		for j < len(body) && !isSpace(body[j]) {
			j++
		}
		if j == 0 {
			return xmlTag{}, s.errorf("xml tag without a name")
		}
		t.name, t.attrs = body[:j], body[j:]
		return t, nil
	}
}

// endErr is the error at the end of the input: the read error if any, else
// io.EOF.
func (s *Scanner) endErr() error {
	if s.err != nil {
		return s.err
	}
	return io.EOF
}

// tagLen returns the length of the tag at buf[pos] ('<' ... '>'), honouring
// quoted attribute values, and false when the buffer ends first (or, with
// s.err set, on a syntax error).
func (s *Scanner) tagLen() (int, bool) {
	b := s.buf[s.pos:s.end]
	if len(b) < 2 {
		return 0, false
	}
	var closer []byte
	switch {
	case b[1] == '?':
		closer = []byte("?>")
	case bytes.HasPrefix(b, []byte("<!--")):
		closer = []byte("-->")
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		closer = []byte("]]>")
	case len(b) < 9 && bytes.HasPrefix([]byte("<![CDATA["), b):
		return 0, false // could still become "<![CDATA["
	}
	if closer != nil {
		i := bytes.Index(b[2:], closer)
		if i < 0 {
			return 0, false
		}
		return 2 + i + len(closer), true
	}
	// Fast path: the first '>' ends the tag when no quote is open before
	// it, which holds for most tags; all searches here are vectorised.
	if i := bytes.IndexByte(b, '>'); i >= 0 {
		seg := b[1:i]
		if bytes.IndexByte(seg, '\'') < 0 && bytes.Count(seg, []byte{'"'})%2 == 0 && bytes.IndexByte(seg, '<') < 0 && i > 1 && !(i == 2 && b[1] == '/') {
			return i + 1, true
		}
	}
	var quote byte
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			if i == 1 || (i == 2 && b[1] == '/') {
				s.err = s.errorf("empty xml tag")
				return 0, false
			}
			return i + 1, true
		case c == '<':
			s.err = s.errorf("'<' inside a tag")
			return 0, false
		}
	}
	return 0, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// attr returns the next attribute of attrs and the rest.
func (s *Scanner) attr(attrs []byte) (key, val, rest []byte, ok bool, err error) {
	i := 0
	for i < len(attrs) && isSpace(attrs[i]) {
		i++
	}
	if i == len(attrs) {
		return nil, nil, nil, false, nil
	}
	attrs = attrs[i:]
	eq := bytes.IndexByte(attrs, '=')
	if eq <= 0 {
		return nil, nil, nil, false, s.errorf("malformed xml attribute")
	}
	key = attrs[:eq]
	for len(key) > 0 && isSpace(key[len(key)-1]) {
		key = key[:len(key)-1]
	}
	v := attrs[eq+1:]
	for len(v) > 0 && isSpace(v[0]) {
		v = v[1:]
	}
	if len(v) == 0 || (v[0] != '"' && v[0] != '\'') {
		return nil, nil, nil, false, s.errorf("xml attribute %q not quoted", key)
	}
	end := bytes.IndexByte(v[1:], v[0])
	if end < 0 {
		return nil, nil, nil, false, s.errorf("xml attribute %q not closed", key)
	}
	return key, v[1 : 1+end], v[2+end:], true, nil
}

// str returns the attribute value as a string, with entities decoded and
// short common values interned.
func (s *Scanner) str(v []byte) (string, error) {
	if bytes.IndexByte(v, '&') >= 0 {
		d, err := unescape(v)
		if err != nil {
			return "", s.errorf("%v", err)
		}
		v = d
	}
	if len(v) > 32 {
		return string(v), nil
	}
	if str, ok := s.intern[string(v)]; ok {
		return str, nil
	}
	str := string(v)
	if len(s.intern) < maxInterned {
		s.intern[str] = str
	}
	return str, nil
}

// unescape decodes the predefined entities and character references.
func unescape(v []byte) ([]byte, error) {
	out := make([]byte, 0, len(v))
	for len(v) > 0 {
		i := bytes.IndexByte(v, '&')
		if i < 0 {
			return append(out, v...), nil
		}
		out = append(out, v[:i]...)
		v = v[i:]
		semi := bytes.IndexByte(v, ';')
		if semi < 0 || semi > 12 {
			return nil, errors.New("unterminated xml entity")
		}
		ent := string(v[1:semi])
		switch ent {
		case "amp":
			out = append(out, '&')
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			var r uint64
			var err error
			switch {
			case len(ent) > 2 && (ent[:2] == "#x" || ent[:2] == "#X"):
				r, err = strconv.ParseUint(ent[2:], 16, 32)
			case len(ent) > 1 && ent[0] == '#':
				r, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return nil, fmt.Errorf("unknown xml entity &%s;", ent)
			}
			if err != nil || r == 0 || r > 0x10FFFF {
				return nil, fmt.Errorf("bad xml character reference &%s;", ent)
			}
			out = fmt.Appendf(out, "%c", rune(r))
		}
		v = v[semi+1:]
	}
	return out, nil
}

// parseID parses a decimal, possibly negative, OSM id.
func parseID(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseCoord parses a coordinate in degrees. The usual form, at most 3
// integer and 7 fraction digits, is read as an integer count of 1e-7° and
// gives float64(k)/1e7, the same value osmnet's rounding gives for a PBF's
// integer coordinates; other forms go through strconv.ParseFloat.
func parseCoord(b []byte) (float64, bool) {
	s := b
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	var k int64
	intDigits, fracDigits, dot := 0, 0, false
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			if dot {
				fracDigits++
			} else {
				intDigits++
			}
			k = k*10 + int64(c-'0')
		case c == '.' && !dot:
			dot = true
		default:
			return parseFloat(b)
		}
	}
	if intDigits == 0 || intDigits > 3 || fracDigits > 7 || (dot && fracDigits == 0) {
		return parseFloat(b)
	}
	for range 7 - fracDigits {
		k *= 10
	}
	if neg {
		k = -k
	}
	return float64(k) / 1e7, true
}

func parseFloat(b []byte) (float64, bool) {
	v, err := strconv.ParseFloat(string(b), 64)
	return v, err == nil
}

// Scan advances to the next node, way or relation the pass needs.
func (s *Scanner) Scan() bool {
	if s.err != nil {
		return false
	}
	if s.calls++; s.calls&1023 == 0 {
		if err := s.ctx.Err(); err != nil {
			s.err = err
			return false
		}
	}
	ok, err := s.scan()
	if err != nil {
		s.err = err
		return false
	}
	return ok
}

func (s *Scanner) scan() (bool, error) {
	for {
		t, err := s.next()
		if err == io.EOF {
			switch {
			case !s.rootOpen && !s.rootDone:
				return false, s.errorf("no <osm> element")
			case s.rootOpen:
				return false, s.errorf("unexpected end of file: <osm> not closed (truncated file?)")
			}
			return false, io.EOF
		}
		if err != nil {
			return false, err
		}
		if !s.rootOpen {
			if s.rootDone {
				return false, s.errorf("xml content after </osm>")
			}
			if t.kind == tagEnd || string(t.name) != "osm" {
				return false, s.errorf("xml root element is <%s>, want <osm>", t.name)
			}
			if t.kind == tagEmpty {
				s.rootDone = true
			} else {
				s.rootOpen = true
			}
			continue
		}
		if t.kind == tagEnd {
			if string(t.name) != "osm" {
				return false, s.errorf("unexpected </%s> in <osm>", t.name)
			}
			s.rootOpen, s.rootDone = false, true
			continue
		}
		switch string(t.name) {
		case "node":
			if !s.SkipNodes {
				ok, err := s.readNode(t)
				if ok || err != nil {
					return ok, err
				}
				continue
			}
		case "way":
			if !s.SkipWays {
				ok, err := s.readWay(t)
				if ok || err != nil {
					return ok, err
				}
				continue
			}
		case "relation":
			if !s.SkipRelations {
				ok, err := s.readRelation(t)
				if ok || err != nil {
					return ok, err
				}
				continue
			}
		}
		if err := s.skip(t); err != nil {
			return false, err
		}
	}
}

// skip skips the element whose start tag is t.
func (s *Scanner) skip(t xmlTag) error {
	if t.kind != tagStart {
		return nil
	}
	depth := 1
	for depth > 0 {
		c, err := s.next()
		if err == io.EOF {
			return s.errorf("unexpected end of file inside an element (truncated file?)")
		}
		if err != nil {
			return err
		}
		switch c.kind {
		case tagStart:
			depth++
		case tagEnd:
			depth--
		}
	}
	return nil
}

// head reads the id (and, for nodes, lat and lon) of an element, and
// reports whether it is marked deleted (JOSM's action="delete").
//
// When keep is not nil and rejects the id, head returns at once with
// deleted true, without reading the other attributes.
func (s *Scanner) head(t xmlTag, what string, keep func(int64) bool, lat, lon *[]byte) (id int64, deleted bool, err error) {
	attrs := t.attrs
	haveID := false
	for {
		k, v, rest, ok, err := s.attr(attrs)
		if err != nil {
			return 0, false, err
		}
		if !ok {
			break
		}
		attrs = rest
		switch string(k) {
		case "id":
			if id, ok = parseID(v); !ok {
				return 0, false, s.errorf("%s: bad id %q", what, truncate(v))
			}
			haveID = true
			if keep != nil && !keep(id) {
				return id, true, nil
			}
		case "lat":
			if lat != nil {
				*lat = v
			}
		case "lon":
			if lon != nil {
				*lon = v
			}
		case "action":
			deleted = string(v) == "delete"
		case "visible":
			deleted = deleted || string(v) == "false"
		}
	}
	if !haveID {
		return 0, false, s.errorf("%s without id", what)
	}
	return id, deleted, nil
}

func truncate(b []byte) []byte {
	if len(b) > 20 {
		return b[:20]
	}
	return b
}

// children calls fn for each child start tag of the element t, named name,
// until its end tag; fn must not keep the tag. (t's slices go stale once
// the buffer refills, hence name.)
func (s *Scanner) children(t xmlTag, name string, fn func(c xmlTag) error) error {
	if t.kind != tagStart {
		return nil
	}
	for {
		c, err := s.next()
		if err == io.EOF {
			return s.errorf("unexpected end of file inside <%s> (truncated file?)", name)
		}
		if err != nil {
			return err
		}
		if c.kind == tagEnd {
			if string(c.name) != name {
				return s.errorf("</%s> closes <%s>", c.name, name)
			}
			return nil
		}
		if err := fn(c); err != nil {
			return err
		}
		if c.kind == tagStart {
			if err := s.skip(c); err != nil {
				return err
			}
		}
	}
}

// tag parses a <tag k= v=/> child into tags.
func (s *Scanner) tag(c xmlTag, tags osm.Tags) (osm.Tags, error) {
	var key, val string
	attrs := c.attrs
	for {
		k, v, rest, ok, err := s.attr(attrs)
		if err != nil {
			return tags, err
		}
		if !ok {
			break
		}
		attrs = rest
		switch string(k) {
		case "k":
			if key, err = s.str(v); err != nil {
				return tags, err
			}
		case "v":
			if val, err = s.str(v); err != nil {
				return tags, err
			}
		}
	}
	return append(tags, osm.Tag{Key: key, Value: val}), nil
}

func (s *Scanner) readNode(t xmlTag) (bool, error) {
	var lat, lon []byte
	id, deleted, err := s.head(t, "node", s.FilterNode, &lat, &lon)
	if err != nil {
		return false, err
	}
	if deleted {
		return false, s.skip(t)
	}
	n := &s.node
	*n = osm.Node{ID: osm.NodeID(id), Tags: n.Tags[:0], Lat: math.NaN(), Lon: math.NaN()}
	if lat != nil && lon != nil {
		var ok bool
		if n.Lat, ok = parseCoord(lat); !ok {
			return false, s.errorf("node %d: bad lat %q", id, truncate(lat))
		}
		if n.Lon, ok = parseCoord(lon); !ok {
			return false, s.errorf("node %d: bad lon %q", id, truncate(lon))
		}
	}
	err = s.children(t, "node", func(c xmlTag) error {
		if string(c.name) == "tag" {
			var err error
			n.Tags, err = s.tag(c, n.Tags)
			return err
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	s.obj = n
	return true, nil
}

func (s *Scanner) readWay(t xmlTag) (bool, error) {
	id, deleted, err := s.head(t, "way", s.FilterWay, nil, nil)
	if err != nil {
		return false, err
	}
	if deleted {
		return false, s.skip(t)
	}
	w := &s.way
	*w = osm.Way{ID: osm.WayID(id), Nodes: w.Nodes[:0], Tags: w.Tags[:0]}
	err = s.children(t, "way", func(c xmlTag) error {
		switch string(c.name) {
		case "tag":
			var err error
			w.Tags, err = s.tag(c, w.Tags)
			return err
		case "nd":
			attrs := c.attrs
			for {
				k, v, rest, ok, err := s.attr(attrs)
				if err != nil {
					return err
				}
				if !ok {
					return s.errorf("way %d: <nd> without ref", id)
				}
				attrs = rest
				if string(k) == "ref" {
					ref, ok := parseID(v)
					if !ok {
						return s.errorf("way %d: bad node ref %q", id, truncate(v))
					}
					w.Nodes = append(w.Nodes, osm.WayNode{ID: osm.NodeID(ref)})
					return nil
				}
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	s.obj = w
	return true, nil
}

func (s *Scanner) readRelation(t xmlTag) (bool, error) {
	id, deleted, err := s.head(t, "relation", nil, nil, nil)
	if err != nil {
		return false, err
	}
	if deleted {
		return false, s.skip(t)
	}
	r := &s.rel
	*r = osm.Relation{ID: osm.RelationID(id), Members: r.Members[:0], Tags: r.Tags[:0]}
	err = s.children(t, "relation", func(c xmlTag) error {
		switch string(c.name) {
		case "tag":
			var err error
			r.Tags, err = s.tag(c, r.Tags)
			return err
		case "member":
			var m osm.Member
			attrs := c.attrs
			for {
				k, v, rest, ok, err := s.attr(attrs)
				if err != nil {
					return err
				}
				if !ok {
					break
				}
				attrs = rest
				switch string(k) {
				case "type":
					if m.Type, err = s.typ(v); err != nil {
						return err
					}
				case "ref":
					if m.Ref, ok = parseID(v); !ok {
						return s.errorf("relation %d: bad member ref %q", id, truncate(v))
					}
				case "role":
					if m.Role, err = s.str(v); err != nil {
						return err
					}
				}
			}
			r.Members = append(r.Members, m)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	s.obj = r
	return true, nil
}

func (s *Scanner) typ(v []byte) (osm.Type, error) {
	switch string(v) {
	case "node":
		return osm.TypeNode, nil
	case "way":
		return osm.TypeWay, nil
	case "relation":
		return osm.TypeRelation, nil
	}
	str, err := s.str(v)
	return osm.Type(str), err
}
