#!/usr/bin/python3
"""gc_report.py - the geocoding bench's table: times, rates, ratios,
match rates against the truth, memory, targets.

    gc_report.py RESULTS.tsv TRUTH.csv OUT.md --queries N
                 [--imports IMPORTS.tsv] [--points N] [--ranges N] [--runs N]

RESULTS.tsv (written by bench/geocode.sh) has one line per tool: tool,
seconds (extrapolated to all N queries for a sampled peer), peak MB,
note, and the tool's answers as CSV (columns id, lon, lat, level; any
others, such as assetmap's copy of the input columns and its score, are
ignored), or '-'.  TRUTH.csv is gen_geocode.py's (id, kind, lon, lat).

An answer is checked only for the ids the tool answered (a sampled peer
answers its sample):
  - kind point or range (a real address): a match when the level is
    street-number or better (address_point, interpolated, street_range;
    street too, if it lands close enough) and the point is within
    TOLERANCE_M metres of the truth; misplaced when such a level puts
    it farther;
  - kind neg_street or neg_number: a false match when the level is
    street or better (a ZIP centroid or no match is right).
Prints the table and writes it as markdown to OUT.md for
bench/RESULTS.md.
"""
import argparse
import csv
import datetime
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import machine  # noqa: E402

TOLERANCE_M = 25.0
RATIO_TARGET = 50
SECONDS_PER_MILLION = 10.0
MEM_LIMIT_MB = 1024
PLACED = {"address_point", "interpolated", "street_range", "street"}


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


def dist_m(lon1, lat1, lon2, lat2):
    kx = 111320.0 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lon1 - lon2) * kx, (lat1 - lat2) * 111320.0)


def read_truth(path):
    t = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            lon = float(r["lon"]) if r["lon"] else None
            lat = float(r["lat"]) if r["lat"] else None
            t[int(r["id"])] = (r["kind"], lon, lat)
    return t


def check(path, truth):
    """Match rate, false-match rate, counts per level, median and 95th
    percentile error (m) of the matched, of one tool's answers."""
    pos = neg = good = false = off = 0
    levels = {}
    errs = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            kind, tlon, tlat = truth[int(r["id"])]
            level = r["level"]
            levels[level] = levels.get(level, 0) + 1
            if kind in ("point", "range"):
                pos += 1
                if level in PLACED and r["lon"] and r["lat"]:
                    d = dist_m(float(r["lon"]), float(r["lat"]), tlon, tlat)
                    if d <= TOLERANCE_M:
                        good += 1
                        errs.append(d)
                    else:
                        off += 1
            else:
                neg += 1
                if level in PLACED:
                    false += 1
    q = {}
    if errs:
        errs.sort()
        q = {"median": statistics.median(errs),
             "p95": errs[min(len(errs) - 1, int(0.95 * len(errs)))]}
    return {"n": pos + neg, "pos": pos, "neg": neg, "good": good,
            "false": false, "off": off, "levels": levels, **q}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv")
    ap.add_argument("truth")
    ap.add_argument("md")
    ap.add_argument("--queries", type=int, required=True)
    ap.add_argument("--imports")
    for o in ("points", "ranges", "runs"):
        ap.add_argument("--" + o, default="?")
    a = ap.parse_args()
    rows = []
    with open(a.tsv) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 5:
                rows.append((p[0], num(p[1]), num(p[2]), p[3], p[4],
                             num(p[5]) if len(p) > 5 else None))
    truth = read_truth(a.truth)
    am = next((r for r in rows if r[0] == "assetmap geocode"), None)
    ams = am[1] if am else None
    amc = am[5] if am else None
    limit_s = SECONDS_PER_MILLION * a.queries / 1e6

    head = ("tool", "s", "addresses/s", "ratio", "CPU s", "CPU ratio", "match",
            "misplaced", "false on neg.", "MB", "target", "result", "note")
    table = []
    details = []
    for tool, s, mb, note, out, cpu in rows:
        c = check(out, truth) if out != "-" and os.path.exists(out) else None
        rate = "%.0f" % (a.queries / s) if s else "-"
        ratio = s / ams if (s is not None and ams) else None
        match = ("%.1f%%" % (100.0 * c["good"] / c["pos"])) if c and c["pos"] else "-"
        moff = ("%.2f%%" % (100.0 * c["off"] / c["pos"])) if c and c["pos"] else "-"
        fneg = ("%.1f%%" % (100.0 * c["false"] / c["neg"])) if c and c["neg"] else "-"
        if tool == "assetmap geocode":
            tgt = "<%.3g s, <%d MB" % (limit_s, MEM_LIMIT_MB)
            res = "n/a" if s is None or mb is None else (
                "PASS" if s < limit_s and mb < MEM_LIMIT_MB else "FAIL")
            rtxt = "1"
        else:
            tgt = ">=%dx" % RATIO_TARGET
            res = "n/a" if ratio is None else ("PASS" if ratio >= RATIO_TARGET else "FAIL")
            rtxt = ("~" if "~" in note else "") + "%.1fx" % ratio \
                if ratio is not None else "-"
        approx = "~" if "~" in note else ""
        cratio = "-"
        if tool == "assetmap geocode":
            cratio = "1"
        elif cpu is not None and amc:
            cratio = approx + "%.1fx" % (cpu / amc)
        table.append((tool, (approx + "%.2f" % s) if s is not None else "n/a",
                      (approx + rate) if s else "-", rtxt,
                      (approx + "%.2f" % cpu) if cpu is not None else "-", cratio,
                      match, moff, fneg,
                      "%d" % mb if mb is not None else "-", tgt, res, note))
        if c:
            lv = ", ".join("%s %d" % kv for kv in sorted(c["levels"].items()))
            err = (", error median %.1f m, 95th pct %.1f m" % (c["median"], c["p95"])
                   if "median" in c else "")
            details.append("%s: %d answers checked (%d real, %d negatives): %s%s"
                           % (tool, c["n"], c["pos"], c["neg"], lv, err))

    w = [max(len(str(x[i])) for x in table + [head]) for i in range(len(head))]
    right = {1, 2, 3, 4, 5, 6, 7, 8, 9}

    def fmt(row):
        return "  ".join((str(v).rjust(w[i]) if i in right else str(v).ljust(w[i]))
                         for i, v in enumerate(row)).rstrip()

    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    desc = ("%d queries; %s address point rows, %s range sides, 9 ZIPs; "
            "median of %s runs for assetmap, 1 for the peers"
            % (a.queries, a.points, a.ranges, a.runs))
    print("geocoding bench, %s" % now)
    print(machine())
    print(desc)
    print()
    print(fmt(head))
    print(fmt(["-" * x for x in w]))
    for row in table:
        print(fmt(row))
    imports = []
    if a.imports and os.path.exists(a.imports):
        with open(a.imports) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) == 4:
                    imports.append("assetmap %s: %s s, %s MB" % (p[1], p[2], p[3]))
    notes = [
        "ratio = peer seconds / assetmap seconds (whole processes, wall clock);",
        "CPU = user + system seconds (for PostGIS, its backends' too): what to",
        "compare when the machine is busy;",
        "~ = extrapolated linearly to all %d queries from the sample named;" % a.queries,
        "match = real addresses placed within %.0f m of the truth;" % TOLERANCE_M,
        "misplaced = real addresses given a street-level point or better more",
        "than %.0f m from the truth (worse than no match);" % TOLERANCE_M,
        "false on neg. = streets that do not exist or numbers far out of range",
        "given a street-level point or better (a ZIP centroid is right);",
        "MB = peak RSS; for PostGIS, the server backends' peak RSS (VmHWM,",
        "counting the shared buffers they touched) plus psql's;",
        "'pre-parsed, match only': given each address already split into its",
        "parts by the generator (SQLite has no address parser), so no parsing",
        "is timed and no parse can fail; assetmap parses every address.",
    ]
    print()
    for d in details + imports + notes:
        print(d)

    with open(a.md, "w") as f:
        f.write("Geocoding bench, %s.  Machine: %s.\n\n%s.\n\n" % (now, machine(), desc))
        f.write("| " + " | ".join(head) + " |\n")
        f.write("|" + "|".join("---:" if i in right else "---"
                              for i in range(len(head))) + "|\n")
        for row in table:
            f.write("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |\n")
        f.write("\n" + "\n".join("- " + d for d in details + imports) + "\n")
        f.write("\n" + " ".join(notes) + "\n")
    print("(written to %s)" % a.md)


if __name__ == "__main__":
    main()
