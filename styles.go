package lastmile

import (
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/tiles"
)

// writeLayerStyles replaces layer_styles with the QGIS default style of
// every feature layer the district holds that the renderer styles, in
// layer order, so that QGIS opens the district as a readable map in the
// same colours as the tiles.
func writeLayerStyles(tx *gpkg.Tx, r *tiles.Renderer) error {
	layers, err := tx.Layers()
	if err != nil {
		return err
	}
	s := &district.LayerStyles
	w, err := district.Create(tx, &s.Layer)
	if err != nil {
		return err
	}
	for _, l := range layers {
		if l.DataType != "features" {
			continue
		}
		qml, ok := r.QML(l.Name)
		if !ok {
			continue
		}
		err := w.Insert(nil, "", "", l.Name, l.GeomColumn, "lastmile "+l.Name, qml, "", true,
			"lastmile's default style ("+r.Style().Version+")", "lastmile", "", tx.Now)
		if err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}
