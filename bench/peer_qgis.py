#!/usr/bin/python3
"""peer_qgis.py - the map bench's QGIS peer (PyQGIS, offscreen).

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 bench/peer_qgis.py MAP.gpkg
        OUT.png|OUT.pdf --crs EPSG:N [--width PX --height PX]
        [--basemap FILE.osm.pbf]

Draws what 'assetmap map' draws by default, through a print layout, as
a QGIS user makes a map to hand out: the tracts (layer tracts) shaded by
RPL_THEMES with a graduated renderer, 5 quantile classes and the Blues
ramp; the assets (layer assets) with a categorized renderer, a marker
shape and colour per category; a legend and a title; the map in --crs.
PNG: WIDTH x HEIGHT pixels (default 3000 x 2000; the page is WIDTH/10 x
HEIGHT/10 mm at 254 dpi); PDF: a US letter page, landscape, as
assetmap's default, with QGIS's default export settings.

--basemap: the OSM extract drawn as assetmap's basemap draws it, read
by QGIS's OGR provider from the file as a QGIS user adds it: water
areas (natural=water, landuse=reservoir) and waterways (river, stream,
canal), the major roads by class (motorway to tertiary: a grey casing
under a white line, assetmap's widths), the names of primary and
secondary roads along them and the names of places (place=*), with
QGIS's label engine placing them without collisions.

QGIS crashes on interpreter exit after writing, so the script ends with
os._exit: 0 when the export succeeded, 1 otherwise.
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication, QgsCategorizedSymbolRenderer, QgsClassificationQuantile,
    QgsLineSymbol, QgsPalLayerSettings, QgsSimpleLineSymbolLayer,
    QgsTextBufferSettings, QgsTextFormat, QgsVectorLayerSimpleLabeling,
    QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFillSymbol,
    QgsGraduatedSymbolRenderer, QgsLayoutExporter, QgsLayoutItemLabel,
    QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutPoint, QgsLayoutSize,
    QgsMarkerSymbol, QgsPrintLayout, QgsProject, QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsStyle, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402

# category: (label, colour, QGIS marker shape), as peer_mpl.py
CATS = [
    ("food", "Food", "#e6550d", "circle"),
    ("housing", "Housing", "#3182bd", "square"),
    ("transportation", "Transportation", "#636363", "triangle"),
    ("utilities", "Utilities", "#b8860b", "diamond"),
    ("legal", "Legal Aid", "#756bb1", "arrowhead"),
    ("childcare", "Childcare", "#74c476", "pentagon"),
    ("behavioral_health", "Behavioral Health", "#c51b8a", "hexagon"),
    ("primary_care", "Primary Care", "#de2d26", "star"),
]

# road class: assetmap's width in points (render_basemap.c), the casing
# 0.9 point wider
ROADS = [("motorway", 2.4), ("trunk", 2.1), ("primary", 1.8),
         ("secondary", 1.45), ("tertiary", 1.15)]
PT = 0.3528  # mm


def text_format(size, colour):
    fmt = QgsTextFormat()
    fmt.setFont(QFont("DejaVu Sans"))
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setSize(0.8)
    buf.setColor(QColor("#ffffff"))
    fmt.setBuffer(buf)
    return fmt


def basemap_layers(pbf):
    """The basemap's layers, bottom first, from the OSM file pbf."""
    water = QgsVectorLayer("%s|layername=multipolygons" % pbf, "Water", "ogr")
    water.setSubsetString("natural = 'water' OR landuse = 'reservoir'")
    water.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({
        "color": "#d4e3ee", "outline_style": "no"})))
    ways = QgsVectorLayer("%s|layername=lines" % pbf, "Waterways", "ogr")
    ways.setSubsetString("waterway IN ('river', 'stream', 'canal')")
    ways.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple({
        "color": "#a9bcca", "width": "%.3f" % (0.9 * PT)})))
    roads = QgsVectorLayer("%s|layername=lines" % pbf, "Roads", "ogr")
    roads.setSubsetString("highway IN (%s)" % ", ".join("'%s'" % c for c, _ in ROADS))
    cats = []
    for cls, w in ROADS:
        sym = QgsLineSymbol.createSimple({
            "color": "140,140,140,140", "width": "%.3f" % ((w + 0.9) * PT)})
        sym.appendSymbolLayer(QgsSimpleLineSymbolLayer(QColor(255, 255, 255, 217), w * PT))
        cats.append(QgsRendererCategory(cls, sym, cls))
    roads.setRenderer(QgsCategorizedSymbolRenderer("highway", cats))
    lab = QgsPalLayerSettings()
    lab.fieldName = "CASE WHEN highway IN ('primary', 'secondary') THEN name END"
    lab.isExpression = True
    lab.placement = QgsPalLayerSettings.Line
    # a street is many ways; its name goes along the whole street, as
    # assetmap places it
    ls = lab.lineSettings()
    ls.setMergeLines(True)
    lab.setLineSettings(ls)
    lab.setFormat(text_format(6.5, "#4d4d4d"))
    roads.setLabeling(QgsVectorLayerSimpleLabeling(lab))
    roads.setLabelsEnabled(True)
    places = QgsVectorLayer("%s|layername=points" % pbf, "Places", "ogr")
    places.setSubsetString("place IS NOT NULL")
    places.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple({
        "size": "0", "color": "0,0,0,0", "outline_style": "no"})))
    plab = QgsPalLayerSettings()
    plab.fieldName = "name"
    plab.setFormat(text_format(9, "#262626"))
    places.setLabeling(QgsVectorLayerSimpleLabeling(plab))
    places.setLabelsEnabled(True)
    layers = [water, ways, roads, places]
    for lyr in layers:
        if not lyr.isValid():
            print("peer_qgis: cannot read %s" % pbf, file=sys.stderr)
            os._exit(1)
    return layers


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gpkg")
    ap.add_argument("out")
    ap.add_argument("--crs", required=True)
    ap.add_argument("--width", type=int, default=3000)
    ap.add_argument("--height", type=int, default=2000)
    ap.add_argument("--basemap")
    a = ap.parse_args()

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()

    tracts = QgsVectorLayer("%s|layername=tracts" % a.gpkg, "Social vulnerability (SVI)", "ogr")
    assets = QgsVectorLayer("%s|layername=assets" % a.gpkg, "Community assets", "ogr")
    if not tracts.isValid() or not assets.isValid():
        print("peer_qgis: cannot read the layers of %s" % a.gpkg, file=sys.stderr)
        os._exit(1)

    grad = QgsGraduatedSymbolRenderer("RPL_THEMES")
    grad.setSourceSymbol(QgsFillSymbol.createSimple({
        "color": "#cccccc", "outline_color": "#ffffff", "outline_width": "0.05"}))
    grad.setSourceColorRamp(QgsStyle.defaultStyle().colorRamp("Blues"))
    grad.setClassificationMethod(QgsClassificationQuantile())
    grad.updateClasses(tracts, 5)
    tracts.setRenderer(grad)

    cats = []
    for code, label, colour, shape in CATS:
        sym = QgsMarkerSymbol.createSimple({
            "name": shape, "color": colour, "size": "1.8",
            "outline_color": "#222222", "outline_width": "0.1"})
        cats.append(QgsRendererCategory(code, sym, label))
    assets.setRenderer(QgsCategorizedSymbolRenderer("category", cats))

    crs = QgsCoordinateReferenceSystem(a.crs)
    project = QgsProject.instance()
    project.setCrs(crs)
    project.addMapLayers([tracts, assets])
    base = basemap_layers(a.basemap) if a.basemap else []
    if base:
        project.addMapLayers(base)

    png = a.out.lower().endswith(".png")
    if png:
        page_w, page_h = a.width / 10.0, a.height / 10.0   # mm, at 254 dpi
    else:
        page_w, page_h = 279.4, 215.9                     # letter, landscape
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(page_w, page_h))

    mm = QgsUnitTypes.LayoutMillimeters
    m = QgsLayoutItemMap(layout)
    m.setCrs(crs)
    # top first: assets, the basemap's labels and roads over the tracts
    m.setLayers([assets] + list(reversed(base)) + [tracts])
    m.attemptMove(QgsLayoutPoint(page_w * 0.03, page_h * 0.12, mm))
    m.attemptResize(QgsLayoutSize(page_w * 0.72, page_h * 0.8, mm))
    layout.addLayoutItem(m)
    xf = QgsCoordinateTransform(tracts.crs(), crs, project)
    ext = xf.transformBoundingBox(tracts.extent())
    m.setExtent(ext)        # zoomToExtent alone leaves a new item empty (3.22)
    m.attemptResize(QgsLayoutSize(page_w * 0.72, page_h * 0.8, mm))
    m.zoomToExtent(ext)     # setExtent shrank the frame to the extent's shape

    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(m)
    legend.attemptMove(QgsLayoutPoint(page_w * 0.77, page_h * 0.12, mm))
    layout.addLayoutItem(legend)

    title = QgsLayoutItemLabel(layout)
    title.setText("Community assets and social vulnerability")
    title.setFont(QFont("DejaVu Sans", 18, QFont.Bold))
    title.adjustSizeToText()
    title.attemptMove(QgsLayoutPoint(page_w * 0.03, page_h * 0.03, mm))
    layout.addLayoutItem(title)

    exporter = QgsLayoutExporter(layout)
    if png:
        s = QgsLayoutExporter.ImageExportSettings()
        s.dpi = 254
        s.imageSize = QSize(a.width, a.height)
        rc = exporter.exportToImage(a.out, s)
    else:
        rc = exporter.exportToPdf(a.out, QgsLayoutExporter.PdfExportSettings())
    if rc != QgsLayoutExporter.Success:
        print("peer_qgis: export to %s failed (%d): %s"
              % (a.out, rc, exporter.errorMessage()), file=sys.stderr)
        os._exit(1)
    print("peer_qgis: wrote %s (%d tracts, %d assets)"
          % (a.out, tracts.featureCount(), assets.featureCount()), file=sys.stderr)
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
