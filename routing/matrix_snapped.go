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

// MatrixBetweenSnapped is MatrixSnapped from one set of snapped points to
// another (fromErr[i] and toErr[j] as errs there): coverage times a CHW's
// home to each of its households, whose snaps it already holds from the
// facility search, as one row rather than a square.
func (g *Graph) MatrixBetweenSnapped(ctx context.Context, from []Snap, fromErr []error, to []Snap, toErr []error, opts *MatrixOptions) (*Matrix, error) {
	if g.sg == nil {
		return nil, ErrNoHierarchy
	}
	if opts == nil {
		opts = &MatrixOptions{}
	}
	if fromErr == nil {
		fromErr = make([]error, len(from))
	}
	if toErr == nil {
		toErr = make([]error, len(to))
	}
	m := &Matrix{rows: len(from), cols: len(to), ms: make([]uint32, len(from)*len(to)), ok: make([]bool, len(from)*len(to)),
		FromSnaps: from, ToSnaps: to, FromErr: fromErr, ToErr: toErr}
	return m, g.fill(ctx, m, opts.Workers)
}
