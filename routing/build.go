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
	b := newGraphBuild(ctx, in, elev, prof, opts)

	// Phase 1: junctions and the water index.
	t0 := time.Now()
	bound, err := b.countUses()
	if err != nil {
		return nil, nil, err
	}
	b.local = geo.NewLocal(bound.Center())
	fords, bridges := in.fordPoints(), in.bridgeLines()
	b.waters = in.Waters
	if b.opts.Terrain != nil {
		if err := b.prepareTerrain(); err != nil {
			return nil, nil, err
		}
		b.phase("terrain region and streams", t0)
		t0 = time.Now()
	}
	b.water = newWaterIndex(&b.prof, b.local, b.waters, in.Areas, fords, bridges)
	b.phase("index water", t0)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}

	// Phase 2: densify, sample elevations, detect crossings, in parallel.
	t0 = time.Now()
	results, err := b.densify()
	if err != nil {
		return nil, nil, err
	}
	b.phase("densify and elevation", t0)

	lattice := false
	if b.region != nil {
		t0 = time.Now()
		if results, lattice, err = b.addLattice(results); err != nil {
			return nil, nil, err
		}
		b.phase("terrain lattice", t0)
	}

	// Phase 3: assemble the compact arrays.
	t0 = time.Now()
	g := assemble(b.in, results, b.prof, b.rep)
	g.waters, g.areas = b.waters, b.in.Areas
	g.water = b.water
	g.local = b.local
	// Off-path legs take their slope from the same DEM as the edges, as
	// they do on the stored graph once its DEM is reopened.
	g.elev = elev
	b.phase("assemble", t0)

	t0 = time.Now()
	g.findComponents()
	b.rep.addComponents(g)
	b.phase("components", t0)

	b.rep.warnElevation(elev != nil)
	if err := b.searchEngine(g, lattice); err != nil {
		return nil, nil, err
	}
	return g, b.rep, nil
}

// graphBuild is one run of buildGraph: its settings, the report it fills
// and what each phase hands to the next.
type graphBuild struct {
	ctx      context.Context
	in       *netInput // grows by the terrain lattice in addLattice
	elev     elevModel
	prof     Profile
	opts     *BuildOptions
	workers  int
	progress func(phase string, done float64)
	rep      *BuildReport

	// uses counts, per node, the walkable ways through it (2 for a way
	// ending there, capped at 200): 2 or more makes a junction.
	uses []uint8
	// owner is the first walkable way through each node: a waterway that
	// runs exactly through a node is charged once, on that way, however
	// many ways meet there.
	owner  []int32
	local  geo.Local
	waters []waterInput // the mapped water and, with terrain, the derived streams
	region *terrainRegion
	water  *waterIndex
}

// newGraphBuild resolves the options' defaults; progress calls are
// serialised, as BuildOptions.Progress promises.
func newGraphBuild(ctx context.Context, in *netInput, elev elevModel, prof Profile, opts *BuildOptions) *graphBuild {
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
	return &graphBuild{ctx: ctx, in: in, elev: elev, prof: prof, opts: opts, workers: workers, progress: progress,
		rep: &BuildReport{Warnings: append([]string(nil), in.Warnings...)}}
}

// phase records how long the phase begun at start took.
func (b *graphBuild) phase(name string, start time.Time) {
	b.rep.Phases = append(b.rep.Phases, Phase{name, time.Since(start).Seconds()})
}

// countUses fills uses and owner from the walkable ways and returns the
// bound of their nodes and of the terrain lattice's points and area. It
// fails on a node index out of range.
func (b *graphBuild) countUses() (orb.Bound, error) {
	in := b.in
	var bound growingBound
	b.uses = make([]uint8, len(in.Pts))
	b.owner = make([]int32, len(in.Pts))
	for i := range b.owner {
		b.owner[i] = -1
	}
	for wi, w := range in.Ways {
		if len(w.Nodes) < 2 || w.FootNo {
			continue
		}
		for i, n := range w.Nodes {
			if n < 0 || int(n) >= len(in.Pts) {
				return orb.Bound{}, fmt.Errorf("routing: way %d: node index %d out of range", w.ID, n)
			}
			if b.owner[n] < 0 {
				b.owner[n] = int32(wi)
			}
			inc := uint8(1)
			if i == 0 || i == len(w.Nodes)-1 {
				inc = 2
			}
			if b.uses[n] < 200 {
				b.uses[n] += inc
			}
			bound.addPoint(in.Pts[n])
		}
	}
	if t := b.opts.Terrain; t != nil {
		// The lattice may reach far beyond the paths (or be all there is).
		for _, p := range t.Points {
			if geo.ValidLonLat(p) {
				bound.addPoint(p)
			}
		}
		if len(t.Area) > 0 {
			bound.addBound(t.Area.Bound())
		}
	}
	return bound.b, nil
}

// growingBound is a bound grown from nothing: the zero value holds no
// point, and its bound is then the zero orb.Bound.
type growingBound struct {
	b   orb.Bound
	any bool
}

func (g *growingBound) addPoint(p orb.Point) {
	if !g.any {
		g.b, g.any = orb.Bound{Min: p, Max: p}, true
	} else {
		g.b = g.b.Extend(p)
	}
}

func (g *growingBound) addBound(o orb.Bound) {
	if !g.any {
		g.b, g.any = o, true
	} else {
		g.b = g.b.Union(o)
	}
}

// fordPoints returns the positions of the nodes tagged as fords.
func (in *netInput) fordPoints() []orb.Point {
	var fords []orb.Point
	for i, f := range in.Ford {
		if f {
			fords = append(fords, in.Pts[i])
		}
	}
	return fords
}

// bridgeLines returns the lines of the walkable bridges and tunnels.
func (in *netInput) bridgeLines() [][]orb.Point {
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
	return bridges
}

// prepareTerrain lays the lattice's grid, makes the nodes of walkable
// ways inside it junctions and derives the streams from the DEM.
func (b *graphBuild) prepareTerrain() error {
	t, in := b.opts.Terrain, b.in
	if b.elev == nil {
		return fmt.Errorf("routing: terrain walking needs an elevation model")
	}
	b.region = newTerrainRegion(t, in, b.local, &b.prof, b.workers)
	if err := b.region.layGrid(b.prof.LatticeStep); err != nil {
		return err
	}
	// Every node of a walkable way inside the lattice is a junction,
	// so the lattice joins the paths there (not only at their ends).
	for _, w := range in.Ways {
		if w.FootNo {
			continue
		}
		for _, n := range w.Nodes {
			if b.uses[n] < 2 && b.region.covers(b.local.Forward(in.Pts[n])) {
				b.uses[n] = 2
			}
		}
	}
	b.rep.Terrain = &TerrainReport{StepM: b.prof.LatticeStep}
	// Streams are derived over the lattice cells the DEM covers (none:
	// no lattice, nothing to derive).
	if bd, ok := b.region.demBound(b.elev, b.local); ok && !t.NoDerivedWater {
		derived, err := deriveWater(b.ctx, b.elev, bd, &b.prof)
		if err != nil {
			return err
		}
		b.waters = append(b.waters[:len(b.waters):len(b.waters)], derived...)
	}
	return nil
}

// densify turns every way into pieces on b.workers goroutines. Each worker
// writes only its ways' slots, so the result is in way order whatever the
// scheduling.
func (b *graphBuild) densify() ([]wayResult, error) {
	in := b.in
	results := make([]wayResult, len(in.Ways))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	bctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	for k := 0; k < b.workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wb := &wayBuilder{in: in, uses: b.uses, owner: b.owner, prof: &b.prof, elev: b.elev, water: b.water, local: b.local}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(in.Ways) || bctx.Err() != nil {
					return
				}
				results[i] = wb.way(int32(i), &in.Ways[i])
				if d := done.Add(1); d%4096 == 0 {
					b.progress("densify", float64(d)/float64(len(in.Ways)))
				}
			}
		}()
	}
	wg.Wait()
	if err := b.ctx.Err(); err != nil {
		return nil, err
	}
	b.progress("densify", 1)
	return results, nil
}

// addLattice builds the terrain lattice and appends its nodes and
// pseudo-ways to b.in and its pieces to results. lattice is false when the
// lattice has no node.
func (b *graphBuild) addLattice(results []wayResult) (_ []wayResult, lattice bool, _ error) {
	in := b.in
	tb, err := buildLattice(b.ctx, b.region, in, b.uses, b.elev, b.water, b.local, &b.prof, b.workers)
	if err != nil {
		return nil, false, err
	}
	streams, rivers, km := derivedWater(b.waters, b.prof.DerivedBarrierKm2)
	*b.rep.Terrain = tb.report
	b.rep.Terrain.DerivedStreams, b.rep.Terrain.DerivedRivers, b.rep.Terrain.DerivedKm = streams, rivers, km
	if len(tb.pts) == 0 {
		b.rep.Warnings = append(b.rep.Warnings, "terrain: no lattice node (no study area or far point inside the elevation model)")
		return results, false, nil
	}
	ext := *in
	ext.Pts = append(in.Pts[:len(in.Pts):len(in.Pts)], tb.pts...)
	ext.NodeID = append(in.NodeID[:len(in.NodeID):len(in.NodeID)], tb.ids...)
	ext.Ways = append(in.Ways[:len(in.Ways):len(in.Ways)], tb.ways...)
	b.in = &ext
	return append(results, tb.results...), true, nil
}

// derivedWater counts the streams derived from the DEM, those with a
// catchment of at least barrierKm2 (rivers), and their length in km.
func derivedWater(waters []waterInput, barrierKm2 float64) (streams, rivers int, km float64) {
	for _, w := range waters {
		if w.Derived {
			streams++
			if w.AreaKm2 >= barrierKm2 {
				rivers++
			}
			for k := 0; k+1 < len(w.Pts); k++ {
				km += float64(geo.Distance(w.Pts[k], w.Pts[k+1])) / 1000
			}
		}
	}
	return streams, rivers, km
}

// addComponents reports the number of g's components and the sizes of
// the largest.
func (rep *BuildReport) addComponents(g *Graph) {
	rep.Components = len(g.comps)
	if len(g.comps) > 0 {
		rep.LargestComponent = g.comps[0].Nodes
	}
	for i := 0; i < len(g.comps) && i < 10; i++ {
		rep.ComponentSizes = append(rep.ComponentSizes, g.comps[i].Nodes)
	}
}

// warnElevation warns of paths walked as flat for want of elevations.
func (rep *BuildReport) warnElevation(haveDEM bool) {
	if !haveDEM {
		rep.Warnings = append(rep.Warnings, "no elevation model: every path is treated as flat")
	} else if rep.KmNoElevation > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%.1f %% of path length (%.1f km) lies outside the elevation model: treated as flat there",
			rep.PercentNoElevation, rep.KmNoElevation))
	}
}

// searchEngine prepares g's queries unless the options say not to: a
// contraction hierarchy, or plain Dijkstra on a graph with a lattice.
func (b *graphBuild) searchEngine(g *Graph, lattice bool) error {
	if b.opts.NoHierarchy {
		return nil
	}
	t0 := time.Now()
	if lattice {
		// A dense 16-neighbour lattice defeats contraction (shortcuts
		// explode): queries run Dijkstra on the plain graph instead.
		g.sg = shortest.NewGraph(g.Nodes(), g.arcs())
		b.phase("search graph", t0)
		return nil
	}
	if err := g.buildEngine(b.ctx, func(f float64) { b.progress("contract", f) }); err != nil {
		return err
	}
	b.phase("contraction hierarchy", t0)
	return nil
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
	step := b.prof.DensifyStep
	overWater := w.Bridge || w.Tunnel
	implicit := slices.Contains(b.prof.ImplicitBridge, w.Highway)
	// A bridge or tunnel runs straight between its ends: the DEM between
	// them is the valley below or the mountain above. pos is the distance
	// along the way to the current node.
	var pos float64
	elevAt := func(p orb.Point, _ float64) float32 { return b.sample(p) }
	if level := b.levelLine(w); level != nil {
		elevAt = func(_ orb.Point, pos float64) float32 { return level(pos) }
	}
	var cur *piece
	start := func(n int32) {
		p := b.in.Pts[n]
		cur = &piece{from: n, pts: []orb.Point{p}, z: []float32{elevAt(p, pos)}}
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
			n := max(int(math.Ceil(segLen/step)), 1)
			la, lb := b.local.Forward(pa), b.local.Forward(pb)
			drop := !overWater && b.runsInWater(la, lb, n)
			if drop {
				res.counts.RemovedWater++
			}
			b.hits = b.hits[:0]
			if !drop && len(b.water.segA) > 0 {
				b.findCrossings(w, la, lb, i == last, implicit)
				if !overWater && b.crossesWideRiver() {
					drop = true
					res.counts.RemovedRiver++
				}
			}
			if drop {
				// The segment is impassable: end the edge before it and
				// start a new one after it.
				finish(na)
				pos = segStart + segLen
				continue
			}
			b.chargeCrossings(wi, cur, na, nb, segLen, &res.counts)
			densifySegment(cur, pa, pb, n, func(p orb.Point, k int) float32 {
				return elevAt(p, segStart+segLen*float64(k)/float64(n))
			})
			cur.length += segLen
		}
		pos = segStart + segLen
		if b.uses[nb] >= 2 || i == last {
			finish(nb)
		}
	}
	return res
}

// runsInWater reports whether the segment la→lb (local metres), cut into
// n steps, has a step's midpoint inside a water area.
func (b *wayBuilder) runsInWater(la, lb orb.Point, n int) bool {
	if len(b.water.polys) == 0 {
		return false
	}
	for k := 0; k < n; k++ {
		if b.water.inWater(geo.Lerp(la, lb, (float64(k)+0.5)/float64(n))) {
			return true
		}
	}
	return false
}

// findCrossings sets b.hits to the waterways the segment la→lb of way w
// crosses (last: the way's last segment), each marked as on a bridge, at a
// ford or neither.
func (b *wayBuilder) findCrossings(w *wayInput, la, lb orb.Point, last, implicit bool) {
	overWater := w.Bridge || w.Tunnel
	b.hits = b.water.crossings(b.hits, la, lb, last)
	// Crossings beside a bridge are on it; a ford is a ford even on a
	// road; otherwise roads cross on untagged bridges or culverts.
	for k := range b.hits {
		h := &b.hits[k]
		h.bridge = overWater || b.water.bridgeNear(h.at)
		// A mapped footpath crosses a stream derived from the DEM at a
		// ford or a log bridge nobody mapped; a road on a culvert (below).
		h.ford = !h.bridge && (w.Ford || b.water.fordNear(h.at) || (b.water.derived[h.water] && !implicit))
		h.bridge = h.bridge || (implicit && !h.ford)
	}
}

// crossesWideRiver reports whether one of b.hits wades a waterway wider
// than the profile's wading limit.
func (b *wayBuilder) crossesWideRiver() bool {
	for _, h := range b.hits {
		if !h.bridge && b.water.width[h.water] > b.prof.MaxWadeWidth {
			return true
		}
	}
	return false
}

// chargeCrossings adds b.hits, found on the segment na→nb of way wi
// (segLen metres, starting at the end of cur), to cur: its worst crossing
// and the time each ford or penalty costs, counted in counts.
func (b *wayBuilder) chargeCrossings(wi int32, cur *piece, na, nb int32, segLen float64, counts *Crossings) {
	prof := b.prof
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
			counts.Bridge++
		case h.ford:
			kind, ms = CrossFord, msOf(prof.FordMinutes*60)
			counts.Ford++
		default:
			mins := lookupDefault(prof.CrossingMinutes, b.water.kind[h.water], 15)
			if mins == 0 {
				// A ditch or drain the profile lets walkers step over.
				continue
			}
			kind, ms = CrossPenalty, msOf(mins*60)
			counts.Penalty++
		}
		if kind > cur.cross {
			cur.cross = kind
		}
		if ms > 0 {
			cur.crossAt = append(cur.crossAt, at)
			cur.crossMs = append(cur.crossMs, ms)
		}
	}
}

// densifySegment appends the segment pa→pb to cur in n equal steps, with
// the elevation elevAt gives for step k's point, and adds to cur.noElev
// the length of the steps with an end lacking one.
func densifySegment(cur *piece, pa, pb orb.Point, n int, elevAt func(p orb.Point, k int) float32) {
	prevZ := cur.z[len(cur.z)-1]
	prev := pa
	for k := 1; k <= n; k++ {
		p := pb
		if k < n {
			p = geo.Lerp(pa, pb, float64(k)/float64(n))
		}
		z := elevAt(p, k)
		cur.pts = append(cur.pts, p)
		cur.z = append(cur.z, z)
		sub := float64(geo.Distance(prev, p))
		if math.IsNaN(float64(z)) || math.IsNaN(float64(prevZ)) {
			cur.noElev += sub
		}
		prev, prevZ = p, z
	}
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
	nodeMap, nEdges, nPts, nCross := g.addNodes(in, results)
	g.allocEdges(nEdges, nPts, nCross)
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
			m := g.addEdge(p, nodeMap, w, ci, factor)
			switch p.cross {
			case CrossBridge:
				rep.Crossings.EdgesBridge++
			case CrossFord:
				rep.Crossings.EdgesFord++
			case CrossPenalty:
				rep.Crossings.EdgesPenalty++
			}
			if !w.terrain {
				// Km is mapped path; the lattice is counted apart.
				km += m
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

// addNodes gives the input nodes that end a piece graph node numbers, in
// input order, and returns the map from input node to graph node (-1 for
// none) and the numbers of edges, geometry points and crossings to come.
func (g *Graph) addNodes(in *netInput, results []wayResult) (nodeMap []int32, nEdges, nPts, nCross int) {
	nodeMap = make([]int32, len(in.Pts))
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
	return nodeMap, nEdges, nPts, nCross
}

// allocEdges sizes the edge arrays for nEdges edges with nPts geometry
// points and nCross timed crossings in all.
func (g *Graph) allocEdges(nEdges, nPts, nCross int) {
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
}

// addEdge appends piece p of way w (class ci, effort factor) as an edge,
// with its length, climbs and walking times both ways, and returns its
// length in metres.
func (g *Graph) addEdge(p *piece, nodeMap []int32, w *wayInput, ci uint16, factor float32) float64 {
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
	e := uint32(len(g.edgeFrom) - 1)
	v := g.view(e)
	// Walk to edgeEnd, as the snapped points' partial walks do: a
	// crossing at the very end, its position rounded to float32 beyond
	// p.length, must count in the full walk too.
	f := v.walk(0, edgeEnd, nil)
	bk := v.walk(edgeEnd, 0, nil)
	g.length = append(g.length, float32(f.m))
	g.ascent = append(g.ascent, float32(f.asc))
	g.descent = append(g.descent, float32(f.desc))
	g.fwd = append(g.fwd, msOf(f.sec))
	g.bwd = append(g.bwd, msOf(bk.sec))
	return f.m
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
