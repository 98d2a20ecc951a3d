package household

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// checkReader drains r and checks the invariants every reader keeps.
func checkReader(t *testing.T, r Reader) {
	cols := r.Columns()
	loc, err := NewLocator(cols, "", "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for r.Scan() {
		row := r.Row()
		if len(row.Fields) != len(cols) {
			t.Fatalf("line %d: %d fields, %d columns", row.Line, len(row.Fields), len(cols))
		}
		if row.Line < last || row.Line < 1 {
			t.Fatalf("line %d after %d", row.Line, last)
		}
		last = row.Line
		raw := row.Raw(func(i int) bool { return i%2 == 0 })
		if len(raw) > MaxRaw || !utf8.ValidString(raw) {
			t.Fatalf("line %d: raw of %d bytes, valid UTF-8 %v", row.Line, len(raw), utf8.ValidString(raw))
		}
		for _, f := range row.Fields {
			if !utf8.ValidString(f) {
				t.Fatalf("line %d: field %q is not UTF-8", row.Line, f)
			}
		}
		loc.Locate(row)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"household_id,latitude,longitude\nH1,6.5,-8.5\n",
		"\uFEFFhhid;_geolocation\nH1;[6.1, -8.2]\n",
		"id\tgps\nc1\t6.01 -8.02 150 12.5\n",
		"a,\"b\nc\",d\n1,\"2\n\",3,4\n5\n",
		"a,b\n\"x,\"y\"\n",
		"hhid,village\nH1,N\xe9\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := NewCSV("fuzz.csv", bytes.NewReader(in))
		if err != nil {
			return
		}
		checkReader(t, r)
	})
}

func FuzzReadGeoJSON(f *testing.F) {
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":"node/1","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}}]}`,
		`{"features":[{"properties":{"a":[1,2]},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},{"geometry":null}]}`,
		`{"features":[{"properties":null,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}]}`,
		"{\n\"features\": [\n{\"properties\": 3}\n]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := NewGeoJSON("fuzz.geojson", bytes.NewReader(in))
		if err != nil {
			return
		}
		checkReader(t, r)
	})
}
