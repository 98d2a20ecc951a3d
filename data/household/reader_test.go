package household

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/orb"
)

const eps = 1e-9

type wantRow struct {
	line int
	pt   orb.Point
	err  error // from Locate
	acc  float64
}

func readAll(t testing.TB, name string, in []byte) (Reader, []wantRow) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	defer r.Close()
	loc, err := NewLocator(r.Columns(), "", "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []wantRow
	for r.Scan() {
		row := r.Row()
		l, err := loc.Locate(row)
		got = append(got, wantRow{line: row.Line, pt: l.Point, err: err, acc: l.Accuracy})
	}
	if err := r.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	return r, got
}

func TestCSVDialects(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma rune
		want  []wantRow
	}{
		{
			name:  "ODK Central with group prefixes",
			in:    "SubmissionDate,hh/household_id,hh/gps-Latitude,hh/gps-Longitude,hh/gps-Altitude,hh/gps-Accuracy,meta-instanceID\n2024-03-05T10:12:33.123+01:00,H1,6.05,-8.12,200,4.5,uuid:1\n",
			comma: ',',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.12, 6.05}, acc: 4.5}},
		},
		{
			name:  "Kobo semicolons and _geolocation",
			in:    "hhid;_geolocation;_submission_time\nH1;\"[6.1, -8.2]\";2024-03-05T10:12:33\nH2;[6,2 -8,3];2024-03-05\n",
			comma: ';',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.2, 6.1}}, {line: 3, err: ErrBadCoordinates}},
		},
		{
			name:  "CommCare gps geopoint",
			in:    "form.case.@case_id,form.gps,completed_time\nc1,6.01 -8.02 150 12.5,2024-03-05 10:12:33\nc2,,2024-03-05\n",
			comma: ',',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.02, 6.01}, acc: 12.5}, {line: 3, err: ErrNoCoordinates}},
		},
		{
			name:  "BOM and tabs",
			in:    "\uFEFFhousehold_id\tlatitude\tlongitude\nH1\t6.5\t-8.5\n",
			comma: '\t',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.5, 6.5}}},
		},
		{
			name:  "quoted newline keeps line numbers",
			in:    "household_id,notes,lat,lon\nH1,\"two\nlines\",6.5,-8.5\nH2,x,6.6,-8.6\n",
			comma: ',',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.5, 6.5}}, {line: 4, pt: orb.Point{-8.6, 6.6}}},
		},
		{
			name:  "BOM, semicolons, CRLF and a quoted CRLF",
			in:    "\uFEFFhousehold_id;notes;latitude;longitude\r\nH1;\"a\r\nb\r\nc\";6,1;-8,1\r\n\r\nH2;x;6,2;-8,2\r\n",
			comma: ';',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.1, 6.1}}, {line: 6, pt: orb.Point{-8.2, 6.2}}},
		},
		{
			name:  "ragged rows",
			in:    "household_id,lat,lon\nH1,6.5\nH2,6.6,-8.6,extra\n\nH3,x,y\n",
			comma: ',',
			want:  []wantRow{{line: 2, err: ErrBadCoordinates}, {line: 3, pt: orb.Point{-8.6, 6.6}}, {line: 5, err: ErrBadCoordinates}},
		},
		{
			name:  "decimal comma with semicolons",
			in:    "hh_id;Latitude;Longitude\nH1;6,25;-8,5\n",
			comma: ';',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.5, 6.25}}},
		},
		{
			name:  "Kobo _gps columns and precision",
			in:    "hhid,gps,_gps_latitude,_gps_longitude,_gps_altitude,_gps_precision\nH1,6.1 -8.1 0 30,6.1,-8.1,0,30\n",
			comma: ',',
			want:  []wantRow{{line: 2, pt: orb.Point{-8.1, 6.1}, acc: 30}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, got := readAll(t, "in.csv", []byte(tt.in))
			if c := r.(*CSVReader).Comma(); c != tt.comma {
				t.Errorf("Comma() = %q, want %q", c, tt.comma)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d rows %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.line != w.line {
					t.Errorf("row %d: line = %d, want %d", i, g.line, w.line)
				}
				if !errors.Is(g.err, w.err) || (w.err == nil) != (g.err == nil) {
					t.Errorf("row %d: err = %v, want %v", i, g.err, w.err)
				}
				if w.err == nil && (math.Abs(g.pt[0]-w.pt[0]) > eps || math.Abs(g.pt[1]-w.pt[1]) > eps) {
					t.Errorf("row %d: point = %v, want %v", i, g.pt, w.pt)
				}
				if w.acc != 0 && g.acc != w.acc {
					t.Errorf("row %d: accuracy = %v, want %v", i, g.acc, w.acc)
				}
			}
		})
	}
}

func TestRaggedExtra(t *testing.T) {
	c, err := NewCSV("x.csv", strings.NewReader("a,b\n1,2,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Scan() {
		t.Fatal("no row")
	}
	if c.Row().Extra != 1 {
		t.Errorf("Extra = %d, want 1", c.Row().Extra)
	}
	if raw := c.Row().Raw(nil); raw != "1,2,3" {
		t.Errorf("Raw = %q, want %q", raw, "1,2,3")
	}
}

func TestRawRedacted(t *testing.T) {
	c, err := NewCSV("x.csv", strings.NewReader("id,head_name,note\nH1,\"Doe, Jane\",\"say \"\"hi\"\"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	c.Scan()
	if got, want := c.Row().Raw(nil), `H1,"Doe, Jane","say ""hi"""`; got != want {
		t.Errorf("Raw(nil) = %q, want %q", got, want)
	}
	if got, want := c.Row().Raw(func(i int) bool { return i == 1 }), `H1,[redacted],"say ""hi"""`; got != want {
		t.Errorf("Raw(redact) = %q, want %q", got, want)
	}
}

func TestEncodings(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE, 'h', 0, 'h', 0, 'i', 0, 'd', 0, '\n', 0}
	tests := []struct {
		name    string
		in      []byte
		wantErr bool
		village string
		wantMsg string // in the error, when wantErr
	}{
		{"utf-16", utf16, true, "", "UTF-16"},
		{"utf-16 no BOM", bytes.Repeat([]byte{'a', 0}, 100), true, "", "UTF-16"},
		{"utf-16BE no BOM", bytes.Repeat([]byte{0, 'a'}, 100), true, "", "UTF-16"},
		{"binary", []byte("PK\x03\x04\x00\x00\x08\x00binary"), true, "", "binary"},
		// An ELF header: many zeros, but not in every other byte.
		{"executable", append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00\x01\x00\x00\x00"), bytes.Repeat([]byte{0, 0, 0, 0x40, 0, 0, 0, 0}, 8)...), true, "", "binary"},
		{"empty", nil, true, "", "empty"},
		{"windows-1252", []byte("hhid,village,lat,lon\nH1,Gbarzon \x96 N\xe9\x92s,6.1,-8.1\n"), false, "Gbarzon – Né’s", ""},
		{"utf-8", []byte("hhid,village,lat,lon\nH1,Gbarzon – Né’s,6.1,-8.1\n"), false, "Gbarzon – Né’s", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.csv")
			os.WriteFile(path, tt.in, 0o644)
			r, err := Open(path)
			if tt.wantErr {
				var pe *data.ParseError
				if !errors.Is(err, data.ErrFormat) || !errors.As(err, &pe) || pe.File != path {
					t.Fatalf("Open = %v, want a ParseError naming the file wrapping data.ErrFormat", err)
				}
				if !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("Open = %v, want a message saying %q", err, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if !r.Scan() {
				t.Fatal("no row")
			}
			if got := r.Row().Fields[1]; got != tt.village {
				t.Errorf("village = %q, want %q", got, tt.village)
			}
		})
	}
}

func TestGeoJSON(t *testing.T) {
	in := `{"type":"FeatureCollection","name":"x",
"features":[
{"type":"Feature","id":7,"properties":{"name":"A","amenity":"clinic"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}},
{"type":"Feature","properties":{"name":"B","healthcare":"hospital","beds":12},
 "geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,1],[1,1],[1,3],[4,3],[4,4],[0,4],[0,0]]]}},
{"type":"Feature","properties":{"name":null},"geometry":null},
{"type":"Feature","properties":{"name":"D"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}},
{"type":"Feature","properties":{"name":"E"},"geometry":{"type":"Point","coordinates":[1]}}
]}`
	r, got := readAll(t, "in.geojson", []byte(in))
	wantCols := []string{"name", "amenity", "healthcare", "beds", "id"}
	if strings.Join(r.Columns(), ",") != strings.Join(wantCols, ",") {
		t.Errorf("Columns() = %v, want %v", r.Columns(), wantCols)
	}
	want := []wantRow{
		{line: 3, pt: orb.Point{-8.1, 6.1}},
		// A C-shaped outline: the centroid (about x=1.6, y=2) is outside;
		// the widest span at y=2 is the bar x∈[0,1].
		{line: 4, pt: orb.Point{0.5, 2}},
		{line: 6, err: ErrNoCoordinates},
		{line: 7, err: ErrGeometry},
		{line: 8, err: ErrGeometry},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.line != w.line || !errors.Is(g.err, w.err) || (w.err == nil) != (g.err == nil) {
			t.Errorf("row %d: line %d err %v, want line %d err %v", i, g.line, g.err, w.line, w.err)
		}
		if w.err == nil && (math.Abs(g.pt[0]-w.pt[0]) > 1e-6 || math.Abs(g.pt[1]-w.pt[1]) > 0.2) {
			t.Errorf("row %d: point = %v, want %v", i, g.pt, w.pt)
		}
	}
}

func TestGeoJSONNotCollection(t *testing.T) {
	for _, in := range []string{`{"type":"Feature","geometry":null}`, `{"a":1}`, `{"features": 3}`, `{"features":[{"type":"Feature"},`} {
		path := filepath.Join(t.TempDir(), "x.geojson")
		os.WriteFile(path, []byte(in), 0o644)
		r, err := Open(path)
		if err == nil {
			for r.Scan() {
			}
			err = r.Err()
			r.Close()
		}
		if !errors.Is(err, data.ErrFormat) {
			t.Errorf("Open(%s) = %v, want data.ErrFormat", in, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-03-05T10:12:33.123+01:00", "2024-03-05T09:12:33Z"},
		{"2024-03-05T10:12:33Z", "2024-03-05T10:12:33Z"},
		{"2024-03-05T10:12:33.000Z", "2024-03-05T10:12:33Z"},
		{"2024-03-05T10:12:33.5+0100", "2024-03-05T09:12:33Z"},
		{"2024-03-05 10:12:33", "2024-03-05T10:12:33Z"},
		{"2024-03-05 10:12:33+00:00", "2024-03-05T10:12:33Z"},
		{"2024-03-05", "2024-03-05T00:00:00Z"},
		{"Mar 5, 2024 10:12:33 AM", "2024-03-05T10:12:33Z"},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if err != nil || got.Format(TimeFormat) != tt.want {
			t.Errorf("ParseTime(%q) = %v, %v, want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "05/03/2024"} {
		if _, err := ParseTime(bad); !errors.Is(err, ErrTime) {
			t.Errorf("ParseTime(%q) err = %v, want ErrTime", bad, err)
		}
	}
}

func TestFindColumn(t *testing.T) {
	cols := []string{"how_long", "group/gps-Latitude", "group/gps-Longitude", "Lat", "_id"}
	if i := FindColumn(cols, LatNames...); i != 1 {
		t.Errorf("lat column = %d, want 1", i)
	}
	if i := FindColumn(cols, LonNames...); i != 2 {
		t.Errorf("lon column = %d, want 2 (not how_long)", i)
	}
	if i := FindColumn([]string{"how_long"}, LonNames...); i != -1 {
		t.Errorf("how_long matched as longitude")
	}
}

// TestLiberiaOutlines checks the point on surface of every facility mapped
// as an outline in the real OSM export: it must lie inside its polygon.
func TestLiberiaOutlines(t *testing.T) {
	path := shareddata.Path(t, "liberia/health_facilities_osm_2026-05-10.geojson")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	polys, rows := 0, 0
	for r.Scan() {
		rows++
		row := r.Row()
		p, ok := row.Geometry.(orb.Polygon)
		if !ok {
			continue
		}
		polys++
		q, err := Representative(p)
		if err != nil {
			t.Errorf("line %d: %v", row.Line, err)
			continue
		}
		if !polygonContains(p, q) {
			t.Errorf("line %d: point on surface %v is outside its outline", row.Line, q)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != 1202 || polys != 324 {
		t.Errorf("read %d features, %d polygons; want 1202, 324", rows, polys)
	}
}

func TestGeometryBeatsColumns(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"latitude":"1","longitude":"2"},"geometry":{"type":"Point","coordinates":[-8.1,6.1]}},
{"type":"Feature","properties":{"latitude":"1","longitude":"2"},"geometry":null}]}`
	_, got := readAll(t, "in.geojson", []byte(in))
	if len(got) != 2 || got[0].pt != (orb.Point{-8.1, 6.1}) || got[1].pt != (orb.Point{2, 1}) {
		t.Errorf("got %+v, want the geometry first, the columns when it is null", got)
	}
}

func TestUnterminatedQuote(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("household_id,latitude,longitude\nH1,6.1,-8.1\nH2,\"6.2,-8.2\n")
	for b.Len() < MaxRecordBytes+1<<20 {
		b.WriteString("H3,6.3,-8.3\n")
	}
	c, err := NewCSV("big.csv", &b)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for c.Scan() {
		n++
	}
	if !errors.Is(c.Err(), data.ErrFormat) || n != 1 {
		t.Errorf("after %d rows: Err() = %v, want data.ErrFormat after 1 row", n, c.Err())
	}
}

// TestRawRedactedRagged: in a row with more values than the header (an
// unquoted comma in a name), values shift right, so a personal value may sit
// under a column that is not personal. Every position a personal value can
// have shifted to is redacted.
func TestRawRedactedRagged(t *testing.T) {
	c, err := NewCSV("x.csv", strings.NewReader("id,head_name,phone,village,lat\nH5,Ann, Lee,0777555,Gbarzon,6.1\nH6,Bo,0777666,Gbarzon,6.2\n"))
	if err != nil {
		t.Fatal(err)
	}
	redact := func(i int) bool { return i == 1 || i == 2 }
	for _, want := range []string{
		"H5,[redacted],[redacted],[redacted],Gbarzon,6.1", // ragged: phone shifted under village
		"H6,[redacted],[redacted],Gbarzon,6.2",            // not ragged: only the personal columns
	} {
		if !c.Scan() {
			t.Fatal("no row")
		}
		if got := c.Row().Raw(redact); got != want {
			t.Errorf("Raw(redact) = %q, want %q", got, want)
		}
	}
}

// TestRawRedactedBadFeature: a feature that is valid JSON but not a valid
// Feature (Row.Err set, Fields empty) still has its personal properties
// redacted.
func TestRawRedactedBadFeature(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"G1","head_name":"Ann Lee","phone":"0888999"},"geometry":null},
{"type":5,"properties":{"household_id":"G2","head_name":"Hidden Person","phone":"0888111"},"geometry":null},
{"type":"Feature","properties":["Listed Person"],"geometry":null}
]}`
	g, err := NewGeoJSON("x.geojson", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	cols := g.Columns()
	redact := func(i int) bool { return cols[i] == "head_name" || cols[i] == "phone" }
	n := 0
	for g.Scan() {
		n++
		raw := g.Row().Raw(redact)
		for _, s := range []string{"Ann Lee", "0888999", "Hidden Person", "0888111", "Listed Person"} {
			if strings.Contains(raw, s) {
				t.Errorf("row %d: Raw(redact) = %s, holds %q", n, raw, s)
			}
		}
		if n == 2 && !strings.Contains(raw, "G2") {
			t.Errorf("row 2: Raw(redact) = %s, lost the ID", raw)
		}
	}
	if n != 3 {
		t.Fatalf("%d rows, want 3", n)
	}
}

// TestGeoJSONBOM: a GeoJSON file saved with a UTF-8 byte-order mark (as
// Windows tools write it) is read, with the right line numbers.
func TestGeoJSONBOM(t *testing.T) {
	in := "\uFEFF{\"type\":\"FeatureCollection\",\"features\":[\n" +
		"{\"type\":\"Feature\",\"properties\":{\"id\":\"a\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[-8.1,6.1]}},\n" +
		"{\"type\":\"Feature\",\"properties\":{\"id\":\"b\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[-8.2,6.2]}}]}\n"
	path := filepath.Join(t.TempDir(), "bom.geojson")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	var lines []int
	for r.Scan() {
		if r.Row().Err != nil {
			t.Errorf("line %d: %v", r.Row().Line, r.Row().Err)
		}
		lines = append(lines, r.Row().Line)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 3 {
		t.Errorf("lines %v, want [2 3]", lines)
	}
}

// polygonContains is a plain even-odd test, a reference independent of the
// span code in geo.PointOnSurface.
func polygonContains(p orb.Polygon, q orb.Point) bool {
	in := false
	for _, r := range p {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > q[1]) != (b[1] > q[1]) && q[0] < (b[0]-a[0])*(q[1]-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}

// TestDecodeGeometry covers each geometry type GeoJSON features may have,
// good, empty and with a bad member.
func TestDecodeGeometry(t *testing.T) {
	sq := `[[0,0],[1,0],[1,1],[0,1],[0,0]]`
	tests := []struct {
		in   string
		want orb.Geometry // nil: error, unless ok
		ok   bool
	}{
		{`null`, nil, true},
		{`{"type":"Point","coordinates":[1,2]}`, orb.Point{1, 2}, true},
		{`{"type":"Point","coordinates":[1]}`, nil, false},
		{`{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}`, orb.MultiPoint{{1, 2}, {3, 4}}, true},
		{`{"type":"MultiPoint","coordinates":[]}`, nil, false},
		{`{"type":"MultiPoint","coordinates":[[1,2],[3]]}`, nil, false},
		{`{"type":"MultiPoint","coordinates":{}}`, nil, false},
		{`{"type":"Polygon","coordinates":[` + sq + `]}`, orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}, true},
		{`{"type":"MultiPolygon","coordinates":[[` + sq + `],[` + sq + `]]}`, orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}, {{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}, true},
		{`{"type":"MultiPolygon","coordinates":[]}`, nil, false},
		{`{"type":"MultiPolygon","coordinates":[[` + sq + `],[[[0,0]]]]}`, nil, false},
		{`{"type":"LineString","coordinates":[[0,0],[1,1]]}`, nil, false},
	}
	for _, tt := range tests {
		g, err := decodeGeometry(json.RawMessage(tt.in))
		if (err == nil) != tt.ok {
			t.Errorf("%s: error %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrGeometry) {
				t.Errorf("%s: error %v does not wrap ErrGeometry", tt.in, err)
			}
			continue
		}
		if !reflect.DeepEqual(g, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.in, g, tt.want)
		}
	}
}
