package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/tsplib"
	"github.com/lastmile-health/lastmile/internal/shareddata"
)

// writeInstance writes a random EUC_2D instance of n nodes to dir/name.
func writeInstance(t *testing.T, dir, name string, n int, seed uint64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	fmt.Fprintf(&b, "NAME: %s\nTYPE: TSP\nDIMENSION: %d\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n", strings.TrimSuffix(name, ".tsp"), n)
	for i := range n {
		fmt.Fprintf(&b, "%d %d %d\n", i+1, rng.IntN(1000), rng.IntN(1000))
	}
	b.WriteString("EOF\n")
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTSPCommandJSON(t *testing.T) {
	dir := t.TempDir()
	p := writeInstance(t, dir, "r30.tsp", 30, 3)
	tourPath := filepath.Join(dir, "r30.tour")
	code, out, errs := runCLI(t, "tsp", "--time-limit", "200ms", "--format", "json", "--optimum", "1000", "--out", tourPath, p)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	var got struct {
		Length  int64    `json:"length"`
		Tour    []int    `json:"tour"`
		Seconds float64  `json:"seconds"`
		GapPct  *float64 `json:"gap_pct"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	in, err := tsplib.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	order := make([]int, len(got.Tour))
	seen := map[int]bool{}
	for i, v := range got.Tour {
		if v < 1 || v > 30 || seen[v] {
			t.Fatalf("tour %v is not a permutation of 1..30", got.Tour)
		}
		seen[v] = true
		order[i] = v - 1
	}
	if len(order) != 30 || in.TourLength(order) != got.Length {
		t.Errorf("length %d, tour of %d nodes recomputes to %d", got.Length, len(order), in.TourLength(order))
	}
	if got.GapPct == nil || got.Seconds <= 0 {
		t.Errorf("missing gap_pct or seconds in %s", out)
	}
	f, err := os.Open(tourPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tour, err := tsplib.ReadTour(f, "r30.tour")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(tour.Nodes) != fmt.Sprint(got.Tour) {
		t.Errorf("--out tour %v, printed %v", tour.Nodes, got.Tour)
	}
}

func TestTSPCommandText(t *testing.T) {
	p := writeInstance(t, t.TempDir(), "r20.tsp", 20, 4)
	code, out, errs := runCLI(t, "tsp", "--time-limit", "100ms", p)
	if code != 0 || !strings.Contains(out, "r20 (TSP, 20 nodes): length ") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestTSPCommandErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeInstance(t, dir, "g.tsp", 5, 1)
	bad := filepath.Join(dir, "bad.tsp")
	if err := os.WriteFile(bad, []byte("TYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 zero 1\n3 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"bad file", []string{"tsp", bad}, 1, "bad.tsp:6"},
		{"missing file", []string{"tsp", filepath.Join(dir, "none.tsp")}, 1, "none.tsp"},
		{"no file", []string{"tsp"}, 2, "want one FILE"},
		{"two files", []string{"tsp", good, good}, 2, "want one FILE"},
		{"bad format", []string{"tsp", "--format", "xml", good}, 2, "--format"},
		{"bad limit", []string{"tsp", "--time-limit", "-1s", good}, 2, "--time-limit"},
		{"bad optimum", []string{"tsp", "--optimum", "0", good}, 2, "--optimum"},
		{"unknown flag", []string{"tsp", "--fast", good}, 2, "fast"},
		{"bench no dir", []string{"bench", "tsplib"}, 2, "want one DIR"},
		{"bench bad format", []string{"bench", "tsplib", "--format", "xml", dir}, 2, "--format"},
		{"bench no optimal.csv", []string{"bench", "tsplib", dir}, 1, "optimal.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantFailure(t, tt.code, tt.msg, tt.args...) })
	}
}

// TestTSPCommandRealFile runs the command on a real TSPLIB file and checks
// the printed length against the tour it wrote.
func TestTSPCommandRealFile(t *testing.T) {
	p := shareddata.Path(t, "tsplib/ftv33.atsp")
	tourPath := filepath.Join(t.TempDir(), "ftv33.tour")
	code, out, errs := runCLI(t, "tsp", "--time-limit", "300ms", "--optimum", "1286", "--out", tourPath, p)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	in, err := tsplib.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(tourPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tour, err := tsplib.ReadTour(f, "ftv33.tour")
	if err != nil {
		t.Fatal(err)
	}
	order := make([]int, len(tour.Nodes))
	for i, v := range tour.Nodes {
		order[i] = v - 1
	}
	want := fmt.Sprintf("ftv33 (ATSP, 34 nodes): length %d, optimum 1286, gap ", in.TourLength(order))
	if !strings.HasPrefix(out, want) {
		t.Errorf("output %q, want it to start with %q", out, want)
	}
}
