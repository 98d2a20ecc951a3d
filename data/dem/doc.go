// Package dem reads digital elevation models and answers the elevation of a
// point, for the terrain-weighted walking graph.
//
// Units: elevations are metres. For SRTM .hgt tiles they are metres above
// the EGM96 geoid (SRTM's vertical datum); a GeoTIFF's values are taken as
// metres in whatever vertical datum it was made with.
//
// CRS: coordinates are WGS 84 longitude/latitude degrees (EPSG:4326) as
// orb.Point{lon, lat}. GeoTIFFs in any other CRS (projected, or another
// geographic CRS) are rejected with an error wrapping ErrUnsupported.
//
// Formats: SRTM .hgt (1″ 3601×3601 and 3″ 1201×1201, big-endian int16,
// origin from the file name), zipped as distributed (.hgt.zip), and
// single-band classic GeoTIFF, little- or big-endian (8/16/32-bit
// integers, 32/64-bit floats; stripped or tiled; uncompressed, Deflate, LZW
// or PackBits, with the horizontal or floating-point predictor). Void cells (−32768 in .hgt, GDAL_NODATA or NaN in GeoTIFF)
// are filled when a tile is read: working outwards from the valid cells,
// each void gets the inverse-distance weighted mean of its known
// 8-neighbours.
//
// Sampling rule: every value sits on its cell centre (for SRTM, on whole
// multiples of 1″ or 3″, so neighbouring tiles share their edge rows; for a
// PixelIsArea GeoTIFF, half a pixel in from the pixel's corner). Elevation
// interpolates bilinearly between the four surrounding centres. A tile
// covers its pixel footprint, the centres' hull grown by half a cell, and in
// that outer half cell the edge values are used. Outside every tile,
// Elevation returns ok=false; it never guesses.
//
// A Mosaic stitches tiles (Open reads a file or a folder of them); its
// Covers and Tiles (each with its Bound) tell where elevations exist, and
// Raster cuts a window of it on its finest tile's grid as a plain Raster
// value (for the drainage and terrain-lattice algorithms).
//
// Tiles and mosaics are immutable once built and safe for concurrent use;
// Elevation does not allocate.
package dem
