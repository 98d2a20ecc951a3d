package district_test

import (
	"slices"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
)

func TestAssignmentsRoundTrip(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	want := []district.Assignment{
		{Household: "H1", CHW: "C1", Walk: 754.2, Distance: 1234.5, WalkOK: true, Method: "balanced", AssignedAt: at},
		{Household: "H2", Method: "balanced", Reason: "no_path", AssignedAt: at},
	}
	db := writeDistrict(t, func(tx *gpkg.Tx) error {
		return district.WriteAssignments(tx, want)
	})
	got := collect(t, district.ReadAssignments(db))
	// Times are stored in minutes to 3 decimals, lengths in km to 3.
	want[0].Walk, want[0].Distance = 754.2, 1234+0.5
	if !slices.EqualFunc(got, want, func(a, b district.Assignment) bool {
		return a.Household == b.Household && a.CHW == b.CHW && a.WalkOK == b.WalkOK && a.Method == b.Method &&
			a.Reason == b.Reason && a.AssignedAt.Equal(b.AssignedAt) &&
			abs(float64(a.Walk-b.Walk)) < 0.06 && abs(float64(a.Distance-b.Distance)) < 0.6
	}) {
		t.Errorf("read back %+v, want %+v", got, want)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
