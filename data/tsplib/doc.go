// Package tsplib reads TSPLIB instances (TYPE TSP and ATSP) and reads and
// writes TSPLIB TOUR files, following G. Reinelt, "TSPLIB 95" (Universität
// Heidelberg, 1995).
//
// Distances are TSPLIB's own integer rules: EUC_2D rounds the Euclidean
// distance to the nearest integer, CEIL_2D rounds it up, ATT is the
// pseudo-Euclidean distance of att48/att532, and GEO reads coordinates as
// degrees.minutes (DDD.MM) on a sphere of radius 6378.388 km, truncating
// as the TSPLIB reference code does. EXPLICIT matrices may be given in any
// of TSPLIB's FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW,
// LOWER_DIAG_ROW, UPPER_COL, LOWER_COL, UPPER_DIAG_COL and LOWER_DIAG_COL
// formats; diagonal entries are ignored (some ATSP files store 9999 or
// 100000000 there) and read as 0.
//
// Nodes are numbered 1..n in files and 0..n-1 in this package's API
// (Instance.Dist, Instance.Matrix); Tour keeps the file's 1-based numbers.
// Coordinates are the file's own numbers, in no particular unit or CRS.
//
// Bad input gives a *data.ParseError naming the file, the line and what was
// expected; it unwraps to ErrInvalid. Allocations are capped by
// MaxDimension and by the size of the input, never by DIMENSION alone.
package tsplib
