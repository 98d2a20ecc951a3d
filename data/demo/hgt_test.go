package demo

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func TestTileName(t *testing.T) {
	tests := []struct {
		lon, lat int
		want     string
	}{
		{-10, 7, "N07W010.hgt"},
		{1, 42, "N42E001.hgt"},
		{-1, -1, "S01W001.hgt"},
		{0, 0, "N00E000.hgt"},
		{179, -90, "S90E179.hgt"},
	}
	for _, tt := range tests {
		if got := tileName(tt.lon, tt.lat); got != tt.want {
			t.Errorf("tileName(%d, %d) = %q, want %q", tt.lon, tt.lat, got, tt.want)
		}
	}
}

func TestTilesCovering(t *testing.T) {
	tests := []struct {
		name string
		b    orb.Bound
		want [][2]int
	}{
		{"inside one", orb.Bound{Min: orb.Point{-9.6, 7.3}, Max: orb.Point{-9.4, 7.6}}, [][2]int{{-10, 7}}},
		{"ends on an edge", orb.Bound{Min: orb.Point{-10, 7}, Max: orb.Point{-9, 8}}, [][2]int{{-10, 7}}},
		{"four", orb.Bound{Min: orb.Point{-10.2, 6.9}, Max: orb.Point{-9.8, 7.1}}, [][2]int{{-11, 6}, {-10, 6}, {-11, 7}, {-10, 7}}},
	}
	for _, tt := range tests {
		if got := tilesCovering(tt.b); !slices.Equal(got, tt.want) {
			t.Errorf("%s: tilesCovering(%v) = %v, want %v", tt.name, tt.b, got, tt.want)
		}
	}
}
