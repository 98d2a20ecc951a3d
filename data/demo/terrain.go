package demo

import (
	"math"

	"github.com/paulmach/orb"
)

// Terrain: fractal value-noise hills with a few sharp ridges, then river and
// stream valleys carved into them. The height is a pure function of the
// position (local metres), so the DEM, the household altitudes and the
// village siting agree everywhere, tiles beyond the area included.

// Elevation range of a West-African hill district.
const (
	minElev = 140.0
	maxElev = 760.0
)

// mix64 is the splitmix64 finaliser: a fast, well-spread hash used for the
// noise lattice, so the terrain needs no per-area tables.
func mix64(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// grads are 16 unit gradient directions for gradient noise.
var grads = func() (g [16][2]float64) {
	for i := range g {
		a := 2 * math.Pi * (float64(i) + 0.5) / 16
		g[i] = [2]float64{math.Cos(a), math.Sin(a)}
	}
	return g
}()

// gradNoise is 2-D gradient (Perlin) noise with a period-1 lattice and
// quintic fade, in about [-1, 1]. Gradient rather than value noise, because
// value noise shows its square lattice as blocky plateaus.
func gradNoise(seed uint64, x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int64(x0), int64(y0)
	dot := func(i, j int64, dx, dy float64) float64 {
		h := mix64(seed ^ mix64(uint64(i)*0x9e3779b97f4a7c15^uint64(j)*0xc2b2ae3d27d4eb4f))
		g := grads[h>>60]
		return g[0]*dx + g[1]*dy
	}
	u := fx * fx * fx * (fx*(fx*6-15) + 10)
	v := fy * fy * fy * (fy*(fy*6-15) + 10)
	a := dot(ix, iy, fx, fy)
	b := dot(ix+1, iy, fx-1, fy)
	c := dot(ix, iy+1, fx, fy-1)
	d := dot(ix+1, iy+1, fx-1, fy-1)
	top := a + (b-a)*u
	bot := c + (d-c)*u
	return 1.4 * (top + (bot-top)*v)
}

// octaveRot rotates each octave's domain so the lattices do not line up.
var octaveRot = func() (r [8][2]float64) {
	for i := range r {
		a := 0.61 * float64(i+1)
		r[i] = [2]float64{math.Cos(a), math.Sin(a)}
	}
	return r
}()

// fbm sums octaves of gradient noise from wavelength lambda (m) down,
// each half the amplitude and about half the wavelength; result in about
// [-1, 1].
func fbm(seed uint64, x, y, lambda float64, octaves int) float64 {
	n, amp, norm, f := 0.0, 1.0, 0.0, 1/lambda
	for o := range octaves {
		cs := octaveRot[o%len(octaveRot)]
		xr, yr := x*cs[0]-y*cs[1], x*cs[1]+y*cs[0]
		n += amp * gradNoise(seed+uint64(o)*0x51, xr*f+float64(o)*17.3, yr*f-float64(o)*9.1)
		norm += amp
		amp *= 0.5
		f *= 2.03
	}
	return n / norm
}

type terrain struct {
	seed  uint64
	water *waterIndex
}

// hills returns the uncarved landscape at local metres (x, y): a gentle
// regional trend, rolling hills, and here and there a sharp ridge.
func (t *terrain) hills(x, y float64) float64 {
	regional := fbm(t.seed+0x11, x, y, 40000, 2)
	rolling := fbm(t.seed, x, y, 5000, 5) // finest octave about 300 m: the DEM has 92 m cells
	ridge := 1 - math.Abs(fbm(t.seed+0x99, x, y, 7000, 3))
	ridge = ridge * ridge * ridge * ridge
	mask := fbm(t.seed+0x77, x, y, 20000, 2)
	mask = clamp((mask+0.05)/0.4, 0, 1)
	return 330 + 90*regional + 190*rolling + 330*ridge*mask
}

// height returns the carved, clamped elevation in metres.
func (t *terrain) height(x, y float64) float64 {
	h := t.hills(x, y)
	if t.water != nil {
		h = t.water.carve(x, y, h)
	}
	return math.Max(minElev, math.Min(maxElev, h))
}

// slope returns the terrain gradient magnitude (rise over run) at (x, y).
func (t *terrain) slope(x, y float64) float64 {
	const d = 60.0
	dx := (t.height(x+d, y) - t.height(x-d, y)) / (2 * d)
	dy := (t.height(x, y+d) - t.height(x, y-d)) / (2 * d)
	return math.Hypot(dx, dy)
}

// waterSeg is one segment of a waterway with what carving needs.
type waterSeg struct {
	a, b       orb.Point // local metres
	bedA, bedB float64   // bed elevation at a and b
	channel    float64   // half width of the channel (m)
	valley     float64   // half width of the carved valley (m)
	way        int32     // index in world.waterways
	seg        int32     // segment index within that way (a = point seg)
}

// waterIndex is a bucket grid of waterway segments. Only lookups touch the
// map, never iteration, so it leaks no order.
type waterIndex struct {
	cell    float64
	segs    []waterSeg
	buckets map[[2]int32][]int32
	stamp   []uint32 // per segment: last query that saw it (dedupe across buckets)
	query   uint32
}

func newWaterIndex(cell float64) *waterIndex {
	return &waterIndex{cell: cell, buckets: make(map[[2]int32][]int32)}
}

func (wi *waterIndex) key(x, y float64) [2]int32 {
	return [2]int32{int32(math.Floor(x / wi.cell)), int32(math.Floor(y / wi.cell))}
}

func (wi *waterIndex) add(s waterSeg) {
	id := int32(len(wi.segs))
	wi.segs = append(wi.segs, s)
	wi.stamp = append(wi.stamp, 0)
	r := s.valley
	lo := wi.key(math.Min(s.a[0], s.b[0])-r, math.Min(s.a[1], s.b[1])-r)
	hi := wi.key(math.Max(s.a[0], s.b[0])+r, math.Max(s.a[1], s.b[1])+r)
	for i := lo[0]; i <= hi[0]; i++ {
		for j := lo[1]; j <= hi[1]; j++ {
			k := [2]int32{i, j}
			wi.buckets[k] = append(wi.buckets[k], id)
		}
	}
}

// project returns the parameter t in [0, 1] of the point of segment ab
// nearest to p, and the distance to it.
func project(a, b, p orb.Point) (t, d float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 > 0 {
		t = ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
		t = math.Max(0, math.Min(1, t))
	}
	qx, qy := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return t, math.Sqrt(qx*qx + qy*qy)
}

// carve lowers h into every valley whose segment is near (x, y).
func (wi *waterIndex) carve(x, y, h float64) float64 {
	for _, id := range wi.buckets[wi.key(x, y)] {
		s := &wi.segs[id]
		// project, inlined with a squared-distance early out: this loop
		// runs for every DEM cell near water.
		dx, dy := s.b[0]-s.a[0], s.b[1]-s.a[1]
		px, py := x-s.a[0], y-s.a[1]
		t := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			t = (px*dx + py*dy) / l2
			if t < 0 {
				t = 0
			} else if t > 1 {
				t = 1
			}
		}
		qx, qy := px-t*dx, py-t*dy
		d2 := qx*qx + qy*qy
		if d2 >= s.valley*s.valley {
			continue
		}
		d := math.Sqrt(d2)
		bed := s.bedA + t*(s.bedB-s.bedA)
		if d <= s.channel {
			h = math.Min(h, bed-1.5)
			continue
		}
		if h <= bed {
			continue
		}
		// A floodplain over the first tenth, then smoothstep sides: their
		// slope peaks mid-valley and eases into the hills.
		k := clamp(((d-s.channel)/(s.valley-s.channel)-0.1)/0.9, 0, 1)
		k = k * k * (3 - 2*k)
		h = math.Min(h, bed+(h-bed)*k)
	}
	return h
}

// near reports whether p lies within r metres of a waterway segment (its
// channel edge, not its centre line, when channel is true), ignoring
// segments of way skip (-1 for none).
func (wi *waterIndex) near(p orb.Point, r float64, channel bool, skip int32) bool {
	lo := wi.key(p[0]-r, p[1]-r)
	hi := wi.key(p[0]+r, p[1]+r)
	for i := lo[0]; i <= hi[0]; i++ {
		for j := lo[1]; j <= hi[1]; j++ {
			for _, id := range wi.buckets[[2]int32{i, j}] {
				s := &wi.segs[id]
				if s.way == skip {
					continue
				}
				_, d := project(s.a, s.b, p)
				if channel {
					d -= s.channel
				}
				if d < r {
					return true
				}
			}
		}
	}
	return false
}

// crossing is where a path segment crosses a waterway segment.
type crossing struct {
	s   float64 // arc length along the path (m)
	p   orb.Point
	seg int32 // index in waterIndex.segs
	u   float64
}

// crossings appends to dst every crossing of the path segment pq (starting
// at arc length s0 along its path) with a waterway segment.
func (wi *waterIndex) crossings(dst []crossing, p, q orb.Point, s0 float64) []crossing {
	wi.query++
	if wi.query == 0 { // wrapped: reset the stamps
		clear(wi.stamp)
		wi.query = 1
	}
	lo := wi.key(math.Min(p[0], q[0]), math.Min(p[1], q[1]))
	hi := wi.key(math.Max(p[0], q[0]), math.Max(p[1], q[1]))
	for i := lo[0]; i <= hi[0]; i++ {
		for j := lo[1]; j <= hi[1]; j++ {
			for _, id := range wi.buckets[[2]int32{i, j}] {
				if wi.stamp[id] == wi.query {
					continue
				}
				wi.stamp[id] = wi.query
				s := &wi.segs[id]
				if t, u, ok := intersect(p, q, s.a, s.b); ok {
					x := orb.Point{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}
					dst = append(dst, crossing{s: s0 + t*dist(p, q), p: x, seg: id, u: u})
				}
			}
		}
	}
	return dst
}

// intersect returns the parameters of the proper intersection of segments
// ab and cd.
func intersect(a, b, c, d orb.Point) (t, u float64, ok bool) {
	rx, ry := b[0]-a[0], b[1]-a[1]
	sx, sy := d[0]-c[0], d[1]-c[1]
	den := rx*sy - ry*sx
	if math.Abs(den) < 1e-12 {
		return 0, 0, false
	}
	qx, qy := c[0]-a[0], c[1]-a[1]
	t = (qx*sy - qy*sx) / den
	u = (qx*ry - qy*rx) / den
	if t < 0 || t > 1 || u < 0 || u > 1 {
		return 0, 0, false
	}
	return t, u, true
}

func dist(a, b orb.Point) float64 { return math.Hypot(b[0]-a[0], b[1]-a[1]) }
