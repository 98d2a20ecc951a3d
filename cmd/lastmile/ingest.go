package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
)

// ingestCommand reads households, the CHW roster and health facilities
// into the district GeoPackage.
func ingestCommand() *cli.Command {
	return &cli.Command{
		Name:  "ingest",
		Usage: "read households, CHWs or facilities (CSV or GeoJSON) into the district GeoPackage",
		Description: "Reads ODK Central, KoboToolbox and CommCare CSV exports (comma, semicolon or tab;\n" +
			"UTF-8, or Windows-1252 from Excel) and GeoJSON (points, or outlines whose point on\n" +
			"surface is used). Columns are found by name; name them with the --*-col flags.\n" +
			"Every row ends in the layer or in the rejects table with a reason; re-ingesting a\n" +
			"newer export updates rows by ID. Of several submissions of one ID the latest\n" +
			"submission time wins, a row with a time beats one without, and on a tie the later\n" +
			"row (file, then line) wins. Each file is logged in ingest_log.\n\n" +
			"Example:\n" +
			"   lastmile ingest facilities --gpkg district.gpkg ../shared/data/liberia/health_facilities_osm_2026-05-10.geojson\n" +
			"   lastmile ingest households --gpkg district.gpkg --area ../shared/data/liberia/admin2_districts.geojson --area-where adm2_name=Konobo export.csv",
		Subcommands: []*cli.Command{
			ingestKindCommand(ingest.KindHouseholds, "household registrations",
				"lastmile ingest households --gpkg district.gpkg --area ../shared/data/liberia/admin2_districts.geojson --area-where adm2_name=Konobo export.csv"),
			ingestKindCommand(ingest.KindCHWs, "the CHW roster (id, name, home location, facility, capacity, active)",
				"lastmile ingest chws --gpkg district.gpkg chws.csv"),
			ingestKindCommand(ingest.KindFacilities, "health facilities (e.g. an OpenStreetMap export)",
				"lastmile ingest facilities --gpkg district.gpkg ../shared/data/liberia/health_facilities_osm_2026-05-10.geojson"),
		},
	}
}

func ingestKindCommand(kind ingest.Kind, what, example string) *cli.Command {
	flags := []cli.Flag{
		gpkgFlag(),
		&cli.StringFlag{Name: "area", Usage: "study area: `BBOX` minlon,minlat,maxlon,maxlat or a GeoJSON/GeoPackage boundary file; stored in the GeoPackage and reused later"},
		&cli.StringFlag{Name: "area-where", Usage: "pick boundary features by `FIELD=VALUE`, e.g. adm2_name=Konobo"},
		&cli.Float64Flag{Name: "max-accuracy", Value: float64(ingest.DefaultMaxAccuracy), Usage: "flag points whose GPS accuracy is worse than `METRES`"},
		&cli.BoolFlag{Name: "no-personal", Usage: "leave personal fields (names, phones) out of the GeoPackage and redact them in rejects"},
		formatFlag("json"),
		&cli.StringFlag{Name: "id-col", Usage: "ID `COLUMN`"},
		&cli.StringFlag{Name: "lat-col", Usage: "latitude `COLUMN`"},
		&cli.StringFlag{Name: "lon-col", Usage: "longitude `COLUMN`"},
		&cli.StringFlag{Name: "gps-col", Usage: "geopoint `COLUMN` (\"lat lon altitude accuracy\")"},
		&cli.StringFlag{Name: "accuracy-col", Usage: "GPS accuracy `COLUMN` (metres)"},
	}
	switch kind {
	case ingest.KindHouseholds:
		flags = append(flags,
			&cli.StringFlag{Name: "members-col", Usage: "number of members `COLUMN`"},
			&cli.StringFlag{Name: "head-col", Usage: "head of household `COLUMN`"},
			&cli.StringFlag{Name: "phone-col", Usage: "phone `COLUMN`"},
			&cli.StringFlag{Name: "village-col", Usage: "village `COLUMN`"},
			&cli.StringFlag{Name: "time-col", Usage: "submission time `COLUMN`"})
	case ingest.KindCHWs:
		flags = append(flags,
			&cli.StringFlag{Name: "name-col", Usage: "name `COLUMN`"},
			&cli.StringFlag{Name: "facility-col", Usage: "health facility ID `COLUMN`"},
			&cli.StringFlag{Name: "capacity-col", Usage: "capacity (households) `COLUMN`"},
			&cli.StringFlag{Name: "active-col", Usage: "active flag `COLUMN`"})
	case ingest.KindFacilities:
		flags = append(flags,
			&cli.StringFlag{Name: "name-col", Usage: "name `COLUMN`"},
			&cli.StringFlag{Name: "type-col", Usage: "facility type `COLUMN`"})
	}
	return &cli.Command{
		Name:      string(kind),
		Usage:     "ingest " + what,
		ArgsUsage: "FILE...",
		Description: "Example:\n   " + example + "\n\n" +
			"Without --area the stored study area is used" + map[bool]string{true: "; failing that the extent of the\nCHWs and facilities plus 5 km; failing that no area check.", false: ", if any."}[kind == ingest.KindHouseholds] + "\n" +
			"Prints added/updated/unchanged/flagged/rejected counts (by reason code) on stdout.",
		Flags:  flags,
		Action: func(c *cli.Context) error { return ingestAction(c, kind) },
	}
}

func ingestAction(c *cli.Context, kind ingest.Kind) error {
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	files := c.Args().Slice()
	if c.Float64("max-accuracy") <= 0 {
		return usagef("--max-accuracy %g: want a positive number of metres", c.Float64("max-accuracy"))
	}
	opts := ingest.Options{
		MaxAccuracy: geo.Meters(c.Float64("max-accuracy")),
		NoPersonal:  c.Bool("no-personal"),
		Columns: ingest.Columns{
			ID: c.String("id-col"), Lat: c.String("lat-col"), Lon: c.String("lon-col"), GPS: c.String("gps-col"),
			Accuracy: c.String("accuracy-col"), Members: c.String("members-col"), Head: c.String("head-col"),
			Phone: c.String("phone-col"), Village: c.String("village-col"), Submitted: c.String("time-col"),
			Name: c.String("name-col"), Facility: c.String("facility-col"), Capacity: c.String("capacity-col"),
			Active: c.String("active-col"), Type: c.String("type-col"),
		},
	}
	if (opts.Columns.Lat == "") != (opts.Columns.Lon == "") {
		return usagef("--lat-col and --lon-col go together")
	}
	stderr := c.App.ErrWriter
	pw := progressWriter(c)
	progressed := false
	opts.Progress = func(file string, pass, rows int) {
		progressed = true
		step := map[int]string{1: "checking", 2: "writing"}[pass]
		fmt.Fprintf(pw, "\r%s: %s, %d rows", file, step, rows)
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	res, err := d.Ingest(c.Context, kind, files, lastmile.IngestOptions{Options: opts, Area: c.String("area"), AreaWhere: c.String("area-where")})
	if progressed {
		fmt.Fprintln(pw)
	}
	if err != nil {
		return fmt.Errorf("ingest %s: %w", kind, err)
	}
	// Said only after the ingest succeeded: a failed one stores nothing.
	switch area := res.Area; res.AreaOrigin {
	case ingest.AreaFlag:
		fmt.Fprintf(stderr, "study area: %s (%s), stored in %s\n", area.Name, area.Source, d.Path)
	case ingest.AreaStored:
		fmt.Fprintf(stderr, "study area: %s (%s), as stored in %s\n", area.Name, area.Source, d.Path)
	case ingest.AreaExtent:
		fmt.Fprintf(stderr, "study area: %s (give --area to set one)\n", area.Name)
	default:
		fmt.Fprintf(stderr, "no study area: coordinates are not checked against an area (give --area)\n")
	}
	sum := res.Summary
	for _, f := range sum.Files {
		for _, w := range f.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
	}
	if format == "json" {
		return writeJSON(c.App.Writer, sum)
	}
	return writeIngestSummary(c.App.Writer, sum)
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func writeIngestSummary(w io.Writer, sum *ingest.Summary) error {
	var b strings.Builder
	one := func(f *ingest.FileSummary, indent string) {
		fmt.Fprintf(&b, "%srows       %8d\n", indent, f.Rows)
		fmt.Fprintf(&b, "%sadded      %8d\n", indent, f.Added)
		fmt.Fprintf(&b, "%supdated    %8d\n", indent, f.Updated)
		fmt.Fprintf(&b, "%sunchanged  %8d\n", indent, f.Unchanged)
		fmt.Fprintf(&b, "%sflagged    %8d", indent, f.Flagged)
		if s := codes(f.FlaggedByCode); s != "" {
			fmt.Fprintf(&b, "  (%s)", s)
		}
		fmt.Fprintf(&b, "\n%srejected   %8d", indent, f.Rejected)
		if s := codes(f.RejectedByReason); s != "" {
			fmt.Fprintf(&b, "  (%s)", s)
		}
		b.WriteString("\n")
	}
	area := sum.Area
	if area == "" {
		area = "none"
	}
	fmt.Fprintf(&b, "ingest %s (study area: %s)\n", sum.Kind, area)
	if len(sum.Files) == 1 {
		f := sum.Files[0]
		fmt.Fprintf(&b, "%s  sha256 %s\n", f.File, f.SHA256)
		one(&f, "  ")
	} else {
		for _, f := range sum.Files {
			fmt.Fprintf(&b, "%s  sha256 %s\n", f.File, f.SHA256)
			one(&f, "  ")
		}
		b.WriteString("total\n")
		one(&sum.Total, "  ")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
