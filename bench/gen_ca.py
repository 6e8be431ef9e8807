#!/usr/bin/python3
"""gen_ca.py - synthetic California-scale data for the gap-analysis bench.

    /usr/bin/python3 bench/gen_ca.py OUTDIR [--scale S] [--seed N]

Writes into OUTDIR:

  tracts.geojson  8,000 tract polygons (WGS84): Voronoi cells of seeds
                  drawn where people live, clipped to a rough outline of
                  California, so city tracts are small and rural ones
                  large, as in the real state.  Properties: GEOID (11
                  digits, 06 + county + tract), NAME, POP (the tract's
                  population, about 39.5 million in all).
  assets.csv      100,000 assets: id,name,lon,lat,category,capacity, in
                  the 8 built-in categories food, housing, transportation,
                  utilities, legal, behavioral_health, primary_care,
                  childcare, placed where people live (plus some rural).
  cohort.csv      1,000,000 cohort points: id,lat,lon (id 1..N), clustered
                  where the population is.

Every count is multiplied by --scale (e.g. 0.1 for quick runs).  Work
is done in California Albers (EPSG:3310) and written as WGS84 lon/lat
with 6 decimals (about 0.1 m).  Deterministic: the same scale and seed
give the same bytes (numpy's PCG64 with a fixed seed) for a given numpy
version.  Needs Debian's numpy, scipy, shapely and pyproj.
"""
import argparse
import json
import os
import sys

import numpy as np
from pyproj import Transformer
from scipy.spatial import Voronoi, cKDTree
from shapely.geometry import Polygon, MultiPolygon, mapping
from shapely.ops import transform as shp_transform
from shapely.prepared import prep

CATEGORIES = [  # code, share of the assets
    ("food", 0.22), ("housing", 0.12), ("transportation", 0.08),
    ("utilities", 0.06), ("legal", 0.08), ("behavioral_health", 0.14),
    ("primary_care", 0.18), ("childcare", 0.12)]

# A rough outline of California (lon, lat), clockwise from the NW corner.
OUTLINE = [(-124.21, 42.00), (-120.00, 42.00), (-120.00, 39.00),
           (-114.63, 35.00), (-114.13, 34.27), (-114.72, 32.72),
           (-117.12, 32.53), (-117.25, 32.90), (-118.40, 33.75),
           (-118.55, 34.03), (-119.25, 34.15), (-120.60, 34.55),
           (-120.65, 35.20), (-121.90, 36.30), (-122.00, 36.95),
           (-122.50, 37.50), (-122.45, 37.79), (-123.00, 38.00),
           (-123.70, 38.90), (-123.85, 39.80), (-124.40, 40.30),
           (-124.10, 41.00), (-124.21, 42.00)]

# Where people live: (lon, lat, weight, spread in km).
CITIES = [
    (-118.25, 34.05, 10.0, 30), (-117.90, 33.75, 3.2, 18),
    (-117.35, 33.98, 2.4, 25), (-117.15, 32.75, 3.3, 18),
    (-122.42, 37.77, 0.9, 6), (-122.25, 37.80, 1.7, 12),
    (-121.90, 37.35, 2.0, 14), (-122.05, 37.55, 1.0, 10),
    (-121.48, 38.58, 2.4, 20), (-119.78, 36.74, 1.0, 15),
    (-119.02, 35.37, 0.9, 14), (-121.29, 37.95, 0.8, 12),
    (-120.99, 37.64, 0.55, 10), (-119.70, 34.42, 0.45, 10),
    (-119.20, 34.20, 0.85, 12), (-122.70, 38.44, 0.5, 12),
    (-122.39, 40.59, 0.18, 8), (-124.16, 40.80, 0.13, 6),
    (-116.54, 33.83, 0.45, 15), (-117.30, 34.54, 0.4, 15),
    (-118.14, 34.69, 0.4, 10), (-121.65, 36.67, 0.43, 10),
    (-120.66, 35.28, 0.28, 10), (-121.84, 39.73, 0.22, 8),
    (-120.48, 37.30, 0.28, 10), (-119.29, 36.33, 0.45, 12),
    (-115.56, 32.79, 0.18, 8), (-122.26, 38.30, 0.14, 6),
    (-120.98, 39.22, 0.1, 10), (-122.02, 37.98, 1.1, 10)]
BACKGROUND = 0.06       # share of people spread evenly over the state

TO_ALBERS = Transformer.from_crs("EPSG:4326", "EPSG:3310", always_xy=True)
TO_WGS84 = Transformer.from_crs("EPSG:3310", "EPSG:4326", always_xy=True)


def outline_albers():
    lon, lat = zip(*OUTLINE)
    x, y = TO_ALBERS.transform(lon, lat)
    return Polygon(list(zip(x, y)))


def inside(poly, x, y):
    """Vectorised point-in-polygon (even-odd rule) for a simple polygon."""
    ring = np.asarray(poly.exterior.coords)
    res = np.zeros(len(x), dtype=bool)
    for (x1, y1), (x2, y2) in zip(ring[:-1], ring[1:]):
        crosses = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        res ^= crosses & (x < xi)
    return res


def sample_people(rng, n, poly, centres, background=BACKGROUND):
    """n points in EPSG:3310 drawn from the population model, all inside."""
    cx, cy, w, s = centres
    p = w / w.sum()
    out_x = np.empty(0)
    out_y = np.empty(0)
    minx, miny, maxx, maxy = poly.bounds
    while len(out_x) < n:
        m = int((n - len(out_x)) * 1.3) + 100
        k = rng.choice(len(w), size=m, p=p)
        # a heavy-ish tail: a Gaussian with a per-point scale
        scale = s[k] * rng.gamma(2.0, 0.5, size=m)
        x = cx[k] + rng.normal(size=m) * scale
        y = cy[k] + rng.normal(size=m) * scale
        bg = rng.random(m) < background
        nb = int(bg.sum())
        x[bg] = rng.uniform(minx, maxx, nb)
        y[bg] = rng.uniform(miny, maxy, nb)
        ok = inside(poly, x, y)
        out_x = np.concatenate([out_x, x[ok]])
        out_y = np.concatenate([out_y, y[ok]])
    return out_x[:n], out_y[:n]


def voronoi_cells(seeds, poly):
    """Clip each seed's Voronoi cell to poly; returns a list of geometries."""
    minx, miny, maxx, maxy = poly.bounds
    d = 4 * max(maxx - minx, maxy - miny)
    far = np.array([[minx - d, miny - d], [maxx + d, miny - d],
                    [maxx + d, maxy + d], [minx - d, maxy + d]])
    vor = Voronoi(np.vstack([seeds, far]))
    pp = prep(poly)
    cells = []
    for i in range(len(seeds)):
        region = vor.regions[vor.point_region[i]]
        assert -1 not in region, "unbounded cell"
        cell = Polygon(vor.vertices[region])
        if not pp.contains(cell):
            cell = cell.intersection(poly)
        cells.append(cell)
    return cells


def rounded_wgs84(geom):
    """The geometry in lon/lat rounded to 6 decimals, kept valid."""
    g = shp_transform(lambda x, y: TO_WGS84.transform(x, y), geom)
    polys = [g] if g.geom_type == "Polygon" else \
        [p for p in getattr(g, "geoms", []) if p.geom_type == "Polygon"]
    out = []
    for p in polys:
        ring = [(round(x, 6), round(y, 6)) for x, y in p.exterior.coords]
        q = Polygon(ring)
        if not q.is_valid:
            q = q.buffer(0)
        if q.is_empty or q.area <= 0:
            continue
        if q.geom_type == "Polygon":
            out.append(q)
        else:
            out.extend(x for x in q.geoms if x.geom_type == "Polygon")
    if not out:
        return None
    return out[0] if len(out) == 1 else MultiPolygon(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=20240611)
    a = ap.parse_args()
    n_tracts = max(20, int(round(8000 * a.scale)))
    n_assets = max(200, int(round(100000 * a.scale)))
    n_cohort = max(1000, int(round(1000000 * a.scale)))
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.outdir, exist_ok=True)

    poly = outline_albers()
    lon, lat, w, s = (np.array(v, dtype=float) for v in zip(*CITIES))
    cx, cy = TO_ALBERS.transform(lon, lat)
    centres = (np.asarray(cx), np.asarray(cy), w, s * 1000.0)

    # Tracts: seeds where people live (more, smaller tracts in cities).
    sx, sy = sample_people(rng, n_tracts, poly, centres, background=0.12)
    seeds = np.column_stack([sx, sy])
    cells = voronoi_cells(seeds, poly)

    # Cohort: people; each falls in its nearest seed's cell.
    px, py = sample_people(rng, n_cohort, poly, centres)
    _, owner = cKDTree(seeds).query(np.column_stack([px, py]))
    per_tract = np.bincount(owner, minlength=n_tracts)
    # population: about 39.5 M, following where the cohort lives, with noise
    pop = per_tract * (39.5e6 / n_cohort) * rng.lognormal(0, 0.25, n_tracts)
    pop = np.maximum(pop, rng.integers(0, 60, n_tracts)).round().astype(int)

    # GEOIDs: 06 + county (odd, 001..115, by latitude band) + 6-digit tract
    order = np.lexsort((seeds[:, 0], -seeds[:, 1]))
    county = np.empty(n_tracts, dtype=int)
    county[order] = 1 + 2 * (np.arange(n_tracts) * 58 // n_tracts)
    features = []
    tract_no = {}
    for rank, i in enumerate(order):
        g = rounded_wgs84(cells[i])
        if g is None:
            continue
        c = int(county[i])
        tract_no[c] = tract_no.get(c, 0) + 1
        geoid = "06%03d%06d" % (c, 100 * tract_no[c])
        features.append({"type": "Feature", "properties": {
            "GEOID": geoid, "NAME": "Census Tract %d" % tract_no[c],
            "POP": int(pop[i])}, "geometry": mapping(g)})
    with open(os.path.join(a.outdir, "tracts.geojson.tmp"), "w") as f:
        f.write('{"type": "FeatureCollection", "name": "tracts", "features": [\n')
        for k, ft in enumerate(features):
            f.write(("," if k else "") + json.dumps(ft, separators=(",", ":")) + "\n")
        f.write("]}\n")

    # Assets: where people live, a bit more spread (rural sites exist).
    ax, ay = sample_people(rng, n_assets, poly, centres, background=0.10)
    alon, alat = TO_WGS84.transform(ax, ay)
    codes = [c for c, _ in CATEGORIES]
    shares = np.array([p for _, p in CATEGORIES])
    cat = rng.choice(len(codes), size=n_assets, p=shares / shares.sum())
    cap = np.maximum(1, rng.lognormal(3.5, 0.9, n_assets).round()).astype(int)
    with open(os.path.join(a.outdir, "assets.csv.tmp"), "w") as f:
        f.write("id,name,lon,lat,category,capacity\n")
        for k in range(n_assets):
            f.write("A%06d,Site %d,%.6f,%.6f,%s,%d\n" % (
                k + 1, k + 1, alon[k], alat[k], codes[cat[k]], cap[k]))

    plon, plat = TO_WGS84.transform(px, py)
    with open(os.path.join(a.outdir, "cohort.csv.tmp"), "w") as f:
        f.write("id,lat,lon\n")
        lines = ["%d,%.6f,%.6f\n" % (k + 1, plat[k], plon[k])
                 for k in range(n_cohort)]
        f.writelines(lines)

    for name in ("tracts.geojson", "assets.csv", "cohort.csv"):
        os.replace(os.path.join(a.outdir, name + ".tmp"),
                   os.path.join(a.outdir, name))
    print("gen_ca: %d tracts (population %d), %d assets, %d cohort points in %s"
          % (len(features), int(pop.sum()), n_assets, n_cohort, a.outdir),
          file=sys.stderr)


if __name__ == "__main__":
    main()
