#!/bin/sh
# Times `lastmile tiles` on the demo district to zoom 16 and writes the raw
# numbers to stdout for bench/results/tiles.md: a first render of every
# tile (--force), a re-run on unchanged data (every tile reused), a re-run
# after one village moved to a neighbouring CHW (assign --keep --locks: two
# catchments change), and the MBTiles export (tiles copied from the
# pyramid). Each under /usr/bin/time -v (wall, CPU, peak RSS).
#
# Usage: bench/tiles.sh [MAXZOOM]   (default 16)
set -eu
cd "$(dirname "$0")/.."
maxz=${1:-16}
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/lastmile
go build -o "$bin" ./cmd/lastmile
"$bin" demo --out "$work/demo" >/dev/null 2>&1
g=$work/demo/district.gpkg

run() {
	label=$1
	shift
	echo "== $label"
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	/usr/bin/time -v "$@" 2>"$work/time" | grep -v '^  '
	grep -E 'Elapsed|User time|System time|Maximum resident' "$work/time" | sed 's/^\t*/  /'
	ls -l "$g" | awk '{printf "  district.gpkg: %.1f MB\n", $5/1048576}'
}

run "first render, every tile (--force)" "$bin" tiles --gpkg "$g" --max-zoom "$maxz" --force
run "re-run, nothing changed" "$bin" tiles --gpkg "$g" --max-zoom "$maxz"

# Move the village of the first household to the CHW of the nearest
# household of another CHW.
/usr/bin/python3 - "$g" >"$work/locks.csv" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("""SELECT h.village, a.chw_id, r.minx, r.miny FROM households h
  JOIN assignments a USING (household_id) JOIN rtree_households_geom r ON r.id = h.fid
  WHERE h.village IS NOT NULL AND a.chw_id IS NOT NULL ORDER BY h.fid""").fetchall()
village, chw, x, y = rows[0]
other = min((r for r in rows if r[1] != chw), key=lambda r: (r[2] - x) ** 2 + (r[3] - y) ** 2)
print("village,chw_id")
print(f"{village},{other[1]}")
print(f"moving village {village} from {chw} to {other[1]}", file=sys.stderr)
PY
cat "$work/locks.csv"
snap() { /usr/bin/python3 -c 'import sqlite3,sys,hashlib; db=sqlite3.connect(sys.argv[1]); [print(r[0], hashlib.sha1(r[1]).hexdigest()) for r in db.execute("SELECT chw_id, geom FROM catchments ORDER BY chw_id")]; [print("hh", r[0], r[1]) for r in db.execute("SELECT household_id, chw_id FROM assignments ORDER BY household_id")]' "$g"; }
snap >"$work/before"
"$bin" assign --gpkg "$g" --keep --locks "$work/locks.csv" >/dev/null 2>&1
snap >"$work/after"
echo "changed by assign --keep --locks: $(diff "$work/before" "$work/after" | grep -c '^> hh') households moved, $(diff "$work/before" "$work/after" | grep '^>' | grep -vc '^> hh') catchment polygons changed"
run "re-run after one village moved to a neighbouring CHW" "$bin" tiles --gpkg "$g" --max-zoom "$maxz"
run "MBTiles export of the same pyramid" "$bin" tiles --gpkg "$g" --max-zoom "$maxz" --format mbtiles --out "$work/district.mbtiles"
ls -l "$work/district.mbtiles" | awk '{printf "  district.mbtiles: %.1f MB\n", $5/1048576}'
gdalinfo "$g" 2>/dev/null | grep -E 'ZOOM_LEVEL|Overviews:' | head -2
nproc
