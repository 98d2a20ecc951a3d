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
	// Force rebuilds even when the inputs are unchanged since the stored
	// build.
	Force bool
	// Progress, when set, hears each build phase and its fraction done.
	Progress func(phase string, done float64)
}

// GraphResult is what BuildGraph did.
type GraphResult struct {
	// Graph is the built graph; nil when Kept.
	Graph  *routing.Graph
	Report *routing.BuildReport
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
	demPath := opts.DEM
	if demPath != "" {
		// Stored so that later queries re-open it: absolute, so that they
		// work from any folder.
		if abs, err := filepath.Abs(demPath); err == nil {
			demPath = abs
		}
	}
	if opts.Paths == "" {
		if !opts.Terrain || demPath == "" {
			return nil, usageErrorf("give --paths FILE, or --dem DIR to walk the terrain alone")
		}
	} else if st, err := os.Stat(opts.Paths); err != nil {
		return nil, err
	} else if st.IsDir() {
		return nil, usageErrorf("--paths %s is a directory, want an OSM file (.osm.pbf, .osm, .osm.gz)", opts.Paths)
	}
	if opts.Terrain && demPath == "" {
		return nil, usageErrorf("--terrain needs --dem: the lattice is laid over the elevation model")
	}
	var terrain *routing.Terrain
	if opts.Terrain {
		t, err := d.terrainInputs()
		if err != nil {
			return nil, err
		}
		terrain = t
	}
	stored := demPath
	if opts.StoreDEMAs != "" {
		stored = opts.StoreDEMAs
	}
	hash, err := routing.InputsHash(opts.Paths, demPath, prof)
	if err != nil {
		return nil, err
	}
	hash = routing.TerrainHash(hash, terrain)
	if !opts.Force {
		if info := d.storedInfo(); info != nil && info.InputsSHA256 == hash {
			return &GraphResult{Report: info.Report, Kept: true, InputsSHA256: hash}, nil
		}
	}
	start := time.Now()
	var net *osmnet.Network
	if opts.Paths != "" {
		if net, err = osmnet.Read(ctx, opts.Paths, nil); err != nil {
			return nil, d.explain(ctx, err)
		}
	}
	var elev dem.Model
	if demPath != "" {
		m, err := dem.Open(demPath)
		if err != nil {
			return nil, err
		}
		elev = m
	}
	readSec := time.Since(start).Seconds()
	g, rep, err := routing.Build(ctx, net, elev, prof, &routing.BuildOptions{Progress: opts.Progress, Terrain: terrain})
	if err != nil {
		return nil, d.explain(ctx, err)
	}
	rep.Phases = append([]routing.Phase{{Name: "read OSM and DEM", Seconds: readSec}}, rep.Phases...)
	t0 := time.Now()
	err = d.update(ctx, func(tx *gpkg.Tx) error {
		return g.Save(tx, &routing.StoreInfo{InputsSHA256: hash, Report: rep, DEM: stored})
	})
	if err != nil {
		return nil, err
	}
	rep.Phases = append(rep.Phases, routing.Phase{Name: "save", Seconds: time.Since(t0).Seconds()})
	return &GraphResult{Graph: g, Report: rep, InputsSHA256: hash}, nil
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

// storedInfo returns the stored graph's info, or nil when there is none or
// the file cannot be read (the build then simply runs).
func (d *District) storedInfo() *routing.StoreInfo {
	var info *routing.StoreInfo
	_ = d.read(func(db *gpkg.DB) error {
		i, err := routing.LoadInfo(db)
		if err == nil {
			info = i
		}
		return nil
	})
	return info
}

// ErrNoGraph is wrapped by Graph's error when the district has no walking
// graph yet.
var ErrNoGraph = errors.New("no walking graph")

// Graph loads the district's walking graph, with the DEM it was built with
// when that can still be opened (off-path legs then get their slope). When
// it cannot, the graph is returned with a warning: off-path legs are
// walked as flat.
func (d *District) Graph() (g *routing.Graph, warnings []string, err error) {
	err = d.read(func(db *gpkg.DB) error {
		g, err = routing.Load(db)
		if errors.Is(err, routing.ErrNotStored) {
			return fmt.Errorf("%w in %s: run lastmile graph --gpkg %s --paths FILE first", ErrNoGraph, d.Path, d.Path)
		}
		if err != nil {
			return err
		}
		if info, err := routing.LoadInfo(db); err == nil && info.DEM != "" {
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
