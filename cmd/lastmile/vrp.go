package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile/bench/cvrp"
	"github.com/lastmile-health/lastmile/data/vrplib"
	"github.com/lastmile-health/lastmile/routing/vrp"
)

// vrpCommand solves one VRPLIB instance.
func vrpCommand() *cli.Command {
	return &cli.Command{
		Name:      "vrp",
		Usage:     "optimise routes for a capacitated vehicle-routing instance (VRPLIB .vrp)",
		ArgsUsage: "FILE.vrp",
		UsageText: "lastmile vrp [--time-limit 1s] [--seed N] [--round nint|real] [--format text|json] FILE.vrp\n\n" +
			"Example:\n" +
			"   lastmile vrp --time-limit 1s --round real ../shared/data/cvrp/CMT6.vrp",
		Description: "Reads a CVRPLIB instance and minimises the total travel cost over any number of\n" +
			"routes from the depot, each carrying at most CAPACITY and, when DISTANCE is set,\n" +
			"taking at most DISTANCE (travel plus SERVICE_TIME per customer), within\n" +
			"--time-limit on one core. --round nint rounds each distance to the nearest integer\n" +
			"(sets A to P, X); --round real keeps exact distances (CMT, Golden).\n" +
			"--format json prints {\"cost\", \"routes\" (node numbers as in the file, depot\n" +
			"excluded), \"seconds\"}.",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "time-limit", Value: time.Second, Usage: "stop the search after `DURATION`"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed (`N`)"},
			&cli.StringFlag{Name: "round", Value: "nint", Usage: "distance rule: nint or real"},
			formatFlag("json"),
		},
		Action: runVRP,
	}
}

// vrpJSON is the --format json output of lastmile vrp.
type vrpJSON struct {
	Cost    float64 `json:"cost"`
	Routes  [][]int `json:"routes"`
	Seconds float64 `json:"seconds"`
}

func runVRP(c *cli.Context) error {
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	if c.NArg() != 1 {
		return usagef("vrp: want one FILE.vrp, got %d arguments", c.NArg())
	}
	if c.Duration("time-limit") <= 0 {
		return usagef("vrp: --time-limit must be positive, got %v", c.Duration("time-limit"))
	}
	round, err := vrplib.ParseRounding(c.String("round"))
	if err != nil {
		return usagef("vrp: --round: %v", err)
	}
	in, err := vrplib.ReadFile(c.Args().First())
	if err != nil {
		return err
	}
	sol, err := cvrp.Solve(c.Context, in, round, &vrp.Options{TimeLimit: c.Duration("time-limit"), Seed: c.Uint64("seed")})
	if err != nil {
		return err
	}
	w := c.App.Writer
	if format == "json" {
		return json.NewEncoder(w).Encode(vrpJSON{Cost: sol.Cost, Routes: sol.Routes, Seconds: sol.Seconds})
	}
	fmt.Fprintf(w, "%s: cost %s, %d routes, %.2f s\n", in.Name, strings.TrimSuffix(fmt.Sprintf("%.6f", sol.Cost), ".000000"), len(sol.Routes), sol.Seconds)
	for k, r := range sol.Routes {
		fmt.Fprintf(w, "Route #%d:", k+1)
		for _, v := range r {
			fmt.Fprintf(w, " %d", v)
		}
		fmt.Fprintln(w)
	}
	return nil
}
