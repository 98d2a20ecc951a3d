package gpkg_test

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

// fixedNow pins gpkg_contents.last_change so files are reproducible.
var fixedNow = time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)

var nan = math.NaN()

// geomCases has one table-driven case per layer type: non-empty, empty and
// NULL geometries.
var geomCases = []struct {
	name  string
	typ   gpkg.GeometryType
	geoms []orb.Geometry
}{
	{"points", gpkg.Point, []orb.Geometry{orb.Point{1.5, 42.5}, orb.Point{-180, -90}, orb.Point{nan, nan}, nil}},
	{"lines", gpkg.LineString, []orb.Geometry{orb.LineString{{1, 2}, {3, 4}, {5, 0}}, orb.LineString{}, nil}},
	{"polygons", gpkg.Polygon, []orb.Geometry{
		orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 2}, {1, 1}}},
		orb.Polygon{}, nil}},
	{"multipoints", gpkg.MultiPoint, []orb.Geometry{orb.MultiPoint{{1, 2}, {-3, 7}}, orb.MultiPoint{}, nil}},
	{"multilines", gpkg.MultiLineString, []orb.Geometry{orb.MultiLineString{{{1, 2}, {3, 4}}, {{-1, -2}, {0, 0}, {9, 9}}}, orb.MultiLineString{}, nil}},
	{"multipolygons", gpkg.MultiPolygon, []orb.Geometry{
		orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{10, 10}, {11, 10}, {11, 11}, {10, 10}}}},
		orb.MultiPolygon{}, nil}},
	{"geometries", gpkg.Geometry, []orb.Geometry{
		orb.Point{3, 4}, orb.LineString{{0, 0}, {1, 1}},
		orb.Collection{orb.Point{1, 1}, orb.LineString{{2, 2}, {3, 3}}},
		orb.Collection{}, nil}},
}

var attrFields = []gpkg.Field{
	{Name: "n", Type: gpkg.Integer},
	{Name: "x", Type: gpkg.Real},
	{Name: "s", Type: gpkg.Text},
	{Name: "b", Type: gpkg.Blob},
	{Name: "ok", Type: gpkg.Boolean},
	{Name: "at", Type: gpkg.DateTime},
}

func attrValues(i int) []any {
	if i%3 == 2 {
		return []any{nil, nil, nil, nil, nil, nil}
	}
	return []any{int64(i * 7), float64(i) + 0.25, "v é \"quoted\" 'x'", []byte{0, byte(i), 255}, i%2 == 0, fixedNow.Add(time.Duration(i) * time.Hour)}
}

func geomEqual(a, b orb.Geometry) bool {
	if p, ok := a.(orb.Point); ok && math.IsNaN(p[0]) {
		q, ok := b.(orb.Point)
		return ok && math.IsNaN(q[0]) && math.IsNaN(q[1])
	}
	return reflect.DeepEqual(a, b)
}

func writeAll(t testing.TB, path string) {
	t.Helper()
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		tx.Now = fixedNow
		for _, c := range geomCases {
			w, err := tx.CreateLayer(gpkg.Layer{Name: c.name, Description: "test " + c.name, GeomType: c.typ, Fields: attrFields})
			if err != nil {
				return err
			}
			for i, g := range c.geoms {
				if _, err := w.Insert(g, attrValues(i)...); err != nil {
					return err
				}
			}
			if err := w.Close(); err != nil {
				return err
			}
		}
		w, err := tx.CreateTable(gpkg.Table{Name: "attrs", Fields: attrFields})
		if err != nil {
			return err
		}
		for i := range 3 {
			if _, err := w.Insert(nil, attrValues(i)...); err != nil {
				return err
			}
		}
		return w.Close()
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rt.gpkg")
	writeAll(t, path)
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range geomCases {
		t.Run(c.name, func(t *testing.T) {
			sc := db.Scan(c.name)
			defer sc.Close()
			i := 0
			for sc.Scan() {
				if i >= len(c.geoms) {
					t.Fatalf("more rows than written")
				}
				if got := sc.Geometry(); !geomEqual(got, c.geoms[i]) {
					t.Errorf("row %d geometry = %#v, want %#v", i, got, c.geoms[i])
				}
				if got, want := sc.Values(), attrValues(i); !reflect.DeepEqual(got, want) {
					t.Errorf("row %d values = %#v, want %#v", i, got, want)
				}
				if sc.FID() != int64(i+1) {
					t.Errorf("row %d fid = %d, want %d", i, sc.FID(), i+1)
				}
				i++
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			if i != len(c.geoms) {
				t.Errorf("read %d rows, want %d", i, len(c.geoms))
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.gpkg"), filepath.Join(dir, "b.gpkg")
	writeAll(t, a)
	writeAll(t, b)
	ba, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ba, bb) {
		t.Errorf("two identical runs gave different files (%d and %d bytes)", len(ba), len(bb))
	}
	// The same changes to identical existing files give identical results.
	for _, p := range []string{a, b} {
		if err := gpkg.Update(context.Background(), p, editAll); err != nil {
			t.Fatal(err)
		}
	}
	ba, _ = os.ReadFile(a)
	bb, _ = os.ReadFile(b)
	if !bytes.Equal(ba, bb) {
		t.Errorf("the same update of identical files gave different files")
	}
}

// editAll changes a writeAll file in every way the package offers.
func editAll(tx *gpkg.Tx) error {
	tx.Now = fixedNow.Add(time.Hour)
	w, err := tx.AppendLayer("lines")
	if err != nil {
		return err
	}
	for i := range 100 {
		if _, err := w.Insert(orb.LineString{{float64(i), 0}, {0, float64(i)}}, attrValues(i)...); err != nil {
			return err
		}
	}
	if err := w.Delete(1); err != nil {
		return err
	}
	if err := tx.AddField("attrs", gpkg.Field{Name: "extra", Type: gpkg.Real}); err != nil {
		return err
	}
	if err := tx.DropLayer("points"); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	w, err = tx.AppendLayer("polygons")
	if err != nil {
		return err
	}
	if err := w.Update(1, orb.Polygon{{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}, attrValues(1)...); err != nil {
		return err
	}
	if err := w.Update(2, nil, attrValues(2)...); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return tx.CreateIndex("multipoints", false, "s", "n")
}

// boundOf is the reference extent of non-empty geometries, from orb.
func boundOf(gs []orb.Geometry) orb.Bound {
	var b orb.Bound
	first := true
	for _, g := range gs {
		if g == nil {
			continue
		}
		if p, ok := g.(orb.Point); ok && math.IsNaN(p[0]) {
			continue
		}
		gb := g.Bound()
		if gb.IsEmpty() && gb == (orb.Bound{}) {
			// orb gives the zero bound for empty slices.
			if isEmptyGeom(g) {
				continue
			}
		}
		if first {
			b, first = gb, false
		} else {
			b = b.Union(gb)
		}
	}
	return b
}

func isEmptyGeom(g orb.Geometry) bool {
	switch v := g.(type) {
	case orb.LineString:
		return len(v) == 0
	case orb.Polygon:
		return len(v) == 0
	case orb.MultiPoint:
		return len(v) == 0
	case orb.MultiLineString:
		return len(v) == 0
	case orb.MultiPolygon:
		return len(v) == 0
	case orb.Collection:
		return len(v) == 0
	}
	return false
}
