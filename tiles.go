package lastmile

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/maptile/tilecover"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/mbtiles"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/tiles"
)

// Tile output formats.
const (
	TilesGPKG    = "gpkg"
	TilesMBTiles = "mbtiles"
)

// DefaultMaxTiles is the most tiles one run renders unless told otherwise:
// about 5 GB of PNGs and an hour of rendering on a laptop.
const DefaultMaxTiles = 500_000

// TilesOptions are the tile stage's inputs.
type TilesOptions struct {
	// MinZoom and MaxZoom bound the zoom levels; 0 chooses them: from
	// the level where the area fits in one tile to 16.
	MinZoom, MaxZoom int
	// Format is TilesGPKG (the map_tiles pyramid inside the district
	// GeoPackage, the default) or TilesMBTiles.
	Format string
	// Out is the MBTiles file; "" is the GeoPackage's name with .mbtiles
	// (with CHWs: the folder of the GeoPackage).
	Out string
	// CHWs, when set, writes one MBTiles file per CHW covering their
	// catchment (Out is then a folder; files are named <chw_id>.mbtiles).
	// "all" means every CHW with a catchment.
	CHWs []string
	// MaxTiles refuses runs that would make more tiles (0: DefaultMaxTiles).
	MaxTiles int
	// Workers render in parallel (0: GOMAXPROCS).
	Workers int
	// Force re-renders every tile, even those whose content is unchanged.
	Force bool
	// Progress, when set, hears the tiles done of the total.
	Progress func(done, total int)
	// DEM, when set, is read for the hillshade instead of the DEM the
	// graph recorded (the demo renders before moving its inputs in place).
	DEM string
}

// TilesFile is one written tile set.
type TilesFile struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	// Table is the pyramid's table in a GeoPackage.
	Table string `json:"table,omitempty"`
	CHW   string `json:"chw_id,omitempty"`
	Tiles int    `json:"tiles"`
	Bytes int64  `json:"bytes"`
}

// TilesResult is what Tiles did.
type TilesResult struct {
	Files            []TilesFile `json:"files"`
	MinZoom, MaxZoom int
	// Tiles is the number of tiles in the sets; Rendered of them were
	// drawn, Reused kept from the previous run (same content hash), Copied
	// taken from the GeoPackage's pyramid into an MBTiles file (same
	// hash), and Removed old tiles no longer covered.
	Tiles, Rendered, Reused, Copied, Removed int
	// Bytes is the size of the rendered PNGs.
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	// Missing says what the GeoPackage lacks (drawn without it).
	Missing []string `json:"missing,omitempty"`
}

// ErrTooManyTiles is wrapped by Tiles' error when the zoom range would
// make more tiles than allowed.
var ErrTooManyTiles = fmt.Errorf("too many tiles")

// Tiles renders the district's map into a tile pyramid: 256 px PNG tiles
// in Web Mercator covering the study area at every zoom level from
// opts.MinZoom to opts.MaxZoom, drawn by the tiles renderer in parallel.
// A tile whose content hash equals the stored one is kept, not drawn
// again. The GeoPackage pyramid (map_tiles, with tile_hashes and the
// layers' QGIS styles) is one atomic update; each MBTiles file is replaced
// atomically.
func (d *District) Tiles(ctx context.Context, opts TilesOptions) (*TilesResult, error) {
	start := time.Now()
	if opts.Format == "" {
		opts.Format = TilesGPKG
	}
	if opts.Format != TilesGPKG && opts.Format != TilesMBTiles {
		return nil, usageErrorf("--format %q: want gpkg or mbtiles", opts.Format)
	}
	if len(opts.CHWs) > 0 {
		opts.Format = TilesMBTiles
	}
	if opts.MaxTiles <= 0 {
		opts.MaxTiles = DefaultMaxTiles
	}
	ms, err := d.scene(opts.DEM, sceneAll)
	if err != nil {
		return nil, err
	}
	if ms.Bound.Min[0] > ms.Bound.Max[0] {
		return nil, fmt.Errorf("%s holds nothing to map: ingest households, CHWs or facilities, or a study area, first", d.Path)
	}
	ms.Scene.Prepare()
	r := tiles.NewRenderer(ms.Scene, tiles.DefaultStyle(), tiles.AllLayers)
	res := &TilesResult{Missing: ms.Missing}

	type job struct {
		chw   string
		area  orb.Geometry
		bound orb.Bound
		path  string
	}
	var jobs []job
	if len(opts.CHWs) == 0 {
		var area orb.Geometry = ms.Bound
		if len(ms.Scene.StudyArea) > 0 {
			area = ms.Scene.StudyArea
		}
		path := opts.Out
		if opts.Format == TilesMBTiles && path == "" {
			path = strings.TrimSuffix(d.Path, filepath.Ext(d.Path)) + ".mbtiles"
		}
		jobs = append(jobs, job{area: area, bound: ms.Bound, path: path})
	} else {
		dir := opts.Out
		if dir == "" {
			dir = filepath.Dir(d.Path)
		}
		areas := catchmentAreas(ms.Scene)
		ids := opts.CHWs
		if slices.Contains(ids, "all") {
			ids = nil
			for id := range areas {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			if len(ids) == 0 {
				return nil, fmt.Errorf("--chw all: %s has no catchments (run lastmile assign first)", d.Path)
			}
		}
		for _, id := range ids {
			a, ok := areas[id]
			if !ok {
				return nil, usageErrorf("--chw %s: no such CHW with a catchment or assigned households in %s", id, d.Path)
			}
			jobs = append(jobs, job{chw: id, area: a, bound: a.Bound(), path: filepath.Join(dir, safeFileName(id)+".mbtiles")})
		}
	}

	// Zoom levels and the refusal of huge ranges come first, from the
	// bounding boxes, before anything is drawn.
	union := jobs[0].bound
	for _, j := range jobs[1:] {
		union = union.Union(j.bound)
	}
	minZ, maxZ := opts.MinZoom, opts.MaxZoom
	if maxZ == 0 {
		maxZ = 16
	}
	if minZ == 0 {
		minZ = min(maxZ, fitZoom(union))
	}
	if minZ < 0 || maxZ > 22 || minZ > maxZ {
		return nil, usageErrorf("zoom levels %d..%d: want 0 ≤ --min-zoom ≤ --max-zoom ≤ 22", minZ, maxZ)
	}
	res.MinZoom, res.MaxZoom = minZ, maxZ
	count := 0
	for _, j := range jobs {
		count += boxTiles(j.bound, minZ, maxZ)
	}
	if count > opts.MaxTiles {
		hint := ""
		for z := maxZ - 1; z >= minZ; z-- {
			n := 0
			for _, j := range jobs {
				n += boxTiles(j.bound, minZ, z)
			}
			if n <= opts.MaxTiles {
				hint = fmt.Sprintf(": try --max-zoom %d (about %d tiles), or raise --max-tiles", z, n)
				break
			}
		}
		if hint == "" {
			hint = ": raise --min-zoom, or --max-tiles"
		}
		return nil, usageError{fmt.Errorf("%w: zoom %d..%d over %s would make about %d tiles, more than %d%s", ErrTooManyTiles, minZ, maxZ, d.Path, count, opts.MaxTiles, hint)}
	}
	total := 0
	keysOf := make([][]gpkg.TileKey, len(jobs))
	for i, j := range jobs {
		keys, err := coverKeys(j.area, minZ, maxZ)
		if err != nil {
			return nil, err
		}
		keysOf[i] = keys
		total += len(keys)
	}
	p := &tileProgress{total: total, fn: opts.Progress}
	var borrow func(gpkg.TileKey, string) ([]byte, error)
	if opts.Format == TilesMBTiles {
		// Tiles the GeoPackage's pyramid already holds with the same
		// content hash are copied, not drawn again.
		db, err := gpkg.Open(d.Path)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		stored, err := district.ReadTileHashes(db)
		if err != nil {
			return nil, err
		}
		borrow = func(k gpkg.TileKey, h string) ([]byte, error) {
			if stored[k] != h {
				return nil, nil
			}
			b, _, err := db.Tile(MapTilesTable, k)
			return b, err
		}
	}
	for i, j := range jobs {
		var f TilesFile
		var err error
		if opts.Format == TilesGPKG {
			f, err = d.gpkgTiles(ctx, r, keysOf[i], j.bound, minZ, maxZ, opts, res, p)
		} else {
			f, err = mbTiles(ctx, r, keysOf[i], j.path, j.chw, j.bound, minZ, maxZ, opts, res, p, borrow)
		}
		if err != nil {
			return nil, d.explain(ctx, err)
		}
		res.Files = append(res.Files, f)
		res.Tiles += f.Tiles
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

type tileProgress struct {
	done, total int
	fn          func(done, total int)
}

func (p *tileProgress) add(n int) {
	p.done += n
	if p.fn != nil {
		p.fn(p.done, p.total)
	}
}

// fitZoom is the highest zoom at which b fits in one tile (at least 0).
func fitZoom(b orb.Bound) int {
	w := math.Max(b.Max[0]-b.Min[0], 1e-9)
	return max(0, min(22, int(math.Floor(math.Log2(360/w)))))
}

// boxTiles counts the tiles of b's bounding box over the zoom range.
func boxTiles(b orb.Bound, minZ, maxZ int) int {
	n := 0
	for z := minZ; z <= maxZ; z++ {
		a, c := maptile.At(orb.Point{b.Min[0], b.Max[1]}, maptile.Zoom(z)), maptile.At(orb.Point{b.Max[0], b.Min[1]}, maptile.Zoom(z))
		n += int(c.X-a.X+1) * int(c.Y-a.Y+1)
	}
	return n
}

// coverKeys lists the tiles covering area at every zoom, sorted.
func coverKeys(area orb.Geometry, minZ, maxZ int) ([]gpkg.TileKey, error) {
	var keys []gpkg.TileKey
	for z := minZ; z <= maxZ; z++ {
		var set maptile.Set
		if b, ok := area.(orb.Bound); ok {
			set = tilecover.Bound(b, maptile.Zoom(z))
		} else {
			s, err := tilecover.Geometry(area, maptile.Zoom(z))
			if err != nil {
				return nil, fmt.Errorf("tiles covering the area at zoom %d: %w", z, err)
			}
			set = s
		}
		for t := range set {
			keys = append(keys, gpkg.TileKey{Z: int(t.Z), X: int(t.X), Y: int(t.Y)})
		}
	}
	slices.SortFunc(keys, func(a, b gpkg.TileKey) int {
		if a.Z != b.Z {
			return a.Z - b.Z
		}
		if a.X != b.X {
			return a.X - b.X
		}
		return a.Y - b.Y
	})
	return keys, nil
}

// catchmentAreas is each CHW's area: the catchment, else the hull box of
// their assigned households.
func catchmentAreas(s *tiles.Scene) map[string]orb.Geometry {
	out := map[string]orb.Geometry{}
	for _, c := range s.Catchments {
		out[c.CHW] = c.Area
	}
	boxes := map[string]orb.Bound{}
	for _, h := range s.Households {
		if h.CHW == "" {
			continue
		}
		if _, ok := out[h.CHW]; ok {
			continue
		}
		if b, ok := boxes[h.CHW]; ok {
			boxes[h.CHW] = b.Extend(h.Point)
		} else {
			boxes[h.CHW] = h.Point.Bound()
		}
	}
	for id, b := range boxes {
		out[id] = b.Pad(0.002)
	}
	return out
}

// safeFileName keeps letters, digits, dot, dash and underscore.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// tileBatch is how many tiles are drawn in parallel before they are
// written in key order: bounds memory (a batch of PNGs) and keeps the
// output deterministic.
const tileBatch = 256

// renderTiles draws the keys whose hash differs from old (all with force)
// and hands each tile to put in key order; it returns every key's hash.
//
// borrow, when set, returns an already drawn tile of that key and hash.
func renderTiles(ctx context.Context, r *tiles.Renderer, keys []gpkg.TileKey, old map[gpkg.TileKey]string, opts TilesOptions,
	res *TilesResult, p *tileProgress, borrow func(k gpkg.TileKey, hash string) ([]byte, error),
	put func(k gpkg.TileKey, png []byte, hash string) error) (map[gpkg.TileKey]string, error) {
	hashes := make([]string, len(keys))
	if err := parallel.For(ctx, opts.Workers, len(keys), func(i int) {
		k := keys[i]
		hashes[i] = strconv.FormatUint(r.TileHash(maptile.New(uint32(k.X), uint32(k.Y), maptile.Zoom(k.Z))), 16)
	}); err != nil {
		return nil, err
	}
	var todo []int
	for i, k := range keys {
		if h, ok := old[k]; ok && h == hashes[i] && !opts.Force {
			res.Reused++
			continue
		}
		if borrow != nil && !opts.Force {
			b, err := borrow(k, hashes[i])
			if err != nil {
				return nil, err
			}
			if b != nil {
				if err := put(k, b, hashes[i]); err != nil {
					return nil, err
				}
				res.Copied++
				continue
			}
		}
		todo = append(todo, i)
	}
	p.add(len(keys) - len(todo))
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	for b := 0; b < len(todo); b += tileBatch {
		batch := todo[b:min(b+tileBatch, len(todo))]
		out := make([][]byte, len(batch))
		errs := make([]error, len(batch))
		if err := parallel.For(ctx, opts.Workers, len(batch), func(i int) {
			k := keys[batch[i]]
			img := image.NewRGBA(image.Rect(0, 0, tiles.TileSize, tiles.TileSize))
			r.DrawTile(tiles.NewImageCanvas(img), maptile.New(uint32(k.X), uint32(k.Y), maptile.Zoom(k.Z)))
			var buf bytes.Buffer
			errs[i] = enc.Encode(&buf, img)
			out[i] = buf.Bytes()
		}); err != nil {
			return nil, err
		}
		for i, idx := range batch {
			if errs[i] != nil {
				return nil, errs[i]
			}
			if err := put(keys[idx], out[i], hashes[idx]); err != nil {
				return nil, err
			}
			res.Rendered++
			res.Bytes += int64(len(out[i]))
		}
		p.add(len(batch))
	}
	m := make(map[gpkg.TileKey]string, len(keys))
	for i, k := range keys {
		m[k] = hashes[i]
	}
	return m, nil
}

// MapTilesTable is the GeoPackage table of the district's tile pyramid.
var MapTilesTable = district.MapTiles.Name

func (d *District) gpkgTiles(ctx context.Context, r *tiles.Renderer, keys []gpkg.TileKey, bound orb.Bound, minZ, maxZ int,
	opts TilesOptions, res *TilesResult, p *tileProgress) (TilesFile, error) {
	f := TilesFile{Path: d.Path, Format: TilesGPKG, Table: MapTilesTable, Tiles: len(keys)}
	err := d.update(ctx, func(tx *gpkg.Tx) error {
		old, err := district.ReadTileHashes(tx)
		if err != nil {
			return err
		}
		if has, err := tx.HasTable(MapTilesTable); err != nil {
			return err
		} else if !has {
			old = map[gpkg.TileKey]string{}
		}
		if err := tx.CreateTilePyramid(gpkg.TilePyramid{Name: MapTilesTable, Description: district.MapTiles.Description,
			MinZoom: minZ, MaxZoom: maxZ, Bound: bound}); err != nil {
			return err
		}
		keep := make(map[gpkg.TileKey]bool, len(keys))
		for _, k := range keys {
			keep[k] = true
		}
		for k := range old {
			if !keep[k] {
				if err := tx.DeleteTile(MapTilesTable, k); err != nil {
					return err
				}
				res.Removed++
			}
		}
		hashes, err := renderTiles(ctx, r, keys, old, opts, res, p, nil, func(k gpkg.TileKey, png []byte, _ string) error {
			return tx.PutTile(MapTilesTable, k, png)
		})
		if err != nil {
			return err
		}
		if err := district.WriteTileHashes(tx, keys, hashes); err != nil {
			return err
		}
		return writeLayerStyles(tx, r)
	})
	if err != nil {
		return f, err
	}
	f.Bytes = fileBytes(d.Path)
	return f, nil
}

func mbTiles(ctx context.Context, r *tiles.Renderer, keys []gpkg.TileKey, path, chw string, bound orb.Bound, minZ, maxZ int,
	opts TilesOptions, res *TilesResult, p *tileProgress, borrow func(gpkg.TileKey, string) ([]byte, error)) (TilesFile, error) {
	f := TilesFile{Path: path, Format: TilesMBTiles, CHW: chw, Tiles: len(keys)}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	desc := "lastmile district map"
	if chw != "" {
		name, desc = "CHW "+chw, "lastmile map of CHW "+chw+"'s catchment"
	}
	c := bound.Center()
	err := mbtiles.Update(ctx, path, func(tx *mbtiles.Tx) error {
		stored, err := tx.Hashes()
		if err != nil {
			return err
		}
		old := make(map[gpkg.TileKey]string, len(stored))
		for k, h := range stored {
			old[gpkg.TileKey(k)] = h
		}
		keep := make(map[gpkg.TileKey]bool, len(keys))
		for _, k := range keys {
			keep[k] = true
		}
		for k := range old {
			if !keep[k] {
				if err := tx.Delete(mbtiles.Key(k)); err != nil {
					return err
				}
				res.Removed++
			}
		}
		if err := tx.SetMetadata(mbtiles.Metadata{
			Name: name, Format: "png", Description: desc, Type: "baselayer", Version: "1.3",
			Attribution: "© OpenStreetMap contributors; lastmile",
			Bounds:      [4]float64{bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]},
			Center:      [3]float64{c[0], c[1], float64(min(maxZ, max(minZ, 14)))},
			MinZoom:     minZ, MaxZoom: maxZ,
		}); err != nil {
			return err
		}
		_, err = renderTiles(ctx, r, keys, old, opts, res, p, borrow, func(k gpkg.TileKey, png []byte, h string) error {
			return tx.Put(mbtiles.Key(k), png, h)
		})
		return err
	})
	if err != nil {
		return f, err
	}
	f.Bytes = fileBytes(path)
	return f, nil
}

func fileBytes(p string) int64 {
	if st, err := os.Stat(p); err == nil {
		return st.Size()
	}
	return 0
}
