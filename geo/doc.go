// Package geo holds lastmile's geometry, so that no other package carries a
// hand-written copy of it:
//
//   - units: Meters, Seconds, SquareMeters; EarthRadius, the one sphere every
//     great-circle computation uses;
//   - Distance (haversine) and Area (geodesic, on S2 loops from
//     github.com/golang/geo) on lon/lat;
//   - Local, an equirectangular projection to metres around a centre, in
//     which the hot loops (snapping, water crossings, Voronoi) work;
//   - PolygonIndex (point in polygon with a strip index), IsRectangle,
//     ExpandBound, PointOnSurface;
//   - segments: Lerp, ProjectToSegment, SegmentIntersection;
//   - NewVoronoi (Voronoi cells of sites clipped to a study area, on an
//     exact-predicate Delaunay triangulation) and Dissolve (union of cells
//     by group), in Local metres: the catchments' geometry.
//
// Coordinates are WGS 84 (EPSG:4326) longitude/latitude in degrees, held as
// orb.Point{lon, lat}, unless a function says it works in planar
// coordinates (Local metres). Lengths are Meters and durations are Seconds,
// so a caller never has to guess a unit. geo imports no other lastmile
// package.
package geo
