#!/usr/bin/env python3
"""Export a lastmile walking graph for pgRouting and pick query points.

usage: export.py GPKG OUTDIR [--pairs 1000] [--matrix 500] [--seed 42]

Reads the `paths` layer of GPKG (written by `lastmile graph`) with sqlite3
and writes into OUTDIR:
  edges.csv      id,source,target,cost,reverse_cost (minutes, as stored)
  pairs.csv      pid,source,target: random node pairs (source != target)
  pair_from.csv  id,lon,lat of each pair's source node (id = p<pid>)
  pair_to.csv    id,lon,lat of each pair's target node (id = p<pid>)
  vids.csv       id,lon,lat of --matrix random nodes (id = node id)
Node coordinates come from the edges' first and last vertices, printed with
full precision, so `lastmile matrix` snaps them exactly onto the node.
"""
import argparse
import random
import sqlite3
import struct
import sys


def line_ends(blob):
    """First and last point of a GeoPackage LineString blob."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    flags = blob[3]
    env = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 7]
    wkb = blob[8 + env:]
    bo = "<" if wkb[0] == 1 else ">"
    typ, n = struct.unpack(bo + "II", wkb[1:9])
    dims = 2
    if typ in (1002, 2002):
        dims = 3
    elif typ == 3002:
        dims = 4
    first = struct.unpack(bo + "dd", wkb[9:25])
    off = 9 + (n - 1) * 8 * dims
    last = struct.unpack(bo + "dd", wkb[off:off + 16])
    return first, last


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpkg")
    ap.add_argument("outdir")
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--matrix", type=int, default=500)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    db = sqlite3.connect(a.gpkg)
    nodes = {}
    with open(f"{a.outdir}/edges.csv", "w") as f:
        f.write("id,source,target,cost,reverse_cost\n")
        for fid, geom, s, t, fw, bw in db.execute(
                "SELECT fid, geom, from_node, to_node, minutes_forward, minutes_backward FROM paths ORDER BY fid"):
            first, last = line_ends(geom)
            nodes.setdefault(s, first)
            nodes.setdefault(t, last)
            f.write(f"{fid},{s},{t},{fw!r},{bw!r}\n")
    ids = sorted(nodes)
    rnd = random.Random(a.seed)
    pairs = []
    while len(pairs) < a.pairs:
        s, t = rnd.choice(ids), rnd.choice(ids)
        if s != t:
            pairs.append((s, t))
    with open(f"{a.outdir}/pairs.csv", "w") as f, \
            open(f"{a.outdir}/pair_from.csv", "w") as ff, \
            open(f"{a.outdir}/pair_to.csv", "w") as ft:
        f.write("pid,source,target\n")
        ff.write("id,lon,lat\n")
        ft.write("id,lon,lat\n")
        for i, (s, t) in enumerate(pairs):
            f.write(f"{i},{s},{t}\n")
            ff.write(f"p{i},{nodes[s][0]!r},{nodes[s][1]!r}\n")
            ft.write(f"p{i},{nodes[t][0]!r},{nodes[t][1]!r}\n")
    vids = rnd.sample(ids, min(a.matrix, len(ids)))
    with open(f"{a.outdir}/vids.csv", "w") as f:
        f.write("id,lon,lat\n")
        for v in vids:
            f.write(f"{v},{nodes[v][0]!r},{nodes[v][1]!r}\n")
    print(f"{len(ids)} nodes, {len(pairs)} pairs, {len(vids)} matrix nodes", file=sys.stderr)


if __name__ == "__main__":
    main()
