package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/district"
)

// sheetsCommand prints the route sheets.
func sheetsCommand() *cli.Command {
	return &cli.Command{
		Name:  "sheets",
		Usage: "write each CHW's route sheets as A4 PDFs: maps, one table per day, tick boxes",
		UsageText: "lastmile sheets --gpkg district.gpkg --out DIR [--chw ID] [--no-personal] [--dem PATH]\n\n" +
			"Example:\n" +
			"   lastmile sheets --gpkg district.gpkg --out sheets\n" +
			"   lastmile sheets --gpkg district.gpkg --out sheets --chw CHW-0007 --no-personal",
		Description: "From the plans lastmile routes wrote (visit_days, stops), writes DIR/<chw_id>.pdf for\n" +
			"each CHW: a header (CHW, facility, supervisor, plan date, totals), a map of the catchment\n" +
			"(hillshade, paths, rivers, each day's walk, households marked by day, home, facility,\n" +
			"scale bar, north arrow, legend), then a page per day: its map with the stops numbered in\n" +
			"order and a table (stop, household, head of household, village, walking minutes from the\n" +
			"previous stop, time since setting out, a tick box), and the households with no day. Page\n" +
			"numbers in the footer. --no-personal leaves out the heads of household and CHW names.\n\n" +
			"DIR/facility-<facility_id>.pdf is for the facility's supervisor: a cover listing its CHWs\n" +
			"and their totals, then for each CHW its first page (overview map, days' summary) and every\n" +
			"day's table of stops one after the other, without the day maps (they are on the CHW's\n" +
			"own PDF).",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "out", Usage: "folder `DIR` for the PDFs"},
			&cli.StringFlag{Name: "chw", Usage: "only CHW `ID`'s sheet (no facility PDF)"},
			&cli.BoolFlag{Name: "no-personal", Usage: "leave out heads of household and CHW names"},
			&cli.StringFlag{Name: "dem", Usage: "elevation `PATH` (file or folder) for the hillshade instead of the one the graph was built with (moved or deleted since)"},
			&cli.IntFlag{Name: "workers", Usage: "sheets drawn in parallel (`N`; 0: one per core)"},
		},
		Action: sheetsAction,
	}
}

func sheetsAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("sheets takes no arguments: got %q", c.Args().Slice())
	}
	if c.String("out") == "" {
		return usagef("sheets: give the folder for the PDFs with --out DIR")
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	roomyGC()
	pw := progressWriter(c)
	opts := lastmile.SheetsOptions{Out: c.String("out"), CHW: district.CHWID(c.String("chw")),
		NoPersonal: c.Bool("no-personal"), DEM: c.String("dem"), Workers: c.Int("workers")}
	opts.Progress = func(step string) { fmt.Fprintf(pw, "\r%-60s", step) }
	opts.Done = func(done, total int) { fmt.Fprintf(pw, "\rfacilities done: %d of %d%-20s", done, total, "") }
	res, err := d.Sheets(c.Context, opts)
	fmt.Fprintf(pw, "\r%-60s\r", "")
	if err != nil {
		return fmt.Errorf("sheets: %w", err)
	}
	warn(c, res.Warnings)
	return writeSheetsSummary(c.App.Writer, opts.Out, res)
}

func writeSheetsSummary(w io.Writer, dir string, r *lastmile.SheetsResult) error {
	var b strings.Builder
	var total float64
	for _, p := range r.Phases {
		total += p.Seconds
	}
	fmt.Fprintf(&b, "sheets: %d CHW PDFs and %d facility PDFs in %s (%s): %d days, %d visits\n",
		len(r.CHWFiles), len(r.FacilityFiles), dir, humanBytes(r.Bytes), r.Days, r.Visits)
	show := func(files []string) string {
		if len(files) <= 3 {
			return strings.Join(files, ", ")
		}
		return fmt.Sprintf("%s, %s … %s", files[0], files[1], filepath.Base(files[len(files)-1]))
	}
	if len(r.CHWFiles) > 0 {
		fmt.Fprintf(&b, "  CHWs:       %s\n", show(r.CHWFiles))
	}
	if len(r.FacilityFiles) > 0 {
		fmt.Fprintf(&b, "  facilities: %s\n", show(r.FacilityFiles))
	}
	per := ""
	if n := len(r.CHWFiles); n > 0 {
		per = fmt.Sprintf("; per CHW: maps %.0f ms, PDF %.0f ms", 1000*r.MapSeconds/float64(n), 1000*r.PDFSeconds/float64(n))
	}
	fmt.Fprintf(&b, "time: %.1f s%s\n", total, per)
	_, err := io.WriteString(w, b.String())
	return err
}
