// Package data holds what every lastmile reader and writer shares: the typed
// parse error (ParseError: file, 1-based line, field) and ErrFormat for a
// file that is not in the expected format at all. data never imports the
// algorithm packages (routing, catchment, tiles); each format lives in its
// own sub-package:
//
//   - district: the district GeoPackage's layers, declared once (typed
//     entities and IDs, columns, streaming readers and writers);
//   - gpkg: the GeoPackage reader and writer under it (layers, R-tree,
//     tile pyramids, atomic Update);
//   - mbtiles: MBTiles 1.3 tile files for phones (ODK Collect, OsmAnd);
//   - household: CSV and GeoJSON point-record readers (ODK, Kobo, CommCare,
//     OpenStreetMap exports), column detection, ReadPoints for id,lon,lat
//     lists, the planner's locks file;
//   - ingest: validation, deduplication and upsert of households, CHWs and
//     facilities into the GeoPackage, with rejects, flags and ingest_log;
//   - osmnet: the walkable ways and water barriers of an OpenStreetMap file
//     (PBF, or XML plain, gzip or bzip2);
//   - dem: SRTM .hgt and GeoTIFF elevation tiles, mosaic and bilinear
//     sampling;
//   - tsplib, vrplib: TSPLIB (TSP, ATSP, TOUR) and CVRPLIB instances, on the
//     shared text layer of internal/tsplibfmt;
//   - demo: the seeded sample district (elevation, OSM paths, noisy survey
//     exports, roster, facilities).
//
// Coordinates are WGS 84 longitude/latitude in degrees.
package data
