package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile/geo"
)

// walkCommand answers one walking-time query on the stored graph.
func walkCommand() *cli.Command {
	return &cli.Command{
		Name:  "walk",
		Usage: "walking time, distance and climb between two points",
		UsageText: "lastmile walk --gpkg district.gpkg --from LON,LAT --to LON,LAT [--format json] [--layer NAME]\n\n" +
			"Example:\n" +
			"   lastmile walk --gpkg district.gpkg --from 1.5219,42.5063 --to 1.5347,42.5096\n" +
			"   lastmile walk --gpkg district.gpkg --from 1.5219,42.5063 --to 1.5347,42.5096 --format json --layer route",
		Description: "Snaps both points to the nearest path (the off-path leg is walked at the\n" +
			"profile's off-path speed) and finds the fastest route on the graph built by\n" +
			"lastmile graph. Exits 1 when the points are on separate path networks or\n" +
			"farther than the profile's snap limit (1 km by default) from every path.",
		Flags: []cli.Flag{
			seasonFlag(),
			gpkgFlag(),
			&cli.StringFlag{Name: "from", Usage: "start `LON,LAT` (WGS 84 degrees)"},
			&cli.StringFlag{Name: "to", Usage: "end `LON,LAT`"},
			&cli.StringFlag{Name: "layer", Usage: "also write the route as a LineString layer `NAME` into the GeoPackage"},
			formatFlag("json"),
		},
		Action: walkAction,
	}
}

// parseLonLat parses "LON,LAT".
func parseLonLat(flag, s string) (orb.Point, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return orb.Point{}, usagef("--%s %q: want LON,LAT in degrees, e.g. 1.5219,42.5063", flag, s)
	}
	lon, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	lat, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	p := orb.Point{lon, lat}
	if err1 != nil || err2 != nil || !geo.ValidLonLat(p) {
		return orb.Point{}, usagef("--%s %q: want LON,LAT in degrees (longitude -180..180, latitude -90..90)", flag, s)
	}
	return p, nil
}

// walkResult is walk's JSON output.
type walkResult struct {
	Minutes  float64    `json:"minutes"`
	Km       float64    `json:"km"`
	AscentM  float64    `json:"ascent_m"`
	DescentM float64    `json:"descent_m"`
	From     [2]float64 `json:"from"`
	To       [2]float64 `json:"to"`
	// OffPathM are the off-path legs at both ends, metres.
	OffPathM [2]float64 `json:"off_path_m"`
}

func walkAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("walk takes no arguments: got %q", c.Args().Slice())
	}
	if c.String("from") == "" {
		return usagef("walk: --from is required")
	}
	if c.String("to") == "" {
		return usagef("walk: --to is required")
	}
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	from, err := parseLonLat("from", c.String("from"))
	if err != nil {
		return err
	}
	to, err := parseLonLat("to", c.String("to"))
	if err != nil {
		return err
	}
	layer := c.String("layer")
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	r, err := d.Walk(c.Context, from, to, layer)
	if err != nil {
		return fmt.Errorf("walk: %w", err)
	}
	warn(c, r.Warnings)
	res := walkResult{
		Minutes: round(r.Seconds.Minutes(), 3), Km: round(r.Meters.Kilometers(), 4),
		AscentM: round(float64(r.Ascent), 1), DescentM: round(float64(r.Descent), 1),
		From: [2]float64(from), To: [2]float64(to),
		OffPathM: [2]float64{round(float64(r.From.Distance), 1), round(float64(r.To.Distance), 1)},
	}
	if format == "json" {
		enc := json.NewEncoder(c.App.Writer)
		return enc.Encode(res)
	}
	fmt.Fprintf(c.App.Writer, "%.1f min, %.2f km, ascent %.0f m, descent %.0f m\n", res.Minutes, res.Km, res.AscentM, res.DescentM)
	if res.OffPathM[0] > 0 || res.OffPathM[1] > 0 {
		fmt.Fprintf(c.App.ErrWriter, "walk: off-path legs %.0f m at the start and %.0f m at the end\n", res.OffPathM[0], res.OffPathM[1])
	}
	if layer != "" {
		fmt.Fprintf(c.App.ErrWriter, "walk: route written to layer %s\n", layer)
	}
	return nil
}

// round rounds x to n decimals, so outputs stay readable and stable.
func round(x float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(x*p) / p
}
