package gpkg_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

// viewOver is a grouped view over table t with the typed first arm that
// gives its columns their declared types.
const viewOver = `SELECT fid AS fid, chw AS chw, n AS households, minutes AS mean_minutes FROM t WHERE 0
UNION ALL
SELECT CAST(row_number() OVER (ORDER BY chw) AS INTEGER), chw, CAST(count(*) AS INTEGER), CAST(avg(minutes) AS REAL) FROM t GROUP BY chw`

func writeViewFile(t *testing.T, sel string) (string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v.gpkg")
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		w, err := tx.CreateTable(gpkg.Table{Name: "t", Fields: []gpkg.Field{
			{Name: "chw", Type: gpkg.Text}, {Name: "n", Type: gpkg.Integer}, {Name: "minutes", Type: gpkg.Real}}})
		if err != nil {
			return err
		}
		for _, r := range []struct {
			chw string
			m   float64
		}{{"a", 1}, {"a", 3}, {"b", 2}} {
			if _, err := w.Insert(nil, r.chw, 1, r.m); err != nil {
				return err
			}
		}
		if err := w.Close(); err != nil {
			return err
		}
		return tx.CreateView(gpkg.View{Name: "by_chw", Description: "households per CHW", Select: sel})
	})
	return path, err
}

func TestCreateView(t *testing.T) {
	path, err := writeViewFile(t, viewOver)
	if err != nil {
		t.Fatal(err)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	layers, err := db.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, l := range layers {
		if l.Name != "by_chw" {
			continue
		}
		found = true
		if l.DataType != "attributes" || l.Count != 2 || len(l.Fields) != 3 || l.Fields[1].Type != gpkg.Integer || l.Fields[2].Type != gpkg.Real {
			t.Errorf("Layers() by_chw = %+v, want attributes, 2 rows, fields chw TEXT, households INTEGER, mean_minutes REAL", l)
		}
	}
	if !found {
		t.Fatalf("Layers() does not list the view")
	}
	sc := db.Scan("by_chw")
	var got []string
	for sc.Scan() {
		v := sc.Values()
		got = append(got, v[0].(string)+":"+strings.TrimSpace(strings.Repeat("x", int(v[1].(int64)))))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "a:xx,b:x" {
		t.Errorf("Scan(by_chw) = %v, want a:xx,b:x", got)
	}
	runValidator(t, validator(t), path)
	if _, err := exec.LookPath("ogrinfo"); err == nil {
		out, err := exec.Command("ogrinfo", "-ro", "-q", path).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "by_chw") {
			t.Errorf("ogrinfo %s: %v\n%s", path, err, out)
		}
	}
}

func TestCreateViewUntyped(t *testing.T) {
	for name, sel := range map[string]string{
		"aggregate": "SELECT row_number() OVER (ORDER BY chw) AS fid, count(*) AS n FROM t GROUP BY chw",
		"text id":   "SELECT chw AS fid FROM t",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := writeViewFile(t, sel); err == nil || !strings.Contains(err.Error(), "view by_chw") {
				t.Errorf("CreateView(%q) error = %v, want one naming the view's untyped column", sel, err)
			}
		})
	}
}
