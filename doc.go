// Package lastmile is the stage layer: it opens a district GeoPackage and
// runs each stage of the pipeline (ingest, walking graph, walking-time
// queries, and the catchment, route, coverage and tile stages as they land)
// as one atomic GeoPackage update. It reads its inputs through data/district,
// calls the algorithm packages (routing, catchment, tiles) and writes its
// layers through data/district's declarations.
//
// The command-line tool (cmd/lastmile) only parses flags, makes one call
// here and prints the result; lastmile demo is the stages in order.
//
// A stage either succeeds and replaces the GeoPackage, or fails and leaves
// it byte-identical (gpkg.Update works on a temporary copy). Errors name the
// user's file, never the temporary copy; an interrupted stage returns an
// error wrapping ErrInterrupted.
//
// Coordinates are WGS 84 lon/lat; walking times are geo.Seconds inside the
// library and minutes in layers and printed output.
package lastmile
