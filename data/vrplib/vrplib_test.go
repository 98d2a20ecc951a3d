package vrplib

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/internal/shareddata"
)

const tiny = "NAME : tiny\nCOMMENT : four customers\nTYPE : CVRP\nDIMENSION : 5\n" +
	"EDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\nDISTANCE : 200.5\nSERVICE_TIME : 10.0\n" +
	"NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 2.5\n4 -1 -1\n5 6 8\n" +
	"DEMAND_SECTION\n1 0\n2 4\n3 5\n4 6\n5 1\n" +
	"DEPOT_SECTION\n1\n-1\nEOF\n"

func TestReadSmall(t *testing.T) {
	in, err := Read(strings.NewReader(tiny), "tiny.vrp")
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.Name != "tiny" || in.Type != "CVRP" || in.Dimension != 5 || in.Capacity != 10 ||
		in.Distance != 200.5 || in.ServiceTime != 10 || len(in.Depots) != 1 || in.Depots[0] != 0 {
		t.Errorf("header read as %+v", in)
	}
	wantDemand := []int64{0, 4, 5, 6, 1}
	for i, d := range wantDemand {
		if in.Demand[i] != d {
			t.Errorf("Demand[%d] = %d, want %d", i, in.Demand[i], d)
		}
	}
	tests := []struct {
		i, j int
		r    Rounding
		want float64
	}{
		{0, 1, NInt, 5},
		{0, 1, Real, 5},
		{0, 2, NInt, 3}, // 2.5 rounds half up
		{0, 2, Real, 2.5},
		{0, 3, NInt, 1}, // 1.414
		{0, 3, Real, math.Sqrt2},
		{1, 4, Real, 5},
		{3, 3, NInt, 0},
	}
	for _, tt := range tests {
		if got := in.Dist(tt.i, tt.j, tt.r); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Dist(%d, %d, %v) = %v, want %v", tt.i, tt.j, tt.r, got, tt.want)
		}
	}
	if in.Service(0) != 0 || in.Service(3) != 10 {
		t.Errorf("Service(0), Service(3) = %v, %v, want 0, 10", in.Service(0), in.Service(3))
	}
}

func TestParseRounding(t *testing.T) {
	for _, r := range []Rounding{NInt, Real} {
		got, err := ParseRounding(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRounding(%q) = %v, %v, want %v", r.String(), got, err, r)
		}
	}
	if _, err := ParseRounding("ceil"); err == nil {
		t.Error("ParseRounding(ceil) succeeded")
	}
}

// TestExplicitFormats reads a 4-node symmetric matrix through Read in a
// row and a column layout (tsplibfmt's tests check every layout).
func TestExplicitFormats(t *testing.T) {
	want := [4][4]float64{{0, 1, 2, 3}, {1, 0, 4, 5}, {2, 4, 0, 6}, {3, 5, 6, 0}}
	tests := []struct{ format, weights string }{
		{"LOWER_ROW", "1\n2 4\n3 5 6"},
		{"UPPER_COL", "1\n2 4\n3 5 6"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			src := "NAME: t\nTYPE: CVRP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: " +
				tt.format + "\nCAPACITY: 5\nEDGE_WEIGHT_SECTION\n" + tt.weights +
				"\nDEMAND_SECTION\n1 0\n2 1\n3 1\n4 1\nDEPOT_SECTION\n1\n-1\nEOF\n"
			in, err := Read(strings.NewReader(src), "t.vrp")
			if err != nil {
				t.Fatal(err)
			}
			for i := range 4 {
				for j := range 4 {
					if got := in.Dist(i, j, NInt); got != want[i][j] {
						t.Errorf("Dist(%d, %d) = %v, want %v", i, j, got, want[i][j])
					}
				}
			}
		})
	}
}

// TestAsymmetricFull keeps a FULL_MATRIX as given, direction included.
func TestAsymmetricFull(t *testing.T) {
	src := "TYPE: CVRP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\n" +
		"CAPACITY: 4\nEDGE_WEIGHT_SECTION\n9999 2.25\n3 0\nDEMAND_SECTION\n1 0\n2 1\nDEPOT_SECTION\n1\n-1\n"
	in, err := Read(strings.NewReader(src), "t.vrp")
	if err != nil {
		t.Fatal(err)
	}
	if a, b, c := in.Dist(0, 1, Real), in.Dist(1, 0, Real), in.Dist(0, 0, Real); a != 2.25 || b != 3 || c != 0 {
		t.Errorf("Dist(0,1), Dist(1,0), Dist(0,0) = %v, %v, %v, want 2.25, 3, 0", a, b, c)
	}
	if got := in.Dist(0, 1, NInt); got != 2 {
		t.Errorf("Dist(0, 1, NInt) = %v, want 2", got)
	}
}

// TestBadInput checks that malformed files give a ParseError at the right
// line and field that unwraps to ErrInvalid.
func TestBadInput(t *testing.T) {
	head := "NAME: bad\nTYPE: CVRP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nCAPACITY: 10\n" // lines 1-5
	coords := "NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\n"                                   // 4 lines
	demand := "DEMAND_SECTION\n1 0\n2 3\n3 4\n"                                             // 4 lines
	const ew = "EDGE_WEIGHT_SECTION"
	tests := []struct {
		name, src string
		line      int
		field     string
		msg       string
	}{
		{"no type", "DIMENSION: 2\n", 2, "TYPE", "missing TYPE"},
		{"tsp type", "TYPE: TSP\n", 1, "TYPE", "want CVRP"},
		{"bad dimension", "TYPE: CVRP\nDIMENSION: 1\n", 2, "DIMENSION", "from 2 to"},
		{"huge dimension", "TYPE: CVRP\nDIMENSION: 99999999999\n", 2, "DIMENSION", "from 2 to"},
		{"bad capacity", "TYPE: CVRP\nCAPACITY: -3\n", 2, "CAPACITY", "positive integer"},
		{"bad distance", "TYPE: CVRP\nDISTANCE: x\n", 2, "DISTANCE", "positive number"},
		{"negative service", "TYPE: CVRP\nSERVICE_TIME: -1\n", 2, "SERVICE_TIME", "positive number"},
		{"unknown edge type", "TYPE: CVRP\nEDGE_WEIGHT_TYPE: GEO\n", 2, "EDGE_WEIGHT_TYPE", "want EUC_2D or EXPLICIT"},
		{"no capacity", "TYPE: CVRP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\n" + coords + demand, 12, "CAPACITY", "missing CAPACITY"},
		{"no coords", head + demand + "DEPOT_SECTION\n1\n-1\n", 13, "NODE_COORD_SECTION", "missing NODE_COORD_SECTION"},
		{"no demand", head + coords + "DEPOT_SECTION\n1\n-1\n", 13, "DEMAND_SECTION", "missing DEMAND_SECTION"},
		{"no depot", head + coords + demand, 14, "DEPOT_SECTION", "missing DEPOT_SECTION"},
		{"section before dimension", "TYPE: CVRP\nDEMAND_SECTION\n1 0\n", 2, "DEMAND_SECTION", "DIMENSION must come before"},
		{"not a number", head + "NODE_COORD_SECTION\n1 0 0\n2 x 1\n3 1 1\n", 8, "NODE_COORD_SECTION", "want a number"},
		{"short coord line", head + "NODE_COORD_SECTION\n1 0 0\n2 1\n3 1 1\n", 8, "NODE_COORD_SECTION", "got fewer"},
		{"too few coords", head + "NODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n", 9, "NODE_COORD_SECTION", "needs 3 lines (node x y), got 2"},
		{"duplicate node", head + "NODE_COORD_SECTION\n1 0 0\n1 1 1\n3 2 2\n", 9, "NODE_COORD_SECTION", "given twice"},
		{"node out of range", head + coords + "DEMAND_SECTION\n1 0\n4 3\n", 12, "DEMAND_SECTION", "outside 1..3"},
		{"negative demand", head + coords + "DEMAND_SECTION\n1 0\n2 -3\n", 12, "DEMAND_SECTION", "negative"},
		{"fractional demand", head + coords + "DEMAND_SECTION\n1 0\n2 1.5\n", 12, "DEMAND_SECTION", "want an integer"},
		{"depot out of range", head + coords + demand + "DEPOT_SECTION\n7\n-1\n", 15, "DEPOT_SECTION", "outside 1..3"},
		{"no depot listed", head + coords + demand + "DEPOT_SECTION\n-1\n", 15, "DEPOT_SECTION", "no depot"},
		{"depot unterminated", head + coords + demand + "DEPOT_SECTION\n1\n", 15, "DEPOT_SECTION", "want an integer"},
		{"explicit without section", "TYPE: CVRP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nCAPACITY: 1\n", 6, ew, "missing EDGE_WEIGHT_SECTION"},
		{"weights for euclid", head + ew + "\n1 2 3\n", 6, ew, "needs EDGE_WEIGHT_TYPE EXPLICIT"},
		{"few weights", "TYPE: CVRP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\n" + ew + "\n1 2\nEOF\n", 7, ew, "needs 3 weights"},
		{"negative weight", "TYPE: CVRP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\n" + ew + "\n1 -2 3\n", 6, ew, "negative weight"},
		{"trailing data", head + coords + demand + "DEPOT_SECTION\n1\n-1 7\n", 16, "DEPOT_SECTION", "after the section"},
		{"garbage", "\x00\x01 binary", 1, "", "want a \"KEY : VALUE\" line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.src), "bad.vrp")
			var pe *data.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Read error = %v, want a *data.ParseError", err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not unwrap to ErrInvalid", err)
			}
			if pe.File != "bad.vrp" || pe.Line != tt.line || pe.Field != tt.field {
				t.Errorf("error at %s:%d field %q, want bad.vrp:%d field %q (%v)", pe.File, pe.Line, pe.Field, tt.line, tt.field, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	in, err := Read(strings.NewReader(strings.Replace(tiny, "4 6\n", "4 11\n", 1)), "t.vrp")
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Validate(); err == nil || !strings.Contains(err.Error(), "node 4 demands 11") {
		t.Errorf("Validate() = %v, want node 4 over capacity", err)
	}
	in.Depots = []int{0, 1}
	if err := in.Validate(); err == nil || !strings.Contains(err.Error(), "2 depots") {
		t.Errorf("Validate() = %v, want 2 depots", err)
	}
}

// TestRealFiles reads every instance of the shared CVRP benchmark and
// checks it against bks.csv: customers, capacity, duration limit and
// service time, and that no customer's demand exceeds the capacity.
func TestRealFiles(t *testing.T) {
	p := shareddata.Path(t, "cvrp/bks.csv")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(s string) float64 {
		if s == "" {
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range recs[1:] {
		file := r[col["file"]]
		in, err := ReadFile(filepath.Join(filepath.Dir(p), file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if err := in.Validate(); err != nil {
			t.Errorf("%s: %v", file, err)
		}
		if got, want := in.Dimension-1, int(num(r[col["customers"]])); got != want {
			t.Errorf("%s: %d customers, bks.csv says %d", file, got, want)
		}
		if got, want := float64(in.Capacity), num(r[col["capacity"]]); got != want {
			t.Errorf("%s: capacity %v, bks.csv says %v", file, got, want)
		}
		if got, want := in.Distance, num(r[col["max_duration"]]); got != want {
			t.Errorf("%s: DISTANCE %v, bks.csv says %v", file, got, want)
		}
		if got, want := in.ServiceTime, num(r[col["service_time"]]); got != want {
			t.Errorf("%s: SERVICE_TIME %v, bks.csv says %v", file, got, want)
		}
	}
}

// TestExplicitFile checks an EXPLICIT LOWER_ROW file against the numbers
// printed in it: E-n13-k4's section starts 9 14 21, that is d(2,1),
// d(3,1), d(3,2).
func TestExplicitFile(t *testing.T) {
	in, err := ReadFile(shareddata.Path(t, "cvrp/E-n13-k4.vrp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		i, j int
		want float64
	}{{0, 1, 9}, {0, 2, 14}, {1, 2, 21}, {2, 1, 21}} {
		if got := in.Dist(c.i, c.j, NInt); got != c.want {
			t.Errorf("Dist(%d, %d) = %v, want %v", c.i, c.j, got, c.want)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(tiny))
	f.Add([]byte("TYPE: CVRP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: LOWER_ROW\nCAPACITY: 4\nEDGE_WEIGHT_SECTION\n1 2 3\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n"))
	f.Add([]byte("TYPE: DCVRP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nCAPACITY: 4\nDISTANCE: 9\nEDGE_WEIGHT_SECTION\n0 2.5\n3 0\nDEMAND_SECTION\n1 0\n2 1\nDEPOT_SECTION\n1\n2\n-1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := Read(bytes.NewReader(b), "fuzz.vrp")
		if err != nil {
			var pe *data.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not a ParseError wrapping ErrInvalid", err)
			}
			return
		}
		n := in.Dimension
		if n < 2 || len(in.Demand) != n || len(in.Depots) == 0 || in.Capacity < 1 {
			t.Fatalf("accepted dimension %d with %d demands, %d depots, capacity %d", n, len(in.Demand), len(in.Depots), in.Capacity)
		}
		for _, d := range in.Depots {
			if d < 0 || d >= n {
				t.Fatalf("depot %d outside 0..%d", d, n-1)
			}
		}
		m := min(n, 30)
		for i := range m {
			for j := range m {
				d := in.Dist(i, j, Real)
				if d < 0 || math.IsNaN(d) || (i == j && d != 0) {
					t.Fatalf("Dist(%d, %d) = %v", i, j, d)
				}
				if in.EdgeWeightType == "EUC_2D" && d != in.Dist(j, i, Real) {
					t.Fatalf("EUC_2D Dist(%d, %d) = %v but Dist(%d, %d) = %v", i, j, d, j, i, in.Dist(j, i, Real))
				}
			}
		}
	})
}
