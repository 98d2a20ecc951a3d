package pbfguard

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

const fixturePBF = "../../testdata/fixtures.osm.pbf"

// decode reads in through a guard with osmpbf and returns the objects.
func decode(tb testing.TB, in []byte) ([]osm.Object, error) {
	tb.Helper()
	sc := osmpbf.New(context.Background(), New(bytes.NewReader(in), All), 1)
	defer sc.Close()
	var objs []osm.Object
	for sc.Scan() {
		objs = append(objs, sc.Object())
	}
	return objs, sc.Err()
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// pbfBlock encodes a PBF file block: its size, a BlobHeader of type typ and
// datasize (len(blob) when datasize is -1), then blob.
func pbfBlock(typ string, datasize int, blob []byte) []byte {
	if datasize == -1 {
		datasize = len(blob)
	}
	h := []byte{0x0a, byte(len(typ))}
	h = append(h, typ...)
	h = append(h, 0x18)
	h = binary.AppendUvarint(h, uint64(int64(datasize)))
	out := binary.BigEndian.AppendUint32(nil, uint32(len(h)))
	return append(append(out, h...), blob...)
}

// pb is a tiny protobuf encoder for hand-made PBF blocks.
type pb []byte

func (p pb) bytes(num int, b []byte) pb {
	p = binary.AppendUvarint(p, uint64(num)<<3|wireBytes)
	p = binary.AppendUvarint(p, uint64(len(b)))
	return append(p, b...)
}

func (p pb) varint(num int, v uint64) pb {
	p = binary.AppendUvarint(p, uint64(num)<<3|wireVarint)
	return binary.AppendUvarint(p, v)
}

func (p pb) packed(num int, vs ...uint64) pb {
	var b []byte
	for _, v := range vs {
		b = binary.AppendUvarint(b, v)
	}
	return p.bytes(num, b)
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// dataBlock wraps a PrimitiveBlock as a raw OSMData file block.
func dataBlock(block pb) []byte {
	return pbfBlock("OSMData", -1, pb(nil).bytes(1, block).varint(2, uint64(len(block))))
}

// TestPBFBlockChecks feeds data blocks that paulmach/osm's decoder panics
// on (without the guard: index out of range, "nodes are not supported")
// and wants errors instead.
func TestPBFBlockChecks(t *testing.T) {
	pbf, err := os.ReadFile(fixturePBF)
	if err != nil {
		t.Fatal(err)
	}
	hsize := int(binary.BigEndian.Uint32(pbf))
	_, dsize, err := ParseBlobHeader(pbf[4 : 4+hsize])
	if err != nil {
		t.Fatal(err)
	}
	header := pbf[:4+hsize+int(dsize)]
	strtab := pb(nil).bytes(1, pb(nil).bytes(1, nil).bytes(1, []byte("highway")).bytes(1, []byte("path")))
	way := func(w pb) pb { return strtab.bytes(2, pb(nil).bytes(3, w)) }
	rel := func(r pb) pb { return strtab.bytes(2, pb(nil).bytes(4, r)) }
	dense := func(d pb) pb { return strtab.bytes(2, pb(nil).bytes(2, d)) }
	tests := []struct {
		name  string
		block pb
		msg   string // "" wants success
	}{
		{"good way", way(pb(nil).varint(1, 7).packed(2, 1).packed(3, 2).packed(8, zigzag(1), zigzag(1))), ""},
		{"way key out of range", way(pb(nil).varint(1, 7).packed(2, 5).packed(3, 2).packed(8, zigzag(1))), "string index 5 out of range"},
		{"way user out of range", way(pb(nil).varint(1, 7).bytes(4, pb(nil).varint(5, 99)).packed(8, zigzag(1))), "user string index 99"},
		{"way lats longer than refs", way(pb(nil).varint(1, 7).packed(8, zigzag(1)).packed(9, 1, 2, 3).packed(10, 1, 2, 3)), "different lengths"},
		{"way keys without vals", way(pb(nil).varint(1, 7).packed(2, 1, 1).packed(3, 2)), "different lengths"},
		{"relation roles longer than types", rel(pb(nil).varint(1, 7).packed(8, 0, 0).packed(9, 2, 2).packed(10, 1)), "different lengths"},
		{"relation negative role", rel(pb(nil).varint(1, 7).packed(8, uint64(1<<64-1)).packed(9, 2).packed(10, 1)), "string index -1"},
		{"relation without types", rel(pb(nil).varint(1, 7).packed(8, 0).packed(9, 2)), "member arrays incomplete"},
		{"dense tag out of range", dense(pb(nil).packed(1, zigzag(1)).packed(8, 0).packed(9, 0).packed(10, 7, 1, 0)), "string index 7"},
		{"dense user delta negative", dense(pb(nil).packed(1, zigzag(1), zigzag(1)).packed(8, 0, 0).packed(9, 0, 0).bytes(5, pb(nil).packed(5, zigzag(1), zigzag(-2)))), "user index -1"},
		{"dense lats short", dense(pb(nil).packed(1, zigzag(1), zigzag(1)).packed(8, 0).packed(9, 0, 0)), "different lengths"},
		{"non-dense nodes", strtab.bytes(2, pb(nil).bytes(1, pb(nil).varint(1, 1))), "non-dense nodes"},
		{"unpacked keys", way(pb(nil).varint(1, 7).varint(2, 1)), "not packed"},
		{"bad varint", way(pb(nil).bytes(8, []byte{0xff})), "bad packed varint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := cat(header, dataBlock(tt.block))
			_, err := decode(t, in)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("decode = %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("decode error = %v, want one mentioning %q", err, tt.msg)
			}
		})
	}
}
