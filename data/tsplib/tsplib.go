package tsplib

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/lastmile-health/lastmile/data/internal/tsplibfmt"
)

// ErrInvalid is the sentinel under every error this package returns for a
// malformed instance or tour file.
var ErrInvalid = errors.New("tsplib: invalid file")

// MaxDimension is the largest DIMENSION Read and ReadTour accept. EXPLICIT
// instances are further limited by MaxExplicit.
const MaxDimension = 1 << 20

// MaxExplicit is the largest DIMENSION accepted with EDGE_WEIGHT_TYPE
// EXPLICIT, whose full matrix is stored (MaxExplicit² int32 values).
const MaxExplicit = 20000

// Problem types.
const (
	TSP  = "TSP"  // symmetric
	ATSP = "ATSP" // asymmetric
)

// Instance is one TSPLIB problem. The zero value is an empty instance.
type Instance struct {
	Name    string
	Comment string
	// Type is TSP or ATSP.
	Type string
	// Dimension is the number of nodes n.
	Dimension int
	// EdgeWeightType is EUC_2D, CEIL_2D, GEO, ATT or EXPLICIT.
	EdgeWeightType string
	// EdgeWeightFormat is the EXPLICIT matrix layout ("" otherwise).
	EdgeWeightFormat string
	// Coords holds the node coordinates (x, y) of coordinate types, in node
	// order 0..n-1; nil for EXPLICIT.
	Coords [][2]float64
	// weights is the full n×n row-major matrix of EXPLICIT instances.
	weights []int32
	// geo holds the latitude and longitude in radians of GEO instances.
	geo [][2]float64
}

// Symmetric reports whether the instance is a TSP (Dist(i, j) == Dist(j, i)).
func (in *Instance) Symmetric() bool { return in.Type == TSP }

// Dist returns the TSPLIB distance from node i to node j (0-based). It is
// 0 when i == j. It panics if i or j is out of range.
func (in *Instance) Dist(i, j int) int64 {
	if i == j {
		return 0
	}
	switch in.EdgeWeightType {
	case "EXPLICIT":
		return int64(in.weights[i*in.Dimension+j])
	case "GEO":
		return geoDist(in.geo[i], in.geo[j])
	}
	a, b := in.Coords[i], in.Coords[j]
	dx, dy := a[0]-b[0], a[1]-b[1]
	switch in.EdgeWeightType {
	case "CEIL_2D":
		return int64(math.Ceil(math.Sqrt(dx*dx + dy*dy)))
	case "ATT":
		r := math.Sqrt((dx*dx + dy*dy) / 10)
		t := int64(r + 0.5)
		if float64(t) < r {
			return t + 1
		}
		return t
	default: // EUC_2D
		return int64(math.Sqrt(dx*dx+dy*dy) + 0.5)
	}
}

// geoRadius is TSPLIB's idealised earth radius in km.
const geoRadius = 6378.388

// geoDist is TSPLIB's GEO distance, truncated and plus one as in the
// reference code.
func geoDist(a, b [2]float64) int64 {
	q1 := math.Cos(a[1] - b[1])
	q2 := math.Cos(a[0] - b[0])
	q3 := math.Cos(a[0] + b[0])
	return int64(geoRadius*math.Acos(0.5*((1+q1)*q2-(1-q1)*q3)) + 1)
}

// geoRad converts TSPLIB's DDD.MM to radians with TSPLIB's PI = 3.141592
// and the degrees truncated toward zero.
func geoRad(x float64) float64 {
	const pi = 3.141592
	deg := math.Trunc(x)
	min := x - deg
	return pi * (deg + 5*min/3) / 180
}

// Matrix returns the full n×n row-major distance matrix (Dist(i, j) at
// i*n+j) with a zero diagonal. It fails when a distance does not fit in an
// int32. It costs O(n²) time and memory.
func (in *Instance) Matrix() ([]int32, error) {
	n := in.Dimension
	m := make([]int32, n*n)
	for i := range n {
		for j := range n {
			d := in.Dist(i, j)
			if d > math.MaxInt32 || d < math.MinInt32 {
				return nil, fmt.Errorf("tsplib: %s: distance %d from node %d to %d does not fit in an int32", in.Name, d, i+1, j+1)
			}
			m[i*n+j] = int32(d)
		}
	}
	return m, nil
}

// TourLength returns the length of the closed tour visiting the 0-based
// nodes in order.
func (in *Instance) TourLength(order []int) int64 {
	var s int64
	for k := range order {
		s += in.Dist(order[k], order[(k+1)%len(order)])
	}
	return s
}

// ReadFile reads the instance at path; errors name the file's base name.
func ReadFile(path string) (*Instance, error) {
	return tsplibfmt.ReadFile(path, Read)
}

// Read parses a TSPLIB instance (TYPE TSP or ATSP). file names the input in
// errors.
func Read(r io.Reader, file string) (*Instance, error) {
	lx := tsplibfmt.NewLexer(r, file, ErrInvalid)
	rd := reader{lx: lx, in: &Instance{}}
	if err := lx.Lines(rd.spec, rd.section); err != nil {
		return nil, err
	}
	return rd.in.finish(lx, rd.haveDim, rd.haveCoords, rd.haveWeights, rd.weightsLine)
}

// reader is the state of one Read.
type reader struct {
	lx                               *tsplibfmt.Lexer
	in                               *Instance
	haveDim, haveCoords, haveWeights bool
	// weightsLine is the line of EDGE_WEIGHT_SECTION.
	weightsLine int
}

// spec applies one "KEY : VALUE" line.
func (rd *reader) spec(key, value string) error {
	lx, in := rd.lx, rd.in
	switch key {
	case "NAME":
		in.Name = value
	case "COMMENT":
		tsplibfmt.AddComment(&in.Comment, value)
	case "TYPE":
		t := strings.ToUpper(tsplibfmt.FirstField(value))
		if t != TSP && t != ATSP {
			return lx.Errf("TYPE", "want TSP or ATSP, got %q", tsplibfmt.Clip(value))
		}
		in.Type = t
	case "DIMENSION":
		n, err := lx.Dimension(value, 1, MaxDimension)
		if err != nil {
			return err
		}
		in.Dimension, rd.haveDim = n, true
	case "EDGE_WEIGHT_TYPE":
		t, err := lx.EdgeWeightType(value, "EUC_2D", "CEIL_2D", "GEO", "ATT", "EXPLICIT")
		if err != nil {
			return err
		}
		in.EdgeWeightType = t
	case "EDGE_WEIGHT_FORMAT":
		f, err := lx.EdgeWeightFormat(value, "FULL_MATRIX or LOWER_DIAG_ROW")
		if err != nil {
			return err
		}
		in.EdgeWeightFormat = f
	case "NODE_COORD_TYPE":
		return lx.CheckNodeCoordType(value)
	default:
		// CAPACITY, DISPLAY_DATA_TYPE, EDGE_DATA_FORMAT, EOF and other
		// extensions: of no use here, ignored as TSPLIB allows.
	}
	return nil
}

// section reads the data of section sec; stop is true at EOF.
func (rd *reader) section(sec string) (stop bool, err error) {
	lx, in := rd.lx, rd.in
	switch sec {
	case "EOF":
		return true, nil
	case "NODE_COORD_SECTION", "DISPLAY_DATA_SECTION":
		if !rd.haveDim {
			return false, lx.Errf(sec, "DIMENSION must come before %s", sec)
		}
		coords, err := readCoords(lx, sec, in.Dimension)
		if err != nil {
			return false, err
		}
		if sec == "NODE_COORD_SECTION" {
			in.Coords, rd.haveCoords = coords, true
		}
	case tsplibfmt.Section:
		if !rd.haveDim {
			return false, lx.Errf(sec, "DIMENSION must come before EDGE_WEIGHT_SECTION")
		}
		secLine := lx.Line
		if err := lx.CheckExplicit(in.EdgeWeightType, in.Dimension, MaxExplicit); err != nil {
			return false, err
		}
		w, err := readWeights(lx, in.Dimension, in.EdgeWeightFormat)
		if err != nil {
			return false, err
		}
		in.weights, rd.haveWeights, rd.weightsLine = w, true, secLine
	case "FIXED_EDGES_SECTION":
		// Read and ignore: pairs ended by -1.
		for {
			v, err := lx.Integer(sec)
			if err != nil {
				return false, err
			}
			if v == -1 {
				break
			}
		}
	default:
		return false, lx.UnknownSection(sec, in.Dimension)
	}
	return false, lx.EndOfSection(sec)
}

// finish checks that the sections the header asks for were all present.
// weightsLine is the line of EDGE_WEIGHT_SECTION, for errors about the
// matrix.
func (in *Instance) finish(lx *tsplibfmt.Lexer, haveDim, haveCoords, haveWeights bool, weightsLine int) (*Instance, error) {
	lx.Line++ // errors about missing parts point past the end
	switch {
	case in.Type == "":
		return nil, lx.Errf("TYPE", "missing TYPE (want TSP or ATSP)")
	case !haveDim:
		return nil, lx.Errf("DIMENSION", "missing DIMENSION")
	case in.EdgeWeightType == "":
		return nil, lx.Errf("EDGE_WEIGHT_TYPE", "missing EDGE_WEIGHT_TYPE")
	}
	if in.EdgeWeightType == "EXPLICIT" {
		if !haveWeights {
			return nil, lx.Errf("EDGE_WEIGHT_SECTION", "missing EDGE_WEIGHT_SECTION")
		}
	} else {
		if !haveCoords {
			return nil, lx.Errf("NODE_COORD_SECTION", "missing NODE_COORD_SECTION")
		}
		if in.EdgeWeightType == "GEO" {
			in.geo = make([][2]float64, len(in.Coords))
			for i, c := range in.Coords {
				in.geo[i] = [2]float64{geoRad(c[0]), geoRad(c[1])}
			}
		}
	}
	if in.Type == TSP && in.weights != nil && in.EdgeWeightFormat == "FULL_MATRIX" {
		n := in.Dimension
		for i := range n {
			for j := i + 1; j < n; j++ {
				if in.weights[i*n+j] != in.weights[j*n+i] {
					return nil, lx.ErrAt(weightsLine, "EDGE_WEIGHT_SECTION",
						"TYPE TSP but the matrix is not symmetric (%d→%d is %d, %d→%d is %d)",
						i+1, j+1, in.weights[i*n+j], j+1, i+1, in.weights[j*n+i])
				}
			}
		}
	}
	return in, nil
}

// readCoords reads n lines "id x y" with ids 1..n each once.
func readCoords(lx *tsplibfmt.Lexer, sec string, n int) ([][2]float64, error) {
	return tsplibfmt.NodeRows(lx, sec, n, "coordinate lines", 2, "x y", func() ([2]float64, error) {
		x, err := lx.Number(sec)
		if err != nil {
			return [2]float64{}, err
		}
		y, err := lx.Number(sec)
		return [2]float64{x, y}, err
	})
}

// readWeights reads an EXPLICIT matrix in the given layout into a full
// row-major n×n matrix with a zero diagonal.
func readWeights(lx *tsplibfmt.Lexer, n int, format string) ([]int32, error) {
	return tsplibfmt.ReadWeights(lx, n, format, func() (int32, error) {
		v, err := lx.Integer(tsplibfmt.Section)
		if err != nil {
			return 0, err
		}
		if v > math.MaxInt32 || v < math.MinInt32 {
			return 0, lx.Errf(tsplibfmt.Section, "weight %d does not fit in an int32", v)
		}
		return int32(v), nil
	})
}
