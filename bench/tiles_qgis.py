# QGIS peer for bench/tiles.sh (not run in CI): the district layers with the styles
# lastmile stored in layer_styles, and the DEM as a hillshade (315°, 45°, z-factor 2,
# 45 % opaque), rendered by QGIS's own XYZ tile writer (qgis:tilesxyzmbtiles) into
# MBTiles. Needs python3-qgis (apt). Usage:
#   QT_QPA_PLATFORM=offscreen /usr/bin/python3 bench/tiles_qgis.py DISTRICT.gpkg OUT.mbtiles MINZOOM MAXZOOM [DEM.hgt]
import sys, os, time
from qgis.core import QgsApplication, QgsVectorLayer, QgsProject, QgsRasterLayer, QgsHillshadeRenderer
app = QgsApplication([], False)
app.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing
import processing
Processing.initialize()
path, out, minz, maxz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
layers = []
# The DEM as a hillshade (315°, 45°, z-factor 2, 45 % opaque), as lastmile draws it.
dem = sys.argv[5] if len(sys.argv) > 5 else ""
demLayer = None
if dem:
    demLayer = QgsRasterLayer(dem, "dem", "gdal")
    hs = QgsHillshadeRenderer(demLayer.dataProvider(), 1, 315, 45)
    hs.setZFactor(2)
    demLayer.setRenderer(hs)
    demLayer.setOpacity(0.45)
    QgsProject.instance().addMapLayer(demLayer)
for name in ["study_area", "catchments", "water_areas", "streams", "paths", "households", "chws", "facilities"]:
    l = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    if l.isValid():
        QgsProject.instance().addMapLayer(l)
        layers.append(l)
ext = layers[0].extent()
if demLayer is not None:
    layers.insert(1, demLayer)
t0 = time.time()
processing.run("qgis:tilesxyzmbtiles", {
    "EXTENT": f"{ext.xMinimum()},{ext.xMaximum()},{ext.yMinimum()},{ext.yMaximum()} [EPSG:4326]",
    "ZOOM_MIN": minz, "ZOOM_MAX": maxz, "DPI": 96, "BACKGROUND_COLOR": "#f4f1ea", "TILE_FORMAT": 0, "QUALITY": 75,
    "METATILESIZE": 4, "OUTPUT_FILE": out, "LAYERS": list(reversed(layers))})
print(f"qgis xyz tiles {minz}..{maxz}: {time.time()-t0:.1f} s", flush=True)
os._exit(0)
