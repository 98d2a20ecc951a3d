package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Tx is a GeoPackage being changed inside Update. It is not safe for
// concurrent use, and is valid only until fn returns.
type Tx struct {
	reader
	// Now is the time written to gpkg_contents.last_change by CreateLayer,
	// CreateTable, AddField and Writer.Close. Update sets it to the current
	// time; set it to a fixed time to make the output reproducible (the same
	// writes then give a byte-identical file).
	Now time.Time

	tx      *sql.Tx
	conn    *sql.Conn          // the connection tx runs on, for the Writer's fast path
	version int                // PRAGMA user_version
	writers map[string]*Writer // open writers by lower-case table name
}

// SQL returns the transaction for custom queries and updates. The
// GeoPackage SQL functions are registered on it, so the R-tree triggers keep
// the index right, except for a layer with an open Writer (whose triggers
// are installed when it closes): change such a layer only through its Writer.
func (tx *Tx) SQL() *sql.Tx { return tx.tx }

// Context returns the context Update was called with.
func (tx *Tx) Context() context.Context { return tx.ctx }

// Version returns the file's PRAGMA user_version (10300 for files this
// package creates).
func (tx *Tx) Version() int { return tx.version }

func (tx *Tx) exec(query string, args ...any) error {
	if _, err := tx.tx.ExecContext(tx.ctx, query, args...); err != nil {
		if cerr := tx.ctx.Err(); cerr != nil {
			return cerr
		}
		return fmt.Errorf("gpkg: %s: %w", tx.file, err)
	}
	return nil
}

func (tx *Tx) lastChange() string {
	return tx.Now.UTC().Format("2006-01-02T15:04:05.000Z")
}

func (tx *Tx) checkNoWriter(name string) error {
	if _, ok := tx.writers[strings.ToLower(name)]; ok {
		return fmt.Errorf("gpkg: %s: layer %s has an open writer", tx.file, name)
	}
	return nil
}

// closeWriters closes every open writer, in name order for determinism.
func (tx *Tx) closeWriters() error {
	var names []string
	for n := range tx.writers {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if w, ok := tx.writers[n]; ok {
			if err := w.Close(); err != nil {
				return err
			}
		}
	}
	return nil
}

// abandonWriters releases the statements of writers left open when Update
// fails, so the temporary file is really closed before it is removed.
func (tx *Tx) abandonWriters() {
	for _, w := range tx.writers {
		w.closed = true
		w.closeStatements()
	}
	clear(tx.writers)
}

// CreateLayer creates a feature table, replacing any layer or table of that
// name completely (DropLayer), and returns a Writer for it. The table has
// fid INTEGER PRIMARY KEY, geom of l.GeomType in EPSG:4326 and l.Fields, an
// R-tree index registered as gpkg_rtree_index, and gpkg_contents and
// gpkg_geometry_columns rows.
func (tx *Tx) CreateLayer(l Layer) (*Writer, error) {
	if err := checkTableName(l.Name); err != nil {
		return nil, err
	}
	if !l.GeomType.valid() {
		return nil, fmt.Errorf("gpkg: layer %s: unknown geometry type %q", l.Name, l.GeomType)
	}
	if err := checkFields(l.Name, l.Fields); err != nil {
		return nil, err
	}
	if err := tx.DropLayer(l.Name); err != nil {
		return nil, err
	}
	cols := []string{quoteID(fidColumn) + " INTEGER PRIMARY KEY NOT NULL", quoteID(geomColumn) + " " + string(l.GeomType)}
	for _, f := range l.Fields {
		cols = append(cols, columnDef(f))
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{"CREATE TABLE " + quoteID(l.Name) + " (" + strings.Join(cols, ", ") + ")", nil},
		{"INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) VALUES (?, 'features', ?, ?, ?, ?)",
			[]any{l.Name, l.Name, l.Description, tx.lastChange(), SRSID}},
		{"INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, 0, 0)",
			[]any{l.Name, geomColumn, string(l.GeomType), SRSID}},
	}
	for _, s := range stmts {
		if err := tx.exec(s.q, s.args...); err != nil {
			return nil, err
		}
	}
	if err := tx.createRTree(l.Name, geomColumn, fidColumn, false); err != nil {
		return nil, err
	}
	s := &tableSchema{name: l.Name, dataType: "features", geomCol: geomColumn, geomType: l.GeomType, srsID: SRSID, pk: fidColumn, fields: append([]Field(nil), l.Fields...)}
	w, err := tx.newWriter(s, envelope{empty: true})
	if err != nil {
		return nil, err
	}
	w.rtreeEmpty = true
	return w, nil
}

// createRTree creates the R-tree table and its gpkg_extensions row, and
// fills it from the table when fill is set. The triggers come later, when
// the writer closes.
func (tx *Tx) createRTree(t, c, i string, fill bool) error {
	if err := tx.exec(extensionsSchemaIfMissing); err != nil {
		return err
	}
	if err := tx.exec(createRTreeSQL(t, c)); err != nil {
		return err
	}
	if fill {
		if err := tx.exec(fillRTreeSQL(t, c, i)); err != nil {
			return err
		}
	}
	return tx.exec("INSERT OR REPLACE INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES (?, ?, ?, ?, ?)",
		t, c, rtreeExtension, rtreeDefinition, rtreeScope)
}

var extensionsSchemaIfMissing = strings.Replace(extensionsSchema, "CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1)

// CreateTable creates an attributes-only table (data_type 'attributes'),
// replacing any layer or table of that name completely, and returns a
// Writer for it (pass nil geometries).
func (tx *Tx) CreateTable(t Table) (*Writer, error) {
	if err := checkTableName(t.Name); err != nil {
		return nil, err
	}
	if err := checkFields(t.Name, t.Fields); err != nil {
		return nil, err
	}
	if err := tx.DropLayer(t.Name); err != nil {
		return nil, err
	}
	cols := []string{quoteID(fidColumn) + " INTEGER PRIMARY KEY NOT NULL"}
	for _, f := range t.Fields {
		cols = append(cols, columnDef(f))
	}
	if err := tx.exec("CREATE TABLE " + quoteID(t.Name) + " (" + strings.Join(cols, ", ") + ")"); err != nil {
		return nil, err
	}
	if err := tx.exec("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
		t.Name, t.Name, t.Description, tx.lastChange()); err != nil {
		return nil, err
	}
	s := &tableSchema{name: t.Name, dataType: "attributes", pk: fidColumn, fields: append([]Field(nil), t.Fields...)}
	return tx.newWriter(s, envelope{empty: true})
}

// AppendLayer returns a Writer that adds features to an existing feature
// table (also one written by another tool: its primary key, geometry
// column and fields are read from the file). A missing R-tree index is
// created and filled.
func (tx *Tx) AppendLayer(name string) (*Writer, error) {
	return tx.appendTo(name, "features")
}

// AppendTable returns a Writer that adds rows to an existing attributes
// table.
func (tx *Tx) AppendTable(name string) (*Writer, error) {
	return tx.appendTo(name, "attributes")
}

func (tx *Tx) appendTo(name, dataType string) (*Writer, error) {
	if err := tx.checkNoWriter(name); err != nil {
		return nil, err
	}
	s, err := tx.schema(name)
	if err != nil {
		return nil, err
	}
	if s.dataType != dataType {
		return nil, fmt.Errorf("gpkg: %s: %s is a %s table, not %s", tx.file, name, s.dataType, dataType)
	}
	if dataType == "features" && s.srsID != SRSID {
		// Writers encode EPSG:4326 blobs; mixing systems in one layer
		// would corrupt it.
		return nil, fmt.Errorf("gpkg: %s: layer %s has srs_id %d; only EPSG:4326 (4326) layers can be written", tx.file, name, s.srsID)
	}
	env := envelope{empty: true}
	if dataType == "features" {
		var minX, minY, maxX, maxY sql.NullFloat64
		if err := tx.tx.QueryRowContext(tx.ctx, "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", s.name).
			Scan(&minX, &minY, &maxX, &maxY); err != nil {
			return nil, fmt.Errorf("gpkg: %s: layer %s: %w", tx.file, name, err)
		}
		recompute := true
		if minX.Valid && minY.Valid && maxX.Valid && maxY.Valid {
			env = envelope{minX: minX.Float64, maxX: maxX.Float64, minY: minY.Float64, maxY: maxY.Float64}
			recompute = false
		}
		has, err := tx.HasTable(rtreeName(s.name, s.geomCol))
		if err != nil {
			return nil, err
		}
		if !has {
			if err := tx.createRTree(s.name, s.geomCol, s.pk, true); err != nil {
				return nil, err
			}
		}
		if err := tx.dropTriggers(s.name, s.geomCol); err != nil {
			return nil, err
		}
		var nonEmpty int
		if err := tx.tx.QueryRowContext(tx.ctx, "SELECT EXISTS (SELECT 1 FROM "+quoteID(rtreeName(s.name, s.geomCol))+")").Scan(&nonEmpty); err != nil {
			return nil, fmt.Errorf("gpkg: %s: layer %s: %w", tx.file, name, err)
		}
		if nonEmpty == 0 {
			// An empty index over a table with geometries was left
			// incomplete by some other tool: rebuild it before adding to it.
			if err := tx.exec(fillRTreeSQL(s.name, s.geomCol, s.pk)); err != nil {
				return nil, err
			}
			if err := tx.tx.QueryRowContext(tx.ctx, "SELECT EXISTS (SELECT 1 FROM "+quoteID(rtreeName(s.name, s.geomCol))+")").Scan(&nonEmpty); err != nil {
				return nil, fmt.Errorf("gpkg: %s: layer %s: %w", tx.file, name, err)
			}
		}
		w, err := tx.newWriter(s, env)
		if err != nil {
			return nil, err
		}
		w.dirty = recompute
		w.rtreeEmpty = nonEmpty == 0
		return w, nil
	}
	return tx.newWriter(s, env)
}

func (tx *Tx) dropTriggers(t, c string) error {
	for _, suf := range triggerSuffixes {
		if err := tx.exec("DROP TRIGGER IF EXISTS " + quoteID(rtreeName(t, c)+"_"+suf)); err != nil {
			return err
		}
	}
	return nil
}

// AddField adds a column to a layer or table (ALTER TABLE ADD COLUMN) and
// updates its last_change. Existing rows get NULL, so f.NotNull is refused.
// The layer must not have an open Writer.
func (tx *Tx) AddField(layer string, f Field) error {
	if err := tx.checkNoWriter(layer); err != nil {
		return err
	}
	s, err := tx.schema(layer)
	if err != nil {
		return err
	}
	if f.NotNull {
		return fmt.Errorf("gpkg: %s: layer %s: cannot add NOT NULL field %s to existing rows", tx.file, layer, f.Name)
	}
	if err := checkFields(s.name, append(append([]Field{{Name: s.pk}}, s.fields...), f)[1:]); err != nil {
		return err
	}
	if strings.EqualFold(f.Name, s.pk) || (s.geomCol != "" && strings.EqualFold(f.Name, s.geomCol)) {
		return fmt.Errorf("gpkg: %s: layer %s: field %s exists", tx.file, layer, f.Name)
	}
	if err := tx.exec("ALTER TABLE " + quoteID(s.name) + " ADD COLUMN " + columnDef(f)); err != nil {
		return err
	}
	return tx.exec("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", tx.lastChange(), s.name)
}

// CreateIndex creates an index named idx_<table>_<field>[_<field>…] on
// the fields of a layer or table (UNIQUE when unique is set), replacing an
// index of that name. It is dropped with the layer.
func (tx *Tx) CreateIndex(table string, unique bool, fields ...string) error {
	if err := checkTableName(table); err != nil {
		return err
	}
	if len(fields) == 0 {
		return fmt.Errorf("gpkg: %s: index on %s needs fields", tx.file, table)
	}
	name := "idx_" + table + "_" + strings.Join(fields, "_")
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = quoteID(f)
	}
	if err := tx.exec("DROP INDEX IF EXISTS " + quoteID(name)); err != nil {
		return err
	}
	kind := "INDEX"
	if unique {
		kind = "UNIQUE INDEX"
	}
	return tx.exec("CREATE " + kind + " " + quoteID(name) + " ON " + quoteID(table) + " (" + strings.Join(cols, ", ") + ")")
}

// DropLayer removes a layer or table and everything that belongs to it:
// the table (and with it its triggers and indexes), its R-tree, and its rows
// in gpkg_contents, gpkg_geometry_columns, gpkg_extensions and the other
// metadata tables that exist. It is not an error if there is no such layer.
func (tx *Tx) DropLayer(name string) error {
	if err := checkTableName(name); err != nil {
		return err
	}
	if err := tx.checkNoWriter(name); err != nil {
		return err
	}
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT table_name, column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)", name)
	if err != nil {
		return fmt.Errorf("gpkg: %s: %w", tx.file, err)
	}
	var rtrees []string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return fmt.Errorf("gpkg: %s: %w", tx.file, err)
		}
		rtrees = append(rtrees, rtreeName(t, c))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("gpkg: %s: %w", tx.file, err)
	}
	for _, r := range rtrees {
		if err := tx.exec("DROP TABLE IF EXISTS " + quoteID(r)); err != nil {
			return err
		}
	}
	var typ string
	err = tx.tx.QueryRowContext(tx.ctx, "SELECT type FROM sqlite_master WHERE type IN ('table', 'view') AND lower(name) = lower(?)", name).Scan(&typ)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return fmt.Errorf("gpkg: %s: %w", tx.file, err)
	case typ == "view":
		if err := tx.exec("DROP VIEW " + quoteID(name)); err != nil {
			return err
		}
	default:
		if err := tx.exec("DROP TABLE " + quoteID(name)); err != nil {
			return err
		}
	}
	for _, meta := range []string{"gpkg_extensions", "gpkg_geometry_columns", "gpkg_data_columns", "gpkg_metadata_reference", "gpkg_ogr_contents", "gpkg_tile_matrix", "gpkg_tile_matrix_set", "gpkg_contents"} {
		ok, err := tx.HasTable(meta)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := tx.exec("DELETE FROM "+meta+" WHERE lower(table_name) = lower(?)", name); err != nil {
			return err
		}
	}
	return nil
}

// SetCacheSize bounds SQLite's page cache for the rest of the update to
// about bytes (Update's default is 256 MiB). A long append-only import
// needs far less: a smaller cache lowers peak memory at the same speed.
func (tx *Tx) SetCacheSize(bytes int64) error {
	return tx.exec(fmt.Sprintf("PRAGMA cache_size = %d", -max(bytes>>10, 1024)))
}
