#!/bin/sh
# Regenerates the GeoTIFF fixtures with GDAL (gdal_translate). The values
# follow fixValue in geotiff_test.go: 20 columns × 15 rows of 0.01°, the
# north-west pixel's corner at 10° E, 5° N.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# grid FILE SCALE NODATA: writes an Esri ASCII grid of fixValue(c, r)*SCALE,
# with cells where (c+2r)%9 == 4 set to NODATA when NODATA is not empty.
grid() {
	awk -v scale="$2" -v nd="$3" 'BEGIN {
		print "ncols 20"; print "nrows 15"
		print "xllcorner 10.0"; print "yllcorner 4.85"; print "cellsize 0.01"
		if (nd != "") print "NODATA_value " nd
		for (r = 0; r < 15; r++) {
			line = ""
			for (c = 0; c < 20; c++) {
				v = (100 + 3*c + 7*r + (c*r)%5) * scale
				if (nd != "" && (c + 2*r) % 9 == 4) v = nd
				line = line (c ? " " : "") v
			}
			print line
		}
	}' >"$1"
}
grid "$tmp/int.asc" 1 ""
grid "$tmp/frac.asc" 0.25 ""
grid "$tmp/nd.asc" 1 -9999

t() { gdal_translate -q -a_srs EPSG:4326 "$@"; }
t -ot Int16 -co TILED=NO -co COMPRESS=NONE "$tmp/int.asc" int16_strip.tif
t -ot Float32 -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16 -co COMPRESS=DEFLATE "$tmp/frac.asc" float32_tiled_deflate.tif
t -ot Int16 -co COMPRESS=LZW -co PREDICTOR=2 -co BLOCKYSIZE=4 "$tmp/int.asc" int16_lzw_pred.tif
t -ot Int16 -co COMPRESS=DEFLATE "$tmp/nd.asc" int16_nodata.tif
# Little-endian only: GDAL 3.6 (libtiff 4.5) writes big-endian PREDICTOR=3 files
# that it reads back as garbage itself.
t -ot Float32 -co COMPRESS=DEFLATE -co PREDICTOR=3 -co BLOCKYSIZE=5 "$tmp/frac.asc" float32_pred3.tif
t -ot Int16 -mo AREA_OR_POINT=Point "$tmp/int.asc" int16_point.tif
t -ot UInt16 -co COMPRESS=PACKBITS "$tmp/int.asc" uint16_packbits.tif
t -ot Int32 -co ENDIANNESS=BIG -co COMPRESS=LZW -co PREDICTOR=2 -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16 "$tmp/int.asc" int32_be_lzw_tiled.tif
t -ot Float64 -co COMPRESS=DEFLATE -co PREDICTOR=2 "$tmp/frac.asc" float64_deflate_pred2.tif
t -ot Byte -co TILED=YES -co BLOCKXSIZE=16 -co BLOCKYSIZE=16 "$tmp/int.asc" uint8_tiled.tif
# Not readable: a projected CRS and another geographic CRS.
gdal_translate -q -a_srs EPSG:32631 -a_ullr 500000 600000 500200 599850 -ot Int16 "$tmp/int.asc" utm31n.tif
gdal_translate -q -a_srs EPSG:4269 -ot Int16 "$tmp/int.asc" nad83.tif
t -ot Int16 -co BIGTIFF=YES "$tmp/int.asc" bigtiff.tif
t -ot Int16 -co COMPRESS=ZSTD "$tmp/int.asc" int16_zstd.tif 
t -ot Int16 -b 1 -b 1 "$tmp/int.asc" two_bands.tif
