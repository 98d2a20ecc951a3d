package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing"
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
	g, err := loadGraph(c, "walk")
	if err != nil {
		return err
	}
	if layer != "" {
		if err := checkRouteLayer(c.String("gpkg"), layer); err != nil {
			return err
		}
	}
	maxSnap := g.Profile().MaxSnap
	sf, err := g.Snap(from)
	if err != nil {
		return snapFailure("walk", "--from", sf, maxSnap, err)
	}
	st, err := g.Snap(to)
	if err != nil {
		return snapFailure("walk", "--to", st, maxSnap, err)
	}
	r, err := g.WalkSnapped(sf, st)
	if errors.Is(err, routing.ErrNoRoute) {
		return fmt.Errorf("walk: no walking route: the two points are on separate path networks (components %d and %d); see the graph_components table", sf.Component, st.Component)
	}
	if err != nil {
		return fmt.Errorf("walk: %w", err)
	}
	res := walkResult{
		Minutes: round(r.Seconds.Minutes(), 3), Km: round(r.Meters.Kilometers(), 4),
		AscentM: round(float64(r.Ascent), 1), DescentM: round(float64(r.Descent), 1),
		From: [2]float64(from), To: [2]float64(to),
		OffPathM: [2]float64{round(float64(sf.Distance), 1), round(float64(st.Distance), 1)},
	}
	if layer != "" {
		err := update(c.Context, c.String("gpkg"), func(tx *gpkg.Tx) error {
			w, err := tx.CreateLayer(gpkg.Layer{
				Name: layer, Description: routeLayerDescription, GeomType: "LINESTRING",
				Fields: []gpkg.Field{
					{Name: "minutes", Type: gpkg.Real}, {Name: "km", Type: gpkg.Real},
					{Name: "ascent_m", Type: gpkg.Real}, {Name: "descent_m", Type: gpkg.Real},
				},
			})
			if err != nil {
				return err
			}
			if _, err := w.Insert(r.Path, res.Minutes, res.Km, res.AscentM, res.DescentM); err != nil {
				w.Close()
				return err
			}
			return w.Close()
		})
		if err != nil {
			return fmt.Errorf("walk: --layer %s: %w", layer, err)
		}
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

// routeLayerDescription marks the layers walk writes, so that --layer may
// replace an earlier route but never another stage's data.
const routeLayerDescription = "walking route (lastmile walk)"

// checkRouteLayer refuses --layer NAME when NAME holds anything but an
// earlier route.
func checkRouteLayer(path, layer string) error {
	db, err := gpkg.Open(path)
	if err != nil {
		return fmt.Errorf("walk: %w", err)
	}
	defer db.Close()
	layers, err := db.Layers()
	if err != nil {
		return fmt.Errorf("walk: %w", err)
	}
	for _, l := range layers {
		if strings.EqualFold(l.Name, layer) && l.Description != routeLayerDescription {
			return usagef("--layer %q: %s already has a layer of that name (not a walk route): choose another name", layer, path)
		}
	}
	return nil
}

// snapFailure explains why a point cannot be routed.
func snapFailure(cmd, flag string, s routing.Snap, maxSnap float64, err error) error {
	if errors.Is(err, routing.ErrTooFar) {
		return fmt.Errorf("%s: %s point %.6f,%.6f is %.0f m from the nearest path, more than the profile's limit of %.0f m (max_snap_m)",
			cmd, flag, s.Point[0], s.Point[1], float64(s.Distance), maxSnap)
	}
	return fmt.Errorf("%s: %s: %w", cmd, flag, err)
}

// round rounds x to n decimals, so outputs stay readable and stable.
func round(x float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(x*p) / p
}
