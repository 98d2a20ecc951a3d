package routing

import (
	"math"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// Crossing is how an edge crosses water. An edge that crosses several
// waterways records the costliest kind (Penalty over Ford over Bridge).
type Crossing uint8

// Crossing kinds.
const (
	CrossNone    Crossing = iota // no waterway crossed
	CrossBridge                  // crossed on a bridge (or through a tunnel): no cost
	CrossFord                    // crossed at a ford: Profile.FordMinutes
	CrossPenalty                 // waded with no bridge or ford: Profile.CrossingMinutes
)

// String returns "", "bridge", "ford" or "penalty" (the paths layer's
// crossing column; "" is stored as NULL).
func (c Crossing) String() string {
	switch c {
	case CrossBridge:
		return "bridge"
	case CrossFord:
		return "ford"
	case CrossPenalty:
		return "penalty"
	}
	return ""
}

// waterInput is one waterway line in the build's input.
type waterInput struct {
	ID    int64
	Kind  string
	Width float64 // metres, 0 = unknown
	Pts   []orb.Point
	// Derived marks a stream or river derived from the DEM (routing/hydro):
	// AreaKm2 is its contributing area and Order its Strahler order.
	Derived bool
	AreaKm2 float64
	Order   int
}

// areaInput is one water area (natural=water, waterway=riverbank).
type areaInput struct {
	ID   int64
	Poly orb.MultiPolygon
}

// waterIndex answers "what water does this path segment cross" in local
// metres. It is read-only after newWaterIndex, so safe for concurrent use.
type waterIndex struct {
	prof    *Profile
	proj    projector
	segs    rtree.RTreeG[int32] // index into segA/segB/segWay
	segA    []orb.Point
	segB    []orb.Point
	segWay  []int32
	kind    []string
	width   []float64 // effective width (tag or profile default)
	derived []bool    // derived from the DEM
	areaKm2 []float64 // contributing area of derived water
	areas   rtree.RTreeG[int32]
	polys   []orb.MultiPolygon // local metres
	fords   rtree.RTreeG[int32]
	fordPts []orb.Point
	bridges rtree.RTreeG[int32] // segments of bridge and tunnel ways
	brA     []orb.Point
	brB     []orb.Point
}

// projector maps lon/lat to local metres.
type projector interface{ Forward(orb.Point) orb.Point }

// forwardMultiPolygon returns mp (lon/lat) in local metres, as a new
// multipolygon with the same polygons and rings.
func forwardMultiPolygon(proj projector, mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, poly := range mp {
		lp := make(orb.Polygon, 0, len(poly))
		for _, ring := range poly {
			lr := make(orb.Ring, len(ring))
			for k, p := range ring {
				lr[k] = proj.Forward(p)
			}
			lp = append(lp, lr)
		}
		out = append(out, lp)
	}
	return out
}

func newWaterIndex(prof *Profile, proj projector, ways []waterInput, areas []areaInput, fords []orb.Point, bridges [][]orb.Point) *waterIndex {
	w := &waterIndex{prof: prof, proj: proj}
	for i, ww := range ways {
		w.kind = append(w.kind, ww.Kind)
		w.derived = append(w.derived, ww.Derived)
		w.areaKm2 = append(w.areaKm2, ww.AreaKm2)
		width := ww.Width
		if width <= 0 && !ww.Derived {
			width = lookupDefault(prof.DefaultWidth, ww.Kind, 0)
		}
		w.width = append(w.width, width)
		for j := 0; j+1 < len(ww.Pts); j++ {
			a, b := proj.Forward(ww.Pts[j]), proj.Forward(ww.Pts[j+1])
			id := int32(len(w.segA))
			w.segA = append(w.segA, a)
			w.segB = append(w.segB, b)
			w.segWay = append(w.segWay, int32(i))
			w.segs.Insert(minPt(a, b), maxPt(a, b), id)
		}
	}
	for _, ar := range areas {
		mp := forwardMultiPolygon(proj, ar.Poly)
		if len(mp) == 0 {
			continue
		}
		b := mp.Bound()
		w.areas.Insert(b.Min, b.Max, int32(len(w.polys)))
		w.polys = append(w.polys, mp)
	}
	for _, p := range fords {
		q := proj.Forward(p)
		w.fords.Insert(q, q, int32(len(w.fordPts)))
		w.fordPts = append(w.fordPts, q)
	}
	for _, line := range bridges {
		for j := 0; j+1 < len(line); j++ {
			a, b := proj.Forward(line[j]), proj.Forward(line[j+1])
			w.bridges.Insert(minPt(a, b), maxPt(a, b), int32(len(w.brA)))
			w.brA = append(w.brA, a)
			w.brB = append(w.brB, b)
		}
	}
	return w
}

func lookupDefault(m map[string]float64, k string, def float64) float64 {
	if v, ok := m[k]; ok {
		return v
	}
	if v, ok := m["*"]; ok {
		return v
	}
	return def
}

func minPt(a, b orb.Point) [2]float64 { return [2]float64{math.Min(a[0], b[0]), math.Min(a[1], b[1])} }
func maxPt(a, b orb.Point) [2]float64 { return [2]float64{math.Max(a[0], b[0]), math.Max(a[1], b[1])} }

// inWater reports whether the local point p lies inside a water area.
func (w *waterIndex) inWater(p orb.Point) bool {
	if len(w.polys) == 0 {
		return false
	}
	found := false
	w.areas.Search(p, p, func(_, _ [2]float64, i int32) bool {
		if planar.MultiPolygonContains(w.polys[i], p) {
			found = true
			return false
		}
		return true
	})
	return found
}

// hit is one waterway crossed by a path segment.
type hit struct {
	t     float64 // position along the path segment, 0..1
	water int32   // waterway index
	at    orb.Point
	// bridge and ford are set by the caller: the crossing is on or beside
	// a bridge, or at a ford.
	bridge, ford bool
}

// crossings appends to dst the waterways the local segment a→b crosses, one
// hit per waterway (the first along the segment), ordered by t. Touching at
// b (t = 1) is left to the next segment unless last is set, so a crossing at
// a shared node counts once.
func (w *waterIndex) crossings(dst []hit, a, b orb.Point, last bool) []hit {
	start := len(dst)
	w.segs.Search(minPt(a, b), maxPt(a, b), func(_, _ [2]float64, s int32) bool {
		t, ok := geo.SegmentIntersection(a, b, w.segA[s], w.segB[s])
		if !ok || (t >= 1-1e-9 && !last) {
			return true
		}
		ww := w.segWay[s]
		for k := start; k < len(dst); k++ {
			if dst[k].water == ww {
				if t < dst[k].t {
					dst[k].t = t
					dst[k].at = geo.Lerp(a, b, t)
				}
				return true
			}
		}
		dst = append(dst, hit{t: t, water: ww, at: geo.Lerp(a, b, t)})
		return true
	})
	// Insertion sort: a segment crosses few waterways. Ties broken by
	// waterway index so the order does not depend on the tree's layout.
	for i := start + 1; i < len(dst); i++ {
		for j := i; j > start && (dst[j].t < dst[j-1].t || (dst[j].t == dst[j-1].t && dst[j].water < dst[j-1].water)); j-- {
			dst[j], dst[j-1] = dst[j-1], dst[j]
		}
	}
	return dst
}

// fordNear reports whether a ford node lies within the profile's ford
// radius of the local point p.
func (w *waterIndex) fordNear(p orb.Point) bool {
	r := w.prof.FordRadius
	found := false
	w.fords.Search([2]float64{p[0] - r, p[1] - r}, [2]float64{p[0] + r, p[1] + r}, func(_, _ [2]float64, i int32) bool {
		q := w.fordPts[i]
		if math.Hypot(q[0]-p[0], q[1]-p[1]) <= r {
			found = true
			return false
		}
		return true
	})
	return found
}

// bridgeNear reports whether a bridge or tunnel way passes within the
// profile's bridge radius of the local point p.
func (w *waterIndex) bridgeNear(p orb.Point) bool {
	r := w.prof.BridgeRadius
	if len(w.brA) == 0 {
		return false
	}
	found := false
	w.bridges.Search([2]float64{p[0] - r, p[1] - r}, [2]float64{p[0] + r, p[1] + r}, func(_, _ [2]float64, i int32) bool {
		if _, d2 := geo.ProjectToSegment(p, w.brA[i], w.brB[i]); d2 <= r*r {
			found = true
			return false
		}
		return true
	})
	return found
}

// offPath returns what crossing the local segment a→b off the paths costs:
// the wading time in milliseconds and whether it is impossible. A waterway
// wider than Profile.MaxWadeWidth, a derived river (contributing area of at
// least Profile.DerivedBarrierKm2) and a water area are barriers: off the
// paths there is no bridge or ford (walkers cross those on the mapped paths).
// Other waterways cost Profile.CrossingMinutes of their kind, derived streams
// Profile.DerivedStreamMinutes. The segment is tested against water areas
// every 30 m. hits is scratch space, returned for reuse.
func (w *waterIndex) offPath(a, b orb.Point, hits []hit) (ms uint32, barrier bool, _ []hit) {
	if w == nil {
		return 0, false, hits
	}
	if len(w.polys) > 0 && w.segmentInWater(a, b) {
		return 0, true, hits
	}
	if len(w.segA) == 0 {
		return 0, false, hits
	}
	hits = w.crossings(hits[:0], a, b, true)
	p := w.prof
	var sec float64
	for _, h := range hits {
		switch {
		case w.derived[h.water]:
			if w.areaKm2[h.water] >= p.DerivedBarrierKm2 {
				return 0, true, hits
			}
			sec += p.DerivedStreamMinutes * 60
		case w.width[h.water] > p.MaxWadeWidth:
			return 0, true, hits
		default:
			sec += lookupDefault(p.CrossingMinutes, w.kind[h.water], 15) * 60
		}
	}
	return msOf(sec), false, hits
}

// segmentInWater reports whether the local segment a→b passes through a
// water area: its ends and points every 30 m along it are tested.
func (w *waterIndex) segmentInWater(a, b orb.Point) bool {
	found := false
	w.areas.Search(minPt(a, b), maxPt(a, b), func(_, _ [2]float64, _ int32) bool {
		found = true
		return false
	})
	if !found {
		return false
	}
	n := max(1, int(math.Ceil(math.Hypot(b[0]-a[0], b[1]-a[1])/30)))
	for k := 0; k <= n; k++ {
		if w.inWater(geo.Lerp(a, b, float64(k)/float64(n))) {
			return true
		}
	}
	return false
}
