package routing

import (
	"math"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// edgeView is one edge's stored data: its densified geometry with an
// elevation per vertex, its speed factor and its water crossings. Every
// cost, full or partial, is computed from it by walk, so the stored weights
// and the costs of snapped points agree.
type edgeView struct {
	pts     []orb.Point
	z       []float32 // metres; NaN where the DEM has no value
	factor  float64   // class × surface × sac_scale
	crossAt []float32 // metres from the first vertex
	crossMs []uint32  // time added at that crossing, both directions
}

// legStats is what walking part of an edge costs.
type legStats struct {
	sec, m, asc, desc float64
}

func (l *legStats) add(o legStats) {
	l.sec += o.sec
	l.m += o.m
	l.asc += o.asc
	l.desc += o.desc
}

// segTime returns the seconds to walk horizontal length m with rise dz
// (signed, in the direction of travel) over horizontal run run at the
// given speed factor.
func segTime(m, dz, run, factor float64) float64 {
	s := 0.0
	if run > 0 && !math.IsNaN(dz) {
		s = dz / run
	}
	return m * 3.6 / (Tobler(s) * factor)
}

// walk returns the cost of walking the edge from a to b (metres from the
// first vertex; a > b walks backwards). When out is not nil the walked
// points (from a to b, both ends included) are appended to it.
func (v edgeView) walk(a, b float64, out *[]orb.Point) legStats {
	var st legStats
	fwd := a <= b
	lo, hi := a, b
	if !fwd {
		lo, hi = b, a
	}
	var pts []orb.Point
	if out != nil {
		pts = make([]orb.Point, 0, 8)
	}
	var s0 float64
	for k := 0; k+1 < len(v.pts); k++ {
		seg := float64(geo.Distance(v.pts[k], v.pts[k+1]))
		s1 := s0 + seg
		if s1 < lo || seg == 0 {
			s0 = s1
			continue
		}
		if s0 > hi {
			break
		}
		x0, x1 := math.Max(lo, s0), math.Min(hi, s1)
		if out != nil {
			if len(pts) == 0 {
				pts = append(pts, geo.Lerp(v.pts[k], v.pts[k+1], (x0-s0)/seg))
			}
			pts = append(pts, geo.Lerp(v.pts[k], v.pts[k+1], (x1-s0)/seg))
		}
		if x1 > x0 {
			frac := (x1 - x0) / seg
			dz := float64(v.z[k+1]) - float64(v.z[k])
			if math.IsNaN(dz) {
				dz = 0
			}
			if !fwd {
				dz = -dz
			}
			st.sec += segTime(x1-x0, dz, seg, v.factor)
			st.m += x1 - x0
			if dz > 0 {
				st.asc += dz * frac
			} else {
				st.desc -= dz * frac
			}
		}
		s0 = s1
	}
	for i, at := range v.crossAt {
		if p := float64(at); p >= lo && p <= hi {
			st.sec += float64(v.crossMs[i]) / 1000
		}
	}
	if out != nil {
		if len(pts) == 0 && len(v.pts) > 0 {
			pts = append(pts, v.pts[0])
		}
		if !fwd {
			for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
				pts[i], pts[j] = pts[j], pts[i]
			}
		}
		*out = append(*out, pts...)
	}
	return st
}

// splitSec returns in one pass over the edge what two walks would: with
// arrive, the seconds of walk(0, at) and walk(edgeEnd, at) (reaching the
// point at from either end, as a snapped target does); without, those of
// walk(at, 0) and walk(at, edgeEnd) (leaving it, as a source does). The
// sums run in the same order as walk's, so the results are the same to
// the bit. Every snapped point needs both; one pass halves the great
// circle distances, which dominate.
func (v edgeView) splitSec(at float64, arrive bool) (head, tail float64) {
	var s0 float64
	for k := 0; k+1 < len(v.pts); k++ {
		seg := float64(geo.Distance(v.pts[k], v.pts[k+1]))
		s1 := s0 + seg
		if seg == 0 {
			s0 = s1
			continue
		}
		dz := float64(v.z[k+1]) - float64(v.z[k])
		if math.IsNaN(dz) {
			dz = 0
		}
		if s0 <= at { // within [0, at], walked forwards when arriving
			if x0, x1 := math.Max(0, s0), math.Min(at, s1); x1 > x0 {
				d := dz
				if !arrive {
					d = -dz
				}
				head += segTime(x1-x0, d, seg, v.factor)
			}
		}
		if s1 >= at { // within [at, edgeEnd], walked backwards when arriving
			if x0, x1 := math.Max(at, s0), math.Min(edgeEnd, s1); x1 > x0 {
				d := dz
				if arrive {
					d = -dz
				}
				tail += segTime(x1-x0, d, seg, v.factor)
			}
		}
		s0 = s1
	}
	for i, c := range v.crossAt {
		p := float64(c)
		if p >= 0 && p <= at {
			head += float64(v.crossMs[i]) / 1000
		}
		if p >= at && p <= edgeEnd {
			tail += float64(v.crossMs[i]) / 1000
		}
	}
	return head, tail
}

// msOf rounds seconds to whole milliseconds, saturating below the uint32
// limit (49 days of walking: far beyond any real edge).
func msOf(sec float64) uint32 {
	ms := math.Round(sec * 1000)
	if ms < 0 || math.IsNaN(ms) {
		return 0
	}
	if ms > math.MaxUint32/4 {
		return math.MaxUint32 / 4
	}
	return uint32(ms)
}
