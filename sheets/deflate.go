package sheets

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
)

// fpdf compresses each page with a new zlib compressor: about a megabyte
// allocated and cleared a page, 150 GB over a national run's 130,000
// pages, which was most of what the garbage collector had to keep up
// with (and a sixth of the sheets' CPU time). So the documents are laid
// out with fpdf's compression off and their uncompressed streams deflated
// here, at fpdf's level, by compressors reused across pages and
// documents.

// compressors hold zlib writers at fpdf's level, reused across pages.
var compressors = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed) // a valid level: no error
	return zw
}}

// deflated holds the buffers streams are compressed into.
var deflated = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// errLayout is wrapped by deflateStreams' errors: src is not laid out as
// fpdf lays out a PDF (one object after another, one xref table, a
// trailer), which a newer fpdf could change; the tests catch it.
var errLayout = errors.New("unexpected PDF layout")

// deflateStreams writes the PDF src, as fpdf writes it, to w with every
// stream whose dictionary holds only its length (the page contents and
// the fonts' character maps, which fpdf writes uncompressed with its
// compression off) compressed with FlateDecode, and the cross-reference
// table rewritten for the objects' new offsets. Every other byte is
// copied.
func deflateStreams(w io.Writer, src []byte) error {
	// The trailer: "startxref\n<offset>\n%%EOF\n" at the end.
	sx := bytes.LastIndex(src, []byte("startxref\n"))
	if sx < 0 {
		return fmt.Errorf("%w: no startxref", errLayout)
	}
	end := bytes.IndexByte(src[sx+10:], '\n')
	if end < 0 || string(src[sx+10+end:]) != "\n%%EOF\n" {
		return fmt.Errorf("%w: the file does not end in startxref and %%%%EOF", errLayout)
	}
	xref, err := strconv.Atoi(string(src[sx+10 : sx+10+end]))
	if err != nil || xref <= 0 || xref >= sx || !bytes.HasPrefix(src[xref:], []byte("xref\n0 ")) {
		return fmt.Errorf("%w: startxref %q", errLayout, src[sx+10:sx+10+end])
	}
	// "xref\n0 N\n" then N entries of 20 bytes, the first the free head.
	p := xref + 7
	nl := bytes.IndexByte(src[p:], '\n')
	if nl < 0 {
		return fmt.Errorf("%w: xref header", errLayout)
	}
	n, err := strconv.Atoi(string(src[p : p+nl]))
	if err != nil || n < 1 {
		return fmt.Errorf("%w: xref header", errLayout)
	}
	entries := p + nl + 1
	if n > (sx-entries)/20 {
		return fmt.Errorf("%w: xref table of %d entries overruns the trailer", errLayout, n)
	}
	trailer := entries + 20*n
	type object struct{ num, at int }
	objs := make([]object, 0, n-1)
	for i := 1; i < n; i++ {
		e := src[entries+20*i : entries+20*i+20]
		if e[17] != 'n' {
			return fmt.Errorf("%w: xref entry %d is %q", errLayout, i, e)
		}
		at, err := strconv.Atoi(string(e[:10]))
		if err != nil || at <= 0 || at >= xref {
			return fmt.Errorf("%w: xref entry %d is %q", errLayout, i, e)
		}
		objs = append(objs, object{i, at})
	}
	slices.SortFunc(objs, func(a, b object) int { return a.at - b.at })

	out := &countWriter{w: w}
	offsets := make([]int, n)
	if len(objs) > 0 {
		out.write(src[:objs[0].at])
	}
	for k, o := range objs {
		stop := xref
		if k+1 < len(objs) {
			stop = objs[k+1].at
		}
		obj := src[o.at:stop]
		head := strconv.AppendInt(nil, int64(o.num), 10)
		head = append(head, " 0 obj\n"...)
		if !bytes.HasPrefix(obj, head) {
			return fmt.Errorf("%w: object %d does not start at its offset", errLayout, o.num)
		}
		offsets[o.num] = out.n
		if err := deflateObject(out, obj, len(head)); err != nil {
			return err
		}
	}
	xrefAt := out.n
	var b []byte
	b = append(b, "xref\n0 "...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, "\n0000000000 65535 f \n"...)
	for i := 1; i < n; i++ {
		b = fmt.Appendf(b, "%010d 00000 n \n", offsets[i])
	}
	out.write(b)
	out.write(src[trailer:sx])
	out.write(fmt.Appendf(nil, "startxref\n%d\n%%%%EOF\n", xrefAt))
	return out.err
}

// deflateObject writes obj ("N 0 obj\n" then its body from head on),
// its stream compressed when the dictionary is only "<</Length L>>".
func deflateObject(out *countWriter, obj []byte, head int) error {
	const (
		dictStart = "<</Length "
		dictEnd   = ">>\nstream\n"
		streamEnd = "\nendstream\n"
	)
	body := obj[head:]
	if !bytes.HasPrefix(body, []byte(dictStart)) {
		out.write(obj)
		return nil
	}
	digits := body[len(dictStart):]
	i := 0
	for i < len(digits) && digits[i] >= '0' && digits[i] <= '9' {
		i++
	}
	if i == 0 || !bytes.HasPrefix(digits[i:], []byte(dictEnd)) {
		out.write(obj) // another dictionary beginning with /Length
		return nil
	}
	length, err := strconv.Atoi(string(digits[:i]))
	data := digits[i+len(dictEnd):]
	if err != nil || length > len(data) || !bytes.HasPrefix(data[length:], []byte(streamEnd)) {
		return fmt.Errorf("%w: a stream of %s bytes does not end where its length says", errLayout, digits[:i])
	}
	rest := data[length:]
	data = data[:length]

	buf := deflated.Get().(*bytes.Buffer)
	defer deflated.Put(buf)
	buf.Reset()
	zw := compressors.Get().(*zlib.Writer)
	defer compressors.Put(zw)
	zw.Reset(buf)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	out.write(obj[:head])
	out.write(fmt.Appendf(nil, "<</Filter /FlateDecode /Length %d>>\nstream\n", buf.Len()))
	out.write(buf.Bytes())
	out.write(rest)
	return nil
}

// countWriter counts what it wrote and keeps the first error.
type countWriter struct {
	w   io.Writer
	n   int
	err error
}

func (c *countWriter) write(b []byte) {
	if c.err != nil {
		return
	}
	k, err := c.w.Write(b)
	c.n += k
	c.err = err
}
