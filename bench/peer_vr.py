#!/usr/bin/python3
"""peer_vr.py - SpatiaLite's VirtualRouting, the peer of the routing bench
(bench/roads.sh), driven through the sqlite3 shell (Debian's python3
sqlite3 module cannot load extensions).

    peer_vr.py setup DATA WORK
        WORK/vr.sqlite: the generator's edges (DATA/edges.csv, the same
        segments as county.osm) and CreateRouting twice: vr_walk (every
        edge both ways, walking seconds) and vr_drive (no footways, one-way
        columns, driving seconds).  Also the assets' nearest nodes and
        legs per mode (anode_walk, anode_drive: scipy cKDTree, not timed
        apart).
    peer_vr.py nearest MODE DATA WORK OUT.csv SAMPLE EXTRAP
        For the first SAMPLE cohort points: the seconds to the nearest
        asset of each category, door to door (leg to the nearest node at
        the access speed, as peer_nx.py): one isochrone query per point
        through the virtual table (SELECT ... FROM vr_MODE WHERE NodeFrom
        = n AND Cost <= C), joined to the assets' nodes; points with a
        category not reached within C are asked again with 4 C.  Writes
        "F Q 0 QC" to EXTRAP (F = points / SAMPLE, Q = the sqlite3 seconds,
        QC its CPU seconds).
    peer_vr.py tracts MODE DATA WORK OUT.csv N
        The same from the first N tracts' points (geoid, 8 columns), for
        the check.
    peer_vr.py 2sfca DATA WORK OUT.csv SAMPLE EXTRAP
        For the first SAMPLE tracts: the food assets within 30 minutes'
        drive (an isochrone per tract, Cost <= 30 min less the tract's
        leg), extrapolated to every tract as above.
"""
import csv
import os
import resource
import subprocess
import sys
import time

import numpy as np

CATS = ["food", "housing", "transportation", "utilities", "legal",
        "behavioral_health", "primary_care", "childcare"]
WALK_MPS = 4.8 / 3.6
DRIVE_ACCESS_MPS = 20.0 / 3.6
CATCHMENT_S = 1800.0
FIRST_C = {"walk": 900.0, "drive": 300.0}


def sql(db, text, csv_out=None):
    """Run text in sqlite3 with mod_spatialite; the seconds it took, wall
    and CPU (sqlite3's user + system)."""
    t0 = time.monotonic()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = ["sqlite3", "-bail", "-cmd", ".load mod_spatialite", "-cmd",
           "PRAGMA cache_size=-262144"]
    if csv_out:
        cmd += ["-csv"]
    cmd += [db]
    p = subprocess.run(cmd, input=text, text=True, capture_output=True)
    if p.returncode != 0:
        sys.exit("peer_vr.py: sqlite3 failed: " + p.stderr[-2000:])
    if csv_out:
        with open(csv_out, "w") as f:
            f.write(p.stdout)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return np.array([time.monotonic() - t0,
                     r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime])


def nodes(data):
    a = np.genfromtxt(os.path.join(data, "nodes.csv"), delimiter=",", skip_header=1,
                      usecols=(0, 3, 4))
    return a[:, 0].astype(np.int64), a[:, 1:3]


def drive_nodes(data):
    ids = set()
    with open(os.path.join(data, "edges.csv")) as f:
        for r in csv.DictReader(f):
            if r["highway"] != "footway":
                ids.add(int(r["a"]))
                ids.add(int(r["b"]))
    return ids


def trees(data):
    from scipy.spatial import cKDTree
    ids, xy = nodes(data)
    dn = drive_nodes(data)
    m = np.array([i in dn for i in ids])
    return {"walk": (ids, cKDTree(xy)), "drive": (ids[m], cKDTree(xy[m]))}


def assets(data):
    with open(os.path.join(data, "assets_xy.csv")) as f:
        r = list(csv.DictReader(f))
    return ([row["id"] for row in r], [row["category"] for row in r],
            np.array([[float(row["x"]), float(row["y"])] for row in r]))


def do_setup(data, work):
    db = os.path.join(work, "vr.sqlite")
    if os.path.exists(db):
        os.remove(db)
    t = trees(data)
    aid, acat, axy = assets(data)
    for mode, speed in (("walk", WALK_MPS), ("drive", DRIVE_ACCESS_MPS)):
        ids, tree = t[mode]
        d, i = tree.query(axy)
        with open(os.path.join(work, "anode_%s.csv" % mode), "w") as f:
            f.write("id,cat,node,leg\n")
            f.writelines("%s,%s,%d,%.3f\n" % (aid[k], acat[k], ids[i[k]], d[k] / speed)
                         for k in range(len(aid)))
    sql(db, """
SELECT InitSpatialMetadata(1);
CREATE TABLE edges_s(id INTEGER, a INTEGER, b INTEGER, highway TEXT, len_m REAL,
  walk_s REAL, drive_ab_s REAL, drive_ba_s REAL);
.import --csv --skip 1 '{e}' edges_s
CREATE TABLE e_walk(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, cost REAL);
INSERT INTO e_walk SELECT id, a, b, walk_s FROM edges_s;
CREATE TABLE e_drive(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, cost REAL,
  fwd INTEGER, bwd INTEGER);
INSERT INTO e_drive SELECT id, a, b, max(drive_ab_s, drive_ba_s), drive_ab_s >= 0,
  drive_ba_s >= 0 FROM edges_s WHERE highway <> 'footway';
DROP TABLE edges_s;
SELECT CreateRouting('vr_walk_data', 'vr_walk', 'e_walk', 'a', 'b', NULL, 'cost',
  NULL, 0, 1, NULL, NULL, 1);
SELECT CreateRouting('vr_drive_data', 'vr_drive', 'e_drive', 'a', 'b', NULL, 'cost',
  NULL, 0, 1, 'fwd', 'bwd', 1);
CREATE TABLE anode_walk(id TEXT, cat TEXT, node INTEGER, leg REAL);
.import --csv --skip 1 '{w}/anode_walk.csv' anode_walk
CREATE TABLE anode_drive(id TEXT, cat TEXT, node INTEGER, leg REAL);
.import --csv --skip 1 '{w}/anode_drive.csv' anode_drive
CREATE INDEX anode_walk_node ON anode_walk(node);
CREATE INDEX anode_drive_node ON anode_drive(node);
SELECT count(*) FROM vr_walk_data;
""".format(e=os.path.join(data, "edges.csv"), w=work))


def do_nearest(mode, data, work, out, sample, extrap):
    pxy = np.load(os.path.join(data, "cohort_xy.npy"))
    n = min(sample, len(pxy))
    q = route(mode, data, work, pxy[:n], [str(k + 1) for k in range(n)], "p", out)
    with open(extrap, "w") as f:
        f.write("%f %f 0 %f\n" % (len(pxy) / n, q[0], q[1]))


def do_tracts(mode, data, work, out, sample):
    with open(os.path.join(data, "tract_points.csv")) as f:
        tr = list(csv.DictReader(f))[:sample]
    route(mode, data, work, np.array([[float(r["x"]), float(r["y"])] for r in tr]),
          [r["geoid"] for r in tr], "geoid", out)


def route(mode, data, work, pxy, names, key, out):
    """Seconds to the nearest asset of each category from each place,
    written to out (key, then one column per category); returns the
    seconds sqlite3 took."""
    db = os.path.join(work, "vr.sqlite")
    ids, tree = trees(data)[mode]
    speed = WALK_MPS if mode == "walk" else DRIVE_ACCESS_MPS
    n = len(pxy)
    d, i = tree.query(pxy)
    pnode = ids[i]
    pleg = d / speed
    best = {}   # (point, cat) -> seconds
    todo = list(range(n))
    c = FIRST_C[mode]
    q = np.zeros(2)
    while todo:
        lines = ["BEGIN;", "CREATE TEMP TABLE iso(p INTEGER, node INTEGER, cost REAL);"]
        for k in todo:
            lines.append("INSERT INTO iso VALUES (%d, %d, 0);" % (k, pnode[k]))
            lines.append("INSERT INTO iso SELECT %d, NodeTo, Cost FROM vr_%s WHERE "
                         "NodeFrom = %d AND Cost <= %.1f;" % (k, mode, pnode[k], c))
        lines.append("SELECT i.p, a.cat, min(i.cost + a.leg) FROM iso i JOIN anode_%s a "
                     "ON a.node = i.node GROUP BY i.p, a.cat;" % mode)
        lines.append("COMMIT;")
        res = os.path.join(work, "vr_pass.csv")
        q += sql(db, "\n".join(lines) + "\n", csv_out=res)
        with open(res) as f:
            for p, cat, s in csv.reader(f):
                p = int(p)
                best[(p, cat)] = float(s) + pleg[p]
        # an answer is final when its network part and the asset's leg
        # together are <= C: any asset not reached is more than C away;
        # else (or none reached) the point is asked again with 4 C
        todo = [k for k in todo
                if any((k, cat) not in best or best[(k, cat)] - pleg[k] > c for cat in CATS)]
        for k in todo:
            for cat in CATS:
                best.pop((k, cat), None)
        c *= 4
        if c > 86400 * 4:
            break
    with open(out, "w") as f:
        f.write(key + "," + ",".join(CATS) + "\n")
        for k in range(n):
            f.write("%s,%s\n" % (names[k], ",".join("%.3f" % best.get((k, cat), float("inf"))
                                                    for cat in CATS)))
    return q


def do_2sfca(data, work, out, sample, extrap):
    db = os.path.join(work, "vr.sqlite")
    ids, tree = trees(data)["drive"]
    with open(os.path.join(data, "tract_points.csv")) as f:
        tr = list(csv.DictReader(f))
    txy = np.array([[float(r["x"]), float(r["y"])] for r in tr])
    n = min(sample, len(tr))
    d, i = tree.query(txy[:n])
    lines = ["BEGIN;", "CREATE TEMP TABLE iso(p INTEGER, node INTEGER, cost REAL);"]
    for k in range(n):
        leg = d[k] / DRIVE_ACCESS_MPS
        lines.append("INSERT INTO iso VALUES (%d, %d, %.3f);" % (k, ids[i[k]], leg))
        lines.append("INSERT INTO iso SELECT %d, NodeTo, Cost + %.3f FROM vr_drive WHERE "
                     "NodeFrom = %d AND Cost <= %.3f;" % (k, leg, ids[i[k]], CATCHMENT_S - leg))
    lines.append("SELECT i.p, count(*) FROM iso i JOIN anode_drive a ON a.node = i.node "
                 "WHERE a.cat = 'food' AND i.cost + a.leg <= %.1f GROUP BY i.p;" % CATCHMENT_S)
    lines.append("COMMIT;")
    res = os.path.join(work, "vr_fca_pass.csv")
    q = sql(db, "\n".join(lines) + "\n", csv_out=res)
    got = {}
    with open(res) as f:
        for p, cnt in csv.reader(f):
            got[int(p)] = int(cnt)
    with open(out, "w") as f:
        f.write("geoid,reached\n")
        f.writelines("%s,%d\n" % (tr[k]["geoid"], got.get(k, 0)) for k in range(n))
    with open(extrap, "w") as f:
        f.write("%f %f 0 %f\n" % (len(tr) / n, q[0], q[1]))


def main():
    a = sys.argv[1:]
    if a[:1] == ["setup"]:
        do_setup(a[1], a[2])
    elif a[:1] == ["nearest"]:
        do_nearest(a[1], a[2], a[3], a[4], int(a[5]), a[6])
    elif a[:1] == ["tracts"]:
        do_tracts(a[1], a[2], a[3], a[4], int(a[5]))
    elif a[:1] == ["2sfca"]:
        do_2sfca(a[1], a[2], a[3], int(a[4]), a[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
