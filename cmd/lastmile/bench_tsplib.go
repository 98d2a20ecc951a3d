package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/tsplib"
	"github.com/lastmile-health/lastmile/routing/tsp"
)

// benchTsplibCommand runs the optimiser on every TSPLIB instance of a
// folder that has a known optimum.
func benchTsplibCommand() *cli.Command {
	return &cli.Command{
		Name:      "tsplib",
		Usage:     "optimise every TSPLIB instance with a known optimum and print the gaps",
		ArgsUsage: "DIR",
		UsageText: "lastmile bench tsplib [--time-limit 1s] [--min-n 1] [--max-n 1000] [--seed N] [--format text|csv] DIR\n\n" +
			"Example:\n" +
			"   GOMAXPROCS=1 lastmile bench tsplib --time-limit 1s --max-n 1000 ../shared/data/tsplib",
		Description: "DIR must hold optimal.csv (file,type,dimension,...,optimal_length) beside the\n" +
			"instances. Each instance of --min-n to --max-n nodes is solved once, one after the\n" +
			"other, with --time-limit. The table (Markdown, or CSV with --format csv) lists\n" +
			"instance, n, type, optimum, length, gap % and seconds (solve only, not reading),\n" +
			"then the mean and worst gap per type. When DIR/peers.csv exists (tool,file,...,\n" +
			"gap_pct,...) the peers' gaps are added side by side.",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "time-limit", Value: time.Second, Usage: "time limit per instance (`DURATION`)"},
			&cli.IntFlag{Name: "min-n", Value: 1, Usage: "skip instances with fewer than `N` nodes"},
			&cli.IntFlag{Name: "max-n", Value: 1000, Usage: "skip instances with more than `N` nodes"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed (`N`)"},
			formatFlag("csv"),
		},
		Action: runBenchTsplib,
	}
}

// benchRow is one instance's result.
type benchRow struct {
	file, typ string
	n         int
	optimum   int64
	length    int64
	gap       float64
	seconds   float64
	peers     map[string]float64 // tool → gap %
}

func runBenchTsplib(c *cli.Context) error {
	format, err := checkFormat(c, "csv")
	if err != nil {
		return err
	}
	if c.NArg() != 1 {
		return usagef("bench tsplib: want one DIR, got %d arguments", c.NArg())
	}
	if c.Duration("time-limit") <= 0 {
		return usagef("bench tsplib: --time-limit must be positive, got %v", c.Duration("time-limit"))
	}
	dir := c.Args().First()
	list, err := readOptimal(filepath.Join(dir, "optimal.csv"))
	if err != nil {
		return err
	}
	peers, tools, err := readPeers(filepath.Join(dir, "peers.csv"))
	if err != nil {
		return err
	}
	progress := progressWriter(c)
	var rows []benchRow
	for _, it := range list {
		if it.n < c.Int("min-n") || it.n > c.Int("max-n") {
			continue
		}
		if err := c.Context.Err(); err != nil {
			return err
		}
		res, err := lastmile.SolveTSP(c.Context, filepath.Join(dir, it.file), &tsp.Options{
			TimeLimit: c.Duration("time-limit"),
			Seed:      c.Uint64("seed"),
		})
		if err != nil {
			return err
		}
		in := res.Instance
		r := benchRow{file: it.file, typ: in.Type, n: in.Dimension, optimum: it.optimum,
			length: res.Cost, seconds: res.Seconds, peers: peers[it.file]}
		r.gap = 100 * float64(r.length-r.optimum) / float64(r.optimum)
		rows = append(rows, r)
		fmt.Fprintf(progress, "%-14s %5d %-4s gap %6.3f%% %.2f s\n", r.file, r.n, r.typ, r.gap, r.seconds)
	}
	// Only the peers that ran some of these instances get a column.
	var used []string
	for _, t := range tools {
		for _, r := range rows {
			if _, ok := r.peers[t]; ok {
				used = append(used, t)
				break
			}
		}
	}
	tools = used
	if format == "csv" {
		return writeBenchCSV(c.App.Writer, rows, tools)
	}
	return writeBenchMarkdown(c.App.Writer, rows, tools)
}

type optimalEntry struct {
	file    string
	n       int
	optimum int64
}

// readOptimal reads optimal.csv: file,type,dimension,...,optimal_length.
func readOptimal(path string) ([]optimalEntry, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty, want a header line", path)
	}
	col := columns(recs[0])
	fi, ok1 := col["file"]
	di, ok2 := col["dimension"]
	oi, ok3 := col["optimal_length"]
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("%s:1: want columns file, dimension and optimal_length", path)
	}
	var out []optimalEntry
	for k, r := range recs[1:] {
		n, err1 := strconv.Atoi(r[di])
		o, err2 := strconv.ParseInt(r[oi], 10, 64)
		if err1 != nil || err2 != nil || o <= 0 || r[fi] != filepath.Base(r[fi]) {
			return nil, fmt.Errorf("%s:%d: want a file name, a dimension and a positive optimal_length", path, k+2)
		}
		out = append(out, optimalEntry{r[fi], n, o})
	}
	return out, nil
}

// readPeers reads peers.csv (tool,file,...,gap_pct) when it exists.
func readPeers(path string) (map[string]map[string]float64, []string, error) {
	recs, err := readCSV(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 {
		return nil, nil, nil
	}
	col := columns(recs[0])
	ti, ok1 := col["tool"]
	fi, ok2 := col["file"]
	gi, ok3 := col["gap_pct"]
	if !ok1 || !ok2 || !ok3 {
		return nil, nil, fmt.Errorf("%s:1: want columns tool, file and gap_pct", path)
	}
	peers := map[string]map[string]float64{}
	var tools []string
	seen := map[string]bool{}
	for k, r := range recs[1:] {
		g, err := strconv.ParseFloat(r[gi], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: gap_pct: want a number, got %q", path, k+2, r[gi])
		}
		if !seen[r[ti]] {
			seen[r[ti]] = true
			tools = append(tools, r[ti])
		}
		if peers[r[fi]] == nil {
			peers[r[fi]] = map[string]float64{}
		}
		peers[r[fi]][r[ti]] = g
	}
	return peers, tools, nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

func columns(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		m[strings.TrimSpace(h)] = i
	}
	return m
}

func writeBenchCSV(w io.Writer, rows []benchRow, tools []string) error {
	cw := csv.NewWriter(w)
	head := []string{"instance", "n", "type", "optimum", "length", "gap_pct", "seconds"}
	for _, t := range tools {
		head = append(head, t+"_gap_pct")
	}
	cw.Write(head)
	for _, r := range rows {
		rec := []string{r.file, strconv.Itoa(r.n), r.typ, strconv.FormatInt(r.optimum, 10),
			strconv.FormatInt(r.length, 10), fmt.Sprintf("%.4f", r.gap), fmt.Sprintf("%.3f", r.seconds)}
		for _, t := range tools {
			rec = append(rec, peerCell(r, t, "%.4f"))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func peerCell(r benchRow, tool, f string) string {
	if g, ok := r.peers[tool]; ok {
		return fmt.Sprintf(f, g)
	}
	return ""
}

func writeBenchMarkdown(w io.Writer, rows []benchRow, tools []string) error {
	fmt.Fprint(w, "| instance | n | type | optimum | length | gap % | seconds |")
	for _, t := range tools {
		fmt.Fprintf(w, " %s gap %% |", t)
	}
	fmt.Fprint(w, "\n|---|--:|---|--:|--:|--:|--:|")
	for range tools {
		fmt.Fprint(w, "--:|")
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %d | %s | %d | %d | %.3f | %.2f |", r.file, r.n, r.typ, r.optimum, r.length, r.gap, r.seconds)
		for _, t := range tools {
			fmt.Fprintf(w, " %s |", peerCell(r, t, "%.3f"))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "| type | instances | mean gap % | worst gap % | worst instance | mean seconds | max seconds |")
	for _, t := range tools {
		fmt.Fprintf(w, " %s mean gap %% | %s worst gap %% |", t, t)
	}
	fmt.Fprint(w, "\n|---|--:|--:|--:|---|--:|--:|")
	for range tools {
		fmt.Fprint(w, "--:|--:|")
	}
	fmt.Fprintln(w)
	for _, typ := range []string{tsplib.TSP, tsplib.ATSP} {
		var cnt int
		var sum, worst, secs, maxSecs float64
		worstFile := ""
		psum, pworst, pcnt := map[string]float64{}, map[string]float64{}, map[string]int{}
		for _, r := range rows {
			if r.typ != typ {
				continue
			}
			cnt++
			sum += r.gap
			secs += r.seconds
			maxSecs = max(maxSecs, r.seconds)
			if worstFile == "" || r.gap > worst {
				worst, worstFile = r.gap, r.file
			}
			for t, g := range r.peers {
				psum[t] += g
				pworst[t] = max(pworst[t], g)
				pcnt[t]++
			}
		}
		if cnt == 0 {
			continue
		}
		fmt.Fprintf(w, "| %s | %d | %.3f | %.3f | %s | %.2f | %.2f |", typ, cnt, sum/float64(cnt), worst, worstFile, secs/float64(cnt), maxSecs)
		for _, t := range tools {
			if pcnt[t] == 0 {
				fmt.Fprint(w, " | |")
				continue
			}
			fmt.Fprintf(w, " %.3f (%d) | %.3f |", psum[t]/float64(pcnt[t]), pcnt[t], pworst[t])
		}
		fmt.Fprintln(w)
	}
	return nil
}
