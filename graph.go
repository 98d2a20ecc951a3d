package lastmile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/routing"
)

// GraphOptions are the walking-graph stage's inputs.
type GraphOptions struct {
	// Paths is the OSM file (.osm.pbf, .osm, .osm.gz) with the paths; ""
	// builds the terrain alone (Terrain and DEM required).
	Paths string
	// Terrain adds the terrain lattice over the DEM and the streams derived
	// from it (routing.Terrain): over the study area, and around the
	// households, CHWs and facilities farther than the profile's max_snap_m
	// from every path (all of them when there is no path).
	Terrain bool
	// DEM is an elevation file or folder; "" walks everything as flat.
	DEM string
	// Profile is the walking profile; nil means routing.DefaultProfile.
	Profile *routing.Profile
	// StoreDEMAs, when set, is the DEM path recorded for later queries
	// instead of DEM: the demo builds from a temporary folder that is then
	// moved into place.
	StoreDEMAs string
	// Seasons lists the seasons to build (routing.Dry, routing.Wet), each
	// from its own profile (Profile, and its Wet transformation), all in the
	// one GeoPackage; nil builds the dry season only. The first is the
	// graph of the paths and streams layers.
	Seasons []string
	// Force rebuilds even when the inputs are unchanged since the stored
	// build.
	Force bool
	// Progress, when set, hears each build phase and its fraction done.
	Progress func(phase string, done float64)
}

// GraphResult is what BuildGraph did.
type GraphResult struct {
	// Graph is the built graph of the first season; nil when Kept, and
	// when several seasons of a terrain graph (one without a contraction
	// hierarchy) were built: those are not kept in memory together.
	Graph  *routing.Graph
	Report *routing.BuildReport
	// Seasons are the seasons built (or kept), in order, and Reports their
	// build reports (Reports[0] is Report).
	Seasons []string
	Reports []*routing.BuildReport
	// Kept is true when the inputs were unchanged and the stored graph was
	// kept; InputsSHA256 is their hash.
	Kept         bool
	InputsSHA256 string
}

// BuildGraph builds the terrain-weighted walking graph from OSM paths and a
// DEM and stores it (paths, graph_components, graph_store) in one atomic
// update. When the inputs hash to what the stored graph was built from, it
// keeps that graph unless opts.Force.
func (d *District) BuildGraph(ctx context.Context, opts GraphOptions) (*GraphResult, error) {
	prof := routing.DefaultProfile()
	if opts.Profile != nil {
		prof = *opts.Profile
	}
	demPath, err := checkGraphInputs(opts)
	if err != nil {
		return nil, err
	}
	var terrain *routing.Terrain
	if opts.Terrain {
		if terrain, err = d.terrainInputs(); err != nil {
			return nil, err
		}
	}
	stored := demPath
	if opts.StoreDEMAs != "" {
		stored = opts.StoreDEMAs
	}
	seasons := opts.Seasons
	if len(seasons) == 0 {
		seasons = []string{routing.Dry}
	}
	profs := make([]routing.Profile, len(seasons))
	hashes := make([]string, len(seasons))
	kept := !opts.Force
	for i, season := range seasons {
		p, err := routing.SeasonProfile(prof, season)
		if err != nil {
			return nil, usageErrorf("%v", err)
		}
		h, err := routing.InputsHash(opts.Paths, demPath, p)
		if err != nil {
			return nil, err
		}
		profs[i], hashes[i] = p, routing.TerrainHash(h, terrain)
		if info := d.storedSeasonInfo(season); info == nil || info.InputsSHA256 != hashes[i] {
			kept = false
		}
	}
	if kept {
		res := &GraphResult{Kept: true, InputsSHA256: hashes[0], Seasons: seasons}
		for _, season := range seasons {
			res.Reports = append(res.Reports, d.storedSeasonInfo(season).Report)
		}
		res.Report = res.Reports[0]
		return res, nil
	}
	start := time.Now()
	net, elev, err := d.readGraphInputs(ctx, opts.Paths, demPath)
	if err != nil {
		return nil, err
	}
	in := &seasonInputs{net: net, elev: elev, terrain: terrain, progress: opts.Progress,
		readSec: time.Since(start).Seconds(), several: len(seasons) > 1}
	res := &GraphResult{InputsSHA256: hashes[0], Seasons: seasons}
	// One graph in memory at a time: each is built, saved and dropped
	// inside the one update.
	err = d.update(ctx, func(tx *gpkg.Tx) error {
		for i, season := range seasons {
			info := &routing.StoreInfo{InputsSHA256: hashes[i], DEM: stored, Season: season}
			if err := in.buildSeason(ctx, tx, profs[i], info, i == 0, res); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, d.explain(ctx, err)
	}
	d.built, d.builtSeason, d.builtDEM = res.Graph, seasons[0], elev
	res.Report = res.Reports[0]
	return res, nil
}

// checkGraphInputs checks that opts name inputs a graph can be built from
// and returns the DEM's absolute path ("" for none).
func checkGraphInputs(opts GraphOptions) (demPath string, err error) {
	demPath = opts.DEM
	if demPath != "" {
		// Stored so that later queries re-open it: absolute, so that they
		// work from any folder.
		if abs, err := filepath.Abs(demPath); err == nil {
			demPath = abs
		}
	}
	if opts.Paths == "" {
		if !opts.Terrain || demPath == "" {
			return "", usageErrorf("give --paths FILE, or --dem DIR to walk the terrain alone")
		}
	} else if st, err := os.Stat(opts.Paths); err != nil {
		return "", err
	} else if st.IsDir() {
		return "", usageErrorf("--paths %s is a directory, want an OSM file (.osm.pbf, .osm, .osm.gz)", opts.Paths)
	}
	if opts.Terrain && demPath == "" {
		return "", usageErrorf("--terrain needs --dem: the lattice is laid over the elevation model")
	}
	return demPath, nil
}

// readGraphInputs reads the OSM network at paths and opens the elevation
// model at demPath (either may be "": none).
func (d *District) readGraphInputs(ctx context.Context, paths, demPath string) (*osmnet.Network, dem.Model, error) {
	var net *osmnet.Network
	if paths != "" {
		var err error
		if net, err = osmnet.Read(ctx, paths, nil); err != nil {
			return nil, nil, d.explain(ctx, err)
		}
	}
	var elev dem.Model
	if demPath != "" {
		m, err := dem.Open(demPath)
		if err != nil {
			return nil, nil, err
		}
		elev = m
	}
	return net, elev, nil
}

// seasonInputs is what the graphs of every season are built from.
type seasonInputs struct {
	net      *osmnet.Network
	elev     dem.Model
	terrain  *routing.Terrain
	progress func(phase string, done float64)
	readSec  float64 // reading net and elev took
	several  bool    // more than one season is built
}

// buildSeason builds the graph of info.Season with prof and saves it in
// tx with info: the first season's as the default graph (kept in
// res.Graph unless two hierarchy-less terrain graphs would then be in
// memory), the others beside it. Its report, with the reading time before
// the first season's phases and the saving time after each, goes to
// res.Reports.
func (in *seasonInputs) buildSeason(ctx context.Context, tx *gpkg.Tx, prof routing.Profile, info *routing.StoreInfo, first bool, res *GraphResult) error {
	g, rep, err := routing.Build(ctx, in.net, in.elev, prof, &routing.BuildOptions{Progress: in.progress, Terrain: in.terrain})
	if err != nil {
		return err
	}
	if in.several {
		rep.Season = info.Season
	}
	if first {
		rep.Phases = append([]routing.Phase{{Name: "read OSM and DEM", Seconds: in.readSec}}, rep.Phases...)
	}
	t0 := time.Now()
	info.Report = rep
	if first {
		err = g.Save(tx, info)
		if !in.several || g.HasHierarchy() {
			// Two terrain graphs (about 1 GB each, no
			// hierarchy) are not kept in memory together.
			res.Graph = g
		}
	} else {
		err = g.SaveSeason(tx, info.Season, info)
	}
	if err != nil {
		return err
	}
	rep.Phases = append(rep.Phases, routing.Phase{Name: "save", Seconds: time.Since(t0).Seconds()})
	res.Reports = append(res.Reports, rep)
	return nil
}

// storedSeasonInfo returns the stored info of a season's graph, or nil
// when there is none.
func (d *District) storedSeasonInfo(season string) *routing.StoreInfo {
	var info *routing.StoreInfo
	_ = d.read(func(db *gpkg.DB) error {
		if i, err := routing.LoadSeasonInfo(db, season); err == nil {
			info = i
		}
		return nil
	})
	return info
}

// terrainInputs reads what the terrain lattice is laid around: the study
// area and the households, CHWs and facilities.
func (d *District) terrainInputs() (*routing.Terrain, error) {
	t := &routing.Terrain{}
	err := d.read(func(db *gpkg.DB) error {
		a, err := ingest.ReadStudyArea(db)
		if err != nil {
			return err
		}
		if a != nil {
			t.Area = a.Geom
		}
		for _, layer := range []string{district.Households.Name, district.CHWs.Name, district.Facilities.Name} {
			if ok, err := db.HasTable(layer); err != nil || !ok {
				continue
			}
			for p, err := range district.ReadPoints(db, layer) {
				if err != nil {
					return err
				}
				t.Points = append(t.Points, p.Point)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(t.Area) == 0 && len(t.Points) == 0 {
		return nil, usageErrorf("--terrain: %s has no study area and no point to lay the lattice around: ingest them first (lastmile ingest --area ...)", d.Path)
	}
	return t, nil
}

// ErrNoGraph is wrapped by Graph's error when the district has no walking
// graph yet.
var ErrNoGraph = errors.New("no walking graph")

// Graph loads the district's walking graph, with the DEM it was built with
// when that can still be opened (off-path legs then get their slope). When
// it cannot, the graph is returned with a warning: off-path legs are
// walked as flat.
func (d *District) Graph() (g *routing.Graph, warnings []string, err error) {
	season := d.Season
	if season == "" {
		season = routing.Dry
	}
	if d.built != nil && d.builtSeason == season {
		return d.built, nil, nil
	}
	err = d.read(func(db *gpkg.DB) error {
		g, err = routing.LoadSeason(db, season)
		if errors.Is(err, routing.ErrNotStored) {
			return fmt.Errorf("%w in %s: run lastmile graph --gpkg %s --paths FILE first", ErrNoGraph, d.Path, d.Path)
		}
		if err != nil {
			return err
		}
		if d.builtDEM != nil {
			g.SetElevation(d.builtDEM)
		} else if info, err := routing.LoadInfo(db); err == nil && info.DEM != "" {
			if m, err := dem.Open(info.DEM); err == nil {
				g.SetElevation(m)
			} else {
				warnings = append(warnings, fmt.Sprintf("the graph's DEM %s cannot be opened (%v): off-path legs walked as flat", info.DEM, err))
			}
		}
		return nil
	})
	return g, warnings, err
}
