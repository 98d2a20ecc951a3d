package gpkg

import (
	"fmt"
	"strings"
)

// View describes an SQL view registered in gpkg_contents as an attributes
// table, so that QGIS and GDAL list it beside the layers (GeoPackage 1.3,
// clause 2.1.6: a contents row may name a view).
//
// The spec asks of an attributes view what it asks of a table: every column
// declared with a GeoPackage data type, and a first column of type INTEGER
// with unique values that stands in for the primary key (GDAL's
// validate_gpkg.py requirements 5 and 151). SQLite gives a view column a
// declared type only when it is a plain column reference: an aggregate has
// none, a CAST has none before SQLite 3.41 (GDAL's and QGIS's SQLite may be
// older than lastmile's). Write the view as a compound SELECT whose first
// arm reads typed columns of a table and returns no row, and CAST every
// computed column of the second arm to the same type (SELECT fid AS fid, …
// FROM t WHERE 0 UNION ALL SELECT CAST(… AS INTEGER), …): older SQLite
// takes the first arm's types, newer SQLite keeps a type the arms agree on.
type View struct {
	Name, Description string
	// Select is the view's query (SELECT …, without CREATE VIEW).
	Select string
}

// CreateView creates the view v, replacing any layer, table or view of
// that name (DropLayer), and registers it in gpkg_contents with data_type
// 'attributes'. It fails, naming the column, when a column has no
// GeoPackage data type or the first column is not INTEGER. The tables it
// reads must exist; a view is not refreshed: it is evaluated when read.
func (tx *Tx) CreateView(v View) error {
	if err := checkTableName(v.Name); err != nil {
		return err
	}
	if err := tx.DropLayer(v.Name); err != nil {
		return err
	}
	if err := tx.exec("CREATE VIEW " + quoteID(v.Name) + " AS " + v.Select); err != nil {
		return err
	}
	if err := tx.checkViewColumns(v.Name); err != nil {
		return err
	}
	return tx.exec("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
		v.Name, v.Name, v.Description, tx.lastChange())
}

// checkViewColumns checks the declared types the spec requires of an
// attributes view.
func (tx *Tx) checkViewColumns(name string) error {
	rows, err := tx.tx.QueryContext(tx.ctx, "PRAGMA table_info("+quoteID(name)+")")
	if err != nil {
		return fmt.Errorf("gpkg: %s: view %s: %w", tx.file, name, err)
	}
	defer rows.Close()
	first := true
	for rows.Next() {
		var cid, notNull, pk int
		var col, typ string
		var def any
		if err := rows.Scan(&cid, &col, &typ, &notNull, &def, &pk); err != nil {
			return fmt.Errorf("gpkg: %s: view %s: %w", tx.file, name, err)
		}
		t := strings.ToUpper(strings.TrimSpace(typ))
		switch {
		case first && t != "INTEGER":
			return fmt.Errorf("gpkg: %s: view %s: first column %s has type %q, want INTEGER (a unique id)", tx.file, name, col, typ)
		case !validDataType(t):
			return fmt.Errorf("gpkg: %s: view %s: column %s has no GeoPackage data type (got %q): select a typed column in the view's first arm", tx.file, name, col, typ)
		}
		first = false
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("gpkg: %s: view %s: %w", tx.file, name, err)
	}
	if first {
		return fmt.Errorf("gpkg: %s: view %s has no columns", tx.file, name)
	}
	return nil
}

// validDataType reports whether t (upper case) is a GeoPackage column
// data type (spec table 1), sized TEXT(n) and BLOB(n) included.
func validDataType(t string) bool {
	if i := strings.IndexByte(t, '('); i >= 0 && strings.HasSuffix(t, ")") {
		base := t[:i]
		return base == "TEXT" || base == "BLOB"
	}
	switch t {
	case "BOOLEAN", "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "FLOAT", "DOUBLE", "REAL",
		"TEXT", "BLOB", "DATE", "DATETIME":
		return true
	}
	return false
}
