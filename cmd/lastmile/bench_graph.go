package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/lastmile-health/lastmile/routing"
)

// benchGraphCommand times building, storing, loading and querying the
// walking graph.
func benchGraphCommand() *cli.Command {
	return &cli.Command{
		Name:  "graph",
		Usage: "time the walking graph: build, save, load, point queries and a matrix",
		UsageText: "lastmile bench graph [--paths FILE --dem FILE_OR_DIR | --households N] [--dir DIR] [--queries 1000] [--matrix 500] [--workers 2]\n\n" +
			"Example:\n" +
			"   lastmile bench graph                           # Andorra from ../shared/data\n" +
			"   lastmile bench graph --households 1000000      # the national-scale demo district (~830,000 edges)",
		Description: "Reads the paths (Andorra from ../shared/data by default, or the demo district\n" +
			"generated with --households N), builds the graph, saves it into DIR/bench.gpkg,\n" +
			"loads it back, then times --queries random point-to-point walks (between random\n" +
			"graph nodes, seeded) and one --matrix × --matrix many-to-many on --workers cores.\n" +
			"Prints a Markdown table; peak RSS is this process's high-water mark.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "paths", Usage: "OSM `FILE` (default: Andorra from ../shared/data)"},
			&cli.StringFlag{Name: "dem", Usage: "elevation `FILE_OR_DIR`"},
			&cli.IntFlag{Name: "households", Usage: "generate the demo district with `N` households and use its paths and DEM"},
			&cli.StringFlag{Name: "dir", Usage: "work `DIR` (default: a temporary directory, removed afterwards)"},
			&cli.IntFlag{Name: "queries", Value: 1000, Usage: "point queries `N`"},
			&cli.IntFlag{Name: "matrix", Value: 500, Usage: "matrix side `N` (N × N)"},
			&cli.IntFlag{Name: "workers", Value: 2, Usage: "matrix goroutines `N`"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random `SEED` for the query points"},
		},
		Action: benchGraphAction,
	}
}

func benchGraphAction(c *cli.Context) error {
	ctx := c.Context
	out := c.App.Writer
	dir, cleanup, err := benchDir(c, "graph")
	if err != nil {
		return err
	}
	defer cleanup()
	paths, demPath, source, genSec, err := benchGraphInputs(c, dir)
	if err != nil {
		return err
	}

	type row struct{ what, value string }
	var rows []row
	add := func(what, format string, a ...any) { rows = append(rows, row{what, fmt.Sprintf(format, a...)}) }

	// The graph stage itself: read, build, save in one atomic update.
	gp := filepath.Join(dir, "bench.gpkg")
	os.Remove(gp)
	d, err := lastmile.Open(gp)
	if err != nil {
		return err
	}
	built, err := d.BuildGraph(ctx, lastmile.GraphOptions{Paths: paths, DEM: demPath, Force: true})
	if err != nil {
		return fmt.Errorf("bench graph: %w", err)
	}
	g, rep := built.Graph, built.Report
	var readSec, buildSec, saveSec float64
	for _, p := range rep.Phases {
		switch p.Name {
		case "read OSM and DEM":
			readSec = p.Seconds
		case "save":
			saveSec = p.Seconds
		default:
			buildSec += p.Seconds
		}
	}
	t0 := time.Now()
	db, err := gpkg.Open(gp)
	if err != nil {
		return err
	}
	lg, err := routing.Load(db)
	db.Close()
	if err != nil {
		return fmt.Errorf("bench graph: %w", err)
	}
	loadSec := time.Since(t0).Seconds()
	if lg.Hash() != g.Hash() {
		return fmt.Errorf("bench graph: the loaded graph differs from the built one")
	}
	g = lg
	q, err := benchGraphQueries(c, g)
	if err != nil {
		return err
	}

	if genSec > 0 {
		add("generate demo inputs", "%.1f s", genSec)
	}
	add("read OSM + DEM", "%.2f s", readSec)
	add("graph", "%d nodes, %d edges, %.0f km, %d components", rep.Nodes, rep.Edges, rep.Km, rep.Components)
	add("build (densify, elevation, crossings, CH)", "%.2f s (%.0f edges/s)", buildSec, float64(rep.Edges)/buildSec)
	for _, p := range rep.Phases {
		add("  "+p.Name, "%.2f s", p.Seconds)
	}
	add("save to GeoPackage", "%.2f s", saveSec)
	add("load stored graph", "%.2f s", loadSec)
	add("first snap (builds the spatial index)", "%.2f s", q.indexSec)
	add(fmt.Sprintf("point query (%d walks, snap both ends)", len(q.latMs)), "median %.3f ms, p95 %.3f ms, max %.3f ms (%d unroutable)", q.pct(0.5), q.pct(0.95), q.pct(1), q.failed)
	add(fmt.Sprintf("matrix %d × %d, %d workers", q.n, q.n, c.Int("workers")), "%.3f s (%d of %d pairs reachable)", q.matSec, q.reach, q.n*q.n)
	add("peak RSS (this process)", "%s", peakRSS())

	fmt.Fprintf(out, "Walking graph benchmark: %s\n\n| step | result |\n|---|---|\n", source)
	for _, r := range rows {
		fmt.Fprintf(out, "| %s | %s |\n", r.what, r.value)
	}
	return nil
}

// benchGraphInputs picks the benchmark's inputs: --paths/--dem, a demo
// district of --households generated into dir, or Andorra from the shared
// data.
func benchGraphInputs(c *cli.Context, dir string) (paths, demPath, source string, genSec float64, err error) {
	paths, demPath = c.String("paths"), c.String("dem")
	switch {
	case paths != "":
		source = filepath.Base(paths)
	case c.Int("households") > 0:
		t0 := time.Now()
		fmt.Fprintf(progressWriter(c), "generating the demo district (%d households)\n", c.Int("households"))
		f, err := demo.Generate(c.Context, demo.Config{Households: c.Int("households")}, filepath.Join(dir, "demo"))
		if err != nil {
			return "", "", "", 0, fmt.Errorf("bench graph: %w", err)
		}
		genSec = time.Since(t0).Seconds()
		paths, demPath = f.Paths, f.DEM
		source = fmt.Sprintf("demo district, %d households", c.Int("households"))
	default:
		d := shareddata.Dir()
		if d == "" {
			return "", "", "", 0, usagef("bench graph: ../shared/data not found: give --paths FILE or --households N")
		}
		paths = filepath.Join(d, "andorra", "andorra.osm.pbf")
		demPath = filepath.Join(d, "andorra", "N42E001.hgt.zip")
		source = "Andorra (andorra.osm.pbf + N42E001.hgt.zip)"
	}
	return paths, demPath, source, genSec, nil
}

// queryTimes are the query benchmark's results.
type queryTimes struct {
	indexSec, matSec float64
	latMs            []float64 // sorted point-query latencies
	failed, n, reach int
}

// pct returns the p-quantile of the point-query latencies.
func (q *queryTimes) pct(p float64) float64 {
	if len(q.latMs) == 0 {
		return 0
	}
	return q.latMs[min(len(q.latMs)-1, int(p*float64(len(q.latMs))))]
}

// benchGraphQueries times point queries and one matrix between random
// nodes of the largest component, nudged 20 m off the path so every query
// snaps and walks an off-path leg.
func benchGraphQueries(c *cli.Context, g *routing.Graph) (*queryTimes, error) {
	r := rand.New(rand.NewPCG(c.Uint64("seed"), 2))
	var big []routing.NodeID
	for n := 0; n < g.Nodes(); n++ {
		if g.NodeComponent(routing.NodeID(n)) == 0 {
			big = append(big, routing.NodeID(n))
		}
	}
	pick := func() orb.Point {
		p := g.NodePoint(big[r.IntN(len(big))])
		return orb.Point{p[0] + 0.00018*(r.Float64()-0.5), p[1] + 0.00018*(r.Float64()-0.5)}
	}
	q := &queryTimes{n: c.Int("matrix")}
	t0 := time.Now()
	if _, err := g.Snap(pick()); err != nil {
		return nil, fmt.Errorf("bench graph: %w", err)
	}
	q.indexSec = time.Since(t0).Seconds()
	for i := 0; i < c.Int("queries"); i++ {
		a, b := pick(), pick()
		t := time.Now()
		_, err := g.Walk(a, b)
		q.latMs = append(q.latMs, float64(time.Since(t).Microseconds())/1000)
		if err != nil {
			q.failed++
		}
	}
	slices.Sort(q.latMs)
	src, dst := make([]orb.Point, q.n), make([]orb.Point, q.n)
	for i := range src {
		src[i], dst[i] = pick(), pick()
	}
	t0 = time.Now()
	m, err := g.Matrix(c.Context, src, dst, &routing.MatrixOptions{Workers: c.Int("workers")})
	if err != nil {
		return nil, fmt.Errorf("bench graph: %w", err)
	}
	q.matSec = time.Since(t0).Seconds()
	for i := 0; i < q.n; i++ {
		for j := 0; j < q.n; j++ {
			if _, ok := m.At(i, j); ok {
				q.reach++
			}
		}
	}
	return q, nil
}

// peakRSS returns the process's peak resident set size from
// /proc/self/status (Linux), or "n/a".
func peakRSS() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return fmt.Sprintf("%.2f GB", float64(kb)/(1<<20))
		}
	}
	return "n/a"
}
