package gpkg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/lastmile-health/lastmile/data"
	sqlite3 "github.com/mattn/go-sqlite3"
	"github.com/paulmach/orb"
)

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader holds the read methods DB and Tx share.
type reader struct {
	q    queryer
	ctx  context.Context
	file string // for error messages
}

// Reader is what *DB and *Tx have in common, for code that reads a
// GeoPackage either after it was written or inside an Update.
type Reader interface {
	Layers() ([]LayerInfo, error)
	Scan(name string) *Scanner
	ScanBound(name string, b orb.Bound) *Scanner
	HasTable(name string) (bool, error)
	// Query and QueryRow run SQL on the database or transaction.
	Query(query string, args ...any) (*sql.Rows, error)
	QueryRow(query string, args ...any) *sql.Row
}

var (
	_ Reader = (*DB)(nil)
	_ Reader = (*Tx)(nil)
)

// DB is a GeoPackage opened read-only by Open. It is safe for concurrent
// use by several goroutines, as *sql.DB is.
type DB struct {
	reader
	db *sql.DB
}

// Open opens the GeoPackage at path read-only. It fails with an error
// wrapping data.ErrFormat (a *data.ParseError naming the file) when the file
// is not an SQLite database or not a GeoPackage (application_id 'GPKG',
// 'GP10' or 'GP11', and a gpkg_contents table).
func Open(path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("gpkg: %w", err)
	}
	db, err := sql.Open(driverName, "file:"+escapePath(path)+"?mode=ro&_query_only=1")
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", path, err)
	}
	ctx := context.Background()
	if _, err := checkGeoPackage(ctx, db, path); err != nil {
		db.Close()
		return nil, err
	}
	return &DB{reader: reader{q: db, ctx: ctx, file: path}, db: db}, nil
}

// escapePath makes a file name safe inside an SQLite URI.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// formatError returns the error Open and Update give for a file that is
// not a GeoPackage.
func formatError(path string, format string, args ...any) error {
	return &data.ParseError{File: path, Err: fmt.Errorf("%w: not a GeoPackage: "+format, append([]any{data.ErrFormat}, args...)...)}
}

// sqliteOpenError classifies an error from opening or first reading a
// file: "not a database" and corruption are format errors naming the file.
func sqliteOpenError(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrNotADB || se.Code == sqlite3.ErrCorrupt) {
		return formatError(path, "%v", err)
	}
	return fmt.Errorf("gpkg: %s: %w", path, err)
}

// checkGeoPackage checks the application_id and the gpkg_contents table,
// and returns user_version.
func checkGeoPackage(ctx context.Context, q queryer, path string) (int, error) {
	var appID int64
	if err := q.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, sqliteOpenError(path, err)
	}
	switch uint32(appID) {
	case applicationID, 0x47503130, 0x47503131: // GPKG, GP10, GP11
	default:
		return 0, formatError(path, "application_id is 0x%08x, want 0x%08x", uint32(appID), applicationID)
	}
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('gpkg_contents', 'gpkg_spatial_ref_sys')").Scan(&n); err != nil {
		return 0, sqliteOpenError(path, err)
	}
	if n != 2 {
		return 0, formatError(path, "gpkg_contents or gpkg_spatial_ref_sys table missing")
	}
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, sqliteOpenError(path, err)
	}
	return v, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// SQL returns the underlying database for custom queries. It is read-only.
func (db *DB) SQL() *sql.DB { return db.db }

// Query runs a query that returns rows (see database/sql).
func (r *reader) Query(query string, args ...any) (*sql.Rows, error) {
	return r.q.QueryContext(r.ctx, query, args...)
}

// QueryRow runs a query that returns at most one row (see database/sql).
func (r *reader) QueryRow(query string, args ...any) *sql.Row {
	return r.q.QueryRowContext(r.ctx, query, args...)
}

// HasTable reports whether a table or view of that name exists (ignoring
// case, as SQLite does).
func (r *reader) HasTable(name string) (bool, error) {
	var n int
	err := r.q.QueryRowContext(r.ctx, "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = lower(?)", name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("gpkg: %s: %w", r.file, err)
	}
	return n > 0, nil
}

// Layers returns every gpkg_contents row, sorted by name, with its feature
// count and fields.
func (r *reader) Layers() ([]LayerInfo, error) {
	rows, err := r.q.QueryContext(r.ctx, `SELECT c.table_name, c.data_type, COALESCE(c.description, ''),
  c.min_x, c.min_y, c.max_x, c.max_y, COALESCE(g.column_name, ''), COALESCE(g.geometry_type_name, ''), COALESCE(g.srs_id, 0)
FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name)
ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", r.file, err)
	}
	var out []LayerInfo
	for rows.Next() {
		var li LayerInfo
		var minX, minY, maxX, maxY sql.NullFloat64
		var gt string
		if err := rows.Scan(&li.Name, &li.DataType, &li.Description, &minX, &minY, &maxX, &maxY, &li.GeomColumn, &gt, &li.SRSID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("gpkg: %s: %w", r.file, err)
		}
		li.GeomType = GeometryType(strings.ToUpper(gt))
		li.Bound = orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		if minX.Valid && minY.Valid && maxX.Valid && maxY.Valid {
			li.Bound = orb.Bound{Min: orb.Point{minX.Float64, minY.Float64}, Max: orb.Point{maxX.Float64, maxY.Float64}}
		}
		out = append(out, li)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", r.file, err)
	}
	rows.Close()
	for i := range out {
		li := &out[i]
		if err := r.q.QueryRowContext(r.ctx, "SELECT count(*) FROM "+quoteID(li.Name)).Scan(&li.Count); err != nil {
			return nil, fmt.Errorf("gpkg: %s: layer %s: %w", r.file, li.Name, err)
		}
		if li.DataType == "features" || li.DataType == "attributes" {
			s, err := r.schema(li.Name)
			if err != nil {
				return nil, err
			}
			li.Fields = s.fields
		}
	}
	return out, nil
}

// tableSchema is what the package needs to know about a user table.
type tableSchema struct {
	name     string // as stored in gpkg_contents
	dataType string
	geomCol  string // "" for attribute tables
	geomType GeometryType
	srsID    int
	pk       string
	fields   []Field
}

var errNoLayer = errors.New("gpkg: no such layer")

// schema reads a user table's metadata and columns.
func (r *reader) schema(name string) (*tableSchema, error) {
	s := &tableSchema{}
	err := r.q.QueryRowContext(r.ctx, "SELECT table_name, data_type FROM gpkg_contents WHERE lower(table_name) = lower(?)", name).Scan(&s.name, &s.dataType)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %s in %s", errNoLayer, name, r.file)
	}
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: %w", r.file, err)
	}
	if s.dataType == "features" {
		var gt string
		err := r.q.QueryRowContext(r.ctx, "SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", name).Scan(&s.geomCol, &gt, &s.srsID)
		if err != nil {
			return nil, fmt.Errorf("gpkg: %s: layer %s: gpkg_geometry_columns: %w", r.file, name, err)
		}
		s.geomType = GeometryType(strings.ToUpper(gt))
	}
	rows, err := r.q.QueryContext(r.ctx, "PRAGMA table_info("+quoteID(s.name)+")")
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: layer %s: %w", r.file, name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid, notNull, pk int
		var col, typ string
		var def sql.NullString
		if err := rows.Scan(&cid, &col, &typ, &notNull, &def, &pk); err != nil {
			return nil, fmt.Errorf("gpkg: %s: layer %s: %w", r.file, name, err)
		}
		switch {
		case pk == 1 && s.pk == "":
			s.pk = col
		case s.geomCol != "" && strings.EqualFold(col, s.geomCol):
		default:
			s.fields = append(s.fields, Field{Name: col, Type: fieldTypeFromSQL(typ), NotNull: notNull != 0})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gpkg: %s: layer %s: %w", r.file, name, err)
	}
	if s.pk == "" && len(s.fields) > 0 && s.fields[0].Type == Integer {
		// A view has no primary key: its first INTEGER column stands in
		// for one (see View).
		var isView int
		if err := r.q.QueryRowContext(r.ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name = ?", s.name).Scan(&isView); err != nil {
			return nil, fmt.Errorf("gpkg: %s: layer %s: %w", r.file, name, err)
		}
		if isView > 0 {
			s.pk, s.fields = s.fields[0].Name, s.fields[1:]
		}
	}
	if s.pk == "" {
		return nil, fmt.Errorf("gpkg: %s: layer %s has no integer primary key", r.file, name)
	}
	return s, nil
}

// Scan returns a Scanner over every row of the layer or table, in fid
// order. Errors (no such layer, a bad geometry) are reported by sc.Err after
// sc.Scan returns false.
func (r *reader) Scan(name string) *Scanner {
	return &Scanner{r: r, name: name}
}

// ScanBound is Scan limited to the features whose geometry's bounding box
// intersects b (edges included), found through the R-tree index (or a full
// scan when the layer has none). Rows with NULL or empty geometries are
// never returned. Inside a Tx, rows of a Writer that is still open are not
// in the index yet and are missed.
func (r *reader) ScanBound(name string, b orb.Bound) *Scanner {
	return &Scanner{r: r, name: name, bound: &b}
}
