package household

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/paulmach/orb"
)

// TestReadPoints reads the same three points written as the tools people
// really use write them: every dialect must give the same points.
func TestReadPoints(t *testing.T) {
	want := []Point{
		{ID: "P1", Point: orb.Point{-8.25, 6.5}, Line: 2},
		{ID: "P2", Point: orb.Point{-8.125, 6.375}, Line: 3},
		{ID: "P 3", Point: orb.Point{-9.5, 7.5}, Line: 4},
	}
	tests := []struct {
		name, in string
	}{
		{"comma", "id,lon,lat\nP1,-8.25,6.5\nP2,-8.125,6.375\nP 3,-9.5,7.5\n"},
		{"excel semicolon BOM CRLF decimal comma", "\uFEFFid;lon;lat\r\nP1;-8,25;6,5\r\nP2;-8,125;6,375\r\nP 3;-9,5;7,5\r\n"},
		{"tab, lat before lon, long names, extra column", "ID\tLatitude\tLongitude\tnote\nP1\t6.5\t-8.25\ta\nP2\t6.375\t-8.125\t\nP 3\t7.5\t-9.5\tc"},
		{"x y lng, quoted, spaces", "x, y ,id\n\" -8.25\",6.5,P1\n-8.125 , 6.375,P2\n-9.5,7.5,\"P 3\"\n"},
		{"household export: household_id and an ODK geopoint", "household_id,gps\nP1,6.5 -8.25 120 5\nP2,6.375 -8.125\nP 3,7.5 -9.5 0 0\n"},
		{"blank lines", "id,lng,lat\n\nP1,-8.25,6.5\nP2,-8.125,6.375\nP 3,-9.5,7.5\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPoints("pts.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ReadPoints: %v", err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d points %v, want %d", len(got), got, len(want))
			}
			for i := range want {
				w := want[i]
				if tt.name == "blank lines" {
					w.Line++
				}
				if got[i].ID != w.ID || got[i].Line != w.Line ||
					math.Abs(got[i].Point[0]-w.Point[0]) > eps || math.Abs(got[i].Point[1]-w.Point[1]) > eps {
					t.Errorf("point %d = %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}

func TestReadPointsGeoJSON(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
{"type":"Feature","id":"F1","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[-8.25,6.5]}},
{"type":"Feature","properties":{"id":"F2"},"geometry":{"type":"Polygon","coordinates":[[[-8,6],[-7.9,6],[-7.9,6.1],[-8,6.1],[-8,6]]]}}]}`
	got, err := ReadPoints("f.geojson", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "F1" || got[0].Point != (orb.Point{-8.25, 6.5}) || got[1].ID != "F2" {
		t.Fatalf("got %+v", got)
	}
	if p := got[1].Point; p[0] <= -8 || p[0] >= -7.9 || p[1] <= 6 || p[1] >= 6.1 {
		t.Errorf("F2 at %v, want a point inside its outline", p)
	}
}

// TestReadPointsErrors checks that a bad file or row stops the read with a
// *data.ParseError naming the line, the field and the cause.
func TestReadPointsErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		line     int
		sentinel error
		want     string // in the message
	}{
		{"empty", "", 0, data.ErrFormat, "empty"},
		{"no id column", "name,lon,lat\na,1,2\n", 1, data.ErrFormat, "id"},
		{"no coordinate columns", "id,east,north\na,1,2\n", 1, data.ErrFormat, "lon"},
		{"only lat", "id,lat\na,2\n", 1, data.ErrFormat, "lon"},
		{"binary", "id,lon,lat\n\x00\x01\x02\x03", 0, data.ErrFormat, "binary"},
		{"missing id", "id,lon,lat\nP1,1,2\n,1,2\n", 3, ErrMissingID, "id"},
		{"not numbers", "id,lon,lat\nP1,1,2\nP2,east,2\n", 3, ErrBadCoordinates, "east"},
		{"empty coordinates", "id;lon;lat\nP1;;\n", 2, ErrNoCoordinates, ""},
		{"short row", "id,lon,lat\nP1,1\n", 2, ErrBadCoordinates, `latitude ""`},
		{"ragged row", "id,lon,lat\nP1,1,2,3\n", 2, ErrBadRow, "1 more value"},
		{"latitude out of range, swapped", "id,lon,lat\nP1,6.5,-128.25\n", 2, ErrOutOfRange, "swapped"},
		{"swapped the other way", "id,lat,lon\nP1,-128.25,6.5\n", 2, ErrOutOfRange, "swapped"},
		{"out of range, not swapped", "id,lon,lat\nP1,200,100\n", 2, ErrOutOfRange, "out of range"},
		{"null island", "id,lon,lat\nP1,0,0\n", 2, ErrNoCoordinates, "0,0"},
		{"bad feature", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},
{"type":"Feature","id":"b","properties":5,"geometry":null}]}`, 2, ErrBadRow, "parse"},
		{"feature without geometry", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":{},"geometry":null}]}`, 1, ErrNoCoordinates, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pts, err := ReadPoints("pts.csv", strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("no error; points %+v", pts)
			}
			var pe *data.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v, want a *data.ParseError", err, err)
			}
			if pe.File != "pts.csv" || pe.Line != tt.line {
				t.Errorf("error at %s:%d, want pts.csv:%d (%v)", pe.File, pe.Line, tt.line, err)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}
