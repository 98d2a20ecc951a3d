package household

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lastmile-health/lastmile/data"
)

// CSVReader streams a CSV export. It detects a UTF-8 byte-order mark, the
// delimiter (comma, semicolon or tab, from the header line) and the
// encoding (UTF-8, or Windows-1252 when the start of the file is not valid
// UTF-8). Quoted fields may span lines. Rows with fewer values than the
// header are padded with ""; rows with more keep the extra count in
// Row.Extra for the caller to judge.
type CSVReader struct {
	name    string
	cr      *csv.Reader
	columns []string
	comma   rune
	row     Row
	err     error
	closer  io.Closer
	cp1252  bool
	guard   *guardReader
}

// MaxRecordBytes caps one CSV record. A longer record almost always means
// an unterminated quote swallowing the rest of the file; the reader stops
// with an error instead of holding the file in memory.
const MaxRecordBytes = 16 << 20

// errRecordTooLong is returned by guardReader past its limit.
var errRecordTooLong = errors.New("record longer than 16 MB")

// guardReader refuses to read more than limit bytes past the start of the
// current record.
type guardReader struct {
	r     io.Reader
	read  int64
	limit int64
}

func (g *guardReader) Read(p []byte) (int, error) {
	if g.read >= g.limit {
		return 0, errRecordTooLong
	}
	if rest := g.limit - g.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

var _ Reader = (*CSVReader)(nil)

// NewCSV reads the header of a CSV file from r; name is used in errors.
// Errors for input that is not CSV text wrap data.ErrFormat.
func NewCSV(name string, r io.Reader) (*CSVReader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < sniffSize {
		br = bufio.NewReaderSize(r, sniffSize)
	}
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if err := checkText(name, head); err != nil {
		return nil, err
	}
	if bytes.HasPrefix(head, utf8BOM) {
		br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	c := &CSVReader{name: name}
	var src io.Reader = br
	if !validUTF8Prefix(head, len(head) < sniffSize) {
		c.cp1252 = true
		src = &cp1252Reader{r: br}
	}
	c.comma = sniffDelimiter(head)
	c.guard = &guardReader{r: src, limit: MaxRecordBytes}
	c.cr = csv.NewReader(c.guard)
	c.cr.Comma = c.comma
	c.cr.FieldsPerRecord = -1
	c.cr.LazyQuotes = true
	c.cr.ReuseRecord = true
	hdr, err := c.cr.Read()
	if err != nil {
		if err == io.EOF {
			err = fmt.Errorf("%w: no header row; expected a CSV export with column names", data.ErrFormat)
		}
		return nil, &data.ParseError{File: name, Line: 1, Err: err}
	}
	c.columns = make([]string, len(hdr))
	for i, h := range hdr {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if !utf8.ValidString(h) {
			h = decodeCP1252(h)
		}
		if h == "" {
			h = "column_" + strconv.Itoa(i+1)
		}
		c.columns[i] = h
	}
	c.row.comma = c.comma
	c.row.cols = c.columns
	c.row.Fields = make([]string, len(c.columns))
	return c, nil
}

// Columns returns the header's column names, trimmed; an empty name becomes
// "column_N".
func (c *CSVReader) Columns() []string { return c.columns }

// Comma returns the detected delimiter.
func (c *CSVReader) Comma() rune { return c.comma }

// Scan reads the next record. A record that encoding/csv cannot parse is
// returned with Row.Err set; only I/O errors stop the scan.
func (c *CSVReader) Scan() bool {
	if c.err != nil {
		return false
	}
	for {
		rec, err := c.cr.Read()
		if err == io.EOF {
			return false
		}
		// The next record may start at most MaxRecordBytes further on
		// (plus what encoding/csv has buffered).
		c.guard.limit = c.cr.InputOffset() + MaxRecordBytes + 64<<10
		r := &c.row
		r.Err = nil
		r.Extra = 0
		if err != nil {
			var pe *csv.ParseError
			if errors.Is(err, errRecordTooLong) {
				line := 0
				if errors.As(err, &pe) {
					line = pe.StartLine
				}
				c.err = &data.ParseError{File: c.name, Line: line, Err: fmt.Errorf("%w: a record longer than %d MB (an unterminated quote?); expected CSV rows", data.ErrFormat, MaxRecordBytes>>20)}
				return false
			}
			if !errors.As(err, &pe) {
				c.err = &data.ParseError{File: c.name, Err: err}
				return false
			}
			r.Line = pe.StartLine
			r.Err = pe.Err
			r.record = append(r.record[:0], rec...)
			clear(r.Fields)
			return true
		}
		line, _ := c.cr.FieldPos(0)
		if len(rec) == 1 && rec[0] == "" {
			continue // a blank line
		}
		r.Line = line
		for i, f := range rec {
			if !c.cp1252 && !utf8.ValidString(f) {
				rec[i] = decodeCP1252(f)
			}
		}
		r.record = rec
		n := copy(r.Fields, rec)
		clear(r.Fields[n:])
		if len(rec) > len(r.Fields) {
			r.Extra = len(rec) - len(r.Fields)
		}
		return true
	}
}

// Row returns the current row.
func (c *CSVReader) Row() *Row { return &c.row }

// Err returns the I/O error that stopped Scan, if any.
func (c *CSVReader) Err() error { return c.err }

// Close closes the file when the reader was made by Open.
func (c *CSVReader) Close() error {
	if c.closer != nil {
		return c.closer.Close()
	}
	return nil
}

// sniffDelimiter picks the delimiter that occurs most often, outside quotes,
// on the header line.
func sniffDelimiter(head []byte) rune {
	counts := map[byte]int{}
	inQuote := false
	for _, c := range head {
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut at
// the end when b is only the start of the file.
func validUTF8Prefix(b []byte, whole bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if whole {
		return false
	}
	for i := 1; i < utf8.UTFMax && i < len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return true
		}
	}
	return false
}

// cp1252 maps bytes 0x80-0x9F of Windows-1252 to Unicode; the other bytes
// map to the same code point (as in Latin-1). Undefined bytes map to U+FFFD.
var cp1252 = [32]rune{
	'€', '\uFFFD', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\uFFFD', 'Ž', '\uFFFD',
	'\uFFFD', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\uFFFD', 'ž', 'Ÿ',
}

func cp1252Rune(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		return cp1252[c-0x80]
	}
	return rune(c)
}

// decodeCP1252 reads s as Windows-1252.
func decodeCP1252(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 {
			b.WriteByte(s[i])
		} else {
			b.WriteRune(cp1252Rune(s[i]))
		}
	}
	return b.String()
}

// cp1252Reader transcodes a Windows-1252 stream to UTF-8.
type cp1252Reader struct {
	r   io.Reader
	in  []byte
	out []byte
	off int
}

func (t *cp1252Reader) Read(p []byte) (int, error) {
	for t.off == len(t.out) {
		if cap(t.in) == 0 {
			t.in = make([]byte, 16<<10)
		}
		n, err := t.r.Read(t.in[:cap(t.in)])
		t.out, t.off = t.out[:0], 0
		for _, c := range t.in[:n] {
			if c < 0x80 {
				t.out = append(t.out, c)
			} else {
				t.out = utf8.AppendRune(t.out, cp1252Rune(c))
			}
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, t.out[t.off:])
	t.off += n
	return n, nil
}
