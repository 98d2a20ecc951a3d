package routing

import (
	"fmt"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// waterMagic opens the stored water lines and areas; the digit is the
// format version.
const waterMagic = "LMWATR01"

// marshalWater encodes the graph's waterways and water areas.
func (g *Graph) marshalWater() []byte {
	e := &enc{}
	e.b = append(e.b, waterMagic...)
	e.u32(uint32(len(g.waters)))
	for _, w := range g.waters {
		e.u64(uint64(w.ID))
		e.str(w.Kind)
		e.f64(w.Width)
		flag := uint32(0)
		if w.Derived {
			flag = 1
		}
		e.u32(flag)
		e.f64(w.AreaKm2)
		e.u32(uint32(w.Order))
		e.pts(w.Pts)
	}
	e.u32(uint32(len(g.areas)))
	for _, a := range g.areas {
		e.u64(uint64(a.ID))
		e.u32(uint32(len(a.Poly)))
		for _, poly := range a.Poly {
			e.u32(uint32(len(poly)))
			for _, ring := range poly {
				e.pts(ring)
			}
		}
	}
	return e.b
}

// unmarshalWater decodes what marshalWater wrote into g and indexes it.
func (g *Graph) unmarshalWater(b []byte) error {
	if len(b) < len(waterMagic) || string(b[:len(waterMagic)]) != waterMagic {
		return fmt.Errorf("%w: water: bad magic", ErrFormat)
	}
	d := &dec{b: b[len(waterMagic):]}
	n := d.u32("water count")
	if uint64(n) > uint64(len(d.b)) {
		return fmt.Errorf("%w: water: %d lines in %d bytes", ErrFormat, n, len(d.b))
	}
	g.waters = make([]waterInput, 0, n)
	for i := uint32(0); i < n && d.err == nil; i++ {
		w := waterInput{ID: int64(d.u64("water id")), Kind: d.str("water kind"), Width: d.f64("water width")}
		w.Derived = d.u32("water flag")&1 != 0
		w.AreaKm2 = d.f64("water area")
		w.Order = int(d.u32("water order"))
		w.Pts = d.pts("water points")
		g.waters = append(g.waters, w)
	}
	na := d.u32("area count")
	if uint64(na) > uint64(len(d.b)) {
		return fmt.Errorf("%w: water: %d areas in %d bytes", ErrFormat, na, len(d.b))
	}
	for i := uint32(0); i < na && d.err == nil; i++ {
		a := areaInput{ID: int64(d.u64("area id"))}
		np := d.u32("area polygons")
		for k := uint32(0); k < np && d.err == nil && uint64(k) < uint64(len(d.b)); k++ {
			nr := d.u32("area rings")
			var poly orb.Polygon
			for r := uint32(0); r < nr && d.err == nil && uint64(r) < uint64(len(d.b)); r++ {
				poly = append(poly, orb.Ring(d.pts("area ring")))
			}
			a.Poly = append(a.Poly, poly)
		}
		g.areas = append(g.areas, a)
	}
	if d.err != nil {
		return d.err
	}
	g.indexWater()
	return nil
}

// indexWater builds the water index for the off-path legs of a loaded
// graph, in a local projection at the centre of its nodes.
func (g *Graph) indexWater() {
	if len(g.waters) == 0 && len(g.areas) == 0 {
		g.water = nil
		return
	}
	var bound orb.Bound
	for i, p := range g.nodePt {
		if i == 0 {
			bound = orb.Bound{Min: p, Max: p}
		} else {
			bound = bound.Extend(p)
		}
	}
	g.water = newWaterIndex(&g.prof, geo.NewLocal(bound.Center()), g.waters, g.areas, nil, nil)
}

// saveWater writes the streams and water_areas layers.
func (g *Graph) saveWater(tx *gpkg.Tx) error {
	sw, err := tx.CreateLayer(district.Streams.GpkgLayer())
	if err != nil {
		return err
	}
	// Save writes the dry season's graph (SaveSeason the wet one's).
	dry, wet := g.prof, g.prof.Wet()
	for _, w := range g.waters {
		if len(w.Pts) < 2 {
			continue
		}
		source, osmID, width, area, order := "osm", any(w.ID), any(nil), any(nil), any(nil)
		if w.Width > 0 {
			width = w.Width
		}
		if w.Derived {
			source, osmID = "dem", nil
			area, order = w.AreaKm2, int64(w.Order)
		}
		if _, err := sw.Insert(orb.LineString(w.Pts), source, osmID, w.Kind, width, area, order,
			isBarrier(&dry, w), isBarrier(&wet, w)); err != nil {
			sw.Close()
			return fmt.Errorf("routing: save stream %d: %w", w.ID, err)
		}
	}
	if err := sw.Close(); err != nil {
		return err
	}
	aw, err := tx.CreateLayer(district.WaterAreas.GpkgLayer())
	if err != nil {
		return err
	}
	for _, a := range g.areas {
		if _, err := aw.Insert(a.Poly, a.ID); err != nil {
			aw.Close()
			return fmt.Errorf("routing: save water area %d: %w", a.ID, err)
		}
	}
	return aw.Close()
}

// isBarrier reports whether off-path walkers with profile p never cross w.
func isBarrier(p *Profile, w waterInput) bool {
	if w.Derived {
		return w.AreaKm2 >= p.DerivedBarrierKm2
	}
	width := w.Width
	if width <= 0 {
		width = lookupDefault(p.DefaultWidth, w.Kind, 0)
	}
	return width > p.MaxWadeWidth
}
