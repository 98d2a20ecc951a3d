package cvrp

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/data/vrplib"
	"github.com/lastmile-health/lastmile/routing/vrp"
)

// Entry is one line of bks.csv: an instance and its best known cost.
type Entry struct {
	File     string
	Set      string
	BKS      float64
	Optimal  bool
	Rounding vrplib.Rounding
}

// ReadBKS reads bks.csv (file,set,customers,bks,proven_optimal,rounding,...).
func ReadBKS(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty, want a header line", path)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range []string{"file", "set", "bks", "rounding"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s:1: want columns file, set, bks and rounding", path)
		}
	}
	var out []Entry
	for k, r := range recs[1:] {
		e := Entry{File: r[col["file"]], Set: r[col["set"]]}
		e.BKS, err = strconv.ParseFloat(r[col["bks"]], 64)
		if err != nil || e.BKS <= 0 || e.File != filepath.Base(e.File) {
			return nil, fmt.Errorf("%s:%d: want a file name and a positive bks", path, k+2)
		}
		if e.Rounding, err = vrplib.ParseRounding(r[col["rounding"]]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, k+2, err)
		}
		if i, ok := col["proven_optimal"]; ok {
			e.Optimal = r[i] == "yes"
		}
		out = append(out, e)
	}
	return out, nil
}

// Row is one instance's benchmark result.
type Row struct {
	Entry
	N       int // customers
	Cost    float64
	Routes  int
	Gap     float64 // percent above the best known cost
	Seconds float64
	// Err is the independent checker's verdict; nil when feasible.
	Err error
}

// Options tunes Run.
type Options struct {
	// TimeLimit is the time per instance, measured on Clock.
	TimeLimit time.Duration
	// Seed is the solver's seed.
	Seed uint64
	// Sets restricts the run to these sets (nil: all).
	Sets []string
	// Clock measures TimeLimit (nil: wall clock); CPUClock matches
	// HGS-CVRP's own time limit.
	Clock func() time.Duration
	// Progress, when set, gets one line per instance as it finishes.
	Progress io.Writer
}

// Run solves every instance listed in dir/bks.csv one after the other and
// checks each solution with Check. A solution the checker rejects is a
// row with Err set, not an error of Run; Run fails only on unreadable
// input or a cancelled ctx.
func Run(ctx context.Context, dir string, o Options) ([]Row, error) {
	list, err := ReadBKS(filepath.Join(dir, "bks.csv"))
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, s := range o.Sets {
		want[s] = true
	}
	var rows []Row
	for _, e := range list {
		if len(want) > 0 && !want[e.Set] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rows, err
		}
		in, err := vrplib.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			return rows, err
		}
		sol, err := Solve(ctx, in, e.Rounding, &vrp.Options{TimeLimit: o.TimeLimit, Seed: o.Seed, Clock: o.Clock})
		if err != nil {
			return rows, err
		}
		r := Row{Entry: e, N: in.Dimension - 1, Cost: sol.Cost, Routes: len(sol.Routes), Seconds: sol.Seconds}
		cost, err := Check(in, e.Rounding, sol.Routes)
		switch {
		case err != nil:
			r.Err = err
		case math.Abs(cost-sol.Cost) > 1e-6*max(1, cost):
			r.Err = fmt.Errorf("solver says cost %v, checker %v", sol.Cost, cost)
		}
		r.Cost = cost
		r.Gap = 100 * (cost - e.BKS) / e.BKS
		rows = append(rows, r)
		if o.Progress != nil {
			status := "ok"
			if r.Err != nil {
				status = "INFEASIBLE: " + r.Err.Error()
			}
			fmt.Fprintf(o.Progress, "%-14s %4d gap %7.3f%% %.2f s %s\n", e.File, r.N, r.Gap, r.Seconds, status)
		}
	}
	return rows, nil
}

// SetSummary is the mean and worst gap of one set.
type SetSummary struct {
	Set        string
	Instances  int
	Mean       float64
	Worst      float64
	WorstFile  string // "" when no instance is above its best known cost
	Infeasible int
	Seconds    float64 // mean
}

// Summarize returns one summary per set in order of first appearance, then
// one for all rows ("all").
func Summarize(rows []Row) []SetSummary {
	var order []string
	by := map[string]*SetSummary{}
	add := func(key string, r Row) {
		s := by[key]
		if s == nil {
			s = &SetSummary{Set: key, Worst: math.Inf(-1)}
			by[key] = s
			order = append(order, key)
		}
		s.Instances++
		s.Mean += r.Gap
		s.Seconds += r.Seconds
		if r.Gap > s.Worst {
			s.Worst, s.WorstFile = r.Gap, r.File
		}
		if r.Err != nil {
			s.Infeasible++
		}
	}
	for _, r := range rows {
		add(r.Set, r)
	}
	for _, r := range rows {
		add("all", r)
	}
	out := make([]SetSummary, 0, len(order))
	for _, k := range order {
		s := by[k]
		s.Mean /= float64(s.Instances)
		s.Seconds /= float64(s.Instances)
		if s.Worst < 0.0005 { // every instance at (or below) its best known cost
			s.WorstFile = ""
		}
		out = append(out, *s)
	}
	return out
}

// WriteMarkdown writes the per-instance table and the per-set summary.
func WriteMarkdown(w io.Writer, rows []Row) error {
	bw := &errWriter{w: w}
	bw.printf("| instance | set | n | best known | cost | gap %% | routes | seconds | feasible |\n")
	bw.printf("|---|---|--:|--:|--:|--:|--:|--:|---|\n")
	for _, r := range rows {
		feas := "yes"
		if r.Err != nil {
			feas = "**no**: " + r.Err.Error()
		} else if r.Gap < -0.0005 {
			// A best known cost that assumes a fixed number of routes
			// can be beaten with a free fleet.
			feas = "yes, below the best known cost"
		}
		bw.printf("| %s | %s | %d | %s | %s | %.3f | %d | %.2f | %s |\n", r.File, r.Set, r.N,
			num(r.BKS, r.Rounding), num(r.Cost, r.Rounding), r.Gap, r.Routes, r.Seconds, feas)
	}
	bw.printf("\n")
	bw.printf("| set | instances | mean gap %% | worst gap %% | worst instance | infeasible | mean seconds |\n")
	bw.printf("|---|--:|--:|--:|---|--:|--:|\n")
	for _, s := range Summarize(rows) {
		worst := s.WorstFile
		if worst == "" {
			worst = "—"
		}
		bw.printf("| %s | %d | %.3f | %.3f | %s | %d | %.2f |\n", s.Set, s.Instances, s.Mean, s.Worst, worst, s.Infeasible, s.Seconds)
	}
	return bw.err
}

// WriteCSV writes one line per instance.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"instance", "set", "n", "bks", "cost", "gap_pct", "routes", "seconds", "feasible"})
	for _, r := range rows {
		feas := "yes"
		if r.Err != nil {
			feas = "no"
		}
		cw.Write([]string{r.File, r.Set, strconv.Itoa(r.N), num(r.BKS, r.Rounding), num(r.Cost, r.Rounding),
			fmt.Sprintf("%.4f", r.Gap), strconv.Itoa(r.Routes), fmt.Sprintf("%.3f", r.Seconds), feas})
	}
	cw.Flush()
	return cw.Error()
}

func num(x float64, r vrplib.Rounding) string {
	if r == vrplib.NInt {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 3, 64)
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
