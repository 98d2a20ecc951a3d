#!/usr/bin/python3
"""Voronoi cells clipped to a study area with GEOS (shapely), beside lastmile.

    go run ./bench/voronoi_go -out DIR -sites 10000     # writes sites.csv, clip.wkt, cells.wkt
    /usr/bin/python3 bench/voronoi_shapely.py DIR [--repeat 5] [--compare]

Times shapely.ops.voronoi_diagram on the same sites (envelope = the clip, so
every cell reaches the area's edge), then clips each cell to the area the way
a careful GEOS user would: a prepared clip answers "cell wholly inside" and
only the other cells are intersected. Prints one JSON line like voronoi_go.

With --compare it matches GEOS's cells to their sites (the cell holding the
site) and compares them with lastmile's cells.wkt: per site the area of the
symmetric difference and the Hausdorff distance, and the largest of each.
Coordinates are local metres.
"""
import json
import statistics
import sys
import time
import warnings

from shapely import wkt
from shapely.geometry import MultiPoint, Point
from shapely.ops import voronoi_diagram
from shapely.prepared import prep
from shapely.strtree import STRtree

warnings.filterwarnings("ignore", message="STRtree will be changed")


def load(d):
    with open(f"{d}/sites.csv") as f:
        next(f)
        sites = [tuple(map(float, line.split(","))) for line in f]
    with open(f"{d}/clip.wkt") as f:
        clip = wkt.loads(f.read())
    return sites, clip


def geos_cells(sites, clip):
    diagram = voronoi_diagram(MultiPoint(sites), envelope=clip)
    pc = prep(clip)
    out = []
    for cell in diagram.geoms:
        if pc.contains(cell):
            out.append(cell)
        elif pc.intersects(cell):
            out.append(cell.intersection(clip))
        else:
            out.append(None)
    return diagram, out


def main():
    d = sys.argv[1]
    repeat = 5
    if "--repeat" in sys.argv:
        repeat = int(sys.argv[sys.argv.index("--repeat") + 1])
    sites, clip = load(d)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        diagram, cells = geos_cells(sites, clip)
        times.append(time.perf_counter() - t0)
    area = sum(c.area for c in cells if c is not None)
    res = {"engine": "GEOS (shapely %s) voronoi_diagram + prepared clip" % __import__("shapely").__version__,
           "sites": len(sites), "cells_in_clip": sum(1 for c in cells if c is not None and not c.is_empty),
           "area_km2": area / 1e6, "clip_area_km2": clip.area / 1e6,
           "runs": len(times), "min_s": min(times), "median_s": statistics.median(times)}
    if "--compare" in sys.argv:
        res.update(compare(d, sites, diagram, cells))
    print(json.dumps(res))


def compare(d, sites, diagram, cells):
    # GEOS returns the cells in its own order: give each site the cell that holds it.
    polys = list(diagram.geoms)
    tree = STRtree(polys)
    index = {id(p): i for i, p in enumerate(polys)}
    geos_of_site = {}
    for s, (x, y) in enumerate(sites):
        pt = Point(x, y)
        for p in tree.query(pt):
            if p.covers(pt):
                geos_of_site[s] = cells[index[id(p)]]
                break
    ours = {}
    invalid = 0
    with open(f"{d}/cells.wkt") as f:
        for line in f:
            i, owner, g = line.rstrip("\n").split("\t")
            if i != owner:
                continue
            g = wkt.loads(g)
            if not g.is_empty and not g.is_valid:
                invalid += 1
            ours[int(i)] = g
    worst_sym, worst_sym_site, worst_haus, worst_haus_site, total_sym = 0.0, -1, 0.0, -1, 0.0
    for s, g in ours.items():
        other = geos_of_site.get(s)
        a_empty = g.is_empty
        b_empty = other is None or other.is_empty
        if a_empty and b_empty:
            continue
        if a_empty != b_empty:
            sym = (g if b_empty else other).area
            haus = float("inf") if sym > 0 else 0.0
        else:
            sym = g.symmetric_difference(other).area
            haus = g.hausdorff_distance(other)
        total_sym += sym
        if sym > worst_sym:
            worst_sym, worst_sym_site = sym, s
        if haus > worst_haus:
            worst_haus, worst_haus_site = haus, s
    return {"compared_cells": len(ours), "lastmile_invalid_cells": invalid,
            "max_symdiff_m2": worst_sym, "max_symdiff_site": worst_sym_site,
            "sum_symdiff_m2": total_sym,
            "max_hausdorff_m": worst_haus, "max_hausdorff_site": worst_haus_site}


if __name__ == "__main__":
    main()
