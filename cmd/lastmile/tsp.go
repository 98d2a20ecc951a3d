package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/tsplib"
	"github.com/lastmile-health/lastmile/routing/tsp"
)

// tspCommand optimises one TSPLIB instance.
func tspCommand() *cli.Command {
	return &cli.Command{
		Name:      "tsp",
		Usage:     "optimise a round trip on a TSPLIB instance (.tsp or .atsp)",
		ArgsUsage: "FILE.tsp|FILE.atsp",
		UsageText: "lastmile tsp [--time-limit 1s] [--seed N] [--out FILE.tour] [--optimum N] [--format text|json] FILE.tsp|FILE.atsp\n\n" +
			"Example:\n" +
			"   lastmile tsp --time-limit 1s --optimum 2579 --out a280.tour ../shared/data/tsplib/a280.tsp",
		Description: "Reads a TSPLIB instance (TSP or ATSP), optimises the round trip from node 1\n" +
			"within --time-limit on one core and prints its length (and the gap to --optimum).\n" +
			"--out writes the tour as a TSPLIB TOUR file; --format json prints\n" +
			"{\"length\", \"tour\" (node numbers 1..n), \"seconds\", ...}.",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "time-limit", Value: time.Second, Usage: "stop the search after `DURATION`"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed (`N`)"},
			&cli.StringFlag{Name: "out", Usage: "write the tour to `FILE.tour`"},
			&cli.Int64Flag{Name: "optimum", Usage: "known optimal length `N`, to print the gap"},
			formatFlag("json"),
		},
		Action: runTSP,
	}
}

// tspJSON is the --format json output of lastmile tsp.
type tspJSON struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	N       int      `json:"n"`
	Length  int64    `json:"length"`
	Optimum *int64   `json:"optimum,omitempty"`
	GapPct  *float64 `json:"gap_pct,omitempty"`
	Optimal bool     `json:"proven_optimal"`
	Seconds float64  `json:"seconds"`
	Tour    []int    `json:"tour"`
}

func runTSP(c *cli.Context) error {
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	if c.NArg() != 1 {
		return usagef("tsp: want one FILE.tsp or FILE.atsp, got %d arguments", c.NArg())
	}
	if c.Duration("time-limit") <= 0 {
		return usagef("tsp: --time-limit must be positive, got %v", c.Duration("time-limit"))
	}
	if c.IsSet("optimum") && c.Int64("optimum") <= 0 {
		return usagef("tsp: --optimum must be positive, got %d", c.Int64("optimum"))
	}
	r, err := lastmile.SolveTSP(c.Context, c.Args().First(), &tsp.Options{
		TimeLimit: c.Duration("time-limit"),
		Seed:      c.Uint64("seed"),
	})
	if err != nil {
		return err
	}
	in, res, name, nodes, secs := r.Instance, r.Result, r.Name, r.Tour, r.Seconds
	if out := c.String("out"); out != "" {
		if err := writeTourFile(out, &tsplib.Tour{
			Name:    name + ".tour",
			Comment: fmt.Sprintf("length %d, lastmile tsp --seed %d", res.Cost, c.Uint64("seed")),
			Nodes:   nodes,
		}); err != nil {
			return err
		}
	}
	var opt *int64
	var gap *float64
	if c.IsSet("optimum") {
		o := c.Int64("optimum")
		g := 100 * float64(res.Cost-o) / float64(o)
		opt, gap = &o, &g
	}
	w := c.App.Writer
	if format == "json" {
		enc := json.NewEncoder(w)
		return enc.Encode(tspJSON{Name: name, Type: in.Type, N: in.Dimension, Length: res.Cost,
			Optimum: opt, GapPct: gap, Optimal: res.Optimal, Seconds: secs, Tour: nodes})
	}
	fmt.Fprintf(w, "%s (%s, %d nodes): length %d", name, in.Type, in.Dimension, res.Cost)
	if gap != nil {
		fmt.Fprintf(w, ", optimum %d, gap %.3f%%", *opt, *gap)
	}
	if res.Optimal {
		fmt.Fprint(w, ", proven optimal")
	}
	_, err = fmt.Fprintf(w, ", %.2f s\n", secs)
	return err
}

// writeTourFile writes t to path, reporting the Close error.
func writeTourFile(path string, t *tsplib.Tour) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := tsplib.WriteTour(f, t); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
