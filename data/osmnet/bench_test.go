package osmnet

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"testing"

	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/osm/osmxml"
)

func benchRead(b *testing.B, name string) {
	p := shareddata.Path(b, name)
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := Read(context.Background(), p, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAndorraPBF reads the Andorra PBF (69,644 nodes); MB/s is of
// the file on disk.
func BenchmarkReadAndorraPBF(b *testing.B) { benchRead(b, "andorra/andorra.osm.pbf") }

// BenchmarkReadAndorraXML reads the gzipped Andorra XML (69,385 nodes);
// MB/s is of the compressed file.
func BenchmarkReadAndorraXML(b *testing.B) { benchRead(b, "andorra/andorra.osm.gz") }

// andorraRawXML returns the decompressed Andorra XML.
func andorraRawXML(b *testing.B) []byte {
	p := shareddata.Path(b, "andorra/andorra.osm.gz")
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkReadAndorraXMLPlain reads the uncompressed Andorra XML from
// memory, so it measures parsing alone; MB/s is of the XML text.
func BenchmarkReadAndorraXMLPlain(b *testing.B) {
	raw := andorraRawXML(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ReadReaderAt(context.Background(), "andorra.osm", bytes.NewReader(raw), int64(len(raw)), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOSMXMLScan is one plain pass of paulmach/osm's osmxml scanner
// over the Andorra XML: the floor for any reader built on it.
func BenchmarkOSMXMLScan(b *testing.B) {
	raw := andorraRawXML(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		sc := osmxml.New(context.Background(), bytes.NewReader(raw))
		n := 0
		for sc.Scan() {
			n++
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "objects")
	}
}
