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

	used := make([]bool, len(rd.ids))
	net := &Network{}

	// Positions are indices into rd.ids until the final renumbering.
	wayPos := make([][]int32, 0, len(rd.ways))
	for _, rec := range rd.ways {
		pos := rd.positions("way", rec.way.ID, rec.refs)
		if pos == nil {
			continue
		}
		net.Ways = append(net.Ways, rec.way)
		wayPos = append(wayPos, pos)
	}
	waterPos := make([][]int32, 0, len(rd.waterways))
	for _, rec := range rd.waterways {
		pos := rd.positions("waterway", rec.ww.ID, rec.refs)
		if pos == nil {
			continue
		}
		net.Waterways = append(net.Waterways, rec.ww)
		waterPos = append(waterPos, pos)
	}
	var areaRings [][][]int32 // per area: its rings as positions (for used)
	for _, rec := range rd.areas {
		ring := rd.ringPositions("way", rec.id, rec.refs)
		if ring == nil {
			continue
		}
		net.WaterAreas = append(net.WaterAreas, WaterArea{ID: rec.id, Kind: rec.kind})
		areaRings = append(areaRings, [][]int32{ring})
	}
	var relPolys []orb.MultiPolygon
	for _, rec := range rd.rels {
		rings, mp := rd.multipolygon(rec)
		if rings == nil {
			continue
		}
		net.WaterAreas = append(net.WaterAreas, WaterArea{ID: rec.id, Relation: true, Kind: rec.kind})
		areaRings = append(areaRings, rings)
		relPolys = append(relPolys, mp)
	}

	// Buildings keep their outlines as coordinates: their nodes are not
	// the network's.
	for _, rec := range rd.buildings {
		pos := rd.ringPositions("building", rec.id, rec.refs)
		if pos == nil {
			continue
		}
		ring := rd.ring(pos)
		orient(ring, orb.CCW)
		net.Buildings = append(net.Buildings, Building{ID: rec.id, Kind: rec.kind, Ring: ring})
	}

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
