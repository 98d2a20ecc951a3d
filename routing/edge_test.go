package routing

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// TestSplitSecMatchesWalk checks splitSec against the two walks it stands
// for, to the bit, on random edges with hills, missing elevations,
// repeated vertices and crossings, split at vertices, at crossings, at
// the ends and between.
func TestSplitSecMatchesWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 300 {
		n := 2 + rng.IntN(12)
		v := edgeView{factor: 0.5 + rng.Float64()}
		p := orb.Point{-9.5, 7.0}
		for i := range n {
			if i > 0 && rng.IntN(6) > 0 { // else a repeated vertex
				p = orb.Point{p[0] + (rng.Float64()-0.5)*0.002, p[1] + (rng.Float64()-0.5)*0.002}
			}
			v.pts = append(v.pts, p)
			z := float32(100 + rng.Float64()*50)
			if rng.IntN(8) == 0 {
				z = float32(math.NaN())
			}
			v.z = append(v.z, z)
		}
		var length float64
		var cum []float64
		for k := 0; k+1 < n; k++ {
			cum = append(cum, length)
			length += float64(geo.Distance(v.pts[k], v.pts[k+1]))
		}
		cum = append(cum, length)
		for range rng.IntN(3) {
			v.crossAt = append(v.crossAt, float32(rng.Float64()*length))
			v.crossMs = append(v.crossMs, uint32(rng.IntN(600_000)))
		}
		ats := []float64{0, length, rng.Float64() * length, cum[rng.IntN(len(cum))]}
		if len(v.crossAt) > 0 {
			ats = append(ats, float64(v.crossAt[0]))
		}
		for _, at := range ats {
			h, tl := v.splitSec(at, true)
			if wh, wt := v.walk(0, at, nil).sec, v.walk(edgeEnd, at, nil).sec; h != wh || tl != wt {
				t.Fatalf("trial %d, arriving at %v: splitSec = %v, %v; walks = %v, %v", trial, at, h, tl, wh, wt)
			}
			h, tl = v.splitSec(at, false)
			if wh, wt := v.walk(at, 0, nil).sec, v.walk(at, edgeEnd, nil).sec; h != wh || tl != wt {
				t.Fatalf("trial %d, leaving %v: splitSec = %v, %v; walks = %v, %v", trial, at, h, tl, wh, wt)
			}
		}
	}
}
