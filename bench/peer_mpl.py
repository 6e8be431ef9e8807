#!/usr/bin/python3
"""peer_mpl.py - the map bench's geopandas/matplotlib peer.

    /usr/bin/python3 bench/peer_mpl.py MAP.gpkg OUT.png|OUT.pdf --crs EPSG:N
                                       [--width PX --height PX]
                                       [--basemap FILE.osm.pbf]

Draws what 'assetmap map' draws by default: the tracts (layer tracts)
projected to --crs and shaded by RPL_THEMES in 5 quantile classes (a
value on a break goes in the lower class, as in assetmap), the assets
(layer assets) as a marker shape and colour per category, a legend with
the classes and the categories, and a title.  PNG: WIDTH x HEIGHT pixels
(default 3000 x 2000, at 200 dpi); PDF: a US letter page, landscape, as
assetmap's default.  mapclassify is not in Debian, so the quantile
breaks are numpy's.

--basemap: the OSM extract read with geopandas (GDAL's OSM driver) and
drawn over the tracts as assetmap's basemap draws it: water areas and
waterways, the major roads by class (a grey casing under a white line,
assetmap's widths), the name of each primary and secondary road once,
at the middle of its longest piece, and the names of places.
"""
import argparse
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import geopandas  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

# category: (label, colour, marker), the 8 codes of bench/gen_ca.py
CATS = {
    "food": ("Food", "#e6550d", "o"),
    "housing": ("Housing", "#3182bd", "s"),
    "transportation": ("Transportation", "#636363", "^"),
    "utilities": ("Utilities", "#b8860b", "D"),
    "legal": ("Legal Aid", "#756bb1", "v"),
    "childcare": ("Childcare", "#74c476", "p"),
    "behavioral_health": ("Behavioral Health", "#c51b8a", "h"),
    "primary_care": ("Primary Care", "#de2d26", "*"),
}

# road class: assetmap's width in points (render_basemap.c)
ROADS = [("motorway", 2.4), ("trunk", 2.1), ("primary", 1.8),
         ("secondary", 1.45), ("tertiary", 1.15)]


def draw_basemap(ax, pbf, crs):
    import fiona
    import matplotlib.patheffects as pe
    # fiona lists GDAL's OSM driver as unsupported until told it reads
    fiona.supported_drivers["OSM"] = "r"
    halo = [pe.withStroke(linewidth=1.6, foreground="white")]
    water = geopandas.read_file(pbf, layer="multipolygons")
    keep = np.zeros(len(water), dtype=bool)
    for col, val in (("natural", "water"), ("landuse", "reservoir")):
        if col in water:
            keep |= (water[col] == val).to_numpy()
    if keep.any():
        water[keep].to_crs(crs).plot(ax=ax, color="#d4e3ee", linewidth=0, zorder=2)
    lines = geopandas.read_file(pbf, layer="lines").to_crs(crs)
    if "waterway" in lines:
        ww = lines[lines["waterway"].isin(["river", "stream", "canal"])]
        if len(ww):
            ww.plot(ax=ax, color="#a9bcca", linewidth=0.9, zorder=2)
    for k, (cls, w) in enumerate(reversed(ROADS)):
        r = lines[lines["highway"] == cls]
        if len(r):
            r.plot(ax=ax, color=(0.55, 0.55, 0.55, 0.55), linewidth=w + 0.9,
                   zorder=2.1)
            r.plot(ax=ax, color=(1, 1, 1, 0.85), linewidth=w, zorder=2.2)
    named = lines[lines["highway"].isin(["primary", "secondary"]) & lines["name"].notna()]
    best = {}
    for name, geom in zip(named["name"], named.geometry):
        if name not in best or geom.length > best[name].length:
            best[name] = geom
    for name, geom in best.items():
        p = geom.interpolate(0.5, normalized=True)
        ax.text(p.x, p.y, name, fontsize=6.5, color="#4d4d4d", ha="center",
                va="center", path_effects=halo, zorder=4, clip_on=True)
    pts = geopandas.read_file(pbf, layer="points")
    if "place" in pts:
        pl = pts[pts["place"].notna() & pts["name"].notna()].to_crs(crs)
        for name, geom in zip(pl["name"], pl.geometry):
            ax.text(geom.x, geom.y, name, fontsize=9, color="#262626",
                    ha="center", va="center", path_effects=halo, zorder=4,
                    clip_on=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gpkg")
    ap.add_argument("out")
    ap.add_argument("--crs", required=True)
    ap.add_argument("--width", type=int, default=3000)
    ap.add_argument("--height", type=int, default=2000)
    ap.add_argument("--basemap")
    a = ap.parse_args()

    tracts = geopandas.read_file(a.gpkg, layer="tracts").to_crs(a.crs)
    assets = geopandas.read_file(a.gpkg, layer="assets").to_crs(a.crs)

    v = tracts["RPL_THEMES"].to_numpy(dtype=float)
    ok = ~np.isnan(v)
    breaks = np.unique(np.quantile(v[ok], [0.2, 0.4, 0.6, 0.8, 1.0]))
    cls = np.searchsorted(breaks, v, side="left")
    pal = plt.get_cmap("Blues")(np.linspace(0.08, 0.9, len(breaks)))
    colours = np.where(ok[:, None], pal[np.minimum(cls, len(breaks) - 1)],
                       np.array([0.8, 0.8, 0.8, 1.0]))

    png = a.out.lower().endswith(".png")
    dpi = 200
    size = (a.width / dpi, a.height / dpi) if png else (11.0, 8.5)
    fig = plt.figure(figsize=size, dpi=dpi)
    ax = fig.add_axes([0.03, 0.08, 0.72, 0.8])
    ax.set_axis_off()
    ax.set_aspect("equal")
    tracts.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.15)
    if a.basemap:
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        draw_basemap(ax, a.basemap, a.crs)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)

    handles = []
    lo = np.nanmin(v)
    for k, hi in enumerate(breaks):
        n = int(np.sum(ok & (cls == k)))
        handles.append(Patch(facecolor=pal[k], edgecolor="#999999",
                             label="%.4f - %.4f   %d" % (lo, hi, n)))
        lo = hi
    xy = np.column_stack([assets.geometry.x.to_numpy(), assets.geometry.y.to_numpy()])
    cat = assets["category"].to_numpy()
    for code, (label, colour, marker) in CATS.items():
        m = cat == code
        if not m.any():
            continue
        ax.scatter(xy[m, 0], xy[m, 1], s=14, c=colour, marker=marker,
                   edgecolors="#222222", linewidths=0.3, zorder=3)
        handles.append(Line2D([], [], linestyle="", marker=marker, color=colour,
                              markeredgecolor="#222222", markersize=7,
                              label="%s   %d" % (label, int(m.sum()))))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.77, 0.88),
               frameon=True, fontsize=8,
               title="Social vulnerability (SVI) / Community assets")
    fig.suptitle("Community assets and social vulnerability", x=0.03, y=0.96,
                 ha="left", fontsize=16, fontweight="bold")
    fig.text(0.03, 0.03, "Sources: %s.  Projection: %s." % (a.gpkg.split("/")[-1], a.crs),
             fontsize=6, color="#555555")
    fig.savefig(a.out, dpi=dpi)
    print("peer_mpl: wrote %s (%d tracts, %d assets)" % (a.out, len(tracts), len(assets)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
