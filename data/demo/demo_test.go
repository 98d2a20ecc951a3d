package demo_test

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmxml"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/geo"
)

var seedFlag = flag.Int64("seed", 0, "seed of the district the tests generate")

// shared is the default district, generated once for all the tests.
var shared struct {
	once  sync.Once
	dir   string
	files *demo.Files
	err   error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func district(t testing.TB) *demo.Files {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "lastmile-demo-")
		if shared.err == nil {
			shared.files, shared.err = demo.Generate(context.Background(), demo.Config{Seed: *seedFlag}, shared.dir)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.files
}

func hashDir(t *testing.T, f *demo.Files) map[string]string {
	t.Helper()
	out := map[string]string{}
	files := append([]string{f.Households, f.CHWs, f.Facilities, f.Paths}, f.DEMTiles...)
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(f.Dir, p)
		out[rel] = hex.EncodeToString(sum[:])
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	a := district(t)
	dir := t.TempDir()
	// A tile left by an earlier, larger district must go.
	stale := filepath.Join(dir, demo.DEMDir, "N00E000.hgt")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// On one core this time: the parallel DEM rows must not matter.
	procs := runtime.GOMAXPROCS(1)
	b, err := demo.Generate(context.Background(), demo.Config{Seed: *seedFlag}, dir)
	runtime.GOMAXPROCS(procs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale tile %s: stat error %v, want it removed", stale, err)
	}
	ha, hb := hashDir(t, a), hashDir(t, b)
	if len(ha) != len(hb) {
		t.Fatalf("file sets differ: %v vs %v", ha, hb)
	}
	for name, h := range ha {
		if hb[name] != h {
			t.Errorf("%s: sha256 %s then %s", name, h, hb[name])
		}
	}
	if a.Counts != b.Counts {
		t.Errorf("counts differ: %+v vs %+v", a.Counts, b.Counts)
	}
	// Another seed is another district.
	c, err := demo.Generate(context.Background(), demo.Config{Seed: *seedFlag + 1, Households: 300}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if hc := hashDir(t, c); hc["paths.osm"] == ha["paths.osm"] || hc["households.csv"] == ha["households.csv"] {
		t.Error("seed+1 gave the same paths or households")
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  demo.Config
		ok   bool
	}{
		{"zero is default", demo.Config{}, true},
		{"small", demo.Config{Households: demo.MinHouseholds}, true},
		{"too few households", demo.Config{Households: demo.MinHouseholds - 1}, false},
		{"negative households", demo.Config{Households: -5}, false},
		{"too many households", demo.Config{Households: demo.MaxHouseholds + 1}, false},
		{"negative chws", demo.Config{CHWs: -1}, false},
		{"more chws than half the households", demo.Config{Households: 100, CHWs: 51}, false},
		{"tiny area", demo.Config{SizeKm: 1}, false},
		{"huge area", demo.Config{SizeKm: demo.MaxSizeKm + 1}, false},
		{"NaN area", demo.Config{SizeKm: math.NaN()}, false},
		{"explicit area", demo.Config{SizeKm: 12}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if (err == nil) != tt.ok {
				t.Errorf("Validate(%+v) = %v, want ok=%v", tt.cfg, err, tt.ok)
			}
			if !tt.ok {
				if _, gerr := demo.Generate(context.Background(), tt.cfg, t.TempDir()); gerr == nil {
					t.Errorf("Generate(%+v) succeeded", tt.cfg)
				}
			}
		})
	}
}

// TestGenerateEdgeCases generates odd but valid districts: tiny and
// crowded, tiny and sparse, many CHWs.
func TestGenerateEdgeCases(t *testing.T) {
	tests := []demo.Config{
		{Seed: 1, SizeKm: 2, Households: 3000},
		{Seed: 2, SizeKm: 2, Households: demo.MinHouseholds},
		{Seed: 3, SizeKm: 6, Households: 200, CHWs: 100},
		{Seed: 4, SizeKm: 50, Households: demo.MinHouseholds},
	}
	for _, cfg := range tests {
		t.Run(fmt.Sprintf("%+v", cfg), func(t *testing.T) {
			f, err := demo.Generate(context.Background(), cfg, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			c := f.Counts
			if c.Households != cfg.Households || c.Facilities < 1 || c.Villages < 1 {
				t.Errorf("counts %+v", c)
			}
			if cfg.CHWs > 0 && c.CHWs != cfg.CHWs {
				t.Errorf("%d CHWs, want %d", c.CHWs, cfg.CHWs)
			}
			if _, err := readOSMErr(f.Paths); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestGenerateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := demo.Generate(ctx, demo.Config{}, t.TempDir()); !errors.Is(err, context.Canceled) {
		t.Errorf("Generate(cancelled) = %v, want context.Canceled", err)
	}
}

// readCSV reads a whole CSV file allowing ragged rows.
func readCSV(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatalf("%s: empty", path)
	}
	return all[0], all[1:]
}

func col(header []string, name string) int {
	i := slices.Index(header, name)
	if i < 0 {
		panic("no column " + name)
	}
	return i
}

// TestHouseholdNoise classifies every row of households.csv on its own and
// checks the tallies against what Generate says it injected.
func TestHouseholdNoise(t *testing.T) {
	f := district(t)
	header, rows := readCSV(t, f.Households)
	if !slices.Equal(header, demo.HouseholdColumns) {
		t.Fatalf("header %v, want %v", header, demo.HouseholdColumns)
	}
	iID, iLat, iLon, iAcc := col(header, "household_id"), col(header, "gps-Latitude"), col(header, "gps-Longitude"), col(header, "gps-Accuracy")
	iHead, iPhone := col(header, "head_name"), col(header, "phone")
	area := f.Area
	var got demo.Noise
	seen := map[string]int{}
	subAt := map[string]time.Time{}
	iSub := col(header, "SubmissionDate")
	campaign := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	type who struct{ head, phone string }
	firstAt := map[who]orb.Point{}
	firstID := map[who]string{}
	valid := 0
	for n, row := range rows {
		if len(row) != len(header) {
			if len(row) >= len(header) {
				t.Fatalf("row %d: %d columns", n+2, len(row))
			}
			got.ShortRows++
			continue
		}
		id := row[iID]
		sub, err := time.Parse("2006-01-02T15:04:05.000Z", row[iSub])
		if err != nil || sub.Before(campaign) {
			t.Errorf("row %d: SubmissionDate %q: want ODK's format, not before %v (err %v)", n+2, row[iSub], campaign, err)
		}
		if seen[id] > 0 {
			got.Duplicates++
			if subAt[id].Equal(sub) {
				t.Errorf("row %d: %s submitted twice at the same time %v", n+2, id, sub)
			}
		}
		seen[id]++
		subAt[id] = sub
		lat, lon := row[iLat], row[iLon]
		switch {
		case lat == "" && lon == "":
			got.EmptyCoords++
			continue
		case lat == "N/A" || lon == "N/A":
			got.NotAvailable++
			continue
		}
		y, err1 := strconv.ParseFloat(lat, 64)
		x, err2 := strconv.ParseFloat(lon, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("row %d: bad coordinates %q %q", n+2, lat, lon)
		}
		p := orb.Point{x, y}
		switch {
		case x == 0 && y == 0:
			got.ZeroZero++
			continue
		case !geo.ValidLonLat(p):
			got.OutOfRange++
			continue
		case !area.Contains(p) && area.Contains(orb.Point{y, x}):
			got.Swapped++
			p = orb.Point{y, x}
		case !area.Contains(p):
			t.Errorf("row %d: %v outside the area %v", n+2, p, area)
		}
		valid++
		acc, err := strconv.ParseFloat(row[iAcc], 64)
		if err != nil {
			t.Fatalf("row %d: accuracy %q", n+2, row[iAcc])
		}
		if acc > 50 {
			got.LowAccuracy++
		}
		k := who{row[iHead], row[iPhone]}
		if q, ok := firstAt[k]; ok && firstID[k] != id && geo.Distance(p, q) <= 2 {
			got.NearDuplicates++
		} else if !ok {
			firstAt[k], firstID[k] = p, id
		}
	}
	c := f.Counts
	if got != c.Noise {
		t.Errorf("noise found in households.csv = %+v\nwant (reported by Generate)  %+v", got, c.Noise)
	}
	if len(rows) != c.Rows {
		t.Errorf("%d data rows, Counts.Rows = %d", len(rows), c.Rows)
	}
	if want := c.Households + c.Noise.NearDuplicates + c.Noise.Junk(); len(seen)+c.Noise.ShortRows != want {
		t.Errorf("%d distinct IDs, want households+near duplicates+junk = %d", len(seen)+c.Noise.ShortRows, want)
	}
	if c.Households != 2500 {
		t.Errorf("Counts.Households = %d, want the default 2500", c.Households)
	}
	// Every kind is there at least once, and the junk is a small minority.
	for name, n := range map[string]int{"low accuracy": c.Noise.LowAccuracy, "swapped": c.Noise.Swapped,
		"duplicates": c.Noise.Duplicates, "near duplicates": c.Noise.NearDuplicates, "empty": c.Noise.EmptyCoords,
		"N/A": c.Noise.NotAvailable, "out of range": c.Noise.OutOfRange, "0,0": c.Noise.ZeroZero, "short": c.Noise.ShortRows} {
		if n < 1 || n > c.Households/50 {
			t.Errorf("%s: %d injected, want 1..%d", name, n, c.Households/50)
		}
	}
	if valid < c.Households {
		t.Errorf("%d rows with valid coordinates, want at least %d", valid, c.Households)
	}
}

// readOSMErr counts the elements of an OSM XML file, checking that every
// way's nodes come before it.
func readOSMErr(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := osmxml.New(context.Background(), f)
	defer sc.Close()
	nodes := map[osm.NodeID]bool{}
	n := 0
	for sc.Scan() {
		n++
		switch o := sc.Object().(type) {
		case *osm.Node:
			nodes[o.ID] = true
		case *osm.Way:
			for _, wn := range o.Nodes {
				if !nodes[wn.ID] {
					return n, fmt.Errorf("way %d: node %d missing", o.ID, wn.ID)
				}
			}
		}
	}
	return n, sc.Err()
}

type osmContent struct {
	nodes  map[osm.NodeID]*osm.Node
	ways   []*osm.Way
	bounds *osm.Bounds
}

func readOSM(t testing.TB, path string) osmContent {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := osmxml.New(context.Background(), f)
	defer sc.Close()
	c := osmContent{nodes: map[osm.NodeID]*osm.Node{}}
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			c.nodes[o.ID] = o
		case *osm.Way:
			c.ways = append(c.ways, o)
		case *osm.Bounds:
			c.bounds = o
		default:
			t.Errorf("unexpected %T", o)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPathsOSM(t *testing.T) {
	f := district(t)
	c := readOSM(t, f.Paths)
	if len(c.nodes) != f.Counts.Nodes || len(c.ways) != f.Counts.Ways {
		t.Errorf("read %d nodes %d ways, Counts say %d and %d", len(c.nodes), len(c.ways), f.Counts.Nodes, f.Counts.Ways)
	}
	if c.bounds == nil || math.Abs(c.bounds.MinLat-f.Area.Min[1]) > 1e-6 || math.Abs(c.bounds.MaxLon-f.Area.Max[0]) > 1e-6 {
		t.Errorf("bounds %+v, want the area %v", c.bounds, f.Area)
	}
	used := map[osm.NodeID]int{}
	inHighway := map[osm.NodeID]bool{}
	inWaterway := map[osm.NodeID]bool{}
	var paths, bridges, waterways, rivers, lakes, buildings int
	classes := map[string]int{}
	for _, w := range c.ways {
		if len(w.Nodes) < 2 || len(w.Nodes) > 2000 {
			t.Errorf("way %d has %d nodes", w.ID, len(w.Nodes))
		}
		for _, n := range w.Nodes {
			if c.nodes[n.ID] == nil {
				t.Fatalf("way %d references missing node %d", w.ID, n.ID)
			}
			used[n.ID]++
		}
		switch {
		case w.Tags.Find("highway") != "":
			paths++
			classes[w.Tags.Find("highway")]++
			if w.Tags.Find("bridge") == "yes" {
				bridges++
				if w.Tags.Find("layer") != "1" {
					t.Errorf("bridge way %d has no layer=1", w.ID)
				}
			}
			for _, n := range w.Nodes {
				inHighway[n.ID] = true
			}
		case w.Tags.Find("waterway") != "":
			waterways++
			if w.Tags.Find("waterway") == "river" {
				rivers++
				if _, err := strconv.Atoi(w.Tags.Find("width")); err != nil {
					t.Errorf("river way %d: width %q", w.ID, w.Tags.Find("width"))
				}
			}
			for _, n := range w.Nodes {
				inWaterway[n.ID] = true
			}
		case w.Tags.Find("natural") == "water":
			lakes++
			if w.Nodes[0].ID != w.Nodes[len(w.Nodes)-1].ID {
				t.Errorf("lake way %d is not closed", w.ID)
			}
		case w.Tags.Find("building") == "yes":
			buildings++
			if len(w.Nodes) != 5 || w.Nodes[0].ID != w.Nodes[4].ID {
				t.Errorf("building way %d: %d nodes, want a closed quadrilateral", w.ID, len(w.Nodes))
			}
		default:
			t.Errorf("way %d has unexpected tags %v", w.ID, w.Tags)
		}
	}
	// The paths form one network: every highway node is reachable.
	parent := map[osm.NodeID]osm.NodeID{}
	var find func(osm.NodeID) osm.NodeID
	find = func(x osm.NodeID) osm.NodeID {
		if p, ok := parent[x]; ok && p != x {
			r := find(p)
			parent[x] = r
			return r
		}
		parent[x] = x
		return x
	}
	for _, w := range c.ways {
		if w.Tags.Find("highway") == "" {
			continue
		}
		for i := 1; i < len(w.Nodes); i++ {
			parent[find(w.Nodes[i].ID)] = find(w.Nodes[0].ID)
		}
	}
	roots := map[osm.NodeID]int{}
	for id := range inHighway {
		roots[find(id)]++
	}
	if len(roots) != 1 {
		t.Errorf("the paths form %d separate networks (sizes %v), want 1", len(roots), roots)
	}
	fords := 0
	for id, n := range c.nodes {
		if used[id] == 0 {
			t.Errorf("node %d is in no way", id)
		}
		if !geo.ValidLonLat(orb.Point{n.Lon, n.Lat}) {
			t.Errorf("node %d at %v,%v", id, n.Lat, n.Lon)
		}
		if n.Tags.Find("ford") == "yes" {
			fords++
			if !inHighway[id] || !inWaterway[id] {
				t.Errorf("ford node %d: in a highway %v, in a waterway %v; want both", id, inHighway[id], inWaterway[id])
			}
		}
	}
	cn := f.Counts
	if paths != cn.PathWays || bridges != cn.Bridges || fords != cn.Fords || waterways != cn.Waterways || lakes != cn.Lakes {
		t.Errorf("read paths %d bridges %d fords %d waterways %d lakes %d; Counts %+v", paths, bridges, fords, waterways, lakes, cn)
	}
	if buildings != cn.Buildings || cn.Unregistered == 0 || cn.Unregistered >= cn.Buildings {
		t.Errorf("read %d buildings; Counts say %d, %d of them unregistered: want some of each", buildings, cn.Buildings, cn.Unregistered)
	}
	if rivers < 1 || waterways < 5 || lakes < 1 || bridges < 1 || fords < 1 {
		t.Errorf("rivers %d waterways %d lakes %d bridges %d fords %d: want at least 1, 5, 1, 1, 1", rivers, waterways, lakes, bridges, fords)
	}
	for _, class := range []string{"unclassified", "track", "path", "footway"} {
		if classes[class] == 0 {
			t.Errorf("no highway=%s way (classes %v)", class, classes)
		}
	}
}

// TestOsmnetReads checks the consumer's view: package osmnet reads
// paths.osm without a warning and finds every path, waterway and lake.
func TestOsmnetReads(t *testing.T) {
	f := district(t)
	net, err := osmnet.Read(context.Background(), f.Paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(net.Warnings) > 0 {
		t.Errorf("osmnet warnings: %v", net.Warnings)
	}
	c := f.Counts
	if len(net.Ways) != c.PathWays || len(net.Waterways) != c.Waterways || len(net.WaterAreas) != c.Lakes {
		t.Errorf("osmnet found %d ways, %d waterways, %d water areas; Counts say %d, %d, %d",
			len(net.Ways), len(net.Waterways), len(net.WaterAreas), c.PathWays, c.Waterways, c.Lakes)
	}
	fords, bridges := 0, 0
	for _, n := range net.Nodes {
		if n.Ford {
			fords++
		}
	}
	for _, w := range net.Ways {
		if w.Bridge {
			bridges++
		}
	}
	if fords != c.Fords || bridges != c.Bridges {
		t.Errorf("osmnet found %d ford nodes and %d bridges, want %d and %d", fords, bridges, c.Fords, c.Bridges)
	}
}

func TestDEMTiles(t *testing.T) {
	f := district(t)
	if len(f.DEMTiles) != 1 || filepath.Base(f.DEMTiles[0]) != "N07W010.hgt" {
		t.Fatalf("tiles %v, want one N07W010.hgt", f.DEMTiles)
	}
	b, err := os.ReadFile(f.DEMTiles[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1201*1201*2 {
		t.Fatalf("tile is %d bytes, want %d", len(b), 1201*1201*2)
	}
	lo, hi := math.MaxInt, math.MinInt
	for i := 0; i < len(b); i += 2 {
		v := int(int16(uint16(b[i])<<8 | uint16(b[i+1])))
		lo, hi = min(lo, v), max(hi, v)
	}
	// A West-African hill district: valley floors near 150 m, hills to 700 m.
	if lo < 100 || lo > 250 || hi < 500 || hi > 800 {
		t.Errorf("elevations %d..%d m, want a floor in 100..250 and tops in 500..800", lo, hi)
	}
	// Read back through package dem: the tile is placed and oriented right
	// when the households' GPS altitudes (terrain + a few metres of noise)
	// agree with it.
	m, err := dem.Open(f.DEM)
	if err != nil {
		t.Fatal(err)
	}
	header, rows := readCSV(t, f.Households)
	iLat, iLon, iAlt := col(header, "gps-Latitude"), col(header, "gps-Longitude"), col(header, "gps-Altitude")
	var n int
	var sum float64
	for _, row := range rows {
		if len(row) != len(header) {
			continue
		}
		y, e1 := strconv.ParseFloat(row[iLat], 64)
		x, e2 := strconv.ParseFloat(row[iLon], 64)
		alt, e3 := strconv.ParseFloat(row[iAlt], 64)
		if e1 != nil || e2 != nil || e3 != nil || !f.Area.Contains(orb.Point{x, y}) {
			continue
		}
		e, ok := m.Elevation(orb.Point{x, y})
		if !ok {
			t.Fatalf("no elevation at %v,%v inside the area", y, x)
		}
		sum += math.Abs(e - alt)
		n++
	}
	if mean := sum / float64(n); n < 2000 || mean > 15 {
		t.Errorf("mean |DEM - GPS altitude| = %.1f m over %d houses, want ≤ 15 m over ≥ 2000", mean, n)
	}
}

// TestHouseholdsNearPaths checks houses are strung along the paths.
func TestHouseholdsNearPaths(t *testing.T) {
	f := district(t)
	c := readOSM(t, f.Paths)
	local := geo.NewLocal(f.Area.Center())
	type seg struct{ a, b orb.Point }
	const cell = 500.0
	grid := map[[2]int][]seg{}
	key := func(p orb.Point) [2]int { return [2]int{int(math.Floor(p[0] / cell)), int(math.Floor(p[1] / cell))} }
	for _, w := range c.ways {
		if w.Tags.Find("highway") == "" {
			continue
		}
		for i := 0; i+1 < len(w.Nodes); i++ {
			na, nb := c.nodes[w.Nodes[i].ID], c.nodes[w.Nodes[i+1].ID]
			a, b := local.Forward(orb.Point{na.Lon, na.Lat}), local.Forward(orb.Point{nb.Lon, nb.Lat})
			for _, p := range []orb.Point{a, b, {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}} {
				k := key(p)
				if l := grid[k]; len(l) == 0 || l[len(l)-1] != (seg{a, b}) {
					grid[k] = append(grid[k], seg{a, b})
				}
			}
		}
	}
	nearest := func(p orb.Point) float64 {
		best := math.Inf(1)
		k := key(p)
		for i := -1; i <= 1; i++ {
			for j := -1; j <= 1; j++ {
				for _, s := range grid[[2]int{k[0] + i, k[1] + j}] {
					best = math.Min(best, segDist(s.a, s.b, p))
				}
			}
		}
		return best
	}
	header, rows := readCSV(t, f.Households)
	iLat, iLon, iAcc := col(header, "gps-Latitude"), col(header, "gps-Longitude"), col(header, "gps-Accuracy")
	var n, within100, within500 int
	for _, row := range rows {
		if len(row) != len(header) {
			continue
		}
		y, e1 := strconv.ParseFloat(row[iLat], 64)
		x, e2 := strconv.ParseFloat(row[iLon], 64)
		acc, e3 := strconv.ParseFloat(row[iAcc], 64)
		if e1 != nil || e2 != nil || e3 != nil || acc > 50 || !f.Area.Contains(orb.Point{x, y}) {
			continue
		}
		n++
		d := nearest(local.Forward(orb.Point{x, y}))
		if d <= 100 {
			within100++
		}
		if d <= 500 {
			within500++
		}
	}
	if n < 2400 {
		t.Fatalf("only %d accurate in-area rows", n)
	}
	if float64(within100) < 0.95*float64(n) || within500 != n {
		t.Errorf("of %d houses %d within 100 m of a path, %d within 500 m; want ≥ 95%% and all", n, within100, within500)
	}
}

func segDist(a, b, p orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(a[0]+t*dx-p[0], a[1]+t*dy-p[1])
}

// TestSpread checks the villages, the CHWs and the facilities cover the
// area rather than bunching.
func TestSpread(t *testing.T) {
	f := district(t)
	header, rows := readCSV(t, f.Households)
	iVillage, iLat, iLon := col(header, "village"), col(header, "gps-Latitude"), col(header, "gps-Longitude")
	type acc struct {
		sum orb.Point
		n   int
	}
	villages := map[string]*acc{}
	for _, row := range rows {
		if len(row) != len(header) {
			continue
		}
		y, e1 := strconv.ParseFloat(row[iLat], 64)
		x, e2 := strconv.ParseFloat(row[iLon], 64)
		if e1 != nil || e2 != nil || !f.Area.Contains(orb.Point{x, y}) {
			continue
		}
		a := villages[row[iVillage]]
		if a == nil {
			a = &acc{}
			villages[row[iVillage]] = a
		}
		a.sum[0] += x
		a.sum[1] += y
		a.n++
	}
	if n := len(villages); n != f.Counts.Villages+f.Counts.Hamlets {
		t.Errorf("%d village names in households.csv, want villages+hamlets = %d", n, f.Counts.Villages+f.Counts.Hamlets)
	}
	// Every ninth of the area (3×3) holds a settlement.
	var cells [3][3]int
	b := f.Area
	for _, a := range villages {
		p := orb.Point{a.sum[0] / float64(a.n), a.sum[1] / float64(a.n)}
		i := min(2, int(3*(p[0]-b.Min[0])/(b.Max[0]-b.Min[0])))
		j := min(2, int(3*(p[1]-b.Min[1])/(b.Max[1]-b.Min[1])))
		cells[i][j]++
	}
	for i := range cells {
		for j := range cells[i] {
			if cells[i][j] == 0 {
				t.Errorf("no settlement in cell (%d,%d) of 3×3: %v", i, j, cells)
			}
		}
	}
}

func TestFacilitiesAndCHWs(t *testing.T) {
	f := district(t)
	b, err := os.ReadFile(f.Facilities)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fc.Features); n < 2 || n > 4 || n != f.Counts.Facilities {
		t.Errorf("%d facilities (Counts %d), want 2..4", n, f.Counts.Facilities)
	}
	ids := map[string]bool{}
	for _, ft := range fc.Features {
		p, ok := ft.Geometry.(orb.Point)
		if !ok || !f.Area.Contains(p) {
			t.Errorf("facility %v: geometry %v not a point in the area", ft.Properties, ft.Geometry)
		}
		id := ft.Properties.MustString("id", "")
		if id == "" || ft.Properties.MustString("name", "") == "" || ft.Properties.MustString("type", "") == "" {
			t.Errorf("facility properties %v: want id, name and type", ft.Properties)
		}
		ids[id] = true
	}
	header, rows := readCSV(t, f.CHWs)
	if !slices.Equal(header, demo.CHWColumns) {
		t.Fatalf("chws.csv header %v, want %v", header, demo.CHWColumns)
	}
	// The norm: one CHW per 40–60 households.
	if n := f.Counts.Households; len(rows) < n/60 || len(rows) > n/40 || len(rows) != f.Counts.CHWs {
		t.Errorf("%d CHWs (Counts %d) for %d households, want one per 40–60", len(rows), f.Counts.CHWs, n)
	}
	inactive, withCap := 0, 0
	seen := map[string]bool{}
	for _, r := range rows {
		if len(r) != len(header) {
			t.Fatalf("chw row %v", r)
		}
		if seen[r[0]] {
			t.Errorf("duplicate chw_id %s", r[0])
		}
		seen[r[0]] = true
		if !ids[r[2]] {
			t.Errorf("%s: facility_id %q is not a facility", r[0], r[2])
		}
		lat, e1 := strconv.ParseFloat(r[3], 64)
		lon, e2 := strconv.ParseFloat(r[4], 64)
		if e1 != nil || e2 != nil || !f.Area.Contains(orb.Point{lon, lat}) {
			t.Errorf("%s: home %q,%q not in the area", r[0], r[3], r[4])
		}
		if r[5] != "" {
			if c, err := strconv.Atoi(r[5]); err != nil || c <= 0 {
				t.Errorf("%s: capacity %q", r[0], r[5])
			}
			withCap++
		}
		active, err := strconv.ParseBool(r[6])
		if err != nil {
			t.Errorf("%s: active %q", r[0], r[6])
		}
		if !active {
			inactive++
		}
	}
	if inactive < 1 || inactive > 3 || inactive != f.Counts.Inactive {
		t.Errorf("%d inactive CHWs (Counts %d), want 1 to 3", inactive, f.Counts.Inactive)
	}
	if withCap == 0 || withCap == len(rows) || withCap != f.Counts.Capacity {
		t.Errorf("%d CHWs with capacity (Counts %d), want some but not all", withCap, f.Counts.Capacity)
	}
}

// TestScales checks the derived sizes of a larger, multi-tile district
// (LASTMILE_LONG=1: it writes 4 DEM tiles).
func TestScales(t *testing.T) {
	if os.Getenv("LASTMILE_LONG") == "" {
		t.Skip("set LASTMILE_LONG=1 to generate a 4-tile district")
	}
	big, err := demo.Generate(context.Background(), demo.Config{Seed: 3, Households: 20000, SizeKm: 130}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(big.DEMTiles) {
		t.Errorf("DEMTiles not sorted: %v", big.DEMTiles)
	}
	if big.Counts.Tiles != 4 || big.Counts.CHWs != 80 || big.Counts.Facilities != 8 {
		t.Errorf("20k households on 130 km: %d tiles %d CHWs %d facilities, want 4, 80, 8", big.Counts.Tiles, big.Counts.CHWs, big.Counts.Facilities)
	}
}

func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := demo.Generate(context.Background(), demo.Config{}, dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerateNational is the 1 M-household country (LASTMILE_LONG=1).
func BenchmarkGenerateNational(b *testing.B) {
	if os.Getenv("LASTMILE_LONG") == "" {
		b.Skip("set LASTMILE_LONG=1 for the 1 M-household district")
	}
	dir := b.TempDir()
	b.ReportAllocs()
	var f *demo.Files
	for b.Loop() {
		var err error
		if f, err = demo.Generate(context.Background(), demo.Config{Households: 1_000_000}, dir); err != nil {
			b.Fatal(err)
		}
	}
	var size int64
	_ = filepath.Walk(dir, func(_ string, fi os.FileInfo, _ error) error {
		if fi != nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	b.ReportMetric(float64(f.Counts.PathWays), "pathways")
	b.ReportMetric(float64(f.Counts.Nodes), "nodes")
	b.ReportMetric(float64(size)/1e6, "MB")
}
