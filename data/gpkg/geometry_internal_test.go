package gpkg

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestBlobEnvelope checks the envelope the SQL functions and the extent
// use, including the in-place point path, against decoding.
func TestBlobEnvelope(t *testing.T) {
	nan := math.NaN()
	geoms := []orb.Geometry{
		orb.Point{1.5, -2}, orb.Point{nan, nan}, orb.LineString{{0, 1}, {2, -3}},
		orb.MultiPoint{{nan, nan}, {4, 5}}, orb.Polygon{}, orb.Collection{orb.Point{1, 1}, orb.LineString{{3, 3}, {-1, 0}}},
	}
	for _, g := range geoms {
		b, err := EncodeGeometry(g)
		if err != nil {
			t.Fatal(err)
		}
		got, err := blobEnvelope(b)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := geometryEnvelope(g, 0)
		if got != want {
			t.Errorf("blobEnvelope(%v) = %+v, want %+v", g, got, want)
		}
	}
	// A big-endian point blob without envelope.
	be := []byte{'G', 'P', 0, 0}
	be = binary.BigEndian.AppendUint32(be, 4326)
	be = append(be, 0)
	be = binary.BigEndian.AppendUint32(be, 1)
	be = binary.BigEndian.AppendUint64(be, math.Float64bits(7))
	be = binary.BigEndian.AppendUint64(be, math.Float64bits(-8))
	got, err := blobEnvelope(be)
	if err != nil || got != (envelope{minX: 7, maxX: 7, minY: -8, maxY: -8}) {
		t.Errorf("blobEnvelope(big-endian point) = %+v, %v", got, err)
	}
	// A point with one infinite coordinate is an error, not an index entry.
	inf := append([]byte{}, be...)
	binary.BigEndian.PutUint64(inf[len(inf)-8:], math.Float64bits(math.Inf(1)))
	if _, err := blobEnvelope(inf); err == nil {
		t.Errorf("blobEnvelope(infinite point) succeeded")
	}
}

// TestRoundFloat32 checks that boxes are rounded outwards.
func TestRoundFloat32(t *testing.T) {
	for _, d := range []float64{0, 1, -1, 0.1, -0.1, 1.4 + 1e-9, 42.123456789, -179.99999999, 1e-40, -1e-40, 1e300, -1e300} {
		lo, hi := roundDown(d), roundUp(d)
		if float64(lo) > d || float64(hi) < d {
			t.Errorf("round(%v) = [%v, %v] does not contain it", d, lo, hi)
		}
		if float32(d) == lo && float64(lo) == d && lo != hi {
			t.Errorf("exact %v rounded to [%v, %v]", d, lo, hi)
		}
	}
}

// FuzzBlobEnvelope checks that the envelope read for the R-tree and the
// ST_ functions agrees with the decoded geometry whenever the blob has no
// header envelope to trust, and never panics.
func FuzzBlobEnvelope(f *testing.F) {
	for _, g := range []orb.Geometry{orb.Point{1, 2}, orb.Point{math.NaN(), math.NaN()}, orb.LineString{{1, 2}, {3, 4}}, orb.MultiPoint{}} {
		b, _ := EncodeGeometry(g)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := blobEnvelope(b)
		h, herr := parseHeader(b)
		if herr != nil {
			if err == nil {
				t.Fatalf("bad header accepted: %v", herr)
			}
			return
		}
		if h.hasEnv || h.flags&flagEmpty != 0 {
			return // the header is trusted, as the spec allows
		}
		g, derr := DecodeGeometry(b)
		if derr != nil {
			if err == nil {
				t.Fatalf("undecodable blob got envelope %+v", env)
			}
			return
		}
		want, werr := geometryEnvelope(g, 0)
		if (werr != nil) != (err != nil) || (err == nil && env != want) {
			t.Fatalf("blobEnvelope = %+v, %v; decoded %+v, %v", env, err, want, werr)
		}
	})
}
