package household

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
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

func FuzzReadPoints(f *testing.F) {
	for _, s := range []string{
		"id,lon,lat\nP1,-8.25,6.5\n",
		"\uFEFFid;lon;lat\r\nP1;-8,25;6,5\r\n",
		"ID\tLatitude\tLongitude\tnote\nP1\t6.5\t-8.25\ta\n",
		"x,y,id\n-8.25,6.5,P1\n",
		"household_id,gps\nP1,6.5 -8.25 120 5\n",
		"id,lon,lat\nP1,6.5,-128.25\n",
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":"F1","properties":{"id":"x"},"geometry":{"type":"Point","coordinates":[-8.25,6.5]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		pts, err := ReadPoints("fuzz.csv", bytes.NewReader(in))
		if err != nil {
			var pe *data.ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz.csv" {
				t.Fatalf("error %T %v, want a *data.ParseError naming the file", err, err)
			}
			return
		}
		last := 0
		for _, p := range pts {
			if p.ID == "" || p.ID != strings.TrimSpace(p.ID) || !utf8.ValidString(p.ID) {
				t.Fatalf("line %d: id %q", p.Line, p.ID)
			}
			if !geo.ValidLonLat(p.Point) || p.Point == (orb.Point{}) {
				t.Fatalf("line %d: point %v", p.Line, p.Point)
			}
			if p.Line < max(last, 1) {
				t.Fatalf("line %d after %d", p.Line, last)
			}
			last = p.Line
		}
	})
}
