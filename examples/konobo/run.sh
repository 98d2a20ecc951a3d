#!/usr/bin/env bash
# Konobo end to end: lastmile's dry and wet walking times from every OSM place
# of the district to its nearest health facility (examples/konobo), then the
# same question to GRASS r.walk (the engine AccessMod builds on) on the same
# SRTM tiles, facilities and places, and their agreement.
#
# Needs ../shared/data beside the repository, Go, grass-core and python3.
# Usage: bash examples/konobo/run.sh [OUTDIR]     (default /tmp/konobo)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-/tmp/konobo}")
srtm=$(realpath ../shared/data/liberia/konobo)
mkdir -p "$out"
/usr/bin/time -v -o "$out/time.txt" go run ./examples/konobo -out "$out" > "$out/table.md"
grep -E "Elapsed|Maximum resident" "$out/time.txt"

# r.walk measures its distances in the location's units, so it runs in UTM
# zone 29N (metres): the four tiles are mosaicked and warped there at 90 m
# (bilinear), and the facilities and places projected.
vrt="$out/srtm.vrt"
gdalbuildvrt -q "$vrt" $(for t in N05W008 N05W009 N06W008 N06W009; do echo "/vsizip/$srtm/$t.hgt.zip/$t.hgt"; done)
gdalwarp -q -overwrite -t_srs EPSG:32629 -te_srs EPSG:4326 -te -8.21 5.43 -7.49 6.25 -tr 90 90 -r bilinear "$vrt" "$out/dem_utm29.tif"
/usr/bin/python3 - "$out" <<'PY'
import csv, json, sys
from osgeo import osr
out = sys.argv[1]
wgs, utm = osr.SpatialReference(), osr.SpatialReference()
wgs.ImportFromEPSG(4326); utm.ImportFromEPSG(32629)
wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
tr = osr.CoordinateTransformation(wgs, utm)
fc = json.load(open(f"{out}/facilities.geojson"))
with open(f"{out}/facilities_utm.csv", "w") as f:
    for i, ft in enumerate(fc["features"]):
        x, y, _ = tr.TransformPoint(*ft["geometry"]["coordinates"])
        f.write(f"{x:.1f},{y:.1f},{i + 1}\n")
with open(f"{out}/places_utm.csv", "w") as f:
    for r in csv.DictReader(open(f"{out}/places_minutes.csv")):
        x, y, _ = tr.TransformPoint(float(r["lon"]), float(r["lat"]))
        f.write(f"{x:.1f},{y:.1f}\n")
PY

grass --tmp-location EPSG:32629 --exec bash -c "
set -e
r.in.gdal input='$out/dem_utm29.tif' output=dem --quiet
g.region raster=dem
r.mapcalc 'friction = 0' --quiet
v.in.ascii input='$out/facilities_utm.csv' output=fac separator=comma x=1 y=2 cat=3 --quiet
/usr/bin/time -f 'r.walk %e s, %M KB' r.walk -k elevation=dem friction=friction start_points=fac output=cost --quiet
r.what map=cost coordinates=\$(tr '\n' ',' < '$out/places_utm.csv' | sed 's/,\$//') separator=comma > '$out/rwalk_places.csv'
# The same with every coefficient over 0.6: Naismith–Langmuir at Tobler's
# off-path factor (3 km/h on the flat, like lastmile off the paths).
r.walk -k elevation=dem friction=friction start_points=fac output=cost06 walk_coeff=1.2,10.0,3.333,-3.333 --quiet
r.what map=cost06 coordinates=\$(tr '\n' ',' < '$out/places_utm.csv' | sed 's/,\$//') separator=comma > '$out/rwalk06_places.csv'
"

for peer in rwalk rwalk06; do
echo "== lastmile dry vs r.walk ($peer)"
/usr/bin/python3 - "$out" "$peer" <<'PY'
import csv, statistics, sys
out, peer = sys.argv[1], sys.argv[2]
ours = list(csv.DictReader(open(f"{out}/places_minutes.csv")))
grass = [r for r in csv.reader(open(f"{out}/{peer}_places.csv"))]
pairs = []
for o, g in zip(ours, grass):
    try:
        gm = float(g[-1]) / 60
    except ValueError:
        continue
    if o["dry_minutes"]:
        pairs.append((float(o["dry_minutes"]), gm, o["name"]))
def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r
a, b = [p[0] for p in pairs], [p[1] for p in pairs]
ra, rb = ranks(a), ranks(b)
ma, mb = statistics.mean(ra), statistics.mean(rb)
cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
rho = cov / (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
ratios = sorted(x / y for x, y in zip(a, b) if y > 0)
print(f"places compared: {len(pairs)} of {len(ours)}")
print(f"Spearman rank correlation: {rho:.3f}")
print(f"median ratio lastmile/r.walk: {statistics.median(ratios):.2f} (quartiles {ratios[len(ratios)//4]:.2f}..{ratios[3*len(ratios)//4]:.2f}, range {ratios[0]:.2f}..{ratios[-1]:.2f})")
with open(f"{out}/compare_{peer}.csv", "w") as f:
    f.write("name,lastmile_dry_min,rwalk_min\n")
    for x, y, n in pairs:
        f.write(f"{n},{x:.1f},{y:.1f}\n")
PY
done
