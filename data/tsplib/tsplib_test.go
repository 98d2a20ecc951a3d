package tsplib

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"

	"github.com/lastmile-health/lastmile/internal/shareddata"
)

// TestFileOrderTour checks TSPLIB distance rules on real files: the tour
// visiting the nodes in file order 1..n has a known length.
func TestFileOrderTour(t *testing.T) {
	tests := []struct {
		file string
		want int64
	}{
		{"a280.tsp", 2808},         // EUC_2D
		{"att48.tsp", 49840},       // ATT
		{"dsj1000.tsp", 557634042}, // CEIL_2D
		{"ftv33.atsp", 2239},       // ATSP FULL_MATRIX
		{"ulysses22.tsp", 12198},   // GEO
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, err := ReadFile(shareddata.Path(t, "tsplib/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			order := make([]int, in.Dimension)
			for i := range order {
				order[i] = i
			}
			if got := in.TourLength(order); got != tt.want {
				t.Errorf("file-order tour of %s = %d, want %d", tt.file, got, tt.want)
			}
		})
	}
}

// TestExplicitFormats reads a 4-node symmetric matrix through Read in a
// row and a column layout (tsplibfmt's tests check every layout).
func TestExplicitFormats(t *testing.T) {
	// d(1,2)=1 d(1,3)=2 d(1,4)=3 d(2,3)=4 d(2,4)=5 d(3,4)=6
	want := [4][4]int64{{0, 1, 2, 3}, {1, 0, 4, 5}, {2, 4, 0, 6}, {3, 5, 6, 0}}
	tests := []struct{ format, weights string }{
		{"UPPER_ROW", "1 2 3\n4 5\n6"},
		{"LOWER_DIAG_COL", "0 1 2 3\n0 4 5\n0 6\n0"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			src := "NAME: t\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: " +
				tt.format + "\nEDGE_WEIGHT_SECTION\n" + tt.weights + "\nEOF\n"
			in, err := Read(strings.NewReader(src), "t.tsp")
			if err != nil {
				t.Fatal(err)
			}
			for i := range 4 {
				for j := range 4 {
					if got := in.Dist(i, j); got != want[i][j] {
						t.Errorf("Dist(%d, %d) = %d, want %d", i, j, got, want[i][j])
					}
				}
			}
		})
	}
}

// TestDistanceRules checks each coordinate rule on hand-computed pairs.
func TestDistanceRules(t *testing.T) {
	tests := []struct {
		typ    string
		coords string
		want   int64
	}{
		{"EUC_2D", "1 0 0\n2 3 4.4", 5},      // 5.39 rounds to 5
		{"EUC_2D", "1 0 0\n2 3 4.8", 6},      // 5.66 rounds to 6
		{"CEIL_2D", "1 0 0\n2 3 4.01", 6},    // 5.008 rounds up
		{"CEIL_2D", "1 0 0\n2 3 4", 5},       // exact
		{"ATT", "1 0 0\n2 10 0", 4},          // sqrt(10)=3.16: nint 3 < 3.16 so 4
		{"ATT", "1 0 0\n2 0 40", 13},         // sqrt(160)=12.65: nint 13
		{"GEO", "1 0.0 0.0\n2 0.0 1.0", 112}, // 1 degree of the equator: 111.3 km, truncated plus one
		{"GEO", "1 0.0 0.0\n2 0.30 0.0", 56}, // 0.30 is 30 minutes: half a degree
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.coords, func(t *testing.T) {
			src := "TYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: " + tt.typ + "\nNODE_COORD_SECTION\n" + tt.coords + "\nEOF\n"
			in, err := Read(strings.NewReader(src), "t.tsp")
			if err != nil {
				t.Fatal(err)
			}
			if got := in.Dist(0, 1); got != tt.want {
				t.Errorf("Dist = %d, want %d", got, tt.want)
			}
			if got := in.Dist(1, 0); got != tt.want {
				t.Errorf("Dist back = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestATSPDiagonal checks that the diagonal of an ATSP file is ignored.
func TestATSPDiagonal(t *testing.T) {
	src := "TYPE: ATSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\n" +
		"EDGE_WEIGHT_SECTION\n100000000 1 2\n3 9999 4\n5 6 9999999\n"
	in, err := Read(strings.NewReader(src), "t.atsp")
	if err != nil {
		t.Fatal(err)
	}
	m, err := in.Matrix()
	if err != nil {
		t.Fatal(err)
	}
	want := []int32{0, 1, 2, 3, 0, 4, 5, 6, 0}
	if !slices.Equal(m, want) {
		t.Errorf("Matrix() = %v, want %v", m, want)
	}
	if in.Symmetric() {
		t.Error("Symmetric() = true for an ATSP")
	}
}

// TestBadInput checks that malformed files give a ParseError at the right
// line that unwraps to ErrInvalid.
func TestBadInput(t *testing.T) {
	head := "NAME: bad\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\n"
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"no type", "DIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n", 6, "missing TYPE"},
		{"bad type", "TYPE: CVRP\n", 1, "want TSP or ATSP"},
		{"bad dimension", "TYPE: TSP\nDIMENSION: -4\n", 2, "DIMENSION"},
		{"huge dimension", "TYPE: TSP\nDIMENSION: 99999999999\n", 2, "DIMENSION"},
		{"missing section", head, 5, "missing NODE_COORD_SECTION"},
		{"not a number", head + "NODE_COORD_SECTION\n1 0 0\n2 x 1\n3 1 1\n", 7, "want a number"},
		{"too few coords", head + "NODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF\n", 8, "needs 3 coordinate lines, got 2"},
		{"too many coords", head + "NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\n4 3 3\n", 9, "more data than DIMENSION"},
		{"node out of range", head + "NODE_COORD_SECTION\n1 0 0\n7 1 1\n3 2 2\n", 7, "outside 1..3"},
		{"duplicate node", head + "NODE_COORD_SECTION\n1 0 0\n1 1 1\n3 2 2\n", 8, "given twice"},
		{"section before dimension", "TYPE: TSP\nNODE_COORD_SECTION\n1 0 0\n", 2, "DIMENSION must come before"},
		{"few weights", "TYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n1 2\nEOF\n", 7, "needs 3 weights (UPPER_ROW), got 2"},
		{"weight not integer", "TYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: UPPER_ROW\nEDGE_WEIGHT_SECTION\n1 2 2.5\n", 6, "want an integer"},
		{"asymmetric TSP", "TYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 1\n2 0\n", 5, "not symmetric"},
		{"no format", "TYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_SECTION\n1\n", 4, "EDGE_WEIGHT_FORMAT must name"},
		{"unknown edge type", "TYPE: TSP\nEDGE_WEIGHT_TYPE: MAN_3D\n", 2, "want EUC_2D"},
		{"garbage", "\x00\x01 binary", 1, "want a \"KEY : VALUE\" line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.src), "bad.tsp")
			var pe *data.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Read error = %v, want a *data.ParseError", err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not unwrap to ErrInvalid", err)
			}
			if pe.File != "bad.tsp" || pe.Line != tt.line {
				t.Errorf("error at %s:%d, want bad.tsp:%d (%v)", pe.File, pe.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

// TestTourRoundTrip writes a tour and reads it back.
func TestTourRoundTrip(t *testing.T) {
	want := &Tour{Name: "t.tour", Comment: "length 12", Nodes: []int{3, 1, 4, 2, 5}}
	var b bytes.Buffer
	if err := WriteTour(&b, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTour(&b, "t.tour")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != want.Name || got.Comment != want.Comment || !slices.Equal(got.Nodes, want.Nodes) {
		t.Errorf("ReadTour(WriteTour(%+v)) = %+v", want, got)
	}
}

func TestReadTourBad(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
	}{
		{"repeat", "TYPE: TOUR\nDIMENSION: 3\nTOUR_SECTION\n1\n2\n2\n-1\n", 6},
		{"short", "TYPE: TOUR\nDIMENSION: 3\nTOUR_SECTION\n1\n2\n-1\n", 6},
		{"range", "TYPE: TOUR\nDIMENSION: 3\nTOUR_SECTION\n1\n4\n", 5},
		{"no section", "TYPE: TOUR\nDIMENSION: 3\n", 3},
		{"wrong type", "TYPE: TSP\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadTour(strings.NewReader(tt.src), "bad.tour")
			var pe *data.ParseError
			if !errors.As(err, &pe) || pe.Line != tt.line || !errors.Is(err, ErrInvalid) {
				t.Errorf("ReadTour error = %v, want a ParseError at line %d", err, tt.line)
			}
		})
	}
}

// TestRealFiles reads every instance in the shared folder and checks its
// dimension against optimal.csv.
func TestRealFiles(t *testing.T) {
	p := shareddata.Path(t, "tsplib/optimal.csv")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		in, err := ReadFile(filepath.Join(filepath.Dir(p), r[0]))
		if err != nil {
			t.Errorf("%s: %v", r[0], err)
			continue
		}
		if strconv.Itoa(in.Dimension) != r[2] || in.Type != r[1] || in.EdgeWeightType != r[3] {
			t.Errorf("%s: dimension %d type %s %s, want %s %s %s", r[0], in.Dimension, in.Type, in.EdgeWeightType, r[2], r[1], r[3])
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("NAME: t\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 1 1\nEOF\n"))
	f.Add([]byte("TYPE: ATSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n9999 1 2\n3 9999 4\n5 6 9999\n"))
	f.Add([]byte("TYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: LOWER_DIAG_ROW\nEDGE_WEIGHT_SECTION\n0 1 0 2 3 0\nEOF\n"))
	f.Add([]byte("TYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: GEO\nDISPLAY_DATA_TYPE: COORD_DISPLAY\nNODE_COORD_SECTION\n1 38.24 20.42\n2 39.57 26.15\nDISPLAY_DATA_SECTION\n1 0 0\n2 1 1\nEOF\n"))
	f.Add([]byte("TYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: ATT\nNODE_COORD_SECTION\n1 6734 1453\n2 2233 10\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := Read(bytes.NewReader(b), "fuzz.tsp")
		if err != nil {
			var pe *data.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not a ParseError wrapping ErrInvalid", err)
			}
			return
		}
		if in.Dimension < 1 {
			t.Fatalf("accepted dimension %d", in.Dimension)
		}
		n := min(in.Dimension, 50)
		for i := range n {
			for j := range n {
				d := in.Dist(i, j)
				if i == j && d != 0 {
					t.Fatalf("Dist(%d, %d) = %d, want 0", i, i, d)
				}
				if in.Symmetric() && d != in.Dist(j, i) {
					t.Fatalf("Dist(%d, %d) = %d but Dist(%d, %d) = %d in a TSP", i, j, d, j, i, in.Dist(j, i))
				}
			}
		}
	})
}

func FuzzReadTour(f *testing.F) {
	f.Add([]byte("NAME: t\nTYPE: TOUR\nDIMENSION: 3\nTOUR_SECTION\n2\n1\n3\n-1\nEOF\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tour, err := ReadTour(bytes.NewReader(b), "fuzz.tour")
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		seen := map[int]bool{}
		for _, v := range tour.Nodes {
			if v < 1 || v > len(tour.Nodes) || seen[v] {
				t.Fatalf("tour %v is not a permutation", tour.Nodes)
			}
			seen[v] = true
		}
	})
}
