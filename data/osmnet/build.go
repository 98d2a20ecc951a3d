package osmnet

import (
	"math"

	"github.com/paulmach/orb"
)

// build turns the records of the passes into the Network: it drops missing
// nodes (with warnings), assembles the multipolygons and renumbers the nodes
// so that Nodes holds only the used ones.
func (rd *reader) build() *Network {
	w := &rd.warn
	rd.ways = sortDedup(rd.ways, func(r *wayRec) int64 { return r.way.ID }, "way", w)
	rd.waterways = sortDedup(rd.waterways, func(r *waterRec) int64 { return r.ww.ID }, "way", w)
	rd.areas = sortDedup(rd.areas, func(r *areaRec) int64 { return r.id }, "way", w)
	rd.rels = sortDedup(rd.rels, func(r *relRec) int64 { return r.id }, "relation", w)
	rd.buildings = sortDedup(rd.buildings, func(r *areaRec) int64 { return r.id }, "way", w)

	net := &Network{}
	// Positions are indices into rd.ids until the final renumbering.
	var wayPos, waterPos [][]int32
	net.Ways, wayPos = keepLines(rd, "way", rd.ways, func(r *wayRec) (int64, []int64, Way) { return r.way.ID, r.refs, r.way })
	net.Waterways, waterPos = keepLines(rd, "waterway", rd.waterways, func(r *waterRec) (int64, []int64, Waterway) { return r.ww.ID, r.refs, r.ww })
	areaRings, relPolys := rd.waterAreas(net)
	rd.addBuildings(net)

	newIdx := rd.keepUsedNodes(net, wayPos, waterPos, areaRings)
	remap := func(pos []int32) []int32 {
		out := make([]int32, len(pos))
		for i, p := range pos {
			out[i] = newIdx[p]
		}
		return out
	}
	for i := range net.Ways {
		net.Ways[i].Nodes = remap(wayPos[i])
	}
	for i := range net.Waterways {
		net.Waterways[i].Nodes = remap(waterPos[i])
	}
	ri := 0
	for i := range net.WaterAreas {
		if net.WaterAreas[i].Relation {
			net.WaterAreas[i].Polygon = relPolys[ri]
			ri++
			continue
		}
		ring := rd.ring(areaRings[i][0])
		orient(ring, orb.CCW)
		net.WaterAreas[i].Polygon = orb.MultiPolygon{orb.Polygon{ring}}
	}
	net.Warnings = w.result()
	return net
}

// keepLines returns the records (what in warnings) whose node refs resolve
// to a line, as line gives them, and their positions.
func keepLines[R, T any](rd *reader, what string, recs []R, line func(*R) (id int64, refs []int64, v T)) ([]T, [][]int32) {
	var kept []T
	positions := make([][]int32, 0, len(recs))
	for i := range recs {
		id, refs, v := line(&recs[i])
		pos := rd.positions(what, id, refs)
		if pos == nil {
			continue
		}
		kept = append(kept, v)
		positions = append(positions, pos)
	}
	return kept, positions
}

// waterAreas adds the closed water ways and the multipolygon relations
// that resolve to net.WaterAreas, and returns, per area, its rings as
// positions, and the relations' polygons.
func (rd *reader) waterAreas(net *Network) (areaRings [][][]int32, relPolys []orb.MultiPolygon) {
	for _, rec := range rd.areas {
		ring := rd.ringPositions("way", rec.id, rec.refs)
		if ring == nil {
			continue
		}
		net.WaterAreas = append(net.WaterAreas, WaterArea{ID: rec.id, Kind: rec.kind})
		areaRings = append(areaRings, [][]int32{ring})
	}
	for _, rec := range rd.rels {
		rings, mp := rd.multipolygon(rec)
		if rings == nil {
			continue
		}
		net.WaterAreas = append(net.WaterAreas, WaterArea{ID: rec.id, Relation: true, Kind: rec.kind})
		areaRings = append(areaRings, rings)
		relPolys = append(relPolys, mp)
	}
	return areaRings, relPolys
}

// addBuildings adds the buildings whose outlines resolve, counter-clockwise.
// Buildings keep their outlines as coordinates: their nodes are not the
// network's.
func (rd *reader) addBuildings(net *Network) {
	for _, rec := range rd.buildings {
		pos := rd.ringPositions("building", rec.id, rec.refs)
		if pos == nil {
			continue
		}
		ring := rd.ring(pos)
		orient(ring, orb.CCW)
		net.Buildings = append(net.Buildings, Building{ID: rec.id, Kind: rec.kind, Ring: ring})
	}
}

// keepUsedNodes sets net.Nodes and net.Bound to the nodes the lines and
// water areas use, in input order, and returns each position's new index.
func (rd *reader) keepUsedNodes(net *Network, wayPos, waterPos [][]int32, areaRings [][][]int32) []int32 {
	used := make([]bool, len(rd.ids))
	for _, list := range [][][]int32{wayPos, waterPos} {
		for _, pos := range list {
			for _, p := range pos {
				used[p] = true
			}
		}
	}
	for _, rings := range areaRings {
		for _, ring := range rings {
			for _, p := range ring {
				used[p] = true
			}
		}
	}
	newIdx := make([]int32, len(rd.ids))
	n := 0
	for i, u := range used {
		if u {
			newIdx[i] = int32(n)
			n++
		}
	}
	net.Nodes = make([]Node, 0, n)
	net.Bound = orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, u := range used {
		if u {
			net.Nodes = append(net.Nodes, rd.nodes[i])
			net.Bound = net.Bound.Extend(rd.nodes[i].Point)
		}
	}
	if n == 0 {
		net.Bound = orb.Bound{}
	}
	return newIdx
}

// positions maps a line's node refs to positions in rd.ids, dropping missing
// nodes and consecutive repeats. It returns nil, with a warning, when fewer
// than 2 nodes remain.
func (rd *reader) positions(what string, id int64, refs []int64) []int32 {
	pos, missing := rd.resolve(refs)
	if len(pos) < 2 {
		rd.warn.add("%s %d references %d missing nodes: fewer than 2 nodes left, skipped", what, id, missing)
		return nil
	}
	if missing > 0 {
		rd.warn.add("%s %d references %d missing nodes: dropped", what, id, missing)
	}
	return pos
}

// ringPositions is positions for a closed ring: it closes the ring again
// when its first or last node was missing, and returns nil, with a warning,
// when fewer than 4 positions (a triangle) remain.
func (rd *reader) ringPositions(what string, id int64, refs []int64) []int32 {
	pos, missing := rd.resolve(refs)
	if len(pos) > 0 && pos[0] != pos[len(pos)-1] {
		pos = append(pos, pos[0])
	}
	if len(pos) < 4 {
		rd.warn.add("%s %d: ring has %d missing nodes and too few left: skipped", what, id, missing)
		return nil
	}
	if missing > 0 {
		rd.warn.add("%s %d: ring references %d missing nodes: dropped", what, id, missing)
	}
	return pos
}

// resolve maps node refs to positions in rd.ids, dropping missing nodes
// (counted in missing) and consecutive repeats.
func (rd *reader) resolve(refs []int64) (pos []int32, missing int) {
	pos = make([]int32, 0, len(refs))
	c := cursor{ids: rd.ids}
	for _, ref := range refs {
		p, ok := rd.pos(&c, ref)
		if !ok {
			missing++
			continue
		}
		if len(pos) > 0 && pos[len(pos)-1] == p {
			continue
		}
		pos = append(pos, p)
	}
	return pos, missing
}

// pos returns the position of node id in rd.ids when the node was found.
func (rd *reader) pos(c *cursor, id int64) (int32, bool) {
	i, ok := c.find(id)
	if ok && rd.found[i] {
		return int32(i), true
	}
	return 0, false
}

// ring returns the points of ring positions.
func (rd *reader) ring(pos []int32) orb.Ring {
	r := make(orb.Ring, len(pos))
	for i, p := range pos {
		r[i] = rd.nodes[p].Point
	}
	return r
}

// orient reverses r in place unless it already has orientation o. Rings
// with no area (all points on a line) are left as they are.
func orient(r orb.Ring, o orb.Orientation) {
	if got := r.Orientation(); got != 0 && got != o {
		r.Reverse()
	}
}
