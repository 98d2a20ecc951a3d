package household

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/lastmile-health/lastmile/data"
	"github.com/paulmach/orb"
)

// MaxRaw caps the length of Row.Raw in bytes, so that one huge feature or row
// cannot blow up a rejects table.
const MaxRaw = 64 << 10

// Row is one record of an input file. Its slices are reused by the next Scan
// unless the caller copies them.
type Row struct {
	// Line is the 1-based line where the record starts.
	Line int
	// Fields holds the values aligned with the reader's Columns; missing
	// values and JSON nulls are "".
	Fields []string
	// Extra counts the values beyond the header in a ragged CSV row.
	Extra int
	// Geometry is the GeoJSON feature's geometry; nil for CSV rows and for
	// null geometries.
	Geometry orb.Geometry
	// GeomErr is set when a GeoJSON geometry is present but unusable.
	GeomErr error
	// Err is set when the record itself could not be parsed; the row is
	// still returned so that the caller can account for it.
	Err error

	record []string // CSV: the whole record, extras included
	comma  rune
	rawDoc []byte // GeoJSON: the feature as in the file
	cols   []string
}

// Raw returns the row as text: for CSV the record re-encoded with the
// file's delimiter, for GeoJSON the feature's JSON. Values of the columns
// for which redact returns true are replaced by "[redacted]" (redact may be
// nil); in a ragged CSV row also the values that may have shifted there
// from such a column, and for a GeoJSON feature whose properties are not an
// object, all of them. The result is at most MaxRaw bytes.
func (r *Row) Raw(redact func(col int) bool) string {
	var s string
	if r.rawDoc != nil {
		s = r.rawJSON(redact)
	} else {
		var b strings.Builder
		w := newFieldWriter(&b, r.comma)
		for i, f := range r.record {
			if f != "" && r.redacted(redact, i) {
				f = "[redacted]"
			}
			w.field(f)
			if b.Len() > MaxRaw {
				break
			}
		}
		s = b.String()
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) > MaxRaw {
		s = s[:MaxRaw]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// redacted reports whether record value i is redacted. In a ragged row
// (Extra values more than the header) values may have shifted right by up
// to Extra columns, e.g. after an unquoted comma in a name, so a value is
// redacted when any column it may have come from is.
func (r *Row) redacted(redact func(col int) bool, i int) bool {
	if redact == nil {
		return false
	}
	for j := max(0, i-r.Extra); j <= i && j < len(r.Fields); j++ {
		if redact(j) {
			return true
		}
	}
	return false
}

func (r *Row) rawJSON(redact func(col int) bool) string {
	doc := r.rawDoc
	needs := false
	if redact != nil {
		// Look at the columns, not at Fields: Fields are empty when the
		// feature could not be read (Row.Err), but its JSON still holds
		// the values.
		for i := range r.cols {
			if redact(i) {
				needs = true
				break
			}
		}
	}
	if needs {
		var f map[string]json.RawMessage
		if json.Unmarshal(doc, &f) != nil {
			return `{"redacted":true}`
		}
		if p, ok := f["properties"]; ok && string(p) != "null" {
			var props map[string]json.RawMessage
			if json.Unmarshal(p, &props) == nil {
				for i, c := range r.cols {
					if redact(i) {
						if _, ok := props[c]; ok {
							props[c] = json.RawMessage(`"[redacted]"`)
						}
					}
				}
				if b, err := json.Marshal(props); err == nil {
					f["properties"] = b
				} else {
					f["properties"] = json.RawMessage(`"[redacted]"`)
				}
			} else {
				// Not an object: no telling which values are personal.
				f["properties"] = json.RawMessage(`"[redacted]"`)
			}
		}
		if b, err := json.Marshal(f); err == nil {
			return string(b)
		}
		return `{"redacted":true}`
	}
	var buf bytes.Buffer
	if json.Compact(&buf, doc) == nil {
		return buf.String()
	}
	return string(doc)
}

// fieldWriter writes CSV fields, quoting as encoding/csv does.
type fieldWriter struct {
	b     *strings.Builder
	comma rune
	n     int
}

func newFieldWriter(b *strings.Builder, comma rune) *fieldWriter {
	if comma == 0 {
		comma = ','
	}
	return &fieldWriter{b: b, comma: comma}
}

func (w *fieldWriter) field(f string) {
	if w.n > 0 {
		w.b.WriteRune(w.comma)
	}
	w.n++
	if f == "" || !strings.ContainsAny(f, string(w.comma)+"\"\r\n") && f[0] != ' ' {
		w.b.WriteString(f)
		return
	}
	w.b.WriteByte('"')
	w.b.WriteString(strings.ReplaceAll(f, `"`, `""`))
	w.b.WriteByte('"')
}

// Reader streams the rows of one file.
type Reader interface {
	// Columns returns the column names (CSV header, GeoJSON property keys).
	Columns() []string
	// Scan advances to the next row; false at the end or on an error.
	Scan() bool
	// Row returns the current row, valid until the next Scan.
	Row() *Row
	// Err returns the error that stopped Scan, nil at a clean end.
	Err() error
	// Close releases the reader; it closes files it opened itself.
	Close() error
}

// Format is an input file format.
type Format int

// The formats Open recognises.
const (
	CSV Format = iota
	GeoJSON
)

// String returns "CSV" or "GeoJSON".
func (f Format) String() string {
	if f == GeoJSON {
		return "GeoJSON"
	}
	return "CSV"
}

// sniffSize is how much of a file is examined to choose format and encoding.
const sniffSize = 64 << 10

// Open opens path and returns a Reader for it. The format is chosen by
// content: a file whose first non-blank character is '{' is GeoJSON,
// anything else CSV. Errors for unusable files are *data.ParseError
// wrapping data.ErrFormat and name the file and what was expected.
func Open(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	switch r := r.(type) {
	case *CSVReader:
		r.closer = f
	case *GeoJSONReader:
		r.closer = f
	}
	return r, nil
}

// NewReader is Open for a file the caller has opened (and closes): it
// reads r from offset 0, seeking there first, and chooses the format as
// Open does; name is used in errors. A CSV is read once, front to back; a
// GeoJSON file twice (see NewGeoJSON).
func NewReader(name string, r io.ReadSeeker) (Reader, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, _ := br.Peek(sniffSize)
	format, err := sniff(name, head)
	if err != nil {
		return nil, err
	}
	if format == GeoJSON {
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return NewGeoJSON(name, r)
	}
	return NewCSV(name, br)
}

// sniff classifies the start of a file.
func sniff(name string, head []byte) (Format, error) {
	b := bytes.TrimPrefix(head, utf8BOM)
	if err := checkText(name, head); err != nil {
		return CSV, err
	}
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		return GeoJSON, nil
	}
	return CSV, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkText refuses UTF-16 and binary input with one clear error.
func checkText(name string, head []byte) error {
	formatErr := func(msg string) error {
		return &data.ParseError{File: name, Err: fmt.Errorf("%w: %s", data.ErrFormat, msg)}
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return formatErr("file is UTF-16 text; expected UTF-8 CSV or GeoJSON (save it as \"CSV UTF-8\")")
	}
	if len(head) == 0 {
		return formatErr("file is empty; expected a CSV export with a header row or a GeoJSON FeatureCollection")
	}
	// UTF-16 without a BOM has a zero in every other byte for ASCII text:
	// on odd offsets (little-endian) or even ones (big-endian), almost never
	// on the others. Binary files have zeros too, but scattered.
	zeros, ctrl := 0, 0
	var zeroAt [2]int
	for i, c := range head {
		switch {
		case c == 0:
			zeros++
			zeroAt[i%2]++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			ctrl++
		}
	}
	half := len(head) / 2
	for k := 0; k < 2 && half >= 4; k++ {
		if zeroAt[k]*10 >= half*8 && zeroAt[1-k]*10 <= half {
			return formatErr("file looks like UTF-16 text (every other byte is zero); expected UTF-8 CSV or GeoJSON (save it as \"CSV UTF-8\")")
		}
	}
	if zeros > 0 || ctrl*100 > len(head) {
		return formatErr("file is binary (e.g. a spreadsheet or archive), not text; expected a CSV export or GeoJSON")
	}
	return nil
}
