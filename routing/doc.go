// Package routing builds the terrain-weighted walking graph and answers
// walking-time queries on it; its sub-packages hold the shortest-path engine
// (shortest) and the visit-route optimiser (tsp).
//
// Coordinates are WGS 84 longitude/latitude in degrees; lengths are
// geo.Meters and walking times geo.Seconds.
package routing
