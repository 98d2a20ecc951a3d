// Package tiles renders offline map tiles and maps for route sheets and
// viewers. Coordinates are WGS 84 longitude/latitude in degrees; tiles use
// the Web Mercator XYZ scheme.
package tiles
