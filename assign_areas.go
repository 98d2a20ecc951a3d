package lastmile

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/geo"
)

// catchmentPolygons draws each CHW's catchment, clipped to the study area (or,
// without one, to the extent of the households and homes plus 5 km): for
// voronoi the Voronoi cells of the homes; for walk and balanced the Voronoi
// cells of the households dissolved by CHW, so that each catchment holds
// all of its CHW's households and none of another's. Unassigned
// households' cells belong to no catchment.
func catchmentPolygons(in *assignInput, rows []district.Assignment, method string) ([]district.Catchment, error) {
	clip, center := clipArea(in)
	loc := geo.NewLocal(center)
	toLocal := func(mp orb.MultiPolygon) orb.MultiPolygon {
		out := make(orb.MultiPolygon, len(mp))
		for i, p := range mp {
			out[i] = make(orb.Polygon, len(p))
			for j, r := range p {
				out[i][j] = make(orb.Ring, len(r))
				for k, q := range r {
					out[i][j][k] = loc.Forward(q)
				}
			}
		}
		return out
	}
	toLonLat := func(mp orb.MultiPolygon) orb.MultiPolygon {
		for _, p := range mp {
			for _, r := range p {
				for k, q := range r {
					r[k] = loc.Inverse(q)
				}
			}
		}
		return mp
	}
	chwIdx := map[district.CHWID]int{}
	for i, c := range in.chws {
		chwIdx[c.ID] = i
	}
	count := make([]int, len(in.chws))
	for _, r := range rows {
		if r.CHW != "" {
			count[chwIdx[r.CHW]]++
		}
	}
	var areas []orb.MultiPolygon
	if method == MethodVoronoi {
		sites := make([]orb.Point, len(in.chws))
		for i, c := range in.chws {
			sites[i] = loc.Forward(c.Point)
		}
		v, err := geo.NewVoronoi(sites, toLocal(clip))
		if err != nil {
			return nil, fmt.Errorf("catchments: %w", err)
		}
		areas = v.Cells
	} else {
		sites := make([]orb.Point, len(in.hh))
		groups := make([]int, len(in.hh))
		for i, h := range in.hh {
			sites[i] = loc.Forward(h.Point)
			groups[i] = -1
			if rows[i].CHW != "" {
				groups[i] = chwIdx[rows[i].CHW]
			}
		}
		v, err := geo.NewVoronoi(sites, toLocal(clip))
		if err != nil {
			return nil, fmt.Errorf("catchments: %w", err)
		}
		// A duplicate location's one cell goes with its first household.
		for i, o := range v.Owner {
			if o != i {
				groups[i] = -1
			}
		}
		areas = geo.Dissolve(v.Cells, groups, len(in.chws))
	}
	var out []district.Catchment
	for i, a := range areas {
		if len(a) == 0 {
			continue
		}
		a = toLonLat(a)
		out = append(out, district.Catchment{CHW: in.chws[i].ID, Area: a, Households: count[i],
			AreaKm2: geo.Area(a).SquareKilometers(), Method: method})
	}
	return out, nil
}

// clipArea returns the study area (or the extent of households and homes
// plus 5 km as a rectangle) and its centre.
func clipArea(in *assignInput) (orb.MultiPolygon, orb.Point) {
	if in.area != nil && len(in.area.Geom) > 0 {
		return in.area.Geom, in.area.Bound().Center()
	}
	b := orb.Bound{Min: in.chws[0].Point, Max: in.chws[0].Point}
	for _, c := range in.chws {
		b = b.Extend(c.Point)
	}
	for _, h := range in.hh {
		b = b.Extend(h.Point)
	}
	b = geo.ExpandBound(b, 5000)
	return orb.MultiPolygon{b.ToPolygon()}, b.Center()
}
