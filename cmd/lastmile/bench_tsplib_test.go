package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/tsplib"
	"github.com/lastmile-health/lastmile/routing/tsp"
)

func TestBenchTsplib(t *testing.T) {
	dir := t.TempDir()
	// Optima from the exact solver (≤ 12 nodes).
	var opt [2]int64
	for k, name := range []string{"a10.tsp", "b12.tsp"} {
		p := writeInstance(t, dir, name, 10+2*k, uint64(k+5))
		in, err := tsplib.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := in.Matrix()
		res, err := tsp.Solve(t.Context(), tsp.Matrix[int32]{N: in.Dimension, C: m}, nil)
		if err != nil || !res.Optimal {
			t.Fatalf("exact solve of %s: %v, optimal %v", name, err, res.Optimal)
		}
		opt[k] = res.Cost
	}
	writeInstance(t, dir, "big.tsp", 40, 9)
	csvText := "file,type,dimension,edge_weight_type,edge_weight_format,optimal_length\n" +
		"a10.tsp,TSP,10,EUC_2D,," + strconv.FormatInt(opt[0], 10) + "\n" +
		"b12.tsp,TSP,12,EUC_2D,," + strconv.FormatInt(opt[1], 10) + "\n" +
		"big.tsp,TSP,40,EUC_2D,,1000\n"
	if err := os.WriteFile(filepath.Join(dir, "optimal.csv"), []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	peers := "tool,file,dimension,optimal,length,gap_pct,seconds\nvroom,a10.tsp,10,1,1,1.5000,0.01\n"
	if err := os.WriteFile(filepath.Join(dir, "peers.csv"), []byte(peers), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runCLI(t, "bench", "tsplib", "--time-limit", "100ms", "--max-n", "20", "--format", "csv", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHead := "instance,n,type,optimum,length,gap_pct,seconds,vroom_gap_pct"
	if len(recs) != 3 || strings.Join(recs[0], ",") != wantHead {
		t.Fatalf("csv output %q, want header %s and 2 rows (big.tsp filtered by --max-n)", out, wantHead)
	}
	for k, r := range recs[1:] {
		if r[4] != strconv.FormatInt(opt[k], 10) || r[5] != "0.0000" {
			t.Errorf("row %v: want length %d and gap 0.0000", r, opt[k])
		}
	}
	if recs[1][7] != "1.5000" || recs[2][7] != "" {
		t.Errorf("peer column %q, %q; want 1.5000 and empty", recs[1][7], recs[2][7])
	}

	code, out, _ = runCLI(t, "bench", "tsplib", "--time-limit", "100ms", "--max-n", "20", dir)
	if code != 0 || !strings.Contains(out, "| a10.tsp | 10 | TSP |") || !strings.Contains(out, "| TSP | 2 | 0.000 | 0.000 |") {
		t.Errorf("markdown output:\n%s", out)
	}
}
