package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
)

// tilesCommand renders the district's map into a tile pyramid.
func tilesCommand() *cli.Command {
	return &cli.Command{
		Name:  "tiles",
		Usage: "render the district's map into offline tiles (GeoPackage pyramid or MBTiles)",
		UsageText: "lastmile tiles [--gpkg PATH] [--min-zoom Z] [--max-zoom Z] [--format gpkg|mbtiles] [--out FILE] [--chw ID|all]\n\n" +
			"Example:\n" +
			"   lastmile tiles --gpkg district.gpkg                       # map_tiles inside the GeoPackage (QGIS, gdalinfo)\n" +
			"   lastmile tiles --gpkg district.gpkg --format mbtiles      # district.mbtiles, for phones (ODK Collect, OsmAnd)\n" +
			"   lastmile tiles --gpkg district.gpkg --chw CHW-0001 --out maps/",
		Description: "Draws 256 px PNG tiles in Web Mercator (hillshade from the DEM, water, paths by class,\n" +
			"catchments, households, CHWs, facilities, routes and coverage gaps, labels) for every\n" +
			"zoom level from the one where the area fits in a tile up to 16, over the study area,\n" +
			"in parallel. By default they go into the district GeoPackage as the map_tiles pyramid\n" +
			"(and the layers get QGIS default styles); --format mbtiles writes an MBTiles 1.3 file;\n" +
			"--chw writes one MBTiles per CHW catchment. A re-run draws only the tiles whose content\n" +
			"changed and says how many it reused.",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.IntFlag{Name: "min-zoom", Usage: "lowest zoom `Z` (default: where the area fits in one tile)"},
			&cli.IntFlag{Name: "max-zoom", Value: 16, Usage: "highest zoom `Z`"},
			&cli.StringFlag{Name: "format", Value: lastmile.TilesGPKG, Usage: "`FORMAT`: gpkg (inside the district GeoPackage) or mbtiles"},
			&cli.StringFlag{Name: "out", Usage: "MBTiles `FILE` (with --chw a folder); default beside the GeoPackage"},
			&cli.StringSliceFlag{Name: "chw", Usage: "one MBTiles per CHW catchment: `ID` (repeat it) or all"},
			&cli.IntFlag{Name: "max-tiles", Value: lastmile.DefaultMaxTiles, Usage: "refuse to make more than `N` tiles"},
			&cli.BoolFlag{Name: "force", Usage: "draw every tile again, also unchanged ones"},
		},
		Action: tilesAction,
	}
}

func tilesAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("tiles takes no arguments (use --gpkg PATH)")
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	pw := progressWriter(c)
	res, err := d.Tiles(c.Context, lastmile.TilesOptions{
		MinZoom: c.Int("min-zoom"), MaxZoom: c.Int("max-zoom"), Format: c.String("format"), Out: c.String("out"),
		CHWs: c.StringSlice("chw"), MaxTiles: c.Int("max-tiles"), Force: c.Bool("force"),
		Progress: func(done, total int) {
			fmt.Fprintf(pw, "\rtiles %d/%d (%.0f %%)", done, total, 100*float64(done)/float64(max(total, 1)))
		},
	})
	fmt.Fprint(pw, "\r\033[K")
	if err != nil {
		return fmt.Errorf("tiles: %w", err)
	}
	warn(c, res.Missing)
	return writeTilesResult(c.App.Writer, res)
}

func writeTilesResult(w io.Writer, res *lastmile.TilesResult) error {
	rate := 0.0
	if res.Seconds > 0 {
		rate = float64(res.Rendered) / res.Seconds
	}
	copied := ""
	if res.Copied > 0 {
		copied = fmt.Sprintf(", %d copied from the GeoPackage's pyramid", res.Copied)
	}
	_, err := fmt.Fprintf(w, "tiles: zoom %d..%d, %d tiles: %d drawn, %d reused (unchanged)%s, %d removed; %s of PNG drawn in %.1f s (%.0f tiles/s)\n",
		res.MinZoom, res.MaxZoom, res.Tiles, res.Rendered, res.Reused, copied, res.Removed, humanBytes(res.Bytes), res.Seconds, rate)
	if err != nil {
		return err
	}
	for _, f := range res.Files {
		where := f.Path
		if f.Table != "" {
			where += " (table " + f.Table + ")"
		}
		if f.CHW != "" {
			where += " (CHW " + f.CHW + ")"
		}
		if _, err := fmt.Fprintf(w, "  %-8s %6d tiles  %s, file %s\n", f.Format, f.Tiles, where, humanBytes(f.Bytes)); err != nil {
			return err
		}
	}
	return nil
}
