package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readBytes returns the bytes this process has read through read(2) so
// far (Linux /proc/self/io rchar).
func readBytes(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Skipf("no /proc/self/io to count the bytes read: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "rchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no rchar in /proc/self/io")
	return 0
}

// TestInputReadPasses counts the bytes read from an input file during an
// ingest into a memory store: a CSV is read twice (validate, write) with
// its SHA-256 taken on the way, not in a pass of its own; a GeoJSON three
// times (its property keys, validate, write). The SHA-256 in the summary
// is that of the whole file, including what no pass needs (the members
// after a GeoJSON's features array).
func TestInputReadPasses(t *testing.T) {
	var csvb bytes.Buffer
	if err := SyntheticHouseholds(&csvb, 40000, 1); err != nil {
		t.Fatal(err)
	}
	var gj bytes.Buffer
	gj.WriteString("\uFEFF{\"type\":\"FeatureCollection\",\"features\":[\n")
	for i := range 20000 {
		if i > 0 {
			gj.WriteString(",\n")
		}
		fmt.Fprintf(&gj, `{"type":"Feature","properties":{"household_id":"H%d","members":%d,"village":"Gbarzon"},"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}`,
			i, 1+i%9, -8.0+float64(i%1000)*1e-4, 5.9+float64(i/1000)*1e-3)
	}
	gj.WriteString("\n],\n\"name\":\"households\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:OGC:1.3:CRS84\"}}}\n" + strings.Repeat(" ", 100000) + "\n")
	tests := []struct {
		name   string
		in     []byte
		passes int64
	}{
		{"households.csv", csvb.Bytes(), 2},
		{"households.geojson", gj.Bytes(), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.name)
			if err := os.WriteFile(path, tt.in, 0o644); err != nil {
				t.Fatal(err)
			}
			size := int64(len(tt.in))
			before := readBytes(t)
			sum, err := Run(context.Background(), newMemStore(), KindHouseholds, []string{path}, Options{Now: testNow})
			read := readBytes(t) - before
			if err != nil {
				t.Fatal(err)
			}
			if sum.Total.Added == 0 {
				t.Fatalf("nothing added: %+v", sum.Total)
			}
			t.Logf("read %d bytes of a %d-byte file: %.2f times", read, size, float64(read)/float64(size))
			// Slack: the 64 KiB peek that chooses the format.
			if limit := tt.passes*size + 128<<10; read > limit {
				t.Errorf("read %d bytes of a %d-byte file (%.2f times), want at most %d times", read, size, float64(read)/float64(size), tt.passes)
			}
			want := sha256.Sum256(tt.in)
			if got := sum.Files[0].SHA256; got != hex.EncodeToString(want[:]) {
				t.Errorf("sha256 %s, want %x", got, want)
			}
		})
	}
}
