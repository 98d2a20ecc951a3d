// Package osmnet reads the walkable path network and the water barriers from
// an OpenStreetMap file (.osm.pbf, .osm XML, gzip or bzip2 compressed XML).
//
// Coordinates are WGS 84 (EPSG:4326) longitude/latitude in degrees.
package osmnet
