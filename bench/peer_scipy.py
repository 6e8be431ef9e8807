#!/usr/bin/python3
"""peer_scipy.py - the scipy cKDTree peer of the gap-analysis bench.

    /usr/bin/python3 bench/peer_scipy.py nearest DATA OUT.npz
    /usr/bin/python3 bench/peer_scipy.py counts  DATA OUT.npy [CATEGORY] [RADIUS_M]
    /usr/bin/python3 bench/peer_scipy.py 2sfca   DATA OUT.csv [CATEGORY] [CATCHMENT_M]

DATA holds gen_ca.py's cohort.csv, assets.csv and tracts.geojson.  Each
run is a whole job as a numpy user writes it: read the CSVs (pandas),
project lon/lat to California Albers (EPSG:3310, pyproj), query a cKDTree
on both cores (workers=-1), write the answer out.

nearest: for each of the 8 categories, the distance (m) to the nearest
asset and its row in assets.csv, for every cohort point; saved as
OUT.npz with arrays dist (N x 8, float64) and idx (N x 8, int64).
counts: the number of CATEGORY assets within RADIUS_M of each point.
2sfca: two-step floating catchment (strict cutoff) per tract: tract
centroids (area centroid in EPSG:3310) with population as demand,
capacity of CATEGORY assets as supply.  Writes GEOID,access.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

CATEGORIES = ["food", "housing", "transportation", "utilities", "legal",
              "behavioral_health", "primary_care", "childcare"]
TR = Transformer.from_crs("EPSG:4326", "EPSG:3310", always_xy=True)


def xy(lon, lat):
    x, y = TR.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.column_stack([x, y])


def read_assets(data):
    a = pd.read_csv(data + "/assets.csv",
                    dtype={"id": str, "name": str, "category": str})
    return a, xy(a["lon"].values, a["lat"].values)


def read_cohort(data):
    c = pd.read_csv(data + "/cohort.csv", dtype={"id": np.int64})
    return c, xy(c["lon"].values, c["lat"].values)


def tract_centroids(data):
    """Area centroids of the tracts in EPSG:3310, all rings projected at once."""
    with open(data + "/tracts.geojson") as f:
        feats = json.load(f)["features"]
    geoid, pop, rings, owner = [], [], [], []
    for k, ft in enumerate(feats):
        geoid.append(ft["properties"]["GEOID"])
        pop.append(ft["properties"]["POP"])
        g = ft["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for p in polys:
            for r, ring in enumerate(p):
                rings.append((np.asarray(ring, dtype=float), 1.0 if r == 0 else -1.0))
                owner.append(k)
    lens = np.array([len(r) for r, _ in rings])
    allc = np.vstack([r for r, _ in rings])
    x, y = TR.transform(allc[:, 0], allc[:, 1])
    start = np.concatenate([[0], np.cumsum(lens)[:-1]])
    # shoelace per ring: sum over edges (i, i+1) within the ring
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    last = start + lens - 1          # closing vertex repeats the first: no edge
    cross[last] = 0.0
    a2 = np.add.reduceat(cross, start)
    cxs = np.add.reduceat((x + x1) * cross, start)
    cys = np.add.reduceat((y + y1) * cross, start)
    owner = np.asarray(owner)
    n = len(feats)
    A = np.bincount(owner, a2, minlength=n)
    cx = np.bincount(owner, cxs, minlength=n) / (3.0 * A)
    cy = np.bincount(owner, cys, minlength=n) / (3.0 * A)
    return np.array(geoid), np.asarray(pop, dtype=float), np.column_stack([cx, cy])


def nearest(data, out):
    a, axy = read_assets(data)
    c, pts = read_cohort(data)
    t0 = time.time()
    n = len(pts)
    dist = np.full((n, len(CATEGORIES)), np.inf)
    idx = np.full((n, len(CATEGORIES)), -1, dtype=np.int64)
    cats = a["category"].values
    for k, cat in enumerate(CATEGORIES):
        rows = np.flatnonzero(cats == cat)
        if len(rows) == 0:
            continue
        d, i = cKDTree(axy[rows]).query(pts, k=1, workers=-1)
        dist[:, k] = d
        idx[:, k] = rows[i]
    t1 = time.time()
    np.savez(out, id=c["id"].values, dist=dist, idx=idx)
    print("query %.3f" % (t1 - t0), file=sys.stderr)


def counts(data, out, cat="food", radius=5000.0):
    a, axy = read_assets(data)
    c, pts = read_cohort(data)
    t0 = time.time()
    tree = cKDTree(axy[a["category"].values == cat])
    n = tree.query_ball_point(pts, r=radius, return_length=True, workers=-1)
    t1 = time.time()
    np.save(out, np.asarray(n, dtype=np.int32))
    print("query %.3f" % (t1 - t0), file=sys.stderr)


def fca2(data, out, cat="food", catchment=10000.0):
    geoid, pop, cxy = tract_centroids(data)
    a, axy = read_assets(data)
    sel = a["category"].values == cat
    sxy = axy[sel]
    cap = a["capacity"].values[sel].astype(float)
    cap[~np.isfinite(cap)] = 1.0
    t0 = time.time()
    # all (supply, tract) pairs within the catchment
    m = cKDTree(sxy).sparse_distance_matrix(cKDTree(cxy), catchment,
                                            output_type="ndarray")
    j, i = m["i"], m["j"]       # distance <= catchment (strict cutoff)
    demand = np.bincount(j, pop[i], minlength=len(sxy))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(demand > 0, cap / demand, 0.0)
    acc = np.bincount(i, r[j], minlength=len(cxy))
    t1 = time.time()
    with open(out, "w") as f:
        f.write("GEOID,access\n")
        f.writelines("%s,%.17g\n" % (g, v) for g, v in zip(geoid, acc))
    print("query %.3f" % (t1 - t0), file=sys.stderr)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    task, data, out = sys.argv[1:4]
    rest = sys.argv[4:]
    if task == "nearest":
        nearest(data, out)
    elif task == "counts":
        counts(data, out, *(rest[:1] or ["food"]), *(map(float, rest[1:2])))
    elif task == "2sfca":
        fca2(data, out, *(rest[:1] or ["food"]), *(map(float, rest[1:2])))
    else:
        sys.exit("peer_scipy.py: unknown task " + task)


if __name__ == "__main__":
    main()
