package ingest

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var testNow = time.Date(2026, 5, 12, 8, 0, 0, 0, time.UTC)

// konoboBox is a bbox around the test rows near Gbarzon.
var konoboBox = orb.Bound{Min: orb.Point{-8.3, 5.9}, Max: orb.Point{-7.9, 6.3}}

func ingestGpkg(t testing.TB, path string, kind Kind, files []string, opts Options) *Summary {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	var sum *Summary
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		var err error
		switch kind {
		case KindHouseholds:
			sum, err = Households(context.Background(), tx, files, opts)
		case KindCHWs:
			sum, err = CHWs(context.Background(), tx, files, opts)
		case KindFacilities:
			sum, err = Facilities(context.Background(), tx, files, opts)
		}
		return err
	})
	if err != nil {
		t.Fatalf("ingest %s %v: %v", kind, files, err)
	}
	return sum
}

func TestNoisyODK(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.gpkg")
	sum := ingestGpkg(t, path, KindHouseholds, []string{"testdata/odk_noisy.csv"}, Options{Area: AreaFromBound("box", "test", konoboBox)})
	f := sum.Total
	t.Logf("%+v", f)
	want := map[string]int{
		ReasonMissingCoords: 1, ReasonBadCoords: 1, ReasonNullIsland: 1, ReasonOutOfRange: 1,
		ReasonOutsideArea: 1, ReasonDuplicateOlder: 1, ReasonMissingID: 1, ReasonRaggedRow: 1,
	}
	for k, v := range want {
		if f.RejectedByReason[k] != v {
			t.Errorf("rejected %s = %d, want %d", k, f.RejectedByReason[k], v)
		}
	}
	if f.Rows != 14 || f.Added != 6 || f.Rejected != 8 {
		t.Errorf("rows %d added %d rejected %d, want 14, 6, 8", f.Rows, f.Added, f.Rejected)
	}
	wantFlags := map[string]int{FlagSwapped: 1, FlagLowAccuracy: 1, FlagNearDuplicate: 2}
	for k, v := range wantFlags {
		if f.FlaggedByCode[k] != v {
			t.Errorf("flagged %s = %d, want %d", k, f.FlaggedByCode[k], v)
		}
	}
	_ = os.Remove
}
