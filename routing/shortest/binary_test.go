package shortest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

func encodedHierarchy(tb testing.TB, side int) (*shortest.Graph, []byte) {
	tb.Helper()
	g := synthGraph(side, 3)
	h, err := shortest.Contract(context.Background(), g, nil)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := h.MarshalBinary()
	if err != nil {
		tb.Fatal(err)
	}
	return g, b
}

func TestHierarchyRoundTrip(t *testing.T) {
	g, b := encodedHierarchy(t, 12)
	var h shortest.Hierarchy
	if err := h.UnmarshalBinary(b); err != nil {
		t.Fatalf("UnmarshalBinary = %v", err)
	}
	// The decoded hierarchy answers like the graph.
	for _, p := range benchPairs(g.NumNodes(), 200) {
		src, dst := []shortest.Seed{{Node: p[0]}}, []shortest.Seed{{Node: p[1], Offset: 3}}
		want, _, wantOK := g.Query(src, dst)
		got, _, ok := h.Query(src, dst)
		if got != want || ok != wantOK {
			t.Fatalf("decoded Query(%v, %v) = %d, %v; want %d, %v", src, dst, got, ok, want, wantOK)
		}
	}
	var empty shortest.Hierarchy
	eb, err := empty.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if err := empty.UnmarshalBinary(eb); err != nil {
		t.Fatalf("zero Hierarchy round trip: %v", err)
	}
}

func TestGraphRoundTrip(t *testing.T) {
	for _, g := range []*shortest.Graph{synthGraph(10, 4), shortest.NewGraph(0, nil), {}} {
		b, err := g.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got shortest.Graph
		if err := got.UnmarshalBinary(b); err != nil {
			t.Fatalf("UnmarshalBinary = %v", err)
		}
		b2, _ := got.MarshalBinary()
		if !bytes.Equal(b, b2) || got.NumArcs() != g.NumArcs() || got.NumNodes() != g.NumNodes() {
			t.Fatal("graph round trip changed the graph")
		}
	}
}

func TestUnmarshalBad(t *testing.T) {
	_, hb := encodedHierarchy(t, 5)
	gb, err := synthGraph(5, 1).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte, i int) []byte {
		c := bytes.Clone(b)
		c[i] ^= 0x40
		return c
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"short", []byte("LMSH")},
		{"graph as hierarchy", gb},
		{"truncated", hb[:len(hb)-9]},
		{"extra byte", append(bytes.Clone(hb), 0)},
		{"bad version", flip(hb, 4)},
		{"bad count", flip(hb, 9)},
		{"flipped payload", flip(hb, len(hb)/2)},
		{"flipped checksum", flip(hb, len(hb)-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h shortest.Hierarchy
			if err := h.UnmarshalBinary(tt.data); !errors.Is(err, shortest.ErrFormat) {
				t.Errorf("Hierarchy.UnmarshalBinary(%s) = %v, want ErrFormat", tt.name, err)
			}
			if h.NumNodes() != 0 {
				t.Errorf("failed UnmarshalBinary changed the hierarchy")
			}
		})
	}
	var g shortest.Graph
	if err := g.UnmarshalBinary(hb); !errors.Is(err, shortest.ErrFormat) {
		t.Errorf("Graph.UnmarshalBinary(hierarchy) = %v, want ErrFormat", err)
	}
	if err := g.UnmarshalBinary(flip(gb, len(gb)/2)); !errors.Is(err, shortest.ErrFormat) {
		t.Errorf("Graph.UnmarshalBinary(flipped) = %v, want ErrFormat", err)
	}
}

// FuzzUnmarshal feeds arbitrary bytes to both decoders: they must return
// an error or a value that answers queries without panicking. The checksum
// would hide most mutations, so the corpus also carries inputs whose
// checksum is recomputed after the mutation (see fixChecksum).
func FuzzUnmarshal(f *testing.F) {
	_, hb := encodedHierarchy(f, 3)
	gb, _ := synthGraph(3, 2).MarshalBinary()
	f.Add(hb, false)
	f.Add(gb, false)
	f.Add(hb, true)
	f.Add([]byte("LMSH\x01\x00\x00\x00"), true)
	f.Fuzz(func(t *testing.T, data []byte, fix bool) {
		if fix {
			data = fixChecksum(data)
		}
		var h shortest.Hierarchy
		if err := h.UnmarshalBinary(data); err == nil {
			n := uint32(h.NumNodes())
			for v := range min(n, 5) {
				src, dst := []shortest.Seed{{Node: v}}, []shortest.Seed{{Node: n - 1 - v}}
				h.Query(src, dst)
				if _, err := h.Matrix(context.Background(), [][]shortest.Seed{src}, [][]shortest.Seed{dst}, 1); err != nil {
					t.Fatal(err)
				}
			}
			b, err := h.MarshalBinary()
			if err != nil || !bytes.Equal(b, data) {
				t.Fatalf("re-encoding a decoded hierarchy differs (err %v)", err)
			}
		} else if !errors.Is(err, shortest.ErrFormat) {
			t.Fatalf("error %v does not wrap ErrFormat", err)
		}
		var g shortest.Graph
		if err := g.UnmarshalBinary(data); err == nil {
			if err := g.Validate(); err != nil {
				t.Fatalf("decoded graph is invalid: %v", err)
			}
			g.Dijkstra([]shortest.Seed{{Node: 0}})
		} else if !errors.Is(err, shortest.ErrFormat) {
			t.Fatalf("error %v does not wrap ErrFormat", err)
		}
	})
}

// fixChecksum rewrites the trailing CRC-32C so fuzzed bodies reach the
// structural checks.
func fixChecksum(b []byte) []byte {
	if len(b) < 4 {
		return b
	}
	c := append([]byte(nil), b...)
	body := len(c) - 4
	binary.LittleEndian.PutUint32(c[body:], crc32.Checksum(c[:body], crc32.MakeTable(crc32.Castagnoli)))
	return c
}
