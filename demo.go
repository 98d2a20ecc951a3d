package lastmile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing"
)

// DemoOptions tune Demo's progress reports; all may be nil.
type DemoOptions struct {
	// Step hears the start of each step and returns what to call when it
	// ends.
	Step func(name string) (done func())
	// IngestProgress and GraphProgress are passed to the stages.
	IngestProgress func(file string, pass, rows int)
	GraphProgress  func(phase string, done float64)
}

// DemoResult is what Demo built.
type DemoResult struct {
	Files *demo.Files
	// Path is the district GeoPackage: DIR/district.gpkg.
	Path    string
	Ingests []*IngestResult
	Graph   *GraphResult
	// Walk is an example route: the active CHW living farthest (as the
	// crow flies) from their facility walks there. Nil when there is none;
	// WalkErr says why a route was not found.
	Walk    *DemoWalk
	WalkErr error
	// Tiles are the map tiles drawn: the GeoPackage pyramid, then the
	// MBTiles file.
	Tiles []*TilesResult
	// Assign is the balanced assignment of households to CHWs.
	Assign *AssignResult
	// Coverage is coverage --suggest 3 --suggest-facilities 1 on both seasons, with the mapped
	// buildings of the paths file; CoverageMap its overview map.
	Coverage *CoverageResult
	// Routes are the CHWs' visit days; Sheets their printed sheets (in
	// DIR/sheets).
	Routes      *RoutesResult
	Sheets      *SheetsResult
	CoverageMap string
}

// DemoWalk is the demo's example route.
type DemoWalk struct {
	CHW      district.CHWID
	Facility district.FacilityID
	From, To orb.Point
	Crow     geo.Meters
	Route    routing.Route
}

// The demo's outputs inside DIR.
const (
	DemoInputs  = "inputs"
	DemoGPKG    = "district.gpkg"
	DemoMBTiles = "district.mbtiles"
	// DemoSheets is the folder of the route sheets (PDFs).
	DemoSheets = "sheets"
	// DemoCoverageMap is the coverage overview map.
	DemoCoverageMap = "coverage.png"
	// DemoTilesMaxZoom keeps the demo quick: zoom 14 shows every
	// household; lastmile tiles --max-zoom 16 draws closer.
	DemoTilesMaxZoom = 14
	// DemoTilesBudget is the most tiles the demo draws per pyramid.
	DemoTilesBudget = 1000
)

// Demo generates the seeded sample district and runs every stage on it, in
// pipeline order, through the same stage calls as the commands. It builds
// in a temporary folder inside out and only when everything succeeded
// replaces out/inputs and out/district.gpkg: a failure or Ctrl-C leaves
// the previous demo intact.
func Demo(ctx context.Context, cfg demo.Config, out string, opts DemoOptions) (_ *DemoResult, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, usageError{err}
	}
	step := opts.Step
	if step == nil {
		step = func(string) func() { return func() {} }
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(out, ".demo-tmp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	interrupted := func(err error) error {
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("%w; %s unchanged", ErrInterrupted, out)
		}
		return err
	}

	done := step("generating the district")
	files, err := demo.Generate(ctx, cfg, filepath.Join(tmp, DemoInputs))
	if err != nil {
		return nil, interrupted(err)
	}
	done()
	res := &DemoResult{Files: files, Path: filepath.Join(out, DemoGPKG)}
	d, err := Open(filepath.Join(tmp, DemoGPKG))
	if err != nil {
		return nil, err
	}

	done = step("ingesting facilities, CHWs and households")
	if res.Ingests, err = d.demoIngest(ctx, files, opts.IngestProgress); err != nil {
		return nil, interrupted(err)
	}
	done()

	done = step("building the walking graph")
	finalDEM, err := filepath.Abs(filepath.Join(out, DemoInputs, relTo(files.Dir, files.DEM)))
	if err != nil {
		return nil, err
	}
	res.Graph, err = d.BuildGraph(ctx, GraphOptions{Paths: files.Paths, DEM: files.DEM, StoreDEMAs: finalDEM, Progress: opts.GraphProgress,
		Seasons: []string{routing.Dry, routing.Wet}})
	if err != nil {
		return nil, interrupted(err)
	}
	done()
	res.Walk, res.WalkErr = demoWalk(d, res.Graph.Graph)

	done = step("assigning households to CHWs (balanced)")
	res.Assign, err = d.Assign(ctx, AssignOptions{Method: MethodBalanced, MinHouseholds: DefaultMinHouseholds,
		MaxHouseholds: DefaultMaxHouseholds, MaxWalk: DefaultMaxWalk, KeepVillages: true})
	if err != nil {
		return nil, interrupted(err)
	}
	done()
	if err := ctx.Err(); err != nil {
		return nil, interrupted(err)
	}

	done = step("planning each CHW's visit days")
	res.Routes, err = d.Routes(ctx, RoutesOptions{DayBudget: DefaultDayBudget, Service: DefaultService})
	if err != nil {
		return nil, interrupted(err)
	}
	done()
	done = step("printing the route sheets")
	res.Sheets, err = d.Sheets(ctx, SheetsOptions{Out: filepath.Join(tmp, DemoSheets), DEM: files.DEM})
	if err != nil {
		return nil, interrupted(err)
	}
	done()
	if err := ctx.Err(); err != nil {
		return nil, interrupted(err)
	}

	done = step("coverage: both seasons, gap areas, 3 suggested CHW homes, 1 health post")
	res.Coverage, err = d.Coverage(ctx, CoverageOptions{Suggest: 3, SuggestFacilities: 1, Buildings: files.Paths,
		Map: filepath.Join(tmp, DemoCoverageMap), MapDEM: files.DEM})
	if err != nil {
		return nil, interrupted(err)
	}
	done()
	if err := ctx.Err(); err != nil {
		return nil, interrupted(err)
	}

	done = step("drawing the map tiles")
	if res.Tiles, err = d.demoTiles(ctx, files.DEM); err != nil {
		return nil, interrupted(err)
	}
	done()

	if err := publishDemo(tmp, out, res); err != nil {
		return nil, err
	}
	return res, nil
}

// demoIngest ingests the generated facilities (with the district's
// bounding box as the study area), CHWs and households.
func (d *District) demoIngest(ctx context.Context, files *demo.Files, progress func(file string, pass, rows int)) ([]*IngestResult, error) {
	b := files.Area
	bbox := fmt.Sprintf("%.7f,%.7f,%.7f,%.7f", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	var results []*IngestResult
	for i, run := range []struct {
		kind ingest.Kind
		file string
	}{{ingest.KindFacilities, files.Facilities}, {ingest.KindCHWs, files.CHWs}, {ingest.KindHouseholds, files.Households}} {
		o := IngestOptions{Options: ingest.Options{Progress: progress}}
		if i == 0 {
			o.Area = bbox
		}
		r, err := d.Ingest(ctx, run.kind, []string{run.file}, o)
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	return results, nil
}

// demoTiles draws the GeoPackage and MBTiles pyramids. A larger district
// gets fewer zoom levels: the deepest whose pyramid stays within the
// demo's budget (zoom 14 at the default size, 11 at 1,000,000
// households), so the national demo stays a matter of minutes.
func (d *District) demoTiles(ctx context.Context, dem string) ([]*TilesResult, error) {
	var results []*TilesResult
	for _, format := range []string{TilesGPKG, TilesMBTiles} {
		for z := DemoTilesMaxZoom; ; z-- {
			r, err := d.Tiles(ctx, TilesOptions{MaxZoom: z, Format: format, DEM: dem, MaxTiles: DemoTilesBudget})
			if errors.Is(err, ErrTooManyTiles) && z > 8 {
				continue
			}
			if err != nil {
				return nil, err
			}
			results = append(results, r)
			break
		}
	}
	return results, nil
}

// publishDemo moves the finished demo from tmp into out and points res's
// file names there.
func publishDemo(tmp, out string, res *DemoResult) error {
	files := res.Files
	if err := replaceDemo(tmp, out); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(tmp, DemoMBTiles), filepath.Join(out, DemoMBTiles)); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(tmp, DemoCoverageMap), filepath.Join(out, DemoCoverageMap)); err != nil {
		return err
	}
	res.CoverageMap = filepath.Join(out, DemoCoverageMap)
	if err := replaceDir(filepath.Join(tmp, DemoSheets), filepath.Join(out, DemoSheets)); err != nil {
		return err
	}
	for i, p := range res.Sheets.CHWFiles {
		res.Sheets.CHWFiles[i] = filepath.Join(out, DemoSheets, filepath.Base(p))
	}
	for i, p := range res.Sheets.FacilityFiles {
		res.Sheets.FacilityFiles[i] = filepath.Join(out, DemoSheets, filepath.Base(p))
	}
	for _, r := range res.Tiles {
		for i := range r.Files {
			r.Files[i].Path = filepath.Join(out, filepath.Base(r.Files[i].Path))
		}
	}
	relocate(files, filepath.Join(tmp, DemoInputs), filepath.Join(out, DemoInputs))
	if st := res.Coverage.Structures; st != nil {
		st.File = files.Paths
	}
	return nil
}

// replaceDemo moves the new inputs and GeoPackage from tmp into out. The
// GeoPackage's rename is atomic; the old inputs are moved aside first and
// removed last, so an interruption here leaves either the old or the new
// inputs in place, never a mixture.
func replaceDemo(tmp, out string) error {
	inputs, old := filepath.Join(out, DemoInputs), filepath.Join(tmp, "old-inputs")
	if err := os.Rename(inputs, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(filepath.Join(tmp, DemoInputs), inputs); err != nil {
		return err
	}
	return os.Rename(filepath.Join(tmp, DemoGPKG), filepath.Join(out, DemoGPKG))
}

// replaceDir moves folder from to to, replacing what was there: the old
// folder is moved aside first and removed last.
func replaceDir(from, to string) error {
	old := to + ".old"
	os.RemoveAll(old)
	if err := os.Rename(to, old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(from, to); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// relocate rewrites the generated files' paths from the temporary folder
// to where they now are.
func relocate(f *demo.Files, from, to string) {
	mv := func(p *string) {
		if r, err := filepath.Rel(from, *p); err == nil && !strings.HasPrefix(r, "..") {
			*p = filepath.Join(to, r)
		}
	}
	mv(&f.Dir)
	mv(&f.Households)
	mv(&f.CHWs)
	mv(&f.Facilities)
	mv(&f.Paths)
	mv(&f.DEM)
	for i := range f.DEMTiles {
		mv(&f.DEMTiles[i])
	}
}

func relTo(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil {
		return r
	}
	return p
}

// demoWalk picks the active CHW who lives farthest (as the crow flies) from
// their facility and walks there.
func demoWalk(d *District, g *routing.Graph) (*DemoWalk, error) {
	var w *DemoWalk
	err := d.read(func(db *gpkg.DB) error {
		fac := map[district.FacilityID]orb.Point{}
		for f, err := range district.ReadFacilities(db) {
			if err != nil {
				return err
			}
			fac[f.ID] = f.Point
		}
		for c, err := range district.ReadCHWs(db) {
			if err != nil {
				return err
			}
			q, ok := fac[c.Facility]
			if !ok || !c.Active {
				continue
			}
			if dist := geo.Distance(c.Point, q); w == nil || dist > w.Crow {
				w = &DemoWalk{CHW: c.ID, Facility: c.Facility, From: c.Point, To: q, Crow: dist}
			}
		}
		return nil
	})
	if err != nil || w == nil {
		return nil, err
	}
	r, err := g.Walk(w.From, w.To)
	if err != nil {
		return w, err
	}
	w.Route = r
	return w, nil
}
