package routing

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/routing/shortest"
	"github.com/paulmach/orb"
)

// GeoPackage names the graph writes (see ARCHITECTURE.md).
var (
	PathsLayer      = district.Paths.Name
	ComponentsTable = district.Components.Name
	StoreTable      = district.GraphStore.Name
)

// Keys of the graph_store table.
const (
	keyFormat    = "format"
	keyGraph     = "graph"
	keyHierarchy = "hierarchy"
	keyProfile   = "profile"
	keyInputs    = "inputs_sha256"
	keyReport    = "report"
	keyDEM       = "dem"
	keyWater     = "water"
	keySeason    = "season"
	storeFormat  = "lastmile-walking-graph-2"
)

// ErrNotStored is returned by Load and LoadInfo when the GeoPackage holds
// no walking graph (run lastmile graph first).
var ErrNotStored = errors.New("routing: no walking graph stored in this GeoPackage")

// StoreInfo is what Save records beside the graph.
type StoreInfo struct {
	// InputsSHA256 is the hash of the inputs (see InputsHash); a later
	// build with the same hash can be skipped.
	InputsSHA256 string
	// Report is the build report, stored as JSON.
	Report *BuildReport
	// DEM is the elevation file or folder the graph was built with, so that
	// queries can give off-path legs their slope.
	DEM string
	// Season is the season the graph was built for (Dry when empty).
	Season string
}

// Save writes the graph into tx: the paths layer (one LineString per edge
// with its weights and attributes), the graph_components table and the
// graph_store table (the compact arrays, the contraction hierarchy, the
// profile and info). It replaces any earlier graph. info may be nil.
func (g *Graph) Save(tx *gpkg.Tx, info *StoreInfo) error {
	if info == nil {
		info = &StoreInfo{}
	}
	w, err := tx.CreateLayer(district.Paths.GpkgLayer())
	if err != nil {
		return err
	}
	var geom orb.LineString
	terrain := -1
	for k, c := range g.classes {
		if c == TerrainClass {
			terrain = k
		}
	}
	for i := 0; i < g.Edges(); i++ {
		if int(g.class[i]) == terrain {
			// The lattice is in graph_store; as lines it would swamp the
			// layer (millions of 100 m steps) and say nothing on a map.
			continue
		}
		e := g.Edge(EdgeID(i))
		var cross any
		if s := e.Crossing.String(); s != "" {
			cross = s
		}
		if _, err := w.Insert(undensify(e.Geometry, geom[:0]),
			int64(e.From), int64(e.To), float64(e.Length),
			float64(g.fwd[i])/60000, float64(g.bwd[i])/60000,
			float64(e.Ascent), float64(e.Descent), e.Class, e.WayID, int64(e.Component), cross,
		); err != nil {
			w.Close()
			return fmt.Errorf("routing: save edge %d: %w", i, err)
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	cw, err := tx.CreateTable(district.Components.GpkgTable())
	if err != nil {
		return err
	}
	for _, c := range g.comps {
		if _, err := cw.Insert(nil, int64(c.ID), int64(c.Nodes), int64(c.Edges), c.Length.Kilometers(), c.Largest); err != nil {
			cw.Close()
			return err
		}
	}
	if err := cw.Close(); err != nil {
		return err
	}
	rows, err := g.storeRows(info, "")
	if err != nil {
		return err
	}
	season := info.Season
	if season == "" {
		season = Dry
	}
	rows = append(rows, [2]any{keySeason, []byte(season)})
	sw, err := tx.CreateTable(district.GraphStore.GpkgTable())
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := sw.Insert(nil, r[0], r[1]); err != nil {
			sw.Close()
			return err
		}
	}
	if err := sw.Close(); err != nil {
		return err
	}
	return g.saveWater(tx)
}

// storeRows returns the graph_store rows of g, keys prefixed.
func (g *Graph) storeRows(info *StoreInfo, prefix string) ([][2]any, error) {
	prof, err := g.prof.JSON()
	if err != nil {
		return nil, err
	}
	rows := [][2]any{
		{prefix + keyFormat, []byte(storeFormat)},
		{prefix + keyGraph, g.marshalArrays()},
		{prefix + keyProfile, prof},
		{prefix + keyInputs, []byte(info.InputsSHA256)},
		{prefix + keyDEM, []byte(info.DEM)},
		{prefix + keyWater, g.marshalWater()},
	}
	if g.ch != nil {
		hb, err := g.ch.MarshalBinary()
		if err != nil {
			return nil, err
		}
		rows = append(rows, [2]any{prefix + keyHierarchy, hb})
	}
	if info.Report != nil {
		// Phase timings vary run to run; they are printed, not stored, so
		// that the same inputs give a byte-identical GeoPackage.
		stored := *info.Report
		stored.Phases = nil
		rb, err := json.Marshal(&stored)
		if err != nil {
			return nil, err
		}
		rows = append(rows, [2]any{prefix + keyReport, rb})
	}
	return rows, nil
}

// SaveSeason stores g as the graph of another season beside the one Save
// wrote in the same transaction (which must come first): its graph_store
// rows under the keys "season/…". The paths, graph_components and streams
// layers stay those of Save's graph (streams says where each season's
// barriers are). LoadSeason reads it back.
func (g *Graph) SaveSeason(tx *gpkg.Tx, season string, info *StoreInfo) error {
	if season != Dry && season != Wet {
		return fmt.Errorf("routing: season %q: want %q or %q", season, Dry, Wet)
	}
	if info == nil {
		info = &StoreInfo{}
	}
	rows, err := g.storeRows(info, season+"/")
	if err != nil {
		return err
	}
	sw, err := tx.AppendTable(StoreTable)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := sw.Insert(nil, r[0], r[1]); err != nil {
			sw.Close()
			return err
		}
	}
	return sw.Close()
}

// undensify appends to dst the points of ls without the ones densification
// added (exactly on the line between their neighbours), so the paths layer
// holds the OSM geometry and stays small.
func undensify(ls, dst orb.LineString) orb.LineString {
	for i, p := range ls {
		if i > 0 && i+1 < len(ls) {
			a, b := dst[len(dst)-1], ls[i+1]
			cross := (p[0]-a[0])*(b[1]-a[1]) - (p[1]-a[1])*(b[0]-a[0])
			dot := (p[0]-a[0])*(b[0]-a[0]) + (p[1]-a[1])*(b[1]-a[1])
			l2 := (b[0]-a[0])*(b[0]-a[0]) + (b[1]-a[1])*(b[1]-a[1])
			// Within 1e-9° (0.1 mm) of the line and between its ends.
			if math.Abs(cross) <= 1e-9*math.Sqrt(l2) && dot > 0 && dot < l2 {
				continue
			}
		}
		dst = append(dst, p)
	}
	return dst
}

// querier is the read side of *sql.DB and *sql.Tx.
type querier interface {
	QueryRow(query string, args ...any) *sql.Row
}

// storeValue reads one graph_store value; ok is false when absent.
func storeValue(q querier, key string) ([]byte, bool, error) {
	var b []byte
	err := q.QueryRow(`SELECT "`+district.GraphStore.Value.Name+`" FROM "`+StoreTable+`" WHERE "`+district.GraphStore.Key.Name+`" = ? ORDER BY fid DESC LIMIT 1`, key).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil, false, ErrNotStored
		}
		return nil, false, err
	}
	return b, true, nil
}

// LoadInfo returns what Save recorded beside the graph (hash, report, DEM)
// without decoding the graph. It returns ErrNotStored when there is none.
func LoadInfo(db *gpkg.DB) (*StoreInfo, error) {
	return loadInfo(storeReader{q: db.SQL()})
}

// LoadSeasonInfo is LoadInfo for the graph of a season (Dry or Wet): the
// one Save wrote when it was built for that season, else the one
// SaveSeason wrote for it.
func LoadSeasonInfo(db *gpkg.DB, season string) (*StoreInfo, error) {
	return fromSeason(db, season, loadInfo)
}

// storeReader reads graph_store values of one graph: the default one
// (prefix "") or a season's ("wet/").
type storeReader struct {
	q      querier
	prefix string
}

func (s storeReader) value(key string) ([]byte, bool, error) { return storeValue(s.q, s.prefix+key) }

// required is value for a row no stored graph lacks: its absence is an
// ErrFormat.
func (s storeReader) required(key string) ([]byte, error) {
	b, ok, err := s.value(key)
	if err == nil && !ok {
		err = fmt.Errorf("%w: no %q row", ErrFormat, key)
	}
	return b, err
}

// seasonReader finds where the graph of season is stored.
func seasonReader(q querier, season string) (storeReader, error) {
	if season != Dry && season != Wet {
		return storeReader{}, fmt.Errorf("routing: season %q: want %q or %q", season, Dry, Wet)
	}
	b, ok, err := storeValue(q, keySeason)
	if err != nil {
		return storeReader{}, err
	}
	def := Dry
	if ok {
		def = string(b)
	}
	if season == def {
		return storeReader{q: q}, nil
	}
	s := storeReader{q: q, prefix: season + "/"}
	if _, ok, err := s.value(keyFormat); err != nil {
		return storeReader{}, err
	} else if !ok {
		return storeReader{}, fmt.Errorf("%w for the %s season (lastmile graph builds both)", ErrNotStored, season)
	}
	return s, nil
}

func loadInfo(s storeReader) (*StoreInfo, error) {
	f, ok, err := s.value(keyFormat)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotStored
	}
	if string(f) != storeFormat {
		return nil, fmt.Errorf("%w: format %q, want %q (rebuild with lastmile graph --force)", ErrFormat, f, storeFormat)
	}
	info := &StoreInfo{}
	if b, _, err := s.value(keyInputs); err != nil {
		return nil, err
	} else {
		info.InputsSHA256 = string(b)
	}
	if b, _, err := s.value(keyDEM); err != nil {
		return nil, err
	} else {
		info.DEM = string(b)
	}
	if b, ok, err := s.value(keyReport); err != nil {
		return nil, err
	} else if ok {
		info.Report = &BuildReport{}
		if err := json.Unmarshal(b, info.Report); err != nil {
			return nil, fmt.Errorf("%w: report: %v", ErrFormat, err)
		}
	}
	return info, nil
}

// Load restores the graph Save wrote (arrays, hierarchy, profile). The
// result has no elevation model; call SetElevation to give off-path legs
// their slope. It returns ErrNotStored when the GeoPackage has no graph and
// an error wrapping ErrFormat when the stored data is corrupt.
func Load(db *gpkg.DB) (*Graph, error) {
	return load(storeReader{q: db.SQL()})
}

// LoadSeason is Load for the graph of a season (Dry or Wet).
func LoadSeason(db *gpkg.DB, season string) (*Graph, error) {
	return fromSeason(db, season, load)
}

// fromSeason runs load on where the graph of season is stored.
func fromSeason[T any](db *gpkg.DB, season string, load func(storeReader) (T, error)) (T, error) {
	s, err := seasonReader(db.SQL(), season)
	if err != nil {
		var zero T
		return zero, err
	}
	return load(s)
}

// LoadTx is Load inside an Update transaction.
func LoadTx(tx *gpkg.Tx) (*Graph, error) {
	return load(storeReader{q: tx.SQL()})
}

func load(s storeReader) (*Graph, error) {
	if _, err := loadInfo(s); err != nil {
		return nil, err
	}
	g := &Graph{}
	b, err := s.required(keyGraph)
	if err != nil {
		return nil, err
	}
	if err := g.unmarshalArrays(b); err != nil {
		return nil, err
	}
	pb, err := s.required(keyProfile)
	if err != nil {
		return nil, err
	}
	if g.prof, err = ParseProfile(strings.NewReader(string(pb))); err != nil {
		return nil, fmt.Errorf("%w: stored profile: %v", ErrFormat, err)
	}
	if wb, ok, err := s.value(keyWater); err != nil {
		return nil, err
	} else if ok {
		if err := g.unmarshalWater(wb); err != nil {
			return nil, err
		}
	}
	g.sg = shortest.NewGraph(g.Nodes(), g.arcs())
	hb, ok, err := s.value(keyHierarchy)
	if err != nil {
		return nil, err
	}
	if ok {
		h := &shortest.Hierarchy{}
		if err := h.UnmarshalBinary(hb); err != nil {
			return nil, fmt.Errorf("%w: hierarchy: %v", ErrFormat, err)
		}
		if h.NumNodes() != g.Nodes() {
			return nil, fmt.Errorf("%w: hierarchy has %d nodes, graph %d", ErrFormat, h.NumNodes(), g.Nodes())
		}
		g.ch = h
	}
	return g, nil
}

// costModel names the revision of the cost model. It goes into InputsHash,
// so a graph stored by a build that weighed the same inputs differently
// is rebuilt rather than kept: change it with every such change.
// Revision 2: bridges and tunnels run straight between their ends; a
// crossing at an edge's end counts in its stored weights; a waterway
// through a node shared by several ways is charged once. Revision 3:
// off-path legs see water; the terrain lattice and derived streams.
const costModel = "lastmile-cost-3"

// demExt lists the file kinds dem.Open reads, for hashing a DEM folder.
var demExt = []string{".hgt", ".hgt.zip", ".tif", ".tiff", ".zip"}

// InputsHash returns the SHA-256 (hex) over the bytes of the paths file
// ("" for none: terrain alone),
// of the DEM (a file, or every DEM file in a folder, by sorted name; ""
// for none), of the profile's canonical JSON and of the cost model's
// revision. Equal hashes mean a rebuild would give the same graph.
func InputsHash(pathsFile, demPath string, prof Profile) (string, error) {
	h := sha256.New()
	io.WriteString(h, storeFormat+"\n"+costModel+"\n")
	add := func(name string) error {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "file %s\n", filepath.Base(name))
		_, err = io.Copy(h, f)
		return err
	}
	if pathsFile != "" {
		if err := add(pathsFile); err != nil {
			return "", err
		}
	}
	if demPath != "" {
		st, err := os.Stat(demPath)
		if err != nil {
			return "", err
		}
		if st.IsDir() {
			var names []string
			err := filepath.WalkDir(demPath, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				low := strings.ToLower(d.Name())
				for _, ext := range demExt {
					if !d.IsDir() && strings.HasSuffix(low, ext) {
						names = append(names, p)
						break
					}
				}
				return nil
			})
			if err != nil {
				return "", err
			}
			sort.Strings(names)
			for _, n := range names {
				if err := add(n); err != nil {
					return "", err
				}
			}
		} else if err := add(demPath); err != nil {
			return "", err
		}
	}
	pj, err := prof.JSON()
	if err != nil {
		return "", err
	}
	h.Write(pj)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// TerrainHash extends an InputsHash with the terrain lattice's inputs (the
// study area and the points it is laid around), so that a graph is rebuilt
// when they change. A nil t returns hash unchanged.
func TerrainHash(hash string, t *Terrain) string {
	if t == nil {
		return hash
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\nterrain %v\n", hash, t.NoDerivedWater)
	var b [8]byte
	f := func(v float64) {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	for _, poly := range t.Area {
		for _, ring := range poly {
			fmt.Fprintf(h, "ring %d\n", len(ring))
			for _, p := range ring {
				f(p[0])
				f(p[1])
			}
		}
	}
	fmt.Fprintf(h, "points %d\n", len(t.Points))
	for _, p := range t.Points {
		f(p[0])
		f(p[1])
	}
	return hex.EncodeToString(h.Sum(nil))
}
