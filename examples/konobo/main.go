// Command konobo runs lastmile end to end on the real Konobo district
// (Grand Gedeh, Liberia), where OpenStreetMap maps the hamlets but no path:
// the study area from OCHA's boundaries, the clinics and hospitals of the
// OSM health-facility export within about 11 km, the four SRTM tiles, and
// SYNTHETIC households and CHWs placed around the real OSM places in
// proportion to the program's figures (1,344 households in 42 villages;
// one CHW per about 50 households). It builds the dry- and wet-season
// terrain graphs and writes, for every OSM place of the district, the
// walking minutes to the nearest facility in each season.
//
// Usage (from the repository root; run.sh does this and the GRASS r.walk
// comparison):
//
//	go run ./examples/konobo -out /tmp/konobo
//
// It needs ../shared/data beside the repository (or -shared DIR).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/lastmile-health/lastmile/routing"
	"github.com/paulmach/orb"
)

func main() {
	cfg := config{}
	flag.StringVar(&cfg.Out, "out", "konobo-out", "write the inputs, konobo.gpkg and the results into `DIR`")
	flag.StringVar(&cfg.Shared, "shared", shareddata.Dir(), "the shared data `DIR` (../shared/data)")
	flag.Uint64Var(&cfg.Seed, "seed", 2015, "random `SEED` of the synthetic households")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := run(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "konobo:", err)
		os.Exit(1)
	}
	res.writeMarkdown(os.Stdout)
}

type config struct {
	Out, Shared string
	Seed        uint64
}

// placeTimes is one OSM place's walk to its nearest facility in each
// season (Minutes NaN when unreachable; Why says why).
type placeTimes struct {
	place
	Minutes  [2]float64
	Facility [2]string
	Why      [2]string
}

// result is what a run measured.
type result struct {
	Places                []placeTimes
	Villages, CHWs        int
	Facilities            int
	FacilityNames         map[string]string // facility_id → name
	Households            int
	Over60, Unreached     [2]int // households beyond 60 minutes / with no route, per season
	GraphSeconds          float64
	MatrixSeconds         [2]float64 // households × facilities on the loaded graph, per season
	Query1000x50          [2]float64 // 1,000 households × 50 places, per season
	Query1000x50CPU       [2]float64 // its CPU seconds (user + system), steadier on a busy machine
	LatticeNodes, Streams int
	Rivers                [2]int
}

var seasons = [2]string{routing.Dry, routing.Wet}

func run(ctx context.Context, cfg config, log io.Writer) (*result, error) {
	if cfg.Shared == "" {
		return nil, fmt.Errorf("../shared/data not found: give -shared DIR")
	}
	lib := filepath.Join(cfg.Shared, "liberia")
	konobo := filepath.Join(lib, "konobo")
	admin2 := filepath.Join(lib, "admin2_districts.geojson")
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	mp, err := readDistrict(admin2, "Konobo")
	if err != nil {
		return nil, err
	}
	places, err := readPlaces(filepath.Join(konobo, "konobo_places_osm_2019-09-09.osm"), geo.NewPolygonIndex(mp))
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 1))
	vs := pickVillages(places, rng)
	res := &result{Villages: len(vs)}
	if res.CHWs, err = writeInputs(cfg.Out, vs, places, rng); err != nil {
		return nil, err
	}
	for _, v := range vs {
		res.Households += v.Households
	}
	b := mp.Bound()
	b.Min = orb.Point{b.Min[0] - facilityReach, b.Min[1] - facilityReach}
	b.Max = orb.Point{b.Max[0] + facilityReach, b.Max[1] + facilityReach}
	facFile := filepath.Join(cfg.Out, "facilities.geojson")
	if res.FacilityNames, err = writeFacilities(filepath.Join(lib, "health_facilities_osm_2026-05-10.geojson"), facFile, b); err != nil {
		return nil, err
	}
	res.Facilities = len(res.FacilityNames)
	fmt.Fprintf(log, "konobo: %d OSM places, %d villages with %d synthetic households and %d CHWs, %d facilities\n",
		len(places), len(vs), res.Households, res.CHWs, res.Facilities)

	gp := filepath.Join(cfg.Out, "konobo.gpkg")
	os.Remove(gp)
	d, err := lastmile.Open(gp)
	if err != nil {
		return nil, err
	}
	bbox := fmt.Sprintf("%f,%f,%f,%f", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	steps := []struct {
		kind  ingest.Kind
		file  string
		area  string
		where string
	}{
		{ingest.KindFacilities, facFile, bbox, ""},
		{ingest.KindHouseholds, filepath.Join(cfg.Out, "households.csv"), admin2, "adm2_name=Konobo"},
		{ingest.KindCHWs, filepath.Join(cfg.Out, "chws.csv"), "", ""},
	}
	for _, s := range steps {
		if _, err := d.Ingest(ctx, s.kind, []string{s.file}, lastmile.IngestOptions{Area: s.area, AreaWhere: s.where}); err != nil {
			return nil, fmt.Errorf("ingest %s: %w", s.file, err)
		}
	}
	t0 := time.Now()
	g, err := d.BuildGraph(ctx, lastmile.GraphOptions{DEM: konobo, Terrain: true, Seasons: seasons[:], Force: true})
	if err != nil {
		return nil, err
	}
	res.GraphSeconds = time.Since(t0).Seconds()
	if t := g.Reports[0].Terrain; t != nil {
		res.LatticeNodes, res.Streams = t.LatticeNodes, t.DerivedStreams
	}
	for k, r := range g.Reports {
		if r.Terrain != nil {
			res.Rivers[k] = r.Terrain.DerivedRivers
		}
	}
	fmt.Fprintf(log, "konobo: dry and wet graphs in %.1f s (%d lattice nodes, %d derived streams)\n", res.GraphSeconds, res.LatticeNodes, res.Streams)

	res.Places = make([]placeTimes, len(places))
	for i, p := range places {
		res.Places[i].place = p
	}
	for k, season := range seasons {
		d.Season = season
		m, err := d.Matrix(ctx, filepath.Join(cfg.Out, "places.csv"), "facilities", routing.MatrixOptions{})
		if err != nil {
			return nil, err
		}
		for i := range places {
			best, name := math.NaN(), ""
			for j := 0; j < m.Cols(); j++ {
				if s, ok := m.At(i, j); ok && !(s.Minutes() >= best) {
					best, name = s.Minutes(), m.To[j].ID
				}
			}
			res.Places[i].Minutes[k], res.Places[i].Facility[k] = best, name
			switch {
			case m.FromErr[i] != nil:
				res.Places[i].Why[k] = m.FromErr[i].Error()
			case math.IsNaN(best):
				res.Places[i].Why[k] = "across_water"
			}
		}
		hm, err := d.Matrix(ctx, "households", "facilities", routing.MatrixOptions{})
		if err != nil {
			return nil, err
		}
		// The query alone, on the loaded graph: 1,000 households × 50
		// places (the hamlets, standing in for the facilities).
		if err := res.timeQuery(ctx, d, k, cfg.Out); err != nil {
			return nil, err
		}
		for i := 0; i < hm.Rows(); i++ {
			best := math.Inf(1)
			for j := 0; j < hm.Cols(); j++ {
				if s, ok := hm.At(i, j); ok {
					best = math.Min(best, s.Minutes())
				}
			}
			switch {
			case math.IsInf(best, 1):
				res.Unreached[k]++
			case best > 60:
				res.Over60[k]++
			}
		}
	}
	return res, res.writeCSV(filepath.Join(cfg.Out, "places_minutes.csv"))
}

// timeQuery loads the season's graph and times a 1,000 × 50 matrix on it
// (households to places) and the 1,344 households to the facilities.
func (r *result) timeQuery(ctx context.Context, d *lastmile.District, k int, out string) error {
	g, _, err := d.Graph()
	if err != nil {
		return err
	}
	hh, err := d.Points("households")
	if err != nil {
		return err
	}
	pl, err := d.Points(filepath.Join(out, "places.csv"))
	if err != nil {
		return err
	}
	fac, err := d.Points("facilities")
	if err != nil {
		return err
	}
	pts := func(ps []district.NamedPoint) []orb.Point {
		o := make([]orb.Point, len(ps))
		for i, p := range ps {
			o[i] = p.Point
		}
		return o
	}
	g.Snap(pl[0].Point) // the snap index is built once per loaded graph
	t0, c0 := time.Now(), cpuSeconds()
	if _, err := g.Matrix(ctx, pts(hh[:1000]), pts(pl[:50]), nil); err != nil {
		return err
	}
	r.Query1000x50[k] = time.Since(t0).Seconds()
	r.Query1000x50CPU[k] = cpuSeconds() - c0
	t0 = time.Now()
	if _, err := g.Matrix(ctx, pts(hh), pts(fac), nil); err != nil {
		return err
	}
	r.MatrixSeconds[k] = time.Since(t0).Seconds()
	return nil
}

// writeCSV writes every place's minutes (for the GRASS comparison).
func (r *result) writeCSV(path string) error {
	c, err := newCSV(path, "id", "lon", "lat", "name", "kind", "dry_minutes", "wet_minutes", "dry_facility", "wet_facility")
	if err != nil {
		return err
	}
	for _, p := range r.Places {
		c.row(fmt.Sprint(p.ID), ll(p.Point[0]), ll(p.Point[1]), p.Name, p.Kind, minutes(p.Minutes[0]), minutes(p.Minutes[1]), p.Facility[0], p.Facility[1])
	}
	return c.close()
}

func minutes(m float64) string {
	if math.IsNaN(m) {
		return ""
	}
	return fmt.Sprintf("%.1f", m)
}

// writeMarkdown prints the results table.
func (r *result) writeMarkdown(w io.Writer) {
	fmt.Fprintf(w, "%d OSM places; %d synthetic households in %d villages, %d CHWs; %d facilities.\n\n", len(r.Places), r.Households, r.Villages, r.CHWs, r.Facilities)
	fmt.Fprintf(w, "| season | households > 60 min | households with no route | %d × %d matrix | 1,000 × 50 matrix (wall, CPU) |\n|---|---|---|---|---|\n", r.Households, r.Facilities)
	for k, s := range seasons {
		fmt.Fprintf(w, "| %s | %d | %d | %.2f s | %.2f s, %.2f CPU-s |\n", s, r.Over60[k], r.Unreached[k], r.MatrixSeconds[k], r.Query1000x50[k], r.Query1000x50CPU[k])
	}
	fmt.Fprintf(w, "\n| place | kind | dry min | wet min | nearest facility (dry) |\n|---|---|---|---|---|\n")
	ps := slices.Clone(r.Places)
	slices.SortStableFunc(ps, func(a, b placeTimes) int { return strings.Compare(a.Name, b.Name) })
	for _, p := range ps {
		dry, wet := minutes(p.Minutes[0]), minutes(p.Minutes[1])
		if dry == "" {
			dry = p.Why[0]
		}
		if wet == "" {
			wet = p.Why[1]
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", p.Name, p.Kind, dry, wet, r.FacilityNames[p.Facility[0]])
	}
}
