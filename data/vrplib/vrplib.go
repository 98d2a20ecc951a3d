package vrplib

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lastmile-health/lastmile/data/internal/tsplibfmt"
)

// ErrInvalid is the sentinel under every error this package returns for a
// malformed instance.
var ErrInvalid = errors.New("vrplib: invalid file")

// MaxDimension is the largest DIMENSION Read accepts.
const MaxDimension = 1 << 20

// MaxExplicit is the largest DIMENSION accepted with EDGE_WEIGHT_TYPE
// EXPLICIT, whose full matrix is stored (MaxExplicit² float64 values, read
// only when the file supplies them).
const MaxExplicit = 10000

// Rounding is the rule turning a Euclidean distance into the instance's
// cost.
type Rounding int

// Rounding rules.
const (
	// NInt rounds to the nearest integer, halves up (TSPLIB's nint): sets
	// A, B, E, F, M, P and X.
	NInt Rounding = iota
	// Real keeps the exact distance: CMT and Golden.
	Real
)

// String returns "nint" or "real".
func (r Rounding) String() string {
	if r == Real {
		return "real"
	}
	return "nint"
}

// ParseRounding parses "nint" or "real".
func ParseRounding(s string) (Rounding, error) {
	switch strings.ToLower(s) {
	case "nint":
		return NInt, nil
	case "real":
		return Real, nil
	}
	return 0, fmt.Errorf("vrplib: rounding %q: want nint or real", s)
}

// Instance is one VRPLIB problem. The zero value is an empty instance.
type Instance struct {
	Name    string
	Comment string
	// Type is CVRP (or DCVRP, the older name of a CVRP with DISTANCE).
	Type string
	// Dimension is the number of nodes n, depots included.
	Dimension int
	// EdgeWeightType is EUC_2D or EXPLICIT.
	EdgeWeightType string
	// EdgeWeightFormat is the EXPLICIT matrix layout ("" otherwise).
	EdgeWeightFormat string
	// Capacity is every vehicle's capacity, in demand units.
	Capacity int64
	// Distance is the most one route may take, travel plus service times
	// (DISTANCE); 0 when the file sets no limit.
	Distance float64
	// ServiceTime is the time spent at each customer (SERVICE_TIME); 0
	// when absent. Depots take no service time.
	ServiceTime float64
	// Vehicles is the fleet size the file states (VEHICLES); 0 when absent.
	Vehicles int
	// Coords holds the node coordinates (x, y) in node order 0..n-1; nil
	// when the file has none (EXPLICIT without display data).
	Coords [][2]float64
	// Demand holds each node's demand, in node order 0..n-1.
	Demand []int64
	// Depots lists the depot nodes (0-based), in file order; a CVRP has one.
	Depots []int
	// weights is the full n×n row-major matrix of EXPLICIT instances.
	weights []float64
}

// Dist returns the cost of going from node i to node j (0-based) under
// rule r. It is 0 when i == j. It panics if i or j is out of range.
func (in *Instance) Dist(i, j int, r Rounding) float64 {
	if i == j {
		return 0
	}
	var d float64
	if in.EdgeWeightType == "EXPLICIT" {
		d = in.weights[i*in.Dimension+j]
	} else {
		a, b := in.Coords[i], in.Coords[j]
		dx, dy := a[0]-b[0], a[1]-b[1]
		d = math.Sqrt(dx*dx + dy*dy)
	}
	if r == NInt {
		return math.Floor(d + 0.5)
	}
	return d
}

// Service returns node i's service time: ServiceTime for a customer, 0 for
// a depot.
func (in *Instance) Service(i int) float64 {
	for _, d := range in.Depots {
		if d == i {
			return 0
		}
	}
	return in.ServiceTime
}

// ReadFile reads the instance at path; errors name the file's base name.
func ReadFile(path string) (*Instance, error) {
	return tsplibfmt.ReadFile(path, Read)
}

// Read parses a VRPLIB instance. file names the input in errors.
func Read(r io.Reader, file string) (*Instance, error) {
	lx := tsplibfmt.NewLexer(r, file, ErrInvalid)
	in := &Instance{}
	var have struct{ dim, capacity, coords, weights, demand, depots bool }
	spec := func(key, value string) error {
		return in.spec(lx, key, value, &have.dim, &have.capacity)
	}
	section := func(sec string) (stop bool, err error) {
		if sec == "EOF" {
			return true, nil
		}
		if !have.dim && strings.HasSuffix(sec, "_SECTION") {
			return false, lx.Errf(sec, "DIMENSION must come before %s", sec)
		}
		n := in.Dimension
		switch sec {
		case "NODE_COORD_SECTION", "DISPLAY_DATA_SECTION":
			coords, err := readCoords(lx, sec, n)
			if err != nil {
				return false, err
			}
			if sec == "NODE_COORD_SECTION" || in.Coords == nil {
				in.Coords = coords
			}
			have.coords = have.coords || sec == "NODE_COORD_SECTION"
		case "DEMAND_SECTION":
			d, err := readDemands(lx, sec, n)
			if err != nil {
				return false, err
			}
			in.Demand, have.demand = d, true
		case "DEPOT_SECTION":
			if err := in.readDepots(lx, n); err != nil {
				return false, err
			}
			have.depots = true
		case tsplibfmt.Section:
			if err := lx.CheckExplicit(in.EdgeWeightType, n, MaxExplicit); err != nil {
				return false, err
			}
			w, err := tsplibfmt.ReadWeights(lx, n, in.EdgeWeightFormat, func() (float64, error) {
				v, err := lx.Number(sec)
				if err == nil && v < 0 {
					err = lx.Errf(sec, "negative weight %g", v)
				}
				return v, err
			})
			if err != nil {
				return false, err
			}
			in.weights, have.weights = w, true
		default:
			return false, lx.UnknownSection(sec, n)
		}
		return false, lx.EndOfSection(sec)
	}
	if err := lx.Lines(spec, section); err != nil {
		return nil, err
	}
	lx.Line++ // errors about missing parts point past the end
	switch {
	case in.Type == "":
		return nil, lx.Errf("TYPE", "missing TYPE (want CVRP)")
	case !have.dim:
		return nil, lx.Errf("DIMENSION", "missing DIMENSION")
	case in.EdgeWeightType == "":
		return nil, lx.Errf("EDGE_WEIGHT_TYPE", "missing EDGE_WEIGHT_TYPE")
	case !have.capacity:
		return nil, lx.Errf("CAPACITY", "missing CAPACITY")
	case in.EdgeWeightType == "EXPLICIT" && !have.weights:
		return nil, lx.Errf(tsplibfmt.Section, "missing EDGE_WEIGHT_SECTION")
	case in.EdgeWeightType != "EXPLICIT" && !have.coords:
		return nil, lx.Errf("NODE_COORD_SECTION", "missing NODE_COORD_SECTION")
	case !have.demand:
		return nil, lx.Errf("DEMAND_SECTION", "missing DEMAND_SECTION")
	case !have.depots:
		return nil, lx.Errf("DEPOT_SECTION", "missing DEPOT_SECTION")
	}
	return in, nil
}

// spec applies one "KEY : VALUE" line.
func (in *Instance) spec(lx *tsplibfmt.Lexer, key, value string, haveDim, haveCap *bool) error {
	switch key {
	case "NAME":
		in.Name = value
	case "COMMENT":
		tsplibfmt.AddComment(&in.Comment, value)
	case "TYPE":
		t := strings.ToUpper(tsplibfmt.FirstField(value))
		if t != "CVRP" && t != "DCVRP" {
			return lx.Errf("TYPE", "want CVRP, got %q", tsplibfmt.Clip(value))
		}
		in.Type = t
	case "DIMENSION":
		n, err := lx.Dimension(value, 2, MaxDimension)
		if err != nil {
			return err
		}
		if *haveDim && n != in.Dimension {
			return lx.Errf("DIMENSION", "given twice (%d, then %d)", in.Dimension, n)
		}
		in.Dimension, *haveDim = n, true
	case "EDGE_WEIGHT_TYPE":
		t, err := lx.EdgeWeightType(value, "EUC_2D", "EXPLICIT")
		if err != nil {
			return err
		}
		in.EdgeWeightType = t
	case "EDGE_WEIGHT_FORMAT":
		f, err := lx.EdgeWeightFormat(value, "FULL_MATRIX or LOWER_ROW")
		if err != nil {
			return err
		}
		in.EdgeWeightFormat = f
	case "CAPACITY":
		v, err := strconv.ParseInt(value, 10, 64)
		if err != nil || v < 1 || v > math.MaxInt64/int64(MaxDimension) {
			return lx.Errf("CAPACITY", "want a positive integer, got %q", tsplibfmt.Clip(value))
		}
		in.Capacity, *haveCap = v, true
	case "DISTANCE", "SERVICE_TIME":
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || v < 0 || (key == "DISTANCE" && v == 0) {
			return lx.Errf(key, "want a positive number, got %q", tsplibfmt.Clip(value))
		}
		if key == "DISTANCE" {
			in.Distance = v
		} else {
			in.ServiceTime = v
		}
	case "VEHICLES":
		v, err := strconv.Atoi(value)
		if err != nil || v < 1 {
			return lx.Errf("VEHICLES", "want a positive integer, got %q", tsplibfmt.Clip(value))
		}
		in.Vehicles = v
	case "NODE_COORD_TYPE":
		return lx.CheckNodeCoordType(value)
	default:
		// DISPLAY_DATA_TYPE and other extensions: ignored, as TSPLIB allows.
	}
	return nil
}

// readCoords reads n lines "id x y" with ids 1..n each once.
func readCoords(lx *tsplibfmt.Lexer, sec string, n int) ([][2]float64, error) {
	const what = "x y"
	number := func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, lx.Errf(sec, "want a number, got %q", tsplibfmt.Clip(s))
		}
		return v, nil
	}
	return tsplibfmt.NodeRows(lx, sec, n, "lines (node "+what+")", 2, what, func() ([2]float64, error) {
		x, err := lineValue(lx, sec, 2, what, number)
		if err != nil {
			return [2]float64{}, err
		}
		y, err := lineValue(lx, sec, 2, what, number)
		return [2]float64{x, y}, err
	})
}

// readDemands reads n lines "id demand" with ids 1..n each once.
func readDemands(lx *tsplibfmt.Lexer, sec string, n int) ([]int64, error) {
	const what = "demand"
	demand := func(s string) (int64, error) {
		v, err := lx.ParseInteger(sec, s)
		if err != nil {
			return 0, err
		}
		if v < 0 || v > math.MaxInt64/int64(MaxDimension) {
			return 0, lx.Errf(sec, "demand %d is negative or too large", v)
		}
		return v, nil
	}
	return tsplibfmt.NodeRows(lx, sec, n, "lines (node "+what+")", 1, what, func() (int64, error) {
		return lineValue(lx, sec, 1, what, demand)
	})
}

// lineValue parses the next token of the current line, one of the k
// values (named what) after a node number: values must not cross lines.
func lineValue[T any](lx *tsplibfmt.Lexer, sec string, k int, what string, parse func(string) (T, error)) (T, error) {
	if len(lx.Toks) == 0 {
		var zero T
		return zero, lx.Errf(sec, "want %d values per line (node %s), got fewer", k+1, what)
	}
	v, err := parse(lx.Toks[0])
	if err != nil {
		return v, err
	}
	lx.Toks = lx.Toks[1:]
	return v, nil
}

// readDepots reads depot numbers ended by -1.
func (in *Instance) readDepots(lx *tsplibfmt.Lexer, n int) error {
	const sec = "DEPOT_SECTION"
	in.Depots = in.Depots[:0]
	for {
		v, err := lx.Integer(sec)
		if err != nil {
			return err
		}
		if v == -1 {
			break
		}
		if v < 1 || v > int64(n) {
			return lx.Errf(sec, "depot %d outside 1..%d (DIMENSION)", v, n)
		}
		for _, d := range in.Depots {
			if d == int(v-1) {
				return lx.Errf(sec, "depot %d given twice", v)
			}
		}
		if len(in.Depots) == n {
			return lx.Errf(sec, "more depots than nodes")
		}
		in.Depots = append(in.Depots, int(v-1))
	}
	if len(in.Depots) == 0 {
		return lx.Errf(sec, "no depot before -1")
	}
	return nil
}

// Validate reports whether in is a well-formed CVRP: one depot, every
// customer's demand at most the capacity. Read checks the format; Validate
// checks what a solver needs.
func (in *Instance) Validate() error {
	if len(in.Depots) != 1 {
		return fmt.Errorf("vrplib: %s: %d depots, want 1", in.Name, len(in.Depots))
	}
	for i, d := range in.Demand {
		if d > in.Capacity && i != in.Depots[0] {
			return fmt.Errorf("vrplib: %s: node %d demands %d, more than the capacity %d", in.Name, i+1, d, in.Capacity)
		}
	}
	return nil
}
