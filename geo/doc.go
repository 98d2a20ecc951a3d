// Package geo holds lastmile's geometry: distances, local projections,
// Voronoi/Delaunay, polygons and the spatial index.
//
// Coordinates are WGS 84 (EPSG:4326) longitude/latitude in degrees, held as
// orb.Point{lon, lat}. Lengths are Meters and durations are Seconds, so a
// caller never has to guess a unit. geo imports no other lastmile package.
package geo
