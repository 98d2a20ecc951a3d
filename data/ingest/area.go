package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/household"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// Area is the study area: points outside it are rejected, and a point
// whose swapped coordinates fall inside it is fixed and flagged.
type Area struct {
	Name   string           // e.g. "Konobo", "bbox"
	Source string           // where it came from, e.g. "admin2_districts.geojson adm2_name=Konobo"
	Geom   orb.MultiPolygon // lon/lat
	index  *geo.PolygonIndex
	rect   bool // the area is its bounding box
}

// NewArea returns the area covering mp. The input is not modified. An
// axis-aligned rectangle is treated as AreaFromBound treats its bound
// (edges inside), so a bbox area read back from study_area accepts the same
// points as the --area bbox that stored it.
func NewArea(name, source string, mp orb.MultiPolygon) *Area {
	return &Area{Name: name, Source: source, Geom: mp, index: geo.NewPolygonIndex(mp), rect: geo.IsRectangle(mp)}
}

// AreaFromBound returns a rectangular area; points on its edges are inside.
func AreaFromBound(name, source string, b orb.Bound) *Area {
	a := NewArea(name, source, orb.MultiPolygon{b.ToPolygon()})
	a.rect = true
	return a
}

// Bound returns the area's bounding box.
func (a *Area) Bound() orb.Bound { return a.index.Bound() }

// Contains reports whether p is inside one of the area's polygons (even-odd
// rule over each polygon's rings, so holes are outside, and a point where
// polygons overlap is inside; a rectangle contains its edges). It is safe
// for concurrent use.
func (a *Area) Contains(p orb.Point) bool {
	if a.rect {
		return a.index.Bound().Contains(p)
	}
	return a.index.Contains(p)
}

// ErrArea is wrapped by errors about the --area value.
var ErrArea = errors.New("ingest: bad study area")

// ParseBBox parses "minlon,minlat,maxlon,maxlat". ok is false when s does
// not look like four numbers (so it may be a file name).
func ParseBBox(s string) (b orb.Bound, ok bool, err error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return b, false, nil
	}
	var v [4]float64
	for i, x := range f {
		v[i], err = strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return b, false, nil
		}
	}
	b = orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}
	if !geo.ValidLonLat(b.Min) || !geo.ValidLonLat(b.Max) || v[0] >= v[2] || v[1] >= v[3] {
		return b, true, fmt.Errorf("%w: bbox %q: want minlon,minlat,maxlon,maxlat in degrees with min < max", ErrArea, s)
	}
	return b, true, nil
}

// LoadArea reads an area from spec: a bbox "minlon,minlat,maxlon,maxlat",
// or a GeoJSON or GeoPackage file of polygons, of which only the features
// whose field equals the value in where ("FIELD=VALUE", case-insensitive)
// are kept (all when where is "").
func LoadArea(spec, where string) (*Area, error) {
	if b, ok, err := ParseBBox(spec); ok || err != nil {
		if err != nil {
			return nil, err
		}
		if where != "" {
			return nil, fmt.Errorf("%w: --area-where needs a boundary file, not a bbox", ErrArea)
		}
		return AreaFromBound("bbox", spec, b), nil
	}
	var field, value string
	if where != "" {
		var ok bool
		field, value, ok = strings.Cut(where, "=")
		field, value = strings.TrimSpace(field), strings.TrimSpace(value)
		if !ok || field == "" {
			return nil, fmt.Errorf("%w: --area-where %q: want FIELD=VALUE", ErrArea, where)
		}
	}
	var (
		mp  orb.MultiPolygon
		n   int
		err error
	)
	if isGeoPackage(spec) {
		mp, n, err = areaFromGeoPackage(spec, field, value)
	} else {
		mp, n, err = areaFromGeoJSON(spec, field, value)
	}
	if err != nil {
		return nil, err
	}
	if len(mp) == 0 {
		if where != "" {
			return nil, fmt.Errorf("%w: %s: no polygon with %s among %d features", ErrArea, spec, where, n)
		}
		return nil, fmt.Errorf("%w: %s: no polygons (%d features)", ErrArea, spec, n)
	}
	name := strings.TrimSuffix(filepath.Base(spec), filepath.Ext(spec))
	source := filepath.Base(spec)
	if where != "" {
		name = value
		source += " " + field + "=" + value
	}
	return NewArea(name, source, mp), nil
}

// isGeoPackage reports whether path is an SQLite file (by its magic
// header) or named .gpkg.
func isGeoPackage(path string) bool {
	if strings.EqualFold(filepath.Ext(path), ".gpkg") {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [16]byte
	n, _ := io.ReadFull(f, magic[:])
	return n == 16 && string(magic[:]) == "SQLite format 3\x00"
}

func appendPolygons(mp orb.MultiPolygon, g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return append(mp, g)
	case orb.MultiPolygon:
		return append(mp, g...)
	case orb.Collection:
		for _, x := range g {
			mp = appendPolygons(mp, x)
		}
	}
	return mp
}

func areaFromGeoJSON(path, field, value string) (orb.MultiPolygon, int, error) {
	r, err := household.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	col := -1
	if field != "" {
		if col = household.ColumnIndex(r.Columns(), field); col < 0 {
			return nil, 0, fmt.Errorf("%w: %s has no field %q (fields: %s)", ErrArea, path, field, strings.Join(r.Columns(), ", "))
		}
	}
	var mp orb.MultiPolygon
	n := 0
	for r.Scan() {
		n++
		row := r.Row()
		if col >= 0 && !strings.EqualFold(row.Fields[col], value) {
			continue
		}
		mp = appendPolygons(mp, row.Geometry)
	}
	if err := r.Err(); err != nil {
		return nil, n, err
	}
	if n == 0 {
		if _, ok := r.(*household.CSVReader); ok {
			return nil, 0, &data.ParseError{File: path, Err: fmt.Errorf("%w: expected a GeoJSON or GeoPackage file of polygons", data.ErrFormat)}
		}
	}
	return mp, n, nil
}

func areaFromGeoPackage(path, field, value string) (orb.MultiPolygon, int, error) {
	db, err := gpkg.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	layers, err := db.Layers()
	if err != nil {
		return nil, 0, err
	}
	var mp orb.MultiPolygon
	n := 0
	hasField := false
	var fieldNames []string
	for _, l := range layers {
		if l.DataType != "features" || !(l.GeomType == gpkg.Polygon || l.GeomType == gpkg.MultiPolygon || l.GeomType == gpkg.Geometry) {
			continue
		}
		sc := db.Scan(l.Name)
		col := -1
		for i, f := range sc.Fields() {
			fieldNames = append(fieldNames, f.Name)
			if field != "" && col < 0 && strings.EqualFold(f.Name, field) {
				col = i
			}
		}
		if field != "" && col < 0 {
			err := sc.Err()
			sc.Close()
			if err != nil {
				return nil, n, err
			}
			continue
		}
		hasField = hasField || col >= 0
		for sc.Scan() {
			n++
			if col >= 0 && !strings.EqualFold(valueText(sc.Values()[col]), value) {
				continue
			}
			mp = appendPolygons(mp, sc.Geometry())
		}
		err := sc.Err()
		sc.Close()
		if err != nil {
			return nil, n, err
		}
	}
	if field != "" && !hasField {
		return nil, n, fmt.Errorf("%w: %s has no field %q in a polygon layer (fields: %s)", ErrArea, path, field, strings.Join(fieldNames, ", "))
	}
	return mp, n, nil
}

// valueText renders a GeoPackage attribute as --area-where compares it:
// numbers as written in GeoJSON ("7", "7.5"), NULL as "".
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

// DefaultMargin is added around the extent of the roster and facilities
// when it stands in for a missing study area.
const DefaultMargin geo.Meters = 5000

// StudyAreaLayer is the layer that holds the chosen study area.
var StudyAreaLayer = district.StudyArea.Name

// AreaOrigin says where StudyArea found the area.
type AreaOrigin string

// Where a study area can come from.
const (
	AreaNone    AreaOrigin = "none"     // no area: no area check
	AreaFlag    AreaOrigin = "argument" // --area, now stored in study_area
	AreaStored  AreaOrigin = "stored"   // the study_area layer
	AreaExtent  AreaOrigin = "extent"   // extent of chws and facilities + DefaultMargin
	extentLabel            = "extent of chws and facilities + 5 km"
)

// StudyArea chooses the study area of an ingest. With spec (a bbox or a
// boundary file, see LoadArea) it loads the area and stores it in the
// study_area layer, replacing what was there. Without spec it reuses the
// stored study_area; failing that, when useExtent is set, it takes the
// extent of the chws and facilities layers plus DefaultMargin (not stored);
// failing that it returns (nil, AreaNone, nil).
func StudyArea(tx *gpkg.Tx, spec, where string, useExtent bool) (*Area, AreaOrigin, error) {
	if spec != "" {
		a, err := LoadArea(spec, where)
		if err != nil {
			return nil, AreaNone, err
		}
		w, err := tx.CreateLayer(district.StudyArea.GpkgLayer())
		if err != nil {
			return nil, AreaNone, err
		}
		if _, err := w.Insert(a.Geom, a.Name, a.Source); err != nil {
			w.Close()
			return nil, AreaNone, err
		}
		return a, AreaFlag, w.Close()
	}
	if where != "" {
		return nil, AreaNone, fmt.Errorf("%w: --area-where needs --area", ErrArea)
	}
	has, err := tx.HasTable(StudyAreaLayer)
	if err != nil {
		return nil, AreaNone, err
	}
	if has {
		a, err := ReadStudyArea(tx)
		if err != nil || a != nil {
			return a, AreaStored, err
		}
	}
	if !useExtent {
		return nil, AreaNone, nil
	}
	layers, err := tx.Layers()
	if err != nil {
		return nil, AreaNone, err
	}
	var b orb.Bound
	found := false
	for _, l := range layers {
		if (l.Name == string(KindCHWs) || l.Name == string(KindFacilities)) && l.Count > 0 {
			if !found {
				b = l.Bound
			} else {
				b = b.Union(l.Bound)
			}
			found = true
		}
	}
	if !found {
		return nil, AreaNone, nil
	}
	return AreaFromBound(extentLabel, extentLabel, geo.ExpandBound(b, DefaultMargin)), AreaExtent, nil
}

// ReadStudyArea returns the stored study area (from a *gpkg.DB or
// *gpkg.Tx), nil when the layer is absent or empty.
func ReadStudyArea(db gpkg.Reader) (*Area, error) {
	if ok, err := db.HasTable(StudyAreaLayer); err != nil || !ok {
		return nil, err
	}
	sc := db.Scan(StudyAreaLayer)
	defer sc.Close()
	var mp orb.MultiPolygon
	var name, source string
	for sc.Scan() {
		mp = appendPolygons(mp, sc.Geometry())
		if name == "" {
			v := sc.Values()
			if len(v) >= 2 {
				name, _ = v[0].(string)
				source, _ = v[1].(string)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(mp) == 0 {
		return nil, nil
	}
	return NewArea(name, source, mp), nil
}
