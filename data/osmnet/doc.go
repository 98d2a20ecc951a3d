// Package osmnet reads the walkable path network and the water barriers
// from an OpenStreetMap file, for the walking-graph builder (package
// routing), which decides what the tags cost.
//
// With Options.Buildings it also reads the building outlines (closed ways
// tagged building=*), so that coverage can count the structures no
// household registered.
//
// Coordinates are WGS 84 (EPSG:4326) longitude/latitude in degrees, as
// orb.Point{lon, lat}, rounded to OSM's 1e-7° grid. Widths are metres.
//
// # Inputs
//
// Read takes .osm.pbf, .osm XML, and XML compressed with gzip (.osm.gz) or
// bzip2 (.osm.bz2). The format is found from the first bytes (gzip and
// bzip2 magic, the PBF "OSMHeader" block, an XML document whose root is
// <osm>), not from the extension. ReadFrom and ReadReaderAt read from
// memory or any re-openable source. PBF blocks must be zlib-compressed or
// raw (what osmium, osmosis and Geofabrik write); lz4 and zstd blocks are
// refused with a clear error.
//
// # What is walkable
//
// A way is walkable when its highway=* is one a person may walk along:
// path, footway, track, bridleway, steps, pedestrian, living_street,
// residential, service, unclassified, tertiary, secondary, primary and
// their _link roads; cycleway (walkers share them unless foot=no); road (a
// not yet classified road); corridor (an indoor passage that joins the
// outdoor network at buildings). Then:
//
//   - foot=no, foot=private or foot=use_sidepath excludes the way
//     (use_sidepath means a parallel footway is mapped and should be used
//     instead);
//   - foot=yes|designated|permissive includes it, overriding access=* and
//     also admitting motorway, motorway_link, trunk and trunk_link, which
//     are excluded otherwise;
//   - access=no|private excludes it (other access values, such as
//     agricultural or destination, restrict vehicles and are ignored).
//
// Other highway values (construction, proposed, abandoned, platform,
// via_ferrata, raceway, ...) are not walkable. A walkable area (area=yes,
// e.g. a pedestrian square) is kept as its closed outline way with
// Way.Area set: routing along the outline reaches every entrance, though
// it does not cut across the square.
//
// Each Way records Highway, Surface, SAC (sac_scale), Foot, Bridge and
// Tunnel (the tag present and not "no"), Ford (ford=* not "no") and Width.
// Nodes record Ford (ford=* not "no", e.g. ford=yes or stepping_stones) and
// Barrier (the barrier=* value, e.g. gate, fence).
//
// # Barriers
//
// Water stops walkers except at bridges and fords. Waterways are the lines
// waterway=river|stream|canal|ditch|drain with their Kind and width=* in
// metres ("5", "5 m", "5m", "3.5", "3,5", "10 ft"; anything else is 0,
// unknown): routing decides which kinds to treat as barriers. WaterAreas
// are natural=water and waterway=riverbank areas: closed ways, and
// type=multipolygon relations whose member ways are joined end to end into
// outer and inner rings (outer rings counter-clockwise, inner clockwise). A
// relation whose rings do not close, or whose member ways are not in the
// file (common at the edge of an extract), is skipped with a warning.
//
// # Streaming in passes
//
// The file is never loaded whole; memory stays proportional to the kept
// ways and their nodes. Pass 1 reads ways and relations and keeps the
// walkable ways, the waterways, the closed water ways and the water
// relations, as lists of node ids (PBF: osmpbf.Scanner with SkipNodes; XML:
// node elements are skipped by a byte scan without decoding, see
// internal/xmlscan, which replaces paulmach/osm's osmxml: that one decodes
// every element with encoding/xml and is about 9 times slower than this
// whole three-pass read, per single pass, on the Andorra XML). Relations
// come after ways in an OSM file, so when a water relation has member ways
// that pass 1 did not keep (untagged ways, the usual case), an extra pass
// reads only those ways. The last pass reads only the needed nodes (PBF:
// SkipWays and SkipRelations and a node filter in the decoders; XML: the
// id is checked before the rest of the element is decoded) and stops as
// soon as every needed node is found. PBF blocks are decoded by
// runtime.GOMAXPROCS goroutines (Options.Procs).
//
// # Missing data
//
// A way that references nodes the file lacks keeps its other nodes, with a
// warning naming the way and the count; with fewer than 2 nodes left it is
// skipped. Nodes with coordinates out of range count as missing. Warnings
// name OSM ids only. A file that is not OSM data, a truncated or corrupt
// PBF and malformed XML give a *data.ParseError that names the file (and,
// for XML, the line) and unwraps to data.ErrFormat. Read never panics on
// bad input: paulmach/osm's PBF decoder trusts the sizes, string-table
// indices and array lengths it reads, and panics in its own goroutines
// (where no recover reaches) when they are wrong, and on non-dense nodes.
// So every PBF block is checked first (framing, then the inflated block is
// walked), and passed on uncompressed so it is inflated only once; this
// costs about 15% of the PBF read time.
//
// # Output
//
// The Network is deterministic: Nodes, Ways and Waterways are sorted by
// id, WaterAreas by id with closed ways before relations, and the same data
// as PBF or XML gives a reflect.DeepEqual Network.
package osmnet
