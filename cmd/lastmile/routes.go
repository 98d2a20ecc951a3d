package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/geo"
)

// routesCommand plans each CHW's visit days.
func routesCommand() *cli.Command {
	return &cli.Command{
		Name:  "routes",
		Usage: "plan each CHW's visit days: which households on which day, in which order",
		UsageText: "lastmile routes --gpkg district.gpkg [--chw ID] [--day-budget 6h] [--service 20m] [--start home|facility]\n" +
			"                [--month 2027-01] [--time-limit 2s | --iterations N] [--seed N] [--format json]\n\n" +
			"Example:\n" +
			"   lastmile routes --gpkg district.gpkg\n" +
			"   lastmile routes --gpkg district.gpkg --month 2027-01 --start facility --format json",
		Description: "Splits each active CHW's assigned households (lastmile assign) into the fewest days of\n" +
			"at most --day-budget, walking and visits together (--service per household), then the\n" +
			"least walking, with the households of a village on one day where the budget allows and\n" +
			"walking times from the graph (uphill slower than downhill). --month plans the month's\n" +
			"working days (Monday to Friday): households with visits_per_month 2 or 4 are visited\n" +
			"that often, evenly spaced, and priority households come first. The roster's\n" +
			"day_budget_minutes and service_minutes override the flags per CHW; its supervisor_id\n" +
			"gets each supervisor a circuit to their CHWs' homes (--supervision each). Writes\n" +
			"visit_days (lines along the paths walked), stops (every visit in order, and every\n" +
			"household with no day and why) and supervision_days; prints each CHW's days, hours,\n" +
			"km and the balance across days and across a supervisor's CHWs.\n\n" +
			"Without --time-limit each CHW's search gets a share of two minutes of every core\n" +
			"(between 50 ms and 1 s): plans may differ between runs. --iterations N searches N\n" +
			"genetic iterations instead: the same inputs and --seed give the same plan.",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "chw", Usage: "plan only CHW `ID` (the others' rows are kept)"},
			&cli.DurationFlag{Name: "day-budget", Value: time.Duration(lastmile.DefaultDayBudget) * time.Second, Usage: "the most a day takes, walking and visits (`DURATION`)"},
			&cli.DurationFlag{Name: "service", Value: time.Duration(lastmile.DefaultService) * time.Second, Usage: "time at each household (`DURATION`)"},
			&cli.StringFlag{Name: "start", Value: lastmile.StartHome, Usage: "where days start and end: `home` or facility"},
			&cli.StringFlag{Name: "month", Usage: "plan the working days of `YYYY-MM` with visits_per_month"},
			&cli.DurationFlag{Name: "time-limit", Usage: "search time per CHW (`DURATION`; default: a share of 2 min per core)"},
			&cli.IntFlag{Name: "iterations", Usage: "search `N` iterations per CHW, no time limit (reproducible)"},
			&cli.Uint64Flag{Name: "seed", Usage: "random `SEED` of the search"},
			&cli.DurationFlag{Name: "supervision", Value: time.Duration(lastmile.DefaultSupervision) * time.Second, Usage: "a supervisor's time with each CHW (`DURATION`)"},
			&cli.IntFlag{Name: "workers", Usage: "CHWs planned in parallel (`N`; 0: one per core)"},
			formatFlag("json"),
		},
		Action: routesAction,
	}
}

func routesAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("routes takes no arguments: got %q", c.Args().Slice())
	}
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	secs := func(name string) geo.Seconds { return geo.Seconds(c.Duration(name).Seconds()) }
	opts := lastmile.RoutesOptions{
		CHW: district.CHWID(c.String("chw")), DayBudget: secs("day-budget"), Service: secs("service"),
		Start: c.String("start"), Month: c.String("month"), TimeLimit: c.Duration("time-limit"),
		Iterations: c.Int("iterations"), Seed: c.Uint64("seed"), Supervision: secs("supervision"), Workers: c.Int("workers"),
	}
	if c.IsSet("supervision") && opts.Supervision <= 0 {
		return usagef("--supervision %v: want a positive time", c.Duration("supervision"))
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	roomyGC()
	pw := progressWriter(c)
	opts.Progress = func(step string) { fmt.Fprintf(pw, "\r%-60s", step) }
	opts.CHWDone = func(done, total int) { fmt.Fprintf(pw, "\rplanned %d of %d CHWs%-20s", done, total, "") }
	res, err := d.Routes(c.Context, opts)
	fmt.Fprintf(pw, "\r%-60s\r", "")
	if err != nil {
		return fmt.Errorf("routes: %w", err)
	}
	warn(c, res.Warnings)
	if format == "json" {
		return writeJSON(c.App.Writer, routesJSON(res))
	}
	return writeRoutesSummary(c.App.Writer, res)
}

// routesSummary is routes' --format json output.
type routesSummary struct {
	Month           string         `json:"month,omitempty"`
	WorkingDays     int            `json:"working_days,omitempty"`
	Households      int            `json:"households"`
	Visits          int            `json:"visits"`
	Unserved        int            `json:"unserved"`
	Days            int            `json:"days"`
	Hours           float64        `json:"hours"`
	WalkHours       float64        `json:"walk_hours"`
	Km              float64        `json:"km"`
	TimeLimitMs     int64          `json:"time_limit_ms_per_chw,omitempty"`
	MatrixSeconds   float64        `json:"matrix_seconds"`
	SearchSeconds   float64        `json:"search_seconds"`
	GeometrySeconds float64        `json:"geometry_seconds"`
	Seconds         float64        `json:"seconds"`
	CHWs            []chwJSON      `json:"chws"`
	Supervisors     []supervisorJS `json:"supervisors"`
}

type chwJSON struct {
	CHW              string  `json:"chw_id"`
	Facility         string  `json:"facility_id"`
	Supervisor       string  `json:"supervisor_id,omitempty"`
	Households       int     `json:"households"`
	Visits           int     `json:"visits"`
	Unserved         int     `json:"unserved"`
	Days             int     `json:"days"`
	Hours            float64 `json:"hours"`
	WalkHours        float64 `json:"walk_hours"`
	Km               float64 `json:"km"`
	ShortestDayHours float64 `json:"shortest_day_hours"`
	LongestDayHours  float64 `json:"longest_day_hours"`
	VillagesWhole    int     `json:"villages_whole"`
	VillagesSplit    int     `json:"villages_split"`
	VillagesTooLarge int     `json:"villages_larger_than_a_day"`
	Overflow         int     `json:"days_past_month,omitempty"`
	SpacingError     float64 `json:"spacing_error_days,omitempty"`
	Seconds          float64 `json:"seconds"`
}

type supervisorJS struct {
	Supervisor  string   `json:"supervisor_id"`
	Facility    string   `json:"facility_id"`
	CHWs        int      `json:"chws"`
	Days        int      `json:"circuit_days"`
	WalkHours   float64  `json:"circuit_walk_hours"`
	Km          float64  `json:"circuit_km"`
	Unreached   []string `json:"unreached_chws,omitempty"`
	MinCHWDays  int      `json:"min_chw_days"`
	MaxCHWDays  int      `json:"max_chw_days"`
	MinCHWHours float64  `json:"min_chw_hours"`
	MaxCHWHours float64  `json:"max_chw_hours"`
}

func r2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

func routesJSON(r *lastmile.RoutesResult) routesSummary {
	s := routesSummary{
		Month: r.Month, WorkingDays: len(r.Dates), Households: r.Households, Visits: r.Visits, Unserved: r.Unserved,
		Days: r.Days, Hours: r2(float64(r.Walk+r.Service) / 3600), WalkHours: r2(float64(r.Walk) / 3600),
		Km: r2(r.Distance.Kilometers()), TimeLimitMs: r.TimeLimit.Milliseconds(),
		MatrixSeconds: r2(r.MatrixSeconds), SearchSeconds: r2(r.SearchSeconds), GeometrySeconds: r2(r.GeometrySeconds),
		CHWs: []chwJSON{}, Supervisors: []supervisorJS{},
	}
	for _, p := range r.Phases {
		s.Seconds += p.Seconds
	}
	s.Seconds = r2(s.Seconds)
	for _, c := range r.CHWs {
		s.CHWs = append(s.CHWs, chwJSON{
			CHW: string(c.CHW), Facility: string(c.Facility), Supervisor: c.Supervisor, Households: c.Households,
			Visits: c.Visits, Unserved: c.Unserved, Days: c.Days, Hours: r2(c.Hours()), WalkHours: r2(float64(c.Walk) / 3600),
			Km: r2(c.Distance.Kilometers()), ShortestDayHours: r2(float64(c.ShortestDay) / 3600), LongestDayHours: r2(float64(c.LongestDay) / 3600),
			VillagesWhole: c.VillagesWhole, VillagesSplit: c.VillagesSplit, VillagesTooLarge: c.VillagesTooLarge,
			Overflow: c.Overflow, SpacingError: r2(c.SpacingError), Seconds: r2(c.Seconds),
		})
	}
	for _, v := range r.Supervisors {
		sj := supervisorJS{Supervisor: v.Supervisor, Facility: string(v.Facility), CHWs: v.CHWs, Days: v.Days,
			WalkHours: r2(float64(v.Walk) / 3600), Km: r2(v.Distance.Kilometers()),
			MinCHWDays: v.MinCHWDays, MaxCHWDays: v.MaxCHWDays, MinCHWHours: r2(v.MinCHWHours), MaxCHWHours: r2(v.MaxCHWHours)}
		for _, id := range v.Unreached {
			sj.Unreached = append(sj.Unreached, string(id))
		}
		s.Supervisors = append(s.Supervisors, sj)
	}
	return s
}

func writeRoutesSummary(w io.Writer, r *lastmile.RoutesResult) error {
	s := routesJSON(r)
	var b strings.Builder
	what := "one round of visits"
	if s.Month != "" {
		what = fmt.Sprintf("month %s, %d working days", s.Month, s.WorkingDays)
	}
	fmt.Fprintf(&b, "routes (%s): %d CHWs, %d households, %d visits on %d days, %d households with no day\n",
		what, len(s.CHWs), s.Households, s.Visits, s.Days, s.Unserved)
	fmt.Fprintf(&b, "totals: %.1f h (%.1f h walking), %.1f km\n\n", s.Hours, s.WalkHours, s.Km)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "chw\thouseholds\tvisits\tdays\thours\twalk h\tkm\tshortest–longest day h\tvillages whole/split\tno day\t")
	for _, c := range s.CHWs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f–%.1f\t%d/%d\t%d\t\n", c.CHW, c.Households, c.Visits, c.Days,
			c.Hours, c.WalkHours, c.Km, c.ShortestDayHours, c.LongestDayHours, c.VillagesWhole, c.VillagesSplit, c.Unserved)
	}
	tw.Flush()
	if len(s.Supervisors) > 0 {
		fmt.Fprintf(&b, "\nsupervisors: circuits from the facility to their CHWs' homes, and the balance across their CHWs\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "supervisor\tfacility\tchws\tcircuit days\twalk h\tkm\tchw days\tchw hours\t")
		for _, v := range s.Supervisors {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.1f\t%.1f\t%d–%d\t%.1f–%.1f\t\n", v.Supervisor, v.Facility, v.CHWs, v.Days,
				v.WalkHours, v.Km, v.MinCHWDays, v.MaxCHWDays, v.MinCHWHours, v.MaxCHWHours)
		}
		tw.Flush()
	}
	per := ""
	if n := len(s.CHWs); n > 0 {
		per = fmt.Sprintf("; per CHW: matrix %.0f ms, search %.0f ms, lines %.0f ms",
			1000*s.MatrixSeconds/float64(n), 1000*s.SearchSeconds/float64(n), 1000*s.GeometrySeconds/float64(n))
	}
	limit := "iterations"
	if r.TimeLimit > 0 {
		limit = fmt.Sprintf("%v per CHW", r.TimeLimit)
	}
	fmt.Fprintf(&b, "\ntime: %.1f s (search %s%s)\n", s.Seconds, limit, per)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeRoutesBrief is the demo's short account of the plans: totals, the
// spread of days and hours across CHWs, the supervisors' circuits.
func writeRoutesBrief(w io.Writer, r *lastmile.RoutesResult) {
	s := routesJSON(r)
	fmt.Fprintf(w, "routes: %d CHWs, %d households, %d visits on %d days (%.1f h, %.1f h walking, %.0f km), %d households with no day\n",
		len(s.CHWs), s.Households, s.Visits, s.Days, s.Hours, s.WalkHours, s.Km, s.Unserved)
	if len(s.CHWs) > 0 {
		minD, maxD, minH, maxH := s.CHWs[0].Days, s.CHWs[0].Days, s.CHWs[0].Hours, s.CHWs[0].Hours
		whole, split, large := 0, 0, 0
		for _, c := range s.CHWs {
			large += c.VillagesTooLarge
			minD, maxD = min(minD, c.Days), max(maxD, c.Days)
			minH, maxH = min(minH, c.Hours), max(maxH, c.Hours)
			whole += c.VillagesWhole
			split += c.VillagesSplit
		}
		fmt.Fprintf(w, "  per CHW: %d–%d days, %.1f–%.1f h; villages on one day: %d, split: %d (%d of them larger than a day)\n",
			minD, maxD, minH, maxH, whole, split, large)
	}
	if len(s.Supervisors) > 0 {
		days := 0
		for _, v := range s.Supervisors {
			days += v.Days
		}
		fmt.Fprintf(w, "  supervisors: %d circuits from their facility to their CHWs' homes, %d days in all\n", len(s.Supervisors), days)
	}
	if n := len(s.CHWs); n > 0 {
		fmt.Fprintf(w, "  time %.1f s; per CHW: matrix %.0f ms, search %.0f ms, lines %.0f ms\n", s.Seconds,
			1000*s.MatrixSeconds/float64(n), 1000*s.SearchSeconds/float64(n), 1000*s.GeometrySeconds/float64(n))
	}
}
