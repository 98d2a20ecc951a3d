package sheets

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"regexp"
	"strconv"
	"testing"
)

// uncompressedPDF lays out a small document of three pages (text in the
// sheets' font, lines) with fpdf's compression off, as Document does.
func uncompressedPDF(t testing.TB) []byte {
	t.Helper()
	regular, bold := Fonts()
	pdf := newPDF(regular, bold)
	for p := range 3 {
		pdf.AddPage()
		pdf.SetFont(fontFamily, "", 11)
		pdf.Text(20, 20, "Kpɔ̀ household, page "+strconv.Itoa(p+1))
		pdf.SetFont(fontFamily, "B", 9)
		pdf.Text(20, 30, "Day 1 · 14 visits")
		for i := range 40 {
			pdf.Line(10, 40+float64(i), 200, 45+float64(i*p))
		}
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var startxref = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`)

// objects reads a PDF's objects through its xref table and startxref, as a
// reader does: each object's bytes from its offset to the next object's
// (or the xref table). It fails the test when an offset is wrong.
func objects(t *testing.T, pdf []byte) map[int][]byte {
	t.Helper()
	m := startxref.FindSubmatch(pdf)
	if m == nil {
		t.Fatalf("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	lines := bytes.Split(pdf[xref:], []byte("\n"))
	n, _ := strconv.Atoi(string(lines[1][2:]))
	at := map[int]int{}
	for i := 1; i < n; i++ {
		e := lines[2+i]
		off, _ := strconv.Atoi(string(e[:10]))
		head := strconv.Itoa(i) + " 0 obj\n"
		if !bytes.HasPrefix(pdf[off:], []byte(head)) {
			t.Fatalf("xref entry %d points at %q, not the object", i, pdf[off:min(off+20, len(pdf))])
		}
		at[i] = off
	}
	out := map[int][]byte{}
	for i, off := range at {
		end := xref
		for _, o := range at {
			if o > off && o < end {
				end = o
			}
		}
		out[i] = pdf[off:end]
	}
	return out
}

var lengthOnly = regexp.MustCompile(`(?m)^(\d+ 0 obj\n)<</Length (\d+)>>\nstream\n`)
var deflatedDict = regexp.MustCompile(`^(\d+ 0 obj\n)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)

// TestDeflateStreams: every object of the rewritten PDF is found through
// its new xref table; those whose stream fpdf left uncompressed (length
// only) are now FlateDecode streams that inflate to the same bytes, and
// every other object is unchanged. The trailer is kept and the file is
// smaller.
func TestDeflateStreams(t *testing.T) {
	src := uncompressedPDF(t)
	var out bytes.Buffer
	if err := deflateStreams(&out, src); err != nil {
		t.Fatal(err)
	}
	before, after := objects(t, src), objects(t, out.Bytes())
	if len(before) != len(after) {
		t.Fatalf("%d objects, was %d", len(after), len(before))
	}
	deflated := 0
	for i, b := range before {
		a := after[i]
		m := lengthOnly.FindSubmatch(b)
		if m == nil {
			if !bytes.Equal(a, b) {
				t.Errorf("object %d changed:\n%.200q\nwas\n%.200q", i, a, b)
			}
			continue
		}
		d := deflatedDict.FindSubmatch(a)
		if d == nil {
			t.Fatalf("object %d was not deflated: %.80q", i, a)
		}
		n, _ := strconv.Atoi(string(m[2]))
		k, _ := strconv.Atoi(string(d[2]))
		data := b[len(m[0]) : len(m[0])+n]
		z := a[len(d[0]) : len(d[0])+k]
		if !bytes.Equal(a[len(d[0])+k:], b[len(m[0])+n:]) {
			t.Errorf("object %d: what follows the stream changed", i)
		}
		r, err := zlib.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("object %d: %v", i, err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("object %d inflates to %d bytes (%v), want the %d bytes fpdf wrote", i, len(got), err, len(data))
		}
		deflated++
	}
	if deflated < 3 {
		t.Errorf("%d streams deflated, want at least the 3 pages'", deflated)
	}
	trailer := func(b []byte) []byte {
		i := bytes.LastIndex(b, []byte("trailer\n"))
		return b[i:bytes.LastIndex(b, []byte("startxref"))]
	}
	if !bytes.Equal(trailer(out.Bytes()), trailer(src)) {
		t.Errorf("trailer changed: %q, was %q", trailer(out.Bytes()), trailer(src))
	}
	if out.Len() >= len(src) {
		t.Errorf("%d bytes, uncompressed %d", out.Len(), len(src))
	}
}

// TestDeflateStreamsLayout: what is not laid out as fpdf lays out a PDF
// is refused with errLayout, never half written as if it were.
func TestDeflateStreamsLayout(t *testing.T) {
	src := uncompressedPDF(t)
	xref := bytes.LastIndex(src, []byte("xref\n0 "))
	for name, bad := range map[string][]byte{
		"empty":            nil,
		"truncated":        src[:len(src)/2],
		"no EOF":           src[:len(src)-6],
		"startxref moved":  bytes.Replace(src, []byte("startxref\n"+strconv.Itoa(xref)), []byte("startxref\n"+strconv.Itoa(xref+1)), 1),
		"free entry":       append(bytes.Clone(src[:xref]), bytes.Replace(src[xref:], []byte(" 00000 n \n"), []byte(" 00000 f \n"), 1)...),
		"stream too short": lengthOnly.ReplaceAll(src, []byte("${1}<</Length 99999999>>\nstream\n")),
	} {
		err := deflateStreams(io.Discard, bad)
		if !errors.Is(err, errLayout) {
			t.Errorf("%s: %v, want errLayout", name, err)
		}
	}
}

// FuzzDeflateStreams: any input is rewritten or refused, never a panic;
// what is rewritten is a PDF whose xref finds every object.
func FuzzDeflateStreams(f *testing.F) {
	f.Add(uncompressedPDF(f))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<</Length 3>>\nstream\nabc\nendstream\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<<\n/Size 2\n>>\nstartxref\n59\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var out bytes.Buffer
		if err := deflateStreams(&out, src); err != nil {
			if !errors.Is(err, errLayout) {
				t.Fatalf("error not wrapping errLayout: %v", err)
			}
			return
		}
		objects(t, out.Bytes())
	})
}
