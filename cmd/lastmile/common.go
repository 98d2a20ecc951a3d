package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// gpkgFlag is the --gpkg flag every command takes.
func gpkgFlag() *cli.StringFlag {
	return &cli.StringFlag{
		Name:    "gpkg",
		Value:   "district.gpkg",
		Usage:   "the district's GeoPackage `PATH`",
		EnvVars: []string{"LASTMILE_GPKG"},
	}
}

// formatFlag is --format for commands whose output scripts read.
func formatFlag(values ...string) *cli.StringFlag {
	usage := "output format: text"
	for _, v := range values {
		usage += "|" + v
	}
	return &cli.StringFlag{Name: "format", Value: "text", Usage: usage}
}

// checkFormat returns a usage error unless --format is text or one of values.
func checkFormat(c *cli.Context, values ...string) (string, error) {
	f := c.String("format")
	if f == "text" {
		return f, nil
	}
	for _, v := range values {
		if f == v {
			return f, nil
		}
	}
	return "", usagef("--format %q: want text or one of %v", f, values)
}

// progressWriter returns where progress goes: stderr when it is a terminal,
// io.Discard otherwise, so logs of scripted runs stay clean.
func progressWriter(c *cli.Context) io.Writer {
	if f, ok := c.App.ErrWriter.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return io.Discard
}

// now is the time written into outputs (ingested_at, gpkg_contents.last_change):
// the current time, or SOURCE_DATE_EPOCH (seconds since 1970) when it is set,
// so that the same inputs can give a byte-identical GeoPackage
// (https://reproducible-builds.org/specs/source-date-epoch/).
func now() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Now().UTC().Truncate(time.Millisecond), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want whole seconds since 1970-01-01", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// update is gpkg.Update with the transaction's clock set from now, which
// every command that writes the GeoPackage uses.
func update(ctx context.Context, path string, fn func(tx *gpkg.Tx) error) error {
	t, err := now()
	if err != nil {
		return err
	}
	return gpkg.Update(ctx, path, func(tx *gpkg.Tx) error {
		tx.Now = t
		return fn(tx)
	})
}
