package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/data/demo"
)

// TestDemoDistrict ingests the demo generator's noisy files with no column
// flags and checks the summaries against the noise it says it injected.
func TestDemoDistrict(t *testing.T) {
	dir := t.TempDir()
	f, err := demo.Generate(context.Background(), demo.Config{Seed: 3, Households: 2500}, dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "district.gpkg")
	fac := ingestGpkg(t, path, KindFacilities, []string{f.Facilities}, Options{})
	if fac.Total.Added != f.Counts.Facilities || fac.Total.Rejected != 0 {
		t.Errorf("facilities: added %d rejected %d, want %d, 0", fac.Total.Added, fac.Total.Rejected, f.Counts.Facilities)
	}
	chw := ingestGpkg(t, path, KindCHWs, []string{f.CHWs}, Options{})
	if chw.Total.Added != f.Counts.CHWs || chw.Total.Rejected != 0 {
		t.Errorf("chws: added %d rejected %d, want %d, 0", chw.Total.Added, chw.Total.Rejected, f.Counts.CHWs)
	}
	area := AreaFromBound("demo", "demo", f.Area)
	hh := ingestGpkg(t, path, KindHouseholds, []string{f.Households}, Options{Area: area})
	s := hh.Total
	t.Logf("households: %+v", s)
	n := f.Counts.Noise
	if s.Rows != f.Counts.Rows {
		t.Errorf("rows = %d, want %d", s.Rows, f.Counts.Rows)
	}
	// Every genuine household is stored once; near duplicates carry a
	// second ID, so they are stored (and flagged) too.
	if want := f.Counts.Households + n.NearDuplicates; s.Added != want {
		t.Errorf("added = %d, want %d (households + near duplicates)", s.Added, want)
	}
	if s.Rejected != n.Duplicates+n.Junk() {
		t.Errorf("rejected = %d, want %d duplicates + %d junk", s.Rejected, n.Duplicates, n.Junk())
	}
	if got := s.RejectedByReason[ReasonDuplicateOlder]; got != n.Duplicates {
		t.Errorf("duplicate_id_older = %d, want %d", got, n.Duplicates)
	}
	if got := s.RejectedByReason[ReasonMissingCoords]; got != n.EmptyCoords+n.ShortRows {
		t.Errorf("missing_coordinates = %d, want %d", got, n.EmptyCoords+n.ShortRows)
	}
	if got := s.RejectedByReason[ReasonBadCoords]; got != n.NotAvailable {
		t.Errorf("bad_coordinates = %d, want %d", got, n.NotAvailable)
	}
	if got := s.RejectedByReason[ReasonNullIsland]; got != n.ZeroZero {
		t.Errorf("null_island = %d, want %d", got, n.ZeroZero)
	}
	if got := s.RejectedByReason[ReasonOutOfRange]; got != n.OutOfRange {
		t.Errorf("out_of_range = %d, want %d", got, n.OutOfRange)
	}
	if got := s.FlaggedByCode[FlagSwapped]; got != n.Swapped {
		t.Errorf("swapped_coords = %d, want %d", got, n.Swapped)
	}
	if got := s.FlaggedByCode[FlagLowAccuracy]; got != n.LowAccuracy {
		t.Errorf("low_accuracy = %d, want %d", got, n.LowAccuracy)
	}
	if got := s.FlaggedByCode[FlagNearDuplicate]; got != 2*n.NearDuplicates {
		t.Errorf("near_duplicate = %d, want %d (both of each pair)", got, 2*n.NearDuplicates)
	}
	// The same file again: nothing changes.
	again := ingestGpkg(t, path, KindHouseholds, []string{f.Households}, Options{Area: area})
	if a := again.Total; a.Unchanged != s.Added || a.Added != 0 || a.Updated != 0 || a.Rejected != s.Rejected {
		t.Errorf("re-ingest: %+v, want unchanged %d and the same rejects", a, s.Added)
	}
}
