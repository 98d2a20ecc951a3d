package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoutesCommand(t *testing.T) {
	_, gp := ingestTestDistrict(t)
	mustRunCLI(t, []string{"assign", "--gpkg", gp, "--method", "walk"})
	code, out, errs := runCLI(t, "routes", "--gpkg", gp, "--iterations", "20", "--format", "json")
	if code != exitOK {
		t.Fatalf("routes: exit %d, %s", code, errs)
	}
	var s routesSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%q: %v", out, err)
	}
	// H4 is on the island: assign left it without a CHW.
	if s.Households != 3 || s.Visits != 3 || s.Unserved != 0 || len(s.CHWs) != 2 || s.Days != 2 {
		t.Errorf("summary %+v: want 3 households visited on 2 days by 2 CHWs", s)
	}
	code, out, _ = runCLI(t, "routes", "--gpkg", gp, "--iterations", "20", "--chw", "C1")
	if code != exitOK || !strings.Contains(out, "1 CHWs, 2 households, 2 visits on 1 days") {
		t.Errorf("--chw C1: exit %d, %q", code, out)
	}
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--service", "0s"}, exitUsage, "a visit takes time"},
		{[]string{"--day-budget", "10m"}, exitUsage, "shorter than one visit"},
		{[]string{"--chw", "C9"}, exitUsage, "--chw C9"},
		{[]string{"--month", "2027-13"}, exitUsage, "YYYY-MM"},
		{[]string{"--start", "school"}, exitUsage, "home or facility"},
		{[]string{"extra"}, exitUsage, "no arguments"},
	} {
		wantFailure(t, tt.code, tt.msg, append([]string{"routes", "--gpkg", gp}, tt.args...)...)
	}
}

func TestSheetsCommand(t *testing.T) {
	dir, gp := buildTestGraph(t)
	chws := writeTestFile(t, dir, "chws.csv", "chw_id,lat,lon\nC1,0.0001,10.001\n")
	hh := writeTestFile(t, dir, "hh.csv", "household_id,village,lat,lon,head_name\nH1,A,0.0002,10.002,Kpɔ̀ Demo\nH2,A,0.0002,10.003,Fatu Demo\n")
	mustRunCLI(t,
		[]string{"ingest", "chws", chws, "--gpkg", gp, "--area", "9.99,-0.01,10.06,0.06"},
		[]string{"ingest", "households", hh, "--gpkg", gp},
		[]string{"assign", "--gpkg", gp, "--method", "walk"},
		[]string{"routes", "--gpkg", gp, "--iterations", "10"})
	out := filepath.Join(dir, "sheets")
	code, stdout, errs := runCLI(t, "sheets", "--gpkg", gp, "--out", out, "--no-personal")
	if code != exitOK || !strings.Contains(stdout, "1 CHW PDFs and 1 facility PDFs") {
		t.Fatalf("sheets: exit %d, %q, %s", code, stdout, errs)
	}
	if _, err := os.Stat(filepath.Join(out, "C1.pdf")); err != nil {
		t.Error(err)
	}
	if code, _, errs := runCLI(t, "sheets", "--gpkg", gp); code != exitUsage || !strings.Contains(errs, "--out") {
		t.Errorf("no --out: exit %d, %s", code, errs)
	}
}
