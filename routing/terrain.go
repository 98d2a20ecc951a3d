package routing

import (
	"context"
	"fmt"
	"math"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
	"github.com/lastmile-health/lastmile/routing/hydro"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// TerrainClass is the class of the terrain lattice's edges and of the
// connectors that join it to the paths (Edge.Class, the paths layer leaves
// them out).
const TerrainClass = "terrain"

// Terrain makes Build walk where no path is mapped: a lattice over the DEM,
// with the drainage derived from it. See the package documentation (Terrain
// lattice). A nil *Terrain builds the paths alone.
type Terrain struct {
	// Area is the study area (lon/lat); the lattice covers it grown by
	// Profile.LatticeBuffer.
	Area orb.MultiPolygon
	// Points are the points to route (households, CHWs, facilities). Those
	// farther than Profile.MaxSnap from every mapped path, or all of them
	// when there is none, get lattice within Profile.LatticeBuffer of them
	// and of the line to the nearest path (or, outside Area, to the area,
	// when that is nearer), reaching at most maxPointReach.
	Points []orb.Point
	// NoDerivedWater skips deriving streams from the DEM (OSM waterways
	// are still used).
	NoDerivedWater bool
}

// TerrainReport counts what the terrain lattice added.
type TerrainReport struct {
	LatticeNodes   int     `json:"lattice_nodes"`
	LatticeEdges   int     `json:"lattice_edges"`
	Connectors     int     `json:"connectors"`
	BlockedEdges   int     `json:"blocked_by_water"` // lattice steps left out: across a river or water area
	WadedEdges     int     `json:"waded"`            // lattice steps that wade a stream
	StepM          float64 `json:"step_m"`
	DerivedStreams int     `json:"derived_streams"` // links kept (near the lattice)
	DerivedRivers  int     `json:"derived_rivers"`  // of which barriers
	DerivedKm      float64 `json:"derived_km"`
}

// maxPointReach caps how far (metres) the lattice reaches from a far point
// towards a path or the study area.
const maxPointReach = 20000

// maxLatticeCells caps the lattice grid (cells of the region's bounding box).
const maxLatticeCells = 1 << 26

// latticeMoves are half of the 16 neighbour moves (the other half are their
// reverses): the 8 king moves and the 8 knight moves make the directions
// 0°, 26.6°, 45°, 63.4°, … so a straight line is never more than 2.8 %
// longer on the lattice (1/cos(13.3°), between 0° and 26.6°).
var latticeMoves = [8][2]int{{1, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 1}, {-1, 2}, {-1, 1}, {-2, 1}}

// rasterModel is a DEM that can cut grid windows (*dem.Mosaic).
type rasterModel interface {
	Raster(b orb.Bound) (*dem.Raster, error)
}

// deriveWater derives the streams and rivers of the DEM over region (lon/lat)
// grown by 10 km, so that the catchments of its creeks are mostly inside,
// and returns those that come near region.
func deriveWater(ctx context.Context, elev elevModel, region orb.Bound, prof *Profile) ([]waterInput, error) {
	rm, ok := elev.(rasterModel)
	if !ok {
		return nil, fmt.Errorf("routing: terrain: the elevation model cannot cut grid windows (want a dem.Mosaic)")
	}
	r, err := rm.Raster(geo.ExpandBound(region, 10000))
	if err != nil {
		return nil, fmt.Errorf("routing: terrain: %w", err)
	}
	g := &hydro.Grid{Cols: r.Cols, Rows: r.Rows, Z: r.Z, Lon0: r.Lon0, Lat0: r.Lat0, DLon: r.DLon, DLat: r.DLat}
	d, err := hydro.Derive(ctx, g, &hydro.Options{StreamKm2: prof.StreamKm2, RiverKm2: max(prof.StreamKm2, hydro.DefaultRiverKm2)})
	if err != nil {
		return nil, fmt.Errorf("routing: terrain: %w", err)
	}
	near := geo.ExpandBound(region, 1000)
	var out []waterInput
	for _, s := range d.Streams {
		if !s.Line.Bound().Intersects(near) {
			continue
		}
		kind := "stream"
		if s.River {
			kind = "river"
		}
		out = append(out, waterInput{ID: -int64(s.ID) - 1, Kind: kind, Pts: s.Line, Derived: true, AreaKm2: s.AreaKm2, Order: s.Order})
	}
	return out, nil
}

// terrainRegion is where the lattice goes, in local metres: the study area
// grown by the buffer and bands from the points that need it.
type terrainRegion struct {
	area     *geo.PolygonIndex // local metres; nil without an area
	areaMP   orb.MultiPolygon
	capsules []capsule
	buffer   float64   // the area's buffer, metres
	bound    orb.Bound // local metres
	ok       bool
	// lat is the grid and in the cells it covers (layGrid).
	lat *lattice
	in  []bool
}

// capsule is the band within r of the segment a–b (a disc when a == b).
type capsule struct {
	a, b orb.Point
	r    float64
}

// pointReach returns, for each point, whether it needs the lattice (no
// walkable way within MaxSnap, or no way at all) and the nearest point of a
// way (local metres; ok false when there is no way within maxPointReach).
func pointReach(in *netInput, local geo.Local, pts []orb.Point, prof *Profile, workers int) (need []bool, near []orb.Point, nearOK []bool) {
	var tr rtree.RTreeG[[2]orb.Point]
	n := 0
	for _, w := range in.Ways {
		if w.FootNo {
			continue
		}
		for i := 0; i+1 < len(w.Nodes); i++ {
			a, b := local.Forward(in.Pts[w.Nodes[i]]), local.Forward(in.Pts[w.Nodes[i+1]])
			tr.Insert(minPt(a, b), maxPt(a, b), [2]orb.Point{a, b})
			n++
		}
	}
	need, near, nearOK = make([]bool, len(pts)), make([]orb.Point, len(pts)), make([]bool, len(pts))
	r := prof.MaxSnap
	_ = parallel.For(context.Background(), workers, len(pts), func(i int) {
		p := pts[i]
		if n == 0 {
			need[i] = true
			return
		}
		q := local.Forward(p)
		// Most points have a path within MaxSnap: a box search that stops
		// at the first such segment is far cheaper than a nearest search.
		close := false
		tr.Search([2]float64{q[0] - r, q[1] - r}, [2]float64{q[0] + r, q[1] + r}, func(_, _ [2]float64, s [2]orb.Point) bool {
			_, d2 := geo.ProjectToSegment(q, s[0], s[1])
			close = d2 <= r*r
			return !close
		})
		if close {
			return
		}
		best := math.Inf(1)
		var at orb.Point
		tr.Nearby(rtree.BoxDist[float64, [2]orb.Point]([2]float64(q), [2]float64(q), nil),
			func(_, _ [2]float64, s [2]orb.Point, d2box float64) bool {
				if d2box >= best*best {
					return false
				}
				if t, d2 := geo.ProjectToSegment(q, s[0], s[1]); d2 < best*best {
					best, at = math.Sqrt(d2), geo.Lerp(s[0], s[1], t)
				}
				return true
			})
		need[i] = best > prof.MaxSnap
		near[i], nearOK[i] = at, best <= maxPointReach
	})
	return need, near, nearOK
}

func newTerrainRegion(t *Terrain, in *netInput, local geo.Local, prof *Profile, workers int) *terrainRegion {
	reg := &terrainRegion{buffer: prof.LatticeBuffer}
	extend := func(b orb.Bound) {
		if !reg.ok {
			reg.bound, reg.ok = b, true
		} else {
			reg.bound = reg.bound.Union(b)
		}
	}
	if len(t.Area) > 0 {
		mp := forwardMultiPolygon(local, t.Area)
		reg.areaMP = mp
		reg.area = geo.NewPolygonIndex(mp)
		b := mp.Bound()
		buf := prof.LatticeBuffer
		extend(orb.Bound{Min: orb.Point{b.Min[0] - buf, b.Min[1] - buf}, Max: orb.Point{b.Max[0] + buf, b.Max[1] + buf}})
	}
	need, near, nearOK := pointReach(in, local, t.Points, prof, workers)
	buf := prof.LatticeBuffer
	for i, p := range t.Points {
		if !need[i] || !geo.ValidLonLat(p) {
			continue
		}
		// The lattice reaches from the point to the nearest path, or for a
		// point outside the study area (a facility across the district
		// line) to the area, whichever is nearer: a band of the buffer's
		// width around that line.
		q := local.Forward(p)
		to, dist := q, math.Inf(1)
		if nearOK[i] {
			to, dist = near[i], math.Hypot(near[i][0]-q[0], near[i][1]-q[1])
		}
		if reg.area != nil && !reg.area.Contains(q) {
			if a, d := nearestOnRings(reg.areaMP, q); d < dist && d <= maxPointReach {
				to = a
			}
		}
		c := capsule{q, to, buf}
		reg.capsules = append(reg.capsules, c)
		b := orb.MultiPoint{q, to}.Bound()
		extend(orb.Bound{Min: orb.Point{b.Min[0] - buf, b.Min[1] - buf}, Max: orb.Point{b.Max[0] + buf, b.Max[1] + buf}})
	}
	return reg
}

// nearestOnRings returns the point of mp's outline nearest to q and its
// distance (all in local metres).
func nearestOnRings(mp orb.MultiPolygon, q orb.Point) (orb.Point, float64) {
	best := math.Inf(1)
	var at orb.Point
	for _, poly := range mp {
		for _, ring := range poly {
			for k := 0; k+1 < len(ring); k++ {
				if t, d2 := geo.ProjectToSegment(q, ring[k], ring[k+1]); d2 < best*best {
					best, at = math.Sqrt(d2), geo.Lerp(ring[k], ring[k+1], t)
				}
			}
		}
	}
	return at, best
}

// demBound returns the lon/lat bound of the lattice cells where the DEM
// has a value; ok is false when there is none.
func (reg *terrainRegion) demBound(elev elevModel, local geo.Local) (b orb.Bound, ok bool) {
	l := reg.lat
	if l == nil {
		return b, false
	}
	for i, in := range reg.in {
		if !in {
			continue
		}
		p := local.Inverse(orb.Point{l.x0 + float64(i%l.cols)*l.step, l.y0 + float64(i/l.cols)*l.step})
		if _, has := elev.Elevation(p); !has {
			continue
		}
		if !ok {
			b, ok = orb.Bound{Min: p, Max: p}, true
		} else {
			b = b.Extend(p)
		}
	}
	return b, ok
}

// lattice is the terrain grid in local metres: node (c, r) sits at
// (x0 + c·step, y0 + r·step).
type lattice struct {
	step       float64
	x0, y0     float64
	cols, rows int
	node       []int32 // index into the build's points, -1 where none
}

func (l *lattice) at(c, r int) int32 {
	if c < 0 || r < 0 || c >= l.cols || r >= l.rows {
		return -1
	}
	return l.node[r*l.cols+c]
}

// mask marks the grid cells inside the region.
func (reg *terrainRegion) mask(l *lattice) []bool {
	m := make([]bool, l.cols*l.rows)
	stamp := func(dst []bool, c0, r0 int, rad float64) {
		k := int(rad / l.step)
		rr := (rad / l.step) * (rad / l.step)
		for dr := -k; dr <= k; dr++ {
			r := r0 + dr
			if r < 0 || r >= l.rows {
				continue
			}
			for dc := -k; dc <= k; dc++ {
				c := c0 + dc
				if c < 0 || c >= l.cols || float64(dc*dc+dr*dr) > rr {
					continue
				}
				dst[r*l.cols+c] = true
			}
		}
	}
	if reg.area != nil {
		ab := reg.areaMP.Bound()
		for r := 0; r < l.rows; r++ {
			y := l.y0 + float64(r)*l.step
			if y < ab.Min[1] || y > ab.Max[1] {
				continue
			}
			for c := 0; c < l.cols; c++ {
				x := l.x0 + float64(c)*l.step
				if x >= ab.Min[0] && x <= ab.Max[0] && reg.area.Contains(orb.Point{x, y}) {
					m[r*l.cols+c] = true
				}
			}
		}
		// Grow by the buffer: stamp a disc on every cell at the area's
		// edge (inside, with a 4-neighbour outside).
		grown := append([]bool(nil), m...)
		for r := 0; r < l.rows; r++ {
			for c := 0; c < l.cols; c++ {
				if !m[r*l.cols+c] {
					continue
				}
				edge := r == 0 || c == 0 || r == l.rows-1 || c == l.cols-1 ||
					!m[(r-1)*l.cols+c] || !m[(r+1)*l.cols+c] || !m[r*l.cols+c-1] || !m[r*l.cols+c+1]
				if edge {
					stamp(grown, c, r, math.Max(reg.buffer, l.step))
				}
			}
		}
		m = grown
	}
	for _, cp := range reg.capsules {
		r := math.Max(cp.r, l.step)
		lo, hi := minPt(cp.a, cp.b), maxPt(cp.a, cp.b)
		c0, c1 := int(math.Floor((lo[0]-r-l.x0)/l.step)), int(math.Ceil((hi[0]+r-l.x0)/l.step))
		r0, r1 := int(math.Floor((lo[1]-r-l.y0)/l.step)), int(math.Ceil((hi[1]+r-l.y0)/l.step))
		for y := max(r0, 0); y <= min(r1, l.rows-1); y++ {
			for x := max(c0, 0); x <= min(c1, l.cols-1); x++ {
				q := orb.Point{l.x0 + float64(x)*l.step, l.y0 + float64(y)*l.step}
				if _, d2 := geo.ProjectToSegment(q, cp.a, cp.b); d2 <= r*r {
					m[y*l.cols+x] = true
				}
			}
		}
	}
	return m
}

// layGrid sets the lattice's grid and the cells it covers.
func (reg *terrainRegion) layGrid(step float64) error {
	if !reg.ok {
		return nil
	}
	l := &lattice{step: step}
	l.x0 = math.Floor(reg.bound.Min[0]/step) * step
	l.y0 = math.Floor(reg.bound.Min[1]/step) * step
	l.cols = int(math.Ceil((reg.bound.Max[0]-l.x0)/step)) + 1
	l.rows = int(math.Ceil((reg.bound.Max[1]-l.y0)/step)) + 1
	if int64(l.cols)*int64(l.rows) > maxLatticeCells {
		return fmt.Errorf("routing: terrain lattice of %d × %d nodes at %.0f m is too large (at most %d): raise lattice_step_m or narrow the area",
			l.cols, l.rows, step, maxLatticeCells)
	}
	reg.lat, reg.in = l, reg.mask(l)
	return nil
}

// covers reports whether the local point q lies in a lattice cell.
func (reg *terrainRegion) covers(q orb.Point) bool {
	if reg.lat == nil {
		return false
	}
	l := reg.lat
	c := int(math.Round((q[0] - l.x0) / l.step))
	r := int(math.Round((q[1] - l.y0) / l.step))
	return c >= 0 && r >= 0 && c < l.cols && r < l.rows && reg.in[r*l.cols+c]
}

// terrainBuild holds what buildLattice adds to the build's input.
type terrainBuild struct {
	pts     []orb.Point
	ids     []int64
	ways    []wayInput
	results []wayResult
	report  TerrainReport
}

// buildLattice lays the lattice over the region: a node every
// Profile.LatticeStep metres where the DEM has a value and no water area
// lies, edges to the 16 neighbours unless they cross a barrier (waded
// streams cost their time), and connectors from every path junction in the
// region to the lattice nodes within 1.5 steps. New points are numbered
// from base (the build's point count). Edges come grouped in one pseudo-way
// per lattice row, then one for the connectors, so the result does not
// depend on workers.
func buildLattice(ctx context.Context, reg *terrainRegion, in *netInput, uses []uint8, elev elevModel, water *waterIndex,
	local geo.Local, prof *Profile, workers int) (*terrainBuild, error) {
	step := prof.LatticeStep
	tb := &terrainBuild{report: TerrainReport{StepM: step}}
	if !reg.ok {
		return tb, nil
	}
	lb := &latticeBuild{l: reg.lat, step: step, base: int32(len(in.Pts)), tb: tb}
	lb.layNodes(reg.in, elev, water, local)
	tb.report.LatticeNodes = len(tb.pts)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := lb.addRows(ctx, water, workers); err != nil {
		return nil, err
	}
	lb.addConnectors(in, uses, elev, water, local)
	return tb, nil
}

// latticeBuild is the state of buildLattice: the lattice's nodes are
// numbered from base, after the network's.
type latticeBuild struct {
	l    *lattice
	step float64
	base int32
	z    []float32 // per lattice node
	tb   *terrainBuild
}

func (lb *latticeBuild) zOf(n int32) float32    { return lb.z[n-lb.base] }
func (lb *latticeBuild) ptOf(n int32) orb.Point { return lb.tb.pts[n-lb.base] }

// layNodes makes a node of every cell in mask with an elevation and not
// in water.
func (lb *latticeBuild) layNodes(mask []bool, elev elevModel, water *waterIndex, local geo.Local) {
	l, tb, step := lb.l, lb.tb, lb.step
	l.node = make([]int32, len(mask))
	lb.z = make([]float32, 0)
	for i, in := range mask {
		l.node[i] = -1
		if !in {
			continue
		}
		c, r := i%l.cols, i/l.cols
		q := orb.Point{l.x0 + float64(c)*step, l.y0 + float64(r)*step}
		p := local.Inverse(q)
		h, ok := elev.Elevation(p)
		if !ok || math.IsNaN(h) || water.inWater(q) {
			continue
		}
		l.node[i] = lb.base + int32(len(tb.pts))
		tb.pts = append(tb.pts, p)
		tb.ids = append(tb.ids, -int64(i)-1)
		lb.z = append(lb.z, float32(h))
	}
}

// wade marks piece pc as crossing water that costs ms to wade, halfway.
func (pc *piece) wade(ms uint32) {
	pc.crossAt = []float32{float32(pc.length / 2)}
	pc.crossMs = []uint32{ms}
	pc.cross = CrossPenalty
}

// addRows adds the lattice edges, one pseudo-way per row, rows in
// parallel.
func (lb *latticeBuild) addRows(ctx context.Context, water *waterIndex, workers int) error {
	l, tb, step := lb.l, lb.tb, lb.step
	rowRes := make([]wayResult, l.rows)
	blocked := make([]int, l.rows)
	waded := make([]int, l.rows)
	err := parallel.For(ctx, workers, l.rows, func(r int) {
		var hits []hit
		var res wayResult
		// One backing array per row for the edges' two points.
		pts := make([]orb.Point, 0, 2*8*l.cols)
		zs := make([]float32, 0, 2*8*l.cols)
		for c := 0; c < l.cols; c++ {
			u := l.at(c, r)
			if u < 0 {
				continue
			}
			pu := lb.ptOf(u)
			lu := orb.Point{l.x0 + float64(c)*step, l.y0 + float64(r)*step}
			for _, mv := range latticeMoves {
				v := l.at(c+mv[0], r+mv[1])
				if v < 0 {
					continue
				}
				lv := orb.Point{lu[0] + float64(mv[0])*step, lu[1] + float64(mv[1])*step}
				var ms uint32
				var barrier bool
				ms, barrier, hits = water.offPath(lu, lv, hits)
				if barrier {
					blocked[r]++
					continue
				}
				pv := lb.ptOf(v)
				k := len(pts)
				pts = append(pts, pu, pv)
				zs = append(zs, lb.zOf(u), lb.zOf(v))
				pc := piece{from: u, to: v, pts: pts[k : k+2 : k+2], z: zs[k : k+2 : k+2], length: float64(geo.Distance(pu, pv))}
				if ms > 0 {
					pc.wade(ms)
					waded[r]++
				}
				res.pieces = append(res.pieces, pc)
				res.length += pc.length
			}
		}
		rowRes[r] = res
	})
	if err != nil {
		return err
	}
	for r := range rowRes {
		if len(rowRes[r].pieces) == 0 {
			continue
		}
		tb.report.LatticeEdges += len(rowRes[r].pieces)
		tb.ways = append(tb.ways, wayInput{Highway: TerrainClass, terrain: true})
		tb.results = append(tb.results, rowRes[r])
	}
	for r := range blocked {
		tb.report.BlockedEdges += blocked[r]
		tb.report.WadedEdges += waded[r]
	}
	return nil
}

// addConnectors joins the path junctions (uses of 2 or more) inside the
// lattice to the lattice nodes within 1.5 steps, in one pseudo-way.
func (lb *latticeBuild) addConnectors(in *netInput, uses []uint8, elev elevModel, water *waterIndex, local geo.Local) {
	l, tb, step := lb.l, lb.tb, lb.step
	var conn wayResult
	var hits []hit
	reach := 1.5 * step
	k := int(math.Ceil(reach / step))
	for i := range in.Pts {
		if uses[i] < 2 {
			continue
		}
		q := local.Forward(in.Pts[i])
		c0 := int(math.Round((q[0] - l.x0) / step))
		r0 := int(math.Round((q[1] - l.y0) / step))
		zi := float32(math.NaN())
		if h, ok := elev.Elevation(in.Pts[i]); ok {
			zi = float32(h)
		}
		for dr := -k; dr <= k; dr++ {
			for dc := -k; dc <= k; dc++ {
				v := l.at(c0+dc, r0+dr)
				if v < 0 {
					continue
				}
				lv := orb.Point{l.x0 + float64(c0+dc)*step, l.y0 + float64(r0+dr)*step}
				if math.Hypot(lv[0]-q[0], lv[1]-q[1]) > reach {
					continue
				}
				var ms uint32
				var barrier bool
				ms, barrier, hits = water.offPath(q, lv, hits)
				if barrier {
					continue
				}
				pv := lb.ptOf(v)
				pc := piece{from: int32(i), to: v, pts: []orb.Point{in.Pts[i], pv}, z: []float32{zi, lb.zOf(v)},
					length: float64(geo.Distance(in.Pts[i], pv))}
				if math.IsNaN(float64(zi)) {
					pc.noElev = pc.length
				}
				if ms > 0 {
					pc.wade(ms)
				}
				conn.pieces = append(conn.pieces, pc)
				conn.length += pc.length
			}
		}
	}
	if len(conn.pieces) > 0 {
		tb.report.Connectors = len(conn.pieces)
		tb.ways = append(tb.ways, wayInput{Highway: TerrainClass, terrain: true})
		tb.results = append(tb.results, conn)
	}
}
