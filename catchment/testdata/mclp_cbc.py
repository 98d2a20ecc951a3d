"""Solve a maximal covering location problem exactly with PuLP and CBC.

Reads JSON {"weights": [...], "covers": [[...], ...], "p": P} on stdin and
prints the optimal coverage: the oracle of catchment's TestCoverAgainstCBC.
"""
import json
import sys

import pulp

prob = json.load(sys.stdin)
w, covers, p = prob["weights"], prob["covers"], prob["p"]
by_point = [[] for _ in w]
for j, cv in enumerate(covers):
    for i in cv:
        by_point[i].append(j)
m = pulp.LpProblem("mclp", pulp.LpMaximize)
x = [pulp.LpVariable(f"x{j}", cat="Binary") for j in range(len(covers))]
y = [pulp.LpVariable(f"y{i}", lowBound=0, upBound=1) for i in range(len(w))]
m += pulp.lpSum(w[i] * y[i] for i in range(len(w)))
m += pulp.lpSum(x) <= p
for i, js in enumerate(by_point):
    m += y[i] <= pulp.lpSum(x[j] for j in js)
solver = pulp.COIN_CMD(msg=0) if pulp.COIN_CMD().available() else pulp.PULP_CBC_CMD(msg=0)
m.solve(solver)
if pulp.LpStatus[m.status] != "Optimal":
    sys.exit("cbc: " + pulp.LpStatus[m.status])
print(round(pulp.value(m.objective)))
