package osmnet

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
)

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

// TestPBFBlockChecks feeds data blocks that paulmach/osm's decoder would
// panic on and wants format errors instead.
func TestPBFBlockChecks(t *testing.T) {
	pbf, err := os.ReadFile(fixturePBF)
	if err != nil {
		t.Fatal(err)
	}
	hsize := int(binary.BigEndian.Uint32(pbf))
	_, dsize, err := parseBlobHeader(pbf[4 : 4+hsize])
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
			_, err := ReadReaderAt(context.Background(), "crafted.osm.pbf", bytes.NewReader(in), int64(len(in)), nil)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("Read = %v, want no error", err)
				}
				return
			}
			if !errors.Is(err, data.ErrFormat) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Read error = %v, want data.ErrFormat mentioning %q", err, tt.msg)
			}
		})
	}
}
