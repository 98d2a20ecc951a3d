package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

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
// io.Discard otherwise, so logs of scripted runs stay clean. With
// LASTMILE_PROGRESS=log, progress goes to stderr as timestamped lines
// even when it is not a terminal: a benchmark's log then shows where a
// long run spends its time.
func progressWriter(c *cli.Context) io.Writer {
	if os.Getenv("LASTMILE_PROGRESS") == "log" {
		return &stepLog{w: c.App.ErrWriter, t0: time.Now()}
	}
	if f, ok := c.App.ErrWriter.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return io.Discard
}

// stepLog turns terminal progress (lines redrawn with \r) into one line
// per message, prefixed with the seconds since the command started.
type stepLog struct {
	w  io.Writer
	t0 time.Time
}

func (l *stepLog) Write(p []byte) (int, error) {
	for _, part := range strings.FieldsFunc(string(p), func(r rune) bool { return r == '\r' || r == '\n' }) {
		if part = strings.TrimSpace(part); part != "" {
			if _, err := fmt.Fprintf(l.w, "[%7.1fs] %s\n", time.Since(l.t0).Seconds(), part); err != nil {
				return 0, err
			}
		}
	}
	return len(p), nil
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

// Garbage collector settings for routes and sheets (GOGC and GOMEMLIMIT
// override them).
const (
	roomyGCPercent = 400
	roomyHeapLimit = 8 << 30
)

// roomyGC lets the heap grow to several times the live data, up to a
// soft limit of roomyHeapLimit, instead of twice (GOGC=100). Routes and
// sheets hold a national district's plans (a few GB) while allocating
// far more in short-lived buffers (the search's, and a compressor for
// every PDF page inside fpdf): at GOGC=100 the collector re-marked the
// plans every few GB and took a quarter of the sheets' CPU time.
func roomyGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(roomyGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(roomyHeapLimit)
	}
}
