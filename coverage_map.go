package lastmile

import (
	"bufio"
	"cmp"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/routing"
	"github.com/lastmile-health/lastmile/tiles"
)

// The overview map's size: A4 landscape at 150 dpi.
const (
	coverageMapW     = 1754
	coverageMapH     = 1240
	coverageMapRatio = 1.5
)

// coverageMap draws the overview map for a report or a wall into file
// (PNG), by the one renderer of package tiles: the district's hillshade,
// paths and water, the dry season's walking-time bands to the nearest
// facility, its gap areas, the households it leaves unserved, CHW homes,
// facilities and the suggested sites, with a title, a legend and a scale
// bar. demPath overrides the stored DEM (the demo's is still in a
// temporary folder).
func (d *District) coverageMap(file, demPath string, res *CoverageResult, unserved []district.Household) error {
	if ext := strings.ToLower(filepath.Ext(file)); ext != ".png" {
		return usageErrorf("--map %s: want a .png file", file)
	}
	ms, err := d.scene(demPath, sceneAll)
	if err != nil {
		return err
	}
	s := ms.Scene
	s.Catchments, s.Routes, s.Stops = nil, nil, nil
	s.Households = s.Households[:0]
	for _, h := range unserved {
		s.Households = append(s.Households, tiles.Household{ID: string(h.ID), Point: h.Point})
	}
	// The style, with the symbols a reader looks for on a district-wide
	// map (drawn at a quarter of their zoom-14 size there) made larger.
	style := tiles.DefaultStyle()
	style.Suggested.Size *= 2.5
	style.Suggested.StrokeWidth *= 2
	style.Facilities.Size *= 1.5
	r := tiles.NewRenderer(s, style, tiles.AllLayers&^(tiles.LayerCatchments|tiles.LayerRoutes))
	st := r.Style()
	v := tiles.FitView(ms.Bound, coverageMapW, coverageMapH, 40, 16)
	v.PixelRatio = coverageMapRatio
	img := image.NewRGBA(image.Rect(0, 0, v.W, v.H))
	c := tiles.NewImageCanvas(img)
	r.Draw(c, v)

	// Title, top left.
	title := tiles.Font{Size: 20 * coverageMapRatio, Bold: true, Color: tiles.Hex("#111111"), Halo: tiles.Hex("#ffffffdd"), HaloWidth: 2 * coverageMapRatio}
	sub := title
	sub.Size, sub.Bold = 12*coverageMapRatio, false
	c.Text(20*coverageMapRatio, 34*coverageMapRatio, "Coverage: walking time to care", title)
	line := fmt.Sprintf("%s — dry season; unserved: no CHW within %g min", filepath.Base(d.Path), res.Thresholds.CHWWalk.Minutes())
	// Suggestions answer the worst season the graph has: say so when it
	// is not the one the bands show.
	for _, sg := range []*Suggestions{res.SuggestedCHWs, res.SuggestedFacilities} {
		if sg != nil && len(sg.Sites) > 0 && sg.Season != routing.Dry {
			line += "; suggestions for the " + sg.Season + " season"
			break
		}
	}
	c.Text(20*coverageMapRatio, 58*coverageMapRatio, line, sub)

	// Legend, top right: the coverage layers in words an analyst uses,
	// then the base layers the renderer lists, with the symbols at their
	// usual size (the map's larger ones would not fit its rows).
	legendStyle := tiles.DefaultStyle()
	var items []tiles.LegendItem
	var bands []tiles.Band
	for _, b := range s.Isochrones {
		if !slices.ContainsFunc(bands, func(x tiles.Band) bool { return x.Index == b.Index }) {
			bands = append(bands, b)
		}
	}
	slices.SortFunc(bands, func(a, b tiles.Band) int { return cmp.Compare(a.Min, b.Min) })
	for _, b := range bands {
		as := tiles.AreaStyle{Fill: tiles.WithAlpha(st.BandColor(b.Index, b.Of), st.BandAlpha)}
		items = append(items, tiles.LegendItem{Label: fmt.Sprintf("%g–%g min to a facility", b.Min, b.Max), Area: &as})
	}
	gap, hh := st.GapAreas, st.Households
	hh.Fill = st.Unassigned
	items = append(items,
		tiles.LegendItem{Label: "gap area (unserved households)", Area: &gap},
		tiles.LegendItem{Label: "unserved household", Point: &hh})
	if len(s.Suggested) > 0 {
		items = append(items, tiles.LegendItem{Label: "suggested CHW home or health post", Point: &legendStyle.Suggested})
	}
	for _, e := range r.Legend() {
		if e.Point == &st.Facilities {
			e.Point = &legendStyle.Facilities // the legend's row height
		}
		if e.Point == &st.Suggested || strings.HasPrefix(e.Label, "household") || strings.Contains(e.Label, "min walk") || e.Label == "coverage gap" {
			continue // said above, in the map's own words
		}
		items = append(items, e)
	}
	lw, _ := r.DrawLegend(tiles.NewImageCanvas(image.NewRGBA(image.Rect(0, 0, 1, 1))), 0, 0, coverageMapRatio, "Legend", items)
	r.DrawLegend(c, float64(v.W)-lw-20*coverageMapRatio, 20*coverageMapRatio, coverageMapRatio, "Legend", items)
	r.DrawScaleBar(c, v, 24*coverageMapRatio, float64(v.H)-24*coverageMapRatio)
	r.DrawNorthArrow(c, float64(v.W)-40*coverageMapRatio, float64(v.H)-80*coverageMapRatio, 36*coverageMapRatio)

	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("--map: %w", err)
	}
	bw := bufio.NewWriter(f)
	if err := png.Encode(bw, img); err != nil {
		f.Close()
		return fmt.Errorf("--map %s: %w", file, err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("--map %s: %w", file, err)
	}
	return f.Close()
}
