package catchment_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/geo"
)

func TestFlags(t *testing.T) {
	th := catchment.DefaultThresholds()
	near := catchment.Access{FacilityWalk: 20 * 60, FacilityOK: true, NearestFacility: 1500, Assigned: true, CHWWalk: 10 * 60, CHWOK: true}
	with := func(f func(a *catchment.Access)) catchment.Access { a := near; f(&a); return a }
	for _, tc := range []struct {
		name string
		a    catchment.Access
		want []string
	}{
		{"served near a facility", near, nil},
		{"exactly 60 min is within", with(func(a *catchment.Access) { a.FacilityWalk = 3600 }), nil},
		{"60 min and a millisecond", with(func(a *catchment.Access) { a.FacilityWalk = 3600.001 }), []string{"remote", "far_from_facility"}},
		{"5 km is within", with(func(a *catchment.Access) { a.NearestFacility = 5000 }), nil},
		{"beyond 5 km, near in time", with(func(a *catchment.Access) { a.NearestFacility = 5001 }), []string{"remote"}},
		{"exactly 30 min from the CHW", with(func(a *catchment.Access) { a.CHWWalk = 1800 }), nil},
		{"far from the CHW", with(func(a *catchment.Access) { a.CHWWalk = 1801 }), []string{"far_from_chw"}},
		{"CHW cannot reach", with(func(a *catchment.Access) { a.CHWOK = false }), []string{"far_from_chw"}},
		{"unassigned", with(func(a *catchment.Access) { a.Assigned, a.CHWOK = false, false }), []string{"unassigned"}},
		{"unreachable", with(func(a *catchment.Access) { a.FacilityOK, a.Unreachable = false, catchment.UnreachableNoPath }),
			[]string{"remote", "far_from_facility", "unreachable"}},
		{"no facilities at all", with(func(a *catchment.Access) { a.FacilityOK, a.NoFacilities = false, true }),
			[]string{"remote", "far_from_facility", "unreachable"}},
		{"low accuracy", with(func(a *catchment.Access) { a.LowAccuracy = true }), []string{"low_accuracy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := th.Flags(tc.a); !slices.Equal(got, tc.want) {
				t.Errorf("Flags(%+v) = %v, want %v", tc.a, got, tc.want)
			}
		})
	}
}

func TestWetFlags(t *testing.T) {
	th := catchment.DefaultThresholds()
	dry := catchment.Access{FacilityWalk: 50 * 60, FacilityOK: true, NearestFacility: 3000, Assigned: true, CHWWalk: 25 * 60, CHWOK: true, LowAccuracy: true}
	for _, tc := range []struct {
		name string
		wet  catchment.Access
		want []string
	}{
		{"same as dry", dry, []string{"low_accuracy"}},
		{"facility beyond 60 in the wet", func() catchment.Access { a := dry; a.FacilityWalk = 70 * 60; return a }(),
			[]string{"remote", "far_from_facility", "wet_season_loss", "low_accuracy"}},
		{"ford flooded: no facility", func() catchment.Access { a := dry; a.FacilityOK = false; return a }(),
			[]string{"remote", "far_from_facility", "unreachable", "wet_season_loss", "low_accuracy"}},
		{"CHW beyond 30 in the wet", func() catchment.Access { a := dry; a.CHWWalk = 31 * 60; return a }(),
			[]string{"far_from_chw", "wet_season_loss", "low_accuracy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := th.WetFlags(dry, tc.wet); !slices.Equal(got, tc.want) {
				t.Errorf("WetFlags = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTally(t *testing.T) {
	th := catchment.DefaultThresholds()
	var c catchment.Tally
	for i := range 130 {
		a := catchment.Access{FacilityWalk: 90 * 60, FacilityOK: true, NearestFacility: 7000, Assigned: i%2 == 0, CHWWalk: 600, CHWOK: true}
		c.Add(th, a, false, 3)
	}
	if c.Households != 130 || c.People != 390 || c.Remote != 130 || c.Served != 65 || c.Unassigned != 65 {
		t.Errorf("tally %+v", c)
	}
	if lo, hi, p := c.CHWsNeeded(catchment.DefaultNorm()); lo != 3 || hi != 4 || p != 2 {
		t.Errorf("CHWsNeeded = %d, %d, %d; want 3 (130/60 up), 4 (130/40 up), 2 (390/350 up)", lo, hi, p)
	}
	if m := c.FacilityMinutes.Mean(); m != 90 {
		t.Errorf("mean facility minutes %v, want 90", m)
	}
}

func ExampleThresholds_Flags() {
	th := catchment.DefaultThresholds()
	a := catchment.Access{
		FacilityWalk: 75 * 60, FacilityOK: true, // 75 minutes' walk to the clinic
		NearestFacility: 4200, // 4.2 km as the crow flies
		Assigned:        true, CHWWalk: 12 * 60, CHWOK: true,
	}
	fmt.Println(th.Flags(a), th.Served(a))
	// Output: [remote far_from_facility] true
}

func TestBandsOf(t *testing.T) {
	b := catchment.DefaultBands()
	for _, tc := range []struct {
		min  float64
		want int
	}{{0, 0}, {15, 0}, {15.00002, 1}, {30, 1}, {59.99, 2}, {60, 2}, {60.001, 3}, {120, 3}, {120.001, -1}} {
		if got := b.Of(geo.Seconds(tc.min * 60)); got != tc.want {
			t.Errorf("Of(%v min) = %d, want %d", tc.min, got, tc.want)
		}
	}
	if !b.Valid() || (catchment.Bands{30 * 60, 15 * 60}).Valid() || (catchment.Bands{}).Valid() {
		t.Error("Valid: want true for the defaults, false for descending or empty limits")
	}
}
