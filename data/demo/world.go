package demo

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
)

// center is the middle of the district: inland Liberia, hill country
// between the St. Paul and the Cestos basins. The default 30 km area lies
// inside the SRTM tile N07W010.
var center = orb.Point{-9.5, 7.5}

// Random streams: each stage draws from its own stream, so changing one
// stage (say, more households) leaves the terrain and rivers alone.
const (
	streamWater = iota + 1
	streamLakes
	streamSettle
	streamNames
	streamNetwork
	streamPeople
	streamHouseholds
	streamNoise
	streamSites
	streamBuildings
)

func (w *world) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(w.seed, mix64(stream*0x9e3779b97f4a7c15+1)))
}

// Highway classes, in OSM's terms.
const (
	classRoad    uint8 = iota // highway=unclassified (laterite road)
	classTrack                // highway=track
	classPath                 // highway=path
	classFootway              // highway=footway (in-village spur)
)

var classTag = [...]string{"unclassified", "track", "path", "footway"}

type waterway struct {
	river bool
	name  string
	width int // m; 0 = untagged
	pts   []orb.Point
	beds  []float64
	nodes []int32
	fords []fordInsert
}

// fordInsert is a ford node to insert into a waterway between point seg and
// seg+1, at parameter u.
type fordInsert struct {
	seg  int32
	u    float64
	node int32
}

type lake struct {
	c     orb.Point
	r     float64
	name  string
	nodes []int32
}

type settlement struct {
	p      orb.Point
	size   int // genuine households
	name   string
	node   int32
	lines  []line // from the centre outward along its paths (first few hundred metres)
	hamlet bool
}

// line is the start of a path out of a settlement: its points (local
// metres) and their nodes.
type line struct {
	pts   []orb.Point
	nodes []int32
}

// way is a highway way: refs[start:start+n] into world.refs.
type way struct {
	start, n int32
	class    uint8
	bridge   bool
}

type facility struct {
	id, name, kind string
	p              orb.Point
	village        int
}

type chw struct {
	id, name string
	p        orb.Point
	facility int
	capacity int // 0 = unset
	active   bool
}

// world is the whole generated district, in local metres.
type world struct {
	cfg   Config
	seed  uint64
	local geo.Local
	half  float64 // half the side of the area (m)
	area  orb.Bound
	ter   *terrain
	water *waterIndex

	waterways   []waterway
	lakes       []lake
	settlements []settlement // villages first, then hamlets
	nVillages   int
	facilities  []facility
	chws        []chw
	sites       []orb.Point // genuine house sites, by settlement
	siteStart   []int32     // settlement i's sites are sites[siteStart[i]:siteStart[i+1]]

	nodes  []orb.Point // lon/lat; node ID = index+1
	ford   []bool      // per node
	ways   []way
	refs   []int32
	fords  int
	bridge int
}

func (w *world) addNode(p orb.Point) int32 {
	w.nodes = append(w.nodes, w.local.Inverse(p))
	w.ford = append(w.ford, false)
	return int32(len(w.nodes) - 1)
}

// build generates the district in memory (everything but the households,
// which are streamed when written).
func build(ctx context.Context, cfg Config) (*world, error) {
	size := cfg.sizeKm()
	w := &world{
		cfg:   cfg,
		seed:  uint64(cfg.Seed),
		local: geo.NewLocal(center),
		half:  size * 500,
	}
	w.area = orb.Bound{Min: w.local.Inverse(orb.Point{-w.half, -w.half}), Max: w.local.Inverse(orb.Point{w.half, w.half})}
	w.water = newWaterIndex(2000)
	w.ter = &terrain{seed: mix64(w.seed ^ 0x7e44a1), water: w.water}
	for _, step := range []func(){w.genRivers, w.genStreams, w.genLakes, w.genSettlements} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		step()
	}
	if err := w.genNetwork(ctx); err != nil {
		return nil, err
	}
	if err := w.genSites(ctx); err != nil {
		return nil, err
	}
	w.genFacilities()
	w.genCHWs()
	return w, nil
}

// inside reports whether p lies in the area, margin metres from its edge.
func (w *world) inside(p orb.Point, margin float64) bool {
	l := w.half - margin
	return p[0] >= -l && p[0] <= l && p[1] >= -l && p[1] <= l
}

func (w *world) areaKm2() float64 { return 4 * w.half * w.half / 1e6 }

// genRivers draws one river per 60 km of side, flowing south-south-west as
// Liberia's rivers do, meandering.
func (w *world) genRivers() {
	r := w.rng(streamWater)
	names := map[string]bool{}
	side := 2 * w.half
	nR := max(1, int(math.Round(side/60000)))
	const step = 100.0
	for i := range nR {
		x := -w.half + (float64(i)+0.5)/float64(nR)*side + 0.29*side + (r.Float64()-0.5)*0.1*side/float64(nR)
		p := orb.Point{x, w.half + 2000}
		base := -2.1 + (r.Float64()-0.5)*0.2 // about 120° clockwise from east
		l1, l2 := 3000+2000*r.Float64(), 900+500*r.Float64()
		f1, f2 := r.Float64()*2*math.Pi, r.Float64()*2*math.Pi
		pts := []orb.Point{p}
		limit := int(4 * (side + 4000) / step)
		for s := 0.0; len(pts) < limit; s += step {
			h := base + 0.6*math.Sin(2*math.Pi*s/l1+f1) + 0.3*math.Sin(2*math.Pi*s/l2+f2)
			p = orb.Point{p[0] + step*math.Cos(h), p[1] + step*math.Sin(h)}
			pts = append(pts, p)
			if p[1] < -w.half-2000 || p[0] < -w.half-2000 {
				break
			}
		}
		width := 25 + r.IntN(20)
		ww := waterway{river: true, name: uniqueName(r, names) + " River", width: width, pts: pts}
		ww.beds = make([]float64, len(pts))
		for k := range pts {
			ww.beds[k] = 235 - 85*float64(k)/float64(len(pts)-1)
		}
		w.addWaterway(ww, float64(width)/2, 2200)
	}
}

// addWaterway creates the nodes of ww (reusing node for the last point when
// it is ≥ 0) and indexes its segments for carving and crossing tests.
func (w *world) addWaterway(ww waterway, channel, valley float64) {
	idx := int32(len(w.waterways))
	ww.nodes = make([]int32, len(ww.pts))
	for k, p := range ww.pts {
		ww.nodes[k] = w.addNode(p)
	}
	for k := 0; k+1 < len(ww.pts); k++ {
		w.water.add(waterSeg{a: ww.pts[k], b: ww.pts[k+1], bedA: ww.beds[k], bedB: ww.beds[k+1],
			channel: channel, valley: valley, way: idx, seg: int32(k)})
	}
	w.waterways = append(w.waterways, ww)
}

// genStreams grows tributaries from points of the river and of earlier
// streams into the hills, so streams form small trees.
func (w *world) genStreams() {
	r := w.rng(streamWater + 100)
	n := int(math.Round(25 * w.areaKm2() / 900))
	const step = 110.0
	type vtx struct{ way, k int32 }
	var cands []vtx
	addCands := func(wi int) {
		for k, p := range w.waterways[wi].pts {
			if k > 0 && k+1 < len(w.waterways[wi].pts) && w.inside(p, 1000) {
				cands = append(cands, vtx{int32(wi), int32(k)})
			}
		}
	}
	for i := range w.waterways {
		addCands(i)
	}
	for range n {
		for attempt := 0; attempt < 20 && len(cands) > 0; attempt++ {
			c := cands[r.IntN(len(cands))]
			par := &w.waterways[c.way]
			a, b := par.pts[c.k-1], par.pts[c.k+1]
			tangent := math.Atan2(b[1]-a[1], b[0]-a[0])
			side := 1.0
			if r.IntN(2) == 0 {
				side = -1
			}
			h := tangent + side*(math.Pi/2+(r.Float64()-0.5)*0.9)
			length := 2500 + 5500*r.Float64()
			if !par.river {
				length *= 0.5
			}
			f1 := r.Float64() * 2 * math.Pi
			p := par.pts[c.k]
			pts := []orb.Point{p}
			for s := step; s <= length; s += step {
				hh := h + 0.5*math.Sin(s/700+f1)
				q := orb.Point{p[0] + step*math.Cos(hh), p[1] + step*math.Sin(hh)}
				if !w.inside(q, 300) {
					break
				}
				skip := int32(-1)
				if s < 600 {
					skip = c.way
				}
				if s >= 300 && w.water.near(q, 250, false, skip) {
					break
				}
				pts = append(pts, q)
				p = q
			}
			if len(pts) < 7 {
				continue
			}
			// Downstream order: from the source to the junction.
			slices.Reverse(pts)
			ww := waterway{pts: pts, beds: make([]float64, len(pts))}
			if r.IntN(3) == 0 {
				ww.name = placeName(r) + " Creek"
			}
			jb := par.beds[c.k]
			for k := range pts {
				ww.beds[k] = jb + 0.035*step*float64(len(pts)-1-k)
			}
			junction := par.nodes[c.k]
			w.addWaterway(ww, 2, 900)
			// Share the junction node with the parent (drop the node just made).
			nw := &w.waterways[len(w.waterways)-1]
			last := len(nw.nodes) - 1
			if nw.nodes[last] == int32(len(w.nodes)-1) {
				w.nodes = w.nodes[:len(w.nodes)-1]
				w.ford = w.ford[:len(w.ford)-1]
			}
			nw.nodes[last] = junction
			addCands(len(w.waterways) - 1)
			break
		}
	}
}

// genLakes places one small lake per 900 km², away from the waterways.
func (w *world) genLakes() {
	r := w.rng(streamLakes)
	n := max(1, int(math.Round(w.areaKm2()/900)))
	for range n {
		for attempt := 0; attempt < 50; attempt++ {
			c := orb.Point{(r.Float64()*2 - 1) * (w.half - 2000), (r.Float64()*2 - 1) * (w.half - 2000)}
			rad := 180 + 240*r.Float64()
			if w.water.near(c, rad+500, false, -1) || w.nearLake(c, 2*rad+1000) {
				continue
			}
			lk := lake{c: c, r: rad, name: "Lake " + placeName(r)}
			const nv = 20
			for k := range nv {
				a := 2 * math.Pi * float64(k) / nv
				rr := rad * (0.85 + 0.3*r.Float64())
				lk.nodes = append(lk.nodes, w.addNode(orb.Point{c[0] + rr*math.Cos(a), c[1] + rr*math.Sin(a)}))
			}
			w.lakes = append(w.lakes, lk)
			break
		}
	}
}

// nearLake reports whether p lies within margin metres of a lake shore
// (taken as the lake's outer radius).
func (w *world) nearLake(p orb.Point, margin float64) bool {
	for _, l := range w.lakes {
		if dist(p, l.c) < 1.15*l.r+margin {
			return true
		}
	}
	return false
}

// segNearLake reports whether segment ab passes within margin of a lake.
func (w *world) segNearLake(a, b orb.Point, margin float64) bool {
	for _, l := range w.lakes {
		r := 1.15*l.r + margin
		if l.c[0]+r < math.Min(a[0], b[0]) || l.c[0]-r > math.Max(a[0], b[0]) ||
			l.c[1]+r < math.Min(a[1], b[1]) || l.c[1]-r > math.Max(a[1], b[1]) {
			continue
		}
		if _, d := project(a, b, l.c); d < r {
			return true
		}
	}
	return false
}

// pointGrid is a bucket grid of settlement indices.
type pointGrid struct {
	cell float64
	m    map[[2]int32][]int32
}

func (g *pointGrid) key(p orb.Point) [2]int32 {
	return [2]int32{int32(math.Floor(p[0] / g.cell)), int32(math.Floor(p[1] / g.cell))}
}

func (g *pointGrid) add(p orb.Point, i int32) {
	k := g.key(p)
	g.m[k] = append(g.m[k], i)
}

// each calls fn for every index whose bucket lies within r of p (a
// superset of the points within r), in a deterministic order.
func (g *pointGrid) each(p orb.Point, r float64, fn func(i int32)) {
	lo := g.key(orb.Point{p[0] - r, p[1] - r})
	hi := g.key(orb.Point{p[0] + r, p[1] + r})
	for i := lo[0]; i <= hi[0]; i++ {
		for j := lo[1]; j <= hi[1]; j++ {
			for _, id := range g.m[[2]int32{i, j}] {
				fn(id)
			}
		}
	}
}

// genSettlements sizes and places villages (10–80 households, on gentle
// ground, off the water) and hamlets (2–9 households, satellites of a
// village).
func (w *world) genSettlements() {
	r := w.rng(streamSettle)
	names := map[string]bool{}
	nr := w.rng(streamNames)
	H := w.cfg.households()
	var sizes []int
	villageHH := int(0.85 * float64(H))
	for sum := 0; sum < villageHH; {
		s := 10 + int(70*math.Pow(r.Float64(), 1.8))
		if rest := villageHH - sum; rest < s {
			if rest < 10 && len(sizes) > 0 {
				sizes[len(sizes)-1] += rest
				break
			}
			s = rest
		}
		sizes = append(sizes, s)
		sum += s
	}
	nv := len(sizes)
	dmin := 0.55 * math.Sqrt(4*(w.half-800)*(w.half-800)/float64(nv))
	grid := &pointGrid{cell: dmin, m: map[[2]int32][]int32{}}
	for _, s := range sizes {
		for attempt := 0; ; attempt++ {
			if attempt > 0 && attempt%80 == 0 {
				dmin *= 0.9
			}
			p := orb.Point{(r.Float64()*2 - 1) * (w.half - 800), (r.Float64()*2 - 1) * (w.half - 800)}
			accept := r.Float64()
			// In a crowded area the constraints give way (after 3,000
			// tries) rather than loop for ever.
			if attempt < 3000 && (w.water.near(p, 150, true, -1) || w.nearLake(p, 250) || w.settlementNear(grid, p, dmin)) {
				continue
			}
			h, sl := w.ter.height(p[0], p[1]), w.ter.slope(p[0], p[1])
			prob := clamp(1.1-(h-180)/700, 0.05, 1) * clamp(1-sl/0.3, 0.05, 1)
			if accept > prob && attempt < 2000 {
				continue
			}
			grid.add(p, int32(len(w.settlements)))
			w.settlements = append(w.settlements, settlement{p: p, size: s, name: uniqueName(nr, names)})
			break
		}
	}
	w.nVillages = len(w.settlements)
	// Hamlets share the rest.
	for rest := H - villageHH; rest > 0; {
		s := min(rest, 2+r.IntN(8))
		rest -= s
		parent := r.IntN(w.nVillages)
		placed := false
		for attempt := 0; attempt < 40; attempt++ {
			d, a := 500+1300*r.Float64(), r.Float64()*2*math.Pi
			pp := w.settlements[parent].p
			p := orb.Point{pp[0] + d*math.Cos(a), pp[1] + d*math.Sin(a)}
			if !w.inside(p, siteMargin+100) || w.water.near(p, 60, true, -1) || w.nearLake(p, 150) ||
				w.settlementNear(grid, p, 350) || w.segNearLake(pp, p, 60) {
				continue
			}
			grid.add(p, int32(len(w.settlements)))
			w.settlements = append(w.settlements, settlement{p: p, size: s, hamlet: true, name: uniqueName(nr, names)})
			placed = true
			break
		}
		if !placed {
			w.settlements[parent].size += s
		}
	}
	for i := range w.settlements {
		w.settlements[i].node = w.addNode(w.settlements[i].p)
	}
}

func (w *world) settlementNear(g *pointGrid, p orb.Point, d float64) bool {
	found := false
	g.each(p, d, func(i int32) {
		if !found && dist(w.settlements[i].p, p) < d {
			found = true
		}
	})
	return found
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// edge is a planned path between two settlements (b < 0: a dead-end spur
// to the point end).
type edge struct {
	a, b  int32
	end   orb.Point
	class uint8
}

// genNetwork connects the villages: a minimum spanning tree of their
// nearest-neighbour graph (river crossings cost more, so there are few),
// plus some loops, hamlet links and in-village spurs. Then it lays each
// edge out as a winding path, adds bridges and fords where it crosses
// water, and appends the OSM ways.
func (w *world) genNetwork(ctx context.Context) error {
	r := w.rng(streamNetwork)
	nv := w.nVillages
	if nv == 0 {
		return nil
	}
	spacing := math.Sqrt(4 * w.half * w.half / float64(nv))
	grid := &pointGrid{cell: spacing, m: map[[2]int32][]int32{}}
	for i := range nv {
		grid.add(w.settlements[i].p, int32(i))
	}
	edges, extra := w.spanningTree(w.villageLinks(grid, spacing), spacing)
	edges = w.addLoops(r, edges, extra, spacing)
	edges = w.addHamletLinks(edges, grid, spacing)
	edges = w.addSpurs(r, edges)
	for i, e := range edges {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		w.layEdge(r, e)
	}
	return nil
}

// villageLink is a candidate path between villages a < b.
type villageLink struct {
	a, b   int32
	length float64
	cost   float64 // length, more for each crossing, much more over a river
	river  bool
}

// villageLinks returns the links from each village to its five nearest
// within 2.5 spacings that pass no lake, cheapest first (ties by a, b),
// each pair once.
func (w *world) villageLinks(grid *pointGrid, spacing float64) []villageLink {
	var cands []villageLink
	var near []int32
	var cs []crossing
	for i := range w.nVillages {
		p := w.settlements[i].p
		near = near[:0]
		grid.each(p, 2.5*spacing, func(j int32) {
			if int(j) != i {
				near = append(near, j)
			}
		})
		slices.SortFunc(near, func(x, y int32) int {
			return cmp.Or(cmp.Compare(dist(p, w.settlements[x].p), dist(p, w.settlements[y].p)), cmp.Compare(x, y))
		})
		for _, j := range near[:min(len(near), 5)] {
			q := w.settlements[j].p
			if w.segNearLake(p, q, 80) {
				continue
			}
			cs = w.water.crossings(cs[:0], p, q, 0)
			river := false
			for _, c := range cs {
				if w.waterways[w.water.segs[c.seg].way].river {
					river = true
				}
			}
			l := dist(p, q)
			cost := l * (1 + 0.3*float64(len(cs)))
			if river {
				cost *= 4
			}
			a, b := int32(i), j
			if a > b {
				a, b = b, a
			}
			cands = append(cands, villageLink{a, b, l, cost, river})
		}
	}
	slices.SortFunc(cands, func(x, y villageLink) int {
		return cmp.Or(cmp.Compare(x.cost, y.cost), cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b))
	})
	return slices.CompactFunc(cands, func(x, y villageLink) bool { return x.a == y.a && x.b == y.b })
}

// spanningTree keeps the links of a minimum spanning tree, classed by the
// size of the villages they join, and returns the short links it left
// out that cross no river, for loops.
func (w *world) spanningTree(cands []villageLink, spacing float64) (edges []edge, extra []villageLink) {
	uf := newUnionFind(w.nVillages)
	for _, c := range cands {
		if uf.union(c.a, c.b) {
			class := classPath
			sa, sb := w.settlements[c.a].size, w.settlements[c.b].size
			switch {
			case sa >= 40 && sb >= 40:
				class = classRoad
			case sa >= 20 && sb >= 20 || c.river:
				class = classTrack
			}
			edges = append(edges, edge{a: c.a, b: c.b, class: class})
		} else if !c.river && c.length < 1.6*spacing {
			extra = append(extra, c)
		}
	}
	return edges, extra
}

// addLoops adds some of the extra links as footpaths: those that cross no
// other planned edge.
func (w *world) addLoops(r *rand.Rand, edges []edge, extra []villageLink, spacing float64) []edge {
	eg := &pointGrid{cell: spacing, m: map[[2]int32][]int32{}}
	straight := func(e edge) (orb.Point, orb.Point) { return w.settlements[e.a].p, w.settlements[e.b].p }
	addEdgeGrid := func(i int) {
		a, b := straight(edges[i])
		for t := 0.0; t <= 1; t += 0.25 {
			eg.add(orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}, int32(i))
		}
	}
	for i := range edges {
		addEdgeGrid(i)
	}
	for _, c := range extra {
		if r.Float64() > 0.3 {
			continue
		}
		a, b := w.settlements[c.a].p, w.settlements[c.b].p
		mid := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
		bad := false
		eg.each(mid, c.length/2+spacing, func(i int32) {
			e := edges[i]
			if bad || e.a == c.a || e.a == c.b || e.b == c.a || e.b == c.b {
				return
			}
			p, q := straight(e)
			if _, _, ok := intersect(a, b, p, q); ok {
				bad = true
			}
		})
		if !bad {
			edges = append(edges, edge{a: c.a, b: c.b, class: classPath})
			addEdgeGrid(len(edges) - 1)
		}
	}
	return edges
}

// addHamletLinks links each hamlet to its nearest village by a path that
// passes no lake.
func (w *world) addHamletLinks(edges []edge, grid *pointGrid, spacing float64) []edge {
	for i := w.nVillages; i < len(w.settlements); i++ {
		p := w.settlements[i].p
		best, bd := int32(-1), math.Inf(1)
		for rad := spacing; best < 0 && rad < 8*spacing; rad *= 2 {
			grid.each(p, rad, func(j int32) {
				if d := dist(p, w.settlements[j].p); d < bd && !w.segNearLake(p, w.settlements[j].p, 40) {
					best, bd = j, d
				}
			})
		}
		if best >= 0 {
			edges = append(edges, edge{a: int32(i), b: best, class: classPath})
		}
	}
	return edges
}

// addSpurs adds one or two footways out of bigger villages, away from the
// other paths.
func (w *world) addSpurs(r *rand.Rand, edges []edge) []edge {
	nv := w.nVillages
	inc := make([][]float64, nv) // bearings of incident edges per village
	for _, e := range edges {
		if int(e.a) < nv {
			pa, pb := w.settlements[e.a].p, w.settlements[e.b].p
			inc[e.a] = append(inc[e.a], math.Atan2(pb[1]-pa[1], pb[0]-pa[0]))
		}
		if int(e.b) < nv {
			pa, pb := w.settlements[e.b].p, w.settlements[e.a].p
			inc[e.b] = append(inc[e.b], math.Atan2(pb[1]-pa[1], pb[0]-pa[0]))
		}
	}
	for i := range nv {
		n := 0
		if s := w.settlements[i].size; s >= 50 {
			n = 2
		} else if s >= 25 {
			n = 1
		}
		for range n {
			bestA, bestGap := 0.0, -1.0
			for k := range 12 {
				a := float64(k)*math.Pi/6 + r.Float64()*0.3
				gap := math.Pi
				for _, b := range inc[i] {
					d := math.Abs(math.Remainder(a-b, 2*math.Pi))
					gap = math.Min(gap, d)
				}
				if gap > bestGap {
					bestA, bestGap = a, gap
				}
			}
			l := 200 + 250*r.Float64()
			p := w.settlements[i].p
			end := orb.Point{p[0] + l*math.Cos(bestA), p[1] + l*math.Sin(bestA)}
			if !w.inside(end, 100) || w.segNearLake(p, end, 30) {
				continue
			}
			inc[i] = append(inc[i], bestA)
			edges = append(edges, edge{a: int32(i), b: -1, end: end, class: classFootway})
		}
	}
	return edges
}

type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union merges the sets of a and b and reports whether they were apart.
func (u *unionFind) union(a, b int32) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	u.parent[rb] = ra
	return true
}

// wiggle lays a path from a to b: vertices about every 90 m, bent by a few
// smooth sine bumps (zero at the ends) and a few metres of jitter, as a
// GPS-traced footpath looks.
func wiggle(r *rand.Rand, a, b orb.Point) []orb.Point {
	l := dist(a, b)
	n := max(1, int(math.Ceil(l/90)))
	px, py := -(b[1]-a[1])/l, (b[0]-a[0])/l
	var amp [3]float64
	for k := range amp {
		amp[k] = clamp(r.NormFloat64()*0.05*l/float64(k+1), -0.12*l, 0.12*l)
	}
	pts := make([]orb.Point, 0, n+1)
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		off := 0.0
		for k, am := range amp {
			off += am * math.Sin(float64(k+1)*math.Pi*t)
		}
		if i > 0 && i < n {
			off += r.NormFloat64() * 4
		}
		pts = append(pts, orb.Point{a[0] + t*(b[0]-a[0]) + off*px, a[1] + t*(b[1]-a[1]) + off*py})
	}
	return pts
}

// vertex is a point of a laid-out path with what becomes of it.
type vertex struct {
	p      orb.Point
	s      float64 // arc length
	kind   uint8   // vPlain, vFord, vBridgeStart, vBridgeEnd
	wseg   int32   // water segment of a ford
	wu     float64 // parameter on it
	origin bool    // an original (droppable) vertex
}

const (
	vPlain uint8 = iota
	vFord
	vBridgeStart
	vBridgeEnd
)

// layEdge lays out e as a winding path and appends it.
func (w *world) layEdge(r *rand.Rand, e edge) {
	a := w.settlements[e.a].p
	b, endNode := e.end, int32(-1)
	if e.b >= 0 {
		b, endNode = w.settlements[e.b].p, w.settlements[e.b].node
	}
	// A dead-end footway out of a village is optional: it is left out
	// rather than cross water badly.
	// Paths find the easier line: of three layouts, take the one with the
	// least climbing (both ways), so they skirt ridges; never one through
	// a lake (then the straight line, which the planning kept clear).
	var pts []orb.Point
	best := math.Inf(1)
	for k := range 3 {
		alt := wiggle(r, a, b)
		if w.polyNearLake(alt, 15) {
			continue
		}
		if k == 0 && dist(a, b) <= 600 {
			pts = alt
			break
		}
		if c := w.climb(alt); c < best {
			pts, best = alt, c
		}
	}
	if pts == nil {
		pts = straight(a, b)
	}
	vs, nodes := w.layPath(r, pts, w.settlements[e.a].node, endNode, e.class, e.b < 0)
	if vs == nil {
		return
	}
	w.settlements[e.a].lines = append(w.settlements[e.a].lines, localLine(vs, nodes, false))
	if e.b >= 0 {
		w.settlements[e.b].lines = append(w.settlements[e.b].lines, localLine(vs, nodes, true))
	}
}

// polyNearLake reports whether a vertex of pts lies within margin of a
// lake.
func (w *world) polyNearLake(pts []orb.Point, margin float64) bool {
	b := orb.MultiPoint(pts).Bound()
	for _, l := range w.lakes {
		r := 1.15*l.r + margin
		if l.c[0]+r < b.Min[0] || l.c[0]-r > b.Max[0] || l.c[1]+r < b.Min[1] || l.c[1]-r > b.Max[1] {
			continue
		}
		for i := 0; i+1 < len(pts); i++ {
			if _, d := project(pts[i], pts[i+1], l.c); d < r {
				return true
			}
		}
	}
	return false
}

// straight returns the segment ab with vertices about every 90 m.
func straight(a, b orb.Point) []orb.Point {
	n := max(1, int(math.Ceil(dist(a, b)/90)))
	pts := make([]orb.Point, 0, n+1)
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		pts = append(pts, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
	}
	return pts
}

// climb returns the total ascent plus descent (m) along pts.
func (w *world) climb(pts []orb.Point) float64 {
	sum, prev := 0.0, w.ter.height(pts[0][0], pts[0][1])
	for _, p := range pts[1:] {
		h := w.ter.height(p[0], p[1])
		sum += math.Abs(h - prev)
		prev = h
	}
	return sum
}

// layPath appends the path through pts, whose ends are the nodes start and
// end (-1: a new node), with bridges and fords where it crosses water. It
// returns the final vertices and their nodes.
//
// A spur (a house's footway) that would cross a river, or cross water where
// no bridge or ford fits, is not laid at all (nil results).
func (w *world) layPath(r *rand.Rand, pts []orb.Point, startNode, endNode int32, class uint8, spur bool) ([]vertex, []int32) {
	vs := make([]vertex, 0, len(pts)+4)
	var cs []crossing
	s := 0.0
	for i, p := range pts {
		vs = append(vs, vertex{p: p, s: s, origin: true})
		if i+1 < len(pts) {
			cs = w.water.crossings(cs, p, pts[i+1], s)
			s += dist(p, pts[i+1])
		}
	}
	slices.SortFunc(cs, func(x, y crossing) int { return cmp.Or(cmp.Compare(x.s, y.s), cmp.Compare(x.seg, y.seg)) })
	vs, ok := w.markCrossings(r, vs, pts, cs, s, class, spur)
	if !ok {
		return nil, nil
	}
	slices.SortStableFunc(vs, func(x, y vertex) int { return cmp.Compare(x.s, y.s) })
	vs = dropCovered(vs)
	return vs, w.addPathNodes(vs, startNode, endNode, class)
}

// markCrossings appends to vs, the path pts' vertices (total metres long),
// a bridge's two ends or a ford for each water crossing in cs, in order
// along the path. ok is false for a spur that must not be laid.
func (w *world) markCrossings(r *rand.Rand, vs []vertex, pts []orb.Point, cs []crossing, total float64, class uint8, spur bool) (_ []vertex, ok bool) {
	lastEnd := 0.0
	lastFordGap := 0.0 // where the event before the last one ended (+2 m)
	for _, c := range cs {
		ws := &w.water.segs[c.seg]
		river := w.waterways[ws.way].river
		bridge := false
		switch {
		case river:
			bridge = true // too wide and deep to wade
		case class == classRoad:
			bridge = true
		case class == classTrack:
			bridge = r.Float64() < 0.3
		}
		if river && spur {
			return nil, false
		}
		h := 1.0
		if bridge {
			h = ws.channel + 6
		}
		if bridge && !river && (c.s-h <= lastEnd+2 || c.s+h >= total-2) {
			bridge, h = false, 1 // no room for a bridge over the stream: a ford
		}
		if c.s-h <= lastEnd+2 && c.s+h < total-2 && len(vs) > len(pts) {
			// Close behind the previous crossing (a meander, a stream
			// mouth): one bridge spans both, or the stream's ford gives
			// way to the river's bridge.
			last := &vs[len(vs)-1]
			switch {
			case last.kind == vBridgeEnd:
				last.s, last.p = c.s+h, pointAt(pts, c.s+h)
				lastEnd = c.s + h
				continue
			case last.kind == vFord && bridge && math.Min(last.s-3, c.s-h) > math.Max(lastFordGap, 2):
				from := math.Min(last.s-3, c.s-h)
				*last = vertex{p: pointAt(pts, from), s: from, kind: vBridgeStart}
				vs = append(vs, vertex{p: pointAt(pts, c.s+h), s: c.s + h, kind: vBridgeEnd})
				lastEnd = c.s + h
				continue
			}
		}
		if c.s-h <= lastEnd+2 || c.s+h >= total-2 {
			if spur {
				return nil, false
			}
			continue // too close to another crossing or to an end: leave it unmarked
		}
		lastFordGap = lastEnd + 2
		lastEnd = c.s + h
		if bridge {
			vs = append(vs, vertex{p: pointAt(pts, c.s-h), s: c.s - h, kind: vBridgeStart},
				vertex{p: pointAt(pts, c.s+h), s: c.s + h, kind: vBridgeEnd})
		} else {
			vs = append(vs, vertex{p: c.p, s: c.s, kind: vFord, wseg: c.seg, wu: c.u})
		}
	}
	return vs, true
}

// dropCovered drops the original vertices inside a bridge or too close to
// an inserted one, in place.
func dropCovered(vs []vertex) []vertex {
	out := vs[:0]
	inBridge := false
	for i, v := range vs {
		switch v.kind {
		case vBridgeStart:
			inBridge = true
		case vBridgeEnd:
			inBridge = false
		}
		if v.origin && i > 0 && i < len(vs)-1 {
			if inBridge {
				continue
			}
			if (!vs[i-1].origin && v.s-vs[i-1].s < 3) || (!vs[i+1].origin && vs[i+1].s-v.s < 3) {
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// addPathNodes adds the nodes of the vertices vs, whose ends are the nodes
// start and end (-1: a new node), and the ways between bridge ends, and
// returns the nodes.
func (w *world) addPathNodes(vs []vertex, startNode, endNode int32, class uint8) []int32 {
	nodes := make([]int32, len(vs))
	for i, v := range vs {
		switch {
		case i == 0:
			nodes[i] = startNode
		case i == len(vs)-1 && endNode >= 0:
			nodes[i] = endNode
		default:
			nodes[i] = w.addNode(v.p)
		}
		if v.kind == vFord {
			w.ford[nodes[i]] = true
			w.fords++
			ws := &w.water.segs[v.wseg]
			ww := &w.waterways[ws.way]
			ww.fords = append(ww.fords, fordInsert{seg: ws.seg, u: v.wu, node: nodes[i]})
		}
	}
	start := 0
	for i, v := range vs {
		switch v.kind {
		case vBridgeStart:
			w.addWay(nodes[start:i+1], class, false)
			start = i
		case vBridgeEnd:
			w.addWay(nodes[start:i+1], class, true)
			start = i
		}
	}
	w.addWay(nodes[start:], class, false)
	return nodes
}

func (w *world) addWay(nodes []int32, class uint8, bridge bool) {
	if len(nodes) < 2 {
		return
	}
	w.ways = append(w.ways, way{start: int32(len(w.refs)), n: int32(len(nodes)), class: class, bridge: bridge})
	w.refs = append(w.refs, nodes...)
	if bridge {
		w.bridge++
	}
}

// localLine returns the first 450 m of the path from its start (or, when
// rev, from its end).
func localLine(vs []vertex, nodes []int32, rev bool) line {
	const reach = 450.0
	var l line
	n := len(vs)
	for k := range n {
		i := k
		if rev {
			i = n - 1 - k
		}
		l.pts = append(l.pts, vs[i].p)
		l.nodes = append(l.nodes, nodes[i])
		d := vs[i].s
		if rev {
			d = vs[n-1].s - vs[i].s
		}
		if d > reach {
			break
		}
	}
	return l
}

// pointAt returns the point at arc length s along pts.
func pointAt(pts []orb.Point, s float64) orb.Point {
	for i := 0; i+1 < len(pts); i++ {
		l := dist(pts[i], pts[i+1])
		if s <= l || i+2 == len(pts) {
			t := clamp(s/l, 0, 1)
			return orb.Point{pts[i][0] + t*(pts[i+1][0]-pts[i][0]), pts[i][1] + t*(pts[i+1][1]-pts[i][1])}
		}
		s -= l
	}
	return pts[len(pts)-1]
}

// alongLine returns a point s metres along line (clamped to its end) and
// off metres to its left.
func alongLine(line []orb.Point, s, off float64) orb.Point {
	if len(line) < 2 {
		return orb.Point{line[0][0] + off, line[0][1]}
	}
	for i := 0; i+1 < len(line); i++ {
		l := dist(line[i], line[i+1])
		if s <= l || i+2 == len(line) {
			t := clamp(s/math.Max(l, 1e-9), 0, 1)
			a, b := line[i], line[i+1]
			px, py := -(b[1]-a[1])/math.Max(l, 1e-9), (b[0]-a[0])/math.Max(l, 1e-9)
			return orb.Point{a[0] + t*(b[0]-a[0]) + off*px, a[1] + t*(b[1]-a[1]) + off*py}
		}
		s -= l
	}
	return line[len(line)-1]
}

// siteMargin keeps house sites this far inside the area, so that even a
// bad GPS fix (at most 2.5 standard deviations off) stays in it.
const siteMargin = 300.0

// homeSite returns a plausible house site in settlement s and the index
// of the line it lies along (-1 for none): strung along one of its paths, a
// few tens of metres off it, denser near the centre, rarely in a river
// channel, siteMargin inside the area.
func (w *world) homeSite(r *rand.Rand, s *settlement) (orb.Point, int) {
	reach := 380.0
	if s.hamlet {
		reach = 140
	}
	var p orb.Point
	li := -1
	for try := 0; try < 8; try++ {
		off := (6 + 30*r.Float64())
		if r.IntN(2) == 0 {
			off = -off
		}
		if len(s.lines) == 0 {
			a := r.Float64() * 2 * math.Pi
			d := reach * math.Sqrt(r.Float64())
			p = orb.Point{s.p[0] + d*math.Cos(a), s.p[1] + d*math.Sin(a)}
		} else {
			li = r.IntN(len(s.lines))
			p = alongLine(s.lines[li].pts, reach*math.Pow(r.Float64(), 1.4), off)
		}
		if !w.water.near(p, 12, true, -1) && w.inside(p, siteMargin) {
			return p, li
		}
	}
	if !w.inside(p, siteMargin) {
		return s.p, -1
	}
	return p, li
}

// genSites places every genuine house (at least minHouseGap apart within a
// settlement) and gives about half of them a footway to the nearest
// node of the path they lie along, as mapped villages show.
func (w *world) genSites(ctx context.Context) error {
	r := w.rng(streamSites)
	w.siteStart = make([]int32, len(w.settlements)+1)
	for si := range w.settlements {
		if si%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		s := &w.settlements[si]
		w.siteStart[si] = int32(len(w.sites))
		for range s.size {
			p, li := w.homeSite(r, s)
			for try := 0; try < 6 && tooClose(w.sites[w.siteStart[si]:], p, minHouseGap); try++ {
				p, li = w.homeSite(r, s)
			}
			w.sites = append(w.sites, p)
			if li < 0 || r.Float64() > 0.5 {
				continue
			}
			l := s.lines[li]
			best, bd := 0, math.Inf(1)
			for k, q := range l.pts {
				if d := dist(p, q); d < bd {
					best, bd = k, d
				}
			}
			if bd < 8 || w.segNearLake(l.pts[best], p, 5) {
				continue // on the path already, or across a lake shore
			}
			w.layPath(r, []orb.Point{l.pts[best], p}, l.nodes[best], -1, classFootway, true)
		}
	}
	w.siteStart[len(w.settlements)] = int32(len(w.sites))
	return nil
}

// genFacilities puts health facilities in the biggest villages, spread
// apart: 3 at the default size, one per 2,500 households at larger sizes
// (about 400 at 1 M).
func (w *world) genFacilities() {
	r := w.rng(streamPeople)
	n := min(max(2, max(30, w.cfg.households()/250)/10), w.nVillages)
	order := make([]int, w.nVillages)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(w.settlements[y].size, w.settlements[x].size) })
	sep := 0.6 * 2 * w.half / math.Sqrt(float64(n))
	picked := make([]bool, w.nVillages)
	var chosen []int
	for len(chosen) < n {
		for _, v := range order {
			if len(chosen) == n {
				break
			}
			if picked[v] {
				continue
			}
			ok := true
			for _, c := range chosen {
				if dist(w.settlements[c].p, w.settlements[v].p) < sep {
					ok = false
					break
				}
			}
			if ok {
				picked[v] = true
				chosen = append(chosen, v)
			}
		}
		sep *= 0.7
	}
	width := 3
	if n > 999 {
		width = len(itoaPad(n, 0))
	}
	for i, v := range chosen {
		s := &w.settlements[v]
		kind, suffix := "clinic", " Clinic"
		switch {
		case i == 0 && n >= 10:
			kind, suffix = "hospital", " Hospital"
		case i%10 == 0:
			kind, suffix = "health_center", " Health Center"
		}
		p := s.p
		if len(s.lines) > 0 {
			p = alongLine(s.lines[r.IntN(len(s.lines))].pts, 50+40*r.Float64(), 25)
		}
		w.facilities = append(w.facilities, facility{id: "FAC-" + itoaPad(i+1, width), name: s.name + suffix, kind: kind, p: p, village: v})
	}
}

// genCHWs places CHWs in villages by systematic sampling over the
// households (so big villages get more, and they spread over the area),
// each attached to the nearest facility.
func (w *world) genCHWs() {
	r := w.rng(streamPeople + 100)
	n := w.cfg.chws()
	total := 0
	for i := range w.nVillages {
		total += w.settlements[i].size
	}
	inactive := max(1, n/25)
	off := make(map[int]bool, inactive)
	for len(off) < inactive {
		off[r.IntN(n)] = true
	}
	v, cum := 0, w.settlements[0].size
	width := max(4, len(itoaPad(n, 0)))
	for k := range n {
		pos := (float64(k) + 0.5) * float64(total) / float64(n)
		for float64(cum) <= pos && v+1 < w.nVillages {
			v++
			cum += w.settlements[v].size
		}
		s := &w.settlements[v]
		p, _ := w.homeSite(r, s)
		best, bd := 0, math.Inf(1)
		for i, f := range w.facilities {
			if d := dist(f.p, p); d < bd {
				best, bd = i, d
			}
		}
		c := chw{
			id:       "CHW-" + itoaPad(k+1, width),
			name:     firstName[r.IntN(len(firstName))] + " Demo-CHW " + itoaPad(k+1, width),
			p:        p,
			facility: best,
			active:   !off[k],
		}
		// Capacities: at the norm, one CHW in four has one of 45–70
		// households; with large catchments every CHW has one, 20 % above
		// the mean load, so that every household can be assigned.
		if w.cfg.households() > LargeCatchments {
			c.capacity = int(math.Round(1.2 * float64(w.cfg.households()) / float64(n-inactive)))
		} else if r.IntN(4) == 0 {
			c.capacity = 45 + 5*r.IntN(6)
		}
		w.chws = append(w.chws, c)
	}
}
