package gpkg_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// TestEncodeMatchesOrbWKB checks the WKB part of every blob against orb's
// encoder (the reference) and the header against the spec.
func TestEncodeMatchesOrbWKB(t *testing.T) {
	for _, c := range geomCases {
		for i, g := range c.geoms {
			if g == nil {
				continue
			}
			b, err := gpkg.EncodeGeometry(g)
			if err != nil {
				t.Fatalf("%s[%d]: EncodeGeometry: %v", c.name, i, err)
			}
			ref, err := wkb.Marshal(g, binary.LittleEndian)
			if err != nil {
				t.Fatal(err)
			}
			_, isPoint := g.(orb.Point)
			empty := isEmptyGeom(g) || (isPoint && math.IsNaN(g.(orb.Point)[0]))
			var wantFlags byte = 0x01 // little-endian, no envelope
			switch {
			case empty:
				wantFlags = 0x11 // + empty flag
			case !isPoint:
				wantFlags = 0x03 // + [minx, maxx, miny, maxy]
			}
			if string(b[:3]) != "GP\x00" || b[3] != wantFlags || binary.LittleEndian.Uint32(b[4:]) != 4326 {
				t.Errorf("%s[%d]: header % x, want GP 00 %02x e6100000", c.name, i, b[:8], wantFlags)
			}
			hlen := 8
			if wantFlags == 0x03 {
				hlen += 32
				bd := g.Bound()
				env := []float64{bd.Min[0], bd.Max[0], bd.Min[1], bd.Max[1]}
				for k, want := range env {
					if got := math.Float64frombits(binary.LittleEndian.Uint64(b[8+8*k:])); got != want {
						t.Errorf("%s[%d]: envelope[%d] = %v, want %v", c.name, i, k, got, want)
					}
				}
			}
			if !bytes.Equal(b[hlen:], ref) {
				t.Errorf("%s[%d]: WKB\n got % x\nwant % x", c.name, i, b[hlen:], ref)
			}
		}
	}
}

// blob builds a GeoPackage blob by hand: header with the given flags,
// srs_id and envelope doubles, then wkb, all in the header's byte order.
func blob(bigEndian bool, flags byte, env []float64, w []byte) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	b := []byte{'G', 'P', 0, flags}
	b = order.AppendUint32(b, 4326)
	for _, f := range env {
		b = order.AppendUint64(b, math.Float64bits(f))
	}
	return append(b, w...)
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// TestDecodeForeign decodes encodings other writers produce.
func TestDecodeForeign(t *testing.T) {
	line := orb.LineString{{1, 2}, {3, 4}}
	lineBE, _ := wkb.Marshal(line, binary.BigEndian)
	cases := []struct {
		name string
		in   []byte
		want orb.Geometry
	}{
		{"big-endian header and WKB", blob(true, 0x02, []float64{1, 3, 2, 4}, lineBE), line},
		{"XYZ envelope", blob(false, 0x05, []float64{1, 3, 2, 4, 0, 9}, mustHex("01 02000000 02000000 000000000000f03f 0000000000000040 0000000000000840 0000000000001040")), line},
		{"XYZM envelope", blob(false, 0x09, []float64{1, 3, 2, 4, 0, 9, 0, 9}, mustHex("01 02000000 02000000 000000000000f03f 0000000000000040 0000000000000840 0000000000001040")), line},
		// ISO POINT Z (1001) and POINT ZM (3001): Z and M dropped.
		{"ISO point Z", blob(false, 0x01, nil, mustHex("01 e9030000 000000000000f03f 0000000000000040 0000000000002440")), orb.Point{1, 2}},
		{"ISO point ZM", blob(false, 0x01, nil, mustHex("01 b90b0000 000000000000f03f 0000000000000040 0000000000002440 0000000000002440")), orb.Point{1, 2}},
		// EWKB point with Z flag and SRID.
		{"EWKB point Z SRID", blob(false, 0x01, nil, mustHex("01 010000a0 e6100000 000000000000f03f 0000000000000040 0000000000002440")), orb.Point{1, 2}},
		{"empty flag with NaN point", blob(false, 0x11, nil, mustHex("01 01000000 000000000000f87f 000000000000f87f")), orb.Point{math.NaN(), math.NaN()}},
		{"multipoint ISO Z members", blob(false, 0x03, []float64{1, 1, 2, 2}, mustHex("01 ec030000 01000000 01 e9030000 000000000000f03f 0000000000000040 0000000000002440")), orb.MultiPoint{{1, 2}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := gpkg.DecodeGeometry(c.in)
			if err != nil {
				t.Fatalf("DecodeGeometry: %v", err)
			}
			if !geomEqual(got, c.want) {
				t.Errorf("DecodeGeometry = %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestDecodeBad(t *testing.T) {
	good, _ := gpkg.EncodeGeometry(orb.LineString{{1, 2}, {3, 4}})
	nest := blob(false, 0x01, nil, nil)
	for range 40 {
		nest = append(nest, mustHex("01 07000000 01000000")...)
	}
	nest = append(nest, mustHex("01 01000000 000000000000f03f 0000000000000040")...)
	cases := []struct {
		name string
		in   []byte
	}{
		{"nil", nil},
		{"short", []byte("GP\x00")},
		{"bad magic", append([]byte("XP"), good[2:]...)},
		{"version 1", append([]byte("GP\x01"), good[3:]...)},
		{"extended", append([]byte{'G', 'P', 0, good[3] | 0x20}, good[4:]...)},
		{"envelope code 5", append([]byte{'G', 'P', 0, 0x0b}, good[4:]...)},
		{"header longer than blob", good[:20]},
		{"truncated WKB", good[:len(good)-3]},
		{"trailing bytes", append(append([]byte{}, good...), 0)},
		{"bad WKB byte order", blob(false, 0x01, nil, mustHex("02 01000000 000000000000f03f 0000000000000040"))},
		{"unknown WKB type", blob(false, 0x01, nil, mustHex("01 08000000"))},
		{"type 17 (not point)", blob(false, 0x01, nil, mustHex("01 11000000 000000000000f03f 0000000000000040"))},
		{"huge point count", blob(false, 0x01, nil, mustHex("01 02000000 ffffffff 000000000000f03f"))},
		{"huge ring count", blob(false, 0x01, nil, mustHex("01 03000000 ffffff7f"))},
		{"huge member count", blob(false, 0x01, nil, mustHex("01 07000000 ffffffff 01"))},
		{"multipoint holding a line", blob(false, 0x01, nil, mustHex("01 04000000 01000000 01 02000000 00000000"))},
		{"nested 40 deep", nest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := gpkg.DecodeGeometry(c.in)
			if !errors.Is(err, gpkg.ErrGeometry) {
				t.Errorf("DecodeGeometry = %v, %v; want an ErrGeometry error", g, err)
			}
		})
	}
}

func TestEncodeBad(t *testing.T) {
	for _, g := range []orb.Geometry{
		nil,
		orb.Point{math.Inf(-1), 0},
		orb.LineString{{0, 0}, {math.NaN(), math.NaN()}}, // empty points only stand alone or in multipoints
		orb.Polygon{{{0, 0}, {1, math.NaN()}, {0, 0}}},
	} {
		if b, err := gpkg.EncodeGeometry(g); !errors.Is(err, gpkg.ErrGeometry) {
			t.Errorf("EncodeGeometry(%v) = %x, %v; want an ErrGeometry error", g, b, err)
		}
	}
	// orb.Ring and orb.Bound are written as polygons.
	for _, g := range []orb.Geometry{orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}}, orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}} {
		b, err := gpkg.EncodeGeometry(g)
		if err != nil {
			t.Fatal(err)
		}
		got, err := gpkg.DecodeGeometry(b)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got.(orb.Polygon); !ok || !reflect.DeepEqual(got.Bound(), g.Bound()) {
			t.Errorf("%T decoded as %#v", g, got)
		}
	}
}

// FuzzDecodeGeometry checks that the decoder never panics, and that what it
// accepts re-encodes to a blob that decodes to the same geometry.
func FuzzDecodeGeometry(f *testing.F) {
	for _, c := range geomCases {
		for _, g := range c.geoms {
			if g != nil {
				b, _ := gpkg.EncodeGeometry(g)
				f.Add(b)
			}
		}
	}
	line := orb.LineString{{1, 2}, {3, 4}}
	lineBE, _ := wkb.Marshal(line, binary.BigEndian)
	f.Add(blob(true, 0x02, []float64{1, 3, 2, 4}, lineBE))
	f.Add(blob(false, 0x01, nil, mustHex("01 e9030000 000000000000f03f 0000000000000040 0000000000002440")))
	f.Add(blob(false, 0x01, nil, mustHex("01 010000a0 e6100000 000000000000f03f 0000000000000040 0000000000002440")))
	f.Add(blob(false, 0x01, nil, mustHex("01 07000000 02000000 01 04000000 00000000 01 06000000 00000000")))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := gpkg.DecodeGeometry(b)
		if err != nil {
			if !errors.Is(err, gpkg.ErrGeometry) {
				t.Fatalf("error %v does not wrap ErrGeometry", err)
			}
			return
		}
		if g == nil {
			t.Fatal("nil geometry without error")
		}
		enc, err := gpkg.EncodeGeometry(g)
		if err != nil {
			if !errors.Is(err, gpkg.ErrGeometry) {
				t.Fatalf("EncodeGeometry error %v does not wrap ErrGeometry", err)
			}
			return // e.g. infinite coordinates: decodable, not writable
		}
		g2, err := gpkg.DecodeGeometry(enc)
		if err != nil {
			t.Fatalf("re-encoded blob does not decode: %v", err)
		}
		enc2, err := gpkg.EncodeGeometry(g2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed the geometry: %x -> %x (%v)", enc, enc2, err)
		}
		if reflect.TypeOf(g) != reflect.TypeOf(g2) {
			t.Fatalf("round trip changed the type %T to %T", g, g2)
		}
	})
}

func TestFormatDateTime(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2026, 6, 1, 0, 0, 0, 123_000_000, time.FixedZone("EAT", 3*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		want := tm.UTC().Format("2006-01-02T15:04:05.000Z")
		if got := gpkg.FormatDateTime(tm); got != want {
			t.Errorf("FormatDateTime(%v) = %s, want %s", tm, got, want)
		}
	}
}
