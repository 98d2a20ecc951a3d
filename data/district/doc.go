// Package district declares the district GeoPackage: the entities a district
// holds (households, CHWs, health facilities, and the records later stages
// add), each with its own ID type, and every lastmile layer's name, columns,
// types and geometry, declared once. Typed readers stream the entities out
// of a GeoPackage; writers put stage results in.
//
// Nothing else in lastmile spells a column name: ingest builds its layers
// from these declarations, the walking graph writes its layers through them,
// and ARCHITECTURE.md's layer table is generated from them (go test
// ./data/district -update rewrites it; the test fails when it drifts).
//
// Geometries are WGS 84 (EPSG:4326) lon/lat points and lines, as orb
// values. Lengths are geo.Meters; walking times in layers are minutes, and
// the field names say so (minutes, walk_minutes).
package district
