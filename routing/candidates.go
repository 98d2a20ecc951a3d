package routing

import (
	"cmp"
	"context"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing/shortest"
)

// Candidate is a source that reaches a point within a time limit.
type Candidate struct {
	Source int
	Time   geo.Seconds
}

// Candidates holds, for every point, the sources that reach it within the
// limit, nearest first.
type Candidates struct {
	lists [][]Candidate
	// SourceErr and PointErr hold each source's and point's snap error
	// (nil when snapped); such a source reaches nothing, such a point has
	// no candidates.
	SourceErr, PointErr []error
}

// Of returns point p's candidates, nearest first (ties by source index).
// The slice is shared: do not modify it.
func (c *Candidates) Of(p int) []Candidate { return c.lists[p] }

// SnapAll snaps every point on workers goroutines (0 = GOMAXPROCS): errs[i]
// is point i's snap error (nil when snapped). The error is ctx's.
func (g *Graph) SnapAll(ctx context.Context, pts []orb.Point, workers int) (snaps []Snap, errs []error, err error) {
	return g.snapAll(ctx, pts, workers)
}

// CandidatesWithin finds, for every point, the sources from which it can be
// walked to within limit — times from the source to the point, as a CHW
// walks from home to a household — keeping the k nearest per point (k ≤ 0
// keeps all). Times agree with Matrix: paths, the same-edge shortcut and
// the straight walk between points nearer to each other than to the paths.
//
// It runs one bounded search per source on workers goroutines (0 =
// GOMAXPROCS); the cost is the graph within limit of each source, so it
// suits many sources with a local reach (CHWs and their households), where
// a full matrix would not fit.
func (g *Graph) CandidatesWithin(ctx context.Context, sources, points []orb.Point, limit geo.Seconds, k, workers int) (*Candidates, error) {
	return g.candidatesWithin(ctx, sources, points, limit, k, workers, false)
}

// CandidatesWithinTo is CandidatesWithin in the other direction: for every
// point, the sources it can walk to within limit (a household walking to
// a health post), with times from the point to the source.
func (g *Graph) CandidatesWithinTo(ctx context.Context, sources, points []orb.Point, limit geo.Seconds, k, workers int) (*Candidates, error) {
	return g.candidatesWithin(ctx, sources, points, limit, k, workers, true)
}

func (g *Graph) candidatesWithin(ctx context.Context, sources, points []orb.Point, limit geo.Seconds, k, workers int, reverse bool) (*Candidates, error) {
	ps, perr, err := g.snapAll(ctx, points, workers)
	if err != nil {
		return nil, err
	}
	return g.candidatesWithinSnaps(ctx, sources, ps, perr, limit, k, workers, reverse)
}

// CandidatesWithinSnaps is CandidatesWithin for points already snapped
// (SnapAll): ps[i] is used when perr[i] is nil.
func (g *Graph) CandidatesWithinSnaps(ctx context.Context, sources []orb.Point, ps []Snap, perr []error, limit geo.Seconds, k, workers int) (*Candidates, error) {
	return g.candidatesWithinSnaps(ctx, sources, ps, perr, limit, k, workers, false)
}

func (g *Graph) candidatesWithinSnaps(ctx context.Context, sources []orb.Point, ps []Snap, perr []error, limit geo.Seconds, k, workers int, reverse bool) (*Candidates, error) {
	if g.sg == nil {
		return nil, ErrNoHierarchy
	}
	sg, startSeeds, endSeeds := g.sg, g.sourceSeeds, g.targetSeeds
	direct := func(s, p *Snap) (uint32, bool) { d, _, _, ok := g.direct(s, p); return d, ok }
	straight := func(s, p *Snap) (uint32, bool) { d, _, ok := g.straight(s, p); return d, ok }
	if reverse {
		// Searching the reversed graph from a source gives every node's
		// time TO the source; a point leaves by its start seeds.
		g.revOnce.Do(func() { g.rev = g.sg.Reverse() })
		sg, startSeeds, endSeeds = g.rev, g.targetSeeds, g.sourceSeeds
		direct = func(s, p *Snap) (uint32, bool) { d, _, _, ok := g.direct(p, s); return d, ok }
		straight = func(s, p *Snap) (uint32, bool) { d, _, ok := g.straight(p, s); return d, ok }
	}
	ss, serr, err := g.snapAll(ctx, sources, workers)
	if err != nil {
		return nil, err
	}
	lim := msOf(float64(limit))

	idx := g.indexPoints(ps, perr, endSeeds)
	found := make([][]candidateHit, len(sources))
	err = parallel.For(ctx, workers, len(sources), func(s int) {
		if serr[s] == nil {
			found[s] = g.reachPoints(sg, idx, ps, &ss[s], sources[s], startSeeds, direct, straight, lim)
		}
	})
	if err != nil {
		return nil, err
	}
	return &Candidates{lists: candidateLists(found, len(ps), k), SourceErr: serr, PointErr: perr}, nil
}

// pointIndex finds the points a search from a source reaches: the graph
// nodes of their end seeds, the edges they snap to and where they are.
type pointIndex struct {
	// first and ends map node v to the (point, offset) pairs of the end
	// seeds at v: ends[first[v]:first[v+1]], in CSR form.
	first  []uint32
	ends   []pointEnd
	byEdge map[EdgeID][]int
	near   *rtree.RTreeG[int] // local metres
	maxLeg float64            // the longest snap, metres
}

type pointEnd struct{ p, off uint32 }

// indexPoints indexes the points snapped without error.
func (g *Graph) indexPoints(ps []Snap, perr []error, endSeeds func(*Snap) []shortest.Seed) *pointIndex {
	first := make([]uint32, g.Nodes()+1)
	for p := range ps {
		if perr[p] == nil {
			for _, sd := range endSeeds(&ps[p]) {
				first[sd.Node+1]++
			}
		}
	}
	for v := 1; v < len(first); v++ {
		first[v] += first[v-1]
	}
	idx := &pointIndex{first: first, ends: make([]pointEnd, first[len(first)-1]), byEdge: map[EdgeID][]int{}, near: &rtree.RTreeG[int]{}}
	fill := slices.Clone(first)
	for p := range ps {
		if perr[p] != nil {
			continue
		}
		for _, sd := range endSeeds(&ps[p]) {
			idx.ends[fill[sd.Node]] = pointEnd{uint32(p), sd.Offset}
			fill[sd.Node]++
		}
		for _, v := range ps[p].variants() {
			idx.byEdge[v.Edge] = append(idx.byEdge[v.Edge], p)
		}
		q := g.local.Forward(ps[p].Point)
		idx.near.Insert(q, q, p)
		idx.maxLeg = max(idx.maxLeg, float64(ps[p].Distance))
	}
	return idx
}

// candidateHit is a point a source reaches, in ms.
type candidateHit struct{ p, ms uint32 }

// reachPoints returns the points source s (at src, snapped) reaches within
// lim ms, each once at its shortest time: along the graph from its start
// seeds, directly along a shared edge, or straight across.
func (g *Graph) reachPoints(sg *shortest.Graph, idx *pointIndex, ps []Snap, s *Snap, src orb.Point,
	startSeeds func(*Snap) []shortest.Seed, direct, straight func(s, p *Snap) (uint32, bool), lim uint32) []candidateHit {
	best := map[uint32]uint32{}
	offer := func(p, ms uint32) {
		if ms > lim {
			return
		}
		if d, ok := best[p]; !ok || ms < d {
			best[p] = ms
		}
	}
	sg.Bounded(startSeeds(s), lim, func(v, _, ms uint32) bool {
		for _, e := range idx.ends[idx.first[v]:idx.first[v+1]] {
			offer(e.p, ms+e.off)
		}
		return true
	})
	for _, v := range s.variants() {
		for _, p := range idx.byEdge[v.Edge] {
			if d, ok := direct(s, &ps[p]); ok {
				offer(uint32(p), d)
			}
		}
	}
	q := g.local.Forward(src)
	// Local metres are within 0.5 % of haversine over a district.
	rad := max(float64(s.Distance), idx.maxLeg)*1.01 + 1
	idx.near.Search([2]float64{q[0] - rad, q[1] - rad}, [2]float64{q[0] + rad, q[1] + rad}, func(_, _ [2]float64, p int) bool {
		if d, ok := straight(s, &ps[p]); ok {
			offer(uint32(p), d)
		}
		return true
	})
	hs := make([]candidateHit, 0, len(best))
	for p, ms := range best {
		hs = append(hs, candidateHit{p, ms})
	}
	return hs
}

// candidateLists inverts the sources' hits to per-point lists, nearest
// first (ties by source), cut at k when k > 0. It empties found.
func candidateLists(found [][]candidateHit, points, k int) [][]Candidate {
	counts := make([]int, points)
	for _, hs := range found {
		for _, h := range hs {
			counts[h.p]++
		}
	}
	lists := make([][]Candidate, points)
	for p, n := range counts {
		lists[p] = make([]Candidate, 0, n)
	}
	for s, hs := range found {
		for _, h := range hs {
			lists[h.p] = append(lists[h.p], Candidate{Source: s, Time: geo.Seconds(float64(h.ms) / 1000)})
		}
		found[s] = nil
	}
	for p := range lists {
		slices.SortFunc(lists[p], func(a, b Candidate) int {
			return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Source, b.Source))
		})
		if k > 0 && len(lists[p]) > k {
			lists[p] = slices.Clip(lists[p][:k])
		}
	}
	return lists
}
