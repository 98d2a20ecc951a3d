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
