package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
)

// infoCommand prints what a district GeoPackage holds.
func infoCommand() *cli.Command {
	return &cli.Command{
		Name:        "info",
		Usage:       "show what the district GeoPackage holds: layers, study area, ingest history",
		Description: "Example:\n   lastmile info --gpkg district.gpkg\n   lastmile info --gpkg district.gpkg --format json",
		Flags:       []cli.Flag{gpkgFlag(), formatFlag("json")},
		Action:      infoAction,
	}
}

func infoAction(c *cli.Context) error {
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	if c.Args().Len() > 0 {
		return usagef("info takes no arguments (use --gpkg PATH)")
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	rep, err := d.Info()
	if err != nil {
		return fmt.Errorf("info: %w", err)
	}
	if format == "json" {
		return writeJSON(c.App.Writer, rep)
	}
	return writeInfo(c.App.Writer, rep)
}

func extentText(e [4]float64) string {
	return fmt.Sprintf("%.5f,%.5f,%.5f,%.5f", e[0], e[1], e[2], e[3])
}

func writeInfo(w io.Writer, rep *lastmile.Info) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nlayers:\n", rep.GeoPackage)
	if len(rep.Layers) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, l := range rep.Layers {
		kind := l.GeomType
		unit := "features"
		if l.DataType != "features" {
			kind, unit = "table", "rows"
		}
		fmt.Fprintf(&b, "  %-18s %-12s %9d %-8s", l.Name, kind, l.Count, unit)
		if l.Extent != nil {
			fmt.Fprintf(&b, "  extent %s", extentText(*l.Extent))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nstudy area: ")
	if rep.StudyArea == nil {
		b.WriteString("none (lastmile ingest --area sets one)\n")
	} else {
		fmt.Fprintf(&b, "%s (%s), extent %s\n", rep.StudyArea.Name, rep.StudyArea.Source, extentText(rep.StudyArea.Extent))
	}
	b.WriteString("\ningest history:\n")
	if len(rep.Ingests) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, g := range rep.Ingests {
		sha := g.SHA256
		if len(sha) > 12 {
			sha = sha[:12]
		}
		fmt.Fprintf(&b, "  %s  %-10s %s (sha256 %s): rows %d, added %d, updated %d, unchanged %d, flagged %d, rejected %d",
			g.At, g.Kind, g.File, sha, g.Rows, g.Added, g.Updated, g.Unchanged, g.Flagged, g.Rejected)
		if g.RejectedByReason != "" && g.RejectedByReason != "{}" {
			fmt.Fprintf(&b, " %s", g.RejectedByReason)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
