package vrplib

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
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
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, filepath.Base(path))
}

// Read parses a VRPLIB instance. file names the input in errors.
func Read(r io.Reader, file string) (*Instance, error) {
	lx := tsplibfmt.NewLexer(r, file, ErrInvalid)
	in := &Instance{}
	var have struct{ dim, capacity, coords, weights, demand, depots bool }
	for {
		ok, err := lx.NextLine()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if key, value, ok := tsplibfmt.SplitSpec(lx.Whole); ok {
			if err := in.spec(lx, key, value, &have.dim, &have.capacity); err != nil {
				return nil, err
			}
			continue
		}
		sec := strings.ToUpper(lx.Toks[0])
		lx.Toks = lx.Toks[1:]
		if sec == "EOF" {
			break
		}
		if !have.dim && strings.HasSuffix(sec, "_SECTION") {
			return nil, lx.Errf(sec, "DIMENSION must come before %s", sec)
		}
		n := in.Dimension
		switch sec {
		case "NODE_COORD_SECTION", "DISPLAY_DATA_SECTION":
			coords, err := readPairs(lx, sec, n, "x y", func(s string) (float64, error) {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
					return 0, lx.Errf(sec, "want a number, got %q", tsplibfmt.Clip(s))
				}
				return v, nil
			}, 2)
			if err != nil {
				return nil, err
			}
			if sec == "NODE_COORD_SECTION" || in.Coords == nil {
				in.Coords = make([][2]float64, n)
				for i := range n {
					in.Coords[i] = [2]float64{coords[2*i], coords[2*i+1]}
				}
			}
			have.coords = have.coords || sec == "NODE_COORD_SECTION"
		case "DEMAND_SECTION":
			d, err := readPairs(lx, sec, n, "demand", func(s string) (int64, error) {
				v, err := lx.ParseInteger(sec, s)
				if err != nil {
					return 0, err
				}
				if v < 0 || v > math.MaxInt64/int64(MaxDimension) {
					return 0, lx.Errf(sec, "demand %d is negative or too large", v)
				}
				return v, nil
			}, 1)
			if err != nil {
				return nil, err
			}
			in.Demand, have.demand = d, true
		case "DEPOT_SECTION":
			if err := in.readDepots(lx, n); err != nil {
				return nil, err
			}
			have.depots = true
		case tsplibfmt.Section:
			if in.EdgeWeightType != "EXPLICIT" {
				return nil, lx.Errf(sec, "EDGE_WEIGHT_SECTION needs EDGE_WEIGHT_TYPE EXPLICIT before it")
			}
			if n > MaxExplicit {
				return nil, lx.Errf(sec, "DIMENSION %d is above %d, the largest explicit matrix read", n, MaxExplicit)
			}
			w, err := tsplibfmt.ReadWeights(lx, n, in.EdgeWeightFormat, func() (float64, error) {
				v, err := lx.Number(sec)
				if err == nil && v < 0 {
					err = lx.Errf(sec, "negative weight %g", v)
				}
				return v, err
			})
			if err != nil {
				return nil, err
			}
			in.weights, have.weights = w, true
		default:
			if _, err := strconv.ParseFloat(sec, 64); err == nil {
				return nil, lx.Errf("", "unexpected number %q: more data than DIMENSION %d", tsplibfmt.Clip(sec), n)
			}
			return nil, lx.Errf("", "want a \"KEY : VALUE\" line or a known section, got %q", tsplibfmt.Clip(sec))
		}
		if len(lx.Toks) > 0 {
			return nil, lx.Errf(sec, "unexpected %q after the section's data", tsplibfmt.Clip(lx.Toks[0]))
		}
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
		if in.Comment != "" {
			in.Comment += "\n"
		}
		in.Comment += value
	case "TYPE":
		t := strings.ToUpper(tsplibfmt.FirstField(value))
		if t != "CVRP" && t != "DCVRP" {
			return lx.Errf("TYPE", "want CVRP, got %q", tsplibfmt.Clip(value))
		}
		in.Type = t
	case "DIMENSION":
		n, err := strconv.Atoi(value)
		if err != nil || n < 2 || n > MaxDimension {
			return lx.Errf("DIMENSION", "want an integer from 2 to %d, got %q", MaxDimension, tsplibfmt.Clip(value))
		}
		if *haveDim && n != in.Dimension {
			return lx.Errf("DIMENSION", "given twice (%d, then %d)", in.Dimension, n)
		}
		in.Dimension, *haveDim = n, true
	case "EDGE_WEIGHT_TYPE":
		t := strings.ToUpper(value)
		if t != "EUC_2D" && t != "EXPLICIT" {
			return lx.Errf("EDGE_WEIGHT_TYPE", "want EUC_2D or EXPLICIT, got %q", tsplibfmt.Clip(value))
		}
		in.EdgeWeightType = t
	case "EDGE_WEIGHT_FORMAT":
		f := strings.ToUpper(value)
		if !tsplibfmt.Formats[f] {
			return lx.Errf("EDGE_WEIGHT_FORMAT", "want FUNCTION or a matrix layout such as FULL_MATRIX or LOWER_ROW, got %q", tsplibfmt.Clip(value))
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
		if t := strings.ToUpper(value); t != "TWOD_COORDS" && t != "NO_COORDS" {
			return lx.Errf("NODE_COORD_TYPE", "want TWOD_COORDS, got %q", tsplibfmt.Clip(value))
		}
	default:
		// DISPLAY_DATA_TYPE and other extensions: ignored, as TSPLIB allows.
	}
	return nil
}

// readPairs reads n lines "id v1 .. vk" with ids 1..n each once and
// returns the values in node order (k per node).
func readPairs[T any](lx *tsplibfmt.Lexer, sec string, n int, what string, value func(string) (T, error), k int) ([]T, error) {
	ids := make([]int32, 0, min(n, 4096))
	vals := make([]T, 0, min(n*k, 4096))
	for i := range n {
		if err := lx.Short(sec, "lines (node "+what+")", i, n, n); err != nil {
			return nil, err
		}
		id, err := lx.Integer(sec)
		if err != nil {
			return nil, err
		}
		if id < 1 || id > int64(n) {
			return nil, lx.Errf(sec, "node number %d outside 1..%d (DIMENSION)", id, n)
		}
		for range k {
			if len(lx.Toks) == 0 {
				return nil, lx.Errf(sec, "want %d values per line (node %s), got fewer", k+1, what)
			}
			v, err := value(lx.Toks[0])
			if err != nil {
				return nil, err
			}
			lx.Toks = lx.Toks[1:]
			vals = append(vals, v)
		}
		if len(lx.Toks) > 0 {
			return nil, lx.Errf(sec, "want %d values per line (node %s), got more: %q", k+1, what, tsplibfmt.Clip(lx.Toks[0]))
		}
		ids = append(ids, int32(id))
	}
	out := make([]T, n*k)
	seen := make([]bool, n)
	for i, id := range ids {
		if seen[id-1] {
			return nil, lx.Errf(sec, "node %d given twice", id)
		}
		seen[id-1] = true
		copy(out[int(id-1)*k:], vals[i*k:(i+1)*k])
	}
	return out, nil
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
