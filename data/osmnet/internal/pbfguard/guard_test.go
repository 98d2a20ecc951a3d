package pbfguard

import (
	"bytes"
	"context"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// TestPassThrough wants osmpbf to decode the same objects through the
// guard (blocks passed on uncompressed) as from the file itself.
func TestPassThrough(t *testing.T) {
	raw, err := os.ReadFile(fixturePBF)
	if err != nil {
		t.Fatal(err)
	}
	sc := osmpbf.New(context.Background(), bytes.NewReader(raw), 1)
	var want []osm.Object
	for sc.Scan() {
		want = append(want, sc.Object())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	sc.Close()
	got, err := decode(t, raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("through the guard: %d objects, want the file's %d, identical", len(got), len(want))
	}

	// Keeping only some kinds drops the other blocks (osmium writes one
	// kind per block).
	for _, tt := range []struct {
		keep Content
		typ  osm.Type
	}{{Nodes, osm.TypeNode}, {Ways, osm.TypeWay}, {Relations, osm.TypeRelation}} {
		sc := osmpbf.New(context.Background(), New(bytes.NewReader(raw), tt.keep), 1)
		n := 0
		for sc.Scan() {
			if typ := sc.Object().ObjectID().Type(); typ != tt.typ {
				t.Errorf("keep %v: got a %s", tt.keep, typ)
			}
			n++
		}
		if err := sc.Err(); err != nil || n == 0 {
			t.Errorf("keep %v: %d objects, error %v", tt.keep, n, err)
		}
		sc.Close()
	}
}

// TestFraming checks truncation and size errors with the block and offset.
func TestFraming(t *testing.T) {
	raw, err := os.ReadFile(fixturePBF)
	if err != nil {
		t.Fatal(err)
	}
	hsize := int(raw[0])<<24 | int(raw[1])<<16 | int(raw[2])<<8 | int(raw[3])
	_, dsize, err := ParseBlobHeader(raw[4 : 4+hsize])
	if err != nil {
		t.Fatal(err)
	}
	first := 4 + hsize + int(dsize)
	tests := []struct {
		name string
		in   []byte
		msg  string
	}{
		{"cut in the size", raw[:first+2], "block 2 at byte " + itoa(first) + ": truncated block size (2 of 4 bytes)"},
		{"cut in the header", raw[:first+6], "block 2 at byte " + itoa(first) + ": truncated blob header"},
		{"cut in the blob", raw[:len(raw)-3], "truncated blob"},
		{"header too big", cat(raw[:first], []byte{0, 1, 0, 0}), "blob header size 65536 out of range"},
		{"no datasize", cat(raw[:first], []byte{0, 0, 0, 9, 0x0a, 7}, []byte("OSMData")), "blob size -1 out of range"},
		{"zlib data short", cat(raw[:first], pbfBlock("OSMData", -1, []byte{0x10, 0x64, 0x1a, 0x02, 0x78, 0x9c})), "zlib data"},
	}
	for _, tt := range tests {
		_, err := io.Copy(io.Discard, New(bytes.NewReader(tt.in), All))
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.msg)
		}
	}
	if _, err := io.Copy(io.Discard, New(bytes.NewReader(raw[:first]), All)); err != nil {
		t.Errorf("a file cut between blocks: %v, want no error (undetectable)", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
