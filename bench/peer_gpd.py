#!/usr/bin/python3
"""peer_gpd.py - the geopandas/shapely peer of the gap-analysis bench.

    /usr/bin/python3 bench/peer_gpd.py nearest DATA OUT.npz SAMPLE EXTRAP
    /usr/bin/python3 bench/peer_gpd.py counts  DATA OUT.npz SAMPLE EXTRAP [CATEGORY] [RADIUS_M]

Written as a user of Debian 12's geopandas 0.12 with shapely 1.8 must
write it: there is no sjoin_nearest and no vectorised STRtree query, so
nearest is shapely's STRtree.nearest_item point by point, and counts
within a radius are a buffer of every point and an sjoin with the assets
(the R-tree of python3-rtree).

Both read the whole cohort and project it, then query only the first
SAMPLE points (the full 1M needs hours or more than 5 GB), timing the
query part.  EXTRAP is a file that gets one line "F Q DKB": the factor
N/SAMPLE, the seconds of the sampled query and the growth of the peak
RSS (KB) during it, from which the bench extrapolates linearly to all N
points: wall + Q*(F-1) seconds, peak + DKB*(F-1) KB.
"""
import resource
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.strtree import STRtree

CATEGORIES = ["food", "housing", "transportation", "utilities", "legal",
              "behavioral_health", "primary_care", "childcare"]


def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read(data):
    a = pd.read_csv(data + "/assets.csv", dtype={"id": str, "name": str})
    a = gpd.GeoDataFrame(a, geometry=gpd.points_from_xy(a.lon, a.lat),
                         crs="EPSG:4326").to_crs("EPSG:3310")
    c = pd.read_csv(data + "/cohort.csv")
    c = gpd.GeoDataFrame(c, geometry=gpd.points_from_xy(c.lon, c.lat),
                         crs="EPSG:4326").to_crs("EPSG:3310")
    return a, c


def nearest(data, out, sample, extrap):
    a, c = read(data)
    n_all = len(c)
    c = c.iloc[:sample]
    kb0, t0 = peak_kb(), time.time()
    dist = np.full((len(c), len(CATEGORIES)), np.inf)
    idx = np.full((len(c), len(CATEGORIES)), -1, dtype=np.int64)
    pts = list(c.geometry)
    for k, cat in enumerate(CATEGORIES):
        sub = a[a.category == cat]
        if len(sub) == 0:
            continue
        geoms = list(sub.geometry)
        rows = list(sub.index)
        tree = STRtree(geoms, range(len(geoms)))
        for i, p in enumerate(pts):
            j = tree.nearest_item(p)
            dist[i, k] = p.distance(geoms[j])
            idx[i, k] = rows[j]
    q = time.time() - t0
    np.savez(out, id=c["id"].values, dist=dist, idx=idx)
    with open(extrap, "w") as f:
        f.write("%.6f %.3f %d\n" % (n_all / len(c), q, peak_kb() - kb0))


def counts(data, out, sample, extrap, cat="food", radius=5000.0):
    a, c = read(data)
    n_all = len(c)
    c = c.iloc[:sample]
    kb0, t0 = peak_kb(), time.time()
    food = a[a.category == cat][["id", "geometry"]]
    buf = c[["id", "geometry"]].copy()
    buf["geometry"] = buf.buffer(radius)
    j = gpd.sjoin(buf, food, how="inner", predicate="intersects")
    n = j.groupby("id_left").size().reindex(c["id"].values, fill_value=0)
    q = time.time() - t0
    np.savez(out, id=c["id"].values, n=n.values.astype(np.int32))
    with open(extrap, "w") as f:
        f.write("%.6f %.3f %d\n" % (n_all / len(c), q, peak_kb() - kb0))


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    task, data, out, sample, extrap = sys.argv[1:6]
    rest = sys.argv[6:]
    if task == "nearest":
        nearest(data, out, int(sample), extrap)
    elif task == "counts":
        counts(data, out, int(sample), extrap, *(rest[:1] or ["food"]),
               *(map(float, rest[1:2])))
    else:
        sys.exit("peer_gpd.py: unknown task " + task)


if __name__ == "__main__":
    main()
