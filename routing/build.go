package routing

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing/shortest"
	"github.com/paulmach/orb"
)

// BuildOptions tunes Build. A nil *BuildOptions means the defaults.
type BuildOptions struct {
	// Workers is how many goroutines densify and sample elevations;
	// 0 means runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, when set, is called with a phase name and a fraction done
	// (0..1). It must be safe to call from one goroutine at a time.
	Progress func(phase string, done float64)
	// NoHierarchy skips the contraction hierarchy (for tests of the graph
	// arrays alone); queries then fail with ErrNoHierarchy.
	NoHierarchy bool
	// Terrain, when set, adds the terrain lattice and the drainage derived
	// from the DEM (which must then be a *dem.Mosaic). A graph with a
	// lattice has no contraction hierarchy: its queries run Dijkstra.
	Terrain *Terrain
}

// BuildReport summarises a build: what the graph holds, what was left out
// and how long each phase took.
type BuildReport struct {
	Nodes            int     `json:"nodes"`
	Edges            int     `json:"edges"`
	Components       int     `json:"components"`
	LargestComponent int     `json:"largest_component_nodes"`
	ComponentSizes   []int   `json:"component_sizes_top"` // node counts of the 10 largest
	Km               float64 `json:"km"`
	KmNoElevation    float64 `json:"km_without_elevation"`
	// PercentNoElevation is the share of path length (percent) walked as
	// flat because the DEM had no value there (100 with no DEM).
	PercentNoElevation float64   `json:"percent_without_elevation"`
	Crossings          Crossings `json:"crossings"`
	// Terrain counts the lattice and the derived water (nil without
	// BuildOptions.Terrain).
	Terrain  *TerrainReport `json:"terrain,omitempty"`
	Warnings []string       `json:"warnings"`
	// Season is the season the graph was built for (set by the caller
	// that builds several); OtherSeasons holds the reports of the others
	// built with it, for printing.
	Season       string         `json:"season,omitempty"`
	OtherSeasons []*BuildReport `json:"other_seasons,omitempty"`
	Phases       []Phase        `json:"phases"`
}

// Crossings counts how paths meet water: waterway crossings on bridges (or
// in tunnels), at fords, waded with a penalty, and path segments removed
// because they cross a waterway wider than the wading limit or run inside
// a water area.
type Crossings struct {
	Bridge         int `json:"bridge"`
	Ford           int `json:"ford"`
	Penalty        int `json:"penalty"`
	RemovedRiver   int `json:"removed_wide_river"`
	RemovedWater   int `json:"removed_water_area"`
	EdgesBridge    int `json:"edges_bridge"`
	EdgesFord      int `json:"edges_ford"`
	EdgesPenalty   int `json:"edges_penalty"`
	EdgesNoneWater int `json:"edges_no_crossing"`
}

// Phase is one timed build phase.
type Phase struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// netInput is the network Build works on, decoupled from the OSM reader so
// the core is testable with hand-made networks.
type netInput struct {
	Pts      []orb.Point
	NodeID   []int64
	Ford     []bool
	Ways     []wayInput
	Waters   []waterInput
	Areas    []areaInput
	Warnings []string
}

type wayInput struct {
	ID                    int64
	Nodes                 []int32
	Highway, Surface, SAC string
	Bridge, Ford, Tunnel  bool
	FootNo                bool
	// terrain marks the lattice's pseudo-ways (edges walked at
	// Profile.OffPathFactor, class TerrainClass).
	terrain bool
}

// piece is one edge as a worker produces it.
type piece struct {
	from, to int32 // input node indices
	pts      []orb.Point
	z        []float32
	crossAt  []float32
	crossMs  []uint32
	cross    Crossing
	length   float64
	noElev   float64
}

// wayResult is everything one way contributes.
type wayResult struct {
	pieces []piece
	counts Crossings
	noElev float64
	length float64
}

func buildGraph(ctx context.Context, in *netInput, elev elevModel, prof Profile, opts *BuildOptions) (*Graph, *BuildReport, error) {
	if err := prof.Validate(); err != nil {
		return nil, nil, err
	}
	if opts == nil {
		opts = &BuildOptions{}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	progress := func(string, float64) {}
	if opts.Progress != nil {
		var mu sync.Mutex
		progress = func(p string, f float64) {
			mu.Lock()
			opts.Progress(p, f)
			mu.Unlock()
		}
	}
	rep := &BuildReport{Warnings: append([]string(nil), in.Warnings...)}
	phase := func(name string, start time.Time) {
		rep.Phases = append(rep.Phases, Phase{name, time.Since(start).Seconds()})
	}

	// Phase 1: junctions and the water index.
	t0 := time.Now()
	var bound orb.Bound
	first := true
	uses := make([]uint8, len(in.Pts))
	// owner is the first walkable way through each node: a waterway that
	// runs exactly through a node is charged once, on that way, however
	// many ways meet there.
	owner := make([]int32, len(in.Pts))
	for i := range owner {
		owner[i] = -1
	}
	for wi, w := range in.Ways {
		if len(w.Nodes) < 2 || w.FootNo {
			continue
		}
		for i, n := range w.Nodes {
			if n < 0 || int(n) >= len(in.Pts) {
				return nil, nil, fmt.Errorf("routing: way %d: node index %d out of range", w.ID, n)
			}
			if owner[n] < 0 {
				owner[n] = int32(wi)
			}
			inc := uint8(1)
			if i == 0 || i == len(w.Nodes)-1 {
				inc = 2
			}
			if uses[n] < 200 {
				uses[n] += inc
			}
			if first {
				bound, first = orb.Bound{Min: in.Pts[n], Max: in.Pts[n]}, false
			} else {
				bound = bound.Extend(in.Pts[n])
			}
		}
	}
	if t := opts.Terrain; t != nil {
		// The lattice may reach far beyond the paths (or be all there is).
		for _, p := range t.Points {
			if geo.ValidLonLat(p) {
				if first {
					bound, first = orb.Bound{Min: p, Max: p}, false
				} else {
					bound = bound.Extend(p)
				}
			}
		}
		if len(t.Area) > 0 {
			if first {
				bound, first = t.Area.Bound(), false
			} else {
				bound = bound.Union(t.Area.Bound())
			}
		}
	}
	local := geo.NewLocal(bound.Center())
	var fords []orb.Point
	for i, f := range in.Ford {
		if f {
			fords = append(fords, in.Pts[i])
		}
	}
	var bridges [][]orb.Point
	for _, w := range in.Ways {
		if (w.Bridge || w.Tunnel) && !w.FootNo {
			line := make([]orb.Point, 0, len(w.Nodes))
			for _, n := range w.Nodes {
				line = append(line, in.Pts[n])
			}
			bridges = append(bridges, line)
		}
	}
	waters := in.Waters
	var region *terrainRegion
	if t := opts.Terrain; t != nil {
		if elev == nil {
			return nil, nil, fmt.Errorf("routing: terrain walking needs an elevation model")
		}
		region = newTerrainRegion(t, in, local, &prof, workers)
		if err := region.layGrid(prof.LatticeStep); err != nil {
			return nil, nil, err
		}
		// Every node of a walkable way inside the lattice is a junction,
		// so the lattice joins the paths there (not only at their ends).
		for _, w := range in.Ways {
			if w.FootNo {
				continue
			}
			for _, n := range w.Nodes {
				if uses[n] < 2 && region.covers(local.Forward(in.Pts[n])) {
					uses[n] = 2
				}
			}
		}
		rep.Terrain = &TerrainReport{StepM: prof.LatticeStep}
		// Streams are derived over the lattice cells the DEM covers (none:
		// no lattice, nothing to derive).
		if b, ok := region.demBound(elev, local); ok && !t.NoDerivedWater {
			derived, err := deriveWater(ctx, elev, b, &prof)
			if err != nil {
				return nil, nil, err
			}
			waters = append(waters[:len(waters):len(waters)], derived...)
		}
		phase("terrain region and streams", t0)
		t0 = time.Now()
	}
	water := newWaterIndex(&prof, local, waters, in.Areas, fords, bridges)
	phase("index water", t0)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}

	// Phase 2: densify, sample elevations, detect crossings, in parallel.
	// Each worker writes only its ways' slots, so the result is in way
	// order whatever the scheduling.
	t0 = time.Now()
	results := make([]wayResult, len(in.Ways))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &wayBuilder{in: in, uses: uses, owner: owner, prof: &prof, elev: elev, water: water, local: local}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(in.Ways) || bctx.Err() != nil {
					return
				}
				results[i] = b.way(int32(i), &in.Ways[i])
				if d := done.Add(1); d%4096 == 0 {
					progress("densify", float64(d)/float64(len(in.Ways)))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	progress("densify", 1)
	phase("densify and elevation", t0)

	lattice := false
	if region != nil {
		t0 = time.Now()
		tb, err := buildLattice(ctx, region, in, uses, elev, water, local, &prof, workers)
		if err != nil {
			return nil, nil, err
		}
		for _, w := range waters {
			if w.Derived {
				rep.Terrain.DerivedStreams++
				if w.AreaKm2 >= prof.DerivedBarrierKm2 {
					rep.Terrain.DerivedRivers++
				}
				for k := 0; k+1 < len(w.Pts); k++ {
					rep.Terrain.DerivedKm += float64(geo.Distance(w.Pts[k], w.Pts[k+1])) / 1000
				}
			}
		}
		derived := *rep.Terrain
		*rep.Terrain = tb.report
		rep.Terrain.DerivedStreams, rep.Terrain.DerivedRivers, rep.Terrain.DerivedKm = derived.DerivedStreams, derived.DerivedRivers, derived.DerivedKm
		if len(tb.pts) > 0 {
			lattice = true
			ext := *in
			ext.Pts = append(in.Pts[:len(in.Pts):len(in.Pts)], tb.pts...)
			ext.NodeID = append(in.NodeID[:len(in.NodeID):len(in.NodeID)], tb.ids...)
			ext.Ways = append(in.Ways[:len(in.Ways):len(in.Ways)], tb.ways...)
			in = &ext
			results = append(results, tb.results...)
		} else {
			rep.Warnings = append(rep.Warnings, "terrain: no lattice node (no study area or far point inside the elevation model)")
		}
		phase("terrain lattice", t0)
	}

	// Phase 3: assemble the compact arrays.
	t0 = time.Now()
	g := assemble(in, results, prof, rep)
	g.waters, g.areas = waters, in.Areas
	g.water = water
	g.local = local
	// Off-path legs take their slope from the same DEM as the edges, as
	// they do on the stored graph once its DEM is reopened.
	g.elev = elev
	phase("assemble", t0)

	t0 = time.Now()
	g.findComponents()
	rep.Components = len(g.comps)
	if len(g.comps) > 0 {
		rep.LargestComponent = g.comps[0].Nodes
	}
	for i := 0; i < len(g.comps) && i < 10; i++ {
		rep.ComponentSizes = append(rep.ComponentSizes, g.comps[i].Nodes)
	}
	phase("components", t0)

	if elev == nil {
		rep.Warnings = append(rep.Warnings, "no elevation model: every path is treated as flat")
	} else if rep.KmNoElevation > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%.1f %% of path length (%.1f km) lies outside the elevation model: treated as flat there",
			rep.PercentNoElevation, rep.KmNoElevation))
	}

	if lattice && !opts.NoHierarchy {
		// A dense 16-neighbour lattice defeats contraction (shortcuts
		// explode): queries run Dijkstra on the plain graph instead.
		t0 = time.Now()
		g.sg = shortest.NewGraph(g.Nodes(), g.arcs())
		phase("search graph", t0)
	} else if !opts.NoHierarchy {
		t0 = time.Now()
		if err := g.buildEngine(ctx, func(f float64) { progress("contract", f) }); err != nil {
			return nil, nil, err
		}
		phase("contraction hierarchy", t0)
	}
	return g, rep, nil
}

// wayBuilder turns one way into edges; one per worker, so its scratch
// buffers are not shared.
type wayBuilder struct {
	in    *netInput
	uses  []uint8
	prof  *Profile
	elev  elevModel
	water *waterIndex
	local geo.Local
	hits  []hit
	owner []int32 // first way through each node
	// atNode lists the (node, waterway) crossings the current way has
	// charged at its nodes.
	atNode [][2]int32
}

func (b *wayBuilder) sample(p orb.Point) float32 {
	if b.elev == nil {
		return float32(math.NaN())
	}
	z, ok := b.elev.Elevation(p)
	if !ok || math.IsNaN(z) {
		return float32(math.NaN())
	}
	return float32(z)
}

func (b *wayBuilder) way(wi int32, w *wayInput) wayResult {
	var res wayResult
	if len(w.Nodes) < 2 || w.FootNo {
		return res
	}
	b.atNode = b.atNode[:0]
	prof := b.prof
	step := prof.DensifyStep
	overWater := w.Bridge || w.Tunnel
	implicit := slices.Contains(prof.ImplicitBridge, w.Highway)
	// A bridge or tunnel runs straight between its ends: the DEM between
	// them is the valley below or the mountain above. pos is the distance
	// along the way to the current node.
	var pos float64
	elevAt := b.sample
	if level := b.levelLine(w); level != nil {
		elevAt = func(orb.Point) float32 { return level(pos) }
	}
	var cur *piece
	start := func(n int32) {
		p := b.in.Pts[n]
		cur = &piece{from: n, pts: []orb.Point{p}, z: []float32{elevAt(p)}}
	}
	finish := func(n int32) {
		if cur != nil && len(cur.pts) == 1 && cur.from != n {
			// Distinct nodes at one position: keep them connected.
			cur.pts = append(cur.pts, cur.pts[0])
			cur.z = append(cur.z, cur.z[0])
		}
		if cur != nil && len(cur.pts) >= 2 {
			cur.to = n
			res.pieces = append(res.pieces, *cur)
			res.length += cur.length
			res.noElev += cur.noElev
		}
		cur = nil
	}
	start(w.Nodes[0])
	last := len(w.Nodes) - 2
	for i := 0; i <= last; i++ {
		na, nb := w.Nodes[i], w.Nodes[i+1]
		pa, pb := b.in.Pts[na], b.in.Pts[nb]
		segLen := float64(geo.Distance(pa, pb))
		if cur == nil {
			start(na)
		}
		segStart := pos
		if segLen > 0 {
			n := int(math.Ceil(segLen / step))
			if n < 1 {
				n = 1
			}
			la, lb := b.local.Forward(pa), b.local.Forward(pb)
			drop := false
			if !overWater && len(b.water.polys) > 0 {
				for k := 0; k < n; k++ {
					mid := geo.Lerp(la, lb, (float64(k)+0.5)/float64(n))
					if b.water.inWater(mid) {
						drop = true
						res.counts.RemovedWater++
						break
					}
				}
			}
			b.hits = b.hits[:0]
			if !drop && len(b.water.segA) > 0 {
				b.hits = b.water.crossings(b.hits, la, lb, i == last)
				// Crossings beside a bridge are on it; a ford is a ford
				// even on a road; otherwise roads cross on untagged
				// bridges or culverts.
				for k := range b.hits {
					h := &b.hits[k]
					h.bridge = overWater || b.water.bridgeNear(h.at)
					// A mapped footpath crosses a stream derived from the
					// DEM at a ford or a log bridge nobody mapped; a road
					// on a culvert (below).
					h.ford = !h.bridge && (w.Ford || b.water.fordNear(h.at) || (b.water.derived[h.water] && !implicit))
					h.bridge = h.bridge || (implicit && !h.ford)
				}
				if !overWater {
					for _, h := range b.hits {
						if !h.bridge && b.water.width[h.water] > prof.MaxWadeWidth {
							drop = true
							res.counts.RemovedRiver++
							break
						}
					}
				}
			}
			if drop {
				// The segment is impassable: end the edge before it and
				// start a new one after it.
				finish(na)
				pos = segStart + segLen
				continue
			}
			for _, h := range b.hits {
				if !b.chargeHere(wi, h, na, nb) {
					continue
				}
				at := float32(cur.length + h.t*segLen)
				var kind Crossing
				var ms uint32
				switch {
				case h.bridge:
					kind = CrossBridge
					res.counts.Bridge++
				case h.ford:
					kind, ms = CrossFord, msOf(prof.FordMinutes*60)
					res.counts.Ford++
				default:
					mins := lookupDefault(prof.CrossingMinutes, b.water.kind[h.water], 15)
					if mins == 0 {
						// A ditch or drain the profile lets walkers step over.
						continue
					}
					kind, ms = CrossPenalty, msOf(mins*60)
					res.counts.Penalty++
				}
				if kind > cur.cross {
					cur.cross = kind
				}
				if ms > 0 {
					cur.crossAt = append(cur.crossAt, at)
					cur.crossMs = append(cur.crossMs, ms)
				}
			}
			prevZ := cur.z[len(cur.z)-1]
			prev := pa
			for k := 1; k <= n; k++ {
				p := pb
				if k < n {
					p = geo.Lerp(pa, pb, float64(k)/float64(n))
				}
				pos = segStart + segLen*float64(k)/float64(n)
				z := elevAt(p)
				cur.pts = append(cur.pts, p)
				cur.z = append(cur.z, z)
				sub := float64(geo.Distance(prev, p))
				if math.IsNaN(float64(z)) || math.IsNaN(float64(prevZ)) {
					cur.noElev += sub
				}
				prev, prevZ = p, z
			}
			cur.length += segLen
		}
		pos = segStart + segLen
		if b.uses[nb] >= 2 || i == last {
			finish(nb)
		}
	}
	return res
}

// chargeHere reports whether way wi charges crossing h of its segment
// na→nb. A crossing exactly at a node (a waterway mapped through it) is
// charged once: by the node's first way, and there only the first time.
func (b *wayBuilder) chargeHere(wi int32, h hit, na, nb int32) bool {
	const tEps = 1e-9
	node := int32(-1)
	switch {
	case h.t <= tEps:
		node = na
	case h.t >= 1-tEps:
		node = nb
	}
	if node < 0 {
		return true
	}
	if b.owner[node] != wi {
		return false
	}
	key := [2]int32{node, h.water}
	if slices.Contains(b.atNode, key) {
		return false
	}
	b.atNode = append(b.atNode, key)
	return true
}

// levelLine returns, for a bridge or tunnel way whose two end nodes have
// an elevation, the elevation at metres along the way: straight from one
// end to the other. It returns nil for other ways (sampled from the DEM).
func (b *wayBuilder) levelLine(w *wayInput) func(pos float64) float32 {
	if !w.Bridge && !w.Tunnel {
		return nil
	}
	first, last := b.in.Pts[w.Nodes[0]], b.in.Pts[w.Nodes[len(w.Nodes)-1]]
	za, zb := b.sample(first), b.sample(last)
	if math.IsNaN(float64(za)) || math.IsNaN(float64(zb)) {
		return nil
	}
	var total float64
	for i := 0; i+1 < len(w.Nodes); i++ {
		total += float64(geo.Distance(b.in.Pts[w.Nodes[i]], b.in.Pts[w.Nodes[i+1]]))
	}
	if total == 0 {
		return func(float64) float32 { return za }
	}
	return func(pos float64) float32 {
		t := math.Min(math.Max(pos/total, 0), 1)
		return float32(float64(za) + t*(float64(zb)-float64(za)))
	}
}

// assemble concatenates the workers' pieces into the graph's arrays.
func assemble(in *netInput, results []wayResult, prof Profile, rep *BuildReport) *Graph {
	g := &Graph{prof: prof}
	nodeMap := make([]int32, len(in.Pts))
	var nEdges, nPts, nCross int
	for i := range results {
		for j := range results[i].pieces {
			p := &results[i].pieces[j]
			nodeMap[p.from], nodeMap[p.to] = 1, 1
			nEdges++
			nPts += len(p.pts)
			nCross += len(p.crossAt)
		}
	}
	var nNodes int32
	for i, used := range nodeMap {
		if used != 0 {
			nodeMap[i] = nNodes
			nNodes++
		} else {
			nodeMap[i] = -1
		}
	}
	g.nodeOSM = make([]int64, 0, nNodes)
	g.nodePt = make([]orb.Point, 0, nNodes)
	for i, id := range nodeMap {
		if id >= 0 {
			osmID := int64(i)
			if i < len(in.NodeID) {
				osmID = in.NodeID[i]
			}
			g.nodeOSM = append(g.nodeOSM, osmID)
			g.nodePt = append(g.nodePt, in.Pts[i])
		}
	}
	g.edgeFrom = make([]uint32, 0, nEdges)
	g.edgeTo = make([]uint32, 0, nEdges)
	g.geomOff = make([]uint32, 1, nEdges+1)
	g.pts = make([]orb.Point, 0, nPts)
	g.z = make([]float32, 0, nPts)
	g.length = make([]float32, 0, nEdges)
	g.ascent = make([]float32, 0, nEdges)
	g.descent = make([]float32, 0, nEdges)
	g.fwd = make([]uint32, 0, nEdges)
	g.bwd = make([]uint32, 0, nEdges)
	g.factor = make([]float32, 0, nEdges)
	g.class = make([]uint16, 0, nEdges)
	g.wayID = make([]int64, 0, nEdges)
	g.cross = make([]Crossing, 0, nEdges)
	g.tunnel = make([]bool, 0, nEdges)
	g.crossOff = make([]uint32, 1, nEdges+1)
	g.crossAt = make([]float32, 0, nCross)
	g.crossMs = make([]uint32, 0, nCross)
	classIdx := map[string]uint16{}
	var km, noElev float64
	for i := range results {
		r := &results[i]
		w := &in.Ways[i]
		rep.Crossings.Bridge += r.counts.Bridge
		rep.Crossings.Ford += r.counts.Ford
		rep.Crossings.Penalty += r.counts.Penalty
		rep.Crossings.RemovedRiver += r.counts.RemovedRiver
		rep.Crossings.RemovedWater += r.counts.RemovedWater
		ci, ok := classIdx[w.Highway]
		if !ok && len(r.pieces) > 0 {
			ci = uint16(len(g.classes))
			classIdx[w.Highway] = ci
			g.classes = append(g.classes, w.Highway)
		}
		factor := float32(prof.wayFactor(w.Highway, w.Surface, w.SAC))
		if w.terrain {
			factor = float32(prof.OffPathFactor)
		}
		for j := range r.pieces {
			p := &r.pieces[j]
			g.edgeFrom = append(g.edgeFrom, uint32(nodeMap[p.from]))
			g.edgeTo = append(g.edgeTo, uint32(nodeMap[p.to]))
			g.pts = append(g.pts, p.pts...)
			g.z = append(g.z, p.z...)
			g.geomOff = append(g.geomOff, uint32(len(g.pts)))
			g.crossAt = append(g.crossAt, p.crossAt...)
			g.crossMs = append(g.crossMs, p.crossMs...)
			g.crossOff = append(g.crossOff, uint32(len(g.crossAt)))
			g.factor = append(g.factor, factor)
			g.class = append(g.class, ci)
			g.wayID = append(g.wayID, w.ID)
			g.cross = append(g.cross, p.cross)
			g.tunnel = append(g.tunnel, w.Tunnel)
			switch p.cross {
			case CrossBridge:
				rep.Crossings.EdgesBridge++
			case CrossFord:
				rep.Crossings.EdgesFord++
			case CrossPenalty:
				rep.Crossings.EdgesPenalty++
			}
			e := uint32(len(g.edgeFrom) - 1)
			v := g.view(e)
			// Walk to edgeEnd, as the snapped points' partial walks do: a
			// crossing at the very end, its position rounded to float32
			// beyond p.length, must count in the full walk too.
			f := v.walk(0, edgeEnd, nil)
			bk := v.walk(edgeEnd, 0, nil)
			g.length = append(g.length, float32(f.m))
			g.ascent = append(g.ascent, float32(f.asc))
			g.descent = append(g.descent, float32(f.desc))
			g.fwd = append(g.fwd, msOf(f.sec))
			g.bwd = append(g.bwd, msOf(bk.sec))
			if !w.terrain {
				// Km is mapped path; the lattice is counted apart.
				km += f.m
				noElev += p.noElev
			}
		}
	}
	rep.Crossings.EdgesNoneWater = len(g.edgeFrom) - rep.Crossings.EdgesBridge - rep.Crossings.EdgesFord - rep.Crossings.EdgesPenalty
	rep.Nodes = len(g.nodePt)
	rep.Edges = len(g.edgeFrom)
	rep.Km = km / 1000
	rep.KmNoElevation = noElev / 1000
	if km > 0 {
		rep.PercentNoElevation = 100 * noElev / km
	}
	return g
}

// findComponents labels nodes with their weakly connected component,
// numbered by size (largest first, ties by lowest node).
func (g *Graph) findComponents() {
	n := g.Nodes()
	parent := make([]uint32, n)
	for i := range parent {
		parent[i] = uint32(i)
	}
	find := func(x uint32) uint32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for e := range g.edgeFrom {
		a, b := find(g.edgeFrom[e]), find(g.edgeTo[e])
		if a != b {
			if a < b {
				parent[b] = a
			} else {
				parent[a] = b
			}
		}
	}
	rootIdx := make(map[uint32]int)
	var comps []Component
	g.nodeComp = make([]uint32, n)
	for v := 0; v < n; v++ {
		r := find(uint32(v))
		ci, ok := rootIdx[r]
		if !ok {
			ci = len(comps)
			rootIdx[r] = ci
			comps = append(comps, Component{minNode: uint32(v)})
		}
		comps[ci].Nodes++
		g.nodeComp[v] = uint32(ci)
	}
	for e := range g.edgeFrom {
		c := &comps[g.nodeComp[g.edgeFrom[e]]]
		c.Edges++
		c.Length += geo.Meters(g.length[e])
	}
	order := make([]int, len(comps))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := comps[order[i]], comps[order[j]]
		if a.Nodes != b.Nodes {
			return a.Nodes > b.Nodes
		}
		return a.minNode < b.minNode
	})
	rank := make([]uint32, len(comps))
	g.comps = make([]Component, len(comps))
	for r, ci := range order {
		rank[ci] = uint32(r)
		c := comps[ci]
		c.ID = r
		c.Largest = r == 0
		g.comps[r] = c
	}
	for v := range g.nodeComp {
		g.nodeComp[v] = rank[g.nodeComp[v]]
	}
}
