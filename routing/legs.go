package routing

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing/shortest"
)

// Leg is one walk of Legs: its time and length; OK is false when there is
// no route within the limit.
type Leg struct {
	Time   geo.Seconds
	Length geo.Meters
	OK     bool
}

// end is one way into a target: from graph node Node, time Ms and length M
// more to the point.
type end struct {
	node uint32
	ms   uint32
	m    float64
}

// targetEnds returns the ways into snap s: from either end of its edge (and
// of its Main variant), with their times and lengths.
func (g *Graph) targetEnds(s *Snap) []end {
	var out []end
	for _, v := range s.variants() {
		e := uint32(v.Edge)
		seeds := g.edgeTargetSeeds(v)
		out = append(out,
			end{seeds[0].Node, seeds[0].Offset, float64(v.Along + v.Distance)},
			end{seeds[1].Node, seeds[1].Offset, float64(g.length[e]) - float64(v.Along) + float64(v.Distance)})
	}
	return out
}

// sourceLengths returns, for each seed of sourceSeeds(s), the metres from
// the point to that node.
func (g *Graph) sourceLengths(s *Snap) []float64 {
	var out []float64
	for _, v := range s.variants() {
		e := uint32(v.Edge)
		out = append(out, float64(v.Along+v.Distance), float64(g.length[e])-float64(v.Along)+float64(v.Distance))
	}
	return out
}

// Legs walks from one point to many snapped points (see Snap) and returns
// each walk's time and length. It runs one search from from that stops as
// soon as no target can get nearer, or at limit, and measures lengths
// along the search tree, so it costs the graph within reach of the
// farthest target rather than one route per target: the stages use it to
// measure a CHW's walk to each of its households. Times agree with Matrix
// (paths, the same-edge shortcut, the straight walk between neighbours);
// lengths are those of the routes Walk finds up to ties between routes of
// equal time. Safe for concurrent use.
func (g *Graph) Legs(from orb.Point, to []Snap, limit geo.Seconds) ([]Leg, error) {
	if g.sg == nil {
		return nil, ErrNoHierarchy
	}
	src, err := g.Snap(from)
	if err != nil {
		return nil, err
	}
	legs := make([]Leg, len(to))
	best := make([]uint64, len(to)) // ms<<32 | 0, math.MaxUint64 = none
	byNode := map[uint32][]int32{}  // node → ends (target<<2 | end)
	ends := make([][]end, len(to))
	for i := range to {
		best[i] = math.MaxUint64
		ends[i] = g.targetEnds(&to[i])
		for k, e := range ends[i] {
			byNode[e.node] = append(byNode[e.node], int32(i<<2|k))
		}
	}
	offer := func(i int, ms uint32, m float64) {
		if uint64(ms) < best[i] {
			best[i] = uint64(ms)
			legs[i] = Leg{Time: geo.Seconds(float64(ms) / 1000), Length: geo.Meters(m), OK: true}
		}
	}
	// The shortcuts that need no search.
	for i := range to {
		if d, va, vb, ok := g.direct(&src, &to[i]); ok {
			offer(i, d, math.Abs(float64(va.Along-vb.Along))+float64(va.Distance+vb.Distance))
		}
		if d, _, ok := g.straight(&src, &to[i]); ok {
			offer(i, d, float64(geo.Distance(from, to[i].Point)))
		}
	}
	seeds := g.sourceSeeds(&src)
	seedLen := map[uint32]float64{}
	seedMs := map[uint32]uint32{}
	for k, l := range g.sourceLengths(&src) {
		n, off := seeds[k].Node, seeds[k].Offset
		if ms, ok := seedMs[n]; !ok || off < ms {
			seedMs[n], seedLen[n] = off, l
		}
	}
	lenTo := map[uint32]float64{}
	lim := msOf(float64(limit))
	// A target is settled once it has a time (the search then only needs
	// to run until no node can beat the largest) or cannot be reached on
	// the graph at all (no variant in a component of the source's).
	comps := map[int]bool{}
	for _, v := range src.variants() {
		comps[v.Component] = true
	}
	found, bound := 0, uint64(0)
	reached := make([]bool, len(to))
	for i := range to {
		onGraph := false
		for _, v := range to[i].variants() {
			onGraph = onGraph || comps[v.Component]
		}
		if best[i] != math.MaxUint64 || !onGraph {
			reached[i] = true
			found++
			if best[i] != math.MaxUint64 {
				bound = max(bound, best[i])
			}
		}
	}
	g.sg.Bounded(seeds, lim, func(v, parent, ms uint32) bool {
		if found == len(to) && uint64(ms) >= bound {
			return false // no unsettled node can improve any target
		}
		l := seedLen[v]
		if parent != shortest.NoNode {
			e, _, _ := g.edgeBetween(parent, v)
			l = lenTo[parent] + float64(g.length[e])
		}
		lenTo[v] = l
		for _, x := range byNode[v] {
			i, k := int(x>>2), x&3
			e := ends[i][k]
			if t := uint64(ms) + uint64(e.ms); t <= uint64(lim) {
				offer(i, uint32(t), l+e.m)
			}
			if !reached[i] && best[i] != math.MaxUint64 {
				reached[i] = true
				found++
			}
			bound = max(bound, min(best[i], uint64(lim)))
		}
		return true
	})
	return legs, nil
}
