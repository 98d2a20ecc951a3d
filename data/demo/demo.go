package demo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/paulmach/orb"
)

// Defaults and limits of Config.
const (
	// DefaultHouseholds is the number of genuine households of the default
	// district.
	DefaultHouseholds = 2500
	// DefaultSizeKm is the side of the default district's square area.
	DefaultSizeKm = 30
	// MinHouseholds is the smallest district Generate makes: below it the
	// injected noise would not fit.
	MinHouseholds = 50
	// MaxHouseholds caps Config.Households (national scale is 1 M).
	MaxHouseholds = 5_000_000
	// MaxSizeKm caps Config.SizeKm and the derived size (at most 36 DEM
	// tiles).
	MaxSizeKm = 600
)

// File names Generate writes inside its directory.
const (
	HouseholdsFile = "households.csv"
	CHWsFile       = "chws.csv"
	FacilitiesFile = "facilities.geojson"
	PathsFile      = "paths.osm"
	DEMDir         = "dem"
)

// LargeCatchments is the household count above which the derived roster
// has one CHW per 250 households, each with a capacity (Config.CHWs).
const LargeCatchments = 25000

// Config describes the district to generate. The zero value is the default
// district: 2,500 households on 30 × 30 km, seed 0.
type Config struct {
	// Seed selects the district; the same Config always gives the same files.
	Seed int64
	// Households is the number of genuine households (each has one valid,
	// newest row); noise rows come on top. 0 means DefaultHouseholds.
	Households int
	// CHWs is the roster size; 0 derives it from the norm of one CHW per
	// 40–60 households: Households/50 (50 at the default size) up to
	// 25,000 households, and Households/250 above, as programs with larger
	// catchments have (4,000 at 1 M households, each with a capacity of
	// about 300); at least 2 and at most half the households.
	CHWs int
	// SizeKm is the side of the square area in km; 0 derives it from
	// Households: 30 km at 2,500 households, growing as Households^0.38
	// (about 290 km at 1 M; at most MaxSizeKm), so the district gets denser
	// as well as larger.
	SizeKm float64
}

// Validate reports whether the configuration can be generated.
func (c Config) Validate() error {
	switch {
	case c.Households != 0 && (c.Households < MinHouseholds || c.Households > MaxHouseholds):
		return fmt.Errorf("demo: households %d: want %d..%d", c.Households, MinHouseholds, MaxHouseholds)
	case c.CHWs < 0 || c.CHWs > max(c.households(), 1)/2:
		return fmt.Errorf("demo: chws %d: want 0 (derived) up to half the households", c.CHWs)
	case math.IsNaN(c.SizeKm) || c.SizeKm < 0 || c.SizeKm > MaxSizeKm || (c.SizeKm > 0 && c.SizeKm < 2):
		return fmt.Errorf("demo: size %v km: want 0 (derived) or 2..%d", c.SizeKm, MaxSizeKm)
	}
	return nil
}

func (c Config) households() int {
	if c.Households == 0 {
		return DefaultHouseholds
	}
	return c.Households
}

func (c Config) chws() int {
	if c.CHWs > 0 {
		return c.CHWs
	}
	h := c.households()
	n := h / 50
	if h > LargeCatchments {
		n = h / 250
	}
	return min(max(2, n), h/2)
}

func (c Config) sizeKm() float64 {
	if c.SizeKm > 0 {
		return c.SizeKm
	}
	return math.Min(MaxSizeKm, DefaultSizeKm*math.Pow(float64(c.households())/DefaultHouseholds, 0.38))
}

// Files lists what Generate wrote and what it put in it.
type Files struct {
	Dir        string
	Households string   // ODK Central-style CSV export, noisy
	CHWs       string   // CHW roster CSV
	Facilities string   // GeoJSON FeatureCollection of Points
	Paths      string   // OSM XML: paths, tracks, roads, river, streams, lakes
	DEM        string   // directory holding the .hgt tiles
	DEMTiles   []string // the .hgt tiles, sorted
	Area       orb.Bound
	Counts     Counts
}

// Counts says how many of each thing Generate wrote, so tests of later
// stages can assert their summaries against what was injected.
type Counts struct {
	Villages, Hamlets int
	// Households is the number of distinct genuine households: every one
	// has exactly one valid newest row.
	Households int
	// Rows is the number of data rows in households.csv (header excluded):
	// Households plus Noise.Duplicates, Noise.NearDuplicates and the junk rows.
	Rows       int
	CHWs       int
	Inactive   int // CHWs with active=false
	Capacity   int // CHWs with an explicit capacity
	Facilities int
	Noise      Noise
	// OSM content of paths.osm.
	Nodes, Ways int
	PathWays    int // highway ways (bridge pieces included)
	Bridges     int // highway ways tagged bridge=yes
	Fords       int // nodes tagged ford=yes (shared by a path and a waterway)
	Waterways   int // waterway=river|stream ways
	Lakes       int // natural=water closed ways
	// Buildings counts the building=* outlines, Unregistered those with
	// no household site within UnregisteredGap.
	Buildings, Unregistered int
	Tiles                   int
}

// Noise counts the registration errors injected into households.csv.
type Noise struct {
	// Flaggable rows (the household is still genuine):
	LowAccuracy int // gps-Accuracy > 50 m, position off by about as much
	Swapped     int // latitude and longitude written in each other's column
	// Extra rows:
	Duplicates     int // a second, 1–10 days newer submission of the same household_id (before or after the first in the file)
	NearDuplicates int // a second household_id for the same household: same attributes (altitude included), within a metre
	// Junk rows (extra, to be rejected):
	EmptyCoords  int // empty gps-Latitude and gps-Longitude
	NotAvailable int // "N/A" coordinates
	OutOfRange   int // latitude beyond ±90 or longitude beyond ±180
	ZeroZero     int // 0,0 (a GPS that never got a fix)
	ShortRows    int // a row with fewer columns than the header
}

// Junk returns the number of junk rows: those a validator must reject.
func (n Noise) Junk() int {
	return n.EmptyCoords + n.NotAvailable + n.OutOfRange + n.ZeroZero + n.ShortRows
}

// Generate writes a district described by cfg into dir (created if needed;
// files of the same names are replaced) and returns what it wrote. The same
// cfg gives byte-identical files. Generation streams: households are never
// all in memory, the path network is held compactly. It checks ctx between
// stages and periodically inside them.
func Generate(ctx context.Context, cfg Config, dir string) (*Files, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, DEMDir), 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	w, err := build(ctx, cfg)
	if err != nil {
		return nil, err
	}
	f := &Files{
		Dir:        dir,
		Households: filepath.Join(dir, HouseholdsFile),
		CHWs:       filepath.Join(dir, CHWsFile),
		Facilities: filepath.Join(dir, FacilitiesFile),
		Paths:      filepath.Join(dir, PathsFile),
		DEM:        filepath.Join(dir, DEMDir),
		Area:       w.area,
	}
	wrap := func(name string, err error) error {
		if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return fmt.Errorf("demo: %s: %w", name, err)
	}
	// The DEM tiles (parallel rows, CPU-bound) are written while the text
	// files are: the world is read-only from here on, and each writer has
	// its own file, so the output does not depend on the overlap.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var demErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.DEMTiles, demErr = w.writeDEM(ctx, f.DEM)
		f.Counts.Tiles = len(f.DEMTiles)
	}()
	steps := []struct {
		name string
		fn   func() error
	}{
		{"paths", func() error { return w.writeOSM(ctx, f.Paths, &f.Counts) }},
		{"facilities", func() error { return w.writeFacilities(f.Facilities, &f.Counts) }},
		{"chws", func() error { return w.writeCHWs(f.CHWs, &f.Counts) }},
		{"households", func() error { return w.writeHouseholds(ctx, f.Households, &f.Counts) }},
	}
	for _, st := range steps {
		if err = ctx.Err(); err != nil {
			break
		}
		if err = wrap(st.name, st.fn()); err != nil {
			break
		}
	}
	if err != nil {
		cancel()
	}
	wg.Wait()
	if err == nil {
		err = wrap("dem", demErr)
	}
	if err != nil {
		return nil, err
	}
	f.Counts.Villages = w.nVillages
	f.Counts.Hamlets = len(w.settlements) - w.nVillages
	return f, nil
}
