#!/usr/bin/python3
"""peer_qgis.py - the map bench's QGIS peer (PyQGIS, offscreen).

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 bench/peer_qgis.py MAP.gpkg
        OUT.png|OUT.pdf --crs EPSG:N [--width PX --height PX]

Draws what 'assetmap map' draws by default, through a print layout, as
a QGIS user makes a map to hand out: the tracts (layer tracts) shaded by
RPL_THEMES with a graduated renderer, 5 quantile classes and the Blues
ramp; the assets (layer assets) with a categorized renderer, a marker
shape and colour per category; a legend and a title; the map in --crs.
PNG: WIDTH x HEIGHT pixels (default 3000 x 2000; the page is WIDTH/10 x
HEIGHT/10 mm at 254 dpi); PDF: a US letter page, landscape, as
assetmap's default, with QGIS's default export settings.

QGIS crashes on interpreter exit after writing, so the script ends with
os._exit: 0 when the export succeeded, 1 otherwise.
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication, QgsCategorizedSymbolRenderer, QgsClassificationQuantile,
    QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFillSymbol,
    QgsGraduatedSymbolRenderer, QgsLayoutExporter, QgsLayoutItemLabel,
    QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutPoint, QgsLayoutSize,
    QgsMarkerSymbol, QgsPrintLayout, QgsProject, QgsRendererCategory,
    QgsStyle, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QFont  # noqa: E402

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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gpkg")
    ap.add_argument("out")
    ap.add_argument("--crs", required=True)
    ap.add_argument("--width", type=int, default=3000)
    ap.add_argument("--height", type=int, default=2000)
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
    m.setLayers([assets, tracts])
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
