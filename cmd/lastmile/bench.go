package main

import "github.com/urfave/cli/v2"

// benchCommand groups the benchmarks that write a results table. Each
// sub-command lives in its own bench_*.go file.
func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "run a benchmark and print its results table",
		Subcommands: []*cli.Command{
			benchTsplibCommand(),
			benchCvrpCommand(),
			benchIngestCommand(),
			benchGraphCommand(),
		},
	}
}
