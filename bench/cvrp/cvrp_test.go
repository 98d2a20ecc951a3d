package cvrp

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data/vrplib"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/lastmile-health/lastmile/routing/vrp"
)

// tiny: depot 1 at the origin, 2 and 3 at distance 5, 4 at distance 10;
// capacity 10, DISTANCE 30, service 2.
const tiny = "NAME : tiny\nTYPE : CVRP\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n" +
	"DISTANCE : 30\nSERVICE_TIME : 2\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 -3 4\n4 10 0\n" +
	"DEMAND_SECTION\n1 0\n2 5\n3 5\n4 6\nDEPOT_SECTION\n1\n-1\nEOF\n"

func TestCheck(t *testing.T) {
	in, err := vrplib.Read(strings.NewReader(tiny), "tiny.vrp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		routes [][]int
		cost   float64
		err    string
	}{
		{"feasible", [][]int{{2, 3}, {4}}, 5 + 6 + 5 + 10 + 10, ""},
		{"missing", [][]int{{2, 3}}, 0, "node 4 is not visited"},
		{"twice", [][]int{{2, 3}, {4, 2}}, 0, "node 2 is visited twice"},
		{"depot", [][]int{{1, 2, 3}, {4}}, 0, "not a customer"},
		{"out of range", [][]int{{2, 3}, {9}}, 0, "not a customer"},
		{"empty route", [][]int{{2, 3}, {}, {4}}, 0, "route 2 is empty"},
		{"over capacity", [][]int{{2, 3, 4}}, 0, "carries 16, capacity 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cost, err := Check(in, vrplib.NInt, tt.routes)
			if tt.err == "" {
				if err != nil || cost != tt.cost {
					t.Errorf("Check = %v, %v, want %v", cost, err, tt.cost)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Check error = %v, want %q", err, tt.err)
			}
		})
	}
	in.Distance = 20
	if _, err := Check(in, vrplib.Real, [][]int{{2, 3}, {4}}); err == nil || !strings.Contains(err.Error(), "route 2 takes 22.000000, limit 20") {
		t.Errorf("Check with DISTANCE 20 = %v, want route 2 over the limit", err)
	}
}

// TestSolveShared solves a few real instances briefly and checks each
// solution independently; CMT6 has a duration limit and service times.
func TestSolveShared(t *testing.T) {
	if testing.Short() {
		t.Skip("solves real instances")
	}
	dir := filepath.Dir(shareddata.Path(t, "cvrp/bks.csv"))
	list, err := ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"A-n32-k5.vrp": true, "E-n13-k4.vrp": true, "CMT6.vrp": true}
	for _, e := range list {
		if !want[e.File] {
			continue
		}
		in, err := vrplib.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		sol, err := Solve(context.Background(), in, e.Rounding, &vrp.Options{TimeLimit: 300 * time.Millisecond, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		cost, err := Check(in, e.Rounding, sol.Routes)
		if err != nil {
			t.Errorf("%s: %v", e.File, err)
			continue
		}
		if gap := (cost - e.BKS) / e.BKS; gap > 0.02 || gap < -1e-6 || !sol.Feasible {
			t.Errorf("%s: cost %v (feasible %v), best known %v", e.File, cost, sol.Feasible, e.BKS)
		}
	}
}
