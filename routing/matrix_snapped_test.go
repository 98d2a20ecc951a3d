package routing

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestMatrixSnappedMatchesMatrix: the same times as Matrix between the
// same points, unreachable pairs included.
func TestMatrixSnappedMatchesMatrix(t *testing.T) {
	g, b := gridFixture(t, 12, 120)
	r := rand.New(rand.NewPCG(*seed, 31))
	pts := randomPoints(r, b, 20)
	pts = append(pts, orb.Point{50, 50}) // far from every path
	want, err := g.Matrix(context.Background(), pts, pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	snaps, errs, err := g.SnapAll(context.Background(), pts, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := g.MatrixSnapped(context.Background(), snaps, errs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		for j := range pts {
			a, okA := got.Millis(i, j)
			b, okB := want.Millis(i, j)
			if okA != okB || (okA && a != b) {
				t.Errorf("MatrixSnapped(%d, %d) = %d ms, %v; Matrix %d ms, %v", i, j, a, okA, b, okB)
			}
		}
	}
}

// TestMatrixBetweenSnappedMatchesMatrix: one set of snapped points to
// another gives Matrix's times, unreachable pairs included.
func TestMatrixBetweenSnappedMatchesMatrix(t *testing.T) {
	g, b := gridFixture(t, 12, 120)
	r := rand.New(rand.NewPCG(*seed, 13))
	from, to := randomPoints(r, b, 3), randomPoints(r, b, 30)
	to = append(to, orb.Point{50, 50}) // far from every path
	want, err := g.Matrix(context.Background(), from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs, fe, err := g.SnapAll(context.Background(), from, 1)
	if err != nil {
		t.Fatal(err)
	}
	ts, te, err := g.SnapAll(context.Background(), to, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := g.MatrixBetweenSnapped(context.Background(), fs, fe, ts, te, &MatrixOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range from {
		for j := range to {
			a, okA := got.Millis(i, j)
			b, okB := want.Millis(i, j)
			if okA != okB || (okA && a != b) {
				t.Errorf("MatrixBetweenSnapped(%d, %d) = %d ms, %v; Matrix %d ms, %v", i, j, a, okA, b, okB)
			}
			if okA {
				n++
			}
		}
	}
	if n < len(from)*len(to)/2 {
		t.Errorf("only %d of %d pairs reachable: the test proves little", n, len(from)*len(to))
	}
}
