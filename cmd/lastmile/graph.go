package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/routing"
)

// graphCommand builds the terrain-weighted walking graph into the
// GeoPackage.
func graphCommand() *cli.Command {
	return &cli.Command{
		Name:  "graph",
		Usage: "build the terrain-weighted walking graph from OSM paths and a DEM",
		UsageText: "lastmile graph --gpkg district.gpkg --paths FILE [--dem FILE_OR_DIR] [--profile FILE] [--force]\n\n" +
			"Example:\n" +
			"   lastmile graph --gpkg district.gpkg --paths andorra.osm.pbf --dem N42E001.hgt.zip\n" +
			"   lastmile graph --gpkg district.gpkg --paths paths.osm --dem dem/ --profile rainy.json --force",
		Description: "Reads the walkable ways, rivers, streams and water areas of an OSM file\n" +
			"(.osm.pbf, .osm, .osm.gz), splits them at junctions, samples the DEM every\n" +
			"30 m and gives every path piece two walking times (Tobler's hiking function,\n" +
			"uphill and downhill) with the walking profile's factors and water-crossing\n" +
			"penalties. Writes the paths layer, graph_components and graph_store into the\n" +
			"GeoPackage. When the paths file, the DEM and the profile are unchanged since\n" +
			"the last build, it keeps the stored graph (use --force to rebuild).",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "paths", Usage: "OSM `FILE` with the paths (.osm.pbf, .osm, .osm.gz)"},
			&cli.StringFlag{Name: "dem", Usage: "elevation `FILE_OR_DIR` (.hgt, .hgt.zip, .tif, or a folder of them); none = flat"},
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
	if c.String("paths") == "" {
		return usagef("graph: --paths is required")
	}
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	ctx := c.Context
	stdout, stderr := c.App.Writer, c.App.ErrWriter
	prof := routing.DefaultProfile()
	if p := c.String("profile"); p != "" {
		if prof, err = routing.LoadProfile(p); err != nil {
			return fmt.Errorf("graph: %w", err)
		}
	}
	paths, demPath, path := c.String("paths"), c.String("dem"), c.String("gpkg")
	if demPath != "" {
		if abs, err := filepath.Abs(demPath); err == nil {
			demPath = abs
		}
	}
	hash, err := routing.InputsHash(paths, demPath, prof)
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	if !c.Bool("force") {
		if info := storedInfo(path); info != nil && info.InputsSHA256 == hash {
			fmt.Fprintf(stderr, "graph: inputs unchanged (sha256 %s…): keeping the stored graph; use --force to rebuild\n", hash[:12])
			if info.Report != nil {
				return writeGraphReport(stdout, format, info.Report, true)
			}
			return nil
		}
	}

	pw := progressWriter(c)
	start := time.Now()
	fmt.Fprintf(pw, "reading %s\n", paths)
	net, err := osmnet.Read(ctx, paths, nil)
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	var elev dem.Model
	if demPath != "" {
		m, err := dem.Open(demPath)
		if err != nil {
			return fmt.Errorf("graph: %w", err)
		}
		elev = m
	}
	readSec := time.Since(start).Seconds()
	g, rep, err := routing.Build(ctx, net, elev, prof, &routing.BuildOptions{
		Progress: func(phase string, done float64) { fmt.Fprintf(pw, "\r%-24s %3.0f %%", phase, 100*done) },
	})
	fmt.Fprintln(pw)
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	rep.Phases = append([]routing.Phase{{Name: "read OSM and DEM", Seconds: readSec}}, rep.Phases...)
	t0 := time.Now()
	err = update(ctx, path, func(tx *gpkg.Tx) error {
		return g.Save(tx, &routing.StoreInfo{InputsSHA256: hash, Report: rep, DEM: demPath})
	})
	if err != nil {
		return fmt.Errorf("graph: %w", err)
	}
	rep.Phases = append(rep.Phases, routing.Phase{Name: "save", Seconds: time.Since(t0).Seconds()})
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "graph: warning: %s\n", w)
	}
	return writeGraphReport(stdout, format, rep, false)
}

// storedInfo returns the graph info stored in the GeoPackage at path, or
// nil when there is none (or the file is not readable: the build then
// simply runs).
func storedInfo(path string) *routing.StoreInfo {
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	db, err := gpkg.Open(path)
	if err != nil {
		return nil
	}
	defer db.Close()
	info, err := routing.LoadInfo(db)
	if err != nil {
		return nil
	}
	return info
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
	if stored {
		head = "walking graph (stored)"
	}
	fmt.Fprintf(w, "%s: %d nodes, %d edges, %.1f km of path\n", head, r.Nodes, r.Edges, r.Km)
	sizes := make([]string, 0, len(r.ComponentSizes))
	for _, s := range r.ComponentSizes {
		sizes = append(sizes, fmt.Sprint(s))
	}
	fmt.Fprintf(w, "components:  %d (nodes in the largest: %s)\n", r.Components, strings.Join(sizes, ", "))
	fmt.Fprintf(w, "elevation:   %.2f %% of path length without elevation (%.1f km, walked as flat)\n", r.PercentNoElevation, r.KmNoElevation)
	x := r.Crossings
	fmt.Fprintf(w, "crossings:   %d on bridges, %d at fords, %d waded (penalty); removed: %d segments across wide rivers, %d in water areas\n",
		x.Bridge, x.Ford, x.Penalty, x.RemovedRiver, x.RemovedWater)
	fmt.Fprintf(w, "edges:       %d bridge, %d ford, %d penalty, %d without crossing\n", x.EdgesBridge, x.EdgesFord, x.EdgesPenalty, x.EdgesNoneWater)
	fmt.Fprintf(w, "build time:  %.2f s (%s)\n", total, strings.Join(phases, ", "))
	return nil
}

// loadGraph opens the GeoPackage and loads its walking graph, with the
// DEM it was built with when that is still there (for off-path slopes).
func loadGraph(c *cli.Context, cmd string) (*routing.Graph, error) {
	path := c.String("gpkg")
	db, err := gpkg.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	defer db.Close()
	g, err := routing.Load(db)
	if errors.Is(err, routing.ErrNotStored) {
		return nil, fmt.Errorf("%s: %s has no walking graph: run lastmile graph --gpkg %s --paths FILE first", cmd, path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	if info, err := routing.LoadInfo(db); err == nil && info.DEM != "" {
		if m, err := dem.Open(info.DEM); err == nil {
			g.SetElevation(m)
		} else {
			fmt.Fprintf(c.App.ErrWriter, "%s: warning: the graph's DEM %s cannot be opened (%v): off-path legs walked as flat\n", cmd, info.DEM, err)
		}
	}
	return g, nil
}
