package main

import (
	"os"

	"github.com/urfave/cli/v2"
)

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

// benchDir returns the benchmark's working folder: --dir (created if
// needed, kept), or a temporary one that cleanup removes.
func benchDir(c *cli.Context, name string) (dir string, cleanup func(), err error) {
	if dir = c.String("dir"); dir != "" {
		return dir, func() {}, os.MkdirAll(dir, 0o755)
	}
	dir, err = os.MkdirTemp("", "lastmile-bench-"+name+"-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}
