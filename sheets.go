package lastmile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing"
	"github.com/lastmile-health/lastmile/sheets"
	"github.com/lastmile-health/lastmile/tiles"
)

// SheetsOptions are the sheets stage's inputs.
type SheetsOptions struct {
	// Out is the folder the PDFs go into (created when missing).
	Out string
	// CHW writes only that CHW's sheet ("" every CHW's, and one PDF per
	// facility for its supervisor).
	CHW district.CHWID
	// NoPersonal leaves out the heads of household and the CHWs' names.
	NoPersonal bool
	// DEM, when set, is the elevation model for the hillshade instead of
	// the one the graph was built with (the demo's, still in a temporary
	// folder).
	DEM string
	// Workers draws sheets in parallel (0: GOMAXPROCS).
	Workers int
	// Progress hears each step; Done each facility finished.
	Progress func(step string)
	Done     func(done, total int)
}

// SheetsResult is what Sheets wrote.
type SheetsResult struct {
	// CHWFiles and FacilityFiles are the PDFs written, in ID order.
	CHWFiles, FacilityFiles []string
	// Days and Visits printed.
	Days, Visits int
	Bytes        int64
	// MapSeconds and PDFSeconds: drawing the maps and laying out and
	// writing the PDFs, summed over workers.
	MapSeconds, PDFSeconds float64
	Warnings               []string
	Phases                 []routing.Phase
}

// ErrNoRoutes is wrapped by Sheets' error when the district has no visit
// days yet.
var ErrNoRoutes = errors.New("no visit plans")

// sheetHousehold is what a sheet prints of a household: the whole row of
// a million households, held through the run, was work for the garbage
// collector at every cycle.
type sheetHousehold struct {
	Head, Village string
}

// sheetsInput is what Sheets reads.
type sheetsInput struct {
	chws       map[district.CHWID]district.CHW
	facilities map[district.FacilityID]district.Facility
	hh         map[district.HouseholdID]sheetHousehold
	days       map[district.CHWID][]district.VisitDay
	stops      map[district.CHWID][]district.Stop
	catchments map[district.CHWID]orb.MultiPolygon
	supervisor map[district.CHWID]string
	month      string
	// villages are the label anchors of every village of the district
	// (the overview maps show their neighbours' too).
	villages []tiles.Village
}

// Sheets writes each CHW's route sheet (OUT/<chw_id>.pdf) and each
// facility's (OUT/facility-<facility_id>.pdf: a cover listing its CHWs,
// then each CHW's first page and every day's table of stops, without the
// day maps, which are on the CHW's own sheet) from visit_days and stops,
// with maps drawn by the tiles renderer.
func (d *District) Sheets(ctx context.Context, opts SheetsOptions) (*SheetsResult, error) {
	if opts.Out == "" {
		return nil, usageErrorf("give the folder for the PDFs with --out DIR")
	}
	res := &SheetsResult{}
	var last string
	var t0 time.Time
	progress := func(step string) {
		now := time.Now()
		if last != "" {
			res.Phases = append(res.Phases, routing.Phase{Name: last, Seconds: now.Sub(t0).Seconds()})
		}
		last, t0 = step, now
		if opts.Progress != nil && step != "" {
			opts.Progress(step)
		}
	}
	defer progress("")

	progress("read visit plans")
	in, err := d.readSheetsInput(opts)
	if err != nil {
		return nil, err
	}
	progress("load the map")
	ms, err := d.scene(opts.DEM, sceneBase)
	if err != nil {
		return nil, err
	}
	ms.Scene.Villages = in.villages
	ms.Scene.Prepare()
	base := newBaseIndex(ms.Scene)
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}

	// Group the CHWs with a plan by facility.
	byFac := map[district.FacilityID][]district.CHWID{}
	for id := range in.days {
		if opts.CHW != "" && id != opts.CHW {
			continue
		}
		byFac[in.chws[id].Facility] = append(byFac[in.chws[id].Facility], id)
	}
	if opts.CHW != "" && len(byFac) == 0 {
		return nil, usageErrorf("--chw %s: no visit days for that CHW in %s (run lastmile routes)", opts.CHW, d.Path)
	}
	facs := make([]district.FacilityID, 0, len(byFac))
	for f := range byFac {
		facs = append(facs, f)
		slices.Sort(byFac[f])
	}
	slices.Sort(facs)

	progress(fmt.Sprintf("draw %d CHWs' sheets", len(in.days)))
	regular, bold := sheets.Fonts()
	type facOut struct {
		chwFiles []string
		facFile  string
		days     int
		visits   int
		bytes    int64
		mapSec   float64
		pdfSec   float64
		err      error
	}
	outs := make([]facOut, len(facs))
	var mu sync.Mutex
	done := 0
	measurers := sync.Pool{New: func() any { return sheets.NewMeasurer(regular, bold) }}
	err = parallel.For(ctx, opts.Workers, len(facs), func(i int) {
		o := &outs[i]
		f := facs[i]
		measure := measurers.Get().(sheets.Measurer)
		defer measurers.Put(measure)
		var facDoc *sheets.Document
		var all []*sheets.Sheet
		if opts.CHW == "" {
			facDoc = sheets.New(sheets.Options{NoPersonal: opts.NoPersonal, Created: d.Now}, regular, bold)
			for _, id := range byFac[f] {
				all = append(all, d.sheet(in, base, id, opts))
			}
			fac := in.facilities[f]
			facDoc.AddCover(string(f), fac.Name, d.Now, all)
		}
		for k, id := range byFac[f] {
			if ctx.Err() != nil {
				return
			}
			var s *sheets.Sheet
			if all != nil {
				s = all[k]
			} else {
				s = d.sheet(in, base, id, opts)
			}
			t := time.Now()
			maps := sheets.Draw(s, measure)
			o.mapSec += time.Since(t).Seconds()
			t = time.Now()
			doc := sheets.New(sheets.Options{NoPersonal: opts.NoPersonal, Created: d.Now}, regular, bold)
			doc.Add(s, maps)
			path := filepath.Join(opts.Out, fileName(string(id))+".pdf")
			n, err := writePDF(path, doc)
			if err != nil {
				o.err = err
				return
			}
			o.chwFiles = append(o.chwFiles, path)
			o.bytes += n
			o.days += len(s.Days)
			for _, dy := range s.Days {
				o.visits += len(dy.Stops)
			}
			if facDoc != nil {
				facDoc.AddSummary(s, maps)
			}
			o.pdfSec += time.Since(t).Seconds()
		}
		if facDoc != nil {
			t := time.Now()
			name := "facility-" + fileName(string(f))
			if f == "" {
				name = "facility-none"
			}
			path := filepath.Join(opts.Out, name+".pdf")
			n, err := writePDF(path, facDoc)
			if err != nil {
				o.err = err
				return
			}
			o.facFile, o.bytes = path, o.bytes+n
			o.pdfSec += time.Since(t).Seconds()
		}
		if opts.Done != nil {
			mu.Lock()
			done++
			opts.Done(done, len(facs))
			mu.Unlock()
		}
	})
	if err != nil {
		return nil, d.explain(ctx, err)
	}
	for _, o := range outs {
		if o.err != nil {
			return nil, o.err
		}
		res.CHWFiles = append(res.CHWFiles, o.chwFiles...)
		if o.facFile != "" {
			res.FacilityFiles = append(res.FacilityFiles, o.facFile)
		}
		res.Days += o.days
		res.Visits += o.visits
		res.Bytes += o.bytes
		res.MapSeconds += o.mapSec
		res.PDFSeconds += o.pdfSec
	}
	slices.Sort(res.CHWFiles)
	res.Warnings = append(res.Warnings, ms.Missing...)
	return res, nil
}

// writePDF writes doc to path and returns its size.
func writePDF(path string, doc *sheets.Document) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	if err := doc.Write(f); err != nil {
		f.Close()
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	return st.Size(), f.Close()
}

// fileName keeps an ID's letters, digits, '-' and '_' for a file name.
func fileName(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, id)
}

func (d *District) readSheetsInput(opts SheetsOptions) (*sheetsInput, error) {
	in := &sheetsInput{
		chws:       map[district.CHWID]district.CHW{},
		facilities: map[district.FacilityID]district.Facility{},
		hh:         map[district.HouseholdID]sheetHousehold{},
		days:       map[district.CHWID][]district.VisitDay{},
		stops:      map[district.CHWID][]district.Stop{},
		catchments: map[district.CHWID]orb.MultiPolygon{},
		supervisor: map[district.CHWID]string{},
	}
	err := d.read(func(db *gpkg.DB) error {
		for v, err := range district.ReadVisitDays(db) {
			if errors.Is(err, district.ErrNoLayer) {
				return fmt.Errorf("%w in %s: run lastmile routes --gpkg %s first", ErrNoRoutes, d.Path, d.Path)
			}
			if err != nil {
				return err
			}
			in.days[v.CHW] = append(in.days[v.CHW], v)
			if !v.Date.IsZero() {
				in.month = v.Date.Format("2006-01")
			}
		}
		for s, err := range district.ReadStops(db) {
			if err != nil {
				return missingLayer(err, d.Path, "lastmile routes")
			}
			in.stops[s.CHW] = append(in.stops[s.CHW], s)
		}
		for c, err := range district.ReadCHWs(db) {
			if err != nil {
				return missingLayer(err, d.Path, "lastmile ingest chws")
			}
			if opts.NoPersonal {
				c.Name = ""
			}
			in.chws[c.ID] = c
		}
		var villages villageAnchors
		for h, err := range district.ReadHouseholds(db) {
			if err != nil {
				return missingLayer(err, d.Path, "lastmile ingest households")
			}
			villages.add(h.Village, h.Point)
			if opts.NoPersonal {
				h.Head = ""
			}
			in.hh[h.ID] = sheetHousehold{Head: h.Head, Village: h.Village}
		}
		in.villages = villages.villages()
		if ok, err := db.HasTable(district.Facilities.Name); err != nil {
			return err
		} else if ok {
			for f, err := range district.ReadFacilities(db) {
				if err != nil {
					return err
				}
				in.facilities[f.ID] = f
			}
		}
		for p, err := range district.ReadCHWPlanning(db) {
			if err != nil {
				return err
			}
			in.supervisor[p.CHW] = p.Supervisor
		}
		return scanLayer(db, district.Catchments.Name, []string{"chw_id"}, func(g orb.Geometry, v []any) {
			if mp := multiPolygon(g); mp != nil {
				in.catchments[district.CHWID(str(v[0]))] = mp
			}
		})
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// sheet assembles CHW id's sheet from the district's rows.
func (d *District) sheet(in *sheetsInput, base *baseIndex, id district.CHWID, opts SheetsOptions) *sheets.Sheet {
	c := in.chws[id]
	s := &sheets.Sheet{CHW: string(id), CHWName: c.Name, Facility: string(c.Facility), Supervisor: in.supervisor[id],
		Planned: d.Now, Month: in.month, Home: c.Point, Catchment: in.catchments[id]}
	if f, ok := in.facilities[c.Facility]; ok {
		s.FacilityName = f.Name
		p := f.Point
		s.FacilityPoint = &p
	}
	days := slices.Clone(in.days[id])
	slices.SortFunc(days, func(a, b district.VisitDay) int { return cmp.Compare(a.Day, b.Day) })
	idx := map[int]int{}
	for _, v := range days {
		idx[v.Day] = len(s.Days)
		s.Days = append(s.Days, sheets.Day{Number: v.Day, Date: v.Date, Walk: v.Walk, Service: v.Service,
			Distance: v.Distance, Ascent: v.Ascent, Descent: v.Descent, Line: v.Line})
	}
	stops := slices.Clone(in.stops[id])
	slices.SortStableFunc(stops, func(a, b district.Stop) int {
		if c := cmp.Compare(a.Day, b.Day); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	for _, st := range stops {
		h := in.hh[st.Household]
		if st.Day == 0 {
			s.Unserved = append(s.Unserved, sheets.Unserved{Household: string(st.Household), Village: h.Village, Reason: st.Reason})
			continue
		}
		k, ok := idx[st.Day]
		if !ok {
			continue
		}
		s.Days[k].Stops = append(s.Days[k].Stops, sheets.Stop{Seq: st.Seq, Household: string(st.Household), Head: h.Head,
			Village: h.Village, Walk: st.Walk, Arrive: st.Arrive, Visit: st.Visit, Point: st.Point})
	}
	s.Near = base.near
	return s
}

// gather returns s's elements at idx, in idx's order.
func gather[T any](s []T, idx []int32) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = s[i]
	}
	return out
}

// baseIndex finds the base map's features near a bound.
type baseIndex struct {
	scene   *tiles.Scene
	paths   rtree.RTreeG[int32]
	streams rtree.RTreeG[int32]
	water   rtree.RTreeG[int32]
	// villages: a national district has tens of thousands, and every
	// map looked at each of them.
	villages rtree.RTreeG[int32]
}

func newBaseIndex(s *tiles.Scene) *baseIndex {
	b := &baseIndex{scene: s}
	for i, p := range s.Paths {
		bb := p.Line.Bound()
		b.paths.Insert(bb.Min, bb.Max, int32(i))
	}
	for i, p := range s.Streams {
		bb := p.Line.Bound()
		b.streams.Insert(bb.Min, bb.Max, int32(i))
	}
	for i, w := range s.WaterAreas {
		bb := w.Bound()
		b.water.Insert(bb.Min, bb.Max, int32(i))
	}
	for i, v := range s.Villages {
		b.villages.Insert(v.Point, v.Point, int32(i))
	}
	return b
}

// near returns the base scene (paths, streams, water, villages, study
// area, elevation) within bound bd widened by a tenth of its size (so
// features just outside still draw their edges). Safe for concurrent use.
func (b *baseIndex) near(bd orb.Bound) *tiles.Scene {
	dx, dy := (bd.Max[0]-bd.Min[0])/10, (bd.Max[1]-bd.Min[1])/10
	lo, hi := [2]float64{bd.Min[0] - dx, bd.Min[1] - dy}, [2]float64{bd.Max[0] + dx, bd.Max[1] + dy}
	s := b.scene
	out := &tiles.Scene{StudyArea: s.StudyArea, Elevation: s.Elevation, ElevationStep: s.ElevationStep, ElevationID: s.ElevationID}
	// In the scene's order, so that the same district draws the same map.
	pick := func(t *rtree.RTreeG[int32]) []int32 {
		var idx []int32
		t.Search(lo, hi, func(_, _ [2]float64, i int32) bool {
			idx = append(idx, i)
			return true
		})
		slices.Sort(idx)
		return idx
	}
	// Sized once: growing them was a tenth of the sheets' allocation.
	out.Paths = gather(s.Paths, pick(&b.paths))
	out.Streams = gather(s.Streams, pick(&b.streams))
	out.WaterAreas = gather(s.WaterAreas, pick(&b.water))
	out.Villages = gather(s.Villages, pick(&b.villages))
	return out
}
