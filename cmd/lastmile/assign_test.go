package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestAssignCommand(t *testing.T) {
	dir, gp := ingestTestDistrict(t)
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
		{[]string{"--locks", writeTestFile(t, dir, "locks.csv", "household_id,chw_id\nH1,C9\n")}, exitUsage, "C9"},
		{[]string{"--method", "walk", "--keep"}, exitUsage, "--keep"},
	} {
		wantFailure(t, tt.code, tt.msg, append([]string{"assign", "--gpkg", gp}, tt.args...)...)
	}
}
