package tsplibfmt

// Formats lists the EDGE_WEIGHT_FORMAT values: the EXPLICIT layouts and
// FUNCTION (allowed with coordinate types).
var Formats = map[string]bool{
	"FUNCTION": true, "FULL_MATRIX": true,
	"UPPER_ROW": true, "LOWER_ROW": true, "UPPER_DIAG_ROW": true, "LOWER_DIAG_ROW": true,
	"UPPER_COL": true, "LOWER_COL": true, "UPPER_DIAG_COL": true, "LOWER_DIAG_COL": true,
}

// Section is the name of the section ReadWeights reads.
const Section = "EDGE_WEIGHT_SECTION"

// ReadWeights reads an EXPLICIT matrix of n nodes in the given layout with
// value (which reads one entry from lx) and returns the full row-major n×n
// matrix with a zero diagonal. A triangular layout gives a symmetric
// matrix. The values are collected as the input supplies them, so a short
// file costs memory in proportion to its length, not to n²; only the
// final matrix is n² entries, and callers cap n before calling.
func ReadWeights[T any](lx *Lexer, n int, format string, value func() (T, error)) ([]T, error) {
	// Column-wise triangles are the transposed row-wise ones; for a
	// symmetric matrix that is the other triangle row-wise.
	switch format {
	case "UPPER_COL":
		format = "LOWER_ROW"
	case "LOWER_COL":
		format = "UPPER_ROW"
	case "UPPER_DIAG_COL":
		format = "LOWER_DIAG_ROW"
	case "LOWER_DIAG_COL":
		format = "UPPER_DIAG_ROW"
	case "", "FUNCTION":
		return nil, lx.Errf(Section, "EDGE_WEIGHT_FORMAT must name a matrix layout before EDGE_WEIGHT_SECTION")
	}
	var count int
	switch format {
	case "FULL_MATRIX":
		count = n * n
	case "UPPER_ROW", "LOWER_ROW":
		count = n * (n - 1) / 2
	default:
		count = n * (n + 1) / 2
	}
	vals := make([]T, 0, min(count, 1<<16))
	for k := range count {
		if err := lx.Short(Section, "weights ("+format+")", k, count, n); err != nil {
			return nil, err
		}
		v, err := value()
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	m := make([]T, n*n)
	k := 0
	set := func(i, j int) {
		if i != j {
			m[i*n+j], m[j*n+i] = vals[k], vals[k]
		}
		k++
	}
	switch format {
	case "FULL_MATRIX":
		for i := range n {
			for j := range n {
				if i != j {
					m[i*n+j] = vals[k]
				}
				k++
			}
		}
	case "UPPER_ROW":
		for i := range n {
			for j := i + 1; j < n; j++ {
				set(i, j)
			}
		}
	case "LOWER_ROW":
		for i := range n {
			for j := range i {
				set(i, j)
			}
		}
	case "UPPER_DIAG_ROW":
		for i := range n {
			for j := i; j < n; j++ {
				set(i, j)
			}
		}
	case "LOWER_DIAG_ROW":
		for i := range n {
			for j := 0; j <= i; j++ {
				set(i, j)
			}
		}
	}
	return m, nil
}
