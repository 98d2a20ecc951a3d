package mbtiles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	// The SQLite driver (cgo), registered as "sqlite3".
	_ "github.com/mattn/go-sqlite3"
)

// Key is a tile's place in the XYZ scheme: zoom, column, row (0 at the
// north).
type Key struct{ Z, X, Y int }

// tmsRow is k's row in the file (TMS: 0 at the south).
func (k Key) tmsRow() int { return 1<<k.Z - 1 - k.Y }

// Metadata is the metadata table's required and common rows (MBTiles 1.3).
// Name must be set: ODK Collect lists an offline layer by it.
type Metadata struct {
	Name        string
	Format      string // "png"
	Description string
	Attribution string
	// Bounds are minlon, minlat, maxlon, maxlat; Center is lon, lat, zoom.
	Bounds           [4]float64
	Center           [3]float64
	MinZoom, MaxZoom int
	// Type is "baselayer" or "overlay".
	Type    string
	Version string
}

// pairs returns the metadata as name/value rows in a fixed order.
func (m Metadata) pairs() [][2]string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	out := [][2]string{
		{"name", m.Name}, {"format", m.Format},
		{"bounds", f(m.Bounds[0]) + "," + f(m.Bounds[1]) + "," + f(m.Bounds[2]) + "," + f(m.Bounds[3])},
		{"center", f(m.Center[0]) + "," + f(m.Center[1]) + "," + f(m.Center[2])},
		{"minzoom", strconv.Itoa(m.MinZoom)}, {"maxzoom", strconv.Itoa(m.MaxZoom)},
	}
	for _, kv := range [][2]string{{"description", m.Description}, {"attribution", m.Attribution}, {"type", m.Type}, {"version", m.Version}} {
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

const schema = `
CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS metadata_name ON metadata (name);
CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row);
CREATE TABLE IF NOT EXISTS tile_hashes (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, hash TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS tile_hashes_index ON tile_hashes (zoom_level, tile_column, tile_row);
`

// Tx is an MBTiles file being changed inside Update. It is not safe for
// concurrent use.
type Tx struct {
	ctx context.Context
	tx  *sql.Tx
	put *sql.Stmt
	src string
}

// ErrFormat is wrapped by the error of a file that is not an MBTiles
// database.
var ErrFormat = errors.New("mbtiles: not an MBTiles file")

// Update applies fn to the MBTiles file at path atomically, creating it
// when it does not exist: fn works on a temporary copy in the same folder,
// which replaces path only when fn and the commit succeed.
func Update(ctx context.Context, path string, fn func(tx *Tx) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("mbtiles: cannot write beside %s: %w", path, err)
	}
	tmp := f.Name()
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(tmp)
			os.Remove(tmp + "-journal")
		}
	}()
	if src, err := os.Open(path); err == nil {
		_, err = io.Copy(f, src)
		src.Close()
		if err != nil {
			f.Close()
			return fmt.Errorf("mbtiles: copy %s: %w", path, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		f.Close()
		return fmt.Errorf("mbtiles: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("mbtiles: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+tmp+"?_journal_mode=DELETE&_synchronous=OFF")
	if err != nil {
		return fmt.Errorf("mbtiles: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	stx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mbtiles: %s: %w", path, err)
	}
	defer stx.Rollback()
	if _, err := stx.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	put, err := stx.PrepareContext(ctx, "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)")
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	defer put.Close()
	tx := &Tx{ctx: ctx, tx: stx, put: put, src: path}
	if err := fn(tx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	put.Close()
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("mbtiles: %s: commit: %w", path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("mbtiles: %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("mbtiles: %w", err)
	}
	renamed = true
	return nil
}

func (tx *Tx) exec(q string, args ...any) error {
	if _, err := tx.tx.ExecContext(tx.ctx, q, args...); err != nil {
		if cerr := tx.ctx.Err(); cerr != nil {
			return cerr
		}
		return fmt.Errorf("mbtiles: %s: %w", tx.src, err)
	}
	return nil
}

// SetMetadata replaces the metadata table's rows with m's.
func (tx *Tx) SetMetadata(m Metadata) error {
	if m.Name == "" {
		return fmt.Errorf("mbtiles: %s: metadata needs a name", tx.src)
	}
	if err := tx.exec("DELETE FROM metadata"); err != nil {
		return err
	}
	for _, kv := range m.pairs() {
		if err := tx.exec("INSERT INTO metadata (name, value) VALUES (?, ?)", kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// Put stores (or replaces) a tile and its content hash.
func (tx *Tx) Put(k Key, data []byte, hash string) error {
	if _, err := tx.put.ExecContext(tx.ctx, k.Z, k.X, k.tmsRow(), data); err != nil {
		if cerr := tx.ctx.Err(); cerr != nil {
			return cerr
		}
		return fmt.Errorf("mbtiles: %s: tile %d/%d/%d: %w", tx.src, k.Z, k.X, k.Y, err)
	}
	return tx.exec("INSERT OR REPLACE INTO tile_hashes (zoom_level, tile_column, tile_row, hash) VALUES (?, ?, ?, ?)", k.Z, k.X, k.tmsRow(), hash)
}

// Delete removes a tile; it is not an error if there is none.
func (tx *Tx) Delete(k Key) error {
	if err := tx.exec("DELETE FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?", k.Z, k.X, k.tmsRow()); err != nil {
		return err
	}
	return tx.exec("DELETE FROM tile_hashes WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?", k.Z, k.X, k.tmsRow())
}

// Hashes returns the stored tiles' content hashes ("" for a tile stored
// without one, e.g. by another program).
func (tx *Tx) Hashes() (map[Key]string, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT t.zoom_level, t.tile_column, t.tile_row, COALESCE(h.hash, '')
FROM tiles t LEFT JOIN tile_hashes h USING (zoom_level, tile_column, tile_row)`)
	if err != nil {
		return nil, fmt.Errorf("mbtiles: %s: %w", tx.src, err)
	}
	defer rows.Close()
	out := map[Key]string{}
	for rows.Next() {
		var k Key
		var h string
		if err := rows.Scan(&k.Z, &k.X, &k.Y, &h); err != nil {
			return nil, fmt.Errorf("mbtiles: %s: %w", tx.src, err)
		}
		k.Y = 1<<k.Z - 1 - k.Y
		out[k] = h
	}
	return out, rows.Err()
}

// Read returns a file's metadata and its number of tiles.
func Read(path string) (map[string]string, int, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, 0, fmt.Errorf("mbtiles: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, 0, fmt.Errorf("mbtiles: %w", err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT name, value FROM metadata")
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, 0, err
		}
		m[k] = v
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM tiles").Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("%w: %s: %v", ErrFormat, path, err)
	}
	return m, n, rows.Err()
}

// Tile reads one tile (XYZ key) from the file at path; ok=false when
// there is none.
func Tile(path string, k Key) (data []byte, ok bool, err error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, false, fmt.Errorf("mbtiles: %w", err)
	}
	defer db.Close()
	err = db.QueryRow("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?", k.Z, k.X, k.tmsRow()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("mbtiles: %s: %w", path, err)
	}
	return data, true, nil
}
