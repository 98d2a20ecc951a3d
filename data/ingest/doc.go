// Package ingest validates point records (households, the CHW roster,
// health facilities) read by package household and writes them to the
// district GeoPackage: the households, chws and facilities layers, the
// rejects table, the ingest_log table and the study_area layer.
//
// Every input row ends in exactly one place: the layer (added, updated, or
// unchanged because an identical row is already stored) or the rejects
// table with a reason code (see the Reason constants). Rows that are kept
// but suspicious carry flags (see the Flag constants). Re-ingesting a newer
// export updates rows by ID; re-ingesting the same file changes nothing.
//
// Of several submissions of one ID, in one file, in several files of one
// call or across ingests, the latest is kept and the others are rejected
// (duplicate_id_older): the later submission time wins; a row with a time
// beats one whose time is empty or not a date; on equal times, or when the
// rows have none, the later row wins (file order, then line order). A file
// with no submission time column updates the stored rows of its IDs.
//
// Coordinates are WGS 84 longitude/latitude in degrees; distances and GPS
// accuracy are in metres (geo.Meters). Times are stored as ISO 8601 UTC text.
// Personal data (names, phones) is stored only in the layer (never with
// --no-personal) and never appears in errors or summaries.
package ingest
