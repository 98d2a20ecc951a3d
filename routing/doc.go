// Package routing builds the terrain-weighted walking graph and answers
// walking-time queries on it; its sub-packages hold the shortest-path engine
// (shortest) and the visit-route optimiser (tsp).
//
// Coordinates are WGS 84 longitude/latitude in degrees; lengths are
// geo.Meters and walking times geo.Seconds. Edge weights inside the engine
// are whole milliseconds (uint32).
//
// # Graph
//
// Build turns an osmnet.Network into a Graph. Edges are the pieces of OSM
// ways between junctions: a junction is a node used by two or more ways (or
// twice by one), a way end, or the end of a removed segment (see Water).
// Ways tagged foot=no are skipped. Nodes are numbered by ascending OSM ID
// and edges by way ID then position along the way, so the same input gives
// the same graph, whatever the number of workers.
//
// # Cost model
//
// Every edge is densified so that elevation is sampled from the DEM at
// least every Profile.DensifyStep metres (30 m by default). On each piece
// the walking speed is Tobler's hiking function
//
//	v = 6·exp(−3.5·|S + 0.05|) km/h,  S = rise/run in the direction of travel,
//
// times the way's factors: Profile.ClassFactor[highway] ×
// SurfaceFactor[surface] × SACFactor[sac_scale] (steps 0.6, demanding
// mountain hiking 0.6, grass 0.85, …). So every edge has two times,
// from→to and to→from, which differ on slopes. Lengths are horizontal
// (haversine). Bridges and tunnels (bridge=*/tunnel=* on the way) run
// straight from the elevation at the way's first node to that at its last:
// the DEM between them is the valley below or the mountain above. Where the
// DEM has no value (or with no DEM) the path is walked as flat and
// BuildReport says how much: PercentNoElevation and a warning.
//
// # Water
//
// Path segments are tested against waterway lines (river, stream, canal,
// ditch, drain) with an R-tree (tidwall/rtree) in local metres:
//
//   - on a bridge or in a tunnel (bridge=*/tunnel=* on the way), within
//     Profile.BridgeRadius (20 m) of a bridge or tunnel way, or, unless
//     it is a ford, on a road class listed in Profile.ImplicitBridge (roads
//     cross water on untagged bridges and culverts): no cost, crossing
//     "bridge";
//   - at a ford (ford=* on the way, or a ford node within
//     Profile.FordRadius, 25 m, of the crossing): Profile.FordMinutes
//     (0 by default), crossing "ford";
//   - otherwise the walker wades: Profile.CrossingMinutes[kind] (15 min
//     for streams, rivers and canals, 0 for ditches and drains, which are
//     ignored) in both directions, crossing "penalty";
//   - a waterway wider than Profile.MaxWadeWidth (10 m; the width tag, or
//     Profile.DefaultWidth[kind], rivers 20 m) cannot be waded: the path
//     segment that crosses it is removed unless it is on a bridge
//     (ford or not), splitting the edge there.
//
// A waterway mapped through a path node is charged once, on the first way
// (in ID order) through that node, however many ways meet there.
//
// Segments running through a water area (natural=water or
// waterway=riverbank) are removed the same way, unless on a bridge or in a
// tunnel: an OSM segment is dropped when any of its densified pieces has
// its midpoint inside the area. BuildReport.Crossings counts each kind
// and the removed segments; the paths layer's crossing column holds the
// costliest crossing of each edge (penalty over ford over bridge).
//
// # Terrain lattice
//
// With BuildOptions.Terrain (and a dem.Mosaic), Build also walks where no
// path is mapped. It derives the drainage from the DEM (routing/hydro:
// streams from Profile.StreamKm2, 1 km², of contributing area) and lays a
// lattice of nodes every Profile.LatticeStep metres (120 m, about 1.3
// SRTM 3″ cells: finer adds nodes, not information) on a square grid in
// local metres, only where it is needed: over the study area grown by
// Profile.LatticeBuffer (2 km), and around every point farther than MaxSnap
// from every mapped path (all points when there is none), reaching the
// nearest path plus the buffer. Nodes sit where the DEM has a value and no
// water area lies. Each node is joined to its 16 neighbours (the 8 around
// it and the 8 knight moves), so a straight line is at most 2.75 % longer
// on the lattice (1/cos 13.28°; measured on flat ground in the tests);
// each step is walked at Tobler's speed on the step's own slope, in each
// direction, times Profile.OffPathFactor (0.6, Tobler's off-path factor).
// A step that crosses a derived stream wades it
// (Profile.DerivedStreamMinutes, both ways); a step across a derived river
// (contributing area from Profile.DerivedBarrierKm2), a mapped waterway
// wider than MaxWadeWidth or a water area does not exist: off the paths
// there is no bridge. Every path junction inside the lattice is joined to
// the lattice nodes within 1.5 steps the same way. A mapped path that
// crosses a derived stream crosses it at a ford (a footpath) or a culvert
// (a road), so rivers are crossed where the paths cross them.
//
// Lattice nodes have negative IDs (NodeOSMID), their edges the class
// TerrainClass; the paths layer leaves them out. A graph with a lattice has
// no contraction hierarchy (a dense 16-neighbour lattice defeats
// contraction): Walk runs a point-to-point Dijkstra and Matrix one
// Dijkstra per row or per column, whichever are fewer.
//
// # Seasons
//
// Profile.Wet derives the wet-season profile from the dry one (see the
// Wet* constants and their source); Save stores one season's graph with
// the layers, SaveSeason another beside it in graph_store, and
// LoadSeason reads either back.
//
// # Queries
//
// A query point (household, CHW, facility) is snapped to the nearest point
// of the nearest edge outside tunnels (Graph.Snap): a house above a tunnel
// cannot step into it. The edges' geometry is indexed in chunks of eight
// segments on a uniform grid in local metres, searched ring by ring in
// order of exact distance up to the snap limit (an R-tree answers beyond
// it, for the error's distance). That point splits the edge virtually:
// the query starts from both of its end nodes with the partial walking
// times along the densified edge, and a source and target on the same
// edge may also be joined directly along it. The straight off-path leg is
// walked at Profile.OffPathFactor (0.6) times Tobler's speed on its own
// slope (DEM at both ends, when the graph has an elevation model). A point
// farther than Profile.MaxSnap (1 km) from every path is not snapped: its
// error wraps ErrTooFar. When the nearest path is a fragment (a component
// of at most Profile.FragmentNodes nodes, 50: an unconnected footway
// around a compound) the point may also walk off-path to the nearest path
// of the largest component, whichever is faster. Two points nearer to each
// other than to the paths (the straight line between them no longer than
// the longer of their off-path legs: a compound, a hamlet away from the
// mapped paths, a point and itself) may also walk straight between them at
// the off-path speed. Points that still share no component get
// ErrNoRoute (wrapping ErrAcrossWater as well on a terrain graph, where
// only water separates the lattice); unreachable is never a large number.
// Off-path legs and straight walks see water like lattice steps: they wade
// streams and never cross a river or water area, so a point whose every
// path within MaxSnap lies across one gets ErrAcrossWater (across_water).
//
// Walk answers one pair with the route's geometry, Matrix many pairs
// (contraction-hierarchy buckets), Nearest the nearest of many sources
// within a time limit (for catchments and coverage).
//
// # Profile JSON
//
// LoadProfile reads a JSON object whose keys are Profile's json tags; keys
// left out keep DefaultProfile's values and map entries are merged into the
// defaults; an unknown key is an error naming it. Example:
//
//	{
//	  "name": "rainy season",
//	  "class_factor": {"path": 0.8, "track": 0.9},
//	  "surface_factor": {"ground": 0.7, "mud": 0.4},
//	  "sac_factor": {"mountain_hiking": 0.7},
//	  "crossing_minutes": {"stream": 30, "river": 45},
//	  "max_wade_width_m": 5,
//	  "off_path_factor": 0.5,
//	  "max_snap_m": 1500,
//	  "densify_step_m": 30
//	}
//
// # Storage
//
// Graph.Save writes three tables into a GeoPackage: paths (one LineString
// per edge with from_node, to_node, length_m, minutes_forward,
// minutes_backward, ascent_m, descent_m, class, osm_way_id, component,
// crossing), graph_components and graph_store (key/value: the compact
// arrays, the contraction hierarchy, the profile JSON, the build report and
// inputs_sha256, the hash of the paths file, the DEM files and the profile;
// see InputsHash). Load restores the graph without rebuilding it.
package routing
