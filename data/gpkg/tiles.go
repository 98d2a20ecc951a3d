package gpkg

import (
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math"

	"github.com/paulmach/orb"
)

// SRSWebMercator is the srs_id of EPSG:3857 (WGS 84 / Pseudo-Mercator),
// the system of tile pyramids (XYZ tiles).
const SRSWebMercator = 3857

// webMercatorHalf is half the width of Web Mercator's square world in
// metres (π × 6378137).
const webMercatorHalf = 20037508.342789244

// wgs84PseudoMercatorWKT is EPSG:3857's definition (OGC WKT 1, as GDAL
// writes it into GeoPackages).
const wgs84PseudoMercatorWKT = `PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]`

// Tile pyramid tables (spec clauses 2.2.6, 2.2.7, 2.2.8), verbatim apart
// from layout.
const (
	tileMatrixSetSchema = `CREATE TABLE IF NOT EXISTS gpkg_tile_matrix_set (
  table_name TEXT NOT NULL PRIMARY KEY,
  srs_id INTEGER NOT NULL,
  min_x DOUBLE NOT NULL,
  min_y DOUBLE NOT NULL,
  max_x DOUBLE NOT NULL,
  max_y DOUBLE NOT NULL,
  CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
)`
	tileMatrixSchema = `CREATE TABLE IF NOT EXISTS gpkg_tile_matrix (
  table_name TEXT NOT NULL,
  zoom_level INTEGER NOT NULL,
  matrix_width INTEGER NOT NULL,
  matrix_height INTEGER NOT NULL,
  tile_width INTEGER NOT NULL,
  tile_height INTEGER NOT NULL,
  pixel_x_size DOUBLE NOT NULL,
  pixel_y_size DOUBLE NOT NULL,
  CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level),
  CONSTRAINT fk_tmm_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name)
)`
)

// TilePyramid declares a tile pyramid: 256 × 256 PNG tiles on the Web
// Mercator grid of XYZ tiles (GoogleMapsCompatible: the tile matrix set
// is the whole world, zoom z has 2^z × 2^z tiles, row 0 at the north, so
// GeoPackage's tile_column and tile_row are XYZ's x and y).
type TilePyramid struct {
	Name        string
	Description string
	// MinZoom and MaxZoom bound the zoom levels (0–24).
	MinZoom, MaxZoom int
	// Bound is the lon/lat extent of the tiles' content, recorded in
	// gpkg_contents (in EPSG:3857 metres).
	Bound orb.Bound
}

// TileSize is the width and height in pixels of the tiles a TilePyramid
// holds.
const TileSize = 256

// TileKey is a tile's place: zoom level, column (x) and row (y, 0 at the
// north).
type TileKey struct{ Z, X, Y int }

// CreateTilePyramid creates the pyramid's tile table, or keeps it and its
// tiles when it exists, and (re)writes its gpkg_contents,
// gpkg_tile_matrix_set and gpkg_tile_matrix rows for MinZoom..MaxZoom.
// Tiles outside that range are deleted. It registers EPSG:3857 in
// gpkg_spatial_ref_sys when needed.
func (tx *Tx) CreateTilePyramid(p TilePyramid) error {
	if err := checkTableName(p.Name); err != nil {
		return err
	}
	if p.MinZoom < 0 || p.MaxZoom > 24 || p.MinZoom > p.MaxZoom {
		return fmt.Errorf("gpkg: tile pyramid %s: zoom levels %d..%d, want 0 ≤ min ≤ max ≤ 24", p.Name, p.MinZoom, p.MaxZoom)
	}
	var dataType string
	err := tx.tx.QueryRowContext(tx.ctx, "SELECT data_type FROM gpkg_contents WHERE lower(table_name) = lower(?)", p.Name).Scan(&dataType)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.DropLayer(p.Name); err != nil { // a stray table of that name
			return err
		}
	case err != nil:
		return fmt.Errorf("gpkg: %s: %w", tx.file, err)
	case dataType != "tiles":
		return fmt.Errorf("gpkg: %s: %s is a %s table, not a tile pyramid", tx.file, p.Name, dataType)
	}
	x0, y0 := mercator(p.Bound.Min)
	x1, y1 := mercator(p.Bound.Max)
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT OR IGNORE INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
VALUES ('WGS 84 / Pseudo-Mercator', 3857, 'EPSG', 3857, ?, 'Web Mercator, the system of XYZ map tiles')`, []any{wgs84PseudoMercatorWKT}},
		{tileMatrixSetSchema, nil},
		{tileMatrixSchema, nil},
		{"CREATE TABLE IF NOT EXISTS " + quoteID(p.Name) + ` (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  zoom_level INTEGER NOT NULL,
  tile_column INTEGER NOT NULL,
  tile_row INTEGER NOT NULL,
  tile_data BLOB NOT NULL,
  UNIQUE (zoom_level, tile_column, tile_row))`, nil},
		{`INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
VALUES (?, 'tiles', ?, ?, ?, ?, ?, ?, ?, ?)`, []any{p.Name, p.Name, p.Description, tx.lastChange(), x0, y0, x1, y1, SRSWebMercator}},
		{`INSERT OR REPLACE INTO gpkg_tile_matrix_set (table_name, srs_id, min_x, min_y, max_x, max_y) VALUES (?, ?, ?, ?, ?, ?)`,
			[]any{p.Name, SRSWebMercator, -webMercatorHalf, -webMercatorHalf, webMercatorHalf, webMercatorHalf}},
		{"DELETE FROM gpkg_tile_matrix WHERE table_name = ?", []any{p.Name}},
		{"DELETE FROM " + quoteID(p.Name) + " WHERE zoom_level NOT BETWEEN ? AND ?", []any{p.MinZoom, p.MaxZoom}},
	}
	for _, s := range stmts {
		if err := tx.exec(s.q, s.args...); err != nil {
			return err
		}
	}
	for z := p.MinZoom; z <= p.MaxZoom; z++ {
		n := 1 << z
		px := 2 * webMercatorHalf / float64(n*TileSize)
		if err := tx.exec(`INSERT INTO gpkg_tile_matrix (table_name, zoom_level, matrix_width, matrix_height, tile_width, tile_height, pixel_x_size, pixel_y_size)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Name, z, n, n, TileSize, TileSize, px, px); err != nil {
			return err
		}
	}
	return nil
}

// mercator returns p's EPSG:3857 coordinates in metres.
func mercator(p orb.Point) (x, y float64) {
	lat := math.Max(-85.0511287798066, math.Min(85.0511287798066, p[1]))
	x = p[0] * webMercatorHalf / 180
	y = math.Log(math.Tan((90+lat)*math.Pi/360)) * webMercatorHalf / math.Pi
	return x, y
}

// PutTile stores (or replaces) one tile's image data in a pyramid made by
// CreateTilePyramid.
func (tx *Tx) PutTile(pyramid string, k TileKey, data []byte) error {
	return tx.exec("INSERT OR REPLACE INTO "+quoteID(pyramid)+" (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)",
		k.Z, k.X, k.Y, data)
}

// DeleteTile removes one tile; it is not an error if there is none.
func (tx *Tx) DeleteTile(pyramid string, k TileKey) error {
	return tx.exec("DELETE FROM "+quoteID(pyramid)+" WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?", k.Z, k.X, k.Y)
}

// Tile returns one tile's image data, and ok=false when the pyramid has no
// such tile (or there is no such pyramid).
func (r *reader) Tile(pyramid string, k TileKey) (data []byte, ok bool, err error) {
	err = r.q.QueryRowContext(r.ctx, "SELECT tile_data FROM "+quoteID(pyramid)+" WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
		k.Z, k.X, k.Y).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		if has, herr := r.HasTable(pyramid); herr == nil && !has {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("gpkg: %s: tile pyramid %s: %w", r.file, pyramid, err)
	}
	return data, true, nil
}

// TileKeys streams the keys of a pyramid's tiles with their sizes in
// bytes, by zoom, column and row. A missing pyramid yields nothing.
func (r *reader) TileKeys(pyramid string) iter.Seq2[TileKey, error] {
	return func(yield func(TileKey, error) bool) {
		if has, err := r.HasTable(pyramid); err != nil || !has {
			if err != nil {
				yield(TileKey{}, err)
			}
			return
		}
		rows, err := r.q.QueryContext(r.ctx, "SELECT zoom_level, tile_column, tile_row FROM "+quoteID(pyramid)+" ORDER BY zoom_level, tile_column, tile_row")
		if err != nil {
			yield(TileKey{}, fmt.Errorf("gpkg: %s: tile pyramid %s: %w", r.file, pyramid, err))
			return
		}
		defer rows.Close()
		for rows.Next() {
			var k TileKey
			if err := rows.Scan(&k.Z, &k.X, &k.Y); err != nil {
				yield(TileKey{}, fmt.Errorf("gpkg: %s: tile pyramid %s: %w", r.file, pyramid, err))
				return
			}
			if !yield(k, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(TileKey{}, fmt.Errorf("gpkg: %s: tile pyramid %s: %w", r.file, pyramid, err))
		}
	}
}
