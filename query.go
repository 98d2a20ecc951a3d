package lastmile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/routing"
)

// WalkResult is one walking route with the snaps of its two ends.
type WalkResult struct {
	routing.Route
	// From and To are where the ends joined the paths; their Distance is
	// the off-path leg.
	From, To routing.Snap
	// Warnings are for the user (stderr): a DEM that could not be opened.
	Warnings []string
}

// Walk finds the fastest walking route between two points on the stored
// graph. With layer set it also writes the route as a LineString layer of
// that name (replacing an earlier walk route of that name, never another
// stage's layer) in one atomic update.
func (d *District) Walk(ctx context.Context, from, to orb.Point, layer string) (*WalkResult, error) {
	g, warnings, err := d.Graph()
	if err != nil {
		return nil, err
	}
	if layer != "" {
		if err := d.checkRouteLayer(layer); err != nil {
			return nil, err
		}
	}
	sf, err := g.Snap(from)
	if err != nil {
		return nil, snapFailure(g, "--from", sf, err)
	}
	st, err := g.Snap(to)
	if err != nil {
		return nil, snapFailure(g, "--to", st, err)
	}
	r, err := g.WalkSnapped(sf, st)
	if errors.Is(err, routing.ErrAcrossWater) {
		return nil, fmt.Errorf("no walking route (across_water): a river or water area that the season's profile never crosses lies between the two points, and no mapped path crosses it (components %d and %d); see the streams layer", sf.Component, st.Component)
	}
	if errors.Is(err, routing.ErrNoRoute) {
		return nil, fmt.Errorf("no walking route: the two points are on separate path networks (components %d and %d); see the graph_components table", sf.Component, st.Component)
	}
	if err != nil {
		return nil, err
	}
	res := &WalkResult{Route: r, From: sf, To: st, Warnings: warnings}
	if layer == "" {
		return res, nil
	}
	err = d.update(ctx, func(tx *gpkg.Tx) error {
		l := district.Route.GpkgLayer()
		l.Name = layer
		w, err := tx.CreateLayer(l)
		if err != nil {
			return err
		}
		if _, err := w.Insert(r.Path, round(r.Seconds.Minutes(), 3), round(r.Meters.Kilometers(), 4),
			round(float64(r.Ascent), 1), round(float64(r.Descent), 1)); err != nil {
			w.Close()
			return err
		}
		return w.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("--layer %s: %w", layer, err)
	}
	return res, nil
}

// checkRouteLayer refuses a route layer name that holds anything but an
// earlier route.
func (d *District) checkRouteLayer(layer string) error {
	return d.read(func(db *gpkg.DB) error {
		layers, err := db.Layers()
		if err != nil {
			return err
		}
		for _, l := range layers {
			if strings.EqualFold(l.Name, layer) && l.Description != district.RouteDescription {
				return usageErrorf("--layer %q: %s already has a layer of that name (not a walk route): choose another name", layer, d.Path)
			}
		}
		return nil
	})
}

// snapFailure explains why a point cannot be routed, and suggests the
// swap when the point with latitude and longitude exchanged would snap.
func snapFailure(g *routing.Graph, flag string, s routing.Snap, err error) error {
	if !errors.Is(err, routing.ErrTooFar) {
		return fmt.Errorf("%s: %w", flag, err)
	}
	msg := fmt.Sprintf("%s point %.6f,%.6f is %s from the nearest path, more than the profile's limit of %.0f m (max_snap_m)",
		flag, s.Point[0], s.Point[1], distanceText(float64(s.Distance)), g.Profile().MaxSnap)
	if sw := (orb.Point{s.Point[1], s.Point[0]}); sw != s.Point {
		if _, err := g.Snap(sw); err == nil {
			msg += fmt.Sprintf("; %.6f,%.6f (latitude and longitude swapped) is near the paths: give LON,LAT", sw[0], sw[1])
		}
	}
	return errors.New(msg)
}

func distanceText(m float64) string {
	if m >= 10000 {
		return fmt.Sprintf("%.0f km", m/1000)
	}
	return fmt.Sprintf("%.0f m", m)
}

// MatrixResult holds walking times between two point sets.
type MatrixResult struct {
	*routing.Matrix
	From, To []district.NamedPoint
	// Warnings are for the user: points that could not be routed, points on
	// a path network separate from the largest one, counted.
	Warnings []string
}

// Matrix computes walking times (and with opts.Lengths the route lengths)
// from every point of from to every point of to. Each of from and to is a
// CSV file (id,lon,lat) or the name of a point layer of the district.
func (d *District) Matrix(ctx context.Context, from, to string, opts routing.MatrixOptions) (*MatrixResult, error) {
	fp, err := d.Points(from)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	tp, err := d.Points(to)
	if err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	g, warnings, err := d.Graph()
	if err != nil {
		return nil, err
	}
	m, err := g.Matrix(ctx, lonLats(fp), lonLats(tp), &opts)
	if err != nil {
		return nil, d.explain(ctx, err)
	}
	res := &MatrixResult{Matrix: m, From: fp, To: tp, Warnings: warnings}
	if opts.Lengths && !g.HasHierarchy() {
		res.Warnings = append(res.Warnings, "km left empty: this terrain graph has no contraction hierarchy to unpack the routes with")
	}
	res.Warnings = append(res.Warnings, routeWarnings(g, "source", fp, m.FromSnaps, m.FromErr)...)
	res.Warnings = append(res.Warnings, routeWarnings(g, "target", tp, m.ToSnaps, m.ToErr)...)
	return res, nil
}

// routeWarnings lists unrouted points one by one (up to a few) and counts
// the points on a separate path network, which reach only their own.
func routeWarnings(g *routing.Graph, what string, pts []district.NamedPoint, snaps []routing.Snap, errs []error) []string {
	var out []string
	const show = 5
	unrouted, separate := 0, map[int]int{}
	for i, e := range errs {
		switch {
		case e != nil:
			if unrouted < show {
				out = append(out, fmt.Sprintf("%s %s not routed: %v", what, pts[i].ID, e))
			}
			unrouted++
		case !g.Components()[snaps[i].Component].Largest:
			separate[snaps[i].Component]++
		}
	}
	if unrouted > show {
		out = append(out, fmt.Sprintf("%d more %ss not routed", unrouted-show, what))
	}
	n := 0
	for _, c := range separate {
		n += c
	}
	if n > 0 {
		out = append(out, fmt.Sprintf("%d %ss lie on %d path networks separate from the largest one: they reach only points on their own network (see graph_components)", n, what, len(separate)))
	}
	return out
}

func lonLats(ps []district.NamedPoint) []orb.Point {
	out := make([]orb.Point, len(ps))
	for i, p := range ps {
		out[i] = p.Point
	}
	return out
}

// Points reads src: a CSV file of id,lon,lat points when such a file
// exists, else the district's point layer of that name.
func (d *District) Points(src string) ([]district.NamedPoint, error) {
	if st, err := os.Stat(src); err == nil && !st.IsDir() {
		return readPointsFile(src)
	}
	if strings.ContainsAny(src, "/\\") || strings.HasSuffix(strings.ToLower(src), ".csv") {
		return nil, fmt.Errorf("%s: no such file", src)
	}
	var pts []district.NamedPoint
	err := d.read(func(db *gpkg.DB) error {
		ok, err := db.HasTable(src)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%q is neither a file nor a layer of %s", src, d.Path)
		}
		for p, err := range district.ReadPoints(db, src) {
			if err != nil {
				return err
			}
			pts = append(pts, p)
		}
		return nil
	})
	return pts, err
}
