package routing

import "context"

// MatrixSnapped is Matrix between points already snapped (by SnapAll):
// walking times from every snap to every other, errs[i] being snap i's
// error (nil when snapped; such a point's row and column are
// unreachable). A stage that plans a health worker's days from the home
// and the households snaps them once instead of once per side, which at
// national scale is a quarter of the matrix's time.
func (g *Graph) MatrixSnapped(ctx context.Context, snaps []Snap, errs []error, opts *MatrixOptions) (*Matrix, error) {
	if g.sg == nil {
		return nil, ErrNoHierarchy
	}
	if opts == nil {
		opts = &MatrixOptions{}
	}
	n := len(snaps)
	m := &Matrix{rows: n, cols: n, ms: make([]uint32, n*n), ok: make([]bool, n*n),
		FromSnaps: snaps, ToSnaps: snaps, FromErr: errs, ToErr: errs}
	return m, g.fill(ctx, m, opts.Workers)
}
