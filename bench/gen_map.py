#!/usr/bin/python3
"""gen_map.py - the map bench's data: a national choropleth and California.

    /usr/bin/python3 bench/gen_map.py national OUTDIR [--tracts N]
                                      [--assets N] [--seed N]
    /usr/bin/python3 bench/gen_map.py ca GAPDATA OUTDIR [--assets N]

Writes OUTDIR/map.gpkg (WGS84), the file assetmap and the peers read:

  layer tracts  polygons with GEOID (11 digits), NAME, POP and RPL_THEMES
                (a synthetic vulnerability percentile, 0..1, smooth over
                space with local noise, so the choropleth has structure)
  layer assets  points with id, name, category (the 8 built-in codes of
                bench/gen_ca.py) and capacity

national: --tracts (default 85,000) Voronoi cells of seeds drawn where
people live over a rough outline of the continental US (CONUS Albers,
EPSG:5070), their edges bent into 3..8 jittered segments each, the same
for the two cells sharing an edge, so the cells still tile the country
and have about 20..60 vertices as census tracts do; --assets (default
100,000) asset points.  The population model and the Voronoi clipping
are bench/gen_ca.py's.

ca: the tracts of the gap bench's data (GAPDATA, made by gen_ca.py:
tracts.geojson, assets.csv) with an RPL_THEMES added, and the first
--assets (default 10,000) of its assets (they are in random order).

Deterministic: the same arguments give the same features for a given
numpy.  Needs Debian's numpy, scipy, shapely, pyproj and gdal-bin
(ogr2ogr writes the GeoPackage).
"""
import argparse
import csv
import json
import os
import subprocess
import sys

import numpy as np
from pyproj import Transformer
from shapely.geometry import Polygon

sys.dont_write_bytecode = True   # no __pycache__ in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_ca  # noqa: E402  (the population model, Voronoi cells, categories)

# A rough outline of the continental US (lon, lat), clockwise from the NW.
OUTLINE = [(-124.7, 48.4), (-123.2, 49.0), (-95.2, 49.0), (-94.8, 49.4),
           (-89.6, 48.0), (-84.8, 46.9), (-82.4, 45.3), (-82.5, 43.0),
           (-79.0, 43.3), (-76.8, 43.6), (-75.0, 45.0), (-71.5, 45.0),
           (-70.0, 46.7), (-67.8, 47.1), (-67.0, 44.8), (-70.2, 43.6),
           (-70.6, 42.0), (-73.8, 40.6), (-74.0, 39.4), (-75.9, 36.9),
           (-75.5, 35.2), (-77.9, 33.9), (-81.1, 31.9), (-81.4, 30.0),
           (-80.0, 26.8), (-80.4, 25.2), (-81.2, 25.2), (-82.7, 27.6),
           (-82.8, 29.2), (-84.1, 30.0), (-85.4, 29.7), (-87.6, 30.3),
           (-89.6, 30.2), (-89.4, 29.0), (-91.3, 29.3), (-94.0, 29.6),
           (-97.2, 27.8), (-97.4, 25.9), (-99.2, 26.6), (-101.4, 29.8),
           (-103.2, 29.0), (-104.5, 29.6), (-106.5, 31.8), (-108.2, 31.3),
           (-111.1, 31.3), (-114.8, 32.5), (-117.1, 32.5), (-118.4, 33.8),
           (-120.6, 34.6), (-121.9, 36.3), (-122.5, 37.5), (-123.7, 38.9),
           (-124.4, 40.3), (-124.2, 42.0), (-124.0, 46.3), (-124.7, 48.4)]

# Metropolitan areas: (lon, lat, weight in millions, spread in km).
CITIES = [
    (-74.0, 40.7, 19.8, 40), (-118.2, 34.0, 13.2, 40), (-87.6, 41.9, 9.5, 35),
    (-96.8, 32.8, 7.6, 40), (-95.4, 29.8, 7.1, 40), (-77.0, 38.9, 6.3, 35),
    (-80.2, 25.8, 6.1, 30), (-75.2, 40.0, 6.2, 30), (-84.4, 33.7, 6.1, 40),
    (-112.1, 33.4, 4.9, 35), (-71.1, 42.4, 4.9, 30), (-122.3, 37.8, 4.7, 30),
    (-117.3, 34.0, 4.6, 40), (-83.0, 42.3, 4.4, 30), (-122.3, 47.6, 4.0, 30),
    (-93.3, 45.0, 3.7, 30), (-117.2, 32.7, 3.3, 25), (-82.5, 28.0, 3.2, 30),
    (-105.0, 39.7, 3.0, 30), (-90.2, 38.6, 2.8, 30), (-76.6, 39.3, 2.8, 25),
    (-80.8, 35.2, 2.7, 30), (-81.4, 28.5, 2.7, 30), (-98.5, 29.4, 2.6, 30),
    (-122.7, 45.5, 2.5, 25), (-121.5, 38.6, 2.4, 25), (-80.0, 40.4, 2.4, 25),
    (-115.1, 36.2, 2.3, 20), (-97.7, 30.3, 2.3, 25), (-84.5, 39.1, 2.3, 25),
    (-94.6, 39.1, 2.2, 25), (-83.0, 40.0, 2.1, 25), (-86.2, 39.8, 2.1, 25),
    (-81.7, 41.5, 2.1, 25), (-121.9, 37.3, 2.0, 20), (-86.8, 36.2, 2.0, 25),
    (-76.3, 36.9, 1.8, 25), (-71.4, 41.8, 1.7, 20), (-88.0, 43.0, 1.6, 20),
    (-81.7, 30.3, 1.6, 25), (-90.0, 35.1, 1.3, 20), (-97.5, 35.5, 1.4, 25),
    (-111.9, 40.8, 1.3, 20), (-85.8, 38.3, 1.3, 20), (-78.6, 35.8, 1.4, 25),
    (-90.1, 30.0, 1.3, 20), (-78.9, 42.9, 1.1, 20), (-106.6, 35.1, 0.9, 20),
    (-110.9, 32.2, 1.0, 20), (-119.8, 36.7, 1.0, 20), (-95.9, 36.2, 1.0, 20),
    (-96.0, 41.3, 1.0, 20), (-116.2, 43.6, 0.8, 20), (-117.4, 47.7, 0.6, 15),
    (-100.8, 46.8, 0.2, 15), (-104.8, 41.1, 0.2, 15), (-108.5, 45.8, 0.2, 15),
    (-103.2, 44.1, 0.15, 15), (-106.4, 31.8, 0.9, 20), (-89.4, 43.1, 0.7, 20)]

# State FIPS codes of the continental US and DC, with a rough centre each:
# a tract takes the code of the nearest centre.
STATES = [
    ("01", -86.8, 32.8), ("04", -111.7, 34.3), ("05", -92.4, 34.9),
    ("06", -119.5, 37.2), ("08", -105.5, 39.0), ("09", -72.7, 41.6),
    ("10", -75.5, 39.0), ("11", -77.0, 38.9), ("12", -81.7, 28.6),
    ("13", -83.4, 32.7), ("16", -114.6, 44.4), ("17", -89.2, 40.0),
    ("18", -86.3, 39.9), ("19", -93.5, 42.1), ("20", -98.4, 38.5),
    ("21", -85.3, 37.5), ("22", -92.0, 31.0), ("23", -69.2, 45.4),
    ("24", -76.8, 39.0), ("25", -71.8, 42.3), ("26", -84.7, 43.6),
    ("27", -94.3, 46.3), ("28", -89.7, 32.7), ("29", -92.5, 38.4),
    ("30", -109.6, 47.0), ("31", -99.8, 41.5), ("32", -116.6, 39.3),
    ("33", -71.6, 43.7), ("34", -74.7, 40.2), ("35", -106.1, 34.4),
    ("36", -75.5, 42.9), ("37", -79.4, 35.6), ("38", -100.5, 47.5),
    ("39", -82.8, 40.3), ("40", -97.5, 35.6), ("41", -120.6, 43.9),
    ("42", -77.8, 40.9), ("44", -71.5, 41.7), ("45", -80.9, 33.9),
    ("46", -100.2, 44.4), ("47", -86.3, 35.9), ("48", -99.3, 31.5),
    ("49", -111.7, 39.3), ("50", -72.7, 44.1), ("51", -78.8, 37.5),
    ("53", -120.4, 47.4), ("54", -80.6, 38.6), ("55", -89.9, 44.6),
    ("56", -107.6, 43.0)]

TO_ALBERS = Transformer.from_crs("EPSG:4326", "EPSG:5070", always_xy=True)
TO_WGS84 = Transformer.from_crs("EPSG:5070", "EPSG:4326", always_xy=True)
MASK = (1 << 64) - 1


def mix(k):
    """splitmix64's finaliser: a well-spread 64-bit value from k."""
    k = (k + 0x9E3779B97F4A7C15) & MASK
    k = ((k ^ (k >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    k = ((k ^ (k >> 27)) * 0x94D049BB133111EB) & MASK
    return k ^ (k >> 31)


def bent_edge(p, q, seed):
    """Points strictly between p and q: the edge cut into 3..8 segments
    whose inner vertices are pushed sideways by up to 4% of its length.
    A function of the unordered pair {p, q}, so both cells sharing the
    edge get the same points (in opposite orders)."""
    a = (int(round(p[0] * 100)), int(round(p[1] * 100)))
    b = (int(round(q[0] * 100)), int(round(q[1] * 100)))
    flip = a > b
    if flip:
        a, b, p, q = b, a, q, p
    h = mix(seed ^ mix(a[0] & MASK) ^ mix((a[1] * 3) & MASK)
            ^ mix((b[0] * 5) & MASK) ^ mix((b[1] * 7) & MASK))
    n = 3 + h % 6
    dx, dy = q[0] - p[0], q[1] - p[1]
    out = []
    for i in range(1, n):
        h = mix(h)
        t = i / n
        off = ((h >> 11) / float(1 << 53) - 0.5) * 0.08
        out.append((p[0] + t * dx - off * dy, p[1] + t * dy + off * dx))
    if flip:
        out.reverse()
    return out


def bent_ring(coords, seed):
    ring = []
    for p, q in zip(coords[:-1], coords[1:]):
        ring.append(p)
        ring.extend(bent_edge(p, q, seed))
    ring.append(ring[0])
    return ring


def percentile_field(rng, x, y, density):
    """A vulnerability-like percentile per point: smooth waves over the
    map, more in dense places, plus local noise; ranked to 0..1."""
    span = max(x.max() - x.min(), y.max() - y.min())
    v = np.zeros(len(x))
    for _ in range(6):
        k = rng.uniform(2, 9) * 2 * np.pi / span
        ang = rng.uniform(0, np.pi)
        ph = rng.uniform(0, 2 * np.pi)
        v += np.sin(k * (x * np.cos(ang) + y * np.sin(ang)) + ph)
    v += 0.8 * (density - density.mean()) / (density.std() + 1e-12)
    v += rng.normal(0, 0.9, len(x))
    rank = np.argsort(np.argsort(v, kind="stable"), kind="stable")
    return np.round(rank / max(1, len(x) - 1), 4)


def write_geojson(path, name, features):
    with open(path, "w") as f:
        f.write('{"type": "FeatureCollection", "name": "%s", "features": [\n' % name)
        for k, ft in enumerate(features):
            f.write(("," if k else "") + json.dumps(ft, separators=(",", ":")) + "\n")
        f.write("]}\n")


def write_gpkg(outdir, tracts, assets):
    """tracts and assets (lists of GeoJSON features) as OUTDIR/map.gpkg."""
    tmp = os.path.join(outdir, "map.tmp.gpkg")
    if os.path.exists(tmp):
        os.remove(tmp)
    for layer, feats, nlt in (("tracts", tracts, "MULTIPOLYGON"),
                              ("assets", assets, "POINT")):
        gj = os.path.join(outdir, layer + ".tmp.geojson")
        write_geojson(gj, layer, feats)
        cmd = ["ogr2ogr", "-f", "GPKG", tmp, gj, "-nln", layer, "-nlt", nlt,
               "-a_srs", "EPSG:4326", "-gt", "65536"]
        if layer == "assets":
            cmd.insert(3, "-update")
        subprocess.run(cmd, check=True)
        os.remove(gj)
    os.replace(tmp, os.path.join(outdir, "map.gpkg"))


def asset_features(lon, lat, cat, cap, first=0):
    codes = [c for c, _ in gen_ca.CATEGORIES]
    return [{"type": "Feature", "properties": {
        "id": "A%06d" % (first + k + 1), "name": "Site %d" % (first + k + 1),
        "category": codes[cat[k]] if not isinstance(cat[k], str) else cat[k],
        "capacity": int(cap[k])},
        "geometry": {"type": "Point", "coordinates": [
            round(float(lon[k]), 6), round(float(lat[k]), 6)]}}
        for k in range(len(lon))]


def national(a):
    rng = np.random.default_rng(a.seed)
    lon, lat = zip(*OUTLINE)
    ox, oy = TO_ALBERS.transform(lon, lat)
    poly = Polygon(list(zip(ox, oy)))
    clon, clat, w, s = (np.array(v, dtype=float) for v in zip(*CITIES))
    cx, cy = TO_ALBERS.transform(clon, clat)
    centres = (np.asarray(cx), np.asarray(cy), w, s * 1000.0)

    sx, sy = gen_ca.sample_people(rng, a.tracts, poly, centres, background=0.15)
    seeds = np.column_stack([sx, sy])
    cells = gen_ca.voronoi_cells(seeds, poly)
    print("gen_map: %d Voronoi cells" % len(cells), file=sys.stderr)

    # bent rings in Albers, then all vertices to lon/lat at once
    rings = []          # (cell index, ring as a list of (x, y))
    for i, c in enumerate(cells):
        parts = [c] if c.geom_type == "Polygon" else \
            [g for g in getattr(c, "geoms", []) if g.geom_type == "Polygon"]
        for g in parts:
            if g.area > 0:
                rings.append((i, bent_ring(list(g.exterior.coords), a.seed)))
    allxy = np.array([p for _, r in rings for p in r])
    glon, glat = TO_WGS84.transform(allxy[:, 0], allxy[:, 1])
    glon = np.round(glon, 6)
    glat = np.round(glat, 6)

    # a tract per cell: its polygons, kept valid
    polys = [[] for _ in cells]
    k = 0
    nbad = 0
    for i, r in rings:
        ring = list(zip(glon[k:k + len(r)].tolist(), glat[k:k + len(r)].tolist()))
        k += len(r)
        g = Polygon(ring)
        if not g.is_valid:
            nbad += 1
            g = g.buffer(0)
        if g.is_empty or g.area <= 0:
            continue
        for q in ([g] if g.geom_type == "Polygon" else list(g.geoms)):
            polys[i].append([[list(p) for p in q.exterior.coords]])

    # density (seeds within ~30 km) for the indicator; population per seed
    from scipy.spatial import cKDTree
    tree = cKDTree(seeds)
    density = np.array([len(v) for v in tree.query_ball_point(seeds, 30000.0)],
                       dtype=float)
    rpl = percentile_field(rng, sx, sy, np.log1p(density))
    pop = np.maximum(0, rng.normal(4000, 1200, a.tracts)).round().astype(int)

    slon, slat = TO_WGS84.transform(sx, sy)
    st_code = [c for c, _, _ in STATES]
    st_xy = np.array(TO_ALBERS.transform([x for _, x, _ in STATES],
                                         [y for _, _, y in STATES])).T
    _, st = cKDTree(st_xy).query(seeds)
    order = np.lexsort((seeds[:, 0], -seeds[:, 1]))
    rank_in_state = {}
    tracts = []
    for i in order:
        if not polys[i]:
            continue
        code = st_code[st[i]]
        r = rank_in_state.get(code, 0)
        rank_in_state[code] = r + 1
        county = 1 + 2 * (r // 100)
        geoid = "%s%03d%06d" % (code, county % 1000, 100 * (r % 100 + 1))
        geom = {"type": "MultiPolygon", "coordinates": polys[i]}
        tracts.append({"type": "Feature", "properties": {
            "GEOID": geoid, "NAME": "Census Tract %d" % (r % 100 + 1),
            "POP": int(pop[i]), "RPL_THEMES": float(rpl[i])}, "geometry": geom})
    nv = [sum(len(p[0]) - 1 for p in polys[i]) for i in range(len(cells)) if polys[i]]
    print("gen_map: %d tracts, vertices per tract: median %d, 5%%..95%% %d..%d;"
          " %d rings repaired" % (len(tracts), np.median(nv), np.percentile(nv, 5),
                                  np.percentile(nv, 95), nbad), file=sys.stderr)

    ax, ay = gen_ca.sample_people(rng, a.assets, poly, centres, background=0.10)
    alon, alat = TO_WGS84.transform(ax, ay)
    shares = np.array([p for _, p in gen_ca.CATEGORIES])
    cat = rng.choice(len(shares), size=a.assets, p=shares / shares.sum())
    cap = np.maximum(1, rng.lognormal(3.5, 0.9, a.assets).round()).astype(int)
    write_gpkg(a.outdir, tracts, asset_features(alon, alat, cat, cap))
    print("gen_map: %d tracts, %d assets in %s/map.gpkg"
          % (len(tracts), a.assets, a.outdir), file=sys.stderr)


def california(a):
    rng = np.random.default_rng(a.seed)
    with open(os.path.join(a.gapdata, "tracts.geojson")) as f:
        feats = json.load(f)["features"]
    to3310 = Transformer.from_crs("EPSG:4326", "EPSG:3310", always_xy=True)
    cen = []
    for ft in feats:
        ring = np.array(ft["geometry"]["coordinates"][0] if ft["geometry"]["type"] == "Polygon"
                        else ft["geometry"]["coordinates"][0][0])
        cen.append(ring[:-1].mean(axis=0))
    cen = np.array(cen)
    x, y = to3310.transform(cen[:, 0], cen[:, 1])
    x, y = np.asarray(x), np.asarray(y)
    from scipy.spatial import cKDTree
    xy = np.column_stack([x, y])
    density = np.array([len(v) for v in cKDTree(xy).query_ball_point(xy, 10000.0)],
                       dtype=float)
    rpl = percentile_field(rng, x, y, np.log1p(density))
    for ft, v in zip(feats, rpl):
        ft["properties"]["RPL_THEMES"] = float(v)
    lon, lat, cat, cap = [], [], [], []
    with open(os.path.join(a.gapdata, "assets.csv")) as f:
        for k, row in enumerate(csv.DictReader(f)):
            if k >= a.assets:
                break
            lon.append(float(row["lon"]))
            lat.append(float(row["lat"]))
            cat.append(row["category"])
            cap.append(int(row["capacity"]))
    write_gpkg(a.outdir, feats, asset_features(lon, lat, cat, cap))
    print("gen_map: %d tracts, %d assets in %s/map.gpkg"
          % (len(feats), len(lon), a.outdir), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="kind", required=True)
    n = sub.add_parser("national")
    n.add_argument("outdir")
    n.add_argument("--tracts", type=int, default=85000)
    n.add_argument("--assets", type=int, default=100000)
    n.add_argument("--seed", type=int, default=20240612)
    c = sub.add_parser("ca")
    c.add_argument("gapdata")
    c.add_argument("outdir")
    c.add_argument("--assets", type=int, default=10000)
    c.add_argument("--seed", type=int, default=20240613)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    (national if a.kind == "national" else california)(a)


if __name__ == "__main__":
    main()
