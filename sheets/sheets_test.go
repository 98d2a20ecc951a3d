package sheets_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/sheets"
	"github.com/lastmile-health/lastmile/tiles"
)

// sampleSheet is a CHW with three days in two villages on a cross of
// paths near (10°E, 0°N); day 2 has more stops than one page holds under
// its map, so its table goes on over a second page.
func sampleSheet() *sheets.Sheet {
	base := &tiles.Scene{Paths: []tiles.Path{
		{Line: orb.LineString{{9.99, 0}, {10.03, 0}}, Class: "track"},
		{Line: orb.LineString{{10, -0.01}, {10, 0.03}}, Class: "path"},
	}, Streams: []tiles.Stream{{Line: orb.LineString{{10.01, -0.01}, {10.012, 0.03}}, Order: 2}}}
	s := &sheets.Sheet{CHW: "CHW-7", CHWName: "Musu Demo", Facility: "FAC-1", FacilityName: "Zleh Clinic",
		Supervisor: "SUP-1", Planned: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), Base: base,
		Home: orb.Point{10, 0}, Unserved: []sheets.Unserved{{Household: "HH-99", Village: "Far", Reason: "too_far"}}}
	fp := orb.Point{10.02, 0}
	s.FacilityPoint = &fp
	n := 0
	for day, count := range []int{4, 30, 3} {
		d := sheets.Day{Number: day + 1, Walk: 3600, Service: 1200 * 4, Distance: 4200, Line: orb.LineString{{10, 0}, {10.02, 0}, {10, 0}}}
		for k := range count {
			n++
			head := "Fatu Demo"
			if n%5 == 0 {
				head = "Kpɔ̀ Demo"
			}
			d.Stops = append(d.Stops, sheets.Stop{Seq: k + 1, Household: fmt.Sprintf("HH-%03d", n),
				Head: head, Village: "Gbarzon", Walk: 300, Arrive: geo.Seconds(1500 * (k + 1)), Visit: 1 + k%2,
				Point: orb.Point{10 + 0.0005*float64(k), 0.0002 * float64(day)}})
		}
		s.Days = append(s.Days, d)
	}
	return s
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	p := filepath.Join(t.TempDir(), "s.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// qpdfCheck has qpdf check pdf's structure and streams (the sheets
// compress fpdf's streams and rewrite its xref table themselves); it does
// nothing where qpdf is not installed.
func qpdfCheck(t *testing.T, pdf []byte) {
	t.Helper()
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Log("qpdf not installed: the PDF's structure is not checked")
		return
	}
	p := filepath.Join(t.TempDir(), "c.pdf")
	if err := os.WriteFile(p, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", p).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

func render(t *testing.T, s *sheets.Sheet, opts sheets.Options) []byte {
	t.Helper()
	regular, bold := sheets.Fonts()
	doc := sheets.New(opts, regular, bold)
	doc.Add(s, sheets.Draw(s, sheets.NewMeasurer(regular, bold)))
	var b bytes.Buffer
	if err := doc.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSheetTablesInOrder reads the PDF back as text and checks that each
// day's table lists its stops in visiting order (across page breaks),
// that names in Kpelle letters print as written, and the page numbers.
func TestSheetTablesInOrder(t *testing.T) {
	s := sampleSheet()
	text := pdftotext(t, render(t, s, sheets.Options{}))
	checkDayTables(t, s, text)
	if !strings.Contains(text, "Kpɔ̀ Demo") {
		t.Errorf("the name Kpɔ̀ did not print as written")
	}
	if !strings.Contains(text, "Day 2 (continued)") {
		t.Errorf("day 2's 30 stops should go on over a second page")
	}
	pages := regexp.MustCompile(`page (\d+) of (\d+)`).FindAllStringSubmatch(text, -1)
	if len(pages) < 5 || pages[0][1] != "1" || pages[len(pages)-1][1] != pages[0][2] {
		t.Errorf("page numbers %v: want page 1 of N … page N of N", pages)
	}
	for _, want := range []string{"Visit plan: CHW-7 (Musu Demo)", "Zleh Clinic (FAC-1)", "supervisor SUP-1", "HH-99", "too far", "2nd"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet does not say %q", want)
		}
	}
}

// checkDayTables checks that text (a PDF read back by pdftotext) lists
// each of s's days' stops in visiting order under the day's heading.
func checkDayTables(t *testing.T, s *sheets.Sheet, text string) {
	t.Helper()
	dayRe := regexp.MustCompile(`^Day (\d+)`)
	idRe := regexp.MustCompile(`^\s*(\d+)\s+(HH-\d+)\s`)
	got := map[string][]string{}
	day := ""
	for _, line := range strings.Split(text, "\n") {
		if m := dayRe.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			day = m[1]
			continue
		}
		if m := idRe.FindStringSubmatch(line); m != nil && day != "" {
			got[day] = append(got[day], m[2])
		}
	}
	for _, d := range s.Days {
		var want []string
		for _, st := range d.Stops {
			want = append(want, st.Household)
		}
		if k := strconv.Itoa(d.Number); !slices.Equal(got[k], want) {
			t.Errorf("day %d's table lists %v, want %v", d.Number, got[k], want)
		}
	}
}

// TestFacilitySummary checks a facility's document: the cover lists its
// CHWs, each CHW's days' tables list their stops in order, and the day
// maps are left out (fewer pages than the CHW's own sheet).
func TestFacilitySummary(t *testing.T) {
	s := sampleSheet()
	regular, bold := sheets.Fonts()
	measure := sheets.NewMeasurer(regular, bold)
	maps := sheets.Draw(s, measure)
	var own, fac bytes.Buffer
	doc := sheets.New(sheets.Options{}, regular, bold)
	doc.Add(s, maps)
	if err := doc.Write(&own); err != nil {
		t.Fatal(err)
	}
	doc = sheets.New(sheets.Options{}, regular, bold)
	doc.AddCover("FAC-1", "Zleh Clinic", s.Planned, []*sheets.Sheet{s})
	doc.AddSummary(s, maps)
	if err := doc.Write(&fac); err != nil {
		t.Fatal(err)
	}
	qpdfCheck(t, own.Bytes())
	qpdfCheck(t, fac.Bytes())
	text := pdftotext(t, fac.Bytes())
	checkDayTables(t, s, text)
	for _, want := range []string{"Visit plans: Zleh Clinic (FAC-1)", "Visit plan: CHW-7 (Musu Demo)", "HH-99", "Kpɔ̀ Demo"} {
		if !strings.Contains(text, want) {
			t.Errorf("the facility's document does not say %q", want)
		}
	}
	// The sample's 3 days take 4 pages with their maps; their tables fit
	// on one page after the cover and the first page.
	pages := func(pdf []byte) int { return bytes.Count(pdf, []byte("/Type /Page\n")) }
	if o, f := pages(own.Bytes()), pages(fac.Bytes()); o < 5 || f >= o {
		t.Errorf("facility document has %d pages, the CHW's own %d: want fewer (no day maps)", f, o)
	}
}

func TestSheetNoPersonal(t *testing.T) {
	text := pdftotext(t, render(t, sampleSheet(), sheets.Options{NoPersonal: true}))
	for _, personal := range []string{"Musu", "Fatu", "Kpɔ̀", "Head of household"} {
		if strings.Contains(text, personal) {
			t.Errorf("--no-personal sheet shows %q", personal)
		}
	}
	if !strings.Contains(text, "HH-001") {
		t.Errorf("--no-personal sheet lost the household IDs")
	}
}

// TestSheetBytesRepeat: the same sheet gives the same PDF bytes (fpdf's
// maps of fonts and images, its clock).
func TestSheetBytesRepeat(t *testing.T) {
	first := render(t, sampleSheet(), sheets.Options{})
	for range 3 {
		if again := render(t, sampleSheet(), sheets.Options{}); !bytes.Equal(first, again) {
			t.Fatalf("the same sheet gave %d and then %d different bytes", len(first), len(again))
		}
	}
	if !bytes.Contains(first, []byte("/CreationDate (D:20270104000000)")) {
		t.Errorf("creation date is not the plan date 2027-01-04")
	}
}

// slope is a hillside rising to the north-east, for a hillshade.
type slope struct{}

func (slope) Elevation(p orb.Point) (float64, bool) { return 1000*p[0] + 3000*p[1], true }

// TestFacilityBytesRepeat: a facility's document gathering several CHWs'
// overview maps, each with its hillshade image of the same size, gives
// the same bytes every time (fpdf orders equal-width images at random).
func TestFacilityBytesRepeat(t *testing.T) {
	regular, bold := sheets.Fonts()
	measure := sheets.NewMeasurer(regular, bold)
	var ss []*sheets.Sheet
	var maps []*sheets.Maps
	for k := range 4 {
		s := sampleSheet()
		s.CHW = fmt.Sprintf("CHW-%d", k)
		s.Base.Elevation, s.Base.ElevationStep = slope{}, 90
		s.Home[1] += 0.001 * float64(k) // a different map each
		ss = append(ss, s)
		maps = append(maps, sheets.Draw(s, measure))
	}
	write := func() []byte {
		doc := sheets.New(sheets.Options{}, regular, bold)
		doc.AddCover("FAC-1", "Zleh Clinic", ss[0].Planned, ss)
		for k, s := range ss {
			doc.AddSummary(s, maps[k])
		}
		var b bytes.Buffer
		if err := doc.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	first := write()
	if n := bytes.Count(first, []byte("/Subtype /Image")); n != len(ss) {
		t.Fatalf("%d images in the document, want %d hillshades", n, len(ss))
	}
	for range 5 {
		if again := write(); !bytes.Equal(first, again) {
			t.Fatalf("the same facility document gave different bytes")
		}
	}
}
