#!/usr/bin/env python3
"""Write a synthetic statewide Medi-Cal FFS provider listing.

The header is the exact current (2024) header of DHCS's "Profile of
Enrolled Medi-Cal Fee-For-Service (FFS) Providers" (46 columns, see
../shared/data/medi-cal-ffs-reference/SOURCE.md).  Rows imitate the real
file: provider type and specialty codes from the DHCS reference tables
(physicians with a specialty are about half the rows), individuals named
"LAST, FIRST" (so quoted fields), valid NPIs (Luhn check digit), sites
clustered around California's county seats, some providers listed twice
at one site with a second specialty, threshold languages, Y/N flags, and
a few rows not geocoded (empty Latitude/Longitude).

Deterministic: the same arguments give the same bytes.  Only the Python
standard library.

usage: gen_medi_cal.py [--rows N] [--seed S] [--no-coords RATE]
                       [--duplicates RATE] [--old-header] > FILE
"""
import argparse
import csv
import random
import sys

HEADER_2024 = [
    "OBJECTID", "Provider_Source", "Provider_Number", "NPI", "Owner_Number",
    "Service_Location_Number", "Legal_Name", "Enroll_Status_Eff_DT",
    "Provider_Taxonomy", "NEMT_NMT_Provider_Type", "ANC_Provider_Type",
    "FI_Provider_Type_CD", "FI_Provider_Type", "Provider_License",
    "FI_Provider_Specialty_CD", "FI_Provider_Specialty",
    "Out_of_State_Indicator", "In_Out_State", "Address_Attention", "Address",
    "Address2", "City", "State", "ZIP", "ZIP_4", "DHCS_County_CD",
    "FIPS_County_CD", "County", "Phone_Number", "Medicaid_Patients",
    "CHIP_Patients", "Telehealth_Services", "Provider_Website",
    "Threshold_Languages", "Other_Languages", "Acc_Exam_Room",
    "Acc_Exterior_Building", "Acc_Interior_Building", "Acc_Parking",
    "Acc_Restroom", "Acc_Medical_Equipment", "Acc_Patient_Areas",
    "Acc_Patient_Diagnostic", "Latitude", "Longitude", "CountyName",
]
NEW_IN_2024 = {
    "NEMT_NMT_Provider_Type", "Phone_Number", "Medicaid_Patients",
    "CHIP_Patients", "Telehealth_Services", "Provider_Website",
    "Threshold_Languages", "Other_Languages", "Acc_Exam_Room",
    "Acc_Exterior_Building", "Acc_Interior_Building", "Acc_Parking",
    "Acc_Restroom", "Acc_Medical_Equipment", "Acc_Patient_Areas",
    "Acc_Patient_Diagnostic",
}

# (code, name, weight, taxonomy, individual)
TYPES = [
    ("026", "PHYSICIANS", 460, "207Q00000X", True),
    ("024", "PHARMACIES/PHARMACISTS", 60, "3336C0003X", False),
    ("022", "PHYSICIANS GROUP", 50, "193200000X", False),
    ("007", "CERTIFIED NURSE PRACTIONER", 60, "363LF0000X", True),
    ("041", "COMMUNITY CLINIC", 25, "261QC1500X", False),
    ("035", "RURAL HEALTH CLINICS/FEDERALLY QUALIFIED HEALTH CENTER", 20,
     "261QF0400X", False),
    ("031", "PSYCHOLOGISTS", 30, "103T00000X", True),
    ("070", "LICENSED CLINICAL SOCIAL WORKER INDIVIDUAL", 30, "1041C0700X",
     True),
    ("077", "MARRIAGE AND FAMILY THERAPIST INDIVIDUAL", 25, "106H00000X",
     True),
    ("025", "PHYSICAL THERAPISTS", 20, "225100000X", True),
    ("020", "OPTOMETRISTS", 20, "152W00000X", True),
    ("009", "CLINICAL LABORATORIES", 15, "291U00000X", False),
    ("014", "HOME HEALTH AGENCIES", 10, "251E00000X", False),
    ("030", "GROUND MEDICAL TRANSPORTATION", 8, "343900000X", False),
    ("002", "ASSISTIVE DEVICE AND SICK ROOM SUPPLY DEALERS", 10,
     "332B00000X", False),
    ("017", "LONG TERM CARE FACILITY", 8, "314000000X", False),
    ("016", "COMMUNITY INPATIENT HOSPITAL", 4, "282N00000X", False),
    ("076", "DRUG MEDI-CAL", 4, "261QR0405X", False),
    ("001", "ADULT DAY HEALTH CARE CENTERS", 3, "261QA0600X", False),
    ("066", "PERSONAL CARE AGENCY", 3, "253Z00000X", False),
]
# (code, name, weight) for physicians
SPECIALTIES = [
    ("08", "Family Practice", 30), ("41", "Internal Medicine", 28),
    ("40", "Pediatrics, Periodontist (Dentists Only)", 14),
    ("16", "Obstetrics-Gynecology (M.D. Only) Neonatal", 8),
    ("36", "Psychiatry", 8), ("06", "Cardiovascular Disease (M.D. only)", 5),
    ("07", "Dermatology", 3), ("18", "Ophthalmology", 4),
    ("20", "Orthopedic Surgery, Orthodontist (Dentists Only)", 5),
    ("02", "General Surgery", 5), ("05", "Anesthesiology", 6),
    ("30", "Radiology,  Pedodontist (Dentists Only)", 5),
    ("66", "Emergency Medicine (Urgent Care)", 6),
    ("22", "Pathology (M.D. only)", 2), ("01", "General Practice", 4),
    ("78", "Neoplastic Diseases/Oncology", 2),
]
ANC = {"08": "Adult Primary Care", "41": "Adult Primary Care",
       "40": "Pediatric Primary Care", "01": "Adult Primary Care",
       "16": "OB/GYN Primary Care", "36": "Psychiatry",
       "06": "Adult Specialist", "18": "Adult Specialist"}
# (DHCS code, FIPS, county, seat, lat, lon, weight)
COUNTIES = [
    ("19", "037", "Los Angeles", "LOS ANGELES", 34.0522, -118.2437, 100),
    ("37", "073", "San Diego", "SAN DIEGO", 32.7157, -117.1611, 32),
    ("30", "059", "Orange", "SANTA ANA", 33.7455, -117.8677, 32),
    ("33", "065", "Riverside", "RIVERSIDE", 33.9806, -117.3755, 24),
    ("36", "071", "San Bernardino", "SAN BERNARDINO", 34.1083, -117.2898,
     22),
    ("43", "085", "Santa Clara", "SAN JOSE", 37.3382, -121.8863, 20),
    ("01", "001", "Alameda", "OAKLAND", 37.8044, -122.2712, 17),
    ("34", "067", "Sacramento", "SACRAMENTO", 38.5816, -121.4944, 16),
    ("07", "013", "Contra Costa", "MARTINEZ", 38.0194, -122.1341, 12),
    ("10", "019", "Fresno", "FRESNO", 36.7378, -119.7871, 10),
    ("15", "029", "Kern", "BAKERSFIELD", 35.3733, -119.0187, 9),
    ("38", "075", "San Francisco", "SAN FRANCISCO", 37.7749, -122.4194, 9),
    ("56", "111", "Ventura", "VENTURA", 34.2746, -119.2290, 8),
    ("39", "077", "San Joaquin", "STOCKTON", 37.9577, -121.2908, 7),
    ("41", "081", "San Mateo", "REDWOOD CITY", 37.4852, -122.2364, 7),
    ("50", "099", "Stanislaus", "MODESTO", 37.6391, -120.9969, 5),
    ("49", "097", "Sonoma", "SANTA ROSA", 38.4404, -122.7141, 5),
    ("54", "107", "Tulare", "VISALIA", 36.3302, -119.2921, 4),
    ("42", "083", "Santa Barbara", "SANTA BARBARA", 34.4208, -119.6982, 4),
    ("23", "045", "Mendocino", "UKIAH", 39.1502, -123.2078, 1),
    ("45", "089", "Shasta", "REDDING", 40.5865, -122.3917, 2),
    ("04", "007", "Butte", "OROVILLE", 39.5138, -121.5564, 2),
]
THRESHOLD = ["Spanish", "Chinese", "Vietnamese", "Tagalog", "Korean",
             "Armenian", "Russian", "Farsi", "Arabic", "Cambodian", "Hmong",
             "Cantonese", "Mandarin"]
OTHER = ["Hindi", "Punjabi", "Japanese", "Portuguese", "French", "Lao",
         "Thai", "Urdu", "Mixteco", "American Sign Language"]
LAST = ["GARCIA", "NGUYEN", "SMITH", "KIM", "LEE", "PATEL", "RODRIGUEZ",
        "CHEN", "JOHNSON", "HERNANDEZ", "MARTINEZ", "WONG", "LOPEZ", "TRAN",
        "GONZALEZ", "SINGH", "BROWN", "DAVIS", "WILSON", "ANDERSON"]
FIRST = ["MARIA", "JOHN", "LINDA", "DAVID", "SUSAN", "JAMES", "ANH", "WEI",
         "PRIYA", "JOSE", "EMILY", "MICHAEL", "SOFIA", "DANIEL", "GRACE"]
ORG = ["COMMUNITY HEALTH CENTER", "MEDICAL GROUP INC", "FAMILY CLINIC",
       "PHARMACY #", "HEALTH SERVICES", "CARE CENTER", "MEDICAL CORP",
       "WELLNESS CLINIC", "HOME HEALTH LLC", "TRANSPORT SERVICES"]
STREETS = ["MAIN ST", "MARKET ST", "MISSION ST", "BROADWAY", "1ST AVE",
           "EL CAMINO REAL", "WILSHIRE BLVD", "UNIVERSITY AVE", "OAK ST",
           "HOSPITAL DR", "CENTER ST", "PACIFIC AVE", "GRAND AVE"]


def npi(rng):
    """A 10-digit NPI with a valid Luhn check digit (prefix 80840)."""
    body = str(rng.randint(1, 2)) + "".join(str(rng.randint(0, 9))
                                            for _ in range(8))
    digits = [int(c) for c in "80840" + body]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def pick(rng, items, weight_at):
    total = sum(i[weight_at] for i in items)
    x = rng.uniform(0, total)
    for i in items:
        x -= i[weight_at]
        if x <= 0:
            return i
    return items[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=360000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--no-coords", type=float, default=0.002,
                    help="share of rows left without coordinates")
    ap.add_argument("--duplicates", type=float, default=0.04,
                    help="share of rows repeating an NPI and site")
    ap.add_argument("--old-header", action="store_true",
                    help="write the older 30-column header")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    header = [h for h in HEADER_2024
              if not (a.old_header and h in NEW_IN_2024)]
    w = csv.writer(sys.stdout, lineterminator="\r\n")
    w.writerow(header)
    prev = None
    for oid in range(1, a.rows + 1):
        if prev and rng.random() < a.duplicates:
            # the same provider at the same site, another specialty
            row = dict(prev)
            spec = pick(rng, SPECIALTIES, 2)
            row["FI_Provider_Specialty_CD"], row["FI_Provider_Specialty"] = \
                spec[0], spec[1]
            row["ANC_Provider_Type"] = ANC.get(spec[0], "")
            row["OBJECTID"] = str(oid)
            row["Service_Location_Number"] = str(
                int(row["Service_Location_Number"]) + 1)
        else:
            row = make_row(rng, oid, a.no_coords)
        prev = row
        w.writerow([row[h] for h in header])


def make_row(rng, oid, no_coords):
    t = pick(rng, TYPES, 2)
    c = pick(rng, COUNTIES, 6)
    if t[4]:
        name = "%s, %s %s" % (rng.choice(LAST), rng.choice(FIRST),
                              rng.choice("ABCDEFGHJKLMNPRSTW"))
        if t[0] == "026":
            name += " MD"
    else:
        org = rng.choice(ORG)
        if org.endswith("#"):
            org += str(rng.randint(100, 9999))
        name = "%s %s" % (rng.choice(LAST + [c[3]]), org)
    spec = ("", "")
    if t[0] in ("026", "022"):
        s = pick(rng, SPECIALTIES, 2)
        spec = (s[0], s[1])
    elif t[0] == "007":
        spec = ("2", "Nurse Practitioner (non-physician medical practitioner)")
    elif t[0] in ("041", "035"):
        spec = ("70", "Clinic (mixed specialty), Public Health (Dentists Only)")
    lat = lon = ""
    if rng.random() >= no_coords:
        lat = "%.6f" % (c[4] + rng.gauss(0, 0.08))
        lon = "%.6f" % (c[5] + rng.gauss(0, 0.08))
    langs = []
    if rng.random() < 0.6:
        langs.append("Spanish")
    if rng.random() < 0.2:
        langs.append(rng.choice(THRESHOLD))
    yn = lambda p: "Y" if rng.random() < p else "N"
    flags = rng.random() < 0.7
    return {
        "OBJECTID": str(oid),
        "Provider_Source": "PAVE" if rng.random() < 0.8 else "LEGACY",
        "Provider_Number": "%s%07d" % (rng.choice("ABGPZ"),
                                       rng.randint(0, 9999999)),
        "NPI": npi(rng),
        "Owner_Number": "%03d" % rng.randint(1, 5),
        "Service_Location_Number": "%d" % rng.randint(1, 30),
        "Legal_Name": name,
        "Enroll_Status_Eff_DT": "%04d-%02d-%02d" % (
            rng.randint(1985, 2024), rng.randint(1, 12), rng.randint(1, 28)),
        "Provider_Taxonomy": t[3],
        "NEMT_NMT_Provider_Type": (rng.choice(["NEMT", "NMT", "NEMT/NMT"])
                                   if t[0] == "030" else ""),
        "ANC_Provider_Type": ANC.get(spec[0], ""),
        "FI_Provider_Type_CD": t[0],
        "FI_Provider_Type": t[1],
        "Provider_License": ("%s%06d" % (rng.choice("ACG"),
                                         rng.randint(1, 999999))
                             if t[4] else ""),
        "FI_Provider_Specialty_CD": spec[0],
        "FI_Provider_Specialty": spec[1],
        "Out_of_State_Indicator": "0",
        "In_Out_State": "In State",
        "Address_Attention": "ATTN BILLING" if rng.random() < 0.05 else "",
        "Address": "%d %s" % (rng.randint(1, 9999), rng.choice(STREETS)),
        "Address2": ("STE %d" % rng.randint(100, 500)
                     if rng.random() < 0.3 else ""),
        "City": c[3],
        "State": "CA",
        "ZIP": "9%04d" % rng.randint(0, 6199),
        "ZIP_4": "%04d" % rng.randint(0, 9999) if rng.random() < 0.7 else "",
        "DHCS_County_CD": c[0],
        "FIPS_County_CD": c[1],
        "County": c[2].upper(),
        "Phone_Number": "(%03d) %03d-%04d" % (rng.randint(200, 999),
                                              rng.randint(200, 999),
                                              rng.randint(0, 9999)),
        "Medicaid_Patients": yn(0.8),
        "CHIP_Patients": yn(0.6),
        "Telehealth_Services": yn(0.4),
        "Provider_Website": ("https://www.example.org/p/%d" % oid
                             if rng.random() < 0.15 else ""),
        "Threshold_Languages": ", ".join(langs),
        "Other_Languages": rng.choice(OTHER) if rng.random() < 0.1 else "",
        "Acc_Exam_Room": yn(0.6) if flags else "",
        "Acc_Exterior_Building": yn(0.8) if flags else "",
        "Acc_Interior_Building": yn(0.8) if flags else "",
        "Acc_Parking": yn(0.8) if flags else "",
        "Acc_Restroom": yn(0.7) if flags else "",
        "Acc_Medical_Equipment": yn(0.5) if flags else "",
        "Acc_Patient_Areas": yn(0.7) if flags else "",
        "Acc_Patient_Diagnostic": yn(0.5) if flags else "",
        "Latitude": lat,
        "Longitude": lon,
        "CountyName": c[2],
    }


if __name__ == "__main__":
    main()
