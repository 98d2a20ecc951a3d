package tiles

import (
	"fmt"
	"html"
	"image/color"
	"slices"
	"strings"
)

// QML returns the QGIS style (QML, QGIS 3) of a lastmile layer, in this
// renderer's style and colours, and ok=false for layers it does not
// style. Stored in a GeoPackage's layer_styles table with useAsDefault,
// QGIS applies it when the layer is opened, so the district opens as a
// readable map: the study area as an outline, paths by class, water blue,
// catchments outlined and tinted in their CHW's colour, households as dots
// (coverage_households in their CHW's colour), facilities as red crosses,
// routes by day, walking-time bands in a sequential palette.
func (r *Renderer) QML(layer string) (qml string, ok bool) {
	st := r.style
	var b strings.Builder
	labelled := false
	switch layer {
	case "study_area":
		single(&b, fillSymbol(color.NRGBA{}, st.StudyArea.Outline))
	case "water_areas":
		single(&b, fillSymbol(st.Water.Fill, st.Water.Outline))
	case "streams":
		cats := []category{}
		for o := 1; o <= 6; o++ {
			ls := st.Streams
			ls.Width += st.StreamWidthPerOrder * float64(o-1)
			cats = append(cats, category{value: fmt.Sprint(o), label: fmt.Sprintf("order %d", o), symbol: lineSymbol(ls)})
		}
		river := st.Streams
		river.Width += st.StreamWidthPerOrder * 3
		cats = append(cats, category{value: "", label: "river or stream (mapped)", symbol: lineSymbol(river)})
		categorized(&b, `coalesce("stream_order", if("kind" = 'river', 4, 1))`, cats)
	case "paths":
		var cats []category
		classes := make([]string, 0, len(st.Paths))
		for c := range st.Paths {
			classes = append(classes, c)
		}
		slices.SortFunc(classes, func(a, b string) int { return pathRank(a) - pathRank(b) })
		for _, c := range classes {
			cats = append(cats, category{value: c, label: c, symbol: lineSymbol(st.Paths[c])})
		}
		cats = append(cats, category{value: "", label: "other", symbol: lineSymbol(st.DefaultPath)})
		categorized(&b, "class", cats)
	case "catchments":
		var cats []category
		for _, id := range r.chwIDs() {
			c := r.CHWColor(id)
			cats = append(cats, category{value: id, label: id, symbol: fillSymbol(WithAlpha(c, st.CatchmentFillAlpha*2), st.Catchment.Outline)})
		}
		cats = append(cats, category{value: "", label: "other", symbol: fillSymbol(color.NRGBA{}, st.Catchment.Outline)})
		categorized(&b, "chw_id", cats)
	case "households":
		// Households carry no CHW (the assignments table does), and a
		// style that looks each one up there (get_feature) stalls QGIS's
		// renderer: dots in one colour, over their catchment's tint.
		ps := st.Households
		ps.Fill = st.Unassigned
		single(&b, markerSymbol(ps))
	case "coverage_households":
		var cats []category
		for _, id := range r.chwIDs() {
			ps := st.Households
			ps.Fill = r.CHWColor(id)
			cats = append(cats, category{value: id, label: id, symbol: markerSymbol(ps)})
		}
		ps := st.Households
		ps.Fill = st.Unassigned
		cats = append(cats, category{value: "", label: "unassigned", symbol: markerSymbol(ps)})
		categorized(&b, "chw_id", cats)
	case "chws":
		single(&b, markerSymbol(st.CHWs))
		labelled = labels(&b, "chw_id", st.CHWLabel)
	case "facilities":
		single(&b, markerSymbol(st.Facilities))
		labelled = labels(&b, `coalesce("name", "facility_id")`, st.FacilityLabel)
	case "suggested_chws", "suggested_facilities":
		single(&b, markerSymbol(st.Suggested))
	case "visit_days":
		var cats []category
		for d := 1; d <= len(st.DayPalette); d++ {
			ls := st.Routes
			ls.Color = st.DayColor(d)
			cats = append(cats, category{value: fmt.Sprint(d), label: fmt.Sprintf("day %d", d), symbol: lineSymbol(ls)})
		}
		categorized(&b, `1 + ("day" - 1) % `+fmt.Sprint(len(st.DayPalette)), cats)
	case "stops":
		single(&b, markerSymbol(st.Stops))
		labelled = labels(&b, "seq", st.StopLabel)
	case "isochrones":
		var cats []category
		bands := []float64{0, 15, 30, 60, 120}
		for i, lo := range bands {
			c := WithAlpha(st.BandColor(i, len(bands)), st.BandAlpha*2)
			label := fmt.Sprintf("%g min and more", lo)
			if i+1 < len(bands) {
				label = fmt.Sprintf("%g–%g min", lo, bands[i+1])
			}
			cats = append(cats, category{value: fmt.Sprint(lo), label: label, symbol: fillSymbol(c, LineStyle{})})
		}
		categorized(&b, "band_min", cats)
	case "gap_areas":
		single(&b, fillSymbol(st.GapAreas.Fill, st.GapAreas.Outline))
	case "unregistered_structures":
		single(&b, fillSymbol(color.NRGBA{}, LineStyle{Color: st.Unassigned, Width: 1}))
	default:
		return "", false
	}
	return fmt.Sprintf(`<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="%d">
`, boolInt(labelled)) + b.String() + "</qgis>\n", true
}

// chwIDs lists the scene's CHWs (homes, catchments, assignments) in ID
// order.
func (r *Renderer) chwIDs() []string {
	ids := make([]string, 0, len(r.color))
	for id := range r.color {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

type category struct {
	value, label, symbol string
}

func qcolor(c color.NRGBA) string { return fmt.Sprintf("%d,%d,%d,%d", c.R, c.G, c.B, c.A) }

func attr(s string) string { return html.EscapeString(s) }

func props(b *strings.Builder, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(b, "          <prop k=\"%s\" v=\"%s\"/>\n", kv[i], attr(kv[i+1]))
	}
}

func dashProps(b *strings.Builder, ls LineStyle) {
	if len(ls.Dash) == 0 {
		return
	}
	parts := make([]string, len(ls.Dash))
	for i, d := range ls.Dash {
		parts[i] = fmt.Sprint(d)
	}
	props(b, "use_custom_dash", "1", "customdash", strings.Join(parts, ";"), "customdash_unit", "Pixel")
}

// lineSymbol is a QGIS line symbol: the casing as a lower symbol layer.
func lineSymbol(ls LineStyle) string {
	var b strings.Builder
	b.WriteString(`      <symbol type="line" name="@" alpha="1" clip_to_extent="1" force_rhr="0">` + "\n")
	if ls.CasingWidth > 0 && ls.Casing.A > 0 {
		b.WriteString(`        <layer class="SimpleLine" pass="0" locked="0" enabled="1">` + "\n")
		props(&b, "line_color", qcolor(ls.Casing), "line_width", fmt.Sprint(ls.Width+2*ls.CasingWidth), "line_width_unit", "Pixel",
			"line_style", "solid", "capstyle", "round", "joinstyle", "round")
		b.WriteString("        </layer>\n")
	}
	b.WriteString(`        <layer class="SimpleLine" pass="0" locked="0" enabled="1">` + "\n")
	props(&b, "line_color", qcolor(ls.Color), "line_width", fmt.Sprint(ls.Width), "line_width_unit", "Pixel",
		"line_style", "solid", "capstyle", "round", "joinstyle", "round")
	dashProps(&b, ls)
	b.WriteString("        </layer>\n      </symbol>\n")
	return b.String()
}

// fillSymbol fills with fill (none when transparent) and outlines in ls.
func fillSymbol(fill color.NRGBA, ls LineStyle) string {
	var b strings.Builder
	b.WriteString(`      <symbol type="fill" name="@" alpha="1" clip_to_extent="1" force_rhr="0">` + "\n")
	if ls.CasingWidth > 0 && ls.Casing.A > 0 {
		b.WriteString(`        <layer class="SimpleLine" pass="0" locked="0" enabled="1">` + "\n")
		props(&b, "line_color", qcolor(ls.Casing), "line_width", fmt.Sprint(ls.Width+2*ls.CasingWidth), "line_width_unit", "Pixel", "line_style", "solid")
		b.WriteString("        </layer>\n")
	}
	style, outline := "solid", "solid"
	if fill.A == 0 {
		style = "no"
	}
	if ls.Width == 0 || ls.Color.A == 0 || len(ls.Dash) > 0 {
		outline = "no"
	}
	b.WriteString(`        <layer class="SimpleFill" pass="0" locked="0" enabled="1">` + "\n")
	props(&b, "color", qcolor(fill), "style", style, "outline_color", qcolor(ls.Color), "outline_style", outline,
		"outline_width", fmt.Sprint(ls.Width), "outline_width_unit", "Pixel")
	b.WriteString("        </layer>\n")
	if len(ls.Dash) > 0 && ls.Width > 0 && ls.Color.A > 0 {
		// QGIS fills take no custom dash: draw the dashed outline as an
		// outline line layer instead.
		b.WriteString(`        <layer class="SimpleLine" pass="0" locked="0" enabled="1">` + "\n")
		props(&b, "line_color", qcolor(ls.Color), "line_width", fmt.Sprint(ls.Width), "line_width_unit", "Pixel", "line_style", "solid")
		dashProps(&b, ls)
		b.WriteString("        </layer>\n")
	}
	b.WriteString("      </symbol>\n")
	return b.String()
}

var qgisShape = map[Shape]string{Circle: "circle", Square: "square", Triangle: "triangle", Cross: "cross_fill", Diamond: "diamond"}

// markerSymbol is a QGIS marker in ps; a health cross is red on white.
func markerSymbol(ps PointStyle) string {
	var b strings.Builder
	b.WriteString(`      <symbol type="marker" name="@" alpha="1" clip_to_extent="1" force_rhr="0">` + "\n")
	if ps.Shape == Cross {
		b.WriteString(`        <layer class="SimpleMarker" pass="0" locked="0" enabled="1">` + "\n")
		props(&b, "name", "square", "color", qcolor(ps.Stroke), "outline_color", qcolor(ps.Fill), "outline_width", fmt.Sprint(ps.StrokeWidth),
			"outline_width_unit", "Pixel", "size", fmt.Sprint(ps.Size), "size_unit", "Pixel")
		b.WriteString("        </layer>\n")
		b.WriteString(`        <layer class="SimpleMarker" pass="0" locked="0" enabled="1">` + "\n")
		props(&b, "name", "cross_fill", "color", qcolor(ps.Fill), "outline_style", "no", "size", fmt.Sprint(ps.Size*0.8), "size_unit", "Pixel")
		b.WriteString("        </layer>\n      </symbol>\n")
		return b.String()
	}
	b.WriteString(`        <layer class="SimpleMarker" pass="0" locked="0" enabled="1">` + "\n")
	props(&b, "name", qgisShape[ps.Shape], "color", qcolor(ps.Fill), "outline_color", qcolor(ps.Stroke), "outline_width", fmt.Sprint(ps.StrokeWidth),
		"outline_width_unit", "Pixel", "size", fmt.Sprint(ps.Size), "size_unit", "Pixel")
	b.WriteString("        </layer>\n      </symbol>\n")
	return b.String()
}

func named(sym string, name int) string {
	return strings.Replace(sym, `name="@"`, fmt.Sprintf(`name="%d"`, name), 1)
}

func single(b *strings.Builder, sym string) {
	b.WriteString(`  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0">` + "\n    <symbols>\n")
	b.WriteString(named(sym, 0))
	b.WriteString("    </symbols>\n  </renderer-v2>\n")
}

func categorized(b *strings.Builder, attrExpr string, cats []category) {
	fmt.Fprintf(b, `  <renderer-v2 type="categorizedSymbol" attr="%s" forceraster="0" symbollevels="0" enableorderby="0">`+"\n    <categories>\n", attr(attrExpr))
	for i, c := range cats {
		fmt.Fprintf(b, `      <category render="true" symbol="%d" value="%s" label="%s"/>`+"\n", i, attr(c.value), attr(c.label))
	}
	b.WriteString("    </categories>\n    <symbols>\n")
	for i, c := range cats {
		b.WriteString(named(c.symbol, i))
	}
	b.WriteString("    </symbols>\n  </renderer-v2>\n")
}

// labels labels features with an expression in font f, with its halo.
func labels(b *strings.Builder, expr string, f Font) bool {
	weight := "50"
	if f.Bold {
		weight = "75"
	}
	fmt.Fprintf(b, `  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="%s" isExpression="1" fontFamily="DejaVu Sans Condensed" fontSize="%g" fontSizeUnit="Pixel" fontWeight="%s" textColor="%s" textOpacity="1">
        <text-buffer bufferDraw="%d" bufferSize="%g" bufferSizeUnits="Pixel" bufferColor="%s" bufferOpacity="1"/>
      </text-style>
      <placement placement="6" dist="3" distUnits="Pixel" priority="5"/>
      <rendering obstacle="1" scaleVisibility="0"/>
    </settings>
  </labeling>
`, attr(expr), f.Size, weight, qcolor(f.Color), boolInt(f.HaloWidth > 0), f.HaloWidth, qcolor(f.Halo))
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
