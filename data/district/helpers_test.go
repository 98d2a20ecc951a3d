package district_test

import (
	"context"
	"iter"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

// writeDistrict creates a GeoPackage in a temporary directory with write
// and opens it for reading; it is closed when the test ends.
func writeDistrict(t *testing.T, write func(tx *gpkg.Tx) error) *gpkg.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "d.gpkg")
	if err := gpkg.Update(context.Background(), path, write); err != nil {
		t.Fatal(err)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// collect reads every value of seq, stopping the test at an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
