#!/usr/bin/python3
"""Cross-check catchment.Balance against PuLP + CBC (not part of CI).

Usage (Debian: apt-get install python3-pulp coinor-cbc):
    go test ./catchment -run TestWriteCBCInstance -cbc-out /tmp/cbc.json [-cbc-villages]
    /usr/bin/python3 bench/catchment_cbc.py /tmp/cbc.json

The instance file holds units (households, lock, current shares), CHWs
(min, max), candidate arcs (walk seconds), the walk limit, and the tier
totals Balance found. This script solves the same problem as a linear
program, one tier at a time (minimise a tier, then bound it by its optimum
and go on), and compares. The constraint matrix is a network matrix, so the
LP optimum of each tier equals the integer one.
"""
import json
import shutil
import sys
import time

import pulp


def main(path):
    inst = json.load(open(path))
    units, chws, arcs = inst["Units"], inst["CHWs"], inst["Arcs"]
    max_walk = inst["MaxWalk"]
    chw_index = {c["ID"]: j for j, c in enumerate(chws)}
    prob = pulp.LpProblem("balance", pulp.LpMinimize)

    by_unit = {}
    for a in arcs:
        key = (a["Unit"], a["CHW"])
        if key not in by_unit or a["Walk"] < by_unit[key]:
            by_unit[key] = a["Walk"]
    x, walk, over = {}, {}, {}
    for (u, c), w in sorted(by_unit.items()):
        lock = units[u].get("Lock") or ""
        if lock and chw_index[lock] != c:
            continue
        x[u, c] = pulp.LpVariable(f"x_{u}_{c}", lowBound=0)
        walk[u, c] = w
        over[u, c] = max_walk > 0 and w > max_walk
    y = {}
    for u, unit in enumerate(units):
        lock = unit.get("Lock") or ""
        if lock and (u, chw_index[lock]) not in x:
            c = chw_index[lock]  # locked without a route: walk unknown (0)
            x[u, c] = pulp.LpVariable(f"x_{u}_{c}", lowBound=0)
            walk[u, c], over[u, c] = 0.0, False
        if not lock:
            y[u] = pulp.LpVariable(f"y_{u}", lowBound=0)
    of_unit = {u: [] for u in range(len(units))}
    for (u, _), v in x.items():
        of_unit[u].append(v)
    for u, unit in enumerate(units):
        prob += pulp.lpSum(of_unit[u]) + (y[u] if u in y else 0) == unit["Households"]
    load = {j: [] for j in range(len(chws))}
    for (u, c), v in x.items():
        load[c].append(v)
    o, s = {}, {}
    for j, c in enumerate(chws):
        o[j] = pulp.LpVariable(f"o_{j}", lowBound=0)
        s[j] = pulp.LpVariable(f"s_{j}", lowBound=0)
        prob += o[j] >= pulp.lpSum(load[j]) - c["Max"]
        prob += s[j] >= c["Min"] - pulp.lpSum(load[j])
    # moves: households not staying with a current CHW still in the roster
    z, shares = [], 0
    for u, unit in enumerate(units):
        held = {}
        for sh in unit.get("Current") or []:
            held[sh["CHW"]] = held.get(sh["CHW"], 0) + sh["Households"]
            shares += sh["Households"]
        for cid, h in held.items():
            c = chw_index.get(cid)
            if c is not None and (u, c) in x:
                v = pulp.LpVariable(f"z_{u}_{c}", lowBound=0, upBound=h)
                prob += v <= x[u, c]
                z.append(v)

    tiers = [
        ("over_capacity", pulp.lpSum(o.values())),
        ("unassigned", pulp.lpSum(y.values())),
        ("over_walk", pulp.lpSum(v for k, v in x.items() if over[k])),
        ("under_minimum", pulp.lpSum(s.values())),
        ("moves", shares - pulp.lpSum(z)),
        ("walk_seconds", pulp.lpSum(walk[k] * v for k, v in x.items())),
    ]
    print(f"{len(units)} units, {len(chws)} CHWs, {len(x)} arcs", flush=True)
    ok = True
    t0 = time.time()
    for name, expr in tiers:
        prob.setObjective(expr)
        status = prob.solve(pulp.COIN_CMD(path=shutil.which("cbc"), msg=False))
        if pulp.LpStatus[status] != "Optimal":
            print(name, "CBC status", pulp.LpStatus[status])
            return 1
        val = pulp.value(expr)
        mine = inst["Tiers"][name]
        # Balance compares walks in whole seconds: allow 0.5 s per household.
        tol = 0.5 * sum(u["Households"] for u in units) if name == "walk_seconds" else 1e-4
        same = abs(val - mine) <= tol
        ok &= same
        print(f"{name:14s} CBC {val:16.3f}   Balance {mine:16.3f}   {'same' if same else 'DIFFERENT'} (Δ {mine - val:+.3f})")
        prob += expr <= val + (1e-6 if name != "walk_seconds" else 1e-3)
    print(f"CBC time {time.time() - t0:.1f} s (six solves)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
