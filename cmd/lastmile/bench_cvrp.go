package main

import (
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile/bench/cvrp"
)

// benchCvrpCommand runs the CVRP benchmark (bench/cvrp) on a folder of
// VRPLIB instances with bks.csv.
func benchCvrpCommand() *cli.Command {
	return &cli.Command{
		Name:      "cvrp",
		Usage:     "optimise every CVRPLIB instance listed in bks.csv and print the gaps",
		ArgsUsage: "DIR",
		UsageText: "lastmile bench cvrp [--time-limit 1s] [--seed N] [--sets A,CMT] [--clock cpu|wall] [--format text|csv] DIR\n\n" +
			"Example:\n" +
			"   GOMAXPROCS=1 lastmile bench cvrp --time-limit 1s ../shared/data/cvrp",
		Description: "DIR must hold bks.csv (file,set,customers,bks,proven_optimal,rounding,...) beside\n" +
			"the instances. Each instance is solved once, one after the other, with --time-limit\n" +
			"measured on --clock: cpu (the process's CPU time, as HGS-CVRP measures its limit,\n" +
			"so other load on the machine does not shorten the search) or wall. Every solution\n" +
			"is checked by an independent checker (each customer once, capacity, DISTANCE).\n" +
			"The Markdown table (or CSV) lists gap % per instance, then mean and worst gap per set.",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "time-limit", Value: time.Second, Usage: "time limit per instance (`DURATION`)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed (`N`)"},
			&cli.StringFlag{Name: "sets", Usage: "comma-separated `SETS` to run (default: all)"},
			&cli.StringFlag{Name: "clock", Value: "cpu", Usage: "what --time-limit measures: cpu or wall"},
			formatFlag("csv"),
		},
		Action: runBenchCvrp,
	}
}

func runBenchCvrp(c *cli.Context) error {
	format, err := checkFormat(c, "csv")
	if err != nil {
		return err
	}
	if c.NArg() != 1 {
		return usagef("bench cvrp: want one DIR, got %d arguments", c.NArg())
	}
	if c.Duration("time-limit") <= 0 {
		return usagef("bench cvrp: --time-limit must be positive, got %v", c.Duration("time-limit"))
	}
	o := cvrp.Options{TimeLimit: c.Duration("time-limit"), Seed: c.Uint64("seed"), Progress: progressWriter(c)}
	switch c.String("clock") {
	case "cpu":
		o.Clock = cvrp.CPUClock
	case "wall":
	default:
		return usagef("bench cvrp: --clock %q: want cpu or wall", c.String("clock"))
	}
	if s := c.String("sets"); s != "" {
		o.Sets = strings.Split(s, ",")
	}
	rows, err := cvrp.Run(c.Context, c.Args().First(), o)
	if err != nil {
		return err
	}
	if format == "csv" {
		return cvrp.WriteCSV(c.App.Writer, rows)
	}
	return cvrp.WriteMarkdown(c.App.Writer, rows)
}
