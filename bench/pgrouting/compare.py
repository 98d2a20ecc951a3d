#!/usr/bin/env python3
"""Compare lastmile matrix output with pgRouting results.

usage: compare.py pairs WORKDIR      (pgr_pairs.csv vs lastmile_pairs.csv, diagonal p<i>→p<i>)
       compare.py matrix WORKDIR     (pgr_matrix.csv vs lastmile_matrix.csv, all vid pairs)

Prints one summary line; exits 1 when any pair differs by more than
TOL minutes or reachability disagrees.
"""
import csv
import sys

TOL = 0.01  # minutes


def load_lastmile(path, diagonal):
    out = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            if diagonal and r["from_id"] != r["to_id"]:
                continue
            key = r["from_id"] if diagonal else (r["from_id"], r["to_id"])
            out[key] = float(r["minutes"]) if r["minutes"] else None
    return out


def main():
    mode, work = sys.argv[1], sys.argv[2]
    diagonal = mode == "pairs"
    ours = load_lastmile(f"{work}/lastmile_{mode}.csv", diagonal)
    pgr = {}
    with open(f"{work}/pgr_{mode}.csv") as f:
        for r in csv.reader(f):
            if diagonal:
                pgr["p" + r[0]] = float(r[1])
            else:
                pgr[(r[0], r[1])] = float(r[2])
    n = worst = bad = reach_mismatch = both = 0
    worst_key = None
    for key, mine in ours.items():
        if not diagonal and key[0] == key[1]:
            continue
        n += 1
        theirs = pgr.get(key)
        if (mine is None) != (theirs is None):
            reach_mismatch += 1
            continue
        if mine is None:
            continue
        both += 1
        d = abs(mine - theirs)
        if d > worst:
            worst, worst_key = d, key
        if d > TOL:
            bad += 1
    ok = bad == 0 and reach_mismatch == 0
    print(f"{mode}: {n} pairs, {both} reachable in both, {n - both - reach_mismatch} unreachable in both, "
          f"{reach_mismatch} reachability mismatches, max |Δ| = {worst:.4f} min ({worst_key}), "
          f"{bad} over {TOL} min: {'OK' if ok else 'MISMATCH'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
