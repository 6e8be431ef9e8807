#!/usr/bin/python3
"""peer_nx.py - the OSMnx/networkx peer of the routing bench (bench/roads.sh).

    peer_nx.py import DATA WORK
        OSMnx reads DATA/county.osm (ox.graph_from_xml, one-way tags
        kept), drops ways that are not highways (the river), sets each
        edge's walking and driving seconds (4.8 km/h; maxspeed), and
        simplifies (ox.simplify_graph, summing the seconds), once for
        walking (every edge both ways) and once for driving (no footways,
        one-way kept).  Each is saved as a networkx DiGraph with its nodes'
        EPSG:3310 coordinates in WORK/nx_walk.pkl and WORK/nx_drive.pkl.
    peer_nx.py nearest MODE DATA WORK OUT.npy
        For every cohort point and each of the 8 categories, the seconds
        to the nearest asset door to door: each place joins the nearest
        node (scipy cKDTree) by a straight leg at the mode's access speed
        (walking 4.8 km/h, driving 20 km/h); one multi-source Dijkstra per
        category (nx.multi_source_dijkstra_path_length from a virtual
        source joined to every asset's node by its leg, on the reversed
        graph: paths run from the place to the asset).
    peer_nx.py 2sfca DATA WORK OUT.csv SAMPLE EXTRAP
        2SFCA with a 30-minute driving catchment (category food): one
        Dijkstra per tract (nx.single_source_dijkstra_path_length, cutoff
        30 min less the tract's leg) for the first SAMPLE tracts; writes
        "F Q 0 QC" to EXTRAP (F = tracts / SAMPLE, Q = the searches'
        seconds, QC their CPU seconds)
        for roads.sh to extrapolate.  OUT: geoid, assets reached.
"""
import csv
import math
import os
import pickle
import sys
import time

import numpy as np

CATS = ["food", "housing", "transportation", "utilities", "legal",
        "behavioral_health", "primary_care", "childcare"]
WALK_MPS = 4.8 / 3.6
DRIVE_ACCESS_MPS = 20.0 / 3.6
CATCHMENT_S = 1800.0


def maxspeed_mps(v):
    if isinstance(v, list):
        v = v[0]
    s = str(v).strip()
    if s.endswith("mph"):
        return float(s[:-3]) * 1609.344 / 3600.0
    return float(s) / 3.6


def do_import(data, work):
    import networkx as nx
    import osmnx as ox
    from pyproj import Geod, Transformer
    G = ox.graph_from_xml(os.path.join(data, "county.osm"), bidirectional=False,
                          simplify=False, retain_all=True)
    drop = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
            if "highway" not in d]
    G.remove_edges_from(drop)
    G.remove_nodes_from([n for n in list(G.nodes) if G.degree(n) == 0])
    # lengths geodesic on WGS84, as the other tools measure them
    geod = Geod(ellps="WGS84")
    es = list(G.edges(keys=True, data=True))
    lon0 = np.array([G.nodes[u]["x"] for u, _, _, _ in es])
    lat0 = np.array([G.nodes[u]["y"] for u, _, _, _ in es])
    lon1 = np.array([G.nodes[v]["x"] for _, v, _, _ in es])
    lat1 = np.array([G.nodes[v]["y"] for _, v, _, _ in es])
    _, _, L = geod.inv(lon0, lat0, lon1, lat1)
    for (u, v, k, d), length in zip(es, L):
        d["length"] = float(length)
    to3310 = Transformer.from_crs("EPSG:4326", "EPSG:3310", always_xy=True)

    def save(H, weight, name):
        D = nx.DiGraph()
        for u, v, d in H.edges(data=True):
            w = d[weight]
            if not D.has_edge(u, v) or D[u][v]["w"] > w:
                D.add_edge(u, v, w=w)
        ids = np.array(list(D.nodes), dtype=np.int64)
        x, y = to3310.transform([H.nodes[n]["x"] for n in ids],
                                [H.nodes[n]["y"] for n in ids])
        with open(os.path.join(work, name), "wb") as f:
            pickle.dump({"G": D, "ids": ids, "xy": np.column_stack([x, y])}, f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        return D

    # driving: no footways; seconds at maxspeed, summed by simplify_graph
    Dg = G.copy()
    Dg.remove_edges_from([(u, v, k) for u, v, k, d in Dg.edges(keys=True, data=True)
                          if d["highway"] == "footway"])
    Dg.remove_nodes_from([n for n in list(Dg.nodes) if Dg.degree(n) == 0])
    for u, v, k, d in Dg.edges(keys=True, data=True):
        d["travel_time"] = d["length"] / maxspeed_mps(d["maxspeed"])
    Dg = ox.simplify_graph(Dg)
    dd = save(Dg, "travel_time", "nx_drive.pkl")
    # walking: every edge both ways
    W = G.copy()
    for u, v, k, d in list(G.edges(keys=True, data=True)):
        if not G.has_edge(v, u):
            W.add_edge(v, u, **d)
    for u, v, k, d in W.edges(keys=True, data=True):
        d["travel_time"] = d["length"] / WALK_MPS
    W = ox.simplify_graph(W)
    dw = save(W, "travel_time", "nx_walk.pkl")
    print("networkx: walking %d nodes %d edges, driving %d nodes %d edges "
          "(simplified from %d nodes)" % (dw.number_of_nodes(), dw.number_of_edges(),
                                          dd.number_of_nodes(), dd.number_of_edges(),
                                          G.number_of_nodes()), file=sys.stderr)


def load(work, mode):
    with open(os.path.join(work, "nx_%s.pkl" % mode), "rb") as f:
        return pickle.load(f)


def assets(data):
    with open(os.path.join(data, "assets_xy.csv")) as f:
        r = list(csv.DictReader(f))
    cat = np.array([row["category"] for row in r])
    xy = np.array([[float(row["x"]), float(row["y"])] for row in r])
    cap = np.array([float(row["capacity"]) for row in r])
    return cat, xy, cap


def do_nearest(mode, data, work, out):
    import networkx as nx
    from scipy.spatial import cKDTree
    g = load(work, mode)
    G, ids, nxy = g["G"], g["ids"], g["xy"]
    speed = WALK_MPS if mode == "walk" else DRIVE_ACCESS_MPS
    tree = cKDTree(nxy)
    pxy = np.load(os.path.join(data, "cohort_xy.npy"))
    pd_, pi = tree.query(pxy)
    cat, axy, _ = assets(data)
    ad, ai = tree.query(axy)
    # the tracts' points too, for the check
    with open(os.path.join(data, "tract_points.csv")) as f:
        tr = list(csv.DictReader(f))
    geoids = [r["geoid"] for r in tr]
    td, ti = tree.query(np.array([[float(r["x"]), float(r["y"])] for r in tr]))
    tleg = td / speed
    tnode = ids[ti]
    tres = np.full((len(tr), len(CATS)), np.inf)
    R = G.reverse(copy=True)     # paths from the place to the asset
    res = np.full((len(pxy), len(CATS)), np.inf)
    pleg = pd_ / speed
    node_of = ids[pi]
    for c, name in enumerate(CATS):
        sel = np.nonzero(cat == name)[0]
        src = "S"
        for k in sel:
            n = ids[ai[k]]
            w = ad[k] / speed
            if not R.has_edge(src, n) or R[src][n]["w"] > w:
                R.add_edge(src, n, w=w)
        dist = nx.multi_source_dijkstra_path_length(R, {src}, weight="w")
        R.remove_node(src)
        res[:, c] = pleg + np.array([dist.get(n, math.inf) for n in node_of])
        tres[:, c] = tleg + np.array([dist.get(n, math.inf) for n in tnode])
    np.save(out, res)
    with open(os.path.join(work, "nx_tr_%s.csv" % mode), "w") as f:
        f.write("geoid," + ",".join(CATS) + "\n")
        f.writelines("%s,%s\n" % (g, ",".join("%.3f" % v for v in row))
                     for g, row in zip(geoids, tres))


def do_2sfca(data, work, out, sample, extrap):
    import networkx as nx
    from scipy.spatial import cKDTree
    g = load(work, "drive")
    G, ids, nxy = g["G"], g["ids"], g["xy"]
    tree = cKDTree(nxy)
    with open(os.path.join(data, "tract_points.csv")) as f:
        tr = list(csv.DictReader(f))
    txy = np.array([[float(r["x"]), float(r["y"])] for r in tr])
    cat, axy, cap = assets(data)
    food = np.nonzero(cat == "food")[0]
    ad, ai = tree.query(axy[food])
    at_node = {}
    for k, (d, i) in enumerate(zip(ad, ai)):
        at_node.setdefault(ids[i], []).append((k, d / DRIVE_ACCESS_MPS))
    td, ti = tree.query(txy)
    n = min(sample, len(tr))
    t0 = time.monotonic()
    c0 = time.process_time()
    rows = []
    for t in range(n):
        leg = td[t] / DRIVE_ACCESS_MPS
        dist = nx.single_source_dijkstra_path_length(G, ids[ti[t]], cutoff=CATCHMENT_S - leg,
                                                     weight="w")
        reached = 0
        for node, dn in dist.items():
            for k, aleg in at_node.get(node, ()):
                if leg + dn + aleg <= CATCHMENT_S:
                    reached += 1
        rows.append((tr[t]["geoid"], reached))
    q = time.monotonic() - t0
    qc = time.process_time() - c0
    with open(out, "w") as f:
        f.write("geoid,reached\n")
        f.writelines("%s,%d\n" % r for r in rows)
    with open(extrap, "w") as f:
        f.write("%f %f 0 %f\n" % (len(tr) / n, q, qc))


def main():
    a = sys.argv[1:]
    if a[:1] == ["import"]:
        do_import(a[1], a[2])
    elif a[:1] == ["nearest"]:
        do_nearest(a[1], a[2], a[3], a[4])
    elif a[:1] == ["2sfca"]:
        do_2sfca(a[1], a[2], a[3], int(a[4]), a[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
