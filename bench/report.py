#!/usr/bin/python3
"""report.py - a bench's table: times, memory, ratios, targets.

    report.py RESULTS.tsv OUT.md [--bench gap] [--scale S --points N
                                  --assets N --tracts N --runs N --slow-runs N]
    report.py RESULTS.tsv OUT.md --bench map --runs N --desc TEXT

RESULTS.tsv has one line per timing: task, tool, seconds, peak MB, note
(written by bench/gap.sh or bench/map.sh).  Prints the table and writes
it as markdown to OUT.md, with the machine and the date, for
bench/RESULTS.md.
"""
import argparse
import datetime
import os
import platform

# (task, tool) -> the ratio peer/assetmap to reach; '>' means strictly faster
TARGETS = {
    ("nearest, 8 categories", "scipy cKDTree"): 3,
    ("nearest, 8 categories", "PostGIS KNN <-> LATERAL"): 20,
    ("nearest, 8 categories", "SpatiaLite R*Tree SQL"): 20,
    ("counts within 5 km (food)", "scipy cKDTree"): 3,
    ("2SFCA, 10 km (food)", "*"): 5,
    ("import cohort CSV", "ogr2ogr -> SpatiaLite"): 5,
    ("import cohort CSV", "PostgreSQL COPY"): 1,
}
TASKS = ["nearest, 8 categories", "counts within 5 km (food)",
         "2SFCA, 10 km (food)", "import cohort CSV"]
MEM_LIMIT_MB = 500

# the map bench (bench/map.sh): every map, each peer
MAP_TARGETS = {("*", "QGIS"): 3, ("*", "geopandas/matplotlib"): 10}
MAP_TASKS = ["national PNG", "national PDF", "California PNG", "California PDF"]
MAP_MEM_LIMIT_MB = 300


def target(task, tool):
    return TARGETS.get((task, tool), TARGETS.get((task, "*"),
                                                 TARGETS.get(("*", tool))))


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = "%.0f GB RAM" % (kb / 1048576)
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/loadavg") as f:
            load = "load average %s at the end" % " ".join(f.read().split()[:3])
    except OSError:
        load = "load average ?"
    return "%s, %d cores, %s, %s %s, %s" % (cpu, os.cpu_count() or 0, mem,
                                            platform.system(), platform.release(), load)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv")
    ap.add_argument("md")
    for o in ("scale", "points", "assets", "tracts", "runs", "slow-runs"):
        ap.add_argument("--" + o, default="?")
    ap.add_argument("--bench", choices=("gap", "map"), default="gap")
    ap.add_argument("--desc", default="")
    a = ap.parse_args()
    global TARGETS, TASKS, MEM_LIMIT_MB
    if a.bench == "map":
        TARGETS, TASKS, MEM_LIMIT_MB = MAP_TARGETS, MAP_TASKS, MAP_MEM_LIMIT_MB
    rows = []
    with open(a.tsv) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 4:
                rows.append((p[0], p[1], num(p[2]), num(p[3]),
                             p[4] if len(p) > 4 else ""))
    am = {r[0]: r for r in rows if r[1] == "assetmap"}

    why = []
    table = []   # task, assetmap s, MB, peer, peer s, MB, ratio, target, result
    for task in TASKS + sorted({r[0] for r in rows} - set(TASKS)):
        mine = am.get(task)
        ms = mine[2] if mine else None
        mmb = mine[3] if mine else None
        a_s = ("%.2f" % ms) if ms is not None else "n/a"
        if mine is not None and ms is None:
            why.append("assetmap, %s: %s" % (task, mine[4] or "no figure"))
        a_mb = ("%d" % mmb) if mmb is not None else "-"
        for r in rows:
            if r[0] != task or r[1] == "assetmap":
                continue
            _, tool, ps, pmb, note = r
            t = target(task, tool)
            ratio = ps / ms if (ps is not None and ms) else None
            if t is None:
                tgt, res = "-", "-"
            else:
                tgt = "faster" if t == 1 else ">=%dx" % t
                if ratio is None:
                    res = "n/a"
                else:
                    res = "PASS" if (ratio > 1 if t == 1 else ratio >= t) else "FAIL"
            ps_txt = ("%s%.2f" % ("~" if note.startswith("~") else "", ps)) \
                if ps is not None else (note or "n/a")
            table.append((task, a_s, a_mb, tool + (" (%s)" % note if note else ""),
                          ps_txt, "%d" % pmb if pmb is not None else "-",
                          "%.1fx" % ratio if ratio is not None else "-", tgt, res))
        if mine is not None:
            table.append((task, a_s, a_mb, "peak memory", "", "", "",
                          "<%d MB" % MEM_LIMIT_MB,
                          "n/a" if mmb is None else
                          ("PASS" if mmb < MEM_LIMIT_MB else "FAIL")))

    head = ("task", "assetmap s", "MB", "peer", "peer s", "MB", "ratio",
            "target", "result")
    w = [max(len(str(x[i])) for x in table + [head]) for i in range(len(head))]
    right = {1, 2, 4, 5, 6}

    def fmt(row):
        return "  ".join((str(v).rjust(w[i]) if i in right else str(v).ljust(w[i]))
                         for i, v in enumerate(row)).rstrip()

    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    desc = ("scale %s: %s cohort points, %s assets in 8 categories, %s tracts; "
            "median of %s runs (%s for the slow peers)"
            % (a.scale, a.points, a.assets, a.tracts, a.runs, a.slow_runs))
    title = "Gap-analysis bench"
    if a.bench == "map":
        desc = "%s; median of %s runs" % (a.desc, a.runs)
        title = "Map bench"
    print("%s, %s" % (title.lower(), now))
    print(machine())
    print(desc)
    print()
    print(fmt(head))
    print(fmt(["-" * x for x in w]))
    last = None
    for row in table:
        if last is not None and row[0] != last:
            print()
        print(fmt(row if row[0] != last else ("",) + tuple(row[1:])))
        last = row[0]
    notes = [
        "ratio = peer seconds / assetmap seconds (whole processes, wall clock);",
        "MB = peak RSS; for PostGIS, the server backends' peak RSS (VmHWM, counting",
        "the shared buffers they touched) plus psql's;",
        "~ = extrapolated linearly from the sample of points named.",
    ] if a.bench == "gap" else [
        "ratio = peer seconds / assetmap seconds (whole processes, wall clock,",
        "reading the data, drawing, writing the file); MB = peak RSS;",
        "every output was checked to be a map of the right size (check_map.py);",
        "assetmap draws every symbol (--no-cluster), as the peers do; 'assetmap,",
        "clustered' is its default map, with overlapping symbols gathered into",
        "rings (its ratio is to assetmap, no target).",
    ]
    notes += ["(%s.)" % w for w in why]
    for n in notes:
        print(n)

    with open(a.md, "w") as f:
        f.write("%s, %s.  Machine: %s.\n\n%s.\n\n" % (title, now, machine(), desc))
        f.write("| " + " | ".join(head) + " |\n")
        f.write("|" + "|".join("---:" if i in right else "---"
                              for i in range(len(head))) + "|\n")
        for row in table:
            f.write("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |\n")
        f.write("\n" + " ".join(notes) + "\n")
    print("(written to %s)" % a.md)


if __name__ == "__main__":
    main()
