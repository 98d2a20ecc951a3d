// Package vrplib reads capacitated vehicle-routing instances in the VRPLIB
// (CVRPLIB) format: the TSPLIB text format extended with CAPACITY,
// DISTANCE, SERVICE_TIME, DEMAND_SECTION and DEPOT_SECTION, as used by the
// CVRPLIB collection (Augerat's sets A, B and P, Christofides and Eilon's
// E, Fisher's F, Christofides, Mingozzi and Toth's CMT, Uchoa et al.'s X).
//
// Distances come from EUC_2D coordinates or an EXPLICIT matrix in any of
// TSPLIB's layouts (FULL_MATRIX, UPPER_ROW, LOWER_DIAG_ROW, ...; diagonal
// entries are ignored). The benchmark literature uses two rules on the same
// files, so the rule is the caller's choice (Rounding): NInt rounds each
// distance to the nearest integer as TSPLIB does (sets A to P, X), Real
// keeps the exact Euclidean distance (CMT and Golden). Coordinates,
// distances, DISTANCE and SERVICE_TIME are the file's own numbers, in no
// particular unit or CRS; DISTANCE is the most a route may take, travel
// plus service times.
//
// Nodes are numbered 1..n in files and 0..n-1 in this package's API
// (Instance.Dist, Instance.Demand, Instance.Depots).
//
// Bad input gives a *data.ParseError naming the file, the line and what was
// expected; it unwraps to ErrInvalid. Allocations are capped by
// MaxDimension and MaxExplicit and grow with the input, never with
// DIMENSION alone.
package vrplib
