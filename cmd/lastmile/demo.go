package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
)

// demoCommand generates the sample district and runs every stage on it.
func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "generate a sample rural district and run every stage on it",
		UsageText: "lastmile demo --out DIR [--households N] [--seed N]\n\n" +
			"Example:\n" +
			"   lastmile demo --out demo",
		Description: "Writes a seeded, synthetic district (hills, a river, villages, paths, a noisy\n" +
			"ODK household export, a CHW roster, health facilities, SRTM elevation tiles) into\n" +
			"DIR/inputs/, then ingests it and builds the walking graph into DIR/district.gpkg\n" +
			"(replaced if it exists), through the same code as the other commands. The same\n" +
			"seed always gives the same files. Names and phone numbers are fake.\n\n" +
			"Example:\n" +
			"   lastmile demo --out demo\n" +
			"   lastmile info --gpkg demo/district.gpkg\n" +
			"   lastmile demo --out national --households 1000000   # ~300 × 300 km: minutes, ~1.5 GB of memory",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write the district into `DIR` (inputs/ and district.gpkg)"},
			&cli.IntFlag{Name: "households", Value: demo.DefaultHouseholds, Usage: "genuine households `N`; the area grows with N (30 km at 2,500)"},
			&cli.Int64Flag{Name: "seed", Value: 0, Usage: "random `SEED`: another seed, another district"},
		},
		Action: demoAction,
	}
}

func demoAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("demo takes no arguments (use --out DIR)")
	}
	if c.String("out") == "" {
		return usagef("demo: give --out DIR, e.g. lastmile demo --out demo")
	}
	cfg := demo.Config{Seed: c.Int64("seed"), Households: c.Int("households")}
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	out := c.String("out")
	stdout, stderr := c.App.Writer, c.App.ErrWriter
	pw := progressWriter(c)
	last := ""
	res, err := lastmile.Demo(c.Context, cfg, out, lastmile.DemoOptions{
		Step: func(name string) func() {
			t0 := time.Now()
			fmt.Fprintf(pw, "%s ...", name)
			return func() { fmt.Fprintf(pw, " %.1f s\n", time.Since(t0).Seconds()) }
		},
		IngestProgress: func(file string, pass, rows int) {
			if rows%50000 == 0 {
				fmt.Fprintf(pw, "\r  %s: pass %d, %d rows", filepath.Base(file), pass, rows)
			}
		},
		GraphProgress: func(phase string, done float64) {
			if phase != last {
				fmt.Fprintf(pw, "\n  %s", phase)
				last = phase
			}
		},
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := writeDemoInputs(stdout, res.Files, cfg); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ningest (study area: the district's bounding box):\n")
	for _, s := range res.Ingests {
		writeDemoSummary(stdout, s.Summary)
	}
	fmt.Fprintln(stdout)
	if err := writeGraphReport(stdout, "text", res.Graph.Report, false); err != nil {
		return err
	}
	writeDemoWalk(stdout, res)
	fmt.Fprintln(stdout)
	if err := writeAssignSummary(stdout, res.Assign); err != nil {
		return err
	}
	for _, w := range res.Assign.Warnings {
		fmt.Fprintf(stderr, "demo: assign: %s\n", w)
	}
	fmt.Fprintln(stdout)
	writeRoutesBrief(stdout, res.Routes)
	for _, w := range res.Routes.Warnings {
		fmt.Fprintf(stderr, "demo: routes: %s\n", w)
	}
	if err := writeSheetsSummary(stdout, filepath.Join(filepath.Dir(res.Path), lastmile.DemoSheets), res.Sheets); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if _, err := io.WriteString(stdout, coverageText(res.Coverage, res.Path)); err != nil {
		return err
	}
	for _, w := range res.Coverage.Warnings {
		fmt.Fprintf(stderr, "demo: coverage: %s\n", w)
	}
	fmt.Fprintf(stdout, "overview map: %s\n", res.CoverageMap)
	fmt.Fprintln(stdout)
	for _, t := range res.Tiles {
		if err := writeTilesResult(stdout, t); err != nil {
			return err
		}
	}
	path := res.Path
	if err := writeDemoLayers(stdout, path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nnext:\n   lastmile info --gpkg %s\n   lastmile matrix --gpkg %s --from chws --to facilities\n   lastmile assign --gpkg %s --method walk\n", path, path, path)
	if len(res.Tiles) > 0 {
		fmt.Fprintf(stdout, "   lastmile tiles --gpkg %s --max-zoom 16   # closer map tiles (the demo draws to zoom %d)\n", path, res.Tiles[0].MaxZoom)
	}
	fmt.Fprintf(stdout, "   lastmile coverage --gpkg %s --season wet --suggest-facilities 1\n", path)
	return nil
}

// writeDemoWalk prints the demo's example route and the command that
// repeats it.
func writeDemoWalk(w io.Writer, res *lastmile.DemoResult) {
	x := res.Walk
	if x == nil {
		return
	}
	if res.WalkErr != nil {
		fmt.Fprintf(w, "\nexample walk: %s to %s: %v\n", x.CHW, x.Facility, res.WalkErr)
		return
	}
	mins := int(math.Round(x.Route.Seconds.Minutes()))
	fmt.Fprintf(w, "\nexample walk: %s, from home to %s: %d h %02d min, %.1f km (%.1f km as the crow flies), climbing %.0f m\n",
		x.CHW, x.Facility, mins/60, mins%60, x.Route.Meters.Kilometers(), x.Crow.Kilometers(), float64(x.Route.Ascent))
	fmt.Fprintf(w, "   lastmile walk --gpkg %s --from %.6f,%.6f --to %.6f,%.6f\n", res.Path, x.From[0], x.From[1], x.To[0], x.To[1])
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func fileSize(p string) string {
	st, err := os.Stat(p)
	if err != nil {
		return "?"
	}
	return humanBytes(st.Size())
}

func writeDemoInputs(w io.Writer, f *demo.Files, cfg demo.Config) error {
	c := f.Counts
	n := c.Noise
	b := f.Area
	km := (b.Max[1] - b.Min[1]) * 111.195
	lat, lon := b.Center()[1], b.Center()[0]
	var sb strings.Builder
	fmt.Fprintf(&sb, "demo district: seed %d, %d villages and %d hamlets on %.0f × %.0f km around %.2f°%s %.2f°%s\n\n",
		cfg.Seed, c.Villages, c.Hamlets, km, km, math.Abs(lat), ns(lat, "N", "S"), math.Abs(lon), ns(lon, "E", "W"))
	fmt.Fprintf(&sb, "inputs (%s):\n", f.Dir)
	row := func(p, what, size string) { fmt.Fprintf(&sb, "  %-20s %9s  %s\n", rel(f.Dir, p), size, what) }
	row(f.Households, fmt.Sprintf("%d rows: %d households + %d duplicate submissions, %d near duplicates, %d junk rows\n%33s(injected: low accuracy %d, swapped lat/lon %d, empty %d, N/A %d, out of range %d, 0,0 %d, short %d)",
		c.Rows, c.Households, n.Duplicates, n.NearDuplicates, n.Junk(), "",
		n.LowAccuracy, n.Swapped, n.EmptyCoords, n.NotAvailable, n.OutOfRange, n.ZeroZero, n.ShortRows), fileSize(f.Households))
	row(f.CHWs, fmt.Sprintf("%d CHWs (%d inactive, %d with a capacity)", c.CHWs, c.Inactive, c.Capacity), fileSize(f.CHWs))
	row(f.Facilities, fmt.Sprintf("%d health facilities", c.Facilities), fileSize(f.Facilities))
	row(f.Paths, fmt.Sprintf("OSM XML: %d nodes, %d ways (%d paths and roads, %d bridges, %d fords, %d waterway ways, %d lakes)",
		c.Nodes, c.Ways, c.PathWays, c.Bridges, c.Fords, c.Waterways, c.Lakes), fileSize(f.Paths))
	for _, t := range f.DEMTiles {
		row(t, "SRTM 3″ elevation tile", fileSize(t))
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

func ns(v float64, pos, neg string) string {
	if v < 0 {
		return neg
	}
	return pos
}

func rel(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil {
		return r
	}
	return p
}

// codes renders code counts as "a 3, b 1", largest first, then by code.
func codes(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func writeDemoSummary(w io.Writer, s *ingest.Summary) {
	t := s.Total
	fmt.Fprintf(w, "  %-11s rows %7d  added %7d  updated %d  unchanged %d  flagged %5d  rejected %5d\n",
		s.Kind, t.Rows, t.Added, t.Updated, t.Unchanged, t.Flagged, t.Rejected)
	if x := codes(t.FlaggedByCode); x != "" {
		fmt.Fprintf(w, "  %-11s flagged: %s\n", "", x)
	}
	if x := codes(t.RejectedByReason); x != "" {
		fmt.Fprintf(w, "  %-11s rejected: %s\n", "", x)
	}
}

// writeDemoLayers lists the GeoPackage's layers and tables with counts.
func writeDemoLayers(w io.Writer, path string) error {
	db, err := gpkg.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	layers, err := db.Layers()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s (%s):\n", path, fileSize(path))
	for _, l := range layers {
		kind, unit := string(l.GeomType), "features"
		if l.DataType != "features" {
			kind, unit = "table", "rows"
		}
		fmt.Fprintf(w, "  %-18s %-12s %9d %s\n", l.Name, kind, l.Count, unit)
	}
	return nil
}
