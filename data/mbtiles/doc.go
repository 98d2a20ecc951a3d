// Package mbtiles writes and reads MBTiles 1.3 files: an SQLite database of
// map tiles (a metadata table of name/value pairs and a tiles table), the
// offline map format of phone apps such as ODK Collect and OsmAnd.
//
// Tiles are Web Mercator (EPSG:3857) tiles addressed in the XYZ scheme
// (row 0 at the north) in this package's API; the file stores rows in the
// TMS scheme (row 0 at the south) as the specification requires. Metadata
// bounds and center are WGS 84 longitude/latitude degrees.
//
// Update is atomic: it works on a temporary copy beside the file and
// renames it over the file only when everything succeeded. Beside the
// specification's tables the file holds tile_hashes (one content hash per
// tile), so that a re-run can keep the tiles whose content did not change;
// readers ignore extra tables, as the specification allows.
package mbtiles
