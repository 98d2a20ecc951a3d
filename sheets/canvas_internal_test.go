package sheets

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/lastmile-health/lastmile/tiles"
)

// TestAppendFixed2 checks appendFixed2 against strconv on random values
// of every size a page holds, halves, negatives and zeros.
func TestAppendFixed2(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	vals := []float64{0, math.Copysign(0, -1), -0.001, 0.005, 0.015, 0.125, -0.125, 1.005, 2.675, 595.275, 841.89, 1e14, 1e16, -1e20, math.Inf(1), math.NaN()}
	for range 1000000 {
		v := (rng.Float64()*2 - 1) * math.Pow(10, rng.Float64()*7-3)
		vals = append(vals, v, math.Round(v*1000)/1000, float64(int(v*200))/200)
	}
	for _, v := range vals {
		if got, want := string(appendFixed2(nil, v)), strconv.FormatFloat(v, 'f', 2, 64); got != want {
			t.Fatalf("appendFixed2(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestInFrame checks the runs inFrame keeps against the definition: every
// segment that can show is in exactly one run, in order, no run holds a
// segment that cannot, and a line wholly inside comes back as it was.
func TestInFrame(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	const w, h, m = 100.0, 80.0, 3.0
	outside := func(a, b tiles.Pt) bool {
		return a.X < -m && b.X < -m || a.X > w+m && b.X > w+m || a.Y < -m && b.Y < -m || a.Y > h+m && b.Y > h+m
	}
	for trial := range 2000 {
		l := make([]tiles.Pt, 1+rng.IntN(12))
		for i := range l {
			l[i] = tiles.Pt{X: rng.Float64()*300 - 100, Y: rng.Float64()*300 - 100}
		}
		var want, got [][2]tiles.Pt
		for i := 0; i+1 < len(l); i++ {
			if !outside(l[i], l[i+1]) {
				want = append(want, [2]tiles.Pt{l[i], l[i+1]})
			}
		}
		runs := inFrame(l, w, h, m)
		for _, r := range runs {
			if len(r) < 2 && len(l) > 1 {
				t.Fatalf("trial %d: a run of %d points", trial, len(r))
			}
			for i := 0; i+1 < len(r); i++ {
				got = append(got, [2]tiles.Pt{r[i], r[i+1]})
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: line %v: runs %v", trial, l, runs)
		}
	}
	in := []tiles.Pt{{X: 1, Y: 1}, {X: 50, Y: 2}, {X: 99, Y: 79}}
	if runs := inFrame(in, w, h, m); len(runs) != 1 || &runs[0][0] != &in[0] || len(runs[0]) != len(in) {
		t.Errorf("a line inside the frame came back as %v", runs)
	}
}

// TestSimplify checks Douglas–Peucker's promise: every dropped vertex lies
// within the tolerance of the kept line between its kept neighbours, both
// ends stay, and the points of a straight densified segment all go.
func TestSimplify(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	segDist := func(p, a, b tiles.Pt) float64 {
		dx, dy := b.X-a.X, b.Y-a.Y
		n2 := dx*dx + dy*dy
		u := 0.0
		if n2 > 0 {
			u = math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/n2))
		}
		return math.Hypot(p.X-a.X-u*dx, p.Y-a.Y-u*dy)
	}
	for trial := range 1000 {
		l := make([]tiles.Pt, 2+rng.IntN(40))
		for i := range l {
			if i == 0 {
				continue
			}
			l[i] = tiles.Pt{X: l[i-1].X + rng.Float64()*4, Y: l[i-1].Y + rng.NormFloat64()*0.3}
		}
		const tol = 0.2
		got := simplify(l, tol)
		if got[0] != l[0] || got[len(got)-1] != l[len(l)-1] {
			t.Fatalf("trial %d: ends not kept", trial)
		}
		k := 0 // got[k] is l[j] for the last kept j
		for j := 1; j < len(l); j++ {
			if k+1 < len(got) && l[j] == got[k+1] {
				k++
				continue
			}
			if d := segDist(l[j], got[k], got[k+1]); d > tol+1e-9 {
				t.Fatalf("trial %d: vertex %d dropped at %.3f px from the kept line", trial, j, d)
			}
		}
	}
	line := []tiles.Pt{{X: 0, Y: 0}, {X: 1, Y: 0.5}, {X: 2, Y: 1}, {X: 3, Y: 1.5}, {X: 10, Y: 5}}
	if got := simplify(line, 0.2); len(got) != 2 {
		t.Errorf("a straight densified segment kept %d points", len(got))
	}
}
