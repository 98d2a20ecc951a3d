package gpkg

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/paulmach/orb"
)

// GeometryType is a layer's geometry_type_name in gpkg_geometry_columns.
type GeometryType string

// The geometry types a layer can declare. Geometry accepts any geometry,
// including collections.
const (
	Point           GeometryType = "POINT"
	LineString      GeometryType = "LINESTRING"
	Polygon         GeometryType = "POLYGON"
	MultiPoint      GeometryType = "MULTIPOINT"
	MultiLineString GeometryType = "MULTILINESTRING"
	MultiPolygon    GeometryType = "MULTIPOLYGON"
	Geometry        GeometryType = "GEOMETRY"
)

// accepts reports whether a layer of type t may store g (already normalized).
func (t GeometryType) accepts(g orb.Geometry) bool {
	switch g.(type) {
	case orb.Point:
		return t == Point || t == Geometry
	case orb.LineString:
		return t == LineString || t == Geometry
	case orb.Polygon:
		return t == Polygon || t == Geometry
	case orb.MultiPoint:
		return t == MultiPoint || t == Geometry
	case orb.MultiLineString:
		return t == MultiLineString || t == Geometry
	case orb.MultiPolygon:
		return t == MultiPolygon || t == Geometry
	case orb.Collection:
		return t == Geometry
	}
	return false
}

func (t GeometryType) valid() bool {
	switch t {
	case Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon, Geometry:
		return true
	}
	return false
}

// FieldType is the SQL type of an attribute column, one of the GeoPackage
// data types (spec table 1).
type FieldType int

// Field types and the Go values Writer.Insert accepts and Scanner.Values
// returns for them (nil is NULL in both directions):
//
//	Integer   INTEGER   int, int8..int64, uint8..uint32 (and uint/uint64 that fit) → int64
//	Real      REAL      float32, float64, any integer → float64
//	Text      TEXT      string → string
//	Blob      BLOB      []byte → []byte
//	Boolean   BOOLEAN   bool → bool (stored as 0/1)
//	DateTime  DATETIME  time.Time (stored in UTC as 2006-01-02T15:04:05.000Z, see
//	                    FormatDateTime) or an ISO 8601 string as is
//	                    → time.Time (string if it does not parse)
//	Date      DATE      time.Time (stored as 2006-01-02) or string → time.Time
const (
	Integer FieldType = iota
	Real
	Text
	Blob
	Boolean
	DateTime
	Date
)

var fieldTypeNames = [...]string{"INTEGER", "REAL", "TEXT", "BLOB", "BOOLEAN", "DATETIME", "DATE"}

// String returns the SQL type name.
func (t FieldType) String() string {
	if t < 0 || int(t) >= len(fieldTypeNames) {
		return fmt.Sprintf("FieldType(%d)", int(t))
	}
	return fieldTypeNames[t]
}

// fieldTypeFromSQL maps a declared column type to a FieldType, following
// SQLite affinity for the names the spec allows (TEXT(n), BLOB(n), the
// sized integers, FLOAT/DOUBLE).
func fieldTypeFromSQL(decl string) FieldType {
	d := strings.ToUpper(strings.TrimSpace(decl))
	if i := strings.IndexByte(d, '('); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	switch d {
	case "BOOLEAN":
		return Boolean
	case "DATETIME", "TIMESTAMP":
		return DateTime
	case "DATE":
		return Date
	}
	switch {
	case strings.Contains(d, "INT"):
		return Integer
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return Text
	case d == "" || strings.Contains(d, "BLOB"):
		return Blob
	}
	return Real
}

// Field is an attribute column.
type Field struct {
	Name    string
	Type    FieldType
	NotNull bool
}

// Layer describes a feature table: fid INTEGER PRIMARY KEY, a geometry
// column "geom" of GeomType in EPSG:4326, then Fields in order.
type Layer struct {
	Name, Description string
	GeomType          GeometryType
	Fields            []Field
}

// Table describes an attributes-only table (data_type 'attributes'): fid
// INTEGER PRIMARY KEY, then Fields in order.
type Table struct {
	Name, Description string
	Fields            []Field
}

// LayerInfo describes one gpkg_contents row.
type LayerInfo struct {
	Name        string
	DataType    string // "features", "attributes" (or "tiles" etc. in files from other tools)
	Description string
	// GeomType and GeomColumn are empty for attribute tables.
	GeomType   GeometryType
	GeomColumn string
	// SRSID is the layer's srs_id (4326 for layers this package writes;
	// 0 for attribute tables). Geometries of other systems are returned
	// in their own coordinates.
	SRSID int
	Count int64
	// Bound is the extent recorded in gpkg_contents; Bound.IsEmpty() is
	// true when none is recorded (no geometries).
	Bound  orb.Bound
	Fields []Field
}

// Column names of the tables this package creates.
const (
	fidColumn  = "fid"
	geomColumn = "geom"
)

// checkTableName rejects names the package must not create or drop: empty,
// with control characters, or in the gpkg_/rtree_/sqlite_ namespaces.
func checkTableName(name string) error {
	if name == "" {
		return fmt.Errorf("gpkg: empty table name")
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return fmt.Errorf("gpkg: table name %q has control characters", name)
	}
	l := strings.ToLower(name)
	for _, p := range []string{"gpkg_", "rtree_", "sqlite_"} {
		if strings.HasPrefix(l, p) {
			return fmt.Errorf("gpkg: table name %q is reserved (prefix %s)", name, p)
		}
	}
	return nil
}

// checkFields checks names (non-empty, no control characters, unique
// ignoring case, not fid or geom) and types.
func checkFields(table string, fields []Field) error {
	seen := map[string]bool{fidColumn: true, geomColumn: true}
	for _, f := range fields {
		if err := checkField(table, f); err != nil {
			return err
		}
		l := strings.ToLower(f.Name)
		if seen[l] {
			return fmt.Errorf("gpkg: %s: duplicate or reserved field name %q", table, f.Name)
		}
		seen[l] = true
	}
	return nil
}

func checkField(table string, f Field) error {
	if f.Name == "" {
		return fmt.Errorf("gpkg: %s: empty field name", table)
	}
	if strings.IndexFunc(f.Name, unicode.IsControl) >= 0 {
		return fmt.Errorf("gpkg: %s: field name %q has control characters", table, f.Name)
	}
	if f.Type < 0 || int(f.Type) >= len(fieldTypeNames) {
		return fmt.Errorf("gpkg: %s: field %q has unknown type %d", table, f.Name, int(f.Type))
	}
	return nil
}

// quoteID quotes an SQL identifier.
func quoteID(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func columnDef(f Field) string {
	s := quoteID(f.Name) + " " + f.Type.String()
	if f.NotNull {
		s += " NOT NULL"
	}
	return s
}
