package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
)

// fuzzIngest ingests in as a file and checks that every row is accounted
// for: in a fresh store, rows = stored + rejected, and the store holds
// exactly that.
func fuzzIngest(t *testing.T, name string, in []byte, kind Kind) {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	st := newMemStore()
	area := AreaFromBound("box", "fuzz", konoboBox)
	sum, err := Run(context.Background(), st, kind, []string{path}, Options{Now: testNow, Area: area})
	if err != nil {
		var pe *data.ParseError
		if errors.As(err, &pe) || errors.Is(err, data.ErrFormat) {
			return
		}
		t.Fatalf("Run: %v", err)
	}
	s := sum.Total
	if s.Rows != s.Added+s.Rejected || s.Updated != 0 || s.Unchanged != 0 {
		t.Fatalf("summary %+v: rows not accounted for", s)
	}
	base := filepath.Base(path)
	if got := st.count(string(kind), base); got != s.Added {
		t.Fatalf("layer holds %d rows, summary says %d added", got, s.Added)
	}
	if got := st.rejectCount(base); got != s.Rejected {
		t.Fatalf("rejects hold %d rows, summary says %d", got, s.Rejected)
	}
	// Stored IDs are unique, and an ID rejected as an older duplicate is
	// stored (its newer row won).
	ids := map[string]bool{}
	idPos := fieldIndex(st.fields[string(kind)], spec(kind).roles[0].field.Name)
	for _, r := range st.rows[string(kind)] {
		id, _ := r.vals[idPos].(string)
		if ids[id] {
			t.Fatalf("ID %q stored twice", id)
		}
		ids[id] = true
	}
	for _, r := range st.rejects {
		if r.Code != ReasonDuplicateOlder {
			continue
		}
		rest, ok := strings.CutPrefix(r.Reason, "ID ")
		i := strings.LastIndex(rest, " has a newer submission")
		if !ok || i < 0 {
			t.Fatalf("duplicate reason %q", r.Reason)
		}
		if id := rest[:i]; !ids[id] {
			t.Fatalf("line %d rejected as an older duplicate of %q, which is not stored", r.Line, id)
		}
	}
	n := 0
	for _, v := range s.RejectedByReason {
		n += v
	}
	if n != s.Rejected {
		t.Fatalf("rejected by reason sums to %d, want %d", n, s.Rejected)
	}
}

func FuzzIngestCSV(f *testing.F) {
	if b, err := os.ReadFile("testdata/odk_noisy.csv"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"hhid;_geolocation;_submission_time\nH1;[6.1, -8.2];2024-03-05\nH1;[6.1, -8.2];2024-03-06\n",
		"household_id,gps\nH1,6.01 -8.02 150 12.5\nH2,-8.02 6.01\nH3,0 0\n",
		"hh_id,lat,lon,village,members\nA,6.1,-8.1,x,3\nB,6.1000001,-8.1,x,3\nC,,\n,6,-8\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { fuzzIngest(t, "in.csv", in, KindHouseholds) })
}

func FuzzIngestGeoJSON(f *testing.F) {
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"node/1","amenity":"clinic"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}},{"type":"Feature","properties":{"id":"way/2"},"geometry":{"type":"Polygon","coordinates":[[[-8.1,6.1],[-8.0,6.1],[-8.0,6.2],[-8.1,6.1]]]}}]}`,
		`{"features":[{"properties":{"id":"a"},"geometry":null},{"properties":{"id":"a","latitude":"6.1","longitude":"-8.1"}}]}`,
		`{"features":[{"properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}},{"properties":{"id":"b"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}},{"properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[-8.2,6.1]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { fuzzIngest(t, "in.geojson", in, KindFacilities) })
}
