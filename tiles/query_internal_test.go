package tiles

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// TestQueryTreeAndBoxes checks a renderer's feature query, through the
// R-tree (a large scene) and box by box (a small one), against a scan of
// every feature's box: the same features, per kind, in index order.
func TestQueryTreeAndBoxes(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	pt := func() orb.Point { return orb.Point{-9 + rng.Float64()*0.5, 7 + rng.Float64()*0.5} }
	for _, n := range []int{50, indexFrom + 500} {
		s := &Scene{}
		for range n / 2 {
			a := pt()
			s.Paths = append(s.Paths, Path{Line: orb.LineString{a, {a[0] + rng.Float64()*0.02, a[1] + rng.Float64()*0.02}}, Class: "path"})
			s.Households = append(s.Households, Household{ID: "h", Point: pt()})
		}
		r := NewRenderer(s, nil, 0)
		if tree := r.boxes == nil; tree != (n > indexFrom) {
			t.Fatalf("%d features: tree %v", n, tree)
		}
		for range 200 {
			a, b := pt(), pt()
			q := orb.Bound{Min: orb.Point{min(a[0], b[0]), min(a[1], b[1])}, Max: orb.Point{max(a[0], b[0]), max(a[1], b[1])}}
			got := r.query(q)
			var want [nKinds][]int32
			for i, p := range s.Paths {
				if p.Line.Bound().Intersects(q) {
					want[kPath] = append(want[kPath], int32(i))
				}
			}
			for i, h := range s.Households {
				if h.Point.Bound().Intersects(q) {
					want[kHousehold] = append(want[kHousehold], int32(i))
				}
			}
			for k := range want {
				if !slices.Equal(got[k], want[k]) {
					t.Fatalf("%d features, kind %d, box %v: got %v, want %v", n, k, q, got[k], want[k])
				}
			}
		}
	}
}

// TestProjWorld checks the projection through Scene.Prepare's zoom-0
// world pixels against projecting each vertex, at whole and fractional
// zooms and far from the origin: the same vertices kept, each within a
// millionth of a pixel.
func TestProjWorld(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, z := range []float64{3, 11, 14.37, 16, 18.9} {
		for range 50 {
			c := orb.Point{-180 + rng.Float64()*360, -80 + rng.Float64()*160}
			var l orb.LineString
			for range 2 + rng.IntN(40) {
				l = append(l, orb.Point{c[0] + rng.NormFloat64()*0.003, c[1] + rng.NormFloat64()*0.003})
			}
			v := CenterView(c, z, 800, 600)
			got, want := projWorld(v, l, worldLine(l)), projLine(v, l)
			if len(got) != len(want) {
				t.Fatalf("z%g: %d vertices kept, projLine keeps %d", z, len(got), len(want))
			}
			for i := range got {
				if dx, dy := got[i].X-want[i].X, got[i].Y-want[i].Y; dx*dx+dy*dy > 1e-12 {
					t.Fatalf("z%g vertex %d: %v, projLine %v", z, i, got[i], want[i])
				}
			}
		}
	}
}
