package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/internal/shareddata"
)

func init() {
	// Other test files of this package may define -update too.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
}

func ingestUpdateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkIngestGolden compares got with testdata/name, rewriting it with -update.
func checkIngestGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if ingestUpdateGolden() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// ingestNoisyExport is an ODK Central-style export with one row of each problem.
const ingestNoisyExport = `SubmissionDate,hh/household_id,hh/head_name,hh/phone,hh/members,hh/village,hh/gps-Latitude,hh/gps-Longitude,hh/gps-Altitude,hh/gps-Accuracy,meta-instanceID
2024-03-05T10:12:33.123+01:00,HH-001,Zebulon Quartermaine,0771234567,5,Gbarzon,6.05,-8.12,200,4.5,uuid:a1
2024-03-05T10:20:00.000+01:00,HH-002,Philippa Xanthe,0777654321,3,Gbarzon,-8.121,6.051,200,6,uuid:a2
2024-03-05T10:30:00.000+01:00,HH-003,Ann Poe,,4,Gbarzon,6.052,-8.122,200,120,uuid:a3
2024-03-05T10:40:00.000+01:00,HH-004,Bob Loe,,2,Gbarzon,,,,,uuid:a4
2024-03-05T11:00:00.000+01:00,HH-006,Di Noe,,2,Gbarzon,0,0,,,uuid:a6
2024-03-05T11:20:00.000+01:00,HH-008,Fa Qoe,,2,Zwedru,7.4,-9.0,,,uuid:a8
2024-03-05T09:00:00.000+01:00,HH-001,Zebulon Quartermaine,0771234567,5,Gbarzon,6.0501,-8.1201,200,4.5,uuid:a9
`

var ingestPersonal = []string{"Zebulon", "Quartermaine", "0771234567", "Philippa", "0777654321"}

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(csv, []byte(ingestNoisyExport), 0o644); err != nil {
		t.Fatal(err)
	}
	gp := filepath.Join(dir, "district.gpkg")
	code, out, errOut := runCLI(t, "ingest", "households", "--gpkg", gp, "--area", "-8.3,5.9,-7.9,6.3", csv)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	checkIngestGolden(t, "ingest_households.golden", out)
	if !strings.Contains(errOut, "study area: bbox") {
		t.Errorf("stderr does not say which study area is used: %q", errOut)
	}
	for _, p := range ingestPersonal {
		if strings.Contains(out+errOut, p) {
			t.Errorf("personal value %q printed", p)
		}
	}

	// Again, as JSON, with the stored area: everything unchanged.
	code, out, errOut = runCLI(t, "ingest", "households", "--gpkg", gp, "--format", "json", csv)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "as stored in") {
		t.Errorf("second ingest does not reuse the stored study area: %q", errOut)
	}
	var sum ingest.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("--format json: %v\n%s", err, out)
	}
	if s := sum.Total; s.Rows != 7 || s.Unchanged != 3 || s.Added != 0 || s.Rejected != 4 {
		t.Errorf("re-ingest summary %+v, want 7 rows, 3 unchanged, 4 rejected", s)
	}
}

func TestIngestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "export.csv")
	os.WriteFile(csv, []byte(ingestNoisyExport), 0o644)
	bin := filepath.Join(dir, "export.xlsx.csv")
	os.WriteFile(bin, []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00binary"), 0o644)
	gp := filepath.Join(dir, "d.gpkg")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no file", []string{"ingest", "households", "--gpkg", gp}, exitUsage, "at least one"},
		{"bad format", []string{"ingest", "households", "--gpkg", gp, "--format", "xml", csv}, exitUsage, "--format"},
		{"bad bbox", []string{"ingest", "households", "--gpkg", gp, "--area", "-8,6,-9,7", csv}, exitUsage, "bbox"},
		{"where without area", []string{"ingest", "households", "--gpkg", gp, "--area-where", "a=b", csv}, exitUsage, "--area"},
		{"unknown flag", []string{"ingest", "households", "--gpkg", gp, "--frobnicate", csv}, exitUsage, "frobnicate"},
		{"lat without lon", []string{"ingest", "households", "--gpkg", gp, "--lat-col", "y", csv}, exitUsage, "--lon-col"},
		{"missing file", []string{"ingest", "households", "--gpkg", gp, filepath.Join(dir, "nope.csv")}, exitError, "nope.csv"},
		{"binary file", []string{"ingest", "households", "--gpkg", gp, bin}, exitError, "export.xlsx.csv"},
		{"missing column", []string{"ingest", "households", "--gpkg", gp, "--id-col", "nope", csv}, exitError, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errOut := wantFailure(t, tt.code, tt.msg, tt.args...)
			if strings.Count(errOut, "lastmile:") != 1 {
				t.Errorf("want exactly one error line, got %q", errOut)
			}
		})
	}
	if _, err := os.Stat(gp); err == nil {
		t.Errorf("a failed ingest left %s behind", gp)
	}
}

func TestIngestHelp(t *testing.T) {
	code, out, _ := runCLI(t, "ingest", "households", "--help")
	if code != exitOK || !strings.Contains(out, "--area-where adm2_name=Konobo export.csv") {
		t.Errorf("help (exit %d) has no real example:\n%s", code, out)
	}
}

func TestIngestLiberiaFacilities(t *testing.T) {
	src := shareddata.Path(t, "liberia/health_facilities_osm_2026-05-10.geojson")
	districts := shareddata.Path(t, "liberia/admin2_districts.geojson")
	gp := filepath.Join(t.TempDir(), "d.gpkg")
	code, out, errOut := runCLI(t, "ingest", "facilities", "--gpkg", gp, "--area", districts, "--area-where", "adm2_name=Konobo", "--format", "json", src)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var sum ingest.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	s := sum.Total
	t.Logf("Konobo: %d facilities added, %d rejected %v", s.Added, s.Rejected, s.RejectedByReason)
	if s.Rows != 1202 || s.Added+s.Rejected != 1202 || s.Added == 0 || s.RejectedByReason["outside_area"] != s.Rejected {
		t.Errorf("summary %+v", s)
	}
}

func TestIngestAreaMessages(t *testing.T) {
	dir := t.TempDir()
	fac := filepath.Join(dir, "facilities.csv")
	os.WriteFile(fac, []byte("facility_id,name,type,latitude,longitude\nF1,Gbarzon Clinic,clinic,6.06,-8.11\n"), 0o644)
	hh := filepath.Join(dir, "hh.csv")
	os.WriteFile(hh, []byte("household_id,latitude,longitude\nH1,6.05,-8.12\nH2,7.5,-9.5\n"), 0o644)
	gp := filepath.Join(dir, "d.gpkg")
	code, _, errOut := runCLI(t, "ingest", "facilities", "--gpkg", gp, fac)
	if code != exitOK || !strings.Contains(errOut, "no study area") {
		t.Errorf("first ingest: exit %d, stderr %q; want a note that there is no study area", code, errOut)
	}
	code, out, errOut := runCLI(t, "ingest", "households", "--gpkg", gp, "--format", "json", hh)
	if code != exitOK || !strings.Contains(errOut, "extent of chws and facilities + 5 km") {
		t.Errorf("households: exit %d, stderr %q; want the facilities' extent as the area", code, errOut)
	}
	var sum ingest.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Total.Added != 1 || sum.Total.RejectedByReason["outside_area"] != 1 {
		t.Errorf("summary %+v, want H1 in, H2 outside the extent + 5 km", sum.Total)
	}
}

// TestIngestNoPersonalEverywhere: with --no-personal no name or phone
// reaches stdout, stderr, an error message or any byte of the GeoPackage,
// also from a ragged CSV row (an unquoted comma in a name shifts the phone
// under another column), a GeoJSON feature that fails to decode and a file
// that cannot be read.
func TestIngestNoPersonalEverywhere(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "export.csv")
	geo := filepath.Join(dir, "export.geojson")
	bad := filepath.Join(dir, "broken.geojson")
	files := map[string]string{
		csv: "household_id,head_name,phone,village,latitude,longitude\n" +
			"H1,Zebulon Quartermaine,0771234567,Gbarzon,6.05,-8.12\n" +
			"H2,Quartermaine, Zebulon,0771234567,Gbarzon,6.06,-8.13\n",
		geo: `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"G1","head_name":"Philippa Xanthe","phone":"0777654321"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}},
{"type":5,"properties":{"household_id":"G2","head_name":"Philippa Xanthe","phone":"0777654321"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}}]}`,
		bad: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"household_id":"B1","head_name":"Zebulon Quartermaine"}},Philippa Xanthe]}`,
	}
	for p, s := range files {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gp := filepath.Join(dir, "district.gpkg")
	var all string
	for _, args := range [][]string{{csv, geo}, {bad}} {
		code, out, errOut := runCLI(t, append([]string{"ingest", "households", "--gpkg", gp, "--no-personal", "--area", "-8.3,5.9,-7.9,6.3"}, args...)...)
		if wantOK := args[0] != bad; (code == exitOK) != wantOK {
			t.Errorf("ingest %v: exit %d: %s", args, code, errOut)
		}
		all += out + errOut
	}
	b, err := os.ReadFile(gp)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(ingestPersonal, "Xanthe") {
		if strings.Contains(all, p) {
			t.Errorf("personal value %q printed", p)
		}
		if bytes.Contains(b, []byte(p)) {
			t.Errorf("personal value %q stored in the GeoPackage", p)
		}
	}
}
