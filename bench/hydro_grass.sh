#!/usr/bin/env bash
# Compare lastmile's derived streams (routing/hydro) with GRASS r.watershed and
# r.stream.extract on Konobo's SRTM window. Needs ../shared/data, grass-core,
# python3-gdal. Usage: bash bench/hydro_grass.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
go test ./routing/hydro/ -run 'TestKonobo$' -count=1 -v -args -export "$work" | grep -E 'window|threshold'
# Same threshold as hydro.DefaultStreamKm2 (1 km²) in cells of the window's
# middle row, as the Go test prints.
cells=117
grass --tmp-location EPSG:4326 --exec bash -c "
set -e
r.in.gdal -o input='$work/konobo_dem.asc' output=dem --quiet
g.region raster=dem
/usr/bin/time -f 'r.watershed %e s' r.watershed -s elevation=dem threshold=$cells accumulation=acc stream=ws_streams --quiet
/usr/bin/time -f 'r.stream.extract %e s' r.stream.extract elevation=dem threshold=$cells stream_raster=se_streams --quiet
r.out.gdal -c input=ws_streams output='$work/konobo_streams_rwatershed.tif' format=GTiff type=Int32 --quiet
r.out.gdal -c input=se_streams output='$work/konobo_streams_rstreamextract.tif' format=GTiff type=Int32 --quiet
"
/usr/bin/python3 - "$work" <<'PY'
import sys
import numpy as np
from osgeo import gdal
work = sys.argv[1]
def mask(name):
    a = gdal.Open(f"{work}/{name}").ReadAsArray()
    return (a > 0) & (a != -9999) if a.dtype.kind == 'f' else a > 0
def grow(m):  # the 3×3 neighbourhood: within one cell
    g = m.copy()
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            g |= np.roll(np.roll(m, dr, 0), dc, 1)
    return g
ours = mask("konobo_streams_lastmile.asc")
print(f"lastmile: {ours.sum()} stream cells")
for peer in ("rwatershed", "rstreamextract"):
    theirs = np.nan_to_num(gdal.Open(f"{work}/konobo_streams_{peer}.tif").ReadAsArray(), nan=0)
    theirs = theirs > 0
    both = (ours & theirs).sum()
    near = (ours & grow(theirs)).sum() / ours.sum()
    back = (theirs & grow(ours)).sum() / theirs.sum()
    print(f"{peer}: {theirs.sum()} stream cells; same cell {both / ours.sum():.1%} of ours; "
          f"ours within 1 cell of theirs {near:.1%}; theirs within 1 cell of ours {back:.1%}")
PY
