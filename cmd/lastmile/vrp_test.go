package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/bench/cvrp"
	"github.com/lastmile-health/lastmile/data/vrplib"
)

const smallVRP = "NAME : small\nTYPE : CVRP\nDIMENSION : 6\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n" +
	"NODE_COORD_SECTION\n1 0 0\n2 0 10\n3 1 10\n4 10 0\n5 10 1\n6 -10 0\n" +
	"DEMAND_SECTION\n1 0\n2 5\n3 5\n4 5\n5 5\n6 5\nDEPOT_SECTION\n1\n-1\nEOF\n"

func TestVRPCommandJSON(t *testing.T) {
	p := filepath.Join(t.TempDir(), "small.vrp")
	if err := os.WriteFile(p, []byte(smallVRP), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "vrp", "--time-limit", "100ms", "--format", "json", p)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	var got struct {
		Cost    float64 `json:"cost"`
		Routes  [][]int `json:"routes"`
		Seconds float64 `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	in, err := vrplib.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := cvrp.Check(in, vrplib.NInt, got.Routes)
	if err != nil {
		t.Fatalf("routes %v: %v", got.Routes, err)
	}
	// Nodes 2+3 and 4+5 fill a route each, 6 goes alone: 10+1+10, 10+1+10, 10+10.
	if cost != got.Cost || got.Cost != 62 || len(got.Routes) != 3 {
		t.Errorf("cost %v (checker %v) in %d routes, want 62 in 3", got.Cost, cost, len(got.Routes))
	}
}

func TestVRPCommandUsage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "small.vrp")
	if err := os.WriteFile(p, []byte(smallVRP), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"vrp"},
		{"vrp", "--round", "ceil", p},
		{"vrp", "--time-limit", "0s", p},
		{"vrp", "--format", "xml", p},
	} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.vrp")
	os.WriteFile(bad, []byte("TYPE: CVRP\nDIMENSION: x\n"), 0o644)
	if code, _, errs := runCLI(t, "vrp", bad); code != exitError || !strings.Contains(errs, "bad.vrp:2") {
		t.Errorf("bad file: exit %d, stderr %q; want %d naming bad.vrp:2", code, errs, exitError)
	}
}

func TestBenchCvrpCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "small.vrp"), []byte(smallVRP), 0o644); err != nil {
		t.Fatal(err)
	}
	bks := "file,set,customers,bks,proven_optimal,rounding\nsmall.vrp,S,5,62,yes,nint\n"
	if err := os.WriteFile(filepath.Join(dir, "bks.csv"), []byte(bks), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "bench", "cvrp", "--time-limit", "100ms", "--clock", "wall", dir)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	if !strings.Contains(out, "| small.vrp | S | 5 | 62 | 62 | 0.000 | 3 |") || !strings.Contains(out, "| S | 1 | 0.000 | 0.000 | — | 0 |") {
		t.Errorf("table does not show small.vrp solved at gap 0:\n%s", out)
	}
}
