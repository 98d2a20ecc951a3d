// Package household reads point records (households, CHW rosters, health
// facilities) from the files a community health program really has: CSV
// exports of ODK Central, KoboToolbox and CommCare, and GeoJSON feature
// collections such as OpenStreetMap exports.
//
// A Reader streams rows: each Row holds the raw values aligned with the
// file's columns, its 1-based line number and, for GeoJSON, the feature's
// geometry. Finding coordinates in a row (Locator) is separate from reading,
// so that callers can report every row, including the bad ones.
//
// ReadPoints reads a list of points (id,lon,lat, as lastmile matrix takes
// them) with the same readers, so a file that ingest reads is read the same
// way there; it stops at the first bad row with a *data.ParseError.
//
// Coordinates are WGS 84 longitude/latitude in degrees (orb.Point{lon, lat});
// GPS accuracy is in metres. Text is UTF-8: a file that is not valid UTF-8
// is read as Windows-1252 (what Excel on Windows writes when it saves "CSV"),
// and UTF-16 or binary input is refused with an error wrapping
// data.ErrFormat.
package household
