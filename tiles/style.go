package tiles

import (
	"fmt"
	"image/color"
)

// Shape is a point symbol's shape.
type Shape int

// The point symbols.
const (
	Circle   Shape = iota
	Square         // a square standing on its side
	Triangle       // pointing up
	Cross          // a health cross (plus sign) on a square
	Diamond
)

// LineStyle draws lines: a Casing line (wider, drawn first) under the line
// itself, dashed when Dash is set. Widths and dashes are style pixels (CSS
// pixels at zoom 14, see View). Lines are skipped below MinZoom.
type LineStyle struct {
	Color       color.NRGBA
	Width       float64
	Casing      color.NRGBA
	CasingWidth float64
	Dash        []float64
	MinZoom     float64
}

// AreaStyle fills polygons and outlines them.
type AreaStyle struct {
	Fill    color.NRGBA
	Outline LineStyle
}

// PointStyle draws point symbols of Size style pixels (the diameter).
type PointStyle struct {
	Shape       Shape
	Size        float64
	Fill        color.NRGBA
	Stroke      color.NRGBA
	StrokeWidth float64
	MinZoom     float64
}

// Hillshade is the relief shading: light from Azimuth degrees (clockwise
// from north) at Altitude degrees above the horizon; slopes facing away
// are darkened by up to Shadow (0–1) and slopes facing the light brightened
// by up to Highlight. Exaggeration multiplies heights (1 is true relief).
type Hillshade struct {
	Azimuth, Altitude   float64
	Exaggeration        float64
	Shadow, Highlight   float64
	ShadowColor, Bright color.NRGBA
}

// Style is the one description of how lastmile maps look, shared by tiles,
// the route sheets, the coverage overview map and the QGIS layer styles
// (layer_styles). DefaultStyle returns it; callers may copy and change it.
type Style struct {
	// Version changes whenever the drawing changes, so that re-rendered
	// tile pyramids notice (it enters every tile's hash).
	Version    string
	Background color.NRGBA
	// Outside tints the land outside the study area.
	Outside   color.NRGBA
	Hillshade Hillshade
	StudyArea AreaStyle
	Water     AreaStyle
	// Streams is the style of a first-order stream; higher orders are
	// wider by StreamWidthPerOrder each.
	Streams             LineStyle
	StreamWidthPerOrder float64
	// Paths by OSM highway class; DefaultPath for the others.
	Paths       map[string]LineStyle
	DefaultPath LineStyle
	// Bridge is drawn under a path on a bridge; Ford marks a ford.
	Bridge LineStyle
	Ford   PointStyle
	// Catchment outlines each CHW's catchment; the fill takes the CHW's
	// palette colour at CatchmentFillAlpha.
	Catchment          AreaStyle
	CatchmentFillAlpha uint8
	// Palette colours catchments and their households, one colour per CHW
	// chosen so that neighbours differ; Unassigned is for households of
	// no CHW.
	Palette    []color.NRGBA
	Unassigned color.NRGBA
	Households PointStyle
	CHWs       PointStyle
	Facilities PointStyle
	// Routes are visit days, coloured by day from DayPalette.
	Routes     LineStyle
	DayPalette []color.NRGBA
	Stops      PointStyle
	// StopCallouts moves a stop's numbered symbol off its neighbours'
	// onto a free spot nearby, with a leader line to the household, when
	// stop numbers are shown: printed day maps turn it on. Tiles leave it
	// off: a tile cannot see where its neighbours placed their symbols.
	StopCallouts bool
	// Isochrones are walking-time bands, filled from BandPalette (short to
	// long) at BandAlpha.
	BandPalette []color.NRGBA
	BandAlpha   uint8
	GapAreas    AreaStyle
	// Suggested CHW homes and facilities (coverage).
	Suggested PointStyle
	// Label fonts; sizes are style pixels. Villages are labelled from
	// VillageMinZoom, households (stop numbers) from StopLabelMinZoom.
	VillageLabel, FacilityLabel, CHWLabel, StopLabel  Font
	VillageMinZoom, CHWLabelMinZoom, StopLabelMinZoom float64
}

// Hex parses "#rrggbb" or "#rrggbbaa"; it panics on anything else, for
// literal colours in styles.
func Hex(s string) color.NRGBA {
	var c color.NRGBA
	c.A = 255
	switch len(s) {
	case 7:
		if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &c.R, &c.G, &c.B); err != nil {
			panic("tiles: bad colour " + s)
		}
	case 9:
		if _, err := fmt.Sscanf(s, "#%02x%02x%02x%02x", &c.R, &c.G, &c.B, &c.A); err != nil {
			panic("tiles: bad colour " + s)
		}
	default:
		panic("tiles: bad colour " + s)
	}
	return c
}

// HexOf formats c as "#rrggbb", or "#rrggbbaa" when it is translucent.
func HexOf(c color.NRGBA) string {
	if c.A == 255 {
		return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
	return fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, c.A)
}

// WithAlpha returns c with alpha a.
func WithAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// DefaultStyle is lastmile's map style: a light topographic base (paper
// background, grey hillshade, blue water, paths from roads to footpaths in
// decreasing weight) under the health layers in strong colours that stay
// distinct in greyscale print (facilities red crosses on white, CHW homes
// black triangles, households small dots in their catchment's colour).
func DefaultStyle() *Style {
	halo := Hex("#ffffffdd")
	return &Style{
		Version:    "lastmile-1",
		Background: Hex("#f4f1ea"),
		Outside:    Hex("#d8d4cc66"),
		Hillshade: Hillshade{Azimuth: 315, Altitude: 45, Exaggeration: 2, Shadow: 0.45, Highlight: 0.25,
			ShadowColor: Hex("#3a3f4a"), Bright: Hex("#ffffff")},
		StudyArea: AreaStyle{Outline: LineStyle{Color: Hex("#7b3294"), Width: 2.5, Dash: []float64{10, 4, 2, 4}}},
		Water:     AreaStyle{Fill: Hex("#a9d3f0"), Outline: LineStyle{Color: Hex("#5b9fd6"), Width: 0.8}},
		Streams:   LineStyle{Color: Hex("#5b9fd6"), Width: 1.2},
		// Orders 1..6 are 1.2 .. 4.7 px at zoom 14.
		StreamWidthPerOrder: 0.7,
		Paths: map[string]LineStyle{
			"primary":      {Color: Hex("#f7c873"), Width: 5, Casing: Hex("#a0752e"), CasingWidth: 1},
			"secondary":    {Color: Hex("#fbe08a"), Width: 4.5, Casing: Hex("#a08a3e"), CasingWidth: 1},
			"tertiary":     {Color: Hex("#ffffff"), Width: 4, Casing: Hex("#8c8c8c"), CasingWidth: 1},
			"unclassified": {Color: Hex("#ffffff"), Width: 3.5, Casing: Hex("#8c8c8c"), CasingWidth: 1},
			"residential":  {Color: Hex("#ffffff"), Width: 3, Casing: Hex("#9c9c9c"), CasingWidth: 0.8},
			"track":        {Color: Hex("#9a6b2f"), Width: 2, Dash: []float64{8, 3}},
			"path":         {Color: Hex("#b5483d"), Width: 1.4, Dash: []float64{4, 3}},
			"footway":      {Color: Hex("#b5483d"), Width: 1.2, Dash: []float64{2, 2.5}, MinZoom: 11},
			"steps":        {Color: Hex("#b5483d"), Width: 2, Dash: []float64{1, 1.5}, MinZoom: 13},
		},
		DefaultPath: LineStyle{Color: Hex("#8c6d4f"), Width: 1.5},
		Bridge:      LineStyle{Color: Hex("#202020"), Width: 7},
		Ford:        PointStyle{Shape: Circle, Size: 5, Fill: Hex("#5b9fd6"), Stroke: Hex("#ffffff"), StrokeWidth: 1, MinZoom: 12},
		Catchment:   AreaStyle{Outline: LineStyle{Color: Hex("#2b2b2b"), Width: 2, Casing: Hex("#ffffffb0"), CasingWidth: 1.5}},
		// Tableau-like categorical colours, strong enough for small dots.
		CatchmentFillAlpha: 40,
		Palette: []color.NRGBA{Hex("#1f77b4"), Hex("#ff7f0e"), Hex("#2ca02c"), Hex("#d62728"), Hex("#9467bd"),
			Hex("#8c564b"), Hex("#e377c2"), Hex("#17becf"), Hex("#bcbd22"), Hex("#4e79a7")},
		Unassigned: Hex("#6e6e6e"),
		Households: PointStyle{Shape: Circle, Size: 4.5, Stroke: Hex("#ffffff"), StrokeWidth: 0.8},
		CHWs:       PointStyle{Shape: Triangle, Size: 11, Fill: Hex("#111111"), Stroke: Hex("#ffffff"), StrokeWidth: 1.5},
		Facilities: PointStyle{Shape: Cross, Size: 15, Fill: Hex("#d7191c"), Stroke: Hex("#ffffff"), StrokeWidth: 1.5},
		Routes:     LineStyle{Width: 3, Casing: Hex("#ffffff"), CasingWidth: 1.5},
		DayPalette: []color.NRGBA{Hex("#e41a1c"), Hex("#377eb8"), Hex("#4daf4a"), Hex("#984ea3"), Hex("#ff7f00"),
			Hex("#a65628"), Hex("#f781bf")},
		Stops: PointStyle{Shape: Circle, Size: 9, Fill: Hex("#ffffff"), Stroke: Hex("#111111"), StrokeWidth: 1.2},
		// Walking-time bands from short (green) to long (purple): ColorBrewer YlGnBu-like, sequential.
		BandPalette:    []color.NRGBA{Hex("#1a9850"), Hex("#91cf60"), Hex("#fee08b"), Hex("#fc8d59"), Hex("#d73027")},
		BandAlpha:      70,
		GapAreas:       AreaStyle{Fill: Hex("#d7302740"), Outline: LineStyle{Color: Hex("#d73027"), Width: 2, Dash: []float64{6, 3}}},
		Suggested:      PointStyle{Shape: Diamond, Size: 13, Fill: Hex("#ffd700"), Stroke: Hex("#111111"), StrokeWidth: 1.5},
		VillageLabel:   Font{Size: 13, Bold: true, Color: Hex("#333333"), Halo: halo, HaloWidth: 1.5},
		FacilityLabel:  Font{Size: 12, Bold: true, Color: Hex("#a50f15"), Halo: halo, HaloWidth: 1.5},
		CHWLabel:       Font{Size: 10, Color: Hex("#111111"), Halo: halo, HaloWidth: 1.2},
		StopLabel:      Font{Size: 8, Bold: true, Color: Hex("#111111")},
		VillageMinZoom: 11, CHWLabelMinZoom: 14, StopLabelMinZoom: 0,
	}
}

// PathStyle returns the style of a path of OSM highway class.
func (s *Style) PathStyle(class string) LineStyle {
	if l, ok := s.Paths[class]; ok {
		return l
	}
	return s.DefaultPath
}

// PaletteColor is colour i of the categorical palette (cycling).
func (s *Style) PaletteColor(i int) color.NRGBA {
	if i < 0 || len(s.Palette) == 0 {
		return s.Unassigned
	}
	return s.Palette[i%len(s.Palette)]
}

// DayColor is the colour of visit day d (1-based, cycling).
func (s *Style) DayColor(d int) color.NRGBA {
	if len(s.DayPalette) == 0 {
		return s.Routes.Color
	}
	return s.DayPalette[((d-1)%len(s.DayPalette)+len(s.DayPalette))%len(s.DayPalette)]
}

// BandColor is the colour of walking-time band i of n (0 the shortest),
// spread over BandPalette.
func (s *Style) BandColor(i, n int) color.NRGBA {
	if len(s.BandPalette) == 0 {
		return s.Unassigned
	}
	if n <= 1 {
		return s.BandPalette[0]
	}
	k := i * (len(s.BandPalette) - 1) / (n - 1)
	return s.BandPalette[max(0, min(k, len(s.BandPalette)-1))]
}
