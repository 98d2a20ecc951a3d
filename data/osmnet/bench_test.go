package osmnet

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/osm/osmxml"
)

// cpuTime returns the CPU time the process has used (user + system). The
// benchmarks report it per op beside the wall time, because on a shared
// machine the wall time mostly measures the other load.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs fn b.N times and reports CPU ms/op.
func loop(b *testing.B, fn func()) {
	b.ReportAllocs()
	start := cpuTime(b)
	for b.Loop() {
		fn()
	}
	b.ReportMetric(float64(cpuTime(b)-start)/1e6/float64(b.N), "cpu-ms/op")
}

func benchRead(b *testing.B, name string) {
	p := shareddata.Path(b, name)
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	loop(b, func() {
		if _, err := Read(context.Background(), p, nil); err != nil {
			b.Fatal(err)
		}
	})
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
	b.SetBytes(int64(len(raw)))
	loop(b, func() {
		if _, err := ReadReaderAt(context.Background(), "andorra.osm", bytes.NewReader(raw), int64(len(raw)), nil); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkOSMXMLScan is one plain pass of paulmach/osm's osmxml scanner
// over the Andorra XML: the floor for any reader built on it.
func BenchmarkOSMXMLScan(b *testing.B) {
	raw := andorraRawXML(b)
	b.SetBytes(int64(len(raw)))
	loop(b, func() {
		sc := osmxml.New(context.Background(), bytes.NewReader(raw))
		n := 0
		for sc.Scan() {
			n++
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "objects")
	})
}

// gridXML writes an OSM XML grid of n×n nodes joined by a footway along
// every row and column: 2n(n-1) edges, like the demo district's paths.osm.
func gridXML(n int) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"bench\">\n")
	for i := range n {
		for j := range n {
			fmt.Fprintf(&b, " <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", i*n+j+1, 8+float64(i)*1e-3, -10+float64(j)*1e-3)
		}
	}
	id := 1
	way := func(ref func(k int) int, hw string) {
		fmt.Fprintf(&b, " <way id=\"%d\" version=\"1\">\n", id)
		id++
		for k := range n {
			fmt.Fprintf(&b, "  <nd ref=\"%d\"/>\n", ref(k))
		}
		fmt.Fprintf(&b, "  <tag k=\"highway\" v=\"%s\"/>\n  <tag k=\"surface\" v=\"ground\"/>\n </way>\n", hw)
	}
	for i := range n {
		way(func(k int) int { return i*n + k + 1 }, "path")
		way(func(k int) int { return k*n + i + 1 }, "footway")
	}
	b.WriteString("</osm>\n")
	return b.Bytes()
}

// BenchmarkReadGridXML reads a synthetic 1 M-edge network (710×710 nodes)
// from uncompressed XML in memory: the national-scale demo's case.
func BenchmarkReadGridXML(b *testing.B) {
	const n = 710
	raw := gridXML(n)
	b.SetBytes(int64(len(raw)))
	var net *Network
	start := cpuTime(b)
	loop(b, func() {
		var err error
		net, err = ReadReaderAt(context.Background(), "grid.osm", bytes.NewReader(raw), int64(len(raw)), nil)
		if err != nil {
			b.Fatal(err)
		}
	})
	cpu := cpuTime(b) - start
	if len(net.Nodes) != n*n || len(net.Ways) != 2*n {
		b.Fatalf("read %d nodes, %d ways; want %d, %d", len(net.Nodes), len(net.Ways), n*n, 2*n)
	}
	b.ReportMetric(float64(n*n)*float64(b.N)/b.Elapsed().Seconds(), "nodes/s")
	b.ReportMetric(float64(n*n)*float64(b.N)/cpu.Seconds(), "nodes/cpu-s")
}
