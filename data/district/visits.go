package district

import (
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
)

// VisitDay is one row of visit_days: one CHW's walk on one day.
type VisitDay struct {
	CHW CHWID
	// Day is the day's number in the plan (1-based); Date its calendar
	// date with --month (zero otherwise).
	Day  int
	Date time.Time
	// Line follows the paths walked, from the start (home or facility)
	// through every stop and back.
	Line orb.LineString
	// Households is the number of stops.
	Households      int
	Walk, Service   geo.Seconds
	Distance        geo.Meters
	Ascent, Descent geo.Meters
}

// Stop is one row of stops: one visit to a household, or a household the
// plan could not visit (Day 0, Reason set).
type Stop struct {
	Household HouseholdID
	CHW       CHWID
	Point     orb.Point
	// Day and Seq place the visit (Seq 1 is the day's first stop); Date is
	// the day's date with --month. Day 0: not planned, Reason says why.
	Day  int
	Date time.Time
	Seq  int
	// Arrive is the time from setting out to arriving here (walking and
	// earlier visits); Walk the walk from the previous stop (or the start).
	Arrive, Walk geo.Seconds
	// Visit is which visit of the month this is (1 for the first).
	Visit int
	// Reason is "" for a planned visit, else why the household has no day:
	// unreachable, too_far, no_path, across_water.
	Reason string
}

// SupervisorDay is one row of supervision_days: a supervisor's walk from
// the facility to the homes of the CHWs they supervise.
type SupervisorDay struct {
	Supervisor string
	Facility   FacilityID
	Day        int
	Line       orb.LineString
	// CHWs are the homes visited, in order.
	CHWs          []CHWID
	Walk, Service geo.Seconds
	Distance      geo.Meters
}

// VisitDaysSchema is the visit_days layer.
type VisitDaysSchema struct {
	Layer
	CHW, Day, Date, Households, WalkMinutes, ServiceMinutes, Km, AscentM, DescentM Column
}

// StopsSchema is the stops layer.
type StopsSchema struct {
	Layer
	Household, CHW, Day, Date, Seq, ArriveMinute, WalkMinutes, Visit, Reason Column
}

// SupervisionDaysSchema is the supervision_days layer.
type SupervisionDaysSchema struct {
	Layer
	Supervisor, Facility, Day, CHWs, WalkMinutes, ServiceMinutes, Km Column
}

// PlanningColumnsSchema names the optional input columns lastmile routes
// reads: households' visit needs and the roster's supervisors and
// per-CHW overrides. Ingest keeps them as TEXT among the other input
// columns.
type PlanningColumnsSchema struct {
	VisitsPerMonth, Priority                     Column
	Supervisor, DayBudgetMinutes, ServiceMinutes Column
}

// The layers lastmile routes writes, and the input columns it reads.
var (
	VisitDays = func() VisitDaysSchema {
		s := VisitDaysSchema{
			CHW:            col("chw_id", gpkg.Text, ""),
			Day:            col("day", gpkg.Integer, "1-based, in walking order"),
			Date:           col("date", gpkg.Date, "with `--month`, else NULL"),
			Households:     col("households", gpkg.Integer, "stops"),
			WalkMinutes:    col("walk_minutes", gpkg.Real, ""),
			ServiceMinutes: col("service_minutes", gpkg.Real, ""),
			Km:             col("km", gpkg.Real, ""),
			AscentM:        col("ascent_m", gpkg.Real, ""),
			DescentM:       col("descent_m", gpkg.Real, "the line follows the paths walked, from the start through every stop and back"),
		}
		s.Layer = Layer{Name: "visit_days", Geometry: gpkg.LineString, WrittenBy: "`routes`",
			Description: "each CHW's walk on each visit day (lastmile routes)",
			Columns: []Column{s.CHW, s.Day, s.Date, s.Households, s.WalkMinutes, s.ServiceMinutes, s.Km,
				s.AscentM, s.DescentM}}
		return s
	}()

	Stops = func() StopsSchema {
		s := StopsSchema{
			Household:    col("household_id", gpkg.Text, ""),
			CHW:          col("chw_id", gpkg.Text, ""),
			Day:          col("day", gpkg.Integer, "NULL: not planned (see reason)"),
			Date:         col("date", gpkg.Date, "with `--month`"),
			Seq:          col("seq", gpkg.Integer, "1 = the day's first stop"),
			ArriveMinute: col("arrive_minute", gpkg.Real, "minutes after setting out, walking and earlier visits"),
			WalkMinutes:  col("walk_minutes_from_previous", gpkg.Real, ""),
			Visit:        col("visit", gpkg.Integer, "1st, 2nd, … visit of the month"),
			Reason:       col("reason", gpkg.Text, "NULL, or why the household has no day: `unreachable` (no path from the start or back), `too_far` (its round trip alone exceeds the day), `no_path`, `across_water` (not on the walking graph)"),
		}
		s.Layer = Layer{Name: "stops", Geometry: gpkg.Point, WrittenBy: "`routes`",
			Description: "every planned household visit, in order, and the households no day can reach (lastmile routes)",
			Columns:     []Column{s.Household, s.CHW, s.Day, s.Date, s.Seq, s.ArriveMinute, s.WalkMinutes, s.Visit, s.Reason}}
		return s
	}()

	SupervisionDays = func() SupervisionDaysSchema {
		s := SupervisionDaysSchema{
			Supervisor:     col("supervisor_id", gpkg.Text, ""),
			Facility:       col("facility_id", gpkg.Text, "where the circuit starts and ends"),
			Day:            col("day", gpkg.Integer, ""),
			CHWs:           col("chws", gpkg.Text, "CHW IDs in visiting order, comma-separated"),
			WalkMinutes:    col("walk_minutes", gpkg.Real, ""),
			ServiceMinutes: col("service_minutes", gpkg.Real, ""),
			Km:             col("km", gpkg.Real, ""),
		}
		s.Layer = Layer{Name: "supervision_days", Geometry: gpkg.LineString, WrittenBy: "`routes`",
			Description: "supervisors' circuits to the homes of their CHWs (lastmile routes, roster supervisor_id)",
			Columns:     []Column{s.Supervisor, s.Facility, s.Day, s.CHWs, s.WalkMinutes, s.ServiceMinutes, s.Km}}
		return s
	}()

	PlanningColumns = PlanningColumnsSchema{
		VisitsPerMonth:   col("visits_per_month", gpkg.Text, "households: visits a month (empty: 1)"),
		Priority:         col("priority", gpkg.Text, "households: 1/true/yes to visit first"),
		Supervisor:       col("supervisor_id", gpkg.Text, "chws: the CHW's supervisor"),
		DayBudgetMinutes: col("day_budget_minutes", gpkg.Text, "chws: this CHW's day, overriding --day-budget"),
		ServiceMinutes:   col("service_minutes", gpkg.Text, "chws: this CHW's visit time, overriding --service"),
	}
)

// WriteVisitDays replaces the visit_days layer with ds.
func WriteVisitDays(tx *gpkg.Tx, ds []VisitDay) error {
	w, err := Create(tx, &VisitDays.Layer)
	if err != nil {
		return err
	}
	for _, d := range ds {
		var date any
		if !d.Date.IsZero() {
			date = d.Date
		}
		if err := w.Insert(d.Line, string(d.CHW), d.Day, date, d.Households, round3(d.Walk.Minutes()),
			round3(d.Service.Minutes()), round3(d.Distance.Kilometers()), round1(float64(d.Ascent)), round1(float64(d.Descent))); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteStops replaces the stops layer with ss.
func WriteStops(tx *gpkg.Tx, ss []Stop) error {
	w, err := Create(tx, &Stops.Layer)
	if err != nil {
		return err
	}
	vals := make([]any, 9)
	for _, s := range ss {
		vals[0], vals[1] = string(s.Household), nullable(string(s.CHW))
		if s.Day > 0 {
			vals[2], vals[4], vals[5], vals[6], vals[7] = s.Day, s.Seq, round3(s.Arrive.Minutes()), round3(s.Walk.Minutes()), s.Visit
		} else {
			vals[2], vals[4], vals[5], vals[6], vals[7] = nil, nil, nil, nil, nil
		}
		vals[3] = nil
		if !s.Date.IsZero() {
			vals[3] = s.Date
		}
		vals[8] = nullable(s.Reason)
		if err := w.Insert(s.Point, vals...); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteSupervisionDays replaces the supervision_days layer with ds.
func WriteSupervisionDays(tx *gpkg.Tx, ds []SupervisorDay) error {
	w, err := Create(tx, &SupervisionDays.Layer)
	if err != nil {
		return err
	}
	for _, d := range ds {
		ids := make([]string, len(d.CHWs))
		for i, c := range d.CHWs {
			ids[i] = string(c)
		}
		if err := w.Insert(d.Line, d.Supervisor, nullable(string(d.Facility)), d.Day, strings.Join(ids, ","),
			round3(d.Walk.Minutes()), round3(d.Service.Minutes()), round3(d.Distance.Kilometers())); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

func (r *row) date(c Column) time.Time {
	switch v := r.val(c).(type) {
	case time.Time:
		return v
	case string:
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// ReadVisitDays streams visit_days in fid order.
func ReadVisitDays(rd gpkg.Reader) iter.Seq2[VisitDay, error] {
	s := &VisitDays
	return scan(rd, &s.Layer, func(r *row) (VisitDay, error) {
		l, _ := r.geom.(orb.LineString)
		return VisitDay{
			CHW: CHWID(r.str(s.CHW)), Day: r.int(s.Day), Date: r.date(s.Date), Line: l, Households: r.int(s.Households),
			Walk: geo.Seconds(r.float(s.WalkMinutes) * 60), Service: geo.Seconds(r.float(s.ServiceMinutes) * 60),
			Distance: geo.Meters(r.float(s.Km) * 1000), Ascent: geo.Meters(r.float(s.AscentM)), Descent: geo.Meters(r.float(s.DescentM)),
		}, nil
	})
}

// ReadStops streams stops in fid order.
func ReadStops(rd gpkg.Reader) iter.Seq2[Stop, error] {
	s := &Stops
	return scan(rd, &s.Layer, func(r *row) (Stop, error) {
		p, err := r.point()
		return Stop{
			Household: HouseholdID(r.str(s.Household)), CHW: CHWID(r.str(s.CHW)), Point: p,
			Day: r.int(s.Day), Date: r.date(s.Date), Seq: r.int(s.Seq),
			Arrive: geo.Seconds(r.float(s.ArriveMinute) * 60), Walk: geo.Seconds(r.float(s.WalkMinutes) * 60),
			Visit: r.int(s.Visit), Reason: r.str(s.Reason),
		}, err
	})
}

// ReadSupervisionDays streams supervision_days in fid order.
func ReadSupervisionDays(rd gpkg.Reader) iter.Seq2[SupervisorDay, error] {
	s := &SupervisionDays
	return scan(rd, &s.Layer, func(r *row) (SupervisorDay, error) {
		l, _ := r.geom.(orb.LineString)
		var chws []CHWID
		for _, id := range strings.Split(r.str(s.CHWs), ",") {
			if id != "" {
				chws = append(chws, CHWID(id))
			}
		}
		return SupervisorDay{
			Supervisor: r.str(s.Supervisor), Facility: FacilityID(r.str(s.Facility)), Day: r.int(s.Day), Line: l, CHWs: chws,
			Walk: geo.Seconds(r.float(s.WalkMinutes) * 60), Service: geo.Seconds(r.float(s.ServiceMinutes) * 60),
			Distance: geo.Meters(r.float(s.Km) * 1000),
		}, nil
	})
}

// VisitNeed is what the households layer says about a household's visits
// (columns visits_per_month and priority, when the input had them).
type VisitNeed struct {
	Household HouseholdID
	// Visits is the visits a month; 0 when the column is absent or empty.
	Visits   int
	Priority bool
}

// ReadVisitNeeds streams every household's visit needs in fid order. A
// value that is not a whole number (visits_per_month) or a yes/no
// (priority) is an error naming the household, the column and the value.
func ReadVisitNeeds(rd gpkg.Reader) iter.Seq2[VisitNeed, error] {
	s, c := &Households, &PlanningColumns
	return scan(rd, &s.Layer, func(r *row) (VisitNeed, error) {
		n := VisitNeed{Household: HouseholdID(r.str(s.ID))}
		var err error
		if v := strings.TrimSpace(r.str(c.VisitsPerMonth)); v != "" {
			if n.Visits, err = strconv.Atoi(v); err != nil || n.Visits < 0 {
				return n, fmt.Errorf("households: household %s: %s %q: want a whole number of visits (1, 2, 4)", n.Household, c.VisitsPerMonth.Name, v)
			}
		}
		if n.Priority, err = yesNo(r.val(c.Priority)); err != nil {
			return n, fmt.Errorf("households: household %s: %s: %w", n.Household, c.Priority.Name, err)
		}
		return n, nil
	})
}

// yesNo reads a TEXT (or typed) yes/no value: 1/true/yes/y, 0/false/no/n
// or empty (no).
func yesNo(v any) (bool, error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "", "0", "false", "no", "n":
			return false, nil
		case "1", "true", "yes", "y":
			return true, nil
		}
		return false, fmt.Errorf("%q: want yes or no (1/0, true/false)", x)
	}
	return false, fmt.Errorf("%v: want yes or no", v)
}

// CHWPlanning is what the roster says about planning a CHW's days
// (columns supervisor_id, day_budget_minutes, service_minutes).
type CHWPlanning struct {
	CHW        CHWID
	Supervisor string
	// DayBudget and Service override the stage's defaults when non-zero.
	DayBudget, Service geo.Seconds
}

// ReadCHWPlanning streams every CHW's planning columns in fid order; an
// unreadable number is an error naming the CHW, the column and the value.
func ReadCHWPlanning(rd gpkg.Reader) iter.Seq2[CHWPlanning, error] {
	s, c := &CHWs, &PlanningColumns
	return scan(rd, &s.Layer, func(r *row) (CHWPlanning, error) {
		p := CHWPlanning{CHW: CHWID(r.str(s.ID)), Supervisor: strings.TrimSpace(r.str(c.Supervisor))}
		for _, f := range []struct {
			col Column
			out *geo.Seconds
		}{{c.DayBudgetMinutes, &p.DayBudget}, {c.ServiceMinutes, &p.Service}} {
			v := strings.TrimSpace(r.str(f.col))
			if v == "" {
				continue
			}
			m, err := strconv.ParseFloat(v, 64)
			if err != nil || !(m > 0) || m > 24*60 {
				return p, fmt.Errorf("chws: CHW %s: %s %q: want minutes, more than 0 and at most 1440", p.CHW, f.col.Name, v)
			}
			*f.out = geo.Seconds(m * 60)
		}
		return p, nil
	})
}
