package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/ingest"
)

// benchIngestCommand generates a households CSV and times ingest against
// ogr2ogr on the same rows.
func benchIngestCommand() *cli.Command {
	return &cli.Command{
		Name:  "ingest",
		Usage: "time household ingest on a generated CSV, side by side with ogr2ogr",
		UsageText: "lastmile bench ingest [--rows 1000000] [--dir DIR] [--csv-only]\n\n" +
			"Example:\n" +
			"   lastmile bench ingest --rows 1000000 --dir /tmp/lastmile-bench",
		Description: "Writes DIR/households.csv (--rows rows, deterministic, about 1 % noise), then\n" +
			"ingests it into a fresh DIR/lastmile.gpkg in this process and, when ogr2ogr is on\n" +
			"PATH, runs `ogr2ogr -f GPKG DIR/ogr.gpkg households.csv -oo X_POSSIBLE_NAMES=longitude\n" +
			"-oo Y_POSSIBLE_NAMES=latitude -a_srs EPSG:4326 -nln households`. Prints a Markdown\n" +
			"table of wall seconds and peak RSS (this process's peak includes generating the CSV;\n" +
			"bench/ingest_vs_ogr2ogr.sh measures each command alone with /usr/bin/time -v).\n" +
			"With --csv-only it only writes the CSV (to --csv when given).",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "rows", Value: 1_000_000, Usage: "rows to generate (`N`)"},
			&cli.StringFlag{Name: "dir", Usage: "work `DIR` (default: a new temporary directory, removed afterwards)"},
			&cli.StringFlag{Name: "csv", Usage: "write the CSV to `PATH` instead of DIR/households.csv"},
			&cli.BoolFlag{Name: "csv-only", Usage: "only write the CSV"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "generator seed (`N`)"},
		},
		Action: benchIngestAction,
	}
}

func benchIngestAction(c *cli.Context) error {
	n := c.Int("rows")
	if n <= 0 {
		return usagef("--rows %d: want a positive number", n)
	}
	dir, cleanup, err := benchDir(c, "ingest")
	if err != nil {
		return err
	}
	defer cleanup()
	csvPath := c.String("csv")
	if csvPath == "" {
		csvPath = filepath.Join(dir, "households.csv")
	}
	f, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	if err := ingest.SyntheticHouseholds(f, n, c.Uint64("seed")); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if c.Bool("csv-only") {
		fmt.Fprintf(c.App.Writer, "%s: %d rows\n", csvPath, n)
		return nil
	}

	out := filepath.Join(dir, "lastmile.gpkg")
	os.Remove(out)
	start := time.Now()
	d, err := lastmile.Open(out)
	if err != nil {
		return err
	}
	res, err := d.Ingest(c.Context, ingest.KindHouseholds, []string{csvPath}, lastmile.IngestOptions{})
	if err != nil {
		return err
	}
	sum := res.Summary
	lmSec := time.Since(start).Seconds()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	lmMB := float64(ru.Maxrss) / 1024

	var b strings.Builder
	fmt.Fprintf(&b, "| tool | rows | stored | seconds | peak RSS MB |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| lastmile ingest households (in process) | %d | %d | %.2f | %.0f |\n", n, sum.Total.Added, lmSec, lmMB)
	if ogr, err := exec.LookPath("ogr2ogr"); err == nil {
		og := filepath.Join(dir, "ogr.gpkg")
		os.Remove(og)
		cmd := exec.CommandContext(c.Context, ogr, "-f", "GPKG", og, csvPath,
			"-oo", "X_POSSIBLE_NAMES=longitude", "-oo", "Y_POSSIBLE_NAMES=latitude", "-a_srs", "EPSG:4326", "-nln", "households")
		cmd.Stderr = c.App.ErrWriter
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("ogr2ogr: %w", err)
		}
		sec := time.Since(start).Seconds()
		mb := 0.0
		if r, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			mb = float64(r.Maxrss) / 1024
		}
		fmt.Fprintf(&b, "| ogr2ogr -f GPKG | %d | %d | %.2f | %.0f |\n", n, n, sec, mb)
		fmt.Fprintf(&b, "\nratio lastmile/ogr2ogr: %.2f× time\n", lmSec/sec)
	} else {
		b.WriteString("\nogr2ogr not found on PATH: no side-by-side run\n")
	}
	fmt.Fprintf(&b, "\n%s/%s, %d CPUs, %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	_, err = fmt.Fprint(c.App.Writer, b.String())
	return err
}
