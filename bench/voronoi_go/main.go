// Command voronoi_go times geo.NewVoronoi on random sites in a real
// district outline and writes the inputs and cells for
// bench/voronoi_shapely.py, which times GEOS on the same inputs and
// compares the cells.
//
//	go run ./bench/voronoi_go -out /tmp/vor -sites 10000 -repeat 5
//	/usr/bin/python3 bench/voronoi_shapely.py /tmp/vor --compare
//
// The clip is Konobo district (Liberia, admin2_districts.geojson in
// ../shared/data) in local metres, with a hexagonal lake cut out of its
// middle so that holes are exercised; the sites are uniform in the
// outline's bounding box (some fall outside the district), seeded.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
)

func main() {
	var (
		out      = flag.String("out", "", "directory for sites.csv, clip.wkt and cells.wkt (none: time only)")
		n        = flag.Int("sites", 10000, "number of sites")
		seed     = flag.Uint64("seed", 1, "random seed")
		repeat   = flag.Int("repeat", 5, "timed runs of NewVoronoi")
		shared   = flag.String("shared", "../shared/data", "the shared data folder")
		district = flag.String("district", "Konobo", "adm2_name of the clip district")
		dups     = flag.Int("dups", 0, "how many of the sites repeat an earlier site")
	)
	flag.Parse()
	if err := run(*out, *n, *dups, *seed, *repeat, *shared, *district); err != nil {
		fmt.Fprintln(os.Stderr, "voronoi_go:", err)
		os.Exit(1)
	}
}

func run(out string, n, dups int, seed uint64, repeat int, shared, district string) error {
	path := filepath.Join(shared, "liberia", "admin2_districts.geojson")
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var ll orb.MultiPolygon
	for _, f := range fc.Features {
		if f.Properties.MustString("adm2_name", "") != district {
			continue
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			ll = append(ll, g)
		case orb.MultiPolygon:
			ll = append(ll, g...)
		}
	}
	if len(ll) == 0 {
		return fmt.Errorf("%s: no district %q", path, district)
	}
	local := geo.NewLocal(ll.Bound().Center())
	clip := orb.Clone(ll).(orb.MultiPolygon)
	for _, p := range clip {
		for _, r := range p {
			for i := range r {
				r[i] = local.Forward(r[i])
			}
		}
	}
	// A hexagonal lake of radius 3 km at the centre of the outline's box
	// (inside Konobo), clockwise.
	bb := clip.Bound()
	c := bb.Center()
	var lake orb.Ring
	for k := 6; k >= 0; k-- {
		a := float64(k%6) * math.Pi / 3
		lake = append(lake, orb.Point{c[0] + 3000*math.Cos(a), c[1] + 3000*math.Sin(a)})
	}
	clip[0] = append(clip[0], lake)

	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	sites := make([]orb.Point, n)
	for i := range sites {
		sites[i] = orb.Point{bb.Min[0] + rng.Float64()*(bb.Max[0]-bb.Min[0]), bb.Min[1] + rng.Float64()*(bb.Max[1]-bb.Min[1])}
		if i >= n-dups && i > 0 {
			sites[i] = sites[rng.IntN(n-dups)]
		}
	}

	var v *geo.Voronoi
	times := make([]float64, 0, repeat)
	for range max(repeat, 1) {
		t0 := time.Now()
		v, err = geo.NewVoronoi(sites, clip)
		if err != nil {
			return err
		}
		times = append(times, time.Since(t0).Seconds())
	}
	slices.Sort(times)
	var area float64
	nonEmpty := 0
	for _, cell := range v.Cells {
		if len(cell) > 0 {
			nonEmpty++
		}
		area += cellArea(cell)
	}
	res := map[string]any{
		"engine": "lastmile geo.NewVoronoi", "sites": n, "clip_vertices": countVertices(clip),
		"cells_in_clip": nonEmpty, "area_km2": area / 1e6, "clip_area_km2": cellArea(clip) / 1e6,
		"runs": len(times), "min_s": times[0], "median_s": times[len(times)/2],
		"district_geodesic_km2": geo.Area(ll).SquareKilometers(),
	}
	js, _ := json.Marshal(res)
	fmt.Println(string(js))
	if out == "" {
		return nil
	}
	return write(out, sites, clip, v)
}

func write(dir string, sites []orb.Point, clip orb.MultiPolygon, v *geo.Voronoi) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString("x,y\n")
	for _, s := range sites {
		fmt.Fprintf(&sb, "%.17g,%.17g\n", s[0], s[1])
	}
	if err := os.WriteFile(filepath.Join(dir, "sites.csv"), []byte(sb.String()), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "clip.wkt"), []byte(wkt.MarshalString(clip)+"\n"), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "cells.wkt"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i, cell := range v.Cells {
		g := "MULTIPOLYGON EMPTY"
		if len(cell) > 0 {
			g = wkt.MarshalString(cell)
		}
		fmt.Fprintf(w, "%d\t%d\t%s\n", i, v.Owner[i], g)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cellArea is the planar area of a MultiPolygon with counter-clockwise
// shells and clockwise holes (any orientation for the clip: absolute per
// ring, holes subtracted).
func cellArea(mp orb.MultiPolygon) float64 {
	var a float64
	for _, p := range mp {
		for i, r := range p {
			s := 0.0
			for j := 0; j+1 < len(r); j++ {
				s += r[j][0]*r[j+1][1] - r[j+1][0]*r[j][1]
			}
			if i == 0 {
				a += math.Abs(s) / 2
			} else {
				a -= math.Abs(s) / 2
			}
		}
	}
	return a
}

func countVertices(mp orb.MultiPolygon) int {
	n := 0
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}
