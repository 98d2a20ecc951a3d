// Package tiles draws lastmile's maps: one renderer and one style
// description for the offline tile pyramids (lastmile tiles), the local map
// page (lastmile serve), the route sheets and the coverage overview map.
//
// The renderer draws a Scene (plain Go values: the study area, paths,
// water, catchments, households, CHWs, facilities, routes, walking-time
// bands and gap areas, and an elevation model for the hillshade) through a
// Style onto a Canvas, in the View's pixels. It never reads files: the
// stage layer loads the Scene from the GeoPackage. ImageCanvas draws into
// an *image.RGBA (anti-aliased, pure Go: golang.org/x/image/vector, labels in
// DejaVu Sans Condensed); a PDF page implements the same small Canvas interface.
//
// Coordinates: features are WGS 84 longitude/latitude degrees (EPSG:4326,
// orb.Point{lon, lat}). Maps are drawn in Web Mercator (EPSG:3857), the
// projection of XYZ tiles; a View maps lon/lat to canvas pixels (x right,
// y down) at a fractional zoom level (256·2^zoom pixels around the
// equator). Tiles are 256 px in the XYZ scheme (row 0 at the north), as
// orb/maptile numbers them. Line widths and symbol sizes in a Style are
// CSS pixels at zoom 14, scaled with the zoom and the View's PixelRatio
// (print at 300 dpi uses 300/96).
//
// For printed maps, ScaleBar, NorthArrow and DrawLegend (with
// Renderer.Legend) draw the map furniture on the same Canvas; for QGIS,
// Renderer.QML gives each lastmile layer's default style in the same
// colours.
//
// Everything is deterministic: the same Scene, Style and View give the same
// pixels (labels are placed greedily in a fixed order, ties broken by
// text).
package tiles
