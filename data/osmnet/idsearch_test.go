package osmnet

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestCursor checks cursor.find against slices.BinarySearch on random
// sorted sets and query orders (sorted, random, way-like runs).
func TestCursor(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := rng.IntN(300)
		ids := make([]int64, n)
		for i := range ids {
			ids[i] = rng.Int64N(1000) - 100
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		c := cursor{ids: ids}
		q := rng.Int64N(1200) - 150
		for range 500 {
			switch rng.IntN(3) {
			case 0:
				q = rng.Int64N(1200) - 150
			case 1:
				q++
			default:
				q -= rng.Int64N(3)
			}
			gi, gok := c.find(q)
			wi, wok := slices.BinarySearch(ids, q)
			if gok != wok || (wok && gi != wi) {
				t.Fatalf("trial %d: find(%d) = %d, %v, want %d, %v (ids %v)", trial, q, gi, gok, wi, wok, ids)
			}
		}
	}
}

func TestParseCoord(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"42.5128977", 42.5128977, true}, {"-0.5", -0.5, true}, {"1", 1, true}, {"+1.25", 1.25, true},
		{"179.9999999", 179.9999999, true}, {"1.123456789", 1.123456789, true}, {"1e2", 100, true},
		{"", 0, false}, {"-", 0, false}, {"1.", 1, true}, {".5", 0.5, true}, {"1.2.3", 0, false}, {"north", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseCoord([]byte(tt.in))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseCoord(%q) = %v, %v, want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	// The fast path must agree with strconv after OSM's rounding.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		k := rng.Int64N(3600000000) - 1800000000
		s := strconv.FormatFloat(float64(k)/1e7, 'f', -1, 64)
		got, _ := parseCoord([]byte(s))
		want, _ := strconv.ParseFloat(s, 64)
		if got != roundCoord(want) {
			t.Fatalf("parseCoord(%q) = %v, want %v", s, got, roundCoord(want))
		}
	}
}
