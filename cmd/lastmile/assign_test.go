package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAssignCommand(t *testing.T) {
	dir, gp := buildTestGraph(t)
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	chws := write("chws.csv", "chw_id,lat,lon\nC1,0.0001,10.001\nC2,0.0049,10.009\n")
	hh := write("hh.csv", "household_id,village,lat,lon\nH1,A,0.0002,10.002\nH2,A,0.0002,10.003\nH3,B,0.0048,10.008\nH4,,0.05,10.0505\n")
	for _, args := range [][]string{{"ingest", "chws", chws, "--gpkg", gp, "--area", "9.99,-0.01,10.06,0.06"}, {"ingest", "households", hh, "--gpkg", gp}} {
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
	}
	code, out, errs := runCLI(t, "assign", "--gpkg", gp, "--method", "balanced", "--min-households", "0", "--max-households", "3", "--format", "json")
	if code != exitOK {
		t.Fatalf("assign: exit %d, %s", code, errs)
	}
	var s assignSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%q: %v", out, err)
	}
	// H4 is on the island: no CHW can walk there.
	if s.Households != 4 || s.Assigned != 3 || s.Unassigned["no_candidate"] != 1 || s.Catchments != 2 {
		t.Errorf("summary %+v: want 4 households, 3 assigned, H4 no_candidate, 2 catchments", s)
	}
	code, out, _ = runCLI(t, "assign", "--gpkg", gp, "--method", "walk")
	if code != exitOK || !strings.Contains(out, "assign --method walk: 4 households") {
		t.Errorf("walk: exit %d, %q", code, out)
	}
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--method", "nearest"}, exitUsage, "voronoi, walk or balanced"},
		{[]string{"--max-walk", "0"}, exitUsage, "--max-walk"},
		{[]string{"--locks", filepath.Join(dir, "none.csv")}, exitError, "none.csv"},
		{[]string{"--locks", write("locks.csv", "household_id,chw_id\nH1,C9\n")}, exitUsage, "C9"},
		{[]string{"--method", "walk", "--keep"}, exitUsage, "--keep"},
	} {
		code, _, errs := runCLI(t, append([]string{"assign", "--gpkg", gp}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
}
