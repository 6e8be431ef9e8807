#!/usr/bin/env python3
"""gen_cohort.py - a large synthetic patient cohort for the import bench.

    python3 bench/gen_cohort.py [-n ROWS] [-o FILE] [--seed N] [--zip-share F]

Writes a CSV shaped like a health plan's extract: one row per person with
the identifiers and names a real extract carries (which `assetmap import
cohort` must never store) and a home location in the demo county, Alder
County (fictional, see data/demo/README.md):

    person_id,mrn,first_name,last_name,dob,lon,lat,zip,age,language,asthma

Every person is invented.  Homes cluster like the 5,000 demo cohort
points (data/demo/cohort.csv): each row takes one of them and moves it by
up to about 200 m, so nearly all land inside the county's tracts.  With
--zip-share F a fraction F of rows has no lon/lat, only a ZIP (95990 to
95999, the demo's invented ZIPs), to exercise placing at ZIP centroids.

Deterministic: the same arguments give the same bytes (Python's own
Mersenne Twister seeded with --seed, no clock, no locale).  Standard
library only.
"""
import argparse
import csv
import os
import random
import sys

FIRST = ["Maria", "Jose", "Aiden", "Sofia", "Liam", "Harpreet", "Minh",
         "Isabella", "Noah", "Gurpreet", "Camila", "Ethan", "Linh", "Mateo",
         "Ava", "Simran", "Lucas", "Mia", "Bao", "Elena"]
LAST = ["Garcia", "Hernandez", "Smith", "Nguyen", "Singh", "Lopez",
        "Johnson", "Tran", "Martinez", "Kaur", "Brown", "Gonzalez", "Pham",
        "Rodriguez", "Williams", "Sandhu", "Perez", "Le", "Davis", "Ramirez"]
LANG = ["en", "es", "pa", "vi", "tl", "lo"]
LANG_W = [45, 38, 8, 5, 3, 1]


def demo_points(path):
    pts = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pts.append((float(row["lon"]), float(row["lat"])))
    return pts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--rows", type=int, default=1000000)
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--zip-share", type=float, default=0.0)
    ap.add_argument("--demo", default=os.path.join(here, "..", "data", "demo",
                                                   "cohort.csv"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    seeds = demo_points(a.demo)
    out = sys.stdout if a.output == "-" else open(a.output, "w",
                                                  encoding="utf-8",
                                                  newline="")
    w = out.write
    w("person_id,mrn,first_name,last_name,dob,lon,lat,zip,age,language,"
      "asthma\n")
    for i in range(1, a.rows + 1):
        lon, lat = seeds[rng.randrange(len(seeds))]
        # integer microdegrees: the text is the same on every platform
        ulon = round(lon * 1e6) + rng.randint(-2000, 2000)
        ulat = round(lat * 1e6) + rng.randint(-1800, 1800)
        age = rng.randrange(18)
        year = 2024 - age
        dob = "%04d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28))
        zipc = 95990 + rng.randrange(10)
        if rng.random() < a.zip_share:
            slon = slat = ""
        else:
            slon = "%s%d.%06d" % ("-" if ulon < 0 else "", abs(ulon) // 10**6,
                                  abs(ulon) % 10**6)
            slat = "%s%d.%06d" % ("-" if ulat < 0 else "", abs(ulat) // 10**6,
                                  abs(ulat) % 10**6)
        lang = rng.choices(LANG, LANG_W)[0]
        w("P%07d,MRN%08d,%s,%s,%s,%s,%s,%d,%d,%s,%s\n" % (
            i, rng.randrange(10**8), rng.choice(FIRST), rng.choice(LAST),
            dob, slon, slat, zipc, age, lang,
            "Y" if rng.random() < 0.9 else "N"))
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
