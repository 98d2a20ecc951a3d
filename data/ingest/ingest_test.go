package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/orb"
)

var testNow = time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)

// konoboBox is a bbox around the test rows near Gbarzon.
var konoboBox = orb.Bound{Min: orb.Point{-8.3, 5.9}, Max: orb.Point{-7.9, 6.3}}

func ingestGpkg(t testing.TB, path string, kind Kind, files []string, opts Options) *Summary {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	var sum *Summary
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		var err error
		switch kind {
		case KindHouseholds:
			sum, err = Households(context.Background(), tx, files, opts)
		case KindCHWs:
			sum, err = CHWs(context.Background(), tx, files, opts)
		case KindFacilities:
			sum, err = Facilities(context.Background(), tx, files, opts)
		}
		return err
	})
	if err != nil {
		t.Fatalf("ingest %s %v: %v", kind, files, err)
	}
	return sum
}

func TestNoisyODK(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.gpkg")
	sum := ingestGpkg(t, path, KindHouseholds, []string{"testdata/odk_noisy.csv"}, Options{Area: AreaFromBound("box", "test", konoboBox)})
	f := sum.Total
	t.Logf("%+v", f)
	want := map[string]int{
		ReasonMissingCoords: 1, ReasonBadCoords: 1, ReasonNullIsland: 1, ReasonOutOfRange: 1,
		ReasonOutsideArea: 1, ReasonDuplicateOlder: 1, ReasonMissingID: 1, ReasonRaggedRow: 1,
	}
	for k, v := range want {
		if f.RejectedByReason[k] != v {
			t.Errorf("rejected %s = %d, want %d", k, f.RejectedByReason[k], v)
		}
	}
	if f.Rows != 14 || f.Added != 6 || f.Rejected != 8 {
		t.Errorf("rows %d added %d rejected %d, want 14, 6, 8", f.Rows, f.Added, f.Rejected)
	}
	wantFlags := map[string]int{FlagSwapped: 1, FlagLowAccuracy: 1, FlagNearDuplicate: 2}
	for k, v := range wantFlags {
		if f.FlaggedByCode[k] != v {
			t.Errorf("flagged %s = %d, want %d", k, f.FlaggedByCode[k], v)
		}
	}
}

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// countSQL runs a count query on the GeoPackage at path.
func countSQL(t testing.TB, path, q string, args ...any) int {
	t.Helper()
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestEveryRowAccounted checks, for files of each dialect, that rows in =
// layer rows from the file + rejects from the file, in the GeoPackage.
func TestEveryRowAccounted(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"kobo.csv": "hhid;head_name;_geolocation;_gps_precision;_submission_time\n" +
			"K1;A;[6.1, -8.2];5;2024-03-05T10:12:33\nK2;B;[6,2 -8,3];5;2024-03-05\nK1;A;[6.1, -8.2];5;2024-03-04\n" +
			"K3;C;;;\nK4;D;[-8.21, 6.11];80;2024-03-06\n",
		"commcare.csv": "form.case.@case_id,form.gps,completed_time\nc1,6.01 -8.02 150 12.5,2024-03-05 10:12:33\nc2,,2024-03-05\nc3,6.02 -8.03 150 99,2024-03-05\n",
		"tabs.tsv":     "\uFEFFhousehold_id\tlatitude\tlongitude\nT1\t6.05\t-8.05\nT2\t6.05\n\nT3\t6.06\t-8.06\tx\n",
		"points.geojson": `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"G1","members":"4"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}},
{"type":"Feature","properties":{"household_id":"G2"},"geometry":null},
{"type":"Feature","properties":{"household_id":"G3"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}},
{"type":"Feature","properties":{"household_id":"G4"},"geometry":{"type":"Point","coordinates":[6.1,-8.1]}}]}`,
	}
	path := filepath.Join(dir, "d.gpkg")
	var paths []string
	for name, content := range files {
		paths = append(paths, writeFile(t, dir, name, content))
	}
	slices.Sort(paths)
	sum := ingestGpkg(t, path, KindHouseholds, paths, Options{Area: AreaFromBound("box", "test", konoboBox)})
	for _, f := range sum.Files {
		layer := countSQL(t, path, "SELECT count(*) FROM households WHERE source_file = ?", f.File)
		rej := countSQL(t, path, "SELECT count(*) FROM rejects WHERE source_file = ?", f.File)
		if layer+rej != f.Rows || layer != f.Added {
			t.Errorf("%s: %d rows, layer %d + rejects %d (summary %+v)", f.File, f.Rows, layer, rej, f)
		}
		if f.Rows == 0 {
			t.Errorf("%s: no rows read", f.File)
		}
	}
	if got := countSQL(t, path, "SELECT count(*) FROM ingest_log"); got != len(files) {
		t.Errorf("ingest_log has %d rows, want %d", got, len(files))
	}
	if got := countSQL(t, path, "SELECT count(*) FROM households WHERE flags LIKE '%swapped_coords%'"); got != 2 {
		t.Errorf("%d swapped, want 2 (K4, G4)", got)
	}
	if got := countSQL(t, path, "SELECT count(*) FROM households WHERE flags LIKE '%low_accuracy%'"); got != 2 {
		t.Errorf("%d low accuracy, want 2 (K4 80 m, c3 99 m)", got)
	}
}

func TestReingestNewerExport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.gpkg")
	first := writeFile(t, dir, "export1.csv", "household_id,members,latitude,longitude,SubmissionDate\n"+
		"H1,3,6.1,-8.1,2024-03-01T10:00:00Z\nH2,4,6.2,-8.2,2024-03-01T10:00:00Z\nH3,5,6.0,-8.0,2024-03-02T10:00:00Z\n")
	second := writeFile(t, dir, "export2.csv", "household_id,members,latitude,longitude,SubmissionDate\n"+
		"H1,6,6.1,-8.1,2024-03-05T10:00:00Z\n"+ // newer, changed: update
		"H2,4,6.2,-8.2,2024-03-01T10:00:00Z\n"+ // same: unchanged
		"H3,9,6.0,-8.0,2024-03-01T10:00:00Z\n"+ // older than stored: reject
		"H4,2,6.15,-8.15,2024-03-05T10:00:00Z\n") // new: add
	s1 := ingestGpkg(t, path, KindHouseholds, []string{first}, Options{})
	if s1.Total.Added != 3 {
		t.Fatalf("first export: %+v", s1.Total)
	}
	s2 := ingestGpkg(t, path, KindHouseholds, []string{second}, Options{})
	got := s2.Total
	if got.Added != 1 || got.Updated != 1 || got.Unchanged != 1 || got.Rejected != 1 || got.RejectedByReason[ReasonDuplicateOlder] != 1 {
		t.Errorf("second export: %+v, want added 1 updated 1 unchanged 1 rejected 1 (duplicate_id_older)", got)
	}
	if n := countSQL(t, path, "SELECT count(*) FROM households"); n != 4 {
		t.Errorf("households = %d, want 4", n)
	}
	if n := countSQL(t, path, "SELECT members FROM households WHERE household_id = 'H1'"); n != 6 {
		t.Errorf("H1 members = %d, want 6 (updated)", n)
	}
	if n := countSQL(t, path, "SELECT members FROM households WHERE household_id = 'H3'"); n != 5 {
		t.Errorf("H3 members = %d, want 5 (the newer stored one)", n)
	}
	// The same file once more: all unchanged except the stale H3.
	s3 := ingestGpkg(t, path, KindHouseholds, []string{second}, Options{})
	if g := s3.Total; g.Unchanged != 3 || g.Added != 0 || g.Updated != 0 || g.Rejected != 1 {
		t.Errorf("third ingest: %+v, want 3 unchanged, 1 rejected", g)
	}
	if n := countSQL(t, path, "SELECT count(*) FROM ingest_log"); n != 3 {
		t.Errorf("ingest_log = %d rows, want 3", n)
	}
	if n := countSQL(t, path, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql LIKE '%UNIQUE%household_id%'"); n != 1 {
		t.Errorf("unique index on household_id: %d, want 1", n)
	}
}

func TestNoPersonal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.gpkg")
	in := writeFile(t, dir, "hh.csv", "household_id,head_name,phone,mother_name,village_name,latitude,longitude\n"+
		"H1,Zebulon Quartermaine,0771234567,Philippa Xanthe,Gbarzon,6.1,-8.1\n"+
		"H2,Zebulon Quartermaine,0771234567,Philippa Xanthe,Gbarzon,,\n")
	sum := ingestGpkg(t, path, KindHouseholds, []string{in}, Options{NoPersonal: true})
	if sum.Total.Added != 1 || sum.Total.Rejected != 1 {
		t.Fatalf("summary %+v", sum.Total)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Zebulon", "0771234567", "Philippa"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("GeoPackage contains personal value %q with NoPersonal", s)
		}
	}
	if !bytes.Contains(b, []byte("Gbarzon")) {
		t.Errorf("village_name (a place, not personal) was dropped")
	}
	// Without the option the values are kept.
	path2 := filepath.Join(dir, "d2.gpkg")
	ingestGpkg(t, path2, KindHouseholds, []string{in}, Options{})
	if n := countSQL(t, path2, "SELECT count(*) FROM households WHERE head_name = 'Zebulon Quartermaine' AND mother_name = 'Philippa Xanthe'"); n != 1 {
		t.Errorf("personal fields not kept without NoPersonal")
	}
}

func TestMalformedFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		content string
	}{
		{"utf16.csv", "\xff\xfeh\x00h\x00\n\x00"},
		{"binary.csv", "PK\x03\x04\x00\x00\x00\x00\x08\x00"},
		{"nocoords.csv", "household_id,village\nH1,Gbarzon\n"},
		{"noid.csv", "village,latitude,longitude\nGbarzon,6.1,-8.1\n"},
		{"notfc.geojson", `{"type":"Feature","geometry":null}`},
	}
	path := filepath.Join(dir, "d.gpkg")
	ingestGpkg(t, path, KindHouseholds, []string{writeFile(t, dir, "ok.csv", "household_id,latitude,longitude\nH1,6.1,-8.1\n")}, Options{})
	before, _ := os.ReadFile(path)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := writeFile(t, dir, tt.name, tt.content)
			err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
				_, err := Households(context.Background(), tx, []string{in}, Options{Now: testNow})
				return err
			})
			var pe *data.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, data.ErrFormat) || pe.File != in {
				t.Fatalf("ingest %s: %v, want a *data.ParseError for the file wrapping data.ErrFormat", tt.name, err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Errorf("the GeoPackage changed after a failed ingest")
			}
		})
	}
}

func TestCHWRoster(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.gpkg")
	in := writeFile(t, dir, "chws.csv", "chw_id,name,facility_id,latitude,longitude,capacity,active\n"+
		"C1,Ann,F1,6.1,-8.1,120,true\nC2,Bo,F1,6.2,-8.2,,no\nC3,Cy,F2,,,,\n")
	sum := ingestGpkg(t, path, KindCHWs, []string{in}, Options{})
	if sum.Total.Added != 2 || sum.Total.RejectedByReason[ReasonMissingCoords] != 1 {
		t.Fatalf("summary %+v", sum.Total)
	}
	if n := countSQL(t, path, "SELECT count(*) FROM chws WHERE chw_id = 'C1' AND capacity = 120 AND active = 1 AND facility_id = 'F1'"); n != 1 {
		t.Errorf("C1 not stored with capacity 120, active")
	}
	if n := countSQL(t, path, "SELECT count(*) FROM chws WHERE chw_id = 'C2' AND capacity IS NULL AND active = 0"); n != 1 {
		t.Errorf("C2 not stored with NULL capacity, inactive")
	}
}

// TestCHWRosterChecks checks that roster values a planner relies on are
// checked: a CHW is kept with a flag (and NULL for the unreadable value),
// never dropped, when its capacity or active value cannot be read or its
// facility_id names no facility of the GeoPackage.
func TestCHWRosterChecks(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.gpkg")
	fac := writeFile(t, dir, "facilities.csv", "facility_id,name,latitude,longitude\nF1,Clinic A,6.1,-8.1\nF2,Clinic B,6.2,-8.2\n")
	ingestGpkg(t, path, KindFacilities, []string{fac}, Options{})
	in := writeFile(t, dir, "chws.csv", "chw_id,facility_id,latitude,longitude,capacity,active\n"+
		"C1,F1,6.1,-8.1,120,true\n"+ // all good
		"C2,F9,6.1,-8.1,120,yes\n"+ // unknown facility
		"C3,F2,6.1,-8.1,abc,no\n"+ // capacity not a number
		"C4,F2,6.1,-8.1,-3,\n"+ // negative capacity
		"C5,F2,6.1,-8.1,0,1\n"+ // zero capacity
		"C6,F2,6.1,-8.1,2.5,0\n"+ // not a whole number
		"C7,F1,6.1,-8.1,,maybe\n"+ // active unreadable
		"C8,,6.1,-8.1,,\n"+ // nothing given: nothing to flag
		"C9, f1 ,6.1,-8.1,80,Inactive\n") // IDs match exactly, after trimming
	sum := ingestGpkg(t, path, KindCHWs, []string{in}, Options{})
	if sum.Total.Added != 9 || sum.Total.Rejected != 0 {
		t.Fatalf("added %d rejected %d, want every CHW kept: %+v", sum.Total.Added, sum.Total.Rejected, sum.Total)
	}
	want := []struct {
		id, flags string
		capacity  any // int64 or nil (NULL = default)
		active    any // bool or nil
	}{
		{"C1", "", int64(120), true},
		{"C2", FlagUnknownFacility, int64(120), true},
		{"C3", FlagBadCapacity, nil, false},
		{"C4", FlagBadCapacity, nil, nil},
		{"C5", FlagBadCapacity, nil, true},
		{"C6", FlagBadCapacity, nil, false},
		{"C7", FlagBadActive, nil, nil},
		{"C8", "", nil, nil},
		{"C9", FlagUnknownFacility, int64(80), false},
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, w := range want {
		var flags *string
		var capacity, active any
		err := db.SQL().QueryRow("SELECT flags, capacity, active FROM chws WHERE chw_id = ?", w.id).Scan(&flags, &capacity, &active)
		if err != nil {
			t.Fatalf("%s: %v", w.id, err)
		}
		got := ""
		if flags != nil {
			got = *flags
		}
		if got != w.flags || capacity != w.capacity || active != w.active {
			t.Errorf("%s: flags %q capacity %v active %v, want %q %v %v", w.id, got, capacity, active, w.flags, w.capacity, w.active)
		}
	}
	wantCodes := map[string]int{FlagUnknownFacility: 2, FlagBadCapacity: 4, FlagBadActive: 1}
	for k, v := range wantCodes {
		if sum.Total.FlaggedByCode[k] != v {
			t.Errorf("flagged %s = %d, want %d (%v)", k, sum.Total.FlaggedByCode[k], v, sum.Total.FlaggedByCode)
		}
	}
	if sum.Total.Flagged != 7 {
		t.Errorf("flagged %d, want 7", sum.Total.Flagged)
	}
}

// TestCHWFacilitiesNotIngested checks that without a facilities layer the
// facility IDs are not judged, and the summary says why.
func TestCHWFacilitiesNotIngested(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.gpkg")
	in := writeFile(t, dir, "chws.csv", "chw_id,facility_id,latitude,longitude\nC1,F9,6.1,-8.1\nC2,,6.1,-8.1\n")
	sum := ingestGpkg(t, path, KindCHWs, []string{in}, Options{})
	if sum.Total.Added != 2 || sum.Total.Flagged != 0 {
		t.Fatalf("added %d flagged %d, want 2 and 0: %+v", sum.Total.Added, sum.Total.Flagged, sum.Total)
	}
	if w := strings.Join(sum.Total.Warnings, "\n"); !strings.Contains(w, "ingest facilities") {
		t.Errorf("warnings %q: want a hint to ingest the facilities first", w)
	}
	// Every facility_id unknown: probably the wrong column (names, not IDs).
	fac := writeFile(t, dir, "facilities.csv", "facility_id,name,latitude,longitude\nF1,Clinic A,6.1,-8.1\n")
	ingestGpkg(t, path, KindFacilities, []string{fac}, Options{})
	in = writeFile(t, dir, "chws2.csv", "chw_id,health_facility,latitude,longitude\nC1,Clinic A,6.1,-8.1\nC2,Clinic A,6.1,-8.1\n")
	sum = ingestGpkg(t, path, KindCHWs, []string{in}, Options{})
	if sum.Total.FlaggedByCode[FlagUnknownFacility] != 2 {
		t.Errorf("flagged %v, want 2 unknown_facility", sum.Total.FlaggedByCode)
	}
	if w := strings.Join(sum.Total.Warnings, "\n"); !strings.Contains(w, "health_facility") || !strings.Contains(w, "none of") {
		t.Errorf("warnings %q: want a hint that column health_facility names no facility at all", w)
	}
}

func TestStudyAreaResolution(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.gpkg")
	fac := writeFile(t, dir, "fac.csv", "facility_id,name,type,latitude,longitude\nF1,Clinic,clinic,6.0,-8.0\nF2,Post,clinic,6.1,-8.1\n")
	hh := writeFile(t, dir, "hh.csv", "household_id,latitude,longitude\nnear,6.05,-8.05\nedge,6.12,-8.12\nfar,7.0,-9.0\n")
	resolve := func(spec, where string, useExtent bool) (*Area, AreaOrigin) {
		var a *Area
		var o AreaOrigin
		err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
			var err error
			a, o, err = StudyArea(tx, spec, where, useExtent)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return a, o
	}
	if a, o := resolve("", "", true); a != nil || o != AreaNone {
		t.Errorf("empty GeoPackage: area %v origin %s, want none", a, o)
	}
	ingestGpkg(t, path, KindFacilities, []string{fac}, Options{})
	a, o := resolve("", "", true)
	if o != AreaExtent {
		t.Fatalf("origin %s, want extent", o)
	}
	sum := ingestGpkg(t, path, KindHouseholds, []string{hh}, Options{Area: a})
	if sum.Total.Added != 2 || sum.Total.RejectedByReason[ReasonOutsideArea] != 1 {
		t.Errorf("with the facilities' extent + 5 km: %+v, want near and edge in, far out", sum.Total)
	}
	a, o = resolve("-8.2,5.9,-7.9,6.3", "", true)
	if o != AreaFlag || a.Name != "bbox" {
		t.Errorf("--area bbox: %v %s", a, o)
	}
	a, o = resolve("", "", true)
	if o != AreaStored || a == nil || a.Bound() != (orb.Bound{Min: orb.Point{-8.2, 5.9}, Max: orb.Point{-7.9, 6.3}}) {
		t.Errorf("stored area: %v %s", a, o)
	}
	for _, bad := range []struct{ spec, where string }{{"1,2,3", ""}, {"-8,6,-9,7", ""}, {"-8,6,-7,7", "a=b"}, {"", "a=b"}} {
		err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
			_, _, err := StudyArea(tx, bad.spec, bad.where, true)
			return err
		})
		if bad.spec == "1,2,3" {
			if err == nil {
				t.Errorf("StudyArea(%q) accepted a missing file", bad.spec)
			}
			continue
		}
		if !errors.Is(err, ErrArea) {
			t.Errorf("StudyArea(%q, %q) = %v, want ErrArea", bad.spec, bad.where, err)
		}
	}
}

func TestLiberiaFacilities(t *testing.T) {
	src := shareddata.Path(t, "liberia/health_facilities_osm_2026-05-10.geojson")
	districts := shareddata.Path(t, "liberia/admin2_districts.geojson")
	dir := t.TempDir()
	path := filepath.Join(dir, "all.gpkg")
	sum := ingestGpkg(t, path, KindFacilities, []string{src}, Options{})
	s := sum.Total
	if s.Rows != 1202 || s.Added+s.Rejected != 1202 {
		t.Errorf("all Liberia: %+v, want 1,202 rows accounted for", s)
	}
	if n := countSQL(t, path, "SELECT count(*) FROM facilities"); n != s.Added {
		t.Errorf("facilities layer %d, summary added %d", n, s.Added)
	}
	// 878 OSM nodes; 323 ways and 1 relation mapped as outlines.
	if n := countSQL(t, path, "SELECT count(*) FROM facilities WHERE facility_id NOT LIKE 'node/%'"); n != 324 {
		t.Errorf("%d facilities from outlines (way/…, relation/…), want 324", n)
	}
	// Every feature has amenity or healthcare.
	if n := countSQL(t, path, "SELECT count(*) FROM facilities WHERE type IS NULL"); n != 0 {
		t.Errorf("%d facilities without a type", n)
	}
	area, err := LoadArea(districts, "adm2_name=Konobo")
	if err != nil {
		t.Fatal(err)
	}
	kpath := filepath.Join(dir, "konobo.gpkg")
	ks := ingestGpkg(t, kpath, KindFacilities, []string{src}, Options{Area: area}).Total
	t.Logf("Konobo: %d of %d facilities in the district, %d rejected %v", ks.Added, ks.Rows, ks.Rejected, ks.RejectedByReason)
	if ks.Added+ks.Rejected != 1202 || ks.Added == 0 || ks.RejectedByReason[ReasonOutsideArea] != ks.Rejected-s.Rejected {
		t.Errorf("Konobo: %+v", ks)
	}
	// The OSM export's own district attribute must agree with the polygon
	// test for every facility kept.
	if n := countSQL(t, kpath, "SELECT count(*) FROM facilities WHERE adm2_name <> 'Konobo'"); n != 0 {
		t.Errorf("%d facilities kept in Konobo whose adm2_name is another district", n)
	}
}

func TestLoadAreaGeoPackage(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "bounds.gpkg")
	err := gpkg.Update(context.Background(), b, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "districts", GeomType: gpkg.MultiPolygon, Fields: []gpkg.Field{{Name: "adm2_name", Type: gpkg.Text}}})
		if err != nil {
			return err
		}
		// An L-shaped district and a square one.
		ell := orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}, {0, 0}}}}
		sq := orb.MultiPolygon{{{{5, 5}, {6, 5}, {6, 6}, {5, 6}, {5, 5}}}}
		if _, err := w.Insert(ell, "Ell"); err != nil {
			return err
		}
		if _, err := w.Insert(sq, "Square"); err != nil {
			return err
		}
		return w.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := LoadArea(b, "ADM2_NAME=ell")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		p    orb.Point
		want bool
	}{{orb.Point{0.5, 0.5}, true}, {orb.Point{1.5, 0.5}, true}, {orb.Point{1.5, 1.5}, false}, {orb.Point{5.5, 5.5}, false}, {orb.Point{-1, 0.5}, false}}
	for _, tt := range tests {
		if got := a.Contains(tt.p); got != tt.want {
			t.Errorf("Ell.Contains(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if a.Name != "ell" || a.Source != "bounds.gpkg ADM2_NAME=ell" {
		t.Errorf("name %q source %q", a.Name, a.Source)
	}
	if _, err := LoadArea(b, "adm2_name=Nowhere"); !errors.Is(err, ErrArea) {
		t.Errorf("LoadArea with no match = %v, want ErrArea", err)
	}
	all, err := LoadArea(b, "")
	if err != nil || !all.Contains(orb.Point{5.5, 5.5}) || !all.Contains(orb.Point{0.5, 1.5}) {
		t.Errorf("LoadArea without where: %v, %v", all, err)
	}
}

// TestLatestSubmission checks that the same two submissions of one ID give
// the same winner whether they come in one file, in two files of one
// ingest, or in two ingests: the later submission time wins; a row with a
// time beats one whose time is empty or not a date; on equal or no times
// the later row (file order, then line order) wins. Every row ends in the
// layer or in rejects.
func TestLatestSubmission(t *testing.T) {
	const hdr = "household_id,members,latitude,longitude,submitted_at\n"
	cases := []struct {
		name         string
		first, again string // the time column of the first and second row
		want         int    // members of the winner: 1 first, 2 second
	}{
		{"second newer", "2024-03-01T10:00:00Z", "2024-03-02T10:00:00Z", 2},
		{"second older", "2024-03-02T10:00:00Z", "2024-03-01T10:00:00Z", 1},
		{"equal times", "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", 2},
		{"equal times other zone", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00+01:00", 2},
		{"second has no time", "2024-03-01T10:00:00Z", "", 1},
		{"second time unparseable", "2024-03-01T10:00:00Z", "03/05/2024", 1},
		{"first has no time", "", "2024-03-01T10:00:00Z", 2},
		{"neither has a time", "", "", 2},
	}
	row := func(members int, tm string) string {
		return fmt.Sprintf("H1,%d,6.1,-8.1,%s\n", members, tm)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			one := writeFile(t, dir, "one.csv", hdr+row(1, c.first)+row(2, c.again))
			a := writeFile(t, dir, "a.csv", hdr+row(1, c.first))
			b := writeFile(t, dir, "b.csv", hdr+row(2, c.again))
			runs := map[string][][]string{
				"one file":    {{one}},
				"two files":   {{a, b}},
				"two ingests": {{a}, {b}},
			}
			for _, how := range []string{"one file", "two files", "two ingests"} {
				path := filepath.Join(dir, strings.ReplaceAll(how, " ", "_")+".gpkg")
				for _, files := range runs[how] {
					ingestGpkg(t, path, KindHouseholds, files, Options{})
				}
				if got := countSQL(t, path, "SELECT members FROM households WHERE household_id = 'H1'"); got != c.want {
					t.Errorf("%s: H1 members = %d, want %d", how, got, c.want)
				}
				if n := countSQL(t, path, "SELECT count(*) FROM households"); n != 1 {
					t.Errorf("%s: %d households, want 1", how, n)
				}
				// The second row is stored or rejected, not both.
				last, line := "b.csv", 2
				if how == "one file" {
					last, line = "one.csv", 3
				}
				stored := countSQL(t, path, "SELECT count(*) FROM households WHERE source_file = ? AND source_line = ?", last, line)
				rejected := 0
				if countSQL(t, path, "SELECT count(*) FROM sqlite_master WHERE name = 'rejects'") > 0 {
					rejected = countSQL(t, path, "SELECT count(*) FROM rejects WHERE source_file = ? AND line = ? AND reason_code = ?", last, line, ReasonDuplicateOlder)
				}
				if stored+rejected != 1 || (stored == 1) != (c.want == 2) {
					t.Errorf("%s: second row stored %d, rejected %d", how, stored, rejected)
				}
			}
		})
	}
}

// TestLatestSubmissionNoTimeColumn: a file without a submission time column
// cannot be compared by time, so it updates the stored rows (file order).
func TestLatestSubmissionNoTimeColumn(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.gpkg")
	ingestGpkg(t, path, KindHouseholds, []string{writeFile(t, dir, "a.csv", "household_id,members,latitude,longitude,submitted_at\nH1,1,6.1,-8.1,2024-03-01T10:00:00Z\n")}, Options{})
	s := ingestGpkg(t, path, KindHouseholds, []string{writeFile(t, dir, "b.csv", "household_id,members,latitude,longitude\nH1,2,6.1,-8.1\n")}, Options{})
	if s.Total.Updated != 1 {
		t.Errorf("summary %+v, want 1 updated", s.Total)
	}
	if got := countSQL(t, path, "SELECT members FROM households WHERE household_id = 'H1'"); got != 2 {
		t.Errorf("H1 members = %d, want 2", got)
	}
}

// TestStoredBBoxSameAsGiven: a bbox area read back from study_area accepts
// exactly the points the --area bbox accepted, edges and corners included,
// so re-ingesting a file with the stored area rejects nothing it stored.
func TestStoredBBoxSameAsGiven(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.gpkg")
	const spec = "-8.2,5.9,-7.9,6.3"
	var given, stored *Area
	for _, s := range []string{spec, ""} {
		err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
			a, _, err := StudyArea(tx, s, "", false)
			if s == "" {
				stored = a
			} else {
				given = a
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if stored == nil {
		t.Fatal("no stored area")
	}
	for _, p := range []orb.Point{
		{-8.05, 6.1}, {-8.2, 6.1}, {-7.9, 6.1}, {-8.05, 5.9}, {-8.05, 6.3},
		{-8.2, 5.9}, {-7.9, 6.3}, {-8.2, 6.3}, {-7.9, 5.9}, {-7.89, 6.1}, {-8.05, 6.31},
	} {
		if g, s := given.Contains(p), stored.Contains(p); g != s {
			t.Errorf("Contains(%v): given bbox %t, stored %t", p, g, s)
		}
	}
}

// TestLoadAreaWhereNumberAndHole: --area-where matches a numeric field of a
// boundary GeoPackage by its text, as it does for GeoJSON; an unknown field
// is named in the error; a point in a hole of the area is outside.
func TestLoadAreaWhereNumberAndHole(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "bounds.gpkg")
	// A square with a square hole, and another square.
	holed := orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}}}}
	other := orb.MultiPolygon{{{{5, 5}, {6, 5}, {6, 6}, {5, 6}, {5, 5}}}}
	err := gpkg.Update(context.Background(), b, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "districts", GeomType: gpkg.MultiPolygon, Fields: []gpkg.Field{{Name: "code", Type: gpkg.Integer}}})
		if err != nil {
			return err
		}
		if _, err := w.Insert(holed, 7); err != nil {
			return err
		}
		if _, err := w.Insert(other, 8); err != nil {
			return err
		}
		return w.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	gj := writeFile(t, dir, "bounds.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":7},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[3,1],[3,3],[1,3],[1,1]]]]}},
{"type":"Feature","properties":{"code":8},"geometry":{"type":"Polygon","coordinates":[[[5,5],[6,5],[6,6],[5,6],[5,5]]]}}]}`)
	for _, file := range []string{b, gj} {
		a, err := LoadArea(file, "code=7")
		if err != nil {
			t.Errorf("LoadArea(%s, code=7): %v", filepath.Base(file), err)
			continue
		}
		for _, tt := range []struct {
			p    orb.Point
			want bool
		}{{orb.Point{0.5, 0.5}, true}, {orb.Point{3.5, 2}, true}, {orb.Point{2, 2}, false}, {orb.Point{5.5, 5.5}, false}} {
			if got := a.Contains(tt.p); got != tt.want {
				t.Errorf("%s: Contains(%v) = %v, want %v", filepath.Base(file), tt.p, got, tt.want)
			}
		}
		_, err = LoadArea(file, "nosuch=7")
		if !errors.Is(err, ErrArea) || !strings.Contains(err.Error(), `no field "nosuch"`) {
			t.Errorf("LoadArea(%s, nosuch=7) = %v, want ErrArea naming the field", filepath.Base(file), err)
		}
	}
}

// TestOneLineGeoJSON: in a GeoJSON file written on one line every feature
// starts on line 1, so rows must not be told apart by line: a duplicate ID
// rejects only the older row, and only near duplicates are flagged.
func TestOneLineGeoJSON(t *testing.T) {
	dir := t.TempDir()
	f := func(id string, members int, village string, lon float64) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"household_id":%q,"members":%d,"village":%q},"geometry":{"type":"Point","coordinates":[%g,6.1]}}`, id, members, village, lon)
	}
	feats := []string{f("A", 1, "V", -8.10), f("B", 2, "V", -8.09), f("A", 3, "V", -8.08), f("C", 4, "V", -8.07),
		f("E", 9, "W", -8.0), f("F", 9, "W", -8.0)}
	in := writeFile(t, dir, "one.geojson", `{"type":"FeatureCollection","features":[`+strings.Join(feats, ",")+`]}`)
	path := filepath.Join(dir, "d.gpkg")
	s := ingestGpkg(t, path, KindHouseholds, []string{in}, Options{})
	if g := s.Total; g.Rows != 6 || g.Added != 5 || g.Rejected != 1 || g.RejectedByReason[ReasonDuplicateOlder] != 1 || g.FlaggedByCode[FlagNearDuplicate] != 2 {
		t.Errorf("summary %+v, want 6 rows, 5 added, 1 duplicate_id_older, 2 near_duplicate", g)
	}
	if got := countSQL(t, path, "SELECT members FROM households WHERE household_id = 'A'"); got != 3 {
		t.Errorf("A members = %d, want 3 (the later feature)", got)
	}
	if got := countSQL(t, path, "SELECT count(*) FROM households WHERE flags LIKE '%near_duplicate%' AND household_id IN ('E', 'F')"); got != 2 {
		t.Errorf("%d of E, F flagged near_duplicate, want 2", got)
	}
}

func TestIsPersonal(t *testing.T) {
	for _, tt := range []struct {
		col  string
		want bool
	}{
		{"head_name", true}, {"First Name", true}, {"phone_2", true}, {"group-contact-mobile", true},
		{"cellphone", true}, {"whatsapp_number", true}, {"nom_chef_menage", true}, {"prenom", true},
		{"telefono", true}, {"celular", true}, {"nome_do_chefe", true}, {"apellido", true},
		{"village_name", false}, {"facility_name", false}, {"members", false}, {"household_id", false},
		{"form.meta.instanceName", false}, {"notes", false}, {"cell", false},
	} {
		if got := isPersonal(tt.col); got != tt.want {
			t.Errorf("isPersonal(%q) = %v, want %v", tt.col, got, tt.want)
		}
	}
}

// TestSwapNeedsArea: latitude and longitude are swapped back only when the
// swapped point is in the study area and the given one is not. Without an
// area a latitude out of range is rejected, not moved to another continent.
func TestSwapNeedsArea(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "hh.csv", "household_id,latitude,longitude\nA,95.1,-8.1\nB,-8.1,6.1\nC,6.1,-8.1\n")
	for _, c := range []struct {
		name           string
		area           *Area
		added, swapped int
		outOfRange     int
	}{
		{"no area", nil, 2, 0, 1},
		{"area", AreaFromBound("box", "test", konoboBox), 2, 1, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := newMemStore()
			s, err := Run(context.Background(), st, KindHouseholds, []string{in}, Options{Now: testNow, Area: c.area})
			if err != nil {
				t.Fatal(err)
			}
			g := s.Total
			if g.Added != c.added || g.FlaggedByCode[FlagSwapped] != c.swapped || g.RejectedByReason[ReasonOutOfRange] != c.outOfRange {
				t.Errorf("summary %+v, want added %d, swapped %d, out_of_range %d", g, c.added, c.swapped, c.outOfRange)
			}
		})
	}
}

// TestAreaOverlappingPolygons: a point covered by two overlapping polygons
// of the area (boundary slivers, or features picked together by
// --area-where) is inside; a point in a hole of one polygon is outside
// unless another polygon covers it.
func TestAreaOverlappingPolygons(t *testing.T) {
	a := NewArea("x", "x", orb.MultiPolygon{
		{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}},
		{{{3, 3}, {6, 3}, {6, 6}, {3, 6}, {3, 3}}},
		{{{1.4, 1.4}, {1.6, 1.4}, {1.6, 1.6}, {1.4, 1.6}, {1.4, 1.4}}},
	})
	for _, tt := range []struct {
		p    orb.Point
		want bool
	}{
		{orb.Point{0.5, 0.5}, true}, {orb.Point{3.5, 3.5}, true}, {orb.Point{5, 5}, true},
		{orb.Point{1.2, 1.2}, false}, {orb.Point{1.5, 1.5}, true}, {orb.Point{5, 1}, false}, {orb.Point{7, 7}, false},
	} {
		if got := a.Contains(tt.p); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
}
