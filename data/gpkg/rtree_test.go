package gpkg_test

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

type sqlQueryer interface {
	QueryRow(query string, args ...any) *sql.Row
	Query(query string, args ...any) (*sql.Rows, error)
}

// checkRTree runs SQLite's own rtreecheck() on the index of layer and
// compares its ids with the rows that have a non-empty geometry.
func checkRTree(t *testing.T, q sqlQueryer, layer string) {
	t.Helper()
	var res string
	if err := q.QueryRow("SELECT rtreecheck(?)", "rtree_"+layer+"_geom").Scan(&res); err != nil {
		t.Fatalf("rtreecheck: %v", err)
	}
	if res != "ok" {
		t.Fatalf("rtreecheck(%s) = %q", layer, res)
	}
	ids := func(query string) []int64 {
		rows, err := q.Query(query)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	got := ids(`SELECT id FROM "rtree_` + layer + `_geom" ORDER BY id`)
	want := ids(`SELECT fid FROM "` + layer + `" WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom) ORDER BY fid`)
	if !slices.Equal(got, want) {
		t.Fatalf("rtree ids (%d) differ from non-empty rows (%d)", len(got), len(want))
	}
	// Every box contains its geometry's envelope.
	var bad int
	if err := q.QueryRow(`SELECT count(*) FROM "` + layer + `" t JOIN "rtree_` + layer + `_geom" r ON r.id = t.fid
		WHERE r.minx > ST_MinX(t.geom) OR r.maxx < ST_MaxX(t.geom) OR r.miny > ST_MinY(t.geom) OR r.maxy < ST_MaxY(t.geom)`).Scan(&bad); err != nil {
		t.Fatal(err)
	}
	if bad != 0 {
		t.Fatalf("%d rtree boxes do not contain their geometry", bad)
	}
}

// windowQuery returns the fids the R-tree finds in b, and the fids a full
// scan finds, for comparison.
func windowQuery(t *testing.T, q sqlQueryer, layer string, b orb.Bound) (index, scan []int64) {
	t.Helper()
	get := func(query string) []int64 {
		rows, err := q.Query(query, b.Min[0], b.Max[0], b.Min[1], b.Max[1])
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			out = append(out, id)
		}
		return out
	}
	index = get(`SELECT t.fid FROM "` + layer + `" t JOIN "rtree_` + layer + `_geom" r ON r.id = t.fid
		WHERE r.maxx >= ?1 AND r.minx <= ?2 AND r.maxy >= ?3 AND r.miny <= ?4
		AND ST_MaxX(t.geom) >= ?1 AND ST_MinX(t.geom) <= ?2 AND ST_MaxY(t.geom) >= ?3 AND ST_MinY(t.geom) <= ?4 ORDER BY t.fid`)
	scan = get(`SELECT fid FROM "` + layer + `" WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
		AND ST_MaxX(geom) >= ?1 AND ST_MinX(geom) <= ?2 AND ST_MaxY(geom) >= ?3 AND ST_MinY(geom) <= ?4 ORDER BY fid`)
	return index, scan
}

func TestRTreeBulkLoadAndTriggers(t *testing.T) {
	for _, n := range []int{0, 1, 51, 52, 5000} {
		t.Run(sizeName(n), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.gpkg")
			rng := rand.New(rand.NewPCG(*seed, uint64(n)))
			err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
				w, err := tx.CreateLayer(gpkg.Layer{Name: "pts", GeomType: gpkg.Geometry})
				if err != nil {
					return err
				}
				for i := range n {
					var g orb.Geometry = orb.Point{rng.Float64()*10 - 5, rng.Float64()*10 - 5}
					switch i % 7 {
					case 3:
						p := g.(orb.Point)
						g = orb.LineString{p, {p[0] + rng.Float64(), p[1] + rng.Float64()}}
					case 5:
						g = nil
					case 6:
						g = orb.LineString{}
					}
					if _, err := w.Insert(g); err != nil {
						return err
					}
				}
				if err := w.Close(); err != nil {
					return err
				}
				checkRTree(t, tx.SQL(), "pts")
				// Edits through SQL go through the spec's triggers.
				for _, q := range []string{
					`INSERT INTO pts (geom) SELECT geom FROM pts WHERE fid % 3 = 0`,
					`UPDATE pts SET geom = (SELECT geom FROM pts p2 WHERE p2.fid = pts.fid + 1) WHERE fid % 4 = 1`,
					`DELETE FROM pts WHERE fid % 5 = 2`,
					`UPDATE pts SET fid = fid + 100000 WHERE fid % 6 = 0`,
				} {
					if _, err := tx.SQL().Exec(q); err != nil {
						return err
					}
					checkRTree(t, tx.SQL(), "pts")
				}
				// Append more through the Writer (rebuild or single inserts).
				w, err = tx.AppendLayer("pts")
				if err != nil {
					return err
				}
				for range n / 2 {
					if _, err := w.Insert(orb.Point{rng.Float64()*10 - 5, rng.Float64()*10 - 5}); err != nil {
						return err
					}
				}
				return w.Close()
			})
			if err != nil {
				t.Fatal(err)
			}
			db, err := gpkg.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			checkRTree(t, db.SQL(), "pts")
			for range 20 {
				x, y := rng.Float64()*10-5, rng.Float64()*10-5
				b := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*3, y + rng.Float64()*3}}
				index, scan := windowQuery(t, db.SQL(), "pts", b)
				if !slices.Equal(index, scan) {
					t.Fatalf("window %v: index finds %d rows, scan %d", b, len(index), len(scan))
				}
			}
		})
	}
}

func sizeName(n int) string { return "n=" + strconv.Itoa(n) }

// TestRTreeAppendRebuild appends a large batch to a non-empty index (the
// rebuild path), with a fid too large for the packed rowid fast path.
func TestRTreeAppendRebuild(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.gpkg")
	rng := rand.New(rand.NewPCG(*seed, 4))
	pt := func() orb.Point { return orb.Point{rng.Float64()*2 + 30, rng.Float64()*2 - 1} }
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "hh", GeomType: gpkg.Point})
		if err != nil {
			return err
		}
		for range 1000 {
			if _, err := w.Insert(pt()); err != nil {
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		b, _ := gpkg.EncodeGeometry(pt())
		if _, err := tx.SQL().Exec("INSERT INTO hh (fid, geom) VALUES (?, ?)", int64(1)<<45, b); err != nil {
			return err
		}
		w, err = tx.AppendLayer("hh")
		if err != nil {
			return err
		}
		for range 25000 {
			if _, err := w.Insert(pt()); err != nil {
				return err
			}
		}
		return w.Close()
	})
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkRTree(t, db.SQL(), "hh")
	if li := layerInfo(t, db, "hh"); li.Count != 26001 {
		t.Errorf("count = %d, want 26001", li.Count)
	}
}

// TestRTreeTriggers14 runs the trigger edits on a file that declares
// GeoPackage 1.4, which gets the 1.4 trigger set.
func TestRTreeTriggers14(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v14.gpkg")
	update(t, path, func(tx *gpkg.Tx) error {
		_, err := tx.SQL().Exec("PRAGMA user_version = 10400")
		return err
	})
	rng := rand.New(rand.NewPCG(*seed, 6))
	update(t, path, func(tx *gpkg.Tx) error {
		if tx.Version() != 10400 {
			t.Errorf("Version() = %d, want 10400", tx.Version())
		}
		w, err := tx.CreateLayer(gpkg.Layer{Name: "l", GeomType: gpkg.LineString})
		if err != nil {
			return err
		}
		for i := range 500 {
			var g orb.Geometry = orb.LineString{{rng.Float64(), rng.Float64()}, {rng.Float64(), rng.Float64()}}
			if i%9 == 0 {
				g = nil
			}
			if i%9 == 1 {
				g = orb.LineString{}
			}
			if _, err := w.Insert(g); err != nil {
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		var names []string
		rows, err := tx.SQL().Query("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'l' ORDER BY name")
		if err != nil {
			return err
		}
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		rows.Close()
		want := []string{"rtree_l_geom_delete", "rtree_l_geom_insert", "rtree_l_geom_update2", "rtree_l_geom_update4", "rtree_l_geom_update5", "rtree_l_geom_update6", "rtree_l_geom_update7"}
		if !slices.Equal(names, want) {
			t.Errorf("triggers = %v, want %v", names, want)
		}
		for _, q := range []string{
			`UPDATE l SET geom = (SELECT geom FROM l l2 WHERE l2.fid = l.fid + 1) WHERE fid % 2 = 0`,
			`UPDATE l SET geom = NULL WHERE fid % 7 = 3`,
			`UPDATE l SET fid = fid + 1000 WHERE fid % 5 = 0`,
			`INSERT INTO l (geom) SELECT geom FROM l WHERE fid % 3 = 0`,
			`DELETE FROM l WHERE fid % 4 = 1`,
		} {
			if _, err := tx.SQL().Exec(q); err != nil {
				return err
			}
			checkRTree(t, tx.SQL(), "l")
		}
		return nil
	})
}

func TestScanBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sb.gpkg")
	rng := rand.New(rand.NewPCG(*seed, 9))
	update(t, path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "g", GeomType: gpkg.Geometry, Fields: []gpkg.Field{{Name: "minx", Type: gpkg.Integer}}})
		if err != nil {
			return err
		}
		for i := range 3000 {
			x, y := rng.Float64()*100, rng.Float64()*100
			var g orb.Geometry = orb.Point{x, y}
			switch i % 5 {
			case 1:
				g = orb.LineString{{x, y}, {x + rng.Float64()*5, y + rng.Float64()*5}}
			case 2:
				g = nil
			case 3:
				g = orb.Polygon{}
			}
			if _, err := w.Insert(g, i); err != nil {
				return err
			}
		}
		return w.Close()
	})
	check := func(t *testing.T, db *gpkg.DB) {
		t.Helper()
		for range 30 {
			x, y := rng.Float64()*100, rng.Float64()*100
			b := orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*20, y + rng.Float64()*20}}
			var want []int64
			sc := db.Scan("g")
			for sc.Scan() {
				g := sc.Geometry()
				if g == nil || isEmptyGeom(g) {
					continue
				}
				if g.Bound().Intersects(b) {
					want = append(want, sc.FID())
				}
			}
			var got []int64
			sc = db.ScanBound("g", b)
			for sc.Scan() {
				if v := sc.Values()[0].(int64); v != sc.FID()-1 {
					t.Fatalf("fid %d has minx %d: attribute and rtree column mixed up", sc.FID(), v)
				}
				got = append(got, sc.FID())
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("ScanBound(%v) = %d rows, want %d", b, len(got), len(want))
			}
		}
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("rtree", func(t *testing.T) { check(t, db) })
	db.Close()
	update(t, path, func(tx *gpkg.Tx) error {
		_, err := tx.SQL().Exec(`DROP TABLE rtree_g_geom`)
		return err
	})
	db, err = gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t.Run("no rtree", func(t *testing.T) { check(t, db) })
}
