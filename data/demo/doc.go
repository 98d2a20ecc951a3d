// Package demo generates a seeded, realistic rural district for the demo,
// the tests and the benchmarks: hills, a river valley and streams in an
// SRTM-style elevation model, villages and hamlets strung along footpaths
// and tracks, health facilities, a CHW roster and an ODK-style household
// export with the registration noise real exports carry (GPS error, swapped
// coordinates, duplicate submissions, junk rows).
//
// Generate writes the inputs in their real formats (households.csv,
// chws.csv, facilities.geojson, paths.osm as OSM XML, and .hgt tiles), so the
// whole pipeline runs on them exactly as on field data. The same Config
// gives byte-identical files.
//
// Coordinates are WGS 84 (EPSG:4326) longitude/latitude in degrees; the
// default district lies in inland Liberia around 7.5° N 9.5° W. Internally
// the generator works in metres of a local equirectangular projection
// (geo.Local) centred on the district; elevations are metres above sea level.
// Names and phone numbers are obviously fake.
package demo
