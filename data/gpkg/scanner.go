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
	cols := []string{quoteID(s.pk)}
	sc.dest = []any{&sc.fid}
	if s.geomCol != "" {
		cols = append(cols, quoteID(s.geomCol))
		sc.dest = append(sc.dest, &sc.blob)
	}
	sc.vals = make([]any, len(s.fields))
	for i, f := range s.fields {
		cols = append(cols, quoteID(f.Name))
		sc.dest = append(sc.dest, &sc.vals[i])
	}
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + quoteID(s.name) + " ORDER BY " + quoteID(s.pk)
	sc.rows, sc.err = sc.r.q.QueryContext(sc.r.ctx, q)
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
	sc.out = make([]any, len(sc.vals))
	for i, v := range sc.vals {
		sc.out[i] = valueOut(sc.s.fields[i].Type, v)
	}
	return true
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

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
