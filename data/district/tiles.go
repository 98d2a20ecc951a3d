package district

import (
	"fmt"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

// TilesSchema is the map tile pyramid (a GeoPackage tiles table).
type TilesSchema struct {
	Layer
	Zoom, Column, Row, Data Column
}

// TileHashesSchema is the tile_hashes table: one content hash per stored
// tile, so that lastmile tiles re-renders only tiles whose content changed.
type TileHashesSchema struct {
	Layer
	Zoom, Column, Row, Hash Column
}

// LayerStylesSchema is QGIS's layer_styles table: the default style of
// each layer, read by QGIS when it opens the GeoPackage.
type LayerStylesSchema struct {
	Layer
	Catalog, Schema, Table, GeometryColumn, StyleName, QML, SLD, UseAsDefault, Description, Owner, UI, UpdateTime Column
}

// The layers lastmile tiles writes, and the layer styles every stage
// refreshes.
var (
	MapTiles = func() TilesSchema {
		s := TilesSchema{
			Zoom:   col("zoom_level", gpkg.Integer, ""),
			Column: col("tile_column", gpkg.Integer, "x"),
			Row:    col("tile_row", gpkg.Integer, "y; 0 at the north, as in XYZ"),
			Data:   col("tile_data", gpkg.Blob, "256 px PNG, Web Mercator (EPSG:3857); the tile matrix set is the whole world, as for XYZ tiles"),
		}
		s.Layer = Layer{Name: "map_tiles", Tiles: true, WrittenBy: "`tiles`",
			Description: "rendered map tiles (lastmile tiles): hillshade, paths, water, catchments, households, facilities, routes, coverage",
			Columns:     []Column{s.Zoom, s.Column, s.Row, s.Data}}
		return s
	}()

	TileHashes = func() TileHashesSchema {
		s := TileHashesSchema{
			Zoom:   col("zoom_level", gpkg.Integer, ""),
			Column: col("tile_column", gpkg.Integer, ""),
			Row:    col("tile_row", gpkg.Integer, ""),
			Hash:   col("hash", gpkg.Text, "hex digest of the style, elevation model and every feature and label the tile shows"),
		}
		s.Layer = Layer{Name: "tile_hashes", WrittenBy: "`tiles`",
			Description: "content hash of each map_tiles tile (lastmile tiles re-renders only changed tiles)",
			Columns:     []Column{s.Zoom, s.Column, s.Row, s.Hash}}
		return s
	}()

	// LayerStyles follows QGIS's own definition of the table (QGIS
	// src/core/providers/ogr/qgsogrproviderutils.cpp), so that QGIS reads
	// and can extend it.
	LayerStyles = func() LayerStylesSchema {
		s := LayerStylesSchema{
			Catalog:        col("f_table_catalog", gpkg.Text, ""),
			Schema:         col("f_table_schema", gpkg.Text, ""),
			Table:          col("f_table_name", gpkg.Text, "the styled layer"),
			GeometryColumn: col("f_geometry_column", gpkg.Text, ""),
			StyleName:      col("styleName", gpkg.Text, ""),
			QML:            col("styleQML", gpkg.Text, "QGIS style XML, colours from the tiles style"),
			SLD:            col("styleSLD", gpkg.Text, ""),
			UseAsDefault:   col("useAsDefault", gpkg.Boolean, "true: QGIS applies it when the layer is opened"),
			Description:    col("description", gpkg.Text, ""),
			Owner:          col("owner", gpkg.Text, ""),
			UI:             col("ui", gpkg.Text, ""),
			UpdateTime:     col("update_time", gpkg.DateTime, ""),
		}
		s.Layer = Layer{Name: "layer_styles", WrittenBy: "`tiles`, `demo`",
			Description: "default QGIS styles of the lastmile layers",
			Columns: []Column{s.Catalog, s.Schema, s.Table, s.GeometryColumn, s.StyleName, s.QML, s.SLD, s.UseAsDefault,
				s.Description, s.Owner, s.UI, s.UpdateTime}}
		return s
	}()
)

// ReadTileHashes returns the stored hash of every tile; an empty map when
// there is no tile_hashes table.
func ReadTileHashes(rd gpkg.Reader) (map[gpkg.TileKey]string, error) {
	out := map[gpkg.TileKey]string{}
	if ok, err := rd.HasTable(TileHashes.Name); err != nil || !ok {
		return out, err
	}
	s := &TileHashes
	for r, err := range scan(rd, &s.Layer, func(r *row) (struct {
		k gpkg.TileKey
		h string
	}, error) {
		return struct {
			k gpkg.TileKey
			h string
		}{gpkg.TileKey{Z: r.int(s.Zoom), X: r.int(s.Column), Y: r.int(s.Row)}, r.str(s.Hash)}, nil
	}) {
		if err != nil {
			return nil, err
		}
		out[r.k] = r.h
	}
	return out, nil
}

// WriteTileHashes replaces tile_hashes with hashes, in key order.
func WriteTileHashes(tx *gpkg.Tx, keys []gpkg.TileKey, hashes map[gpkg.TileKey]string) error {
	w, err := Create(tx, &TileHashes.Layer)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := w.Insert(nil, k.Z, k.X, k.Y, hashes[k]); err != nil {
			w.Abort()
			return fmt.Errorf("tile_hashes: %w", err)
		}
	}
	return w.Close()
}
