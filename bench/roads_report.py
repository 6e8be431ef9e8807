#!/usr/bin/python3
"""roads_report.py - the routing bench's answers check and table (bench/roads.sh).

    roads_report.py check WORK DATA CHK
        How far the tools' answers agree, seconds to the nearest asset of
        each category door to door: the peers for the first CHK cohort
        points (VirtualRouting: its sample), and every tool from each
        tract's point (assetmap's 'nearest --by' without --cohort,
        exported): per pair of tools and mode, the
        median and 95th percentile of |difference| and the share within
        a tolerance (60 s walking, 30 s driving: the peers join the
        network at the nearest node, assetmap at the nearest point of the
        nearest segment, so a leg may differ by up to half a block).  And
        for 2SFCA the food assets each sampled tract reaches in 30 min.
    roads_report.py table RESULTS.tsv OUT.md [--nodes N ...]
        The table: task, tool, wall and CPU seconds, MB, ratio to
        assetmap (wall and CPU), target, pass/fail.
"""
import argparse
import csv
import math
import os
import sys

import numpy as np

CATS = ["food", "housing", "transportation", "utilities", "legal",
        "behavioral_health", "primary_care", "childcare"]
TOL = {"walk": 60.0, "drive": 30.0}


def load_nx(work, mode, n):
    p = os.path.join(work, "nx_%s.npy" % mode)
    if not os.path.exists(p):
        return None
    a = np.load(p)
    return {k + 1: a[k] for k in range(min(n, len(a)))}


def load_pg(work, mode):
    p = os.path.join(work, "pg_nn_%s.csv" % mode)
    if not os.path.exists(p) or os.path.getsize(p) == 0:
        return None
    out = {}
    with open(p) as f:
        for r in csv.DictReader(f):
            out.setdefault(int(r["id"]), np.full(len(CATS), np.inf))[CATS.index(r["cat"])] = \
                float(r["secs"])
    return out


def load_vr(work, mode):
    p = os.path.join(work, "vr_%s.csv" % mode)
    if not os.path.exists(p):
        return None
    out = {}
    with open(p) as f:
        for r in csv.DictReader(f):
            out[int(r["p"])] = np.array([float(r[c]) for c in CATS])
    return out


def load_tr(path, key="geoid", scale=1.0, prefix=""):
    """Answers per tract: key, then per category seconds (peers) or
    prefix + category minutes (assetmap's export: scale 60)."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    out = {}
    with open(path) as f:
        rd = csv.DictReader(f)
        if "cat" in rd.fieldnames:       # pgRouting: geoid, cat, secs
            for r in rd:
                out.setdefault(r["geoid"], np.full(len(CATS), np.inf))[
                    CATS.index(r["cat"])] = float(r["secs"])
            return out
        for r in rd:
            v = []
            for c in CATS:
                x = r.get(prefix + c, "")
                v.append(float(x) * scale if x not in ("", "unreachable") else math.inf)
            out[r[key]] = np.array(v)
    return out


def compare(a, b, tol):
    keys = sorted(set(a) & set(b))
    if not keys:
        return None
    x = np.array([a[k] for k in keys]).ravel()
    y = np.array([b[k] for k in keys]).ravel()
    both_inf = np.isinf(x) & np.isinf(y)
    one_inf = np.isinf(x) ^ np.isinf(y)
    ok = ~np.isinf(x) & ~np.isinf(y)
    d = np.abs(x[ok] - y[ok])
    return (len(keys), float(np.median(d)), float(np.percentile(d, 95)),
            float(d.max()), float((d <= tol).mean()), int(one_inf.sum()),
            int(both_inf.sum()), float(np.mean(x[ok] - y[ok])))


def check(work, data, chk):
    print("answers: seconds to the nearest asset of each category, door to door,")
    print("for the first %d people (the peers; assetmap never exports a person's" % chk)
    print("answers with their id)")
    print("| mode | tools | points | median abs. diff. s | 95th pct s | max s | within tol. | reached by one only | mean (first - second) s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for mode in ("walk", "drive"):
        tools = [("pgRouting", load_pg(work, mode)),
                 ("networkx", load_nx(work, mode, chk)), ("VirtualRouting", load_vr(work, mode))]
        tools = [(n, t) for n, t in tools if t]
        for i in range(len(tools)):
            for j in range(i + 1, len(tools)):
                r = compare(tools[i][1], tools[j][1], TOL[mode])
                if r is None:
                    continue
                n, med, p95, mx, share, one, _, mean = r
                print("| %s | %s vs %s | %d | %.1f | %.1f | %.1f | %.1f %% (%g s) | %d | %+.1f |"
                      % (mode, tools[i][0], tools[j][0], n, med, p95, mx, 100 * share,
                         TOL[mode], one, mean))
    print()
    print("the same from each tract's point (8,000 tracts; VirtualRouting the first 200)")
    print("| mode | tools | tracts | median abs. diff. s | 95th pct s | max s | within tol. | reached by one only | mean (first - second) s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for mode in ("walk", "drive"):
        tools = [("assetmap", load_tr(os.path.join(work, "am_tr_%s.csv" % mode), scale=60.0,
                                      prefix=mode + "_min_")),
                 ("pgRouting", load_tr(os.path.join(work, "pg_tr_%s.csv" % mode))),
                 ("networkx", load_tr(os.path.join(work, "nx_tr_%s.csv" % mode))),
                 ("VirtualRouting", load_tr(os.path.join(work, "vr_tr_%s.csv" % mode)))]
        tools = [(n, t) for n, t in tools if t]
        for i in range(len(tools)):
            for j in range(i + 1, len(tools)):
                r = compare(tools[i][1], tools[j][1], TOL[mode])
                if r is None:
                    continue
                n, med, p95, mx, share, one, _, mean = r
                print("| %s | %s vs %s | %d | %.1f | %.1f | %.1f | %.1f %% (%g s) | %d | %+.1f |"
                      % (mode, tools[i][0], tools[j][0], n, med, p95, mx, 100 * share,
                         TOL[mode], one, mean))
    fca = {}
    for name, fn in (("pgRouting", "pg_fca.csv"), ("networkx", "nx_fca.csv"),
                     ("VirtualRouting", "vr_fca.csv")):
        p = os.path.join(work, fn)
        if os.path.exists(p) and os.path.getsize(p):
            with open(p) as f:
                fca[name] = {r["geoid"]: int(r["reached"]) for r in csv.DictReader(f)}
    names = sorted(fca)
    if len(names) > 1:
        print()
        print("2SFCA: food assets within 30 min driving of each sampled tract")
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                a, b = fca[names[i]], fca[names[j]]
                ks = sorted(set(a) & set(b))
                d = np.array([abs(a[k] - b[k]) / max(1, a[k]) for k in ks])
                if len(ks):
                    print("  %s vs %s: %d tracts, relative difference median %.2f %%, max %.2f %%"
                          % (names[i], names[j], len(ks), 100 * np.median(d), 100 * d.max()))


TARGETS = {"pgRouting": 50.0, "networkx": 50.0, "OSMnx": 50.0, "VirtualRouting": 20.0}


def table(res, out, a):
    rows = []
    with open(res) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 6:
                rows.append(p[:6])
    tasks = []
    for r in rows:
        if r[0] not in tasks:
            tasks.append(r[0])
    lines = ["Road network: %s nodes, %s segments; %s cohort points, %s assets, "
             "%s tracts; assetmap median of %s runs, peers 1 (~ = sampled, "
             "extrapolated linearly)." % (a.nodes, a.segs, a.points, a.assets, a.tracts, a.runs),
             "",
             "| task | tool | s | CPU s | MB | ratio | CPU ratio | target | |",
             "|---|---|---:|---:|---:|---:|---:|---|---|"]
    for t in tasks:
        am = [r for r in rows if r[0] == t and r[1] == "assetmap"]
        am_s = am_c = None
        if am and am[0][2] != "NA":
            am_s, am_c = float(am[0][2]), float(am[0][5])
        for r in (x for x in rows if x[0] == t):
            task, tool, s, mb, note, c = r
            approx = "~" if note.startswith("~") else ""
            ratio = cratio = target = verdict = ""
            if tool == "assetmap":
                if s == "NA":
                    target, verdict = "", note
                else:
                    lim = []
                    ok = int(mb) < 1024
                    if t.startswith("nearest by walking"):
                        lim.append("< 5 s")
                        ok = ok and float(s) < 5.0
                    if not t.startswith("import"):
                        lim.append("< 1 GB")
                        target, verdict = ", ".join(lim), "pass" if ok else "**fail**"
                ratio = cratio = "1"
            elif s != "NA" and am_s:
                x = float(s) / am_s
                ratio = "%s%.1f×" % (approx, x)
                cratio = "%s%.1f×" % (approx, float(c) / am_c) if am_c and c != "NA" else ""
                goal = next((v for k, v in TARGETS.items() if tool.startswith(k)), None)
                if goal and not t.startswith("import"):
                    target = "≥ %g×" % goal
                    verdict = "pass" if x >= goal else "**fail**"
            elif s == "NA":
                verdict = note
            sh = s if s == "NA" else approx + "{:,.2f}".format(float(s))
            ch = c if c == "NA" else approx + "{:,.2f}".format(float(c))
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                task, tool + ("" if not note or approx or tool == "assetmap" else " (%s)" % note),
                sh, ch, mb, ratio, cratio, target, verdict))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(out, "w") as f:
        f.write(text)


def main():
    if sys.argv[1:2] == ["check"]:
        check(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd")
    ap.add_argument("res")
    ap.add_argument("out")
    for k in ("nodes", "segs", "points", "assets", "tracts", "runs"):
        ap.add_argument("--" + k, default="?")
    a = ap.parse_args()
    table(a.res, a.out, a)


if __name__ == "__main__":
    main()
