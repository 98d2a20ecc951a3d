package osmnet

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// multipolygon assembles a water relation: member ways are joined end to end
// into closed rings (outer and inner separately), then each inner ring is
// put in the outer ring that holds most of its vertices. It returns nil,
// with a warning, when a ring cannot be closed or no outer ring remains.
func (rd *reader) multipolygon(rec relRec) ([][]int32, orb.MultiPolygon) {
	var outer, inner [][]int64
	for _, m := range rec.members {
		refs, ok := rd.memberRefs[m.way]
		if !ok {
			rd.warn.add("relation %d: member way %d not in the file: multipolygon skipped", rec.id, m.way)
			return nil, nil
		}
		if m.inner {
			inner = append(inner, refs)
		} else {
			outer = append(outer, refs)
		}
	}
	outerRings, err := assembleRings(outer)
	if err == nil && len(outerRings) == 0 {
		err = fmt.Errorf("no outer ring")
	}
	if err != nil {
		rd.warn.add("relation %d: outer rings: %v: multipolygon skipped", rec.id, err)
		return nil, nil
	}
	innerRings, err := assembleRings(inner)
	if err != nil {
		rd.warn.add("relation %d: inner rings: %v: multipolygon skipped", rec.id, err)
		return nil, nil
	}

	var all [][]int32
	var mp orb.MultiPolygon
	for _, ids := range outerRings {
		pos := rd.ringPositions("relation", rec.id, ids)
		if pos == nil {
			continue
		}
		r := rd.ring(pos)
		orient(r, orb.CCW)
		mp = append(mp, orb.Polygon{r})
		all = append(all, pos)
	}
	if len(mp) == 0 {
		rd.warn.add("relation %d: no valid outer ring: multipolygon skipped", rec.id)
		return nil, nil
	}
	for _, ids := range innerRings {
		pos := rd.ringPositions("relation", rec.id, ids)
		if pos == nil {
			continue
		}
		r := rd.ring(pos)
		best, bestN := -1, 0
		for i, poly := range mp {
			n := 0
			for _, p := range r[:len(r)-1] {
				if planar.RingContains(poly[0], p) {
					n++
				}
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
		if best < 0 {
			rd.warn.add("relation %d: inner ring outside every outer ring: ring dropped", rec.id)
			continue
		}
		orient(r, orb.CW)
		mp[best] = append(mp[best], r)
		all = append(all, pos)
	}
	return all, mp
}

// maxRingWays caps the work of joining one relation's member ways.
const maxRingWays = 100000

// assembleRings joins ways (lists of node ids) into closed rings by shared
// end nodes, reversing ways as needed. Ways that are closed already are rings
// themselves. Ways of fewer than 2 nodes are ignored. The result depends only
// on the order of ways.
func assembleRings(ways [][]int64) ([][]int64, error) {
	if len(ways) > maxRingWays {
		return nil, fmt.Errorf("%d member ways, more than %d", len(ways), maxRingWays)
	}
	var rings [][]int64
	var open []int
	ends := map[int64][]int{} // end node id -> open ways touching it
	for i, w := range ways {
		switch {
		case len(w) < 2:
		case w[0] == w[len(w)-1]:
			rings = append(rings, append([]int64(nil), w...))
		default:
			open = append(open, i)
			ends[w[0]] = append(ends[w[0]], i)
			ends[w[len(w)-1]] = append(ends[w[len(w)-1]], i)
		}
	}
	used := make(map[int]bool, len(open))
	for _, start := range open {
		if used[start] {
			continue
		}
		used[start] = true
		cur := append([]int64(nil), ways[start]...)
		for cur[0] != cur[len(cur)-1] {
			last := cur[len(cur)-1]
			next := -1
			for _, j := range ends[last] {
				if !used[j] {
					next = j
					break
				}
			}
			if next < 0 {
				return nil, fmt.Errorf("ring not closed at node %d", last)
			}
			used[next] = true
			w := ways[next]
			if w[0] == last {
				cur = append(cur, w[1:]...)
			} else {
				for k := len(w) - 2; k >= 0; k-- {
					cur = append(cur, w[k])
				}
			}
		}
		rings = append(rings, cur)
	}
	return rings, nil
}
