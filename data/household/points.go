package household

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// Point is one row of a points file: an ID and a WGS 84 position.
type Point struct {
	ID    string
	Point orb.Point // lon, lat in degrees
	Line  int       // 1-based line of the row in the file
}

// Errors of ReadPoints for one bad row, under its *data.ParseError (besides
// ErrNoCoordinates and ErrBadCoordinates from Locate).
var (
	ErrMissingID  = errors.New("household: missing id")
	ErrOutOfRange = errors.New("household: coordinates out of range")
	ErrBadRow     = errors.New("household: bad row")
)

// PointIDNames are the columns ReadPoints takes the ID from, best first:
// "id" (a GeoJSON feature's id), then the ID columns of the district's
// point layers so that an ingest export can be used as it is.
var PointIDNames = []string{"id", "household_id", "chw_id", "facility_id", "fid"}

// ReadPoints reads a points file: a CSV with an ID column and coordinate
// columns (id,lon,lat in any order), or a GeoJSON FeatureCollection when r
// is an io.ReadSeeker (a feature's id and its point, or a point on its
// surface). name is used in errors.
//
// It reads what ingest reads, with the same reader: comma, semicolon or
// tab, a UTF-8 byte-order mark, CRLF line ends, Windows-1252 text, decimal
// commas ("6,25") and the coordinate columns ingest finds (lat/lon/lng,
// latitude/longitude, x/y, an ODK geopoint, Kobo's _geolocation). Unlike
// ingest, which keeps the good rows of a survey export, ReadPoints stops at
// the first bad row: a list of points given on purpose should be right as
// a whole. Every error is a *data.ParseError naming the line; a file that
// is not a points file at all wraps data.ErrFormat, a bad row one of
// ErrMissingID, ErrNoCoordinates (empty, or 0,0 from a GPS without a fix),
// ErrBadCoordinates, ErrOutOfRange (with a hint when latitude and longitude
// look swapped) or ErrBadRow.
func ReadPoints(name string, r io.Reader) ([]Point, error) {
	rs, seekable := r.(io.ReadSeeker)
	var start int64
	if seekable {
		var err error
		if start, err = rs.Seek(0, io.SeekCurrent); err != nil {
			seekable = false
		}
	}
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &data.ParseError{File: name, Err: err}
	}
	format, err := sniff(name, head)
	if err != nil {
		return nil, err
	}
	var rd Reader
	if format == GeoJSON {
		if !seekable {
			return nil, &data.ParseError{File: name, Err: fmt.Errorf("%w: GeoJSON points need a file, not a stream", data.ErrFormat)}
		}
		if _, err := rs.Seek(start, io.SeekStart); err != nil {
			return nil, &data.ParseError{File: name, Err: err}
		}
		rd, err = NewGeoJSON(name, rs)
	} else {
		rd, err = NewCSV(name, br)
	}
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return readPoints(name, rd, format == CSV)
}

// readPoints drains rd.
func readPoints(name string, rd Reader, isCSV bool) ([]Point, error) {
	cols := rd.Columns()
	headerErr := func(format string, a ...any) error {
		return &data.ParseError{File: name, Line: 1, Err: fmt.Errorf("%w: "+format, append([]any{data.ErrFormat}, a...)...)}
	}
	id := FindColumn(cols, PointIDNames...)
	if id < 0 {
		return nil, headerErr("no id column among %q; want a header id,lon,lat", cols)
	}
	loc, err := NewLocator(cols, "", "", "", "")
	if err != nil {
		return nil, headerErr("%v", err)
	}
	// Plain x and y, as GIS tools export points, are too short for
	// FindColumn's guesses in survey exports; here they are expected.
	if loc.Lon < 0 {
		loc.Lon = FindColumn(cols, "x")
	}
	if loc.Lat < 0 {
		loc.Lat = FindColumn(cols, "y")
	}
	if isCSV && !loc.Has() {
		return nil, headerErr("no coordinate columns among %q; want a header id,lon,lat (or lng/longitude/x and lat/latitude/y)", cols)
	}
	// A GeoJSON feature's id is column "feature_id" when the properties
	// of some feature also hold an "id".
	alt := -1
	if !isCSV && cols[id] == "id" {
		alt = ColumnIndex(cols, "feature_id")
	}
	var pts []Point
	for rd.Scan() {
		row := rd.Row()
		idCol := id
		if alt >= 0 && strings.TrimSpace(row.Fields[id]) == "" {
			idCol = alt
		}
		p, field, err := point(row, cols, idCol, loc)
		if err != nil {
			return nil, &data.ParseError{File: name, Line: row.Line, Field: field, Err: err}
		}
		pts = append(pts, p)
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	return pts, nil
}

// point reads one row. On an error it also returns the field the error is
// about ("" for the whole row).
func point(row *Row, cols []string, idCol int, loc Locator) (Point, string, error) {
	p := Point{Line: row.Line}
	if row.Err != nil {
		return p, "", fmt.Errorf("%w: the record could not be parsed: %w", ErrBadRow, row.Err)
	}
	if row.Extra > 0 {
		return p, "", fmt.Errorf("%w: %d more values than header columns; the row is probably shifted (an unquoted delimiter in a value?)", ErrBadRow, row.Extra)
	}
	p.ID = strings.TrimSpace(row.Fields[idCol])
	if p.ID == "" {
		return p, cols[idCol], fmt.Errorf("%w: no value", ErrMissingID)
	}
	field := "geometry"
	switch {
	case row.Geometry == nil && row.GeomErr == nil && loc.Lat >= 0 && loc.Lon >= 0:
		field = cols[loc.Lon] + "," + cols[loc.Lat]
	case row.Geometry == nil && row.GeomErr == nil && loc.Geopoint >= 0:
		field = cols[loc.Geopoint]
	case row.Geometry == nil && row.GeomErr == nil && loc.Geolocation >= 0:
		field = cols[loc.Geolocation]
	}
	l, err := loc.Locate(row)
	if err != nil {
		return p, field, fmt.Errorf("point %s: %w", p.ID, err)
	}
	p.Point = l.Point
	x, y := p.Point[0], p.Point[1]
	switch {
	case math.Abs(x) < 1e-7 && math.Abs(y) < 1e-7:
		return p, field, fmt.Errorf("point %s: %w: coordinates are 0,0 (a GPS without a fix)", p.ID, ErrNoCoordinates)
	case !geo.ValidLonLat(p.Point):
		msg := fmt.Sprintf("longitude %g, latitude %g: want longitude in [-180, 180] and latitude in [-90, 90]", x, y)
		if geo.ValidLonLat(orb.Point{y, x}) {
			msg += "; latitude and longitude swapped? check the order of the columns"
		}
		return p, field, fmt.Errorf("point %s: %w: %s", p.ID, ErrOutOfRange, msg)
	}
	return p, "", nil
}
