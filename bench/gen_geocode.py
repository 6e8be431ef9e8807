#!/usr/bin/python3
"""gen_geocode.py - a synthetic county for the geocoding bench.

    /usr/bin/python3 bench/gen_geocode.py OUTDIR [--queries N] [--seed S]

A 12 km square street grid (block 200 m) near 37.3 N, 120.6 W: 60 numbered
north-south streets ("1st St" .. "30th St", "31st Ave" .. "60th Ave"),
split at the middle into N and S parts numbered away from it; 60 named
east-west streets (Publication 28 types ST, AVE, BLVD, DR, ...), a third
split into E and W parts with a pre-directional, a third with a
post-directional, a third numbered from the west end.  Every block
carries 100 numbers, odd on the left of the direction of increasing
numbers, even on the right.  Nine ZIPs (95301..95309, a 3 x 3 grid) in
three cities (one per column).

Writes into OUTDIR:

  points.csv      ~500,000 address points, OpenAddresses layout
                  (LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,
                  POSTCODE): about 35 of the 50 numbers of each block
                  side, 12 m off the centre line; 4 % of them also as
                  2-4 unit rows (APT 1 ..).
  addrfeat.shp    TIGER ADDRFEAT-like street ranges (NAD83): one
                  2-vertex edge per block, FULLNAME, LFROMHN, LTOHN,
                  RFROMHN, RTOHN, ZIPL, ZIPR, PARITYL, PARITYR, TLID,
                  EDGE_MTFCC.
  zips.csv        zip,latitude,longitude,city,state (ZIP centroids).
  queries.csv     id,address: N (default 1,000,000) single-line
                  addresses written as people write them (see QUERY
                  FORMS below).
  truth.csv       id,kind,lon,lat: kind point (the number is an address
                  point: its position), range (the number is in a
                  block's range but not a point: where interpolation
                  along the block puts it, 12 m to its side), neg_street
                  (no such street in the county) or neg_number (the
                  street exists but the number is at least 500 beyond
                  its last one); lon, lat empty for negatives.
  parsed.csv      id,number,predir,name,type,postdir,zip,city: the
                  queries' components as the generator knows them, in
                  normal form (upper case, Publication 28 abbreviations,
                  ordinals as digits): what the SpatiaLite peer is given,
                  since SQLite has no address parser.
  pts_norm.csv    number,predir,name,type,postdir,zip,city,lon,lat and
  ranges_norm.csv tlid,side,from_num,to_num,parity,predir,name,type,
                  postdir,zip,city,wkt: the same points (base addresses)
                  and ranges with street parts in normal form, for the
                  peers' tables.
  ordinals.csv    word,n: "FIRST" .. "NINETY-NINTH" (and "TWENTY FIRST"
                  spellings), the dictionary the peers' SQL uses to read
                  ordinals written as words.

QUERY FORMS: 70 % are address points, 20 % numbers inside a range but not
points, 5 % streets that do not exist, 5 % numbers far out of range.
Each is written with, at random: the type abbreviated or in full
("St" / "Street"); directionals abbreviated, with a dot or in full;
numbered street names as "5th", zero-padded ("09TH"), or in words
("Ninth", "Twenty-First"); a unit on 20 % ("Apt 4", "#210", "Suite 300",
"Unit B", "Ste 5", "Apt. 12"); city, state and ZIP (60 %), ZIP+4 (15 %),
city without ZIP (15 %) or ZIP without city (10 %); upper, lower or title
case; commas or none (15 %).

Deterministic: the same N and seed give the same bytes (Python's
random.Random with a fixed seed).  Needs Debian's python3-gdal.
"""
import argparse
import csv
import math
import os
import random
import sys

from osgeo import ogr, osr

LON0, LAT0 = -120.60, 37.30
M_LAT = 111320.0
M_LON = 111320.0 * math.cos(math.radians(LAT0))
BLOCK = 200.0  # metres between streets
NS = 60  # numbered north-south streets, x = i * BLOCK
EW = 60  # named east-west streets, y = j * BLOCK
MID = 30  # the split line of directional streets
OFFSET = 12.0  # metres from the centre line to a house
PER_SIDE = 35  # address points of the 50 numbers of a block side

NAMES = [
    "Oak", "Pine", "Maple", "Cedar", "Elm", "Walnut", "Willow", "Birch",
    "Spruce", "Aspen", "Magnolia", "Sycamore", "Chestnut", "Hickory",
    "Juniper", "Laurel", "Poplar", "Redwood", "Sequoia", "Cypress",
    "Alder", "Hawthorn", "Linden", "Mulberry", "Olive", "Palm", "Peach",
    "Cherry", "Apple", "Plum", "Lincoln", "Washington", "Jefferson",
    "Madison", "Monroe", "Jackson", "Franklin", "Hamilton", "Grant",
    "Adams", "Lake Shore", "San Pablo", "Mission", "Sunset", "Hillcrest",
    "Valley View", "Riverside", "Meadow", "Orchard", "Vineyard", "Harbor",
    "Canyon", "Prairie", "Summit", "Highland", "Fairview", "Greenwood",
    "Kingsley", "Whitney", "Sierra"]
# names that are nowhere in the county (negatives)
FAKE = ["Zephyr", "Quarry", "Bramble", "Tamarack", "Wisteria", "Foxglove",
        "Larkspur", "Heron", "Osprey", "Granite", "Obsidian", "Marigold"]
TYPES = ["ST", "AVE", "BLVD", "DR", "RD", "LN", "WAY", "CT", "PL", "TER",
         "CIR", "PKWY"]
TYPE_FULL = {"ST": "Street", "AVE": "Avenue", "BLVD": "Boulevard",
             "DR": "Drive", "RD": "Road", "LN": "Lane", "WAY": "Way",
             "CT": "Court", "PL": "Place", "TER": "Terrace",
             "CIR": "Circle", "PKWY": "Parkway"}
TYPE_ABBR = {"ST": "St", "AVE": "Ave", "BLVD": "Blvd", "DR": "Dr",
             "RD": "Rd", "LN": "Ln", "WAY": "Way", "CT": "Ct", "PL": "Pl",
             "TER": "Ter", "CIR": "Cir", "PKWY": "Pkwy"}
DIR_FULL = {"N": "North", "S": "South", "E": "East", "W": "West"}
CITIES = ["Riverton", "Oak Valley", "Millbrook"]

ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
ORD_ONES = ["", "first", "second", "third", "fourth", "fifth", "sixth",
            "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
            "thirteenth", "fourteenth", "fifteenth", "sixteenth",
            "seventeenth", "eighteenth", "nineteenth"]
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty",
        7: "seventy", 8: "eighty", 9: "ninety"}
ORD_TENS = {2: "twentieth", 3: "thirtieth", 4: "fortieth", 5: "fiftieth",
            6: "sixtieth", 7: "seventieth", 8: "eightieth", 9: "ninetieth"}


def ordinal_word(n, sep="-"):
    if n < 20:
        return ORD_ONES[n]
    t, o = divmod(n, 10)
    return ORD_TENS[t] if o == 0 else TENS[t] + sep + ORD_ONES[o]


def ordinal_suffix(n):
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def lonlat(x, y):
    return LON0 + x / M_LON, LAT0 + y / M_LAT


class Street:
    """One street part: the same numbering along all its blocks."""

    def __init__(self, predir, name, typ, postdir, numbered):
        self.predir, self.name, self.type, self.postdir = (
            predir, name, typ, postdir)
        self.numbered = numbered  # the name is an ordinal n (int)
        self.blocks = []  # (k, (x0, y0), (x1, y1), zip, city)

    def norm_name(self):
        return str(self.name) if self.numbered else self.name.upper()

    def file_name(self):
        """As the reference files write it: "N 5th St", "Oak Blvd E"."""
        n = (f"{self.name}{ordinal_suffix(self.name)}" if self.numbered
             else self.name)
        parts = [self.predir, n, TYPE_ABBR[self.type], self.postdir]
        return " ".join(p for p in parts if p)


def zip_of(mx, my):
    """ZIP and city of a block by its midpoint in block units."""
    col = min(2, int(mx // 20))
    row = min(2, int(my // 20))
    return str(95301 + row * 3 + col), CITIES[col]


def build_streets():
    streets = []
    # numbered north-south streets at x = i * BLOCK, i = 0..59
    for i in range(NS):
        n = i + 1
        typ = "ST" if n <= 30 else "AVE"
        north = Street("N", n, typ, "", n)
        south = Street("S", n, typ, "", n)
        x = i * BLOCK
        for j in range(EW - 1):
            z, c = zip_of(i, j + 0.5)
            if j >= MID:
                north.blocks.append((j - MID, (x, j * BLOCK),
                                     (x, (j + 1) * BLOCK), z, c))
            else:
                south.blocks.append((MID - 1 - j, (x, (j + 1) * BLOCK),
                                     (x, j * BLOCK), z, c))
        streets += [north, south]
    # named east-west streets at y = j * BLOCK
    for j in range(EW):
        name, typ, y = NAMES[j], TYPES[j % len(TYPES)], j * BLOCK
        style = j % 3
        if style == 2:
            s = Street("", name, typ, "", None)
            for i in range(NS - 1):
                z, c = zip_of(i + 0.5, j)
                s.blocks.append((i, (i * BLOCK, y), ((i + 1) * BLOCK, y),
                                 z, c))
            streets.append(s)
            continue
        if style == 0:
            east, west = (Street("", name, typ, "E", None),
                          Street("", name, typ, "W", None))
        else:
            east, west = (Street("E", name, typ, "", None),
                          Street("W", name, typ, "", None))
        for i in range(NS - 1):
            z, c = zip_of(i + 0.5, j)
            if i >= MID:
                east.blocks.append((i - MID, (i * BLOCK, y),
                                    ((i + 1) * BLOCK, y), z, c))
            else:
                west.blocks.append((MID - 1 - i, ((i + 1) * BLOCK, y),
                                    (i * BLOCK, y), z, c))
        streets += [east, west]
    return streets


def house(p0, p1, t, side):
    """Where number at fraction t of the block lies: 12 m to the left
    (side 'L') or right of the centre line from p0 to p1, in metres."""
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    ln = math.hypot(dx, dy)
    ux, uy = dx / ln, dy / ln
    lx, ly = (-uy, ux) if side == "L" else (uy, -ux)
    return (p0[0] + dx * t + lx * OFFSET, p0[1] + dy * t + ly * OFFSET)


def block_range(k, side):
    """(from, to, parity) of a block side: left odd, right even."""
    return ((100 * k + 1, 100 * k + 99, "O") if side == "L"
            else (100 * k + 2, 100 * k + 98, "E"))


def frac(n, lo, hi):
    return (n - lo) / (hi - lo)


def write_shapefile(path, streets):
    drv = ogr.GetDriverByName("ESRI Shapefile")
    if os.path.exists(path):
        drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4269)
    lyr = ds.CreateLayer("addrfeat", srs, ogr.wkbLineString)
    defs = [("TLID", ogr.OFTInteger64, 10)]
    defs += [(f, ogr.OFTString, w) for f, w in [
        ("FULLNAME", 100), ("LFROMHN", 12), ("LTOHN", 12), ("RFROMHN", 12),
        ("RTOHN", 12), ("ZIPL", 5), ("ZIPR", 5), ("EDGE_MTFCC", 5),
        ("PARITYL", 1), ("PARITYR", 1)]]
    for f, t, w in defs:
        fd = ogr.FieldDefn(f, t)
        fd.SetWidth(w)
        lyr.CreateField(fd)
    ranges = []
    tlid = 100000000
    lyr.StartTransaction()
    for s in streets:
        full = s.file_name()
        for k, p0, p1, z, c in s.blocks:
            tlid += 1
            a, b = lonlat(*p0), lonlat(*p1)
            g = ogr.Geometry(ogr.wkbLineString)
            g.AddPoint_2D(a[0], a[1])
            g.AddPoint_2D(b[0], b[1])
            f = ogr.Feature(lyr.GetLayerDefn())
            lf, lt, lp = block_range(k, "L")
            rf, rt, rp = block_range(k, "R")
            for name, v in [("TLID", tlid), ("FULLNAME", full),
                            ("LFROMHN", str(lf)), ("LTOHN", str(lt)),
                            ("RFROMHN", str(rf)), ("RTOHN", str(rt)),
                            ("ZIPL", z), ("ZIPR", z), ("EDGE_MTFCC", "S1400"),
                            ("PARITYL", lp), ("PARITYR", rp)]:
                f.SetField(name, v)
            f.SetGeometry(g)
            lyr.CreateFeature(f)
            wkt = "LINESTRING(%.7f %.7f,%.7f %.7f)" % (a[0], a[1], b[0], b[1])
            for side in "LR":
                fr, to, par = block_range(k, side)
                ranges.append((tlid, side, fr, to, par, s.predir,
                               s.norm_name(), s.type, s.postdir, z,
                               c.upper(), wkt))
    lyr.CommitTransaction()
    ds = None
    return ranges


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--queries", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=20261207)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rnd = random.Random(a.seed)
    streets = build_streets()

    # ---- address points --------------------------------------------
    pts = []  # (street, number, lon, lat, zip, city)
    missing = []  # (street, number, lon, lat, zip, city): range-only
    with open(os.path.join(a.outdir, "points.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY",
                    "DISTRICT", "REGION", "POSTCODE"])
        for s in streets:
            full = s.file_name()
            for k, p0, p1, z, c in s.blocks:
                for side in "LR":
                    fr, to, _ = block_range(k, side)
                    nums = list(range(fr, to + 1, 2))
                    chosen = set(rnd.sample(nums, PER_SIDE))
                    for n in nums:
                        t = frac(n, fr, to)
                        if n not in chosen:
                            x, y = house(p0, p1, t, side)
                            missing.append((s, n) + lonlat(x, y) + (z, c))
                            continue
                        # a little jitter along the block, as real
                        # points are not exactly where interpolation
                        # puts them
                        x, y = house(p0, p1, t + rnd.uniform(-0.01, 0.01),
                                     side)
                        lon, lat = lonlat(x, y)
                        pts.append((s, n, lon, lat, z, c))
                        row = ["%.7f" % lon, "%.7f" % lat, n, full, "", c,
                               "", "CA", z]
                        w.writerow(row)
                        if rnd.random() < 0.04:
                            for u in range(1, rnd.randint(2, 4) + 1):
                                row[4] = f"APT {u}"
                                w.writerow(row)
    with open(os.path.join(a.outdir, "pts_norm.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["number", "predir", "name", "type", "postdir", "zip",
                    "city", "lon", "lat"])
        for s, n, lon, lat, z, c in pts:
            w.writerow([n, s.predir, s.norm_name(), s.type, s.postdir, z,
                        c.upper(), "%.7f" % lon, "%.7f" % lat])

    # ---- ranges, ZIPs, ordinals --------------------------------------
    ranges = write_shapefile(os.path.join(a.outdir, "addrfeat.shp"), streets)
    with open(os.path.join(a.outdir, "ranges_norm.csv"), "w",
              newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["tlid", "side", "from_num", "to_num", "parity", "predir",
                    "name", "type", "postdir", "zip", "city", "wkt"])
        w.writerows(ranges)
    with open(os.path.join(a.outdir, "zips.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["zip", "latitude", "longitude", "city", "state"])
        for row in range(3):
            for col in range(3):
                lon, lat = lonlat((col * 20 + 10) * BLOCK,
                                  (row * 20 + 10) * BLOCK)
                w.writerow([str(95301 + row * 3 + col), "%.4f" % lat,
                            "%.4f" % lon, CITIES[col], "CA"])
    with open(os.path.join(a.outdir, "ordinals.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["word", "n"])
        for n in range(1, 100):
            w.writerow([ordinal_word(n).upper(), n])
            if n > 20 and n % 10:
                w.writerow([ordinal_word(n, " ").upper(), n])
                w.writerow([ordinal_word(n, "").upper(), n])

    # ---- queries -------------------------------------------------------
    by_name = {}
    for s in streets:
        by_name.setdefault(s.norm_name(), []).append(s)
    maxnum = {id(s): 100 * max(b[0] for b in s.blocks) + 99 for s in streets}
    unit_forms = [lambda: f"Apt {rnd.randint(1, 40)}",
                  lambda: f"#{rnd.randint(100, 450)}",
                  lambda: f"Suite {rnd.randint(1, 9) * 100}",
                  lambda: f"Unit {rnd.choice('ABCDEF')}",
                  lambda: f"Ste {rnd.randint(1, 30)}",
                  lambda: f"Apt. {rnd.randint(1, 40)}"]

    def w_dir(d):
        if not d:
            return ""
        r = rnd.random()
        return d if r < 0.6 else (d + "." if r < 0.75 else DIR_FULL[d])

    def w_name(s_name, numbered):
        if not numbered:
            return s_name
        n = numbered
        r = rnd.random()
        if r < 0.55:
            return f"{n}{ordinal_suffix(n)}"
        if r < 0.75:
            return f"{n:02d}{ordinal_suffix(n).upper()}"
        return ordinal_word(n).title()

    def w_type(t):
        return TYPE_ABBR[t] if rnd.random() < 0.6 else TYPE_FULL[t]

    qf = open(os.path.join(a.outdir, "queries.csv"), "w", newline="")
    tf = open(os.path.join(a.outdir, "truth.csv"), "w", newline="")
    pf = open(os.path.join(a.outdir, "parsed.csv"), "w", newline="")
    qw = csv.writer(qf, lineterminator="\n")
    tw = csv.writer(tf, lineterminator="\n")
    pw = csv.writer(pf, lineterminator="\n")
    qw.writerow(["id", "address"])
    tw.writerow(["id", "kind", "lon", "lat"])
    pw.writerow(["id", "number", "predir", "name", "type", "postdir", "zip",
                 "city"])
    for qid in range(1, a.queries + 1):
        r = rnd.random()
        if r < 0.70:
            s, n, lon, lat, z, c = pts[rnd.randrange(len(pts))]
            kind = "point"
        elif r < 0.90:
            s, n, lon, lat, z, c = missing[rnd.randrange(len(missing))]
            kind = "range"
        elif r < 0.95:
            kind = "neg_street"
            s0 = rnd.choice(streets)
            k, _, _, z, c = rnd.choice(s0.blocks)
            n = 100 * k + rnd.randint(1, 99)
            if rnd.random() < 0.5:
                s = Street(s0.predir, rnd.choice(FAKE), s0.type, s0.postdir,
                           None)
            else:  # an ordinal past the last numbered street
                m = rnd.randint(61, 99)
                s = Street(rnd.choice("NS"), m, "ST", "", m)
            lon = lat = ""
        else:
            kind = "neg_number"
            s = rnd.choice(streets)
            k, _, _, z, c = rnd.choice(s.blocks)
            n = maxnum[id(s)] + rnd.randint(500, 5000)
            lon = lat = ""
        # the written form
        street = " ".join(p for p in [
            w_dir(s.predir), w_name(s.name, s.numbered), w_type(s.type),
            w_dir(s.postdir)] if p)
        line = f"{n} {street}"
        if rnd.random() < 0.20:
            line += " " + rnd.choice(unit_forms)()
        r = rnd.random()
        pz, pc = z, c.upper()
        if r < 0.60:
            tail = [c, f"CA {z}"]
        elif r < 0.75:
            tail = [c, f"CA {z}-{rnd.randint(0, 9999):04d}"]
        elif r < 0.90:
            tail = [c, "CA"]
            pz = ""
        else:
            tail = [f"CA {z}"]
            pc = ""
        sep = ", " if rnd.random() < 0.85 else " "
        text = sep.join([line] + tail)
        r = rnd.random()
        if r < 0.2:
            text = text.upper()
        elif r < 0.4:
            text = text.lower()
        qw.writerow([qid, text])
        tw.writerow([qid, kind, lon if lon == "" else "%.7f" % lon,
                     lat if lat == "" else "%.7f" % lat])
        pw.writerow([qid, n, s.predir, s.norm_name(), s.type, s.postdir, pz,
                     pc])
    qf.close()
    tf.close()
    pf.close()
    print(f"{len(pts)} address points (+ unit rows), {len(ranges)} range "
          f"sides, 9 ZIPs, {a.queries} queries in {a.outdir}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
