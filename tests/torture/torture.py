#!/usr/bin/python3
"""tests/torture/torture.py - try to break assetmap the way a careless
world would, and print what held.

    python3 tests/torture/torture.py [--short] [--only PROBE,...]

Environment: AM (the binary, default build/rel/assetmap), AM_SAN (the
ASan/UBSan binary, default build/san/assetmap; the bad-input probe runs
with AM when it is absent and says so), TORTURE_SEED (default 1: the
kill moments and choices repeat for the same seed), TORTURE_KEEP=1 keeps
the work directory.

Probes:
  kill      kill -9 at a random moment of every writing command; then
            the read-only commands work, pragma integrity_check is ok, the
            tables' digest is the before or the after state, no output is
            half-written at its final path, no temporary is left (or the
            next run removes it), no plain copy of a cohort in $TMPDIR
  diskfull  the workspace and the outputs on a small tmpfs, and
            ulimit -f: a clear message, the workspace unchanged
  writers   a second writer during an import, readers during an import
  badinput  the catalogue of bad inputs for every importer and the
            workspace traps, with the sanitizer binary: exit non-zero
            with a clear message, no sanitizer report, workspace unchanged
  phi       every output searched for names, MRNs, dates of birth,
            members' coordinates, the cohort file's name, and counts of
            1 to 10 (the privacy sweep)

Prints a table (probe, tried, held, failed, not run), then each failure
with the issue item it maps to; exits 1 when anything failed.
"""

import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data", "demo")
AM = os.environ.get("AM", os.path.join(ROOT, "build/rel/assetmap"))
AM_SAN = os.environ.get("AM_SAN", os.path.join(ROOT, "build/san/assetmap"))
SEED = int(os.environ.get("TORTURE_SEED", "1"))
SHORT = "--short" in sys.argv
ONLY = None
if "--only" in sys.argv:
    ONLY = sys.argv[sys.argv.index("--only") + 1].split(",")
rng = random.Random(SEED)
T0 = time.time()

PROBES = ["kill", "diskfull", "writers", "badinput", "phi"]
tally = {p: [0, 0, 0, 0] for p in PROBES}  # tried, held, failed, not run
failures = []
notruns = []


def record(probe, name, ok, why="", item=""):
    """ok: True held, False failed, None not run."""
    t = tally[probe]
    if ok is None:
        t[3] += 1
        notruns.append((probe, name, why))
        return
    t[0] += 1
    if ok:
        t[1] += 1
    else:
        t[2] += 1
        failures.append((probe, name, why, item))


# each probe may run until its share of the budget is spent (seconds from
# the start, cumulative, in the order main() runs them)
SLICE = ({"phi": 10, "badinput": 18, "writers": 8, "diskfull": 7, "kill": 12} if SHORT else
         {"phi": 90, "badinput": 180, "writers": 60, "diskfull": 60, "kill": 180})
DEADLINE = [0.0]
CURRENT = ["phi"]


def over_budget():
    return time.time() > DEADLINE[0]


WORK = tempfile.mkdtemp(prefix="assetmap-torture-")
ENV = dict(os.environ)
ENV["SOURCE_DATE_EPOCH"] = "1700000000"
ENV["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
ENV["LSAN_OPTIONS"] = "suppressions=%s/tests/lsan.supp:print_suppressions=0" % ROOT
ENV["UBSAN_OPTIONS"] = "print_stacktrace=1"


def run(args, ws=None, cwd=None, am=None, timeout=120, env=None, pre=""):
    """Run the binary; returns (rc, stdout, stderr); rc -N for a signal,
    'timeout' when it did not end."""
    cmd = [am or AM] + (["-d", ws] if ws else []) + args
    if pre:
        cmd = ["sh", "-c", pre + ' exec "$@"', "sh"] + cmd
    try:
        p = subprocess.run(cmd, cwd=cwd or WORK, env=env or ENV, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", "", ""


# ---------------------------------------------------------------------------
# workspace digests

def digest(path):
    """{table: {column: hash}, table+'#rows': n} of every ordinary table,
    or a string saying why it could not be read."""
    try:
        con = sqlite3.connect(path, timeout=5)
        out = {}
        tabs = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        for t in sorted(tabs):
            cols = [r[1] for r in con.execute('PRAGMA table_info("%s")' % t)]
            rows = sorted(repr(r) for r in con.execute('SELECT * FROM "%s"' % t))
            out[t + "#rows"] = len(rows)
            for i, c in enumerate(cols):
                h = hashlib.md5()
                for r in sorted(repr(x) for x in con.execute('SELECT "%s" FROM "%s"' % (c, t))):
                    h.update(r.encode())
                out[t + "." + c] = h.hexdigest()
        con.close()
        return out
    except Exception as e:  # not a database at all
        return "unreadable: %s" % str(e)[:100]


def integrity(path):
    try:
        con = sqlite3.connect(path, timeout=5)
        r = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
        return r
    except Exception as e:
        return "error: %s" % str(e)[:100]


def volatile(a, b):
    """Keys that differ between two digests of the same end state."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return set()
    keys = set(a) | set(b)
    v = {k for k in keys if a.get(k) != b.get(k)}
    # times to the second may agree between two runs by chance
    v |= {k for k in keys if re.search(r"\.(\w*_at|created\w*|imported\w*|\w*time\w*|modified\w*)$", k)}
    # a table whose row count varies: all of it
    for k in list(v):
        if k.endswith("#rows"):
            t = k[:-5]
            v |= {x for x in keys if x.startswith(t + ".")}
    return v


def same(a, b, skip):
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    keys = (set(a) | set(b)) - skip
    return all(a.get(k) == b.get(k) for k in keys)


# ---------------------------------------------------------------------------
# inputs

NAMES = ["Zebulon Quixwhistle", "Philomena Vantrapp", "Octavius Brindlecombe",
         "Wilhelmina Zorbafret", "Barnaby Thistlewick"]


def demo_cohort():
    rows = []
    with open(os.path.join(DATA, "cohort.csv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            pid, lon, lat, age, lang = line.strip().split(",")
            rows.append((pid, lon, lat, age, lang))
    return rows


MEMBERS = demo_cohort()


def write_phi_cohort(path, n=None, encoding="utf-8"):
    rows = MEMBERS if n is None else MEMBERS[:n]
    with open(path, "w", encoding=encoding) as f:
        f.write("mrn,patient_name,dob,lon,lat,age,language,note\n")
        for i, (pid, lon, lat, age, lang) in enumerate(rows):
            f.write("MRN-%08d,%s %d,19%02d-%02d-%02d,%s,%s,%s,%s,%s\n" % (
                73510000 + i, NAMES[i % len(NAMES)], i, 70 + i % 30, 1 + i % 12, 1 + i % 28,
                lon, lat, age, lang, "caf\u00e9 se\u00f1or" if encoding != "utf-8" else "ok"))


def write_addresses():
    """An OpenAddresses-style file of the demo assets' addresses (the
    reference of import addresses) and a file of the same addresses to
    geocode, written as people write them."""
    import csv
    pts = os.path.join(WORK, "addresses.csv")
    qs = os.path.join(WORK, "to_geocode.csv")
    with open(DATA + "/assets.csv", newline="") as f, open(pts, "w") as o, open(qs, "w") as q:
        o.write("NUMBER,STREET,CITY,POSTCODE,LON,LAT\n")
        q.write("id,address\n")
        for i, r in enumerate(csv.DictReader(f)):
            num, _, street = r["address"].partition(" ")
            if not num.isdigit():
                continue
            o.write("%s,%s,%s,%s,%s,%s\n" % (num, street, r["city"], r["zip"], r["lon"], r["lat"]))
            q.write('%d,"%s %s, %s CA %s"\n' % (i, num, street.lower(), r["city"], r["zip"]))
    return pts, qs


BASE = os.path.join(WORK, "base.db")
PHI = os.path.join(WORK, "phi_cohort_torture.csv")
PHI2 = os.path.join(WORK, "second_cohort.csv")
ASSETS2 = os.path.join(WORK, "more_assets.csv")
ADDRS, QUERIES = os.path.join(WORK, "addresses.csv"), os.path.join(WORK, "to_geocode.csv")
# the real OpenStreetMap extract of import roads (../shared/data), when present
SHARED = os.environ.get("ASSETMAP_SHARED_DATA") or os.path.join(os.path.dirname(ROOT), "shared", "data")
OAKLAND = os.path.join(SHARED, "osm-oakland", "oakland.osm.pbf")


def build_base():
    write_phi_cohort(PHI)
    write_addresses()
    steps = [
        ["init", "--crs", "EPSG:3310"],
        ["import", "areas", DATA + "/tracts.geojson", "--level", "tract", "--geoid", "GEOID", "--name", "NAME"],
        ["import", "areas", DATA + "/county.geojson", "--level", "county", "--geoid", "GEOID", "--name", "NAME"],
        ["import", "indicators", DATA + "/indicators.csv", "--geoid", "GEOID", "--population", "population"],
        ["import", "assets", DATA + "/assets.csv", "--lon", "lon", "--lat", "lat", "--name", "name",
         "--id", "id", "--category", "category", "--capacity", "capacity", "--languages", "languages",
         "--medi-cal", "accepts_medi_cal", "--programs", "programs", "--hours", "hours"],
        ["import", "cohort", "kids", PHI, "--id", "mrn", "--keep", "language,age"],
        ["import", "addresses", ADDRS],
    ]
    for s in steps:
        rc, out, err = run(["-q"] + s, ws=BASE)
        if rc != 0:
            sys.exit("torture: cannot build the base workspace: %s: %s" % (" ".join(s), err))


def copy_ws(name):
    p = os.path.join(WORK, name)
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(p + suffix):
            os.unlink(p + suffix)
    shutil.copy(BASE, p)
    os.chmod(p, 0o600)
    return p


# ---------------------------------------------------------------------------
# probe: kill -9

def kill_commands():
    cp1252 = os.path.join(WORK, "cohort_cp1252.csv")
    write_phi_cohort(cp1252, encoding="cp1252")
    cmds = [
        ("init", None, ["init", "--crs", "EPSG:3310"], None),
        ("import areas", "ws", ["import", "areas", DATA + "/tracts.geojson", "--level", "tract", "--geoid", "GEOID", "--name", "NAME"], None),
        ("import indicators", "ws", ["import", "indicators", DATA + "/indicators.csv", "--geoid", "GEOID", "--population", "population"], None),
        ("import assets", "ws", ["import", "assets", DATA + "/assets.csv", "--lon", "lon", "--lat", "lat", "--name", "name", "--id", "id", "--category", "category"], None),
        ("import cohort (cp1252)", "ws", ["import", "cohort", "kids2", cp1252, "--id", "mrn", "--keep", "language"], None),
        ("import addresses", "ws", ["import", "addresses", ADDRS], None),
        ("import roads", "ws", ["import", "roads", OAKLAND], None),
        ("geocode csv", "ws", ["geocode", QUERIES, "-o", "OUT/g.csv"], "g.csv"),
        ("add asset", "ws", ["add", "asset", "--name", "Torture Pantry", "--category", "food", "--at", "37.1,-120.6"], None),
        ("nearest", "ws", ["nearest", "--cohort", "kids", "--category", "food,housing"], None),
        ("coverage", "ws", ["coverage", "--cohort", "kids", "--category", "food", "--within", "1mi"], None),
        ("access", "ws", ["access", "--method", "e2sfca", "--category", "primary_care", "--catchment", "3mi"], None),
        ("gaps", "ws", ["gaps", "--cohort", "kids", "--category", "food,housing", "--beyond", "1mi"], None),
        ("deserts", "ws", ["deserts", "--category", "primary_care", "--within", "2mi", "--cohort", "kids"], None),
        ("sites", "ws", ["sites", "--category", "primary_care", "--within", "1mi", "--add", "3", "--cohort", "kids"], None),
        ("recruit", "ws", ["recruit", "--category", "primary_care", "--within", "1mi", "--top", "3", "--cohort", "kids"], None),
        ("export gpkg", "ws", ["export", "last", "-o", "OUT/x.gpkg"], "x.gpkg"),
        ("export csv", "ws", ["export", "last", "-o", "OUT/x.csv"], "x.csv"),
        ("map pdf", "ws", ["map", "-o", "OUT/m.pdf", "--cohort", "kids"], "m.pdf"),
        ("map png", "ws", ["map", "-o", "OUT/m.png", "--dpi", "150"], "m.png"),
        ("atlas", "ws", ["atlas", "--cohort", "kids", "--within", "1mi", "-o", "OUT/a.pdf", "--category", "food,housing"], "a.pdf"),
    ]
    return cmds


def kill_probe():
    per = 1 if SHORT else 3
    cmds = kill_commands()
    if SHORT:
        cmds = [c for c in cmds if c[0] in ("import cohort (cp1252)", "gaps", "export gpkg")]
    # the base has a run for 'export last'
    run(["-q", "nearest", "--cohort", "kids", "--category", "food"], ws=BASE)
    for name, kind, args, outname in cmds:
        if over_budget():
            record("kill", name, None, "time budget spent")
            continue
        if OAKLAND in args and not os.path.isfile(OAKLAND):
            record("kill", name, None, "no shared data (%s)" % OAKLAND)
            continue
        # calibrate: two complete runs give the after state and its volatile keys
        ends, dur, ref = [], 0.0, None
        for k in range(2):
            ws = copy_ws("cal%d.db" % k) if kind else os.path.join(WORK, "cal%d.db" % k)
            if not kind and os.path.exists(ws):
                os.unlink(ws)
            out = os.path.join(WORK, "calout%d" % k)
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            a = [x.replace("OUT", out) for x in args]
            t = time.time()
            rc, _, err = run(["-q"] + a, ws=ws)
            dur = max(dur, time.time() - t)
            if rc != 0:
                record("kill", name, None, "the command fails unkilled: %s" % err.strip()[:200])
                break
            ends.append(digest(ws))
            if outname:
                ref = os.path.join(out, outname)
        else:
            before = digest(BASE) if kind else None
            skip = volatile(ends[0], ends[1])
            for i in range(per):
                kill_once(name, kind, args, outname, before, ends[0], skip, dur, ref, i)


def kill_once(name, kind, args, outname, before, after, skip, dur, ref, i):
    label = "%s #%d" % (name, i + 1)
    ws = copy_ws("k.db") if kind else os.path.join(WORK, "k.db")
    if not kind:
        for s in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(ws + s):
                os.unlink(ws + s)
    out = os.path.join(WORK, "kout")
    tmp = os.path.join(WORK, "ktmp")
    for d in (out, tmp):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    env = dict(ENV)
    env["TMPDIR"] = tmp
    a = [x.replace("OUT", out) for x in args]
    at = rng.uniform(0.02, max(0.05, dur * 0.95))
    p = subprocess.Popen([AM, "-q", "-d", ws] + a, cwd=WORK, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(at)
    killed = p.poll() is None
    if killed:
        p.send_signal(signal.SIGKILL)
    p.wait()
    label += " at %.2fs%s" % (at, "" if killed else " (ended first)")
    problems = []
    item = ""
    if not kind and not os.path.exists(ws):
        pass  # init killed before it made the file: the prior state
    else:
        for ro in (["info"], ["sources"]):
            rc, _, err = run(ro, ws=ws, timeout=30)
            if rc != 0:
                problems.append("'%s' after the kill: exit %s: %s" % (ro[0], rc, err.strip()[:160]))
                item = "10"
        ic = integrity(ws)
        if ic != "ok":
            problems.append("integrity_check: %s" % ic)
        d = digest(ws)
        if kind:
            if not (same(d, before, skip) or same(d, after, skip)):
                problems.append("the workspace is neither the before nor the after state")
        elif not same(d, after, skip) and isinstance(d, dict) and d:
            diff = sorted(k for k in (set(d) | set(after)) - skip if d.get(k) != after.get(k))
            problems.append("init left a workspace that is not the complete one (%s)" % ", ".join(diff[:6]))
    left = os.listdir(tmp)
    if left:
        problems.append("$TMPDIR holds %s after the kill" % left)
        item = item or "7"
    if outname:
        final = os.path.join(out, outname)
        if os.path.exists(final) and ref and not good_output(final, ref):
            problems.append("a half-written %s at the final path" % outname)
            item = item or "9"
        extra = [f for f in os.listdir(out) if f != outname]
        if extra:
            # the next complete run must clean them up
            run(["-q"] + a, ws=ws, env=env)
            extra2 = [f for f in os.listdir(out) if f != outname]
            if extra2:
                problems.append("temporaries left and not cleaned by the next run: %s" % extra2)
                item = item or "9"
    record("kill", label, not problems, "; ".join(problems), item or "10")


def good_output(final, ref):
    if final.endswith(".gpkg"):
        return integrity(final) == "ok"
    with open(final, "rb") as f, open(ref, "rb") as g:
        return f.read() == g.read()


# ---------------------------------------------------------------------------
# probe: disk full and ulimit -f

def diskfull_probe():
    # another file than the first cohort's: the same bytes are refused as
    # already imported, before anything is written
    write_phi_cohort(PHI2, n=len(MEMBERS) - 1)
    shutil.copy(DATA + "/assets.csv", ASSETS2)
    mnt = os.path.join(WORK, "small")
    os.makedirs(mnt)
    size = os.path.getsize(BASE) + 96 * 1024
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%d" % size, "tmpfs", mnt],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cases = [
        ("import cohort on a full disk", ["import", "cohort", "more", "PHI2", "--id", "mrn", "--keep", "language"], None),
        ("import assets on a full disk", ["import", "assets", "ASSETS2", "--lon", "lon", "--lat", "lat", "--name", "name", "--id", "id", "--category", "category", "--no-merge"], None),
        ("gaps on a full disk", ["gaps", "--cohort", "kids", "--category", "food,housing,legal,dental,primary_care", "--beyond", "1mi"], None),
        ("export gpkg to a full disk", ["export", "last", "-o", "MNT/x.gpkg"], "x.gpkg"),
        ("map pdf to a full disk", ["map", "-o", "MNT/m.pdf", "--cohort", "kids"], "m.pdf"),
        ("atlas to a full disk", ["atlas", "--cohort", "kids", "-o", "MNT/a.pdf", "--category", "food"], "a.pdf"),
    ]
    if SHORT:
        cases = cases[:1] + cases[3:4]
    if r.returncode != 0:
        for name, _, _ in cases:
            record("diskfull", name, None, "mount tmpfs failed: %s" % r.stderr.decode().strip())
    else:
        try:
            for name, args, outname in cases:
                if over_budget():
                    record("diskfull", name, None, "time budget spent")
                    continue
                if outname:
                    # the workspace elsewhere; fill the disk first
                    ws = copy_ws("df.db")
                    filler = os.path.join(mnt, "filler")
                    with open(filler, "wb") as f:
                        try:
                            f.write(b"\0" * (size - 64 * 1024))
                        except OSError:
                            pass
                else:
                    ws = os.path.join(mnt, "df.db")
                    shutil.copy(BASE, ws)
                run(["-q", "nearest", "--cohort", "kids", "--category", "food"], ws=ws)
                before = digest(ws)
                a = [x.replace("MNT", mnt).replace("PHI2", PHI2).replace("ASSETS2", ASSETS2) for x in args]
                rc, _, err = run(a, ws=ws)
                problems = []
                if rc == 0:
                    problems.append("exit 0 on a full disk")
                elif not isinstance(rc, int) or rc < 0 or rc > 2:
                    problems.append("exit %s" % rc)
                if rc != 0 and not re.search(r"full|space|ENOSPC", err, re.I):
                    problems.append("the message does not say the disk is full: %s" % err.strip()[:200])
                if "gpkg_geometry_columns" in err or "no such table" in err:
                    problems.append("misleading message: %s" % err.strip()[:160])
                if re.search(r"Sanitizer|runtime error", err):
                    problems.append("sanitizer report")
                if integrity(ws) != "ok" or not same(digest(ws), before, set()):
                    if not outname:
                        problems.append("the workspace changed")
                if outname and os.path.exists(os.path.join(mnt, outname)):
                    problems.append("a partial %s left at the final path" % outname)
                record("diskfull", name, not problems, "; ".join(problems), "12")
                for f in os.listdir(mnt):
                    os.unlink(os.path.join(mnt, f))
        finally:
            subprocess.run(["umount", mnt])
    # ulimit -f (in 512-byte blocks in sh).  A workspace is in WAL mode: an
    # import writes FILE-wal (from empty), and reading needs the 32 KB
    # FILE-shm, so the limit is 36 KB whatever the workspace's size
    ulim = [
        ("ulimit -f: import cohort", ["import", "cohort", "more", "PHI2", "--id", "mrn", "--keep", "language"], None, 72),
        ("ulimit -f: export gpkg", ["export", "last", "-o", "OUT/u.gpkg"], "u.gpkg", 40),
        ("ulimit -f: map png", ["map", "-o", "OUT/u.png", "--dpi", "300"], "u.png", 40),
    ]
    if SHORT:
        ulim = ulim[:1]
    for name, args, outname, blocks in ulim:
        if over_budget():
            record("diskfull", name, None, "time budget spent")
            continue
        ws = copy_ws("ul.db")
        run(["-q", "nearest", "--cohort", "kids", "--category", "food"], ws=ws)
        before = digest(ws)
        out = os.path.join(WORK, "ulout")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        a = [x.replace("OUT", out).replace("PHI2", PHI2) for x in args]
        rc, _, err = run(a, ws=ws, pre="ulimit -f %d;" % blocks)
        problems = []
        if rc == -signal.SIGXFSZ or rc == 128 + signal.SIGXFSZ:
            problems.append("killed by SIGXFSZ with no message")
        elif rc == 0:
            problems.append("exit 0 past the file-size limit")
        elif not err.strip():
            problems.append("exit %s with no message" % rc)
        if not outname and (integrity(ws) != "ok" or not same(digest(ws), before, set())):
            problems.append("the workspace changed")
        if outname and os.path.exists(os.path.join(out, outname)):
            problems.append("a partial %s at the final path" % outname)
        record("diskfull", name, not problems, "; ".join(problems), "12")


# ---------------------------------------------------------------------------
# probe: two writers, readers during a writer

def big_cohort(path, n):
    with open(path, "w") as f:
        f.write("id,lon,lat,language\n")
        for i in range(n):
            pid, lon, lat, age, lang = MEMBERS[i % len(MEMBERS)]
            f.write("B%07d,%.6f,%.6f,%s\n" % (i, float(lon) + (i // len(MEMBERS)) * 1e-5, float(lat), lang))


def writers_probe():
    big = os.path.join(WORK, "big.csv")
    big_cohort(big, 60000 if SHORT else 150000)
    rounds = 1 if SHORT else 2
    for r in range(rounds):
        if over_budget():
            record("writers", "round %d" % (r + 1), None, "time budget spent")
            continue
        ws = copy_ws("w2.db")
        n0 = sqlite3.connect(ws).execute("SELECT count(*) FROM sources").fetchone()[0]
        p = subprocess.Popen([AM, "-q", "-d", ws, "import", "cohort", "big", big, "--id", "id", "--keep", "language"],
                             cwd=WORK, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.3 + rng.uniform(0, 0.2))
        # a second writer while the first runs
        overlap = p.poll() is None
        assets2 = os.path.join(WORK, "assets_second_%d.csv" % r)
        shutil.copy(DATA + "/assets.csv", assets2)
        p2 = subprocess.Popen([AM, "-q", "-d", ws, "import", "assets", assets2, "--lon", "lon", "--lat", "lat",
                               "--name", "name", "--id", "id", "--category", "category", "--no-merge"],
                              cwd=WORK, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # readers while they write
        for ro in (["info"], ["sources"], ["results"], ["categories"]):
            if p.poll() is not None:
                record("writers", "reader '%s' during an import (round %d)" % (ro[0], r + 1), None,
                       "the import ended first")
                continue
            t = time.time()
            rc, _, err = run(ro, ws=ws, timeout=30)
            el = time.time() - t
            ok = rc == 0 and el < 2.5
            record("writers", "reader '%s' during an import (round %d)" % (ro[0], r + 1), ok,
                   "" if ok else "exit %s after %.1fs: %s" % (rc, el, err.strip()[:160]), "11")
        try:
            _, err2 = p2.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            p2.kill()
            _, err2 = p2.communicate()
        rc2, err2 = p2.returncode, err2.decode("utf-8", "replace")
        out1, err1 = p.communicate()
        rc1 = p.returncode
        problems = []
        if rc1 != 0:
            problems.append("the first import failed: %s" % err1.decode().strip()[:160])
        if rc2 != 0:
            problems.append("the second writer failed: exit %s: %s" % (rc2, err2.strip()[:160]))
        n1 = sqlite3.connect(ws).execute("SELECT count(*) FROM sources").fetchone()[0]
        if not problems and n1 != n0 + 2:
            problems.append("sources went from %d to %d, expected +2" % (n0, n1))
        if integrity(ws) != "ok":
            problems.append("integrity_check failed")
        if not overlap and not problems:
            record("writers", "two writers at once (round %d)" % (r + 1), None, "the first import ended first")
        else:
            record("writers", "two writers at once (round %d)" % (r + 1), not problems, "; ".join(problems), "11")


# ---------------------------------------------------------------------------
# probe: bad inputs

def b(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def base_inputs():
    """Valid small inputs per importer: (kind, file name, bytes, args)."""
    assets = open(os.path.join(DATA, "assets.csv"), "rb").read().split(b"\n")[:12]
    ind = open(os.path.join(DATA, "indicators.csv"), "rb").read().split(b"\n")[:12]
    coh = b"mrn,lon,lat,language\n" + b"".join(
        b"MRN-%d,%s,%s,%s\n" % (i, b(m[1]), b(m[2]), b(m[4])) for i, m in enumerate(MEMBERS[:12]))
    svi = b"ST_ABBR,FIPS,LOCATION,E_TOTPOP,EP_POV,RPL_THEMES\n" + b"".join(
        b"CA,%s,\"Census Tract %d, Alder County, California\",%s,%s,%s\n" % (
            l.split(b",")[0], i, l.split(b",")[1], l.split(b",")[3], l.split(b",")[2])
        for i, l in enumerate(ind[1:11]))
    acs = (b"GEO_ID,NAME,B01003_001E,B01003_001M\n\"Geography\",\"Geographic Area Name\",\"Estimate!!Total\",\"Margin of Error!!Total\"\n"
           + b"".join(b"1400000US%s,\"Census Tract %d; Alder County; California\",%s,100\n" % (
               l.split(b",")[0], i, l.split(b",")[1]) for i, l in enumerate(ind[1:11])))
    places = b"TractFIPS,CASTHMA_CrudePrev,CASTHMA_Crude95CI,TotalPopulation\n" + b"".join(
        b"%s,9.%d,\"(8.1, 10.2)\",%s\n" % (l.split(b",")[0], i, l.split(b",")[1]) for i, l in enumerate(ind[1:11]))
    cols = ("OBJECTID Provider_Source Provider_Number NPI Owner_Number Service_Location_Number Legal_Name "
            "Enroll_Status_Eff_DT Provider_Taxonomy NEMT_NMT_Provider_Type ANC_Provider_Type FI_Provider_Type_CD "
            "FI_Provider_Type Provider_License FI_Provider_Specialty_CD FI_Provider_Specialty Out_of_State_Indicator "
            "In_Out_State Address_Attention Address Address2 City State ZIP ZIP_4 DHCS_County_CD FIPS_County_CD "
            "County Phone_Number Medicaid_Patients CHIP_Patients Telehealth_Services Provider_Website "
            "Threshold_Languages Other_Languages Acc_Exam_Room Acc_Exterior_Building Acc_Interior_Building "
            "Acc_Parking Acc_Restroom Acc_Medical_Equipment Acc_Patient_Areas Acc_Patient_Diagnostic Latitude "
            "Longitude CountyName").split()
    rows = []
    for i, m in enumerate(MEMBERS[:10]):
        v = {"OBJECTID": str(i + 1), "Provider_Source": "PAVE", "Provider_Number": "ZZA%05d" % i,
             "NPI": "15381422%02d" % i, "Owner_Number": "001", "Service_Location_Number": "1",
             "Legal_Name": "ALDER CLINIC %d" % i, "FI_Provider_Type_CD": "035", "FI_Provider_Type": "CLINIC",
             "FI_Provider_Specialty_CD": "70", "FI_Provider_Specialty": "Clinic", "Address": "%d MAIN ST" % (100 + i),
             "City": "ALDERTON", "State": "CA", "ZIP": "95990", "Phone_Number": "(209) 555-0100",
             "Medicaid_Patients": "Y", "Latitude": m[2], "Longitude": m[1], "County": "ALDER"}
        rows.append(",".join(v.get(c, "") for c in cols))
    medi = (",".join(cols) + "\n" + "\n".join(rows) + "\n").encode()
    return [
        ("assets", "a.csv", b"\n".join(assets) + b"\n", ["import", "assets", "FILE", "--lon", "lon", "--lat", "lat", "--name", "name", "--id", "id", "--category", "category"]),
        ("indicators", "i.csv", b"\n".join(ind) + b"\n", ["import", "indicators", "FILE", "--geoid", "GEOID"]),
        ("cohort", "c.csv", coh, ["import", "cohort", "bad", "FILE", "--id", "mrn", "--keep", "language"]),
        ("svi", "SVI2018_alder.csv", svi, ["import", "svi", "FILE", "--year", "2018"]),
        ("acs", "ACSDT5Y2022.B01003-Data.csv", acs, ["import", "acs", "FILE"]),
        ("places", "places.csv", places, ["import", "places", "FILE", "--year", "2022"]),
        ("medi-cal", "medi.csv", medi, ["import", "medi-cal", "FILE"]),
        ("addresses", "addr.csv", b"\n".join(open(ADDRS, "rb").read().split(b"\n")[:12]) + b"\n",
         ["import", "addresses", "FILE"]),
    ]


def corrupt(kind, data):
    lines = data.split(b"\n")
    head, rows = lines[0], [l for l in lines[1:] if l]
    out = {}
    out["truncated mid-row"] = b"\n".join([head] + rows[:4] + [rows[4][: len(rows[4]) // 2]])
    q = rows[2].split(b",")
    q[1] = b'"' + q[1]
    out["unclosed quote"] = b"\n".join([head] + rows[:2] + [b",".join(q)] + rows[3:]) + b"\n"
    out["short row"] = b"\n".join([head] + rows[:3] + [b",".join(rows[3].split(b",")[:2])] + rows[4:]) + b"\n"
    u = rows[1].split(b",")
    u[1] = u[1][:3] + b"\xff\xfe" + u[1][3:]
    out["invalid UTF-8"] = b"\n".join([head] + rows[:1] + [b",".join(u)] + rows[2:]) + b"\n"
    z = rows[1].split(b",")
    z[1] = z[1][:2] + b"\x00" + z[1][2:]
    out["NUL byte"] = b"\n".join([head] + rows[:1] + [b",".join(z)] + rows[2:]) + b"\n"
    return out


def tiger_zip(path, cut=False):
    d = os.path.join(WORK, "tiger")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    subprocess.run(["ogr2ogr", "-f", "ESRI Shapefile", os.path.join(d, "tl_2020_06999_tract.shp"),
                    DATA + "/tracts.geojson", "-sql",
                    "SELECT GEOID, NAME, 1000 AS ALAND, 0 AS AWATER FROM tracts LIMIT 20"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(os.listdir(d)):
            z.write(os.path.join(d, f), f)
    if cut:
        data = open(path, "rb").read()
        open(path, "wb").write(data[: len(data) // 2])


def badinput_case(name, args, files, check, ws=None, am=None, timeout=60, item=""):
    """Run one bad input on a fresh copy of the base workspace."""
    if over_budget():
        record("badinput", name, None, "time budget spent")
        return
    ws = ws or copy_ws("bad.db")
    paths = {}
    for fname, data in files.items():
        p = os.path.join(WORK, "bad", fname)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        paths[fname] = p
    a = [paths.get(x, x) for x in args]
    before = digest(ws) if os.path.isfile(ws) else None
    rc, out, err = run(a, ws=ws, am=am or SAN, timeout=timeout)
    problems = []
    if re.search(r"Sanitizer|runtime error:", err):
        problems.append("sanitizer report: %s" % re.search(r".*(Sanitizer|runtime error:).*", err).group(0)[:160])
    if rc == "timeout":
        problems.append("did not end within %ds" % timeout)
    elif isinstance(rc, int) and rc < 0:
        problems.append("killed by signal %d" % -rc)
    problems += check(rc, out, err, ws, before)
    record("badinput", name, not problems, "; ".join(problems), item)


def refused(rc, out, err, ws, before, want_rc=None, msg=None, notmsg=None):
    p = []
    if rc == 0:
        p.append("exit 0")
    elif want_rc is not None and rc != want_rc:
        p.append("exit %s, expected %s" % (rc, want_rc))
    elif isinstance(rc, int) and rc not in (1, 2):
        p.append("exit %s" % rc)
    if rc != 0 and not err.strip():
        p.append("no message")
    if msg and not re.search(msg, err, re.I):
        p.append("the message lacks /%s/: %s" % (msg, err.strip()[:200]))
    if notmsg and re.search(notmsg, err, re.I):
        p.append("misleading message: %s" % err.strip()[:200])
    if before is not None and os.path.isfile(ws):
        if not same(digest(ws), before, set()):
            p.append("the workspace changed")
    return p


def valid_utf8_ws(ws):
    """Every TEXT value of every table is UTF-8 (blobs, such as geometries
    and the spatial index's nodes, are not text)."""
    try:
        con = sqlite3.connect(ws)
        con.text_factory = bytes
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE 'CREATE VIRTUAL%'"):
            t = t.decode()
            for col in [r[1].decode() for r in con.execute('PRAGMA table_info("%s")' % t)]:
                q = 'SELECT "%s" FROM "%s" WHERE typeof("%s") = \'text\'' % (col, t, col)
                for (v,) in con.execute(q):
                    try:
                        v.decode("utf-8")
                    except UnicodeDecodeError:
                        return False
        return True
    except sqlite3.Error:
        return False


def badinput_probe():
    global SAN
    SAN = AM_SAN if os.access(AM_SAN, os.X_OK) else AM
    if SAN == AM and AM_SAN != AM:
        record("badinput", "sanitizer binary", None, "%s not built (make SANITIZE=address,undefined); ran with %s" % (AM_SAN, AM))
    badinput_traps()
    badinput_importers()


def badinput_importers():
    inputs = base_inputs()
    if SHORT:
        inputs = [x for x in inputs if x[0] in ("assets", "indicators", "cohort")]
    # the valid files must import, or their corrupt forms prove nothing
    for kind, fname, data, args in inputs:
        if over_budget():
            break
        ws = copy_ws("ok.db")
        p = os.path.join(WORK, "bad", fname)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(data)
        rc, _, err = run([p if x == "FILE" else x for x in args], ws=ws)
        cases = corrupt(kind, data)
        if SHORT:
            cases = {k: v for k, v in cases.items() if k in ("truncated mid-row", "invalid UTF-8")}
        for cname, bad in cases.items():
            name = "%s: %s" % (kind, cname)
            if over_budget():
                record("badinput", name, None, "time budget spent")
                continue
            if rc != 0:
                record("badinput", name, None, "the valid base file is refused: %s" % err.strip()[:120])
                continue
            a = [fname if x == "FILE" else x for x in args]
            if cname == "invalid UTF-8":
                def chk(rc, out, err, ws, before):
                    if rc == 0:
                        return [] if valid_utf8_ws(ws) else ["stored invalid UTF-8, exit 0"]
                    return refused(rc, out, err, ws, before)
                badinput_case(name, a, {fname: bad}, chk, item="3")
            elif cname == "NUL byte":
                badinput_case(name, a, {fname: bad},
                              lambda rc, o, e, w, bf: refused(rc, o, e, w, bf, notmsg=r"has no value"), item="12")
            else:
                badinput_case(name, a, {fname: bad}, refused, item="2")


def badinput_traps():
    # areas (GeoJSON) cut short
    gj = open(os.path.join(DATA, "tracts.geojson"), "rb").read()
    badinput_case("areas: truncated GeoJSON", ["import", "areas", "t.geojson", "--level", "tract", "--geoid", "GEOID"],
                  {"t.geojson": gj[: len(gj) // 3]}, refused, item="2")
    # TIGER zip cut short
    tz = os.path.join(WORK, "tl_2020_06999_tract.zip")
    tiger_zip(tz, cut=True)
    badinput_case("tiger: zip cut short", ["import", "tiger", "tl_2020_06999_tract.zip"],
                  {"tl_2020_06999_tract.zip": open(tz, "rb").read()},
                  lambda rc, o, e, w, bf: refused(rc, o, e, w, bf, notmsg=r"it holds: nothing"), item="12")
    if not SHORT:
        tiger_zip(tz)
        u = b"".join([])
        badinput_case("tiger: invalid UTF-8 in NAME (dbf)", ["import", "tiger", "tl_2020_06999_tract.zip"],
                      {"tl_2020_06999_tract.zip": tiger_bad_utf8(tz)},
                      lambda rc, o, e, w, bf: [] if rc != 0 or valid_utf8_ws(w) else ["stored invalid UTF-8, exit 0"], item="3")
    # missing key columns
    svi_nofips = b"ST_ABBR,LOCATION,E_TOTPOP,RPL_THEMES\n" + b"".join(b"CA,x%d,100,0.5\n" % i for i in range(30))
    badinput_case("svi: no FIPS column", ["import", "svi", "SVI2018_x.csv", "--year", "2018"], {"SVI2018_x.csv": svi_nofips},
                  lambda rc, o, e, w, bf: refused(rc, o, e, w, bf) + (["the error repeats %d times" % e.count("error")] if e.count("error") > 2 else []),
                  item="12")
    badinput_roads()
    badinput_case("indicators: no GEOID column", ["import", "indicators", "n.csv"], {"n.csv": b"tract,pop\n1,2\n3,4\n"}, refused, item="2")
    badinput_case("cohort: no id column", ["import", "cohort", "x", "n.csv", "--id", "mrn"], {"n.csv": b"lon,lat\n-120.6,37.1\n"}, refused, item="2")
    # typo categories
    for typo in (["housingg", "hous", "fod", "foood", "foodbank", "legl"][:2 if SHORT else 6]):
        badinput_case("assets: --category %s" % typo,
                      ["import", "assets", DATA + "/assets.csv", "--lon", "lon", "--lat", "lat", "--name", "name", "--id", "id", "--category", typo],
                      {}, lambda rc, o, e, w, bf: refused(rc, o, e, w, bf, want_rc=2, msg="did you mean"), item="1")
    # identifiers kept (a file not imported yet, so that nothing else refuses it)
    keepfile = os.path.join(WORK, "keep_cohort.csv")
    write_phi_cohort(keepfile, n=50)
    for keep in ("patient_name", "mrn", "dob", "patient_name,mrn,dob")[: 1 if SHORT else 4]:
        badinput_case("cohort: --keep %s" % keep, ["import", "cohort", "k", keepfile, "--id", "mrn", "--keep", keep], {},
                      lambda rc, o, e, w, bf: refused(rc, o, e, w, bf), item="4")
    # workspace traps
    ws = copy_ws("uv.db")
    c = sqlite3.connect(ws)
    c.execute("PRAGMA user_version = -5")
    c.commit()
    c.close()
    badinput_case("workspace: user_version -5", ["info"], {}, lambda rc, o, e, w, bf: refused(rc, o, e, w, None), ws=ws, item="12")
    fifo = os.path.join(WORK, "fifo.db")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    badinput_case("workspace: a FIFO", ["info"], {}, lambda rc, o, e, w, bf: refused(rc, o, e, w, None), ws=fifo,
                  timeout=5 if SHORT else 15, item="12")
    # the page that holds the categories table: what nearest reads first
    ws = copy_ws("corrupt.db")
    c = sqlite3.connect(ws)
    psize = c.execute("PRAGMA page_size").fetchone()[0]
    root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'categories'").fetchone()[0]
    c.close()
    with open(ws, "r+b") as f:
        f.seek(psize * (root - 1) + 8)
        f.write(os.urandom(psize - 8))
    badinput_case("workspace: a corrupt page, nearest --category food", ["nearest", "--category", "food"], {},
                  lambda rc, o, e, w, bf: refused(rc, o, e, w, None, msg=r"damaged|corrupt|malformed|integrity",
                                                  notmsg=r"is not a category|not an assetmap workspace"), ws=ws, item="10")
    # outputs over the workspace or through planted links
    for name, args in (("map -o WS.png (the workspace)", ["map", "-o", "WS"]),
                       ("export -o WS (the workspace)", ["export", "last", "-o", "WS"]),
                       ("map --save-style WS", ["map", "-o", "o.png", "--save-style", "WS"]),
                       ("atlas -o WS", ["atlas", "--cohort", "kids", "-o", "WS", "--category", "food"]))[: 2 if SHORT else 4]:
        ext = ".gpkg" if "export" in name else ".pdf" if "atlas" in name else ".png" if "map -o" in name else ".db"
        ws = os.path.join(WORK, "selfout" + ext)
        shutil.copy(BASE, ws)
        run(["-q", "nearest", "--cohort", "kids", "--category", "food"], ws=ws)
        badinput_case("output is the workspace: " + name, [ws if x == "WS" else x for x in args], {},
                      lambda rc, o, e, w, bf: refused(rc, o, e, w, bf), ws=ws, item="8")
    symlink_case()


def badinput_roads():
    """import roads: an OpenStreetMap PBF cut mid-file (made from the
    shared extract), OSM XML cut short, a file with no highway, an empty
    file, garbage, a missing file.  Each is refused naming the file, the
    workspace unchanged."""
    osm_head = (b"<?xml version='1.0'?>\n<osm version='0.6'>\n"
                b" <node id='1' lat='37.1' lon='-120.6'/>\n <node id='2' lat='37.11' lon='-120.6'/>\n")
    cases = [
        ("roads: OSM XML cut short", "cut.osm",
         osm_head + b" <way id='3'><nd ref='1'/><nd ref='2'/><tag k='highway' v='residential'/>\n",
         r"cut\.osm: it is cut short or damaged"),
        ("roads: no highway", "stream.osm",
         osm_head + b" <way id='3'><nd ref='1'/><nd ref='2'/><tag k='waterway' v='stream'/></way>\n</osm>\n",
         r"stream\.osm holds no road"),
        ("roads: empty file", "empty.osm.pbf", b"", r"empty\.osm\.pbf is empty"),
        ("roads: garbage", "junk.osm.pbf", bytes(rng.randrange(256) for _ in range(4096)),
         r"junk\.osm\.pbf is not an OpenStreetMap file"),
    ]
    if os.path.isfile(OAKLAND):
        pbf = open(OAKLAND, "rb").read()
        cases.insert(0, ("roads: PBF cut mid-file", "cut.osm.pbf", pbf[: len(pbf) // 2],
                         r"cut\.osm\.pbf: it is cut short or damaged"))
    else:
        record("badinput", "roads: PBF cut mid-file", None, "no shared data (%s)" % OAKLAND)
    if SHORT:
        cases = cases[:2]
    for name, fname, data, msg in cases:
        badinput_case(name, ["import", "roads", fname], {fname: data},
                      lambda rc, o, e, w, bf, m=msg: refused(rc, o, e, w, bf, want_rc=1, msg=m), item="2")
    if not SHORT:
        badinput_case("roads: missing file", ["import", "roads", "nothere.osm.pbf"], {},
                      lambda rc, o, e, w, bf: refused(rc, o, e, w, bf, want_rc=1, msg=r"nothere\.osm\.pbf"), item="2")


def tiger_bad_utf8(tz):
    d = os.path.join(WORK, "tiger")
    dbf = os.path.join(d, "tl_2020_06999_tract.dbf")
    data = bytearray(open(dbf, "rb").read())
    i = data.find(b"Census")
    if i < 0:
        i = data.find(b"1", 200)
    data[i:i + 2] = b"\xff\xfe"
    open(dbf, "wb").write(bytes(data))
    with zipfile.ZipFile(tz, "w") as z:
        for f in sorted(os.listdir(d)):
            z.write(os.path.join(d, f), f)
    return open(tz, "rb").read()


def symlink_case():
    """Plant FILE.tmp-PID links for the next PIDs, pointing at a victim."""
    ws = copy_ws("sym.db")
    out = os.path.join(WORK, "symout")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    victim = os.path.join(WORK, "victim.txt")
    open(victim, "w").write("precious\n")
    try:
        last = int(open("/proc/sys/kernel/ns_last_pid").read())
    except OSError:
        record("badinput", "symlinked temporary output", None, "no /proc/sys/kernel/ns_last_pid")
        return
    for pid in range(last + 1, last + 400):
        for pat in ("m.pdf.tmp-%d", "m.pdf.%d.tmp", ".m.pdf.tmp-%d"):
            os.symlink(victim, os.path.join(out, pat % pid))
    rc, _, err = run(["map", "-o", os.path.join(out, "m.pdf")], ws=ws, am=SAN)
    problems = []
    if open(victim, "rb").read() != b"precious\n":
        problems.append("the victim file was overwritten through a planted link")
    if re.search(r"Sanitizer|runtime error:", err):
        problems.append("sanitizer report")
    record("badinput", "symlinked temporary output (map -o m.pdf)", not problems, "; ".join(problems), "9")


# ---------------------------------------------------------------------------
# probe: PHI in outputs

def phi_probe():
    ws = copy_ws("phi.db")
    out = os.path.join(WORK, "phiout")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    texts = []  # (what, text)
    cmds = [
        ["info"], ["sources"], ["categories"],
        ["nearest", "--cohort", "kids", "--category", "food,housing"],
        ["coverage", "--cohort", "kids", "--category", "food", "--within", "1mi"],
        ["access", "--method", "2sfca", "--category", "food", "--catchment", "2mi", "--cohort", "kids"],
        ["gaps", "--cohort", "kids", "--category", "food,housing", "--top", "500"],
        ["deserts", "--category", "legal", "--within", "2mi", "--cohort", "kids"],
        ["sites", "--category", "legal", "--within", "1mi", "--add", "3", "--cohort", "kids"],
        ["recruit", "--category", "legal", "--within", "1mi", "--top", "3", "--cohort", "kids"],
        ["near", "--at", "37.1,-120.6", "--category", "food"],
    ]
    fmts = ["table"] if SHORT else ["table", "csv", "json"]
    if SHORT:
        cmds = [c for c in cmds if c[0] in ("info", "sources", "nearest", "gaps", "deserts")]
    for c in cmds:
        if over_budget():
            record("phi", " ".join(c), None, "time budget spent")
            continue
        for f in fmts:
            rc, o, e = run(c + ["--format", f], ws=ws)
            texts.append((" ".join(c) + " --format " + f, o + e))
    runs = run(["results", "--format", "csv"], ws=ws)[1].strip().split("\n")[1:]
    texts.append(("results", run(["results"], ws=ws)[1]))
    for line in runs[: 1 if SHORT else 8]:
        rid = line.split(",")[0]
        if over_budget():
            record("phi", "results and exports of run %s" % rid, None, "time budget spent")
            continue
        for f in fmts:
            texts.append(("results %s --format %s" % (rid, f), run(["results", rid, "--format", f], ws=ws)[1]))
        for ext in ("csv", "geojson", "gpkg"):
            p = os.path.join(out, "r%s.%s" % (rid, ext))
            rc, o, e = run(["export", rid, "-o", p], ws=ws)
            texts.append(("export %s" % p, o + e + file_text(p)))
        p = os.path.join(out, "m%s.csv" % rid)
        rc, o, e = run(["export", rid, "-o", p, "--members"], ws=ws)
        if rc == 0:
            texts.append(("export --members %s" % p, o + e + file_text(p)))
            mode = stat.S_IMODE(os.stat(p).st_mode)
            record("phi", "export --members file mode (run %s)" % rid, mode == 0o600, "mode %o" % mode, "7")
    for args, f in ((["map", "-o", "OUT/m.pdf", "--cohort", "kids"], "m.pdf"),
                    (["map", "-o", "OUT/s.pdf", "--indicator", "svi", "--category", "food"], "s.pdf"),
                    (["map", "-o", "OUT/m.svg", "--cohort", "kids"], "m.svg"),
                    (["map", "-o", "OUT/m.png", "--cohort", "kids", "--save-style", "OUT/m.map"], "m.map"),
                    (["atlas", "--cohort", "kids", "-o", "OUT/a.pdf", "--category", "food,housing"], "a.pdf"),
                    (["rainbow", "-o", "OUT/r.pdf"], "r.pdf")):
        if over_budget() or (SHORT and f in ("s.pdf", "m.svg", "m.map", "r.pdf")):
            record("phi", " ".join(args), None, "time budget spent" if not SHORT else "left to the full form")
            continue
        a = [x.replace("OUT", out) for x in args]
        rc, o, e = run(a, ws=ws)
        texts.append((" ".join(args), o + e + file_text(os.path.join(out, f))))
    # what to look for
    coords = {}
    for m in MEMBERS:
        coords.setdefault((round(float(m[1]), 3), round(float(m[2]), 3)), []).append((float(m[1]), float(m[2])))
    pats = [("a patient name", re.compile(r"Quixwhistle|Vantrapp|Brindlecombe|Zorbafret|Thistlewick")),
            ("an MRN", re.compile(r"MRN-\d{8}|(?<![0-9a-f])7351\d{4}(?![0-9a-f])")),
            ("a date of birth", re.compile(r"19[789]\d-\d\d-\d\d")),
            ("the cohort file's name", re.compile(r"phi_cohort_torture"))]
    # coordinates that public inputs hold too (polygon corners) prove nothing
    public = set()
    for f in ("tracts.geojson", "county.geojson", "assets.csv"):
        for x in re.findall(r"-?\d{2,3}\.\d{4,}", open(os.path.join(DATA, f)).read()):
            public.add(round(float(x), 5))
    for what, text in texts:
        for label, rx in pats:
            if label == "the cohort file's name" and not re.match(r"(map|atlas|export|rainbow)", what):
                continue  # a listing for the workspace's own user, not a map or export
            m = rx.search(text)
            item = {"a patient name": "4", "an MRN": "4", "a date of birth": "4", "the cohort file's name": "6"}[label]
            record("phi", "%s: no %s" % (what, label), m is None,
                   "found '%s'" % (m.group(0) if m else ""), item)
        nums = [float(x) for x in re.findall(r"-?\d{2,3}\.\d{4,}", text)]
        hit = None
        for x, y in zip(nums, nums[1:]):
            for lon, lat in ((x, y), (y, x)):
                for cx, cy in coords.get((round(lon, 3), round(lat, 3)), []):
                    if abs(cx - lon) < 2e-5 and abs(cy - lat) < 2e-5 and not (
                            round(lon, 5) in public and round(lat, 5) in public):
                        hit = (lon, lat)
        record("phi", "%s: no member coordinates" % what, hit is None, "found %s" % (hit,), "7")
    # the workspace itself: no identifiers, no key beside the hashes
    raw = open(ws, "rb").read()
    record("phi", "workspace: no names, MRNs or birth dates stored", not re.search(rb"Quixwhistle|MRN-\d{8}|19[789]\d-\d\d-\d\d", raw),
           "found in the workspace file", "4")
    con = sqlite3.connect(ws)
    # a key's fingerprint may be kept ('SHA-256:' and 16 hex digits), the key never
    salt = con.execute("SELECT count(*) FROM meta WHERE key LIKE '%salt%' OR (key LIKE '%key%'"
                       " AND NOT (value LIKE 'SHA-256:%' AND length(value) <= 24))").fetchone()[0]
    record("phi", "workspace: the HMAC key is not stored beside the hashes", salt == 0, "meta holds the key", "5")
    # counts from 1 to 10: the privacy sweep
    sweep = os.path.join(ROOT, "build/rel/tests/test_privacy_sweep")
    if SHORT or over_budget():
        record("phi", "counts 1 to 10 (the privacy sweep)", None,
               "the short form leaves it to make test" if SHORT else "time budget spent (make test runs it)")
    elif os.access(sweep, os.X_OK):
        env = dict(ENV)
        env["ASSETMAP"] = AM
        p = subprocess.run([sweep], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        text = p.stdout.decode("utf-8", "replace")
        m = re.search(r"sweep: (\d+) rows checked, (\d+) leaks", text)
        record("phi", "counts 1 to 10 (the privacy sweep%s)" % (", %s rows" % m.group(1) if m else ""), p.returncode == 0,
               "; ".join(l.strip() for l in text.split("\n") if "leak in" in l)[:300], "15")
    else:
        record("phi", "counts 1 to 10 (the privacy sweep)", None, "build/rel/tests/test_privacy_sweep not built")


def file_text(p):
    if not os.path.exists(p):
        return ""
    if p.endswith(".pdf"):
        r = subprocess.run(["pdftotext", p, "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return r.stdout.decode("utf-8", "replace")
    if p.endswith(".gpkg"):
        r = subprocess.run(["ogrinfo", "-ro", "-al", "-mdd", "all", p], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return r.stdout.decode("utf-8", "replace")
    return open(p, "rb").read().decode("utf-8", "replace")


# ---------------------------------------------------------------------------

def main():
    if not os.access(AM, os.X_OK):
        sys.exit("torture: %s is not built (make)" % AM)
    print("torture: seed %d, %s form, binary %s, work %s" % (SEED, "short" if SHORT else "full", AM, WORK))
    build_base()
    for name, fn in (("phi", phi_probe), ("badinput", badinput_probe), ("writers", writers_probe),
                     ("diskfull", diskfull_probe), ("kill", kill_probe)):
        if ONLY and name not in ONLY:
            continue
        t = time.time()
        CURRENT[0] = name
        DEADLINE[0] = t + SLICE[name]
        try:
            fn()
        except Exception as e:  # a probe that breaks is a failure of the harness, said so
            record(name, "the probe itself", False, "harness error: %s" % repr(e)[:300], "13")
        print("torture: %-9s done in %.0fs" % (name, time.time() - t), flush=True)
    print()
    print("%-10s %6s %6s %6s %8s" % ("probe", "tried", "held", "failed", "not run"))
    tot = [0, 0, 0, 0]
    for p in PROBES:
        t = tally[p]
        tot = [a + b for a, b in zip(tot, t)]
        print("%-10s %6d %6d %6d %8d" % (p, t[0], t[1], t[2], t[3]))
    print("%-10s %6d %6d %6d %8d" % ("total", tot[0], tot[1], tot[2], tot[3]))
    if failures:
        print("\nfailed (probe, case, issue 11 item: why):")
        for probe, name, why, item in failures:
            print("  %-8s %s [item %s]: %s" % (probe, name, item or "?", why))
    if notruns:
        print("\nnot run:")
        for probe, name, why in notruns:
            print("  %-8s %s: %s" % (probe, name, why))
    print("\ntorture: %.0fs, seed %d (TORTURE_SEED=%d reproduces it)" % (time.time() - T0, SEED, SEED))
    if os.environ.get("TORTURE_KEEP"):
        print("torture: kept %s" % WORK)
    else:
        shutil.rmtree(WORK, ignore_errors=True)
    # for tests/run.sh, which runs the short form in make test ('not run'
    # cases are left to the full form or lost a race; they are listed)
    print("%d passed, %d failed" % (tot[1], tot[2]))
    return 1 if failures else 0


SAN = AM
if __name__ == "__main__":
    sys.exit(main())
