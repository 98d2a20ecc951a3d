package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoutesCommand(t *testing.T) {
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
	for _, args := range [][]string{
		{"ingest", "chws", chws, "--gpkg", gp, "--area", "9.99,-0.01,10.06,0.06"},
		{"ingest", "households", hh, "--gpkg", gp},
		{"assign", "--gpkg", gp, "--method", "walk"},
	} {
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
	}
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
		code, _, errs := runCLI(t, append([]string{"routes", "--gpkg", gp}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
}

func TestSheetsCommand(t *testing.T) {
	dir, gp := buildTestGraph(t)
	chws := filepath.Join(dir, "chws.csv")
	hh := filepath.Join(dir, "hh.csv")
	os.WriteFile(chws, []byte("chw_id,lat,lon\nC1,0.0001,10.001\n"), 0o644)
	os.WriteFile(hh, []byte("household_id,village,lat,lon,head_name\nH1,A,0.0002,10.002,Kpɔ̀ Demo\nH2,A,0.0002,10.003,Fatu Demo\n"), 0o644)
	for _, args := range [][]string{
		{"ingest", "chws", chws, "--gpkg", gp, "--area", "9.99,-0.01,10.06,0.06"},
		{"ingest", "households", hh, "--gpkg", gp},
		{"assign", "--gpkg", gp, "--method", "walk"},
		{"routes", "--gpkg", gp, "--iterations", "10"},
	} {
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
	}
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
