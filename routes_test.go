package lastmile_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
)

// The river district's CHWs with a supervisor, and households with visit
// needs: H1 every two weeks and a priority, H9 far from every path.
const routesCHWs = "chw_id,facility_id,lat,lon,capacity,active,supervisor_id\n" +
	"W,F1,0.0000,10.0001,,true,S1\n" +
	"E,F1,0.0200,10.0039,,true,S1\n" +
	"X,F1,0.0100,10.0001,,true,\n"

const routesHouseholds = "household_id,village,members,lat,lon,visits_per_month,priority\n" +
	"H1,Zleh,5,0.0010,10.0039,2,1\n" +
	"H2,Zleh,4,0.0020,10.0039,1,0\n" +
	"H3,Zleh,6,0.0030,10.0039,,\n" +
	"H4,Gbarzon,3,0.0010,10.0001,1,0\n" +
	"H5,Gbarzon,2,0.0020,10.0001,1,0\n" +
	"H6,Gbarzon,2,0.0030,10.0001,1,0\n" +
	"H7,Kpolu,2,0.0150,10.0001,1,0\n" +
	"H8,Kpolu,2,0.0160,10.0001,1,0\n" +
	"H9,,2,0.0050,10.0300,1,0\n"

// routesDistrict is the river district with households assigned: H1–H3
// and H9 to E (across the river from W), H4–H8 to W, none to X.
func routesDistrict(t *testing.T) *testDistrict {
	td := newTestDistrict(t, riverOSM(), routesCHWs, routesHouseholds)
	td.ingest(ingest.KindFacilities, "facilities.csv", "facility_id,name,lat,lon\nF1,Clinic,0.0050,10.0001\n", "")
	err := gpkg.Update(context.Background(), td.d.Path, func(tx *gpkg.Tx) error {
		var rows []district.Assignment
		for h, c := range map[string]string{"H1": "E", "H2": "E", "H3": "E", "H9": "E", "H4": "W", "H5": "W", "H6": "W", "H7": "W", "H8": "W"} {
			rows = append(rows, district.Assignment{Household: district.HouseholdID(h), CHW: district.CHWID(c), Method: "test"})
		}
		slices.SortFunc(rows, func(a, b district.Assignment) int { return strings.Compare(string(a.Household), string(b.Household)) })
		return district.WriteAssignments(tx, rows)
	})
	if err != nil {
		t.Fatal(err)
	}
	return td
}

func (td *testDistrict) routes(opts lastmile.RoutesOptions) (*lastmile.RoutesResult, []district.VisitDay, []district.Stop) {
	td.t.Helper()
	if opts.DayBudget == 0 {
		opts.DayBudget = lastmile.DefaultDayBudget
	}
	if opts.Service == 0 {
		opts.Service = lastmile.DefaultService
	}
	if opts.Iterations == 0 && opts.TimeLimit == 0 {
		opts.Iterations = 50
	}
	res, err := td.d.Routes(context.Background(), opts)
	if err != nil {
		td.t.Fatalf("Routes(%+v): %v", opts, err)
	}
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		td.t.Fatal(err)
	}
	defer db.Close()
	var days []district.VisitDay
	for d, err := range district.ReadVisitDays(db) {
		if err != nil {
			td.t.Fatal(err)
		}
		days = append(days, d)
	}
	var stops []district.Stop
	for s, err := range district.ReadStops(db) {
		if err != nil {
			td.t.Fatal(err)
		}
		stops = append(stops, s)
	}
	return res, days, stops
}

// checkRoutes asserts what every plan keeps: each household in stops as
// often as visits asks (or once with a reason), each day's stops numbered
// 1..n in walking order with times that add up to the day's walk, every
// day within budget, its line starting and ending at the start.
func checkRoutes(t *testing.T, days []district.VisitDay, stops []district.Stop, visits map[string]int, budget geo.Seconds) {
	t.Helper()
	type key struct {
		chw district.CHWID
		day int
	}
	byDay := map[key][]district.Stop{}
	count := map[string]int{}
	for _, s := range stops {
		if s.Day == 0 {
			if s.Reason == "" {
				t.Errorf("household %s has no day and no reason", s.Household)
			}
			count[string(s.Household)] = -1
			continue
		}
		count[string(s.Household)]++
		byDay[key{s.CHW, s.Day}] = append(byDay[key{s.CHW, s.Day}], s)
	}
	for h, want := range visits {
		if count[h] != -1 && count[h] != want {
			t.Errorf("household %s appears %d times in stops, want %d", h, count[h], want)
		}
	}
	for _, d := range days {
		ss := byDay[key{d.CHW, d.Day}]
		if len(ss) != d.Households {
			t.Errorf("%s day %d: %d stops, households %d", d.CHW, d.Day, len(ss), d.Households)
		}
		var walk geo.Seconds
		for k, s := range ss {
			if s.Seq != k+1 {
				t.Errorf("%s day %d: stop %d has seq %d", d.CHW, d.Day, k+1, s.Seq)
			}
			walk += s.Walk
		}
		if walk > d.Walk+0.1 {
			t.Errorf("%s day %d: stops walk %.1f s, the day %.1f s", d.CHW, d.Day, float64(walk), float64(d.Walk))
		}
		if d.Walk+d.Service > budget+0.1 {
			t.Errorf("%s day %d takes %v, budget %v", d.CHW, d.Day, d.Walk+d.Service, budget)
		}
		if len(d.Line) < 2 || geo.Distance(d.Line[0], d.Line[len(d.Line)-1]) > 1 {
			t.Errorf("%s day %d: line %v does not return to its start", d.CHW, d.Day, d.Line)
		}
		var km geo.Meters
		for i := 1; i < len(d.Line); i++ {
			km += geo.Distance(d.Line[i-1], d.Line[i])
		}
		if math.Abs(float64(km-d.Distance)) > 0.02*float64(d.Distance)+5 {
			t.Errorf("%s day %d: line %.0f m long, km column %.0f m", d.CHW, d.Day, float64(km), float64(d.Distance))
		}
	}
}

func TestRoutesRiver(t *testing.T) {
	td := routesDistrict(t)
	res, days, stops := td.routes(lastmile.RoutesOptions{})
	once := map[string]int{"H1": 1, "H2": 1, "H3": 1, "H4": 1, "H5": 1, "H6": 1, "H7": 1, "H8": 1}
	checkRoutes(t, days, stops, once, lastmile.DefaultDayBudget)
	// H9 is 2.9 km from every path: listed with why, never dropped.
	var h9 *district.Stop
	for i := range stops {
		if stops[i].Household == "H9" {
			h9 = &stops[i]
		}
	}
	if h9 == nil || h9.Day != 0 || h9.Reason != "no_path" || h9.CHW != "E" {
		t.Errorf("H9 in stops as %+v, want no day, reason no_path, CHW E", h9)
	}
	// Two CHWs with households, one day each (W: 5 visits, 100 min).
	if len(days) != 2 || res.Days != 2 || res.Visits != 8 || res.Unserved != 1 {
		t.Errorf("%d days (result %d), %d visits, %d unserved; want 2, 8, 1", len(days), res.Days, res.Visits, res.Unserved)
	}
	// E walks to Zleh down its own bank: the line never crosses.
	for _, d := range days {
		for _, p := range d.Line {
			if d.CHW == "E" && p[0] < 10.003 {
				t.Errorf("E's day crosses the river at %v", p)
				break
			}
		}
	}
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "CHW X has no households") }) {
		t.Errorf("warnings %q: want one about CHW X", res.Warnings)
	}
	if len(res.Supervisors) != 1 || res.Supervisors[0].CHWs != 2 || res.Supervisors[0].Days != 1 || res.Supervisors[0].Facility != "F1" {
		t.Errorf("supervisors %+v, want S1 with 2 CHWs, 1 circuit day from F1", res.Supervisors)
	}
}

func TestRoutesSmallDays(t *testing.T) {
	// A 90-minute day holds at most 4 visits of 20 min: W's five
	// households need 2 days or more, Kpolu (H7, H8, 1.5 km up the bank)
	// on one of them.
	td := routesDistrict(t)
	_, days, stops := td.routes(lastmile.RoutesOptions{DayBudget: 5400, CHW: "W"})
	checkRoutes(t, days, stops, map[string]int{"H4": 1, "H5": 1, "H6": 1, "H7": 1, "H8": 1}, 5400)
	dayOf := map[string]int{}
	for _, s := range stops {
		dayOf[string(s.Household)] = s.Day
	}
	if dayOf["H7"] == 0 || dayOf["H7"] != dayOf["H8"] {
		t.Errorf("Kpolu (H7, H8) split over days %d and %d; it fits in one", dayOf["H7"], dayOf["H8"])
	}
	n, planned := 0, 0
	for _, d := range days {
		if d.CHW == "W" {
			n++
			planned += d.Households
			if d.Households > 4 {
				t.Errorf("W's day %d has %d visits of 20 min in 90 min", d.Day, d.Households)
			}
		}
	}
	if planned != 5 || n < 2 {
		t.Errorf("W has %d days for %d visits; want 5 visits on 2 days or more", n, planned)
	}
}

func TestRoutesMonth(t *testing.T) {
	td := routesDistrict(t)
	res, days, stops := td.routes(lastmile.RoutesOptions{Month: "2027-02", Start: lastmile.StartFacility})
	if len(res.Dates) != 20 {
		t.Errorf("February 2027 has %d working days, want 20", len(res.Dates))
	}
	want := map[string]int{"H1": 2, "H2": 1, "H3": 1, "H4": 1, "H5": 1, "H6": 1, "H7": 1, "H8": 1}
	checkRoutes(t, days, stops, want, lastmile.DefaultDayBudget)
	var h1 []district.Stop
	for _, s := range stops {
		if s.Day > 0 && (s.Date.Weekday() == time.Saturday || s.Date.Weekday() == time.Sunday || s.Date.Month() != time.February) {
			t.Errorf("household %s visited on %v", s.Household, s.Date)
		}
		if s.Household == "H1" {
			h1 = append(h1, s)
		}
	}
	if len(h1) != 2 || h1[0].Visit+h1[1].Visit != 3 {
		t.Fatalf("H1's visits %+v, want visits 1 and 2", h1)
	}
	gap := math.Abs(float64(h1[1].Day - h1[0].Day))
	if gap < 5 || gap > 15 {
		t.Errorf("H1 visited on working days %d and %d: want about two weeks apart", h1[0].Day, h1[1].Day)
	}
}

func TestRoutesOneCHWKeepsOthers(t *testing.T) {
	td := routesDistrict(t)
	_, before, _ := td.routes(lastmile.RoutesOptions{})
	_, after, stops := td.routes(lastmile.RoutesOptions{CHW: "W", DayBudget: 3600})
	var e []district.VisitDay
	for _, d := range after {
		if d.CHW == "E" {
			e = append(e, d)
		}
	}
	var eBefore []district.VisitDay
	for _, d := range before {
		if d.CHW == "E" {
			eBefore = append(eBefore, d)
		}
	}
	if len(e) != len(eBefore) || len(e) == 0 || e[0].Walk != eBefore[0].Walk {
		t.Errorf("E's days changed when planning W alone: %+v, then %+v", eBefore, e)
	}
	checkRoutes(t, after, stops, map[string]int{"H1": 1, "H4": 1, "H8": 1}, lastmile.DefaultDayBudget)
}

func TestRoutesBadInput(t *testing.T) {
	td := routesDistrict(t)
	for _, tc := range []struct {
		name string
		opts lastmile.RoutesOptions
		want string
	}{
		{"service zero", lastmile.RoutesOptions{DayBudget: 3600, Service: 0}, "a visit takes time"},
		{"budget below a visit", lastmile.RoutesOptions{DayBudget: 600, Service: 1200}, "shorter than one visit"},
		{"no budget", lastmile.RoutesOptions{Service: 1200}, "--day-budget"},
		{"unknown CHW", lastmile.RoutesOptions{DayBudget: 3600, Service: 1200, CHW: "Z"}, "--chw Z"},
		{"bad start", lastmile.RoutesOptions{DayBudget: 3600, Service: 1200, Start: "school"}, "--start"},
		{"bad month", lastmile.RoutesOptions{DayBudget: 3600, Service: 1200, Month: "January"}, "YYYY-MM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := td.d.Routes(context.Background(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, lastmile.ErrUsage) {
				t.Errorf("Routes: %v; want a usage error with %q", err, tc.want)
			}
		})
	}
	empty := newTestDistrict(t, riverOSM(), routesCHWs, routesHouseholds)
	_, err := empty.d.Routes(context.Background(), lastmile.RoutesOptions{DayBudget: 3600, Service: 1200})
	if !errors.Is(err, lastmile.ErrNoAssignments) || !strings.Contains(err.Error(), "lastmile assign") {
		t.Errorf("no assignments: %v", err)
	}
}

func TestSheetsStage(t *testing.T) {
	td := routesDistrict(t)
	_, err := td.d.Sheets(context.Background(), lastmile.SheetsOptions{Out: filepath.Join(td.dir, "none")})
	if !errors.Is(err, lastmile.ErrNoRoutes) || !strings.Contains(err.Error(), "lastmile routes") {
		t.Errorf("sheets before routes: %v", err)
	}
	td.routes(lastmile.RoutesOptions{})
	out := filepath.Join(td.dir, "sheets")
	res, err := td.d.Sheets(context.Background(), lastmile.SheetsOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(out, "E.pdf"), filepath.Join(out, "W.pdf")}
	if !slices.Equal(res.CHWFiles, want) || !slices.Equal(res.FacilityFiles, []string{filepath.Join(out, "facility-F1.pdf")}) {
		t.Errorf("wrote %v and %v, want %v and facility-F1.pdf", res.CHWFiles, res.FacilityFiles, want)
	}
	for _, p := range append(res.CHWFiles, res.FacilityFiles...) {
		if b, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s: not a PDF (%v)", p, err)
		}
	}
	if res.Visits != 8 || res.Days != 2 {
		t.Errorf("%d visits on %d days printed, want 8 on 2", res.Visits, res.Days)
	}
	// The same district gives the same bytes.
	again, err := td.d.Sheets(context.Background(), lastmile.SheetsOptions{Out: filepath.Join(td.dir, "again")})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range append(again.CHWFiles, again.FacilityFiles...) {
		a, _ := os.ReadFile(p)
		b, _ := os.ReadFile(append(res.CHWFiles, res.FacilityFiles...)[i])
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: %d bytes the second time, differing from the first's %d", filepath.Base(p), len(a), len(b))
		}
	}
	one, err := td.d.Sheets(context.Background(), lastmile.SheetsOptions{Out: filepath.Join(td.dir, "one"), CHW: "W"})
	if err != nil || len(one.CHWFiles) != 1 || len(one.FacilityFiles) != 0 {
		t.Errorf("--chw W: %+v, %v; want W.pdf alone", one, err)
	}
	if _, err := td.d.Sheets(context.Background(), lastmile.SheetsOptions{}); !errors.Is(err, lastmile.ErrUsage) {
		t.Errorf("no --out: %v, want a usage error", err)
	}
}
