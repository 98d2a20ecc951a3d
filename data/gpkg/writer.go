package gpkg

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
	"github.com/paulmach/orb"
)

// Writer adds, changes and deletes rows of one layer or table inside a Tx.
// Inserted rows reach the R-tree index in bulk, at Close (or before the
// next Update or Delete); updated and deleted rows at once. Close finishes
// the layer (index, extent and last_change in gpkg_contents, the R-tree
// triggers), so check its error; Update closes writers fn left open. While
// a Writer is open its layer has no R-tree triggers: change that layer only
// through the Writer. A Writer is not safe for concurrent use.
type Writer struct {
	tx *Tx
	s  *tableSchema

	upd, del           *sql.Stmt
	ins                *sqlite3.SQLiteStmt // used only inside conn.Raw
	nv                 []driver.NamedValue
	res                driver.Result
	resErr             error
	rawExec            func(any) error
	rtreeIns, rtreeDel *sql.Stmt
	args, rtreeArgs    []any
	buf                []byte
	env                envelope
	dirty              bool      // rows changed or deleted: recompute the extent at Close
	pending            []rtEntry // boxes of inserted rows not yet in the R-tree
	rtreeEmpty         bool      // the R-tree has no entries: bulk load it
	closed             bool
	features           bool
	insertSQL, setSQL  string
	rtreeTable         string
}

func (tx *Tx) newWriter(s *tableSchema, env envelope) (*Writer, error) {
	w := &Writer{tx: tx, s: s, env: env, features: s.geomCol != ""}
	var cols, marks, sets []string
	if w.features {
		cols = append(cols, quoteID(s.geomCol))
		marks = append(marks, "?")
		sets = append(sets, quoteID(s.geomCol)+" = ?")
	}
	for _, f := range s.fields {
		cols = append(cols, quoteID(f.Name))
		marks = append(marks, "?")
		sets = append(sets, quoteID(f.Name)+" = ?")
	}
	t := quoteID(s.name)
	if len(cols) == 0 {
		w.insertSQL = "INSERT INTO " + t + " DEFAULT VALUES"
	} else {
		w.insertSQL = "INSERT INTO " + t + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
	}
	if len(sets) == 0 {
		sets = []string{quoteID(s.pk) + " = " + quoteID(s.pk)} // nothing to set: only check the row exists
	}
	w.setSQL = "UPDATE " + t + " SET " + strings.Join(sets, ", ") + " WHERE " + quoteID(s.pk) + " = ?"
	// Inserts bypass database/sql: converting and checking every argument
	// there costs about as much as SQLite's own work for a row. The driver
	// statement is prepared and run only inside conn.Raw, which holds the
	// connection the transaction runs on.
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		st, err := c.Prepare(w.insertSQL)
		if err != nil {
			return err
		}
		w.ins = st.(*sqlite3.SQLiteStmt)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gpkg: %s: layer %s: %w", tx.file, s.name, err)
	}
	w.nv = make([]driver.NamedValue, len(cols))
	for i := range w.nv {
		w.nv[i].Ordinal = i + 1
	}
	w.rawExec = func(any) error {
		w.res, w.resErr = w.ins.ExecContext(context.Background(), w.nv)
		return nil
	}
	if w.features {
		w.rtreeTable = quoteID(rtreeName(s.name, s.geomCol))
		if w.rtreeIns, err = tx.tx.PrepareContext(tx.ctx, "INSERT OR REPLACE INTO "+w.rtreeTable+" VALUES (?, ?, ?, ?, ?)"); err != nil {
			w.ins.Close()
			return nil, fmt.Errorf("gpkg: %s: layer %s: %w", tx.file, s.name, err)
		}
		w.rtreeArgs = make([]any, 5)
	}
	w.args = make([]any, len(cols), len(cols)+1)
	tx.writers[strings.ToLower(s.name)] = w
	return w, nil
}

// Name returns the layer or table name.
func (w *Writer) Name() string { return w.s.name }

// Fields returns the attribute columns, in the order Insert takes values.
func (w *Writer) Fields() []Field { return w.s.fields }

var errClosed = errors.New("gpkg: writer is closed")

// bind fills w.args from g and values, and returns the geometry envelope.
func (w *Writer) bind(g orb.Geometry, values []any) (envelope, error) {
	env := envelope{empty: true}
	if len(values) != len(w.s.fields) {
		return env, fmt.Errorf("gpkg: layer %s: got %d values, want %d", w.s.name, len(values), len(w.s.fields))
	}
	args := w.args[:0]
	if w.features {
		if isNil(g) {
			args = append(args, nil)
		} else {
			g, err := normalize(g)
			if err != nil {
				return env, fmt.Errorf("gpkg: layer %s: %w", w.s.name, err)
			}
			if !w.s.geomType.accepts(g) {
				return env, fmt.Errorf("%w: layer %s is %s, got %s", ErrGeometry, w.s.name, w.s.geomType, typeName(g))
			}
			w.buf, env, err = appendGeometry(w.buf[:0], g)
			if err != nil {
				return env, fmt.Errorf("gpkg: layer %s: %w", w.s.name, err)
			}
			args = append(args, w.buf)
		}
	} else if !isNil(g) {
		return env, fmt.Errorf("gpkg: table %s has no geometry column", w.s.name)
	}
	for i, v := range values {
		f := w.s.fields[i]
		a, err := valueIn(f, v)
		if err != nil {
			return env, fmt.Errorf("gpkg: layer %s: field %s: %w", w.s.name, f.Name, err)
		}
		args = append(args, a)
	}
	w.args = args
	return env, nil
}

// isNil reports a nil geometry, including typed nil slices, which mean
// NULL rather than empty.
func isNil(g orb.Geometry) bool {
	switch v := g.(type) {
	case nil:
		return true
	case orb.MultiPoint:
		return v == nil
	case orb.LineString:
		return v == nil
	case orb.Polygon:
		return v == nil
	case orb.MultiLineString:
		return v == nil
	case orb.MultiPolygon:
		return v == nil
	case orb.Collection:
		return v == nil
	case orb.Ring:
		return v == nil
	}
	return false
}

func typeName(g orb.Geometry) string {
	if _, ok := g.(orb.Collection); ok {
		return "GEOMETRYCOLLECTION"
	}
	return strings.ToUpper(g.GeoJSONType())
}

// Insert adds a row and returns its fid. g is the geometry (nil for NULL,
// and always nil for an attributes table); it must match the layer type
// (any type for GEOMETRY). values are the attributes in field order, typed
// as documented on FieldType, nil for NULL. Errors name the layer and field,
// never the value.
func (w *Writer) Insert(g orb.Geometry, values ...any) (fid int64, err error) {
	if w.closed {
		return 0, errClosed
	}
	// database/sql would report the cancelled transaction; this path has
	// to look itself.
	if err := w.tx.ctx.Err(); err != nil {
		return 0, err
	}
	env, err := w.bind(g, values)
	if err != nil {
		return 0, err
	}
	for i, a := range w.args {
		w.nv[i].Value = a
	}
	if err := w.tx.conn.Raw(w.rawExec); err != nil {
		return 0, w.execErr(err)
	}
	res := w.res
	w.res = nil
	if w.resErr != nil {
		return 0, w.execErr(w.resErr)
	}
	fid, err = res.LastInsertId()
	if err != nil {
		return 0, w.execErr(err)
	}
	if !env.empty {
		w.pending = append(w.pending, newRTEntry(fid, env))
		w.env.union(env)
	}
	return fid, nil
}

// index adds one box to the R-tree through the rtree module.
func (w *Writer) index(e rtEntry) error {
	a := w.rtreeArgs
	a[0], a[1], a[2], a[3], a[4] = e.id, float64(e.minX), float64(e.maxX), float64(e.minY), float64(e.maxY)
	if _, err := w.rtreeIns.Exec(a...); err != nil {
		return w.execErr(err)
	}
	return nil
}

// bulkThreshold is the number of pending boxes from which rebuilding a
// non-empty R-tree (reading it back and bulk loading everything) is cheaper
// than inserting them one by one.
const bulkThreshold = 20000

// flush moves the pending boxes into the R-tree: a bulk load when the
// index is empty or the batch is large, single inserts otherwise.
func (w *Writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	r := rtreeName(w.s.name, w.s.geomCol)
	es := w.pending
	if !w.rtreeEmpty && len(es) < bulkThreshold {
		sortHilbert(es) // locality: neighbouring boxes touch the same nodes
		for _, e := range es {
			if err := w.index(e); err != nil {
				return err
			}
		}
	} else {
		if !w.rtreeEmpty {
			old, err := w.tx.readRTree(r)
			if err != nil {
				return err
			}
			es = append(old, es...)
		}
		if err := w.tx.bulkLoadRTree(r, es); err != nil {
			return err
		}
	}
	w.pending = w.pending[:0]
	w.rtreeEmpty = false
	return nil
}

func (w *Writer) execErr(err error) error {
	if cerr := w.tx.ctx.Err(); cerr != nil {
		return cerr
	}
	return fmt.Errorf("gpkg: %s: layer %s: %w", w.tx.file, w.s.name, err)
}

// Update replaces the geometry and every attribute of row fid (same
// arguments as Insert). It is an error if there is no such row.
func (w *Writer) Update(fid int64, g orb.Geometry, values ...any) error {
	if err := w.beginChange(); err != nil {
		return err
	}
	env, err := w.bind(g, values)
	if err != nil {
		return err
	}
	if err := w.execOneRow(&w.upd, w.setSQL, fid, append(w.args, fid)...); err != nil {
		return err
	}
	if w.features {
		w.dirty = true
		if err := w.unindex(fid); err != nil {
			return err
		}
		if !env.empty {
			return w.index(newRTEntry(fid, env))
		}
	}
	return nil
}

// Delete removes row fid. It is an error if there is no such row.
func (w *Writer) Delete(fid int64) error {
	if err := w.beginChange(); err != nil {
		return err
	}
	if err := w.execOneRow(&w.del, "DELETE FROM "+quoteID(w.s.name)+" WHERE "+quoteID(w.s.pk)+" = ?", fid, fid); err != nil {
		return err
	}
	if w.features {
		w.dirty = true
		return w.unindex(fid)
	}
	return nil
}

// beginChange readies an open writer for an Update or Delete: the boxes
// of the rows inserted so far go into the R-tree first, so the change
// finds them there.
func (w *Writer) beginChange() error {
	if w.closed {
		return errClosed
	}
	return w.flush()
}

// prepared returns *st, preparing query into it on first use.
func (w *Writer) prepared(st **sql.Stmt, query string) (*sql.Stmt, error) {
	if *st == nil {
		var err error
		if *st, err = w.tx.tx.PrepareContext(w.tx.ctx, query); err != nil {
			return nil, w.execErr(err)
		}
	}
	return *st, nil
}

// execOneRow runs the statement *st (query, prepared on first use) with
// args and checks that it changed row fid and no other.
func (w *Writer) execOneRow(st **sql.Stmt, query string, fid int64, args ...any) error {
	stmt, err := w.prepared(st, query)
	if err != nil {
		return err
	}
	res, err := stmt.Exec(args...)
	if err != nil {
		return w.execErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return w.execErr(err)
	}
	if n != 1 {
		return fmt.Errorf("gpkg: %s: layer %s: no row with fid %d", w.tx.file, w.s.name, fid)
	}
	return nil
}

func (w *Writer) unindex(fid int64) error {
	stmt, err := w.prepared(&w.rtreeDel, "DELETE FROM "+w.rtreeTable+" WHERE id = ?")
	if err != nil {
		return err
	}
	if _, err := stmt.Exec(fid); err != nil {
		return w.execErr(err)
	}
	return nil
}

// Close finishes the layer: it loads the pending boxes into the R-tree,
// records the extent (exact, recomputed from the rows if any were updated
// or deleted) and Tx.Now as last_change in gpkg_contents, and installs the
// spec's R-tree triggers. Close is
// idempotent; after it the Writer accepts no more rows.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	delete(w.tx.writers, strings.ToLower(w.s.name))
	var err error
	if w.features {
		err = w.flush()
	}
	w.closeStatements()
	if err != nil {
		return err
	}
	tx := w.tx
	if !w.features {
		return tx.exec("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", tx.lastChange(), w.s.name)
	}
	if w.dirty {
		env, err := w.extent()
		if err != nil {
			return err
		}
		w.env = env
	}
	var b [4]any
	if !w.env.empty {
		b = [4]any{w.env.minX, w.env.minY, w.env.maxX, w.env.maxY}
	}
	if err := tx.exec("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, last_change = ? WHERE table_name = ?",
		b[0], b[1], b[2], b[3], tx.lastChange(), w.s.name); err != nil {
		return err
	}
	for _, t := range rtreeTriggers(tx.version, w.s.name, w.s.geomCol, w.s.pk) {
		if err := tx.exec(t); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) closeStatements() {
	for _, st := range []*sql.Stmt{w.upd, w.del, w.rtreeIns, w.rtreeDel} {
		if st != nil {
			st.Close()
		}
	}
	if w.ins != nil {
		w.tx.conn.Raw(func(any) error { return w.ins.Close() })
		w.ins = nil
	}
}

// extent scans the geometry column for the exact extent.
func (w *Writer) extent() (envelope, error) {
	env := envelope{empty: true}
	tx := w.tx
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT "+quoteID(w.s.pk)+", "+quoteID(w.s.geomCol)+" FROM "+quoteID(w.s.name)+" WHERE "+quoteID(w.s.geomCol)+" IS NOT NULL")
	if err != nil {
		return env, w.execErr(err)
	}
	defer rows.Close()
	var fid int64
	var blob sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&fid, &blob); err != nil {
			return env, w.execErr(err)
		}
		e, err := blobEnvelope(blob)
		if err != nil {
			return env, fmt.Errorf("gpkg: %s: layer %s fid %d: %w", tx.file, w.s.name, fid, err)
		}
		env.union(e)
	}
	if err := rows.Err(); err != nil {
		return env, w.execErr(err)
	}
	return env, nil
}

// valueIn converts an attribute value to what is stored for field type f.
func valueIn(f Field, v any) (any, error) {
	if vr, ok := v.(driver.Valuer); ok {
		dv, err := vr.Value()
		if err != nil {
			return nil, err
		}
		v = dv
	}
	if v == nil {
		if f.NotNull {
			return nil, fmt.Errorf("NULL in a NOT NULL field")
		}
		return nil, nil
	}
	// Values already of the stored type are returned as they came, so no
	// new interface value is allocated.
	switch f.Type {
	case Integer:
		if _, ok := v.(int64); ok {
			return v, nil
		}
		if i, ok := toInt64(v); ok {
			return i, nil
		}
		if _, ok := v.(uint64); ok {
			return nil, fmt.Errorf("uint64 value overflows INTEGER")
		}
		if _, ok := v.(uint); ok {
			return nil, fmt.Errorf("uint value overflows INTEGER")
		}
	case Real:
		switch x := v.(type) {
		case float64:
			return v, nil
		case float32:
			return float64(x), nil
		}
		if i, ok := toInt64(v); ok {
			return float64(i), nil
		}
	case Text:
		if _, ok := v.(string); ok {
			return v, nil
		}
	case Blob:
		if b, ok := v.([]byte); ok {
			if b == nil {
				return []byte{}, nil
			}
			return v, nil
		}
	case Boolean:
		if b, ok := v.(bool); ok {
			if b {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case DateTime:
		switch x := v.(type) {
		case time.Time:
			return FormatDateTime(x), nil
		case string:
			return x, nil
		}
	case Date:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Format("2006-01-02"), nil
		case string:
			return x, nil
		}
	}
	return nil, fmt.Errorf("got %T, want a value for %s", v, f.Type)
}

// FormatDateTime formats t as a GeoPackage DATETIME: UTC ISO 8601 with
// milliseconds, "2006-01-02T15:04:05.000Z", the form the spec prescribes
// (clause 1.1.1.1.1) and GDAL's validator checks. Years outside 0..9999
// use time.Format's layout.
func FormatDateTime(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	hour, minute, sec := t.Clock()
	// Hand-rolled: time.Format costs several times more, and ingest formats
	// a timestamp per household.
	var b [24]byte
	put := func(i, v, n int) {
		for k := i + n - 1; k >= i; k-- {
			b[k] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, year, 4)
	b[4] = '-'
	put(5, int(month), 2)
	b[7] = '-'
	put(8, day, 2)
	b[10] = 'T'
	put(11, hour, 2)
	b[13] = ':'
	put(14, minute, 2)
	b[16] = ':'
	put(17, sec, 2)
	b[19] = '.'
	put(20, t.Nanosecond()/int(time.Millisecond), 3)
	b[23] = 'Z'
	return string(b[:])
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int16:
		return int64(x), true
	case int8:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint:
		if uint64(x) <= math.MaxInt64 {
			return int64(x), true
		}
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}
