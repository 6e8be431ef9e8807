#!/usr/bin/python3
"""gen_roads.py - a synthetic county road network for the routing bench.

    /usr/bin/python3 bench/gen_roads.py OUTDIR [--scale S] [--seed N]

The county is 52 km by 42 km around (-121.35, 38.55), built on a 50 m
lattice in California Albers (EPSG:3310):

  streets   a grid: residential every 100 m in the core (|x|, |y| <= 10 km),
            every 200 m in the suburbs (<= 17 km), unclassified roads every
            400 m in the country beyond; primary arterials every 1.6 km
            and secondary ones halfway between, through every zone.  Every
            driveable way carries maxspeed (primary 45 mph, secondary 35,
            unclassified 40, residential 25), so no default speed table is
            involved.  Every lattice point on a street is an OSM node (the
            street's intersections and its shape points).
  one-way   in the downtown (|x| <= 3 km, -3 km <= y <= 0) the residential
            streets alternate as one-way pairs: oneway=yes drawn along
            the travel direction, or oneway=-1 drawn against it.
  river     a meandering band 180 m wide across the county north of the
            centre: no road node lies in it, every street stops at its
            banks, and it is crossed only by four primary and one
            secondary bridge (bridge=yes, layer=1) and one footbridge.
            The river itself is a waterway=river way (its nodes are not
            road nodes).
  footways  mid-block paths through a third of the core's blocks and a
            quarter of the suburbs' (highway=footway, no cars).
  places    twelve place=* nodes with names (a city, suburbs, towns) for
            the map bench's basemap labels; no way uses them.
Pieces of road cut off by the river (not reachable on foot from the
rest) are left out, so the network is one piece on foot and, by
construction, one strongly connected piece by car.

Writes into OUTDIR:
  county.osm        the network as OSM XML (node ids 1.., way ids 1..)
  nodes.csv         id,lon,lat,x,y of every road node (x, y EPSG:3310 of
                    the written lon/lat), for the peers that load edges
  edges.csv         id,a,b,highway,len_m,walk_s,drive_ab_s,drive_ba_s: one
                    row per segment between consecutive nodes of a way
                    (geodesic length on WGS84 of the written lon/lat;
                    walking 4.8 km/h; driving at maxspeed, -1 where cars
                    may not go that way)
  tracts.geojson    8,000 tract polygons (Voronoi cells of seeds drawn where
                    people live, clipped to the county) with GEOID, NAME,
                    POP (about 1.6 million people)
  tract_points.csv  geoid,pop,x,y: each tract's centroid (EPSG:3310)
  assets.csv        100,000 assets: id,name,lon,lat,category,capacity in
                    the 8 built-in categories (gen_ca.py's shares)
  assets_xy.csv     id,category,capacity,x,y
  cohort.csv        1,000,000 cohort points: id,lat,lon
  cohort_xy.npy     float64 [N, 2] x, y of the cohort (EPSG:3310)

Every count (people, assets, tracts) is multiplied by --scale; the
network is the same at every scale.  Deterministic for a given numpy.
Needs Debian's numpy, scipy, shapely and pyproj (gen_ca.py's helpers:
Voronoi cells, rounding to WGS84, the categories, the projections).
"""
import argparse
import json
import math
import os
import sys

import numpy as np
from pyproj import Geod
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import box, mapping

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_ca import (CATEGORIES, TO_ALBERS, TO_WGS84,  # noqa: E402
                    rounded_wgs84, voronoi_cells)

STEP = 50.0               # lattice step, metres
HALF_I, HALF_J = 520, 420  # lattice half-extent: 26 km by 21 km
URBAN, SUBURB = 200, 340  # zone limits in steps (Chebyshev): 10 km, 17 km
CENTRE = (-121.35, 38.55)
MPH = 1609.344 / 3600.0
MAXSPEED = {"primary": 45, "secondary": 35, "unclassified": 40,
            "residential": 25}
WALK_MPS = 4.8 / 3.6
RIVER_HALF = 90.0
# bridges: lattice columns (vertical lines) that cross the river
BRIDGES = {-384: "primary", -128: "primary", 128: "primary", 384: "primary",
           -240: "secondary", 10: "footway"}
ONEWAY_BOX = (-60, 60, -60, 0)   # i0, i1, j0, j1 in steps: the downtown

# place=* nodes (kind, name, metres east and north of the centre): a
# city, its suburbs, the towns beyond
PLACES = [("city", "Bench City", 0, -1500)] + [
    ("suburb", n, dx, dy) for n, dx, dy in (
        ("Northgate", 0, 7000), ("Eastside", 7000, 0), ("Southfield", 0, -8000),
        ("Westmoor", -7000, 0), ("Riverside", 4500, 5200), ("Old Mill", -5000, -5500))] + [
    ("town", n, dx, dy) for n, dx, dy in (
        ("Alder", -19000, 14000), ("Birchton", 19000, 14000), ("Cedar Falls", -19000, -15000),
        ("Dunmore", 19000, -15000), ("Elk Grove Junction", 0, 18000))]


def zone_k(i, j):
    """Street spacing in steps at lattice point (i, j)."""
    c = max(abs(i), abs(j))
    return 2 if c <= URBAN else (4 if c <= SUBURB else 8)


def line_class(n, i, j):
    """The highway class of line number n at lattice point (i, j), or None
    when no street runs there."""
    if n % 32 == 0:
        return "primary"
    if n % 32 == 16:
        return "secondary"
    k = zone_k(i, j)
    if n % k:
        return None
    return "unclassified" if k == 8 else "residential"


def river_y(x):
    return 3000.0 + 1500.0 * math.sin(2 * math.pi * x / 14000.0) + \
        400.0 * math.sin(2 * math.pi * x / 5000.0 + 1.0)


def in_river(i, j):
    x, y = i * STEP, j * STEP
    return abs(y - river_y(x)) < RIVER_HALF


def oneway_dir(n, vertical, i, j):
    """+1: one-way in increasing lattice order, -1: decreasing, 0: two-way
    (for a residential line n in the downtown box)."""
    i0, i1, j0, j1 = ONEWAY_BOX
    if not (i0 <= i <= i1 and j0 <= j <= j1):
        return 0
    q = (n // 2) % 4
    return 1 if q == 1 else (-1 if q == 3 else 0)


class Net:
    def __init__(self):
        self.node = {}        # (i, j) -> id
        self.ways = []        # (tags dict, [node ids], [(a, b) lattice])

    def nid(self, p):
        v = self.node.get(p)
        if v is None:
            v = len(self.node) + 1
            self.node[p] = v
        return v


def build(rng):
    """Lattice segments of every way, as (tags, [lattice points])."""
    ways = []

    def runs(n, vertical):
        """Split line n into maximal runs of one tag set."""
        lo, hi = (-HALF_J, HALF_J) if vertical else (-HALF_I, HALF_I)
        cur, pts = None, []
        for m in range(lo, hi + 1):
            i, j = (n, m) if vertical else (m, n)
            cls = line_class(n, i, j)
            ok = cls is not None and not in_river(i, j)
            tags = None
            if ok:
                ow = oneway_dir(n, vertical, i, j) if cls == "residential" else 0
                tags = (cls, ow)
            if pts and (tags != cur):
                # close the run; a run continues into the next tag set at
                # the shared point when both have a street there
                ways.append((cur, pts, n, vertical))
                pts = [pts[-1]] if (tags is not None and cur is not None) else []
            if tags is not None:
                pts.append((i, j))
            cur = tags
        if pts and cur is not None:
            ways.append((cur, pts, n, vertical))

    for n in range(-HALF_I, HALF_I + 1):
        runs(n, True)
    for n in range(-HALF_J, HALF_J + 1):
        runs(n, False)
    ways = [w for w in ways if len(w[1]) >= 2]

    # bridges: the last point below the river to the first above
    bridges = []
    for n, cls in sorted(BRIDGES.items()):
        j = 0
        while not in_river(n, j):
            j += 1
        below = j - 1
        while in_river(n, j):
            j += 1
        bridges.append((cls, [(n, below), (n, j)]))

    # footways through blocks: the core's 2x2-step blocks (1 in 3), the
    # suburbs' 4x4 (1 in 4), along the block's middle column
    foot = []
    for i in range(-HALF_I, HALF_I, 2):
        for j in range(-HALF_J, HALF_J, 2):
            k = zone_k(i, j)
            if k == 8 or i % k or j % k:
                continue
            if k == 2 and max(abs(i + 2), abs(j + 2)) > URBAN:
                continue
            if k == 4 and max(abs(i + 4), abs(j + 4)) > SUBURB:
                continue
            if rng.random() >= (1 / 3 if k == 2 else 1 / 4):
                continue
            c = i + k // 2
            pts = [(c, j + t) for t in range(k + 1)]
            if any(in_river(*p) for p in pts):
                continue
            foot.append(pts)
    return ways, bridges, foot


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=20261207)
    a = ap.parse_args()
    n_tracts = max(20, int(round(8000 * a.scale)))
    n_assets = max(200, int(round(100000 * a.scale)))
    n_cohort = max(1000, int(round(1000000 * a.scale)))
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    cx, cy = TO_ALBERS.transform(*CENTRE)

    import random
    prng = random.Random(a.seed)
    ways, bridges, foot = build(prng)

    # segments (lattice point pairs) with their tags
    wayspec = []  # (highway, oneway, bridge, [points]) in write order
    for (cls, ow), pts, n, vertical in ways:
        wayspec.append((cls, ow, False, pts))
    for cls, pts in bridges:
        wayspec.append((cls, 0, True, pts))
    for pts in foot:
        wayspec.append(("footway", 0, False, pts))

    # keep the largest piece on foot (everything is walkable)
    idx = {}
    for _, _, _, pts in wayspec:
        for p in pts:
            if p not in idx:
                idx[p] = len(idx)
    ea, eb = [], []
    for _, _, _, pts in wayspec:
        for p, q in zip(pts[:-1], pts[1:]):
            ea.append(idx[p])
            eb.append(idx[q])
    m = coo_matrix((np.ones(len(ea)), (ea, eb)), shape=(len(idx), len(idx)))
    _, lab = connected_components(m, directed=False)
    big = np.bincount(lab).argmax()
    keep = lab == big
    dropped = int((~keep).sum())
    wayspec = [w for w in wayspec if keep[idx[w[3][0]]]]

    # node ids in first-use order; way ids; split long ways (<= 60 points)
    net = Net()
    out_ways = []
    for cls, ow, bridge, pts in wayspec:
        start = 0
        while start < len(pts) - 1:
            chunk = pts[start:start + 60]
            start += len(chunk) - 1
            out_ways.append((cls, ow, bridge, [net.nid(p) for p in chunk], chunk))
    nn = len(net.node)
    lat_ij = np.empty((nn, 2), dtype=np.int64)
    for p, v in net.node.items():
        lat_ij[v - 1] = p
    x = cx + lat_ij[:, 0] * STEP
    y = cy + lat_ij[:, 1] * STEP
    lon, lat = TO_WGS84.transform(x, y)
    lon = np.round(np.asarray(lon), 7)
    lat = np.round(np.asarray(lat), 7)
    xr, yr = TO_ALBERS.transform(lon, lat)

    # the river's own way (its nodes are not road nodes)
    river = []
    for i in range(-HALF_I, HALF_I + 1, 4):
        river.append(TO_WGS84.transform(cx + i * STEP, cy + river_y(i * STEP)))

    names = {"primary": "%s Avenue", "secondary": "%s Boulevard",
             "residential": "%s Street", "unclassified": "%s Road"}
    tmp = os.path.join(a.outdir, "county.osm.tmp")
    with open(tmp, "w") as f:
        f.write("<?xml version='1.0' encoding='UTF-8'?>\n"
                "<osm version=\"0.6\" generator=\"assetmap bench/gen_roads.py\">\n")
        f.write("  <bounds minlat=\"%.7f\" minlon=\"%.7f\" maxlat=\"%.7f\" "
                "maxlon=\"%.7f\"/>\n" % (lat.min(), lon.min(), lat.max(), lon.max()))
        buf = []
        for k in range(nn):
            buf.append("  <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n"
                       % (k + 1, lat[k], lon[k]))
        rbase = nn + 1
        for k, (rlon, rlat) in enumerate(river):
            buf.append("  <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n"
                       % (rbase + k, rlat, rlon))
        # places for the map bench's basemap labels (no road uses them)
        pbase = rbase + len(river)
        for k, (kind, name, px, py) in enumerate(PLACES):
            plon, plat = TO_WGS84.transform(cx + px, cy + py)
            buf.append("  <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\">\n"
                       "    <tag k=\"place\" v=\"%s\"/>\n"
                       "    <tag k=\"name\" v=\"%s\"/>\n  </node>\n"
                       % (pbase + k, plat, plon, kind, name))
        f.writelines(buf)
        buf = []
        for w, (cls, ow, bridge, ids, chunk) in enumerate(out_ways):
            if ow < 0 and w % 2 == 0:
                # half of the against-the-grain one-ways are drawn in
                # their travel direction with oneway=yes, half against it
                # with oneway=-1
                ids = ids[::-1]
                ow_tag = "yes"
            elif ow < 0:
                ow_tag = "-1"
            elif ow > 0:
                ow_tag = "yes"
            else:
                ow_tag = None
            buf.append("  <way id=\"%d\" version=\"1\">\n" % (w + 1))
            buf.extend("    <nd ref=\"%d\"/>\n" % v for v in ids)
            buf.append("    <tag k=\"highway\" v=\"%s\"/>\n" % cls)
            i0, j0 = chunk[0]
            i1, j1 = chunk[-1]
            vertical = i0 == i1
            if cls != "footway":
                line = i0 if vertical else j0
                num = abs(line)
                side = ("E" if line >= 0 else "W") if vertical else \
                    ("N" if line >= 0 else "S")
                buf.append("    <tag k=\"name\" v=\"%s %s\"/>\n" %
                           (side, names[cls] % ("%d" % num)))
                buf.append("    <tag k=\"maxspeed\" v=\"%d mph\"/>\n" % MAXSPEED[cls])
            if ow_tag:
                buf.append("    <tag k=\"oneway\" v=\"%s\"/>\n" % ow_tag)
            if bridge:
                buf.append("    <tag k=\"bridge\" v=\"yes\"/>\n"
                           "    <tag k=\"layer\" v=\"1\"/>\n")
            buf.append("  </way>\n")
            if len(buf) > 100000:
                f.writelines(buf)
                buf = []
        buf.append("  <way id=\"%d\" version=\"1\">\n" % (len(out_ways) + 1))
        buf.extend("    <nd ref=\"%d\"/>\n" % (rbase + k) for k in range(len(river)))
        buf.append("    <tag k=\"waterway\" v=\"river\"/>\n"
                   "    <tag k=\"name\" v=\"Bench River\"/>\n  </way>\n</osm>\n")
        f.writelines(buf)
    os.replace(tmp, os.path.join(a.outdir, "county.osm"))

    # nodes and segments for the peers that load edges
    with open(os.path.join(a.outdir, "nodes.csv"), "w") as f:
        f.write("id,lon,lat,x,y\n")
        f.writelines("%d,%.7f,%.7f,%.3f,%.3f\n" % (k + 1, lon[k], lat[k], xr[k], yr[k])
                     for k in range(nn))
    sa, sb, shw, sow = [], [], [], []
    for cls, ow, bridge, ids, chunk in out_ways:
        for u, v in zip(ids[:-1], ids[1:]):
            sa.append(u)
            sb.append(v)
            shw.append(cls)
            sow.append(ow)   # in lattice (= id list) order
    sa = np.array(sa)
    sb = np.array(sb)
    geod = Geod(ellps="WGS84")
    _, _, length = geod.inv(lon[sa - 1], lat[sa - 1], lon[sb - 1], lat[sb - 1])
    length = np.asarray(length)
    with open(os.path.join(a.outdir, "edges.csv"), "w") as f:
        f.write("id,a,b,highway,len_m,walk_s,drive_ab_s,drive_ba_s\n")
        for k in range(len(sa)):
            cls = shw[k]
            L = length[k]
            if cls == "footway":
                dab = dba = -1.0
            else:
                t = L / (MAXSPEED[cls] * MPH)
                dab = t if sow[k] >= 0 else -1.0
                dba = t if sow[k] <= 0 else -1.0
            f.write("%d,%d,%d,%s,%.3f,%.3f,%.3f,%.3f\n" % (
                k + 1, sa[k], sb[k], cls, L, L / WALK_MPS, dab, dba))

    # check: one strongly connected piece by car
    drive = [k for k in range(len(sa)) if shw[k] != "footway"]
    ra, rb = [], []
    for k in drive:
        if sow[k] >= 0:
            ra.append(sa[k] - 1)
            rb.append(sb[k] - 1)
        if sow[k] <= 0:
            ra.append(sb[k] - 1)
            rb.append(sa[k] - 1)
    dn = np.unique(np.concatenate([sa[drive], sb[drive]])) - 1
    m = coo_matrix((np.ones(len(ra)), (ra, rb)), shape=(nn, nn))
    _, lab = connected_components(m, directed=True, connection="strong")
    ncar = len(np.unique(lab[dn]))

    # ---- people, assets, tracts ----------------------------------------
    xmin, xmax = cx - HALF_I * STEP, cx + HALF_I * STEP
    ymin, ymax = cy - HALF_J * STEP, cy + HALF_J * STEP

    def people(n, core=0.55, sub=0.35, sigma=6000.0):
        out = np.empty((0, 2))
        while len(out) < n:
            mm = int((n - len(out)) * 1.2) + 100
            u = rng.random(mm)
            px = np.where(u < core, cx + rng.normal(0, sigma, mm),
                          np.where(u < core + sub, cx + rng.uniform(-17000, 17000, mm),
                                   rng.uniform(xmin, xmax, mm)))
            py = np.where(u < core, cy + rng.normal(0, sigma, mm),
                          np.where(u < core + sub, cy + rng.uniform(-17000, 17000, mm),
                                   rng.uniform(ymin, ymax, mm)))
            ok = (px > xmin) & (px < xmax) & (py > ymin) & (py < ymax)
            out = np.vstack([out, np.column_stack([px[ok], py[ok]])])
        return out[:n]

    county = box(xmin, ymin, xmax, ymax)
    seeds = people(n_tracts, core=0.5, sub=0.35)
    cells = voronoi_cells(seeds, county)
    coh = people(n_cohort)
    from scipy.spatial import cKDTree
    _, owner = cKDTree(seeds).query(coh)
    per = np.bincount(owner, minlength=n_tracts)
    pop = per * (1.6e6 / n_cohort) * rng.lognormal(0, 0.25, n_tracts)
    pop = np.maximum(pop, rng.integers(0, 60, n_tracts)).round().astype(int)
    feats, tpts = [], []
    for k in range(n_tracts):
        g = rounded_wgs84(cells[k])
        if g is None:
            continue
        geoid = "06067%06d" % (100 * (k + 1))
        feats.append({"type": "Feature", "properties": {
            "GEOID": geoid, "NAME": "Census Tract %d" % (k + 1),
            "POP": int(pop[k])}, "geometry": mapping(g)})
        # the centroid assetmap takes: of the polygon in EPSG:3310
        from shapely.ops import transform as shp_transform
        gp = shp_transform(lambda xx, yy: TO_ALBERS.transform(xx, yy), g)
        if gp.geom_type != "Polygon":
            gp = max(gp.geoms, key=lambda q: q.area)
        c = gp.centroid
        tpts.append((geoid, int(pop[k]), c.x, c.y))
    with open(os.path.join(a.outdir, "tracts.geojson"), "w") as f:
        f.write('{"type": "FeatureCollection", "name": "tracts", "features": [\n')
        for k, ft in enumerate(feats):
            f.write(("," if k else "") + json.dumps(ft, separators=(",", ":")) + "\n")
        f.write("]}\n")
    with open(os.path.join(a.outdir, "tract_points.csv"), "w") as f:
        f.write("geoid,pop,x,y\n")
        f.writelines("%s,%d,%.3f,%.3f\n" % t for t in tpts)

    ass = people(n_assets, core=0.5, sub=0.35, sigma=7000.0)
    alon, alat = TO_WGS84.transform(ass[:, 0], ass[:, 1])
    alon = np.round(np.asarray(alon), 6)
    alat = np.round(np.asarray(alat), 6)
    ax, ay = TO_ALBERS.transform(alon, alat)
    codes = [c for c, _ in CATEGORIES]
    shares = np.array([p for _, p in CATEGORIES])
    cat = rng.choice(len(codes), size=n_assets, p=shares / shares.sum())
    cap = np.maximum(1, rng.lognormal(3.5, 0.9, n_assets).round()).astype(int)
    with open(os.path.join(a.outdir, "assets.csv"), "w") as f:
        f.write("id,name,lon,lat,category,capacity\n")
        f.writelines("A%06d,Site %d,%.6f,%.6f,%s,%d\n" % (
            k + 1, k + 1, alon[k], alat[k], codes[cat[k]], cap[k]) for k in range(n_assets))
    with open(os.path.join(a.outdir, "assets_xy.csv"), "w") as f:
        f.write("id,category,capacity,x,y\n")
        f.writelines("A%06d,%s,%d,%.3f,%.3f\n" % (
            k + 1, codes[cat[k]], cap[k], ax[k], ay[k]) for k in range(n_assets))

    plon, plat = TO_WGS84.transform(coh[:, 0], coh[:, 1])
    plon = np.round(np.asarray(plon), 6)
    plat = np.round(np.asarray(plat), 6)
    with open(os.path.join(a.outdir, "cohort.csv"), "w") as f:
        f.write("id,lat,lon\n")
        f.writelines("%d,%.6f,%.6f\n" % (k + 1, plat[k], plon[k]) for k in range(n_cohort))
    px, py = TO_ALBERS.transform(plon, plat)
    np.save(os.path.join(a.outdir, "cohort_xy.npy"), np.column_stack([px, py]))

    print("gen_roads: %d road nodes, %d ways, %d segments (%d bridges, %d "
          "footways; %d lattice points cut off by the river left out; %d "
          "strongly connected piece(s) by car); %d tracts (population %d), "
          "%d assets, %d cohort points in %s"
          % (nn, len(out_ways), len(sa), len(bridges), len(foot), dropped,
             ncar, len(feats), int(pop.sum()), n_assets, n_cohort, a.outdir),
          file=sys.stderr)
    if ncar != 1:
        print("gen_roads: the car network is not one strongly connected piece",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
