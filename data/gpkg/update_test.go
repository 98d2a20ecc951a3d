package gpkg_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/data/gpkg"
	_ "github.com/mattn/go-sqlite3" // plain "sqlite3" driver to build foreign files
	"github.com/paulmach/orb"
)

// dirEntries lists the names in dir, to spot leftover temporary files.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestUpdateAtomic(t *testing.T) {
	errBoom := errors.New("boom")
	cases := []struct {
		name string
		run  func(ctx context.Context, cancel context.CancelFunc, path string) error
		want error
	}{
		{"fn error after writes", func(ctx context.Context, _ context.CancelFunc, path string) error {
			return gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
				if err := tx.DropLayer("points"); err != nil {
					return err
				}
				w, err := tx.CreateLayer(gpkg.Layer{Name: "new", GeomType: gpkg.Point})
				if err != nil {
					return err
				}
				for i := range 1000 {
					if _, err := w.Insert(orb.Point{float64(i), 1}); err != nil {
						return err
					}
				}
				return errBoom
			})
		}, errBoom},
		{"cancelled mid-insert", func(ctx context.Context, cancel context.CancelFunc, path string) error {
			return gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
				w, err := tx.AppendLayer("points")
				if err != nil {
					return err
				}
				for i := range 100000 {
					if i == 500 {
						cancel() // what Ctrl-C does through signal.NotifyContext
					}
					if _, err := w.Insert(orb.Point{float64(i % 180), 1}, attrValues(i)...); err != nil {
						return err
					}
				}
				return nil
			})
		}, context.Canceled},
		{"cancelled after fn returned nil", func(ctx context.Context, cancel context.CancelFunc, path string) error {
			return gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
				if err := tx.DropLayer("lines"); err != nil {
					return err
				}
				cancel()
				return nil
			})
		}, context.Canceled},
		{"writer error", func(ctx context.Context, _ context.CancelFunc, path string) error {
			return gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
				w, err := tx.AppendLayer("points")
				if err != nil {
					return err
				}
				_, err = w.Insert(orb.LineString{{0, 0}, {1, 1}}, attrValues(0)...)
				return err
			})
		}, gpkg.ErrGeometry},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "a.gpkg")
			writeAll(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err = c.run(ctx, cancel, path)
			if !errors.Is(err, c.want) {
				t.Fatalf("Update error = %v, want %v", err, c.want)
			}
			after, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Errorf("file changed although Update failed")
			}
			if names := dirEntries(t, dir); len(names) != 1 {
				t.Errorf("directory holds %v, want only a.gpkg", names)
			}
		})
	}
}

func TestUpdateNewFileFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.gpkg")
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		return errors.New("nope")
	})
	if err == nil {
		t.Fatal("Update succeeded, want the fn error")
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v, want nothing", names)
	}
}

func TestUpdateResultJournalMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.gpkg")
	writeAll(t, path)
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only a.gpkg", names)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.SQL().QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "delete" {
		t.Errorf("journal_mode = %q, want delete", mode)
	}
	var appID, version int64
	db.SQL().QueryRow("PRAGMA application_id").Scan(&appID)
	db.SQL().QueryRow("PRAGMA user_version").Scan(&version)
	if appID != 0x47504B47 || version != 10300 {
		t.Errorf("application_id, user_version = %#x, %d; want 0x47504b47, 10300", appID, version)
	}
	var integrity string
	if err := db.SQL().QueryRow("PRAGMA integrity_check").Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check = %q, %v", integrity, err)
	}
	rows, err := db.SQL().Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Errorf("foreign_key_check reports violations")
	}
	rows.Close()
}

// TestUpdateWALSource updates a GeoPackage left in WAL mode with unmerged
// changes in its -wal file (as QGIS leaves them): nothing is lost and the
// result is in DELETE mode.
func TestUpdateWALSource(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.gpkg")
	writeAll(t, path)
	raw, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec("PRAGMA wal_autocheckpoint = 0"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE walmark (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Fatalf("no -wal file: %v", err)
	}
	err = gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		ok, err := tx.HasTable("walmark")
		if err != nil {
			return err
		}
		if !ok {
			t.Errorf("table committed to the WAL is missing in the copy")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	db.SQL().QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "delete" {
		t.Errorf("journal_mode = %q, want delete", mode)
	}
	if ok, _ := db.HasTable("walmark"); !ok {
		t.Errorf("walmark table lost")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.sqlite")
	raw, err := sql.Open("sqlite3", plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	files := map[string][]byte{
		"text.gpkg":   []byte("household_id,lat,lon\nH1,1,2\n"),
		"binary.gpkg": bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0, 1, 2}, 1000),
		"empty.gpkg":  nil,
	}
	// A GeoPackage cut in half: the header survives, the pages do not.
	full := filepath.Join(dir, "full.gpkg")
	writeAll(t, full)
	b, _ := os.ReadFile(full)
	files["truncated.gpkg"] = b[:len(b)/3]
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"text.gpkg", "binary.gpkg", "empty.gpkg", "plain.sqlite"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			_, err := gpkg.Open(path)
			if !errors.Is(err, data.ErrFormat) {
				t.Fatalf("Open(%s) = %v, want data.ErrFormat", name, err)
			}
			var pe *data.ParseError
			if !errors.As(err, &pe) || pe.File != path || !strings.Contains(err.Error(), name) {
				t.Errorf("Open(%s) error %q does not name the file", name, err)
			}
			before, _ := os.ReadFile(path)
			err = gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error { return nil })
			if !errors.Is(err, data.ErrFormat) {
				t.Errorf("Update(%s) = %v, want data.ErrFormat", name, err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Errorf("Update changed a file that is not a GeoPackage")
			}
		})
	}
	t.Run("truncated.gpkg", func(t *testing.T) {
		// Opening may succeed (the header is intact); reading must fail
		// with an error, never panic.
		db, err := gpkg.Open(filepath.Join(dir, "truncated.gpkg"))
		if err != nil {
			return
		}
		defer db.Close()
		failed := false
		if _, err := db.Layers(); err != nil {
			failed = true
		}
		for _, c := range geomCases {
			sc := db.Scan(c.name)
			for sc.Scan() {
			}
			if sc.Err() != nil {
				failed = true
			}
			sc.Close()
		}
		if !failed {
			t.Errorf("reading a truncated file reported no error")
		}
	})
	t.Run("missing", func(t *testing.T) {
		_, err := gpkg.Open(filepath.Join(dir, "missing.gpkg"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Open(missing) = %v, want os.ErrNotExist", err)
		}
	})
}

func TestUpdatePanicLeavesFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.gpkg")
	writeAll(t, path)
	before, _ := os.ReadFile(path)
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("panic did not propagate")
			}
		}()
		gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
			if err := tx.DropLayer("points"); err != nil {
				return err
			}
			panic("bug in fn")
		})
	}()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("file changed by a panicking Update")
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only p.gpkg", names)
	}
}

// TestUpdateRewriteLeavesNoJournal: an Update that rewrites existing pages
// (so the temporary copy's rollback journal is used) leaves only the file,
// and the file has no hot journal: it opens and passes integrity_check.
func TestUpdateRewriteLeavesNoJournal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.gpkg")
	writeAll(t, path)
	for round := range 2 {
		err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
			if _, err := tx.SQL().Exec("UPDATE attrs SET s = 'changed' || ?", round); err != nil {
				return err
			}
			w, err := tx.AppendLayer("points")
			if err != nil {
				return err
			}
			for i := range 2000 {
				if _, err := w.Insert(orb.Point{float64(i % 180), float64(round)}, attrValues(i)...); err != nil {
					return err
				}
			}
			if err := w.Update(1, orb.Point{1, 2}, attrValues(1)...); err != nil {
				return err
			}
			return w.Close()
		})
		if err != nil {
			t.Fatal(err)
		}
		if names := dirEntries(t, dir); len(names) != 1 {
			t.Errorf("round %d: directory holds %v, want only a.gpkg", round, names)
		}
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.SQL().QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
}

// TestUpdateErasesDeletedContent: values overwritten, deleted or dropped in
// an Update are gone from the file's bytes, not left in free space, so
// scrubbing personal data from a GeoPackage (ingest --no-personal) really
// removes it.
func TestUpdateErasesDeletedContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.gpkg")
	fields := []gpkg.Field{{Name: "name", Type: gpkg.Text}}
	update(t, path, func(tx *gpkg.Tx) error {
		for _, l := range []string{"keep", "drop"} {
			w, err := tx.CreateLayer(gpkg.Layer{Name: l, GeomType: gpkg.Point, Fields: fields})
			if err != nil {
				return err
			}
			for i := range 2000 {
				if _, err := w.Insert(orb.Point{float64(i % 90), 1}, "Secretname"+l); err != nil {
					return err
				}
			}
			if err := w.Close(); err != nil {
				return err
			}
		}
		return nil
	})
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.AppendLayer("keep")
		if err != nil {
			return err
		}
		for fid := int64(1); fid <= 2000; fid++ {
			if fid%2 == 0 {
				err = w.Delete(fid)
			} else {
				err = w.Update(fid, orb.Point{1, 1}, nil)
			}
			if err != nil {
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		return tx.DropLayer("drop")
	})
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("Secretname")); n > 0 {
		t.Errorf("%d copies of removed values left in the file", n)
	}
}
