// Package catchment assigns households to CHWs (catchments), balances and
// reassigns them, and reports coverage gaps. It works on plain values
// (points, walking times) and never reads files.
//
// Coordinates are WGS 84 longitude/latitude in degrees; times are geo.Seconds.
package catchment
