// Package data holds what every lastmile reader and writer shares: the typed
// parse error. Each format lives in its own sub-package (gpkg, household,
// osm, dem, tsplib, demo); data never imports the algorithm packages.
//
// Coordinates are WGS 84 longitude/latitude in degrees.
package data
