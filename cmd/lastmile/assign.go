package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/household"
	"github.com/lastmile-health/lastmile/geo"
)

// assignCommand decides which CHW serves which household.
func assignCommand() *cli.Command {
	return &cli.Command{
		Name:  "assign",
		Usage: "assign households to CHWs: Voronoi, walking time, or balanced under limits",
		UsageText: "lastmile assign --gpkg district.gpkg --method voronoi|walk|balanced [--min-households N] [--max-households N]\n" +
			"                [--max-walk MINUTES] [--keep-villages=false] [--locks FILE.csv] [--keep] [--format json]\n\n" +
			"Example:\n" +
			"   lastmile assign --gpkg district.gpkg --method balanced\n" +
			"   lastmile assign --gpkg district.gpkg --method balanced --keep --locks locks.csv",
		Description: "voronoi gives each household to the active CHW whose home is nearest as the crow\n" +
			"flies; walk to the CHW with the least walking time from home (on the graph built by\n" +
			"lastmile graph); balanced solves a min-cost flow: every CHW between --min-households\n" +
			"and --max-households (the roster's capacity overrides the max), nobody beyond\n" +
			"--max-walk where the network allows, then the least total walking. --keep-villages\n" +
			"keeps a village with one CHW where the limits allow. --keep starts from the current\n" +
			"assignments after a roster change and moves as few households as possible (listed in\n" +
			"the moves table). --locks pins households or villages (CSV: household_id or village,\n" +
			"chw_id). Writes assignments (every household once), catchments, chw_workload and\n" +
			"moves; prints the workload spread.",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "method", Value: lastmile.MethodBalanced, Usage: "`METHOD`: voronoi, walk or balanced"},
			&cli.IntFlag{Name: "min-households", Value: lastmile.DefaultMinHouseholds, Usage: "fewest households per CHW `N` (balanced)"},
			&cli.IntFlag{Name: "max-households", Value: lastmile.DefaultMaxHouseholds, Usage: "most households per CHW `N` unless the roster gives a capacity (balanced)"},
			&cli.Float64Flag{Name: "max-walk", Value: lastmile.DefaultMaxWalk.Minutes(), Usage: "walk limit from the CHW's home in `MINUTES`"},
			&cli.BoolFlag{Name: "keep-villages", Value: true, Usage: "keep each village with one CHW where the limits allow (--keep-villages=false: per household)"},
			&cli.StringFlag{Name: "locks", Usage: "pin households or villages to CHWs: CSV `FILE` with household_id or village, and chw_id"},
			&cli.BoolFlag{Name: "keep", Usage: "start from the current assignments and move as few households as possible"},
			formatFlag("json"),
		},
		Action: assignAction,
	}
}

func assignAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("assign takes no arguments: got %q", c.Args().Slice())
	}
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	if c.Float64("max-walk") <= 0 {
		return usagef("--max-walk %g: want a positive number of minutes", c.Float64("max-walk"))
	}
	opts := lastmile.AssignOptions{
		Method:        c.String("method"),
		MinHouseholds: c.Int("min-households"),
		MaxHouseholds: c.Int("max-households"),
		MaxWalk:       geo.Seconds(c.Float64("max-walk") * 60),
		KeepVillages:  c.Bool("keep-villages"),
		Keep:          c.Bool("keep"),
	}
	if f := c.String("locks"); f != "" {
		if opts.Locks, err = readLocks(f); err != nil {
			return fmt.Errorf("assign: --locks: %w", err)
		}
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	pw := progressWriter(c)
	opts.Progress = func(step string) { fmt.Fprintf(pw, "\r%-60s", step) }
	res, err := d.Assign(c.Context, opts)
	fmt.Fprintf(pw, "\r%-60s\r", "")
	if err != nil {
		return fmt.Errorf("assign: %w", err)
	}
	warn(c, res.Warnings)
	if format == "json" {
		return writeJSON(c.App.Writer, assignJSON(res))
	}
	return writeAssignSummary(c.App.Writer, res)
}

func readLocks(file string) ([]lastmile.Lock, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := household.ReadLocks(file, f)
	if err != nil {
		return nil, err
	}
	locks := make([]lastmile.Lock, len(rows))
	for i, r := range rows {
		locks[i] = lastmile.Lock{Household: district.HouseholdID(r.Household), Village: r.Village, CHW: district.CHWID(r.CHW), Line: r.Line}
	}
	return locks, nil
}

// assignSummary is assign's --format json output.
type assignSummary struct {
	Method       string         `json:"method"`
	Households   int            `json:"households"`
	Assigned     int            `json:"assigned"`
	Unassigned   map[string]int `json:"unassigned_by_reason"`
	CHWs         int            `json:"chws"`
	MinLoad      int            `json:"min_households"`
	MaxLoad      int            `json:"max_households"`
	MaxOverMin   *float64       `json:"max_over_min"`
	CV           float64        `json:"cv"`
	OverWalk     int            `json:"over_walk"`
	OverCapacity int            `json:"over_capacity"`
	UnderMinimum int            `json:"under_minimum"`
	TotalMinutes float64        `json:"total_walk_minutes"`
	MeanMinutes  float64        `json:"mean_walk_minutes"`
	Moves        int            `json:"moves"`
	Catchments   int            `json:"catchments"`
	Arcs         int            `json:"candidate_arcs,omitempty"`
}

func assignJSON(r *lastmile.AssignResult) assignSummary {
	s := r.Summary
	out := assignSummary{
		Method: r.Method, Households: s.Households, Assigned: s.Assigned, Unassigned: map[string]int{},
		CHWs: s.Spread.CHWs, MinLoad: s.Spread.Min, MaxLoad: s.Spread.Max, CV: s.Spread.CV,
		OverWalk: s.OverWalk, OverCapacity: s.OverCapacity, UnderMinimum: s.UnderMinimum,
		TotalMinutes: s.TotalWalk.Minutes(), MeanMinutes: s.MeanWalk.Minutes(), Moves: len(r.Moves),
		Catchments: r.Catchments, Arcs: r.Arcs,
	}
	for k, v := range s.UnassignedBy {
		out.Unassigned[string(k)] = v
	}
	if x, ok := s.Spread.Ratio(); ok {
		out.MaxOverMin = &x
	}
	return out
}

func writeAssignSummary(w io.Writer, r *lastmile.AssignResult) error {
	s := assignJSON(r)
	var b strings.Builder
	fmt.Fprintf(&b, "assign --method %s: %d households, %d assigned, %d unassigned", s.Method, s.Households, s.Assigned, s.Households-s.Assigned)
	if len(s.Unassigned) > 0 {
		fmt.Fprintf(&b, " (%s)", codes(s.Unassigned))
	}
	ratio := "n/a"
	if s.MaxOverMin != nil {
		ratio = fmt.Sprintf("%.2f", *s.MaxOverMin)
	}
	fmt.Fprintf(&b, "\nworkload:   %d CHWs, %d–%d households each (max/min %s, CV %.2f)\n", s.CHWs, s.MinLoad, s.MaxLoad, ratio, s.CV)
	fmt.Fprintf(&b, "limits:     %d households beyond the walk limit, %d over capacity, %d short of minimums\n", s.OverWalk, s.OverCapacity, s.UnderMinimum)
	fmt.Fprintf(&b, "walking:    %.0f min in all, %.1f min per household (home → household)\n", s.TotalMinutes, s.MeanMinutes)
	if r.Method == lastmile.MethodBalanced {
		fmt.Fprintf(&b, "flow:       %d candidate arcs (%d added by widening), candidates %.2f s, flow %.2f s\n", r.Arcs, r.Widened, r.CandidateSeconds, r.FlowSeconds)
	}
	if r.Moves != nil {
		fmt.Fprintf(&b, "moves:      %d households change CHW (see the moves table)\n", len(r.Moves))
	}
	fmt.Fprintf(&b, "catchments: %d written\n", s.Catchments)
	var total float64
	var phases []string
	for _, p := range r.Phases {
		total += p.Seconds
		phases = append(phases, fmt.Sprintf("%s %.2f s", p.Name, p.Seconds))
	}
	fmt.Fprintf(&b, "time:       %.2f s (%s)\n", total, strings.Join(phases, ", "))
	_, err := io.WriteString(w, b.String())
	return err
}
