package district_test

import (
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
)

func TestVisitLayersRoundTrip(t *testing.T) {
	date := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	days := []district.VisitDay{{CHW: "C1", Day: 1, Date: date, Line: orb.LineString{{-9.5, 6.5}, {-9.51, 6.5}, {-9.5, 6.5}},
		Households: 2, Walk: 1800, Service: 2400, Distance: 2300, Ascent: 12.3, Descent: 12.3}}
	stops := []district.Stop{
		{Household: "H1", CHW: "C1", Point: orb.Point{-9.51, 6.5}, Day: 1, Date: date, Seq: 1, Arrive: 600, Walk: 600, Visit: 1},
		{Household: "H2", CHW: "C1", Point: orb.Point{-9.52, 6.5}, Reason: "unreachable"},
	}
	db := writeDistrict(t, func(tx *gpkg.Tx) error {
		if err := district.WriteVisitDays(tx, days); err != nil {
			return err
		}
		return district.WriteStops(tx, stops)
	})
	gotDays := collect(t, district.ReadVisitDays(db))
	if len(gotDays) != 1 || !gotDays[0].Date.Equal(date) || gotDays[0].Walk != 1800 || len(gotDays[0].Line) != 3 || gotDays[0].Distance != 2300 {
		t.Errorf("visit_days read back %+v, want %+v", gotDays, days)
	}
	got := collect(t, district.ReadStops(db))
	if len(got) != 2 || got[0].Seq != 1 || got[0].Arrive != 600 || !got[0].Date.Equal(date) || got[1].Day != 0 || got[1].Reason != "unreachable" {
		t.Errorf("stops read back %+v, want %+v", got, stops)
	}
}

func TestReadVisitNeeds(t *testing.T) {
	for _, tc := range []struct {
		visits, priority string
		want             district.VisitNeed
		err              string
	}{
		{"2", "1", district.VisitNeed{Household: "H1", Visits: 2, Priority: true}, ""},
		{"", "", district.VisitNeed{Household: "H1"}, ""},
		{" 4 ", "yes", district.VisitNeed{Household: "H1", Visits: 4, Priority: true}, ""},
		{"two", "0", district.VisitNeed{}, `household H1: visits_per_month "two"`},
		{"1", "maybe", district.VisitNeed{}, `household H1: priority: "maybe"`},
	} {
		db := writeDistrict(t, func(tx *gpkg.Tx) error {
			l := district.Households.GpkgLayer()
			l.Fields = append(l.Fields, gpkg.Field{Name: "visits_per_month", Type: gpkg.Text}, gpkg.Field{Name: "priority", Type: gpkg.Text})
			w, err := tx.CreateLayer(l)
			if err != nil {
				return err
			}
			vals := make([]any, len(l.Fields))
			vals[0], vals[len(vals)-2], vals[len(vals)-1] = "H1", tc.visits, tc.priority
			if _, err := w.Insert(orb.Point{-9.5, 6.5}, vals...); err != nil {
				return err
			}
			return w.Close()
		})
		for n, err := range district.ReadVisitNeeds(db) {
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("ReadVisitNeeds(%q, %q) error %v, want one with %q", tc.visits, tc.priority, err, tc.err)
			case tc.err == "" && (err != nil || n != tc.want):
				t.Errorf("ReadVisitNeeds(%q, %q) = %+v, %v; want %+v", tc.visits, tc.priority, n, err, tc.want)
			}
		}
	}
}
