package sheets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/tiles"
)

// fontFamily is the name the sheets' font is registered under.
const fontFamily = "dejavu"

// Stop is one row of a day's table.
type Stop struct {
	Seq       int
	Household string
	// Head is the head of household: personal, left out with
	// Options.NoPersonal.
	Head    string
	Village string
	// Walk is the walk from the previous stop; Arrive the time from
	// setting out to arriving (walking and earlier visits).
	Walk, Arrive geo.Seconds
	// Visit is which visit of the month this is (1 for the first).
	Visit int
	Point orb.Point
}

// Day is one day of a CHW's plan.
type Day struct {
	Number int
	// Date is the day's date in a month's plan (zero otherwise).
	Date            time.Time
	Walk, Service   geo.Seconds
	Distance        geo.Meters
	Ascent, Descent geo.Meters
	// Line is the day's walk along the paths.
	Line  orb.LineString
	Stops []Stop
}

// Unserved is a household the plan has no day for, and why.
type Unserved struct {
	Household, Village, Reason string
}

// Sheet is one CHW's route sheet.
type Sheet struct {
	CHW string
	// CHWName is personal: left out with Options.NoPersonal.
	CHWName                string
	Facility, FacilityName string
	Supervisor             string
	// Planned is the date the plan was made; Month its month (YYYY-MM) when
	// it plans one.
	Planned time.Time
	Month   string
	Days    []Day
	// Unserved households are listed on the last page.
	Unserved []Unserved
	// Base is what the maps show under the plan: paths, streams, water,
	// the study area and the elevation model for the hillshade. It is not
	// changed. Near, when set, returns the base features near a bound
	// instead: each map then indexes only what it shows (indexing the
	// whole catchment for each day's map was most of a national run).
	Base *tiles.Scene
	Near func(b orb.Bound) *tiles.Scene
	// Home, FacilityPoint (when known) and Catchment are drawn on the
	// maps.
	Home          orb.Point
	FacilityPoint *orb.Point
	Catchment     orb.MultiPolygon
}

// Options tune the sheets.
type Options struct {
	// NoPersonal leaves out the heads of household and the CHW's name.
	NoPersonal bool
	// Created is the PDF's creation and modification date (the stage's
	// District.Now: SOURCE_DATE_EPOCH makes it reproducible); zero is the
	// plan date of the first sheet added, else the Unix epoch, never the
	// clock, so that the same sheets give the same bytes.
	Created time.Time
}

// Sizes of the maps on an A4 page, in mm.
const (
	pageW, pageH   = 210.0, 297.0
	margin         = 10.0
	mapW           = pageW - 2*margin
	overviewH      = 150.0
	dayMapH        = 95.0
	rowH           = 6.0
	headerFontSize = 15.0
	bodyFontSize   = 9.0
)

// Fonts returns the sheets' font (DejaVu Sans Condensed, regular and
// bold, as TTF): the one the map labels use, which carries the Latin
// letters of Liberian names (ɛ, ɔ, tone marks) that a PDF's standard fonts
// turn into "?".
func Fonts() (regular, bold []byte) { return tiles.FontTTF(false), tiles.FontTTF(true) }

func newPDF(regular, bold []byte) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", regular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", bold)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+6)
	// fpdf keeps fonts and images in maps: sorted, the objects come out
	// in the same order every time.
	pdf.SetCatalogSort(true)
	// Document.Write compresses the streams, faster than fpdf does.
	pdf.SetCompression(false)
	return pdf
}

// Document is one PDF of route sheets: a CHW's, or a facility's gathering
// its CHWs'. It is not safe for concurrent use.
type Document struct {
	pdf    *fpdf.Fpdf
	opts   Options
	images int
	// imageWidths are the pixel widths of the document's images (see
	// recording.replay).
	imageWidths map[int]bool
	footer      string
	// planned is the first sheet's (or cover's) plan date.
	planned time.Time
}

// New returns an empty document; fonts are from Fonts.
func New(opts Options, regular, bold []byte) *Document {
	d := &Document{pdf: newPDF(regular, bold), opts: opts, imageWidths: map[int]bool{}}
	d.pdf.AliasNbPages("{nb}")
	d.pdf.SetFooterFunc(func() {
		d.pdf.SetY(-margin - 4)
		d.pdf.SetFont(fontFamily, "", 8)
		d.pdf.SetTextColor(90, 90, 90)
		d.pdf.CellFormat(0, 4, d.footer, "", 0, "L", false, 0, "")
		d.pdf.CellFormat(0, 4, fmt.Sprintf("page %d of {nb}", d.pdf.PageNo()), "", 0, "R", false, 0, "")
		d.pdf.SetTextColor(0, 0, 0)
	})
	return d
}

// Write finishes the PDF into w.
func (d *Document) Write(w io.Writer) error {
	t := d.opts.Created
	if t.IsZero() {
		t = d.planned
	}
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	d.pdf.SetCreationDate(t.UTC())
	d.pdf.SetModificationDate(t.UTC())
	// fpdf lays the document out uncompressed; deflateStreams compresses
	// it (see deflate.go).
	src := documents.Get().(*bytes.Buffer)
	defer documents.Put(src)
	src.Reset()
	if err := d.pdf.Output(src); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	if err := deflateStreams(bw, src.Bytes()); err != nil {
		return err
	}
	return bw.Flush()
}

// documents hold the uncompressed PDFs deflateStreams reads.
var documents = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Maps are a sheet's maps, drawn once by the tiles renderer and shown in
// every document the sheet goes into.
type Maps struct {
	overview *recording
	days     []*recording
}

// Draw draws s's maps: the catchment with every day (hillshade, paths,
// rivers, the days' walks coloured by day, stops numbered by day, home,
// facility, scale bar, north arrow, legend) and one map per day with its
// stops numbered in visiting order. measure is from NewMeasurer.
func Draw(s *Sheet, measure Measurer) *Maps {
	m := &Maps{}
	var routes []tiles.Route
	var stops []tiles.Stop
	for _, d := range s.Days {
		routes = append(routes, tiles.Route{CHW: s.CHW, Day: d.Number, Line: d.Line})
		for _, st := range d.Stops {
			stops = append(stops, tiles.Stop{CHW: s.CHW, Day: d.Number, Seq: st.Seq, Point: st.Point, Label: strconv.Itoa(d.Number)})
		}
	}
	m.overview = s.drawMap(s.bound(routes, stops), routes, stops, mapW, overviewH, tiles.AllLayers, measure, true)
	for _, d := range s.Days {
		routes := []tiles.Route{{CHW: s.CHW, Day: d.Number, Line: d.Line}}
		var stops []tiles.Stop
		for _, st := range d.Stops {
			stops = append(stops, tiles.Stop{CHW: s.CHW, Day: d.Number, Seq: st.Seq, Point: st.Point, Label: strconv.Itoa(st.Seq)})
		}
		db := d.Line.Bound()
		for _, st := range d.Stops {
			db = db.Extend(st.Point)
		}
		m.days = append(m.days, s.drawMap(db, routes, stops, mapW, dayMapH, tiles.AllLayers&^tiles.LayerHillshade, measure, false))
	}
	return m
}

// Measurer measures text in the sheets' font (see NewMeasurer).
type Measurer func(s string, f tiles.Font) (w, ascent, descent float64)

// NewMeasurer returns a Measurer of its own: one per goroutine.
func NewMeasurer(regular, bold []byte) Measurer { return measurer(regular, bold) }

// scene returns the base scene near b (Near, else Base) with the CHW's
// catchment, home and facility, sharing the base's slices.
func (s *Sheet) scene(b orb.Bound) *tiles.Scene {
	sc := &tiles.Scene{}
	switch {
	case s.Near != nil:
		*sc = *s.Near(b)
	case s.Base != nil:
		*sc = *s.Base
	}
	sc.Routes, sc.Stops, sc.Households, sc.Isochrones, sc.Gaps, sc.Suggested = nil, nil, nil, nil, nil, nil
	sc.Catchments = nil
	if len(s.Catchment) > 0 {
		sc.Catchments = []tiles.Catchment{{CHW: s.CHW, Area: s.Catchment}}
	}
	sc.CHWs = []tiles.CHW{{ID: s.CHW, Point: s.Home}}
	sc.Facilities = nil
	if s.FacilityPoint != nil {
		sc.Facilities = []tiles.Facility{{ID: s.Facility, Name: s.FacilityName, Point: *s.FacilityPoint}}
	}
	return sc
}

// bound is what the overview shows: the home, the stops, the walks and
// the catchment (and the facility).
func (s *Sheet) bound(routes []tiles.Route, stops []tiles.Stop) orb.Bound {
	b := s.Home.Bound()
	for _, r := range routes {
		b = b.Union(r.Line.Bound())
	}
	for _, st := range stops {
		b = b.Extend(st.Point)
	}
	if len(s.Catchment) > 0 {
		b = b.Union(s.Catchment.Bound())
	}
	if s.FacilityPoint != nil {
		b = b.Extend(*s.FacilityPoint)
	}
	return b
}

// overviewStyle and dayStyle are the maps' styles, made once: renderers
// only read them, and a national district draws 132,000 maps. A day's
// map moves its stops' numbered symbols off each other (a few dozen
// stops); the overview shows every day's stops, hundreds, where leaders
// would only add clutter.
var (
	overviewStyle = sync.OnceValue(tiles.DefaultStyle)
	dayStyle      = sync.OnceValue(func() *tiles.Style {
		st := tiles.DefaultStyle()
		st.StopCallouts = true
		return st
	})
)

// drawMap renders b on a w × h mm map: the base map near it, the CHW's
// catchment, home and facility, routes and stops, a scale bar, a north
// arrow and (legend: the overview) the legend. Day maps leave out the
// village labels, which would hide the numbered stops.
func (s *Sheet) drawMap(b orb.Bound, routes []tiles.Route, stops []tiles.Stop, w, h float64, layers tiles.Layers, measure Measurer, legend bool) *recording {
	wp, hp := int(w/mmPerPx), int(h/mmPerPx)
	minX, minY, maxX, maxY := padBound(b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	v := tiles.FitView(orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}, wp, hp, 32, 17)
	v.PixelRatio = 1
	scene := s.scene(v.Bound())
	scene.Routes, scene.Stops = routes, stops
	if !legend {
		scene.Villages = nil
	}
	rec := &recording{w: wp, h: hp, measure: measure}
	st := dayStyle()
	if legend {
		st = overviewStyle()
	}
	r := tiles.NewRenderer(scene, st, layers)
	r.Draw(rec, v)
	r.DrawScaleBar(rec, v, 20, float64(hp)-12)
	r.DrawNorthArrow(rec, float64(wp)-22, 12, 28)
	if legend {
		var items []tiles.LegendItem
		for _, e := range r.Legend() {
			switch {
			case strings.HasPrefix(e.Label, "visit stop"):
				e.Label = "household visit (number: day)"
			case strings.HasPrefix(e.Label, "route"):
				e.Label = "day's walk (colour: day)"
			}
			items = append(items, e)
		}
		// Measure the box off the canvas, then draw it in the top-right
		// corner below the north arrow.
		w, _ := r.DrawLegend(&recording{measure: measure}, 0, 0, 1, "Legend", items)
		r.DrawLegend(rec, float64(wp)-w-8, 64, 1, "Legend", items)
	}
	return rec
}

// Add appends s's pages: the header, the overview map and the days'
// summary, then one page per day (its map and its table of stops), then
// the households with no day. This is the CHW's own sheet, to carry.
func (d *Document) Add(s *Sheet, m *Maps) {
	d.firstPage(s, m)
	for i, dy := range s.Days {
		d.dayPage(dy, m.days[i])
	}
	d.unserved(s)
}

// AddSummary appends s's pages for its supervisor: the first page as in
// Add (header, overview map with every day's walk, days' summary), then
// every day's table of stops one after the other, without the day maps,
// then the households with no day. A supervisor follows a CHW's month
// from the overview and the tables; the day maps are on the CHW's own
// sheet. Laying out a day map is most of a sheet's PDF time, and a
// facility's document would otherwise repeat all its CHWs' sheets.
func (d *Document) AddSummary(s *Sheet, m *Maps) {
	d.firstPage(s, m)
	header, widths := d.stopColumns()
	for _, dy := range s.Days {
		// A day's heading, its table header and a few rows stay together.
		if d.pdf.GetY()+12+5*rowH > pageH-margin-8 {
			d.pdf.AddPage()
		} else {
			d.pdf.Ln(3)
		}
		d.dayTable(dy, header, widths)
	}
	d.unserved(s)
}

// firstPage is a sheet's first page: the header, the overview map and the
// days' summary.
func (d *Document) firstPage(s *Sheet, m *Maps) {
	pdf := d.pdf
	if d.planned.IsZero() {
		d.planned = s.Planned
	}
	// The footer is drawn as a page closes: the page before keeps its own.
	pdf.AddPage()
	d.footer = "Visit plan " + s.CHW
	if s.Facility != "" {
		d.footer += " · " + s.Facility
	}
	title := "Visit plan: " + s.CHW
	if s.CHWName != "" && !d.opts.NoPersonal {
		title += " (" + s.CHWName + ")"
	}
	pdf.SetFont(fontFamily, "B", headerFontSize)
	pdf.CellFormat(0, 8, title, "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", bodyFontSize+1)
	fac := s.Facility
	if s.FacilityName != "" {
		fac = s.FacilityName + " (" + s.Facility + ")"
	}
	when := "planned " + s.Planned.Format("2 January 2006")
	if s.Month != "" {
		if t, err := time.Parse("2006-01", s.Month); err == nil {
			when = t.Format("January 2006") + ", " + when
		}
	}
	line := "Facility: " + fac
	if s.Supervisor != "" {
		line += " · supervisor " + s.Supervisor
	}
	pdf.CellFormat(0, 5, line+" · "+when, "", 1, "L", false, 0, "")
	var walk, svc geo.Seconds
	var dist geo.Meters
	visits := 0
	for _, dy := range s.Days {
		walk += dy.Walk
		svc += dy.Service
		dist += dy.Distance
		visits += len(dy.Stops)
	}
	pdf.CellFormat(0, 5, fmt.Sprintf("%d visits on %d days: %s in all, %s walking, %.1f km · %d households with no day",
		visits, len(s.Days), hm(walk+svc), hm(walk), dist.Kilometers(), len(s.Unserved)), "", 1, "L", false, 0, "")
	y := pdf.GetY() + 2
	m.overview.replay(pdf, margin, y, d.imageName(), d.imageWidths)
	pdf.Rect(margin, y, mapW, overviewH, "D")
	pdf.SetY(y + overviewH + 3)
	d.daySummary(s)
}

// unserved lists the households with no day on a page of their own.
func (d *Document) unserved(s *Sheet) {
	pdf := d.pdf
	if len(s.Unserved) > 0 {
		pdf.AddPage()
		pdf.SetFont(fontFamily, "B", 12)
		pdf.CellFormat(0, 7, "Households with no day", "", 1, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", bodyFontSize)
		pdf.MultiCell(0, 4.5, "No day can reach them within the day's budget, or they are not on the walking paths: "+
			"visit them another way and tell the supervisor.", "", "L", false)
		header := []string{"Household", "Village", "Why"}
		widths := []float64{40, 50, 100}
		d.tableHeader(header, widths)
		for _, u := range s.Unserved {
			d.row(widths, []string{u.Household, u.Village, reasonText(u.Reason)}, false)
		}
	}
}

func (d *Document) imageName() string {
	d.images++
	return fmt.Sprintf("map%d-", d.images)
}

// daySummary lists the days under the overview map.
func (d *Document) daySummary(s *Sheet) {
	widths := []float64{16, 34, 22, 26, 26, 22, 22}
	d.tableHeader([]string{"Day", "Date", "Visits", "Walking", "In all", "km", "Climb m"}, widths)
	for _, dy := range s.Days {
		date := ""
		if !dy.Date.IsZero() {
			date = dy.Date.Format("Mon 2 Jan")
		}
		d.row(widths, []string{strconv.Itoa(dy.Number), date, strconv.Itoa(len(dy.Stops)), hm(dy.Walk),
			hm(dy.Walk + dy.Service), fmt.Sprintf("%.1f", dy.Distance.Kilometers()), fmt.Sprintf("%.0f", float64(dy.Ascent))}, false)
	}
}

// dayPage is one day: its heading, its map and its table of stops.
func (d *Document) dayPage(dy Day, m *recording) {
	pdf := d.pdf
	pdf.AddPage()
	d.dayHeading(dy, "")
	y := pdf.GetY() + 1
	m.replay(pdf, margin, y, d.imageName(), d.imageWidths)
	pdf.Rect(margin, y, mapW, dayMapH, "D")
	pdf.SetY(y + dayMapH + 3)
	header, widths := d.stopColumns()
	d.stopTable(dy, header, widths)
}

// dayTable is a day's heading and its table of stops, without its map.
func (d *Document) dayTable(dy Day, header []string, widths []float64) {
	d.dayHeading(dy, "")
	d.stopTable(dy, header, widths)
}

// stopTable is a day's table of stops (going on over the next pages with
// the day's heading repeated) and the day's totals.
func (d *Document) stopTable(dy Day, header []string, widths []float64) {
	pdf := d.pdf
	d.tableHeader(header, widths)
	for _, st := range dy.Stops {
		if pdf.GetY()+rowH > pageH-margin-8 {
			pdf.AddPage()
			d.dayHeading(dy, " (continued)")
			d.tableHeader(header, widths)
		}
		visit := ""
		if st.Visit > 1 {
			visit = ordinal(st.Visit)
		}
		cells := []string{strconv.Itoa(st.Seq), st.Household}
		if !d.opts.NoPersonal {
			cells = append(cells, st.Head)
		}
		cells = append(cells, st.Village, visit, fmt.Sprintf("%.0f", st.Walk.Minutes()), hm(st.Arrive), "")
		d.row(widths, cells, true)
	}
	pdf.SetFont(fontFamily, "", bodyFontSize)
	pdf.CellFormat(0, 6, fmt.Sprintf("Back at the start after %s (%s walking, %.1f km, climbing %.0f m).",
		hm(dy.Walk+dy.Service), hm(dy.Walk), dy.Distance.Kilometers(), float64(dy.Ascent)), "", 1, "L", false, 0, "")
}

func (d *Document) dayHeading(dy Day, suffix string) {
	pdf := d.pdf
	pdf.SetFont(fontFamily, "B", 13)
	head := fmt.Sprintf("Day %d", dy.Number)
	if !dy.Date.IsZero() {
		head += " · " + dy.Date.Format("Monday 2 January 2006")
	}
	head += suffix
	pdf.CellFormat(0, 7, head, "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", bodyFontSize)
	pdf.CellFormat(0, 5, fmt.Sprintf("%d visits · %s walking · %s in all · %.1f km", len(dy.Stops), hm(dy.Walk), hm(dy.Walk+dy.Service), dy.Distance.Kilometers()),
		"", 1, "L", false, 0, "")
}

// stopColumns are the day table's columns (mm), with or without the head
// of household.
func (d *Document) stopColumns() ([]string, []float64) {
	if d.opts.NoPersonal {
		return []string{"No.", "Household", "Village", "Visit", "Walk min", "Time", "Done"},
			[]float64{12, 40, 50, 16, 22, 22, 16}
	}
	return []string{"No.", "Household", "Head of household", "Village", "Visit", "Walk min", "Time", "Done"},
		[]float64{10, 32, 46, 34, 12, 18, 18, 12}
}

func (d *Document) tableHeader(cells []string, widths []float64) {
	pdf := d.pdf
	pdf.SetFont(fontFamily, "B", bodyFontSize)
	pdf.SetFillColor(225, 225, 225)
	for i, c := range cells {
		pdf.CellFormat(widths[i], rowH, c, "1", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(fontFamily, "", bodyFontSize)
}

// row writes one table row; with box, its last cell holds a tick box.
func (d *Document) row(widths []float64, cells []string, box bool) {
	pdf := d.pdf
	x, y := pdf.GetXY()
	for i, c := range cells {
		pdf.CellFormat(widths[i], rowH, c, "1", 0, "L", false, 0, "")
	}
	if box {
		bx := x
		for _, w := range widths[:len(widths)-1] {
			bx += w
		}
		s := 3.6
		pdf.Rect(bx+(widths[len(widths)-1]-s)/2, y+(rowH-s)/2, s, s, "D")
	}
	pdf.Ln(-1)
}

// AddCover starts a facility's document: its CHWs and their totals. Each
// CHW's pages follow with AddSummary.
func (d *Document) AddCover(facility, name string, planned time.Time, sheets []*Sheet) {
	pdf := d.pdf
	if d.planned.IsZero() {
		d.planned = planned
	}
	pdf.AddPage()
	d.footer = "Visit plans " + facility
	title := "Visit plans: " + facility
	if name != "" {
		title = "Visit plans: " + name + " (" + facility + ")"
	}
	pdf.SetFont(fontFamily, "B", headerFontSize)
	pdf.CellFormat(0, 8, title, "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", bodyFontSize+1)
	pdf.CellFormat(0, 6, fmt.Sprintf("%d CHWs · planned %s · for each CHW follow the overview map and every day's stops", len(sheets), planned.Format("2 January 2006")), "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 5, "The day maps are on each CHW's own sheet (<CHW>.pdf).", "", 1, "L", false, 0, "")
	widths := []float64{30, 50, 24, 22, 22, 22, 20}
	d.tableHeader([]string{"CHW", "Supervisor", "Households", "Days", "In all", "Walking", "No day"}, widths)
	for _, s := range sheets {
		var walk, svc geo.Seconds
		n := 0
		for _, dy := range s.Days {
			walk += dy.Walk
			svc += dy.Service
			n += len(dy.Stops)
		}
		d.row(widths, []string{s.CHW, s.Supervisor, strconv.Itoa(n), strconv.Itoa(len(s.Days)), hm(walk + svc), hm(walk), strconv.Itoa(len(s.Unserved))}, false)
	}
}

// hm formats a time as h:mm.
func hm(s geo.Seconds) string {
	m := int(s.Minutes() + 0.5)
	return fmt.Sprintf("%d:%02d", m/60, m%60)
}

func ordinal(n int) string {
	switch n {
	case 1:
		return "1st"
	case 2:
		return "2nd"
	case 3:
		return "3rd"
	}
	return strconv.Itoa(n) + "th"
}

func reasonText(code string) string {
	switch code {
	case "unreachable":
		return "no path from the start or back"
	case "too_far":
		return "too far: its round trip alone is longer than a day"
	case "no_path":
		return "not near any mapped path"
	case "across_water":
		return "every path near it lies across water"
	}
	return code
}
