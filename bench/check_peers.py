#!/usr/bin/python3
"""check_peers.py - do the gap-analysis bench's peers compute the same thing?

    check_peers.py WORK DATA N

Compares, for the first N cohort points (ids 1..N), the answers the peers
left in WORK (see bench/gap.sh) with scipy's, and scipy's with a brute-force
numpy reference on a sample: nearest distances agree to 1 m (and the
nearest asset is the same one), counts within 5 km agree (geopandas'
buffer is a 64-sided polygon, so a point within a few metres of 5 km may
differ there), 2SFCA access agrees to a relative 1e-6.  Prints one line
per comparison; exits 1 when one fails.
"""
import csv
import os
import sys

import numpy as np
import pandas as pd
from pyproj import Transformer

CATEGORIES = ["food", "housing", "transportation", "utilities", "legal",
              "behavioral_health", "primary_care", "childcare"]
TR = Transformer.from_crs("EPSG:4326", "EPSG:3310", always_xy=True)
failed = False


def line(what, ok, text):
    global failed
    failed |= not ok
    print("  %-44s %-4s %s" % (what, "OK" if ok else "FAIL", text))


def read_long(path, n):
    """id,cat,aid,dist CSV -> dist (n x 8) and asset ids, NaN where absent."""
    d = np.full((n, len(CATEGORIES)), np.nan)
    aid = np.full((n, len(CATEGORIES)), "", dtype=object)
    k = {c: i for i, c in enumerate(CATEGORIES)}
    with open(path) as f:
        for r in csv.DictReader(f):
            i = int(r["id"]) - 1
            if i < n:
                d[i, k[r["cat"]]] = float(r["dist"])
                aid[i, k[r["cat"]]] = r["aid"]
    return d, aid


def main():
    work, data, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    p = lambda x: os.path.join(work, x)
    print("check: do the peers agree? (the first %d cohort points)" % n)
    a = pd.read_csv(data + "/assets.csv", dtype={"id": str, "name": str})
    ax, ay = TR.transform(a.lon.values, a.lat.values)
    axy = np.column_stack([ax, ay])
    c = pd.read_csv(data + "/cohort.csv", nrows=n)
    cx, cy = TR.transform(c.lon.values, c.lat.values)
    cxy = np.column_stack([cx, cy])
    ids = a.id.values

    if os.path.exists(p("scipy_nn.npz")):
        check_nearest(p, n, a, axy, cxy, ids)
    else:
        print("  (no scipy nearest answers: nearest not compared)")
    check_counts(p, n, a, axy, cxy)
    check_fca(p, data, a, axy)
    return 1 if failed else 0


def check_nearest(p, n, a, axy, cxy, ids):
    s = np.load(p("scipy_nn.npz"))
    sd, sid = s["dist"][:n], ids[s["idx"][:n]]

    # scipy against brute force on a sample
    m = min(n, 300)
    bd = np.empty((m, len(CATEGORIES)))
    bid = np.empty((m, len(CATEGORIES)), dtype=object)
    for k, cat in enumerate(CATEGORIES):
        rows = np.flatnonzero(a.category.values == cat)
        dd = np.hypot(cxy[:m, None, 0] - axy[None, rows, 0],
                      cxy[:m, None, 1] - axy[None, rows, 1])
        j = dd.argmin(axis=1)
        bd[:, k] = dd[np.arange(m), j]
        bid[:, k] = ids[rows[j]]
    err = np.abs(bd - sd[:m]).max()
    same = (bid == sid[:m]).sum()
    line("nearest: scipy vs brute force (%d points)" % m, err < 1e-6,
         "max |d diff| %.2g m, same asset %d/%d" % (err, same, bid.size))

    def cmp_nn(name, d, aid):
        have = ~np.isnan(d)
        if not have.any():
            line("nearest: %s vs scipy" % name, False, "no answers")
            return
        err = np.abs(d[have] - sd[have]).max()
        same = (aid[have] == sid[have]).sum()
        line("nearest: %s vs scipy" % name, err < 1.0,
             "%d pairs, max |d diff| %.2g m, same asset %d" % (have.sum(), err, same))

    for name, f in (("PostGIS", "pg_nn.csv"), ("SpatiaLite R*Tree", "sl_nn.csv"),
                    ("SpatiaLite KNN", "sl_knn.csv")):
        if os.path.exists(p(f)) and os.path.getsize(p(f)) > 0:
            cmp_nn(name, *read_long(p(f), n))
    if os.path.exists(p("gpd_nn.npz")):
        g = np.load(p("gpd_nn.npz"))
        k = min(n, len(g["id"]))
        d = np.full_like(sd, np.nan)
        aid = np.full(sd.shape, "", dtype=object)
        d[:k] = g["dist"][:k]
        aid[:k] = ids[g["idx"][:k]]
        cmp_nn("shapely STRtree", d, aid)



def check_counts(p, n, a, axy, cxy):
    if os.path.exists(p("scipy_cnt.npy")):
        sc = np.load(p("scipy_cnt.npy"))[:n]
        food = axy[a.category.values == "food"]
        m = min(n, 300)
        bc = (np.hypot(cxy[:m, None, 0] - food[None, :, 0],
                       cxy[:m, None, 1] - food[None, :, 1]) <= 5000).sum(axis=1)
        line("counts: scipy vs brute force (%d points)" % m,
             (bc == sc[:m]).all(), "%d differ" % (bc != sc[:m]).sum())
        for name, f in (("PostGIS", "pg_cnt.csv"), ("SpatiaLite", "sl_cnt.csv")):
            if os.path.exists(p(f)) and os.path.getsize(p(f)) > 0:
                t = pd.read_csv(p(f)).sort_values("id")
                t = t[t.id <= n]
                diff = (t.n.values != sc[t.id.values - 1]).sum()
                line("counts: %s vs scipy" % name, diff == 0 and len(t) == n,
                     "%d points, %d differ" % (len(t), diff))
        if os.path.exists(p("gpd_cnt.npz")):
            # the buffer is a 64-gon inscribed in the circle: its count lies
            # between the exact counts at 5 km * cos(pi/64) and at 5 km
            g = np.load(p("gpd_cnt.npz"))
            k = min(n, len(g["id"]))
            inner = np.concatenate([
                (np.hypot(cxy[i:i + 200, None, 0] - food[None, :, 0],
                          cxy[i:i + 200, None, 1] - food[None, :, 1])
                 <= 5000 * np.cos(np.pi / 64)).sum(axis=1)
                for i in range(0, k, 200)])
            gn = g["n"][:k]
            bad = ((gn < inner) | (gn > sc[:k])).sum()
            line("counts: geopandas buffer+sjoin vs scipy", bad == 0,
                 "%d points, %d differ, all within the 64-gon's error" % (k, (gn != sc[:k]).sum())
                 if bad == 0 else "%d points, %d outside the 64-gon's error" % (k, bad))


def check_fca(p, data, a, axy):
    if os.path.exists(p("scipy_fca.csv")):
        sf = pd.read_csv(p("scipy_fca.csv"), dtype={"GEOID": str}).set_index("GEOID")["access"]
        food = a[a.category == "food"]
        if len(food) * len(sf) <= 20000000:
            # brute force: every supply-tract distance, by the formula
            sys.path.insert(0, os.environ.get("BENCH_DIR", os.path.dirname(os.path.abspath(__file__))))
            from peer_scipy import tract_centroids
            geoid, pop, cen = tract_centroids(data)
            sxy = axy[food.index.values]
            cap = food.capacity.values.astype(float)
            d = np.hypot(sxy[:, None, 0] - cen[None, :, 0], sxy[:, None, 1] - cen[None, :, 1])
            w = d <= 10000.0
            dem = (w * pop[None, :]).sum(axis=1)
            r = np.divide(cap, dem, out=np.zeros_like(cap), where=dem > 0)
            ref = pd.Series((w * r[:, None]).sum(axis=0), index=geoid)
            rel = (np.abs(sf[ref.index] - ref) / np.maximum(np.abs(ref), 1e-300)).where(ref != 0, np.abs(sf[ref.index]))
            line("2SFCA: numpy vs brute force", rel.max() < 1e-9,
                 "%d tracts, max relative diff %.2g" % (len(ref), rel.max()))
        for name, f in (("PostGIS", "pg_fca.csv"), ("SpatiaLite", "sl_fca.csv")):
            if os.path.exists(p(f)) and os.path.getsize(p(f)) > 0:
                t = pd.read_csv(p(f), dtype={"geoid": str}).set_index("geoid")["access"]
                j = sf.index.intersection(t.index)
                rel = (np.abs(t[j] - sf[j]) / np.maximum(np.abs(sf[j]), 1e-300)).where(sf[j] != 0, np.abs(t[j]))
                line("2SFCA: %s vs numpy" % name, len(j) == len(sf) and rel.max() < 1e-6,
                     "%d/%d tracts, max relative diff %.2g, %d tracts with access > 0"
                     % (len(j), len(sf), rel.max(), (sf > 0).sum()))


if __name__ == "__main__":
    sys.exit(main())
