package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/routing"
)

// graphCommand builds the terrain-weighted walking graph into the
// GeoPackage.
func graphCommand() *cli.Command {
	return &cli.Command{
		Name:  "graph",
		Usage: "build the terrain-weighted walking graph from OSM paths and a DEM",
		UsageText: "lastmile graph --gpkg district.gpkg [--paths FILE] [--dem FILE_OR_DIR] [--terrain] [--profile FILE] [--force]\n\n" +
			"Example:\n" +
			"   lastmile graph --gpkg district.gpkg --paths andorra.osm.pbf --dem N42E001.hgt.zip\n" +
			"   lastmile graph --gpkg konobo.gpkg --dem konobo/        # no mapped path: the terrain alone\n" +
			"   lastmile graph --gpkg district.gpkg --paths paths.osm --dem dem/ --profile rainy.json --force",
		Description: "Reads the walkable ways, rivers, streams and water areas of an OSM file\n" +
			"(.osm.pbf, .osm, .osm.gz), splits them at junctions, samples the DEM every\n" +
			"30 m and gives every path piece two walking times (Tobler's hiking function,\n" +
			"uphill and downhill) with the walking profile's factors and water-crossing\n" +
			"penalties. Writes the paths layer, graph_components and graph_store into the\n" +
			"GeoPackage. When the paths file, the DEM and the profile are unchanged since\n" +
			"the last build, it keeps the stored graph (use --force to rebuild).\n\n" +
			"With --terrain (the default without --paths) it also lays a lattice over the\n" +
			"DEM where no path is mapped (the study area, and around points far from every\n" +
			"path), walked at Tobler's off-path speed, and derives the streams and rivers\n" +
			"from the DEM: streams are waded, rivers crossed only on mapped paths. Writes\n" +
			"the streams and water_areas layers too.",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "paths", Usage: "OSM `FILE` with the paths (.osm.pbf, .osm, .osm.gz)"},
			&cli.StringFlag{Name: "dem", Usage: "elevation `FILE_OR_DIR` (.hgt, .hgt.zip, .tif, or a folder of them); none = flat"},
			&cli.StringFlag{Name: "season", Value: "both", Usage: "build the `SEASON`'s graph: dry, wet or both (the wet season walks slower and crosses less water; see README)"},
			&cli.BoolFlag{Name: "terrain", Usage: "walk off the paths too: terrain lattice and streams from the DEM (default without --paths)"},
			&cli.StringFlag{Name: "profile", Usage: "walking profile JSON `FILE` (default: the built-in profile)"},
			&cli.BoolFlag{Name: "force", Usage: "rebuild even when the inputs are unchanged"},
			formatFlag("json"),
		},
		Action: graphAction,
	}
}

func graphAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("graph takes no arguments: got %q", c.Args().Slice())
	}
	if c.String("paths") == "" && c.String("dem") == "" {
		return usagef("graph: give --paths FILE, or --dem FILE_OR_DIR to walk the terrain alone")
	}
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	stdout, stderr := c.App.Writer, c.App.ErrWriter
	opts := lastmile.GraphOptions{Paths: c.String("paths"), DEM: c.String("dem"), Force: c.Bool("force"),
		Terrain: c.Bool("terrain") || c.String("paths") == ""}
	if p := c.String("profile"); p != "" {
		prof, err := routing.LoadProfile(p)
		if err != nil {
			return fmt.Errorf("graph: %w", err)
		}
		opts.Profile = &prof
	}
	switch season := c.String("season"); season {
	case "both":
		opts.Seasons = []string{routing.Dry, routing.Wet}
	case routing.Dry, routing.Wet:
		opts.Seasons = []string{season}
	default:
		return usagef("graph: --season %q: want dry, wet or both", season)
	}
	d, err := lastmile.Open(c.String("gpkg"))
	if err != nil {
		return err
	}
	pw := progressWriter(c)
	opts.Progress = func(phase string, done float64) { fmt.Fprintf(pw, "\r%-24s %3.0f %%", phase, 100*done) }
	res, err := d.BuildGraph(c.Context, opts)
	if err != nil {
		fmt.Fprintln(pw)
		return fmt.Errorf("graph: %w", err)
	}
	if res.Kept {
		fmt.Fprintf(stderr, "graph: inputs unchanged (sha256 %s…): keeping the stored graph; use --force to rebuild\n", res.InputsSHA256[:12])
	} else {
		fmt.Fprintln(pw)
		for _, w := range res.Report.Warnings {
			fmt.Fprintf(stderr, "graph: warning: %s\n", w)
		}
	}
	var reps []*routing.BuildReport
	for _, r := range res.Reports {
		if r != nil {
			reps = append(reps, r)
		}
	}
	if len(reps) == 0 {
		return nil
	}
	if format == "json" {
		// The first season's report, the others inside it.
		first := *reps[0]
		first.OtherSeasons = reps[1:]
		return writeGraphReport(stdout, format, &first, res.Kept)
	}
	for _, r := range reps {
		if err := writeGraphReport(stdout, format, r, res.Kept); err != nil {
			return err
		}
	}
	return nil
}

func writeGraphReport(w io.Writer, format string, r *routing.BuildReport, stored bool) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	var total float64
	var phases []string
	for _, p := range r.Phases {
		total += p.Seconds
		phases = append(phases, fmt.Sprintf("%s %.2f s", p.Name, p.Seconds))
	}
	head := "walking graph"
	if r.Season != "" {
		head += ", " + r.Season + " season"
	}
	if stored {
		head += " (stored)"
	}
	fmt.Fprintf(w, "%s: %d nodes, %d edges, %.1f km of path\n", head, r.Nodes, r.Edges, r.Km)
	sizes := make([]string, 0, len(r.ComponentSizes))
	for _, s := range r.ComponentSizes {
		sizes = append(sizes, fmt.Sprint(s))
	}
	fmt.Fprintf(w, "components:  %d (nodes in the largest: %s)\n", r.Components, strings.Join(sizes, ", "))
	fmt.Fprintf(w, "elevation:   %.2f %% of path length without elevation (%.1f km, walked as flat)\n", r.PercentNoElevation, r.KmNoElevation)
	x := r.Crossings
	if t := r.Terrain; t != nil {
		fmt.Fprintf(w, "terrain:     %d lattice nodes every %.0f m, %d steps (%d wade a stream, %d left out across rivers and water), %d connectors to paths\n",
			t.LatticeNodes, t.StepM, t.LatticeEdges, t.WadedEdges, t.BlockedEdges, t.Connectors)
		fmt.Fprintf(w, "streams:     %d derived from the DEM (%.0f km), %d of them rivers nobody wades\n", t.DerivedStreams, t.DerivedKm, t.DerivedRivers)
	}
	fmt.Fprintf(w, "crossings:   %d on bridges, %d at fords, %d waded (penalty); removed: %d segments across wide rivers, %d in water areas\n",
		x.Bridge, x.Ford, x.Penalty, x.RemovedRiver, x.RemovedWater)
	fmt.Fprintf(w, "edges:       %d bridge, %d ford, %d penalty, %d without crossing\n", x.EdgesBridge, x.EdgesFord, x.EdgesPenalty, x.EdgesNoneWater)
	fmt.Fprintf(w, "build time:  %.2f s (%s)\n", total, strings.Join(phases, ", "))
	return nil
}
