#!/usr/bin/env bash
# Cross-check lastmile's walking times against pgRouting, and time both.
#
# usage: bench/pgrouting.sh [WORKDIR]
#
# Starts a throwaway PostgreSQL 15 with pgRouting (package
# postgresql-15-pgrouting; installed with apt-get when missing and run as
# the postgres user, with its data directory and socket in WORKDIR), then
# for each dataset — the demo district (`lastmile demo`) and Andorra
# (../shared/data/andorra) — it:
#   1. builds the walking graph with lastmile into a GeoPackage,
#   2. exports the paths layer as edges (cost = minutes_forward,
#      reverse_cost = minutes_backward) and picks 1,000 random node pairs and
#      500 random nodes (bench/pgrouting/export.py, seed 42),
#   3. runs pgr_dijkstra on the pairs and pgr_dijkstraCostMatrix on the 500
#      nodes, and `lastmile matrix` on the same points (node coordinates, so
#      every point snaps onto its node with no off-path leg),
#   4. compares minutes (|Δ| <= 0.01 min, same reachability) and prints the
#      timings. Exit status 1 when any comparison fails.
# The outcome is summarised in bench/results/graph.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${1:-$(mktemp -d /tmp/lastmile-pgrouting-XXXXXX)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
pgbin=/usr/lib/postgresql/15/bin
port=54329

if [ ! -x "$pgbin/pg_ctl" ] || [ ! -f /usr/share/postgresql/15/extension/pgrouting.control ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-15 postgresql-15-pgrouting >/dev/null
fi

# Run PostgreSQL as the postgres user when we are root (initdb refuses root).
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pgdata="$work/pgdata"
if [ ! -d "$pgdata" ]; then
  mkdir -p "$pgdata"
  [ "$(id -u)" -eq 0 ] && chown postgres "$work" "$pgdata"
  as_pg "$pgbin/initdb" -D "$pgdata" -A trust -U postgres >/dev/null
fi
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
as_pg "$pgbin/pg_ctl" -D "$pgdata" -l "$work/pg.log" -w \
  -o "-p $port -k $work -c listen_addresses='' -c shared_buffers=256MB -c work_mem=256MB" start >/dev/null
trap 'as_pg "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true' EXIT
psql_() { PGOPTIONS="-c client_min_messages=warning" as_pg psql -X -q -h "$work" -p "$port" -U postgres -v ON_ERROR_STOP=1 "$@"; }
psql_ -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
psql_ -d bench -c "CREATE EXTENSION pgrouting CASCADE"
version=$(psql_ -d bench -At -c "SELECT pgr_version()")

go build -o "$work/lastmile" ./cmd/lastmile
lm="$work/lastmile"
shared=${LASTMILE_SHARED_DATA:-$repo/../shared/data}

# now_s prints the wall clock in seconds with milliseconds.
now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.3f", b - a }'; }

status=0
run_dataset() {
  local name=$1 gp=$2
  local d="$work/$name"
  mkdir -p "$d"
  [ "$(id -u)" -eq 0 ] && chown postgres "$d"
  python3 "$repo/bench/pgrouting/export.py" "$gp" "$d"
  chmod a+r "$d"/*.csv
  local edges
  edges=$(($(wc -l <"$d/edges.csv") - 1))

  psql_ -d bench <<SQL
DROP TABLE IF EXISTS edges, pairs, vids;
CREATE TABLE edges (id bigint PRIMARY KEY, source bigint, target bigint, cost float8, reverse_cost float8);
\copy edges FROM '$d/edges.csv' CSV HEADER
CREATE TABLE pairs (pid int, source bigint, target bigint);
\copy pairs FROM '$d/pairs.csv' CSV HEADER
CREATE TABLE vids (id bigint, lon float8, lat float8);
\copy vids FROM '$d/vids.csv' CSV HEADER
ANALYZE;
SQL

  # pgRouting: 1,000 pairs in one pgr_dijkstra call (combinations), then
  # the 500-node cost matrix. Timed from psql, output written to CSV.
  local t0 pgr_pairs_s pgr_matrix_s lm_pairs_s lm_matrix_s
  t0=$(now_s)
  psql_ -d bench -c "\copy (SELECT p.pid, r.agg_cost FROM pgr_dijkstra('SELECT id, source, target, cost, reverse_cost FROM edges', 'SELECT source, target FROM pairs', true) r JOIN pairs p ON p.source = r.start_vid AND p.target = r.end_vid WHERE r.edge = -1) TO '$d/pgr_pairs.csv' CSV"
  pgr_pairs_s=$(elapsed "$t0")
  t0=$(now_s)
  psql_ -d bench -c "\copy (SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCostMatrix('SELECT id, source, target, cost, reverse_cost FROM edges', (SELECT array_agg(id) FROM vids), true)) TO '$d/pgr_matrix.csv' CSV"
  pgr_matrix_s=$(elapsed "$t0")

  # lastmile: the same pairs (a 1,000 × 1,000 matrix, of which the diagonal
  # is compared) and the same 500 × 500 nodes. Times include loading the
  # stored graph and snapping.
  t0=$(now_s)
  "$lm" matrix --gpkg "$gp" --from "$d/pair_from.csv" --to "$d/pair_to.csv" --no-km --out "$d/lastmile_pairs.csv" 2>"$d/lastmile_pairs.err"
  lm_pairs_s=$(elapsed "$t0")
  t0=$(now_s)
  "$lm" matrix --gpkg "$gp" --from "$d/vids.csv" --to "$d/vids.csv" --no-km --out "$d/lastmile_matrix.csv" 2>"$d/lastmile_matrix.err"
  lm_matrix_s=$(elapsed "$t0")

  echo "## $name ($edges edges; pgRouting $version)"
  python3 "$repo/bench/pgrouting/compare.py" pairs "$d" || status=1
  python3 "$repo/bench/pgrouting/compare.py" matrix "$d" || status=1
  echo "timing: pgr_dijkstra 1,000 pairs ${pgr_pairs_s} s; lastmile matrix 1,000 × 1,000 (load + snap + CH) ${lm_pairs_s} s"
  echo "timing: pgr_dijkstraCostMatrix 500 nodes ${pgr_matrix_s} s; lastmile matrix 500 × 500 (load + snap + CH) ${lm_matrix_s} s"
  echo
}

# The graphs are built with fragment_max_nodes 0: by default a point whose
# nearest path is a small fragment may also walk off-path to the main
# network, which pgRouting (graph only) cannot do; the check compares the
# graph itself.
profile="$work/graph-only.json"
echo '{"fragment_max_nodes": 0}' >"$profile"

# The demo district.
"$lm" demo --out "$work/demo" >"$work/demo.log" 2>&1
"$lm" graph --gpkg "$work/demo/district.gpkg" --paths "$work/demo/inputs/paths.osm" \
  --dem "$work/demo/inputs/dem" --profile "$profile" --force >>"$work/demo.log" 2>&1
run_dataset demo "$work/demo/district.gpkg"

# Andorra.
if [ -f "$shared/andorra/andorra.osm.pbf" ]; then
  "$lm" graph --gpkg "$work/andorra.gpkg" --paths "$shared/andorra/andorra.osm.pbf" \
    --dem "$shared/andorra/N42E001.hgt.zip" --profile "$profile" --force >"$work/andorra.log" 2>&1
  run_dataset andorra "$work/andorra.gpkg"
else
  echo "andorra: $shared/andorra not found: skipped"
fi
exit $status
