package lastmile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing"
	"github.com/lastmile-health/lastmile/tiles"
)

// MapScene is what the district's maps can show, loaded from the
// GeoPackage, with what is missing from it.
type MapScene struct {
	Scene *tiles.Scene
	// Bound is the area the maps cover: the study area, else the extent of
	// everything loaded.
	Bound orb.Bound
	// Missing lists, in words, what the GeoPackage does not hold yet (no
	// DEM, no paths, no catchments ...), for the user.
	Missing []string
}

// Scene loads everything the district's maps draw: study area, DEM (from
// the path the graph stored), paths, water, catchments and assignments,
// households, CHWs, facilities, villages, routes and coverage layers.
// Layers not in the GeoPackage are skipped and listed in Missing. Personal
// fields are never loaded.
func (d *District) Scene() (*MapScene, error) { return d.scene("", sceneAll) }

// sceneLayers selects what scene loads.
type sceneLayers int

const (
	// sceneAll loads every layer the maps draw.
	sceneAll sceneLayers = iota
	// sceneBase loads the base map only: study area, elevation, paths,
	// water and streams. The route sheets read their CHWs' layers and the
	// households (for the village labels) themselves; loading the million
	// households, stops and routes of a national district a second time
	// took them 22 s and gigabytes.
	sceneBase
)

// scene is Scene with the DEM at demPath instead of the graph's when set,
// loading the layers which selects.
func (d *District) scene(demPath string, which sceneLayers) (*MapScene, error) {
	ms := &MapScene{Scene: &tiles.Scene{}}
	err := d.read(func(db *gpkg.DB) error { return loadScene(db, ms, demPath, which) })
	if err != nil {
		return nil, err
	}
	return ms, nil
}

// villageAnchors places each village's label at the mean of its
// households, summed in the order they are added.
type villageAnchors struct {
	byName map[string]*villageSum
}

type villageSum struct {
	sum orb.Point
	n   int
}

func (va *villageAnchors) add(name string, p orb.Point) {
	if name == "" {
		return
	}
	if va.byName == nil {
		va.byName = map[string]*villageSum{}
	}
	v := va.byName[name]
	if v == nil {
		v = &villageSum{}
		va.byName[name] = v
	}
	v.sum[0] += p[0]
	v.sum[1] += p[1]
	v.n++
}

// villages returns the anchors by name.
func (va *villageAnchors) villages() []tiles.Village {
	out := make([]tiles.Village, 0, len(va.byName))
	for name, v := range va.byName {
		out = append(out, tiles.Village{Name: name, Households: v.n,
			Point: orb.Point{v.sum[0] / float64(v.n), v.sum[1] / float64(v.n)}})
	}
	slices.SortFunc(out, func(a, b tiles.Village) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func loadScene(db *gpkg.DB, ms *MapScene, demPath string, which sceneLayers) error {
	s := ms.Scene
	bound := orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}} // empty
	grow := func(b orb.Bound) {
		if bound.Min[0] > bound.Max[0] {
			bound = b
		} else {
			bound = bound.Union(b)
		}
	}
	missing := func(what string) { ms.Missing = append(ms.Missing, what) }

	area, err := ingest.ReadStudyArea(db)
	if err != nil {
		return err
	}
	if area != nil {
		s.StudyArea = area.Geom
	} else {
		missing("no study area (lastmile ingest --area)")
	}

	info, err := routing.LoadInfo(db)
	switch {
	case errors.Is(err, routing.ErrNotStored):
		missing("no walking graph (lastmile graph): no paths and no hillshade")
	case err != nil:
		return err
	case info.DEM == "":
		missing("no DEM (the graph was built without --dem): no hillshade")
	default:
		if demPath == "" {
			demPath = info.DEM
		}
		m, err := dem.Open(demPath)
		if err != nil {
			missing(fmt.Sprintf("the DEM %s cannot be opened (%v): no hillshade", demPath, err))
			break
		}
		s.Elevation = m
		s.ElevationStep = demStep(m)
		s.ElevationID = info.InputsSHA256
	}

	if err := scanLayer(db, district.Paths.Name, []string{"class", "crossing"}, func(g orb.Geometry, v []any) {
		if l, ok := g.(orb.LineString); ok {
			s.Paths = append(s.Paths, tiles.Path{Line: l, Class: str(v[0]), Crossing: str(v[1])})
		}
	}); err != nil {
		return err
	}
	if err := scanLayer(db, "water_areas", nil, func(g orb.Geometry, _ []any) {
		if mp := multiPolygon(g); mp != nil {
			s.WaterAreas = append(s.WaterAreas, mp)
		}
	}); err != nil {
		return err
	}
	if err := scanLayer(db, "streams", []string{"stream_order", "kind"}, func(g orb.Geometry, v []any) {
		order := num(v[0])
		if order == 0 && str(v[1]) == "river" {
			order = 4 // a mapped river: drawn as wide as a fourth-order stream
		}
		for _, l := range lines(g) {
			s.Streams = append(s.Streams, tiles.Stream{Line: l, Order: order})
		}
	}); err != nil {
		return err
	}

	if which == sceneBase {
		if len(s.StudyArea) > 0 {
			ms.Bound = s.StudyArea.Bound()
		}
		return nil
	}

	assigned := map[string]string{}
	if ok, err := db.HasTable(district.Assignments.Name); err != nil {
		return err
	} else if ok {
		for a, err := range district.ReadAssignments(db) {
			if err != nil {
				return err
			}
			assigned[string(a.Household)] = string(a.CHW)
		}
	} else {
		missing("no catchments (lastmile assign): households drawn unassigned")
	}
	if err := scanLayer(db, district.Catchments.Name, []string{"chw_id"}, func(g orb.Geometry, v []any) {
		if mp := multiPolygon(g); mp != nil {
			s.Catchments = append(s.Catchments, tiles.Catchment{CHW: str(v[0]), Area: mp})
		}
	}); err != nil {
		return err
	}

	var villages villageAnchors
	if ok, err := db.HasTable(district.Households.Name); err != nil {
		return err
	} else if ok {
		for h, err := range district.ReadHouseholds(db) {
			if err != nil {
				return err
			}
			s.Households = append(s.Households, tiles.Household{ID: string(h.ID), Point: h.Point, CHW: assigned[string(h.ID)]})
			grow(h.Point.Bound())
			villages.add(h.Village, h.Point)
		}
	} else {
		missing("no households (lastmile ingest households)")
	}
	s.Villages = villages.villages()

	if ok, err := db.HasTable(district.CHWs.Name); err != nil {
		return err
	} else if ok {
		for c, err := range district.ReadCHWs(db) {
			if err != nil {
				return err
			}
			s.CHWs = append(s.CHWs, tiles.CHW{ID: string(c.ID), Point: c.Point})
			grow(c.Point.Bound())
		}
	}
	if ok, err := db.HasTable(district.Facilities.Name); err != nil {
		return err
	} else if ok {
		for f, err := range district.ReadFacilities(db) {
			if err != nil {
				return err
			}
			s.Facilities = append(s.Facilities, tiles.Facility{ID: string(f.ID), Name: f.Name, Point: f.Point})
			grow(f.Point.Bound())
		}
	}

	// Later stages' layers, drawn when present.
	if err := scanLayer(db, "visit_days", []string{"chw_id", "day"}, func(g orb.Geometry, v []any) {
		for _, l := range lines(g) {
			s.Routes = append(s.Routes, tiles.Route{CHW: str(v[0]), Day: num(v[1]), Line: l})
		}
	}); err != nil {
		return err
	}
	if err := scanLayer(db, "stops", []string{"chw_id", "day", "seq"}, func(g orb.Geometry, v []any) {
		if p, ok := g.(orb.Point); ok {
			s.Stops = append(s.Stops, tiles.Stop{CHW: str(v[0]), Day: num(v[1]), Seq: num(v[2]), Point: p, Label: fmt.Sprint(num(v[2]))})
		}
	}); err != nil {
		return err
	}
	var bands []tiles.Band
	// The map shows the dry season's walking-time bands to the nearest
	// facility (coverage also stores them from CHW homes and for the wet
	// season).
	if err := scanLayer(db, "isochrones", []string{"band_min", "band_max", "source_kind", "source_id", "season"}, func(g orb.Geometry, v []any) {
		if k, id, season := str(v[2]), str(v[3]), str(v[4]); (k != "" && k != "facility") || (id != "" && id != "all") || (season != "" && season != "dry") {
			return
		}
		if mp := multiPolygon(g); mp != nil {
			bands = append(bands, tiles.Band{Area: mp, Min: float(v[0]), Max: float(v[1])})
		}
	}); err != nil {
		return err
	}
	s.Isochrones = rankBands(bands)
	if err := scanLayer(db, "gap_areas", []string{"households", "season"}, func(g orb.Geometry, v []any) {
		if season := str(v[1]); season != "" && season != "dry" {
			return
		}
		if mp := multiPolygon(g); mp != nil {
			s.Gaps = append(s.Gaps, tiles.Gap{Area: mp, Households: num(v[0])})
		}
	}); err != nil {
		return err
	}
	for _, l := range []string{"suggested_chws", "suggested_facilities"} {
		if err := scanLayer(db, l, nil, func(g orb.Geometry, _ []any) {
			if p, ok := g.(orb.Point); ok {
				s.Suggested = append(s.Suggested, p)
			}
		}); err != nil {
			return err
		}
	}

	if len(s.StudyArea) > 0 {
		bound = s.StudyArea.Bound()
	}
	ms.Bound = bound
	return nil
}

// rankBands gives walking-time bands their index among the distinct band
// ranges, shortest first, for their colours.
func rankBands(bs []tiles.Band) []tiles.Band {
	var mins []float64
	for _, b := range bs {
		if !slices.Contains(mins, b.Min) {
			mins = append(mins, b.Min)
		}
	}
	slices.Sort(mins)
	for i := range bs {
		bs[i].Index, bs[i].Of = slices.Index(mins, bs[i].Min), len(mins)
	}
	return bs
}

// demStep is the model's finest cell size in metres (90 m when unknown).
func demStep(m *dem.Mosaic) geo.Meters {
	best := 0.0
	for _, t := range m.Tiles() {
		_, dlat := t.CellSize()
		if c := dlat * 111_195; best == 0 || c < best {
			best = c
		}
	}
	if best == 0 {
		best = 90
	}
	return geo.Meters(best)
}

// scanLayer calls fn with every feature's geometry and the named columns'
// values (nil where the column is absent). A missing layer is no error.
func scanLayer(db gpkg.Reader, layer string, cols []string, fn func(g orb.Geometry, vals []any)) error {
	ok, err := db.HasTable(layer)
	if err != nil || !ok {
		return err
	}
	sc := db.Scan(layer)
	defer sc.Close()
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, f := range sc.Fields() {
			if f.Name == c {
				idx[i] = j
			}
		}
	}
	vals := make([]any, len(cols))
	for sc.Scan() {
		row := sc.Values()
		for i, j := range idx {
			vals[i] = nil
			if j >= 0 {
				vals[i] = row[j]
			}
		}
		if g := sc.Geometry(); g != nil {
			fn(g, vals)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("layer %s: %w", layer, err)
	}
	return nil
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func num(v any) int {
	switch v := v.(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func float(v any) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

func multiPolygon(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

func lines(g orb.Geometry) []orb.LineString {
	switch g := g.(type) {
	case orb.LineString:
		return []orb.LineString{g}
	case orb.MultiLineString:
		return g
	}
	return nil
}
