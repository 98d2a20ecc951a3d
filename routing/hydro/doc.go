// Package hydro derives the drainage network from a digital elevation model:
// where water would run, and so where the creeks and rivers are that nobody
// mapped.
//
// Units and CRS: a Grid holds elevations in metres on a regular WGS 84
// longitude/latitude grid (EPSG:4326), values on cell centres, row 0 the
// northern row (the layout of SRTM tiles and of dem.Tile). Cell sizes in
// metres are computed per row on the sphere of geo.EarthRadius, so cells
// shrink east–west with latitude. Contributing areas are square kilometres;
// stream lines are orb.LineString in lon/lat degrees through cell centres.
//
// # Pipeline
//
// Derive runs the four steps, each also exported for tests and other uses:
//
//  1. Fill removes the sinks (pits and closed depressions, real or DEM
//     noise) by Priority-Flood+ε (Barnes, Lehman and Mulla 2014, "Priority-
//     flood: An optimal depression-filling and watershed-labeling algorithm
//     for digital elevation models", Computers & Geosciences 62, Algorithm
//     3): cells are flooded inwards from the grid's edge in order of
//     elevation, and a cell lower than the cell that reached it is raised
//     to the next float32 above it. Every cell then has a strictly lower
//     neighbour on a path to the edge, so flats drain too.
//  2. FlowDirections gives each cell the D8 direction of steepest descent
//     (O'Callaghan and Mark, 1984) on the filled surface: drop over the
//     distance between cell centres, to one of the 8 neighbours; ties go to
//     the first in the order E, SE, S, SW, W, NW, N, NE. Cells on the grid's
//     edge or beside a no-data cell drain out of the grid.
//  3. Accumulate sums, in topological order (upstream first), the area of
//     every cell that drains through each cell, its own included.
//  4. Extract keeps the cells whose contributing area reaches
//     Options.StreamKm2 as streams, and those reaching Options.RiverKm2 as
//     rivers; it computes the Strahler order (two streams of order k make
//     one of order k+1) and cuts the network into links: from a source, a
//     confluence, or the cell where a stream becomes a river, down to the
//     next such cell (included, so the lines join) or the grid's edge.
//
// # Thresholds
//
// The defaults are for SRTM 3″ (about 92 m cells, 0.0085 km² each) in the
// humid forest of West Africa (Liberia's Grand Gedeh: about 2,000 mm of rain
// a year, low hills 100–400 m, streams that flow all year):
//
//   - StreamKm2 = 1 km² (about 120 SRTM cells). Below a few dozen cells,
//     the "valleys" SRTM shows are its noise and the forest canopy (C-band
//     radar reflects off the crowns); from 1 km² up, the derived channels
//     follow real valley floors that are 2–3 cells wide. In a climate this
//     wet a square kilometre of forest feeds a permanent creek a walker has
//     to wade, and smaller channels are gullies stepped over.
//   - RiverKm2 = 100 km². A catchment this size yields a few cubic metres
//     per second on average (runoff of the order of 1,000 mm a year), a
//     river of the order of 10 m wide and waist-deep in the rains: the
//     width up to which the walking profile lets a walker wade (10 m).
//     Which derived rivers walkers never cross is the walking profile's
//     choice, by season (routing: 500 km² in the dry season, 100 km² in
//     the wet one).
//
// Both are options; compare GRASS r.stream.extract with threshold =
// StreamKm2 / cell area (bench/results/konobo.md reports the agreement).
//
// Deterministic: the same grid and options give the same network. The
// functions do not keep or modify their inputs. Memory: about 20 bytes per
// cell (Konobo's four SRTM tiles, 5.8 million cells: about 120 MB).
package hydro
