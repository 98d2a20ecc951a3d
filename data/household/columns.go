package household

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// NormalizeName returns the comparable form of a column name: lower case,
// with ' ' and ':' turned into '_', and the group separators '.' and '-'
// (CommCare "form.gps", ODK Central "group-gps-Latitude") turned into '/'
// as ODK Briefcase writes them. Match looks at the last '/' segment.
func NormalizeName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', ':':
			return '_'
		case '-', '.':
			return '/'
		}
		return r
	}, s)
}

// Match reports how well column name col matches candidate cand (already
// normalised): 2 for the same name, 1 when the name ends with "_"+cand or
// "/"+cand (a group prefix as ODK Central and CommCare write it), 0 otherwise.
// Candidates shorter than 5 characters ("lat", "lon", "id") must match the
// name, or its last "/" segment, exactly: "how_long" is not a longitude.
func Match(col, cand string) int {
	n := NormalizeName(col)
	if n == cand {
		return 2
	}
	last := n
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		last = n[i+1:]
	}
	if last == cand {
		return 1
	}
	if len(cand) >= 5 && strings.HasSuffix(last, "_"+strings.TrimPrefix(cand, "_")) {
		return 1
	}
	return 0
}

// FindColumn returns the index of the column that best matches the
// candidates, or -1. Earlier candidates win over later ones; an exact match
// of a candidate wins over a prefixed one; among equals the first column
// wins.
func FindColumn(columns []string, candidates ...string) int {
	for _, c := range candidates {
		best, bestScore := -1, 0
		for i, col := range columns {
			if s := Match(col, c); s > bestScore {
				best, bestScore = i, s
			}
		}
		if best >= 0 {
			return best
		}
	}
	return -1
}

// Candidate column names for coordinates, as ODK Central, KoboToolbox and
// CommCare export them (normalised).
var (
	LatNames         = []string{"latitude", "lat", "_gps_latitude", "gps_latitude", "home_lat", "y_coord"}
	LonNames         = []string{"longitude", "lon", "lng", "long", "_gps_longitude", "gps_longitude", "home_lon", "home_lng", "x_coord"}
	GeopointNames    = []string{"gps", "geopoint", "location", "gps_location", "coordinates", "gps_coordinates"}
	GeolocationNames = []string{"_geolocation", "geolocation"}
	AccuracyNames    = []string{"gps_accuracy_m", "accuracy", "_gps_precision", "gps_precision", "precision", "gps_accuracy", "accuracy_m"}
)

// Locator finds a point in a row. Each field is a column index, -1 when
// absent. Locate takes a GeoJSON row's geometry when it has one; otherwise
// it tries, in order, the Lat/Lon pair, the ODK geopoint column ("lat lon
// altitude accuracy") and the Kobo _geolocation column ("[lat, lon]").
type Locator struct {
	Lat, Lon, Geopoint, Geolocation, Accuracy int
}

// NewLocator detects the coordinate columns by name. Names given in
// override (lat, lon, gps, accuracy; "" = detect) must exist.
func NewLocator(columns []string, lat, lon, gps, accuracy string) (Locator, error) {
	l := Locator{
		Lat:         FindColumn(columns, LatNames...),
		Lon:         FindColumn(columns, LonNames...),
		Geopoint:    FindColumn(columns, GeopointNames...),
		Geolocation: FindColumn(columns, GeolocationNames...),
		Accuracy:    FindColumn(columns, AccuracyNames...),
	}
	for _, o := range []struct {
		name string
		dst  *int
	}{{lat, &l.Lat}, {lon, &l.Lon}, {gps, &l.Geopoint}, {accuracy, &l.Accuracy}} {
		if o.name == "" {
			continue
		}
		i := ColumnIndex(columns, o.name)
		if i < 0 {
			return l, fmt.Errorf("no column %q (columns: %s)", o.name, strings.Join(columns, ", "))
		}
		*o.dst = i
	}
	if l.Lat >= 0 && l.Lat == l.Geopoint {
		l.Geopoint = -1
	}
	return l, nil
}

// ColumnIndex returns the column named name (case-insensitively), or -1.
func ColumnIndex(columns []string, name string) int {
	for i, c := range columns {
		if c == name {
			return i
		}
	}
	for i, c := range columns {
		if strings.EqualFold(c, name) || NormalizeName(c) == NormalizeName(name) {
			return i
		}
	}
	return -1
}

// Has reports whether the locator found any coordinate column.
func (l Locator) Has() bool {
	return l.Lat >= 0 && l.Lon >= 0 || l.Geopoint >= 0 || l.Geolocation >= 0
}

// Uses reports whether column i holds coordinates or accuracy.
func (l Locator) Uses(i int) bool {
	return i >= 0 && (i == l.Lat || i == l.Lon || i == l.Geopoint || i == l.Geolocation || i == l.Accuracy)
}

// Errors from Locate, by cause.
var (
	ErrNoCoordinates  = errors.New("household: missing coordinates")
	ErrBadCoordinates = errors.New("household: coordinates are not numbers")
)

// Location is where a row says it is.
type Location struct {
	Point    orb.Point
	Accuracy float64 // metres; NaN when unknown
}

// Locate returns the row's location. It returns an error wrapping
// ErrNoCoordinates when no source holds a value, ErrBadCoordinates when the
// values do not parse, or ErrGeometry/ErrNoPoint for an unusable GeoJSON
// geometry. It does not check ranges. The accuracy comes from the accuracy
// column, else from the geopoint's fourth value.
func (l Locator) Locate(r *Row) (Location, error) {
	loc := Location{Accuracy: math.NaN()}
	if l.Accuracy >= 0 {
		if a, ok := parseNumber(r.Fields[l.Accuracy]); ok && a >= 0 {
			loc.Accuracy = a
		}
	}
	if r.GeomErr != nil {
		return loc, r.GeomErr
	}
	if r.Geometry != nil {
		p, err := Representative(r.Geometry)
		if err != nil {
			return loc, err
		}
		loc.Point = p
		return loc, nil
	}
	var firstErr error
	if l.Lat >= 0 && l.Lon >= 0 {
		la, lo := strings.TrimSpace(r.Fields[l.Lat]), strings.TrimSpace(r.Fields[l.Lon])
		if la != "" || lo != "" {
			y, ok1 := parseNumber(la)
			x, ok2 := parseNumber(lo)
			if ok1 && ok2 {
				loc.Point = orb.Point{x, y}
				return loc, nil
			}
			firstErr = fmt.Errorf("%w: latitude %q, longitude %q", ErrBadCoordinates, la, lo)
		}
	}
	if l.Geopoint >= 0 {
		if s := strings.TrimSpace(r.Fields[l.Geopoint]); s != "" {
			f := strings.Fields(s)
			if len(f) >= 2 {
				y, ok1 := parseNumber(f[0])
				x, ok2 := parseNumber(f[1])
				if ok1 && ok2 {
					loc.Point = orb.Point{x, y}
					if len(f) >= 4 && math.IsNaN(loc.Accuracy) {
						if a, ok := parseNumber(f[3]); ok && a >= 0 {
							loc.Accuracy = a
						}
					}
					return loc, nil
				}
			}
			if firstErr == nil {
				firstErr = fmt.Errorf("%w: geopoint %q, want \"lat lon [altitude accuracy]\"", ErrBadCoordinates, clip(s))
			}
		}
	}
	if l.Geolocation >= 0 {
		if s := strings.TrimSpace(r.Fields[l.Geolocation]); s != "" && s != "[null, null]" && s != "[None, None]" {
			t := strings.Trim(s, "[]() ")
			f := strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
			if len(f) == 2 {
				y, ok1 := parseNumber(f[0])
				x, ok2 := parseNumber(f[1])
				if ok1 && ok2 {
					loc.Point = orb.Point{x, y}
					return loc, nil
				}
			}
			if firstErr == nil {
				firstErr = fmt.Errorf("%w: _geolocation %q, want \"[lat, lon]\"", ErrBadCoordinates, clip(s))
			}
		}
	}
	if firstErr != nil {
		return loc, firstErr
	}
	return loc, ErrNoCoordinates
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// parseNumber parses a decimal number, also with a decimal comma ("6,25")
// as semicolon-separated European exports write it. NaN and infinities are
// refused.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if strings.Count(s, ",") != 1 || strings.Contains(s, ".") {
			return 0, false
		}
		v, err = strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil {
			return 0, false
		}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// ParseNumber is parseNumber for callers: a decimal number, a decimal comma
// allowed, NaN and infinities refused.
func ParseNumber(s string) (float64, bool) { return parseNumber(s) }
