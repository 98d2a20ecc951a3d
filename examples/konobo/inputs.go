package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Program figures for Konobo (Last Mile Health registration, January 2015):
// 1,344 households in 42 villages; CHWs at the national norm of one per
// 40–60 households.
const (
	households    = 1344
	villages      = 42
	perCHW        = 50
	facilityReach = 0.1 // degrees around the district for facilities (about 11 km)
)

// place is an OSM place node (hamlet, village, isolated dwelling).
type place struct {
	ID    int64
	Name  string
	Kind  string
	Point orb.Point
}

// readPlaces returns the OSM places inside area: place=hamlet, village,
// isolated_dwelling and town, by OSM id.
func readPlaces(path string, area *geo.PolygonIndex) ([]place, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var doc struct {
		Nodes []struct {
			ID   int64   `xml:"id,attr"`
			Lat  float64 `xml:"lat,attr"`
			Lon  float64 `xml:"lon,attr"`
			Tags []struct {
				K string `xml:"k,attr"`
				V string `xml:"v,attr"`
			} `xml:"tag"`
		} `xml:"node"`
	}
	if err := xml.NewDecoder(bufio.NewReader(f)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []place
	for _, n := range doc.Nodes {
		p := place{ID: n.ID, Point: orb.Point{n.Lon, n.Lat}}
		for _, t := range n.Tags {
			switch t.K {
			case "place":
				p.Kind = t.V
			case "name":
				p.Name = t.V
			}
		}
		switch p.Kind {
		case "hamlet", "village", "isolated_dwelling", "town":
		default:
			continue
		}
		if area.Contains(p.Point) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b place) int { return int(a.ID - b.ID) })
	return out, nil
}

// readDistrict returns the district's boundary from the OCHA admin-2 file.
func readDistrict(path, name string) (orb.MultiPolygon, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, f := range fc.Features {
		if f.Properties.MustString("adm2_name", "") != name {
			continue
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			return orb.MultiPolygon{g}, nil
		case orb.MultiPolygon:
			return g, nil
		}
	}
	return nil, fmt.Errorf("%s: no district %q", path, name)
}

// writeFacilities writes the clinics and hospitals of the shared OSM
// export within facilityReach degrees of the district (where its people
// go for care, across the district line too) as GeoJSON points, one per
// facility: a clinic mapped both as a node and as a building outline (same
// name, within 200 m) is kept once.
func writeFacilities(src, dst string, bound orb.Bound) (map[string]string, error) {
	b, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	out := geojson.NewFeatureCollection()
	names := map[string]string{}
	type kept struct {
		name string
		p    orb.Point
	}
	var seen []kept
	for _, f := range fc.Features {
		amenity := f.Properties.MustString("amenity", "")
		if amenity != "clinic" && amenity != "hospital" {
			continue
		}
		p, ok := geo.PointOnSurface(toMulti(f.Geometry))
		if !ok || !bound.Contains(p) {
			continue
		}
		name := f.Properties.MustString("name", "")
		dup := false
		for _, k := range seen {
			if k.name == name && geo.Distance(k.p, p) < 200 {
				dup = true
			}
		}
		if dup {
			continue
		}
		seen = append(seen, kept{name, p})
		names[f.Properties.MustString("id", "")] = name
		nf := geojson.NewFeature(p)
		nf.Properties = geojson.Properties{"id": f.Properties.MustString("id", ""), "name": name, "amenity": amenity,
			"adm2_name": f.Properties.MustString("adm2_name", "")}
		out.Append(nf)
	}
	js, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return nil, err
	}
	return names, os.WriteFile(dst, js, 0o644)
}

func toMulti(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Point:
		return orb.MultiPolygon{{orb.Ring{g, g, g, g}}}
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// village is one of the 42 program villages placed on a real OSM place,
// with its synthetic households and CHWs.
type village struct {
	place
	Households int
	CHWs       int
}

// pickVillages chooses the program's villages among the OSM places: the
// villages first, then the hamlets, then isolated dwellings, in a seeded
// order; and shares the households among them (a village three times a
// hamlet, each with lognormal spread), at least 8 each.
func pickVillages(places []place, rng *rand.Rand) []village {
	rank := map[string]int{"town": 0, "village": 1, "hamlet": 2, "isolated_dwelling": 3}
	order := slices.Clone(places)
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	slices.SortStableFunc(order, func(a, b place) int { return rank[a.Kind] - rank[b.Kind] })
	n := min(villages, len(order))
	vs := make([]village, n)
	w := make([]float64, n)
	var sum float64
	for i := range vs {
		vs[i].place = order[i]
		w[i] = math.Exp(0.5 * rng.NormFloat64())
		if order[i].Kind == "village" || order[i].Kind == "town" {
			w[i] *= 3
		}
		sum += w[i]
	}
	left := households
	for i := range vs {
		share := int(math.Round(float64(households-8*n) * w[i] / sum))
		vs[i].Households = 8 + share
		left -= vs[i].Households
	}
	vs[0].Households += left // rounding
	// One CHW per perCHW households overall, shared out by largest
	// remainder: a small hamlet is served from a neighbouring village.
	total := int(math.Round(float64(households) / perCHW))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, n)
	given := 0
	for i := range vs {
		q := float64(vs[i].Households) * float64(total) / households
		vs[i].CHWs = int(q)
		given += vs[i].CHWs
		rems[i] = rem{i, q - float64(vs[i].CHWs)}
	}
	slices.SortStableFunc(rems, func(a, b rem) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return 0
	})
	for k := 0; given < total; k++ {
		vs[rems[k].i].CHWs++
		given++
	}
	slices.SortFunc(vs, func(a, b village) int { return int(a.ID - b.ID) })
	return vs
}

// scatter returns a point around c: a compound within a hamlet, normally
// distributed with sigma metres east and north.
func scatter(rng *rand.Rand, c orb.Point, sigma float64) orb.Point {
	l := geo.NewLocal(c)
	return l.Inverse(orb.Point{sigma * rng.NormFloat64(), sigma * rng.NormFloat64()})
}

// writeInputs writes households.csv (synthetic: real villages, invented
// households), chws.csv and places.csv (every OSM place of the district,
// id,lon,lat,name,kind) into dir.
func writeInputs(dir string, vs []village, places []place, rng *rand.Rand) (chws int, err error) {
	hh, err := newCSV(filepath.Join(dir, "households.csv"), "household_id", "village", "members", "latitude", "longitude", "note")
	if err != nil {
		return 0, err
	}
	ch, err := newCSV(filepath.Join(dir, "chws.csv"), "chw_id", "name", "facility_id", "latitude", "longitude", "capacity", "active")
	if err != nil {
		return 0, err
	}
	for _, v := range vs {
		for k := 0; k < v.Households; k++ {
			p := scatter(rng, v.Point, 120)
			members := 3 + rng.IntN(12) // about 8.6 people a household on average
			hh.row(fmt.Sprintf("KON-%d-%03d", v.ID, k+1), v.Name, strconv.Itoa(members), ll(p[1]), ll(p[0]), "synthetic household on a real OSM place")
		}
		for k := 0; k < v.CHWs; k++ {
			chws++
			p := scatter(rng, v.Point, 60)
			ch.row(fmt.Sprintf("CHW-%03d", chws), fmt.Sprintf("CHW %s %d", v.Name, k+1), "", ll(p[1]), ll(p[0]),
				strconv.Itoa(60), "true")
		}
	}
	pl, err := newCSV(filepath.Join(dir, "places.csv"), "id", "lon", "lat", "name", "kind")
	if err != nil {
		return 0, err
	}
	for _, p := range places {
		pl.row(strconv.FormatInt(p.ID, 10), ll(p.Point[0]), ll(p.Point[1]), p.Name, p.Kind)
	}
	for _, c := range []*csvFile{hh, ch, pl} {
		if err := c.close(); err != nil {
			return 0, err
		}
	}
	return chws, nil
}

func ll(v float64) string { return strconv.FormatFloat(v, 'f', 7, 64) }

// csvFile is a CSV writer with a sticky error.
type csvFile struct {
	f   *os.File
	w   *csv.Writer
	err error
}

func newCSV(path string, header ...string) (*csvFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	c := &csvFile{f: f, w: csv.NewWriter(f)}
	c.row(header...)
	return c, nil
}

func (c *csvFile) row(v ...string) {
	if c.err == nil {
		c.err = c.w.Write(v)
	}
}

func (c *csvFile) close() error {
	c.w.Flush()
	if c.err == nil {
		c.err = c.w.Error()
	}
	if err := c.f.Close(); c.err == nil {
		c.err = err
	}
	return c.err
}
