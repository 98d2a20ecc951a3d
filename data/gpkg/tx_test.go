package gpkg_test

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

// count runs a count(*) query.
func count(t *testing.T, q sqlQueryer, query string, args ...any) int {
	t.Helper()
	var n int
	if err := q.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func update(t *testing.T, path string, fn func(tx *gpkg.Tx) error) {
	t.Helper()
	if err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		tx.Now = fixedNow
		return fn(tx)
	}); err != nil {
		t.Fatal(err)
	}
}

func layerInfo(t *testing.T, db *gpkg.DB, name string) gpkg.LayerInfo {
	t.Helper()
	ls, err := db.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("layer %s not listed", name)
	return gpkg.LayerInfo{}
}

func TestReplaceLayer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.gpkg")
	writeAll(t, path)
	update(t, path, func(tx *gpkg.Tx) error {
		// Replace a point layer by a table, and a table by a layer.
		w, err := tx.CreateTable(gpkg.Table{Name: "points", Fields: []gpkg.Field{{Name: "k", Type: gpkg.Text}}})
		if err != nil {
			return err
		}
		if _, err := w.Insert(nil, "a"); err != nil {
			return err
		}
		w, err = tx.CreateLayer(gpkg.Layer{Name: "attrs", GeomType: gpkg.Polygon})
		if err != nil {
			return err
		}
		if _, err := w.Insert(orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}); err != nil {
			return err
		}
		return nil // writers closed by Update
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := db.SQL()
	if n := count(t, q, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree_points_geom%'"); n != 0 {
		t.Errorf("%d rtree objects of the replaced points layer remain", n)
	}
	if n := count(t, q, "SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'points'"); n != 0 {
		t.Errorf("gpkg_geometry_columns still lists points")
	}
	if n := count(t, q, "SELECT count(*) FROM gpkg_extensions WHERE table_name = 'points'"); n != 0 {
		t.Errorf("gpkg_extensions still lists points")
	}
	if n := count(t, q, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'points'"); n != 0 {
		t.Errorf("%d triggers on points remain", n)
	}
	if n := count(t, q, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'attrs'"); n != 6 {
		t.Errorf("attrs has %d rtree triggers, want 6", n)
	}
	if li := layerInfo(t, db, "points"); li.DataType != "attributes" || li.Count != 1 || li.GeomType != "" {
		t.Errorf("points = %+v, want an attributes table with 1 row", li)
	}
	li := layerInfo(t, db, "attrs")
	if li.DataType != "features" || li.GeomType != gpkg.Polygon || li.Count != 1 || li.Bound != (orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}) {
		t.Errorf("attrs = %+v, want a polygon layer with 1 row in [0,1]²", li)
	}
	checkRTree(t, q, "attrs")
}

func TestAppendAddFieldEditDrop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.gpkg")
	fields := []gpkg.Field{{Name: "name", Type: gpkg.Text, NotNull: true}, {Name: "n", Type: gpkg.Integer}}
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "sites", Description: "d", GeomType: gpkg.Point, Fields: fields})
		if err != nil {
			return err
		}
		for i, p := range []orb.Point{{0, 0}, {10, 5}, {-3, 2}} {
			if _, err := w.Insert(p, "s"+string(rune('a'+i)), i); err != nil {
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		t2, err := tx.CreateTable(gpkg.Table{Name: "log", Fields: []gpkg.Field{{Name: "msg", Type: gpkg.Text}}})
		if err != nil {
			return err
		}
		t2.Insert(nil, "first")
		return t2.Close()
	})
	// Second run: append, add a field, edit and delete by fid.
	update(t, path, func(tx *gpkg.Tx) error {
		if err := tx.AddField("sites", gpkg.Field{Name: "note", Type: gpkg.Text}); err != nil {
			return err
		}
		w, err := tx.AppendLayer("sites")
		if err != nil {
			return err
		}
		if got := w.Fields(); len(got) != 3 || got[2].Name != "note" || !got[0].NotNull {
			t.Errorf("appended fields = %+v", got)
		}
		fid, err := w.Insert(orb.Point{20, 20}, "sd", 3, "new")
		if err != nil {
			return err
		}
		if fid != 4 {
			t.Errorf("appended fid = %d, want 4", fid)
		}
		// Shrink the extent: move (10,5) and delete (20,20) and (-3,2).
		if err := w.Update(2, orb.Point{1, 1}, "sb", 1, "moved"); err != nil {
			return err
		}
		if err := w.Delete(4); err != nil {
			return err
		}
		if err := w.Delete(3); err != nil {
			return err
		}
		if err := w.Delete(3); err == nil {
			t.Errorf("deleting fid 3 twice succeeded")
		}
		if err := w.Update(99, orb.Point{1, 1}, "x", 1, nil); err == nil {
			t.Errorf("updating a missing fid succeeded")
		}
		if err := w.Close(); err != nil {
			return err
		}
		a, err := tx.AppendTable("log")
		if err != nil {
			return err
		}
		a.Insert(nil, "second")
		return a.Close()
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	li := layerInfo(t, db, "sites")
	if li.Count != 2 || li.Bound != (orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}}) || li.Description != "d" {
		t.Errorf("sites = %+v, want 2 rows in [0,1]²", li)
	}
	sc := db.Scan("sites")
	var got [][]any
	for sc.Scan() {
		got = append(got, append([]any{sc.FID(), sc.Geometry()}, sc.Values()...))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{int64(1), orb.Point{0, 0}, "sa", int64(0), nil},
		{int64(2), orb.Point{1, 1}, "sb", int64(1), "moved"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sites rows = %v, want %v", got, want)
	}
	checkRTree(t, db.SQL(), "sites")
	if li := layerInfo(t, db, "log"); li.Count != 2 {
		t.Errorf("log has %d rows, want 2", li.Count)
	}

	update(t, path, func(tx *gpkg.Tx) error {
		if err := tx.DropLayer("sites"); err != nil {
			return err
		}
		if err := tx.DropLayer("no_such_layer"); err != nil {
			t.Errorf("DropLayer(absent) = %v, want nil", err)
		}
		ok, err := tx.HasTable("sites")
		if err != nil || ok {
			t.Errorf("HasTable(sites) after drop = %v, %v", ok, err)
		}
		return nil
	})
	db2, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if n := count(t, db2.SQL(), "SELECT count(*) FROM sqlite_master WHERE name LIKE '%sites%'"); n != 0 {
		t.Errorf("%d schema objects of sites remain", n)
	}
	for _, meta := range []string{"gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions"} {
		if n := count(t, db2.SQL(), "SELECT count(*) FROM "+meta+" WHERE table_name = 'sites'"); n != 0 {
			t.Errorf("%s still lists sites", meta)
		}
	}
}

func TestWriterErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.gpkg")
	fields := []gpkg.Field{{Name: "id", Type: gpkg.Text, NotNull: true}, {Name: "n", Type: gpkg.Integer}, {Name: "ok", Type: gpkg.Boolean}}
	cases := []struct {
		name   string
		g      orb.Geometry
		values []any
		want   string
	}{
		{"wrong geometry type", orb.LineString{{0, 0}, {1, 1}}, []any{"a", 1, true}, "layer pts is POINT, got LINESTRING"},
		{"too few values", orb.Point{0, 0}, []any{"a"}, "got 1 values, want 3"},
		{"NULL in NOT NULL", orb.Point{0, 0}, []any{nil, 1, true}, "field id: NULL in a NOT NULL field"},
		{"text for integer", orb.Point{0, 0}, []any{"a", "secret-phone-555", true}, "field n: got string, want a value for INTEGER"},
		{"int for boolean", orb.Point{0, 0}, []any{"a", 1, 1}, "field ok: got int"},
		{"uint64 overflow", orb.Point{0, 0}, []any{"a", uint64(math.MaxUint64), true}, "overflows"},
		{"infinite coordinate", orb.Point{math.Inf(1), 0}, []any{"a", 1, true}, "non-finite"},
		{"half-empty point", orb.Point{math.NaN(), 1}, []any{"a", 1, true}, "non-finite"},
	}
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "pts", GeomType: gpkg.Point, Fields: fields})
		if err != nil {
			return err
		}
		for _, c := range cases {
			_, err := w.Insert(c.g, c.values...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: Insert error = %v, want %q", c.name, err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: error %q leaks the value", c.name, err)
			}
		}
		// The writer still works after rejected rows.
		if _, err := w.Insert(orb.Point{1, 2}, "ok", 1, true); err != nil {
			t.Errorf("Insert after errors: %v", err)
		}
		if _, err := tx.CreateLayer(gpkg.Layer{Name: "pts", GeomType: gpkg.Point}); err == nil {
			t.Errorf("replacing a layer with an open writer succeeded")
		}
		if err := tx.AddField("pts", gpkg.Field{Name: "z", Type: gpkg.Real}); err == nil {
			t.Errorf("AddField on a layer with an open writer succeeded")
		}
		if err := w.Close(); err != nil {
			return err
		}
		if _, err := w.Insert(orb.Point{1, 2}, "ok", 1, true); err == nil {
			t.Errorf("Insert after Close succeeded")
		}
		if err := tx.AddField("pts", gpkg.Field{Name: "N", Type: gpkg.Real}); err == nil {
			t.Errorf("AddField with a duplicate name (case-insensitive) succeeded")
		}
		if err := tx.AddField("pts", gpkg.Field{Name: "req", Type: gpkg.Real, NotNull: true}); err == nil {
			t.Errorf("AddField NOT NULL succeeded")
		}
		for _, name := range []string{"", "gpkg_contents", "rtree_pts_geom", "sqlite_master", "a\nb"} {
			if _, err := tx.CreateTable(gpkg.Table{Name: name}); err == nil {
				t.Errorf("CreateTable(%q) succeeded", name)
			}
		}
		if _, err := tx.CreateLayer(gpkg.Layer{Name: "bad", GeomType: "CIRCLE"}); err == nil {
			t.Errorf("CreateLayer with type CIRCLE succeeded")
		}
		if _, err := tx.CreateLayer(gpkg.Layer{Name: "bad", GeomType: gpkg.Point, Fields: []gpkg.Field{{Name: "fid", Type: gpkg.Integer}}}); err == nil {
			t.Errorf("CreateLayer with a field named fid succeeded")
		}
		if _, err := tx.AppendLayer("missing"); err == nil {
			t.Errorf("AppendLayer(missing) succeeded")
		}
		if _, err := tx.AppendTable("pts"); err == nil {
			t.Errorf("AppendTable on a feature layer succeeded")
		}
		return nil
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if li := layerInfo(t, db, "pts"); li.Count != 1 {
		t.Errorf("pts has %d rows, want 1 (rejected rows must not be stored)", li.Count)
	}
	sc := db.Scan("missing")
	if sc.Scan() || sc.Err() == nil {
		t.Errorf("Scan(missing) gave no error")
	}
}

// TestOddNames uses names that need quoting everywhere.
func TestOddNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "odd.gpkg")
	name := `my "odd" layer's name`
	fields := []gpkg.Field{{Name: `group/col "x"`, Type: gpkg.Text}, {Name: "select", Type: gpkg.Integer}}
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: name, GeomType: gpkg.Point, Fields: fields})
		if err != nil {
			return err
		}
		for i := range 100 {
			if _, err := w.Insert(orb.Point{float64(i), 1}, "v", i); err != nil {
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		w, err = tx.AppendLayer(name)
		if err != nil {
			return err
		}
		if err := w.Update(1, orb.Point{-1, -1}, "w", 0); err != nil {
			return err
		}
		return w.Close()
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	li := layerInfo(t, db, name)
	if li.Count != 100 || li.Bound.Min != (orb.Point{-1, -1}) || !reflect.DeepEqual(li.Fields, fields) {
		t.Errorf("layer = %+v", li)
	}
	var res string
	if err := db.SQL().QueryRow("SELECT rtreecheck(?)", "rtree_"+name+"_geom").Scan(&res); err != nil || res != "ok" {
		t.Errorf("rtreecheck = %q, %v", res, err)
	}
}

func TestLayersEmptyLayer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.gpkg")
	update(t, path, func(tx *gpkg.Tx) error {
		_, err := tx.CreateLayer(gpkg.Layer{Name: "empty", GeomType: gpkg.MultiPolygon})
		return err
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	li := layerInfo(t, db, "empty")
	if li.Count != 0 || !li.Bound.IsEmpty() || li.GeomType != gpkg.MultiPolygon || li.GeomColumn != "geom" {
		t.Errorf("empty layer = %+v", li)
	}
}

func TestCreateIndexAndReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "i.gpkg")
	fields := []gpkg.Field{{Name: "household_id", Type: gpkg.Text, NotNull: true}}
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "households", GeomType: gpkg.Point, Fields: fields})
		if err != nil {
			return err
		}
		w.Insert(orb.Point{1, 1}, "H1")
		if err := w.Close(); err != nil {
			return err
		}
		if err := tx.CreateIndex("households", true, "household_id"); err != nil {
			return err
		}
		w, _ = tx.AppendLayer("households")
		if _, err := w.Insert(orb.Point{2, 2}, "H1"); err == nil {
			t.Errorf("duplicate household_id accepted despite the unique index")
		}
		if err := w.Close(); err != nil {
			return err
		}
		return readCount(t, tx, "households", 1)
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := readCount(t, db, "households", 1); err != nil {
		t.Fatal(err)
	}
}

// readCount works on any gpkg.Reader.
func readCount(t *testing.T, r gpkg.Reader, table string, want int) error {
	t.Helper()
	var n int
	if err := r.QueryRow(`SELECT count(*) FROM "` + table + `"`).Scan(&n); err != nil {
		return err
	}
	if n != want {
		t.Errorf("%s has %d rows, want %d", table, n, want)
	}
	return nil
}

func TestTableEditAndStaleIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.gpkg")
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateTable(gpkg.Table{Name: "kv", Fields: []gpkg.Field{{Name: "k", Type: gpkg.Text}, {Name: "v", Type: gpkg.Blob}}})
		if err != nil {
			return err
		}
		for i := range 5 {
			if _, err := w.Insert(nil, "key", []byte{byte(i)}); err != nil {
				return err
			}
		}
		if err := w.Update(2, nil, "two", []byte("x")); err != nil {
			return err
		}
		if err := w.Delete(4); err != nil {
			return err
		}
		if _, err := w.Insert(orb.Point{1, 1}, "k", nil); err == nil {
			t.Errorf("geometry accepted by an attributes table")
		}
		if err := w.Close(); err != nil {
			return err
		}
		// A layer whose index another tool left empty.
		l, err := tx.CreateLayer(gpkg.Layer{Name: "pts", GeomType: gpkg.Point})
		if err != nil {
			return err
		}
		for i := range 100 {
			l.Insert(orb.Point{float64(i), 0})
		}
		if err := l.Close(); err != nil {
			return err
		}
		if _, err := tx.SQL().Exec(`DELETE FROM rtree_pts_geom`); err != nil {
			return err
		}
		l, err = tx.AppendLayer("pts")
		if err != nil {
			return err
		}
		l.Insert(orb.Point{-5, 3})
		return l.Close()
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sc := db.Scan("kv")
	var got []string
	for sc.Scan() {
		v := sc.Values()
		got = append(got, v[0].(string)+":"+string(v[1].([]byte)))
	}
	want := []string{"key:\x00", "two:x", "key:\x02", "key:\x04"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("kv = %q, want %q", got, want)
	}
	checkRTree(t, db.SQL(), "pts")
}

func TestAppendOtherSRSRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "utm.gpkg")
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "utm", GeomType: gpkg.Point})
		if err != nil {
			return err
		}
		w.Insert(orb.Point{500000, 4700000})
		if err := w.Close(); err != nil {
			return err
		}
		// What a layer written by another tool in UTM 31N looks like.
		for _, q := range []string{
			`INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 / UTM zone 31N', 32631, 'EPSG', 32631, 'PROJCS["WGS 84 / UTM zone 31N"]', '')`,
			`UPDATE gpkg_geometry_columns SET srs_id = 32631 WHERE table_name = 'utm'`,
			`UPDATE gpkg_contents SET srs_id = 32631 WHERE table_name = 'utm'`,
		} {
			if _, err := tx.SQL().Exec(q); err != nil {
				return err
			}
		}
		if _, err := tx.AppendLayer("utm"); err == nil || !strings.Contains(err.Error(), "srs_id 32631") {
			t.Errorf("AppendLayer on an EPSG:32631 layer: err = %v, want a refusal naming srs_id 32631", err)
		}
		ls, err := tx.Layers()
		if err != nil {
			return err
		}
		if len(ls) != 1 || ls[0].SRSID != 32631 {
			t.Errorf("Layers() = %+v, want one layer with SRSID 32631", ls)
		}
		return nil
	})
}
