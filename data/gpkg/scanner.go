package gpkg

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Scanner reads the rows of one layer or table in fid order:
//
//	sc := db.Scan("households")
//	defer sc.Close()
//	for sc.Scan() {
//		fid, g, vals := sc.FID(), sc.Geometry(), sc.Values()
//	}
//	if err := sc.Err(); err != nil { ... }
//
// A Scanner is not safe for concurrent use. Inside a Tx, close it before
// committing.
type Scanner struct {
	r      *reader
	name   string
	opened bool
	s      *tableSchema
	rows   *sql.Rows
	dest   []any
	vals   []any
	blob   sql.RawBytes
	fid    int64
	geom   orb.Geometry
	out    []any
	err    error
	bound  *orb.Bound // ScanBound's window
}

// Fields returns the attribute columns in order (nil before the first Scan
// if the layer does not exist).
func (sc *Scanner) Fields() []Field {
	if !sc.opened {
		sc.open()
	}
	if sc.s == nil {
		return nil
	}
	return sc.s.fields
}

func (sc *Scanner) open() {
	sc.opened = true
	s, err := sc.r.schema(sc.name)
	if err != nil {
		sc.err = err
		return
	}
	sc.s = s
	if sc.bound != nil && s.geomCol == "" {
		sc.err = fmt.Errorf("gpkg: %s: %s is not a feature layer", sc.r.file, sc.name)
		return
	}
	cols := []string{"t." + quoteID(s.pk)}
	sc.dest = []any{&sc.fid}
	if s.geomCol != "" {
		cols = append(cols, "t."+quoteID(s.geomCol))
		sc.dest = append(sc.dest, &sc.blob)
	}
	sc.vals = make([]any, len(s.fields))
	for i, f := range s.fields {
		col := "t." + quoteID(f.Name)
		if f.Type == DateTime || f.Type == Date {
			// As an expression the column has no declared type, so the
			// driver hands over the text instead of trying its own list of
			// layouts; valueOut parses the GeoPackage form quickly.
			col = "CAST(" + col + " AS TEXT)"
		}
		cols = append(cols, col)
		sc.dest = append(sc.dest, &sc.vals[i])
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + quoteID(s.name) + " AS t"
	var args []any
	if sc.bound != nil {
		rtree := rtreeName(s.name, s.geomCol)
		has, err := sc.r.HasTable(rtree)
		if err != nil {
			sc.err = err
			return
		}
		if has {
			b := sc.bound
			q += " JOIN " + quoteID(rtree) + " AS r ON r.id = t." + quoteID(s.pk) +
				" WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?"
			args = []any{b.Min[0], b.Max[0], b.Min[1], b.Max[1]}
		}
	}
	q += " ORDER BY t." + quoteID(s.pk)
	sc.rows, sc.err = sc.r.q.QueryContext(sc.r.ctx, q, args...)
	if sc.err != nil {
		sc.err = fmt.Errorf("gpkg: %s: layer %s: %w", sc.r.file, sc.name, sc.err)
	}
}

// Scan advances to the next row and reports whether there is one.
func (sc *Scanner) Scan() bool {
	if !sc.opened {
		sc.open()
	}
	if sc.err != nil || sc.rows == nil {
		return false
	}
	for {
		if !sc.rows.Next() {
			if err := sc.rows.Err(); err != nil {
				sc.err = fmt.Errorf("gpkg: %s: layer %s: %w", sc.r.file, sc.name, err)
			}
			sc.Close()
			return false
		}
		sc.blob = nil
		if err := sc.rows.Scan(sc.dest...); err != nil {
			sc.err = fmt.Errorf("gpkg: %s: layer %s: %w", sc.r.file, sc.name, err)
			sc.Close()
			return false
		}
		sc.geom = nil
		if sc.blob != nil {
			g, err := DecodeGeometry(sc.blob)
			if err != nil {
				sc.err = fmt.Errorf("gpkg: %s: layer %s fid %d: %w", sc.r.file, sc.name, sc.fid, err)
				sc.Close()
				return false
			}
			sc.geom = g
		}
		if sc.bound == nil || sc.inBound() {
			break
		}
	}
	sc.out = make([]any, len(sc.vals))
	for i, v := range sc.vals {
		sc.out[i] = valueOut(sc.s.fields[i].Type, v)
	}
	return true
}

// inBound reports whether the current geometry's box meets the window; the
// R-tree's float32 boxes are slightly larger than the geometries.
func (sc *Scanner) inBound() bool {
	if sc.geom == nil {
		return false
	}
	env, err := geometryEnvelope(sc.geom, 0)
	if err != nil || env.empty {
		return false
	}
	b := sc.bound
	return env.maxX >= b.Min[0] && env.minX <= b.Max[0] && env.maxY >= b.Min[1] && env.minY <= b.Max[1]
}

// FID returns the current row's primary key.
func (sc *Scanner) FID() int64 { return sc.fid }

// Geometry returns the current row's geometry, nil for NULL or for an
// attribute table.
func (sc *Scanner) Geometry() orb.Geometry { return sc.geom }

// Values returns the current row's attributes in field order, typed as
// documented on FieldType (nil for NULL). The slice is new for every row.
func (sc *Scanner) Values() []any { return sc.out }

// Err returns the first error met, if any.
func (sc *Scanner) Err() error { return sc.err }

// Close releases the query. It is safe to call more than once.
func (sc *Scanner) Close() error {
	if sc.rows == nil {
		return nil
	}
	err := sc.rows.Close()
	sc.rows = nil
	return err
}

// valueOut normalises what the driver returned to the Go type documented
// for the field type; values of another storage class pass through.
func valueOut(t FieldType, v any) any {
	switch t {
	case Integer:
		switch x := v.(type) {
		case bool:
			if x {
				return int64(1)
			}
			return int64(0)
		case time.Time:
			return x.Unix()
		}
	case Real:
		if x, ok := v.(int64); ok {
			return float64(x)
		}
	case Text:
		switch x := v.(type) {
		case []byte:
			return string(x)
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano)
		}
	case Blob:
		if x, ok := v.(string); ok {
			return []byte(x)
		}
	case Boolean:
		if x, ok := v.(int64); ok {
			return x != 0
		}
	case DateTime, Date:
		switch x := v.(type) {
		case time.Time:
			return x.UTC()
		case string:
			if tm, ok := parseTime(x); ok {
				return tm
			}
		case []byte:
			if tm, ok := parseTime(string(x)); ok {
				return tm
			}
			return string(x)
		}
	}
	return v
}

// parseTime parses the GeoPackage DATETIME and DATE forms, and other ISO
// 8601 forms GDAL and QGIS write.
func parseTime(s string) (time.Time, bool) {
	if t, ok := parseCanonical(s); ok {
		return t, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// parseCanonical parses "2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05Z"
// and "2006-01-02" without time.Parse, which dominates scanning otherwise.
func parseCanonical(s string) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if len(s) != 10 && len(s) != 20 && len(s) != 24 {
		return time.Time{}, false
	}
	if s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	if !ok1 || !ok2 || !ok3 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	var h, mi, sec, ms int
	if len(s) > 10 {
		if s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[len(s)-1] != 'Z' {
			return time.Time{}, false
		}
		var ok4, ok5, ok6 bool
		h, ok4 = num(11, 2)
		mi, ok5 = num(14, 2)
		sec, ok6 = num(17, 2)
		if !ok4 || !ok5 || !ok6 || h > 23 || mi > 59 || sec > 59 {
			return time.Time{}, false
		}
		if len(s) == 24 {
			var ok bool
			if ms, ok = num(20, 3); !ok || s[19] != '.' {
				return time.Time{}, false
			}
		}
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), time.UTC)
	if t.Day() != d { // e.g. February 30
		return time.Time{}, false
	}
	return t, true
}
