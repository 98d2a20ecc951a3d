package osmnet

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/lastmile-health/lastmile/data"
)

// format is the encoding of an OSM stream once decompressed.
type format int

const (
	formatPBF format = iota + 1
	formatXML
)

func (f format) String() string {
	if f == formatPBF {
		return "pbf"
	}
	return "xml"
}

// sniffSize is how many bytes the format detection may look at: enough for
// an XML declaration, a comment or two and the <osm> root element.
const sniffSize = 4096

// stream is one decompressed pass over the input.
type stream struct {
	r       io.Reader
	format  format
	closers []io.Closer // closed in reverse order
}

func (s *stream) Close() error {
	var first error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// openStream opens the input, undoes gzip or bzip2 compression found by
// magic bytes, and detects PBF or XML by content. The file extension plays no
// part, so a misnamed file still reads.
func openStream(name string, open func() (io.ReadCloser, error)) (*stream, error) {
	rc, err := open()
	if err != nil {
		return nil, err
	}
	s := &stream{closers: []io.Closer{rc}}
	var r io.Reader = rc
	for depth := 0; ; depth++ {
		br := bufio.NewReaderSize(r, 64<<10)
		head, err := br.Peek(sniffSize)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			s.Close()
			if depth > 0 {
				return nil, formatErr(name, "corrupt compressed stream: %v", err)
			}
			return nil, err
		}
		switch {
		case depth < 2 && bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
			zr, err := gzip.NewReader(br)
			if err != nil {
				s.Close()
				return nil, formatErr(name, "corrupt gzip header: %v", err)
			}
			s.closers = append(s.closers, zr)
			r = zr
			continue
		case depth < 2 && bytes.HasPrefix(head, []byte("BZh")):
			r = bzip2.NewReader(br)
			continue
		case isPBF(head):
			s.r, s.format = br, formatPBF
			return s, nil
		}
		if err := sniffXML(head, len(head) < sniffSize); err != nil {
			s.Close()
			return nil, formatErr(name, "%v", err)
		}
		s.r, s.format = br, formatXML
		return s, nil
	}
}

// isPBF reports whether head starts like an OSM PBF file: a 4-byte
// big-endian BlobHeader length followed by field 1 (type) = "OSMHeader".
func isPBF(head []byte) bool {
	if len(head) < 15 {
		return false
	}
	n := uint32(head[0])<<24 | uint32(head[1])<<16 | uint32(head[2])<<8 | uint32(head[3])
	return n > 0 && n < 64<<10 && head[4] == 0x0a && head[5] == 9 && string(head[6:15]) == "OSMHeader"
}

// sniffXML checks that head is the start of an XML document whose root
// element is <osm>, skipping a byte-order mark, the declaration, comments
// and a doctype. When head is not the whole input (complete false) and ends
// inside that prologue, the XML scanner decides later.
func sniffXML(head []byte, complete bool) error {
	b := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case len(b) == 0 && !complete && len(head) > 0 && head[0] != 0:
			return nil
		case len(b) == 0:
			return errors.New("empty or not an OSM file (neither PBF nor OSM XML)")
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				if !complete {
					return nil
				}
				return errors.New("unterminated xml declaration")
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b[4:], []byte("-->"))
			if i < 0 {
				if !complete {
					return nil
				}
				return errors.New("unterminated xml comment before the root element")
			}
			b = b[4+i+3:]
		case bytes.HasPrefix(b, []byte("<!")):
			i := bytes.IndexByte(b, '>')
			if i < 0 {
				if !complete {
					return nil
				}
				return errors.New("unterminated xml doctype")
			}
			b = b[i+1:]
		case bytes.HasPrefix(b, []byte("<osm")) && len(b) > 4 && (b[4] == '>' || b[4] == ' ' || b[4] == '\t' || b[4] == '\r' || b[4] == '\n' || b[4] == '/'):
			return nil
		case b[0] == '<':
			return errors.New("xml root element is not <osm>")
		default:
			return errors.New("not an OSM file (neither PBF nor OSM XML)")
		}
	}
}

// formatErr returns a *data.ParseError for file name that unwraps to
// data.ErrFormat.
func formatErr(name, msg string, args ...any) error {
	return &data.ParseError{File: name, Err: &formatError{msg: fmt.Sprintf(msg, args...)}}
}

// formatError is a message under data.ErrFormat.
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }
func (e *formatError) Unwrap() error { return data.ErrFormat }
