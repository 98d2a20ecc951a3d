package main

import (
	"fmt"
	"io"
	"os"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/routing"

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
	usage := "output `FORMAT`: text"
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

// openDistrict opens the district named by --gpkg.
func openDistrict(c *cli.Context) (*lastmile.District, error) {
	d, err := lastmile.Open(c.String("gpkg"))
	if err != nil {
		return nil, err
	}
	if c.IsSet("season") {
		d.Season = c.String("season")
		if d.Season != routing.Dry && d.Season != routing.Wet {
			return nil, usagef("%s: --season %q: want dry or wet", c.Command.Name, d.Season)
		}
	}
	return d, nil
}

// seasonFlag picks the season's walking graph for a query.
func seasonFlag() cli.Flag {
	return &cli.StringFlag{Name: "season", Value: "dry", Usage: "walk in the `SEASON`'s graph: dry or wet (lastmile graph builds both)"}
}

// warn prints warnings on stderr, each prefixed with the command's name.
func warn(c *cli.Context, ws []string) {
	for _, w := range ws {
		fmt.Fprintf(c.App.ErrWriter, "%s: warning: %s\n", c.Command.Name, w)
	}
}
