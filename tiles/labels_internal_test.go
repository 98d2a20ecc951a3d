package tiles

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestLabelsDoNotCollide places many crowded village and facility labels
// and checks that no two placed labels overlap and that crowding drops
// labels rather than stacking them.
func TestLabelsDoNotCollide(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &Scene{}
	for i := range 300 {
		p := orb.Point{-9.5 + rng.Float64()*0.05, 7.5 + rng.Float64()*0.05}
		s.Villages = append(s.Villages, Village{Name: fmt.Sprintf("Village %d", i), Point: p, Households: rng.IntN(50)})
	}
	for i := range 20 {
		s.Facilities = append(s.Facilities, Facility{ID: fmt.Sprintf("F%d", i), Name: "Clinic", Point: orb.Point{-9.5 + rng.Float64()*0.05, 7.5 + rng.Float64()*0.05}})
	}
	r := NewRenderer(s, nil, 0)
	for _, z := range []int{11, 13, 15} {
		ls := r.tileLabels(z)
		if len(ls) == 0 || len(ls) >= len(s.Villages)+len(s.Facilities) {
			t.Errorf("zoom %d: %d labels placed of %d: want some, not all", z, len(ls), len(s.Villages)+len(s.Facilities))
		}
		for i := range ls {
			for j := range i {
				a, b := ls[i].box, ls[j].box
				if a.meets(b.x0, b.y0, b.x1, b.y1) {
					t.Fatalf("zoom %d: labels %q %v and %q %v overlap", z, ls[i].text, a, ls[j].text, b)
				}
			}
		}
	}
}

func TestClipLine(t *testing.T) {
	tests := []struct {
		name string
		in   []Pt
		want [][]Pt
	}{
		{"inside", []Pt{{1, 1}, {5, 5}}, [][]Pt{{{1, 1}, {5, 5}}}},
		{"outside", []Pt{{-5, -5}, {-1, 20}}, nil},
		{"through", []Pt{{-5, 5}, {15, 5}}, [][]Pt{{{0, 5}, {10, 5}}}},
		{"out and back", []Pt{{5, 5}, {15, 5}, {15, 8}, {5, 8}}, [][]Pt{{{5, 5}, {10, 5}}, {{10, 8}, {5, 8}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clipLine(tt.in, 0, 0, 10, 10)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("clipLine(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestClipRingArea: a clipped square keeps exactly the area inside the
// rectangle.
func TestClipRingArea(t *testing.T) {
	ring := []Pt{{-5, -5}, {5, -5}, {5, 5}, {-5, 5}}
	got := math.Abs(ringArea(clipRing(ring, 0, 0, 10, 10)))
	if math.Abs(got-25) > 1e-9 {
		t.Errorf("area of the clipped square = %g, want 25", got)
	}
}

// TestDashes: dashes cover the on share of the line, none longer than
// the on length.
func TestDashes(t *testing.T) {
	line := []Pt{{0, 0}, {100, 0}, {100, 50}}
	ds := dashes(line, []float64{6, 4})
	on := 0.0
	for _, d := range ds {
		l := 0.0
		for i := 0; i+1 < len(d); i++ {
			l += math.Hypot(d[i+1].X-d[i].X, d[i+1].Y-d[i].Y)
		}
		if l > 6+1e-9 {
			t.Errorf("dash %v is %g long, want at most 6", d, l)
		}
		on += l
	}
	if math.Abs(on-90) > 1e-9 { // 150 px: 15 periods of 6 on
		t.Errorf("dashes cover %g px of 150, want 90", on)
	}
}
