package demo

import (
	"math"

	"github.com/paulmach/orb"
)

// Building outlines, as volunteers map them from imagery (HOT tasks): in
// about MappedShare of the settlements (fewer at national scale, at most
// about MaxMappedBuildings outlines), every house of the settlement gets
// an outline of 5–10 m a side around its true site, except SkippedShare of
// them (under trees), and the settlement gets UnregisteredShare as many
// more structures that no household registered (an empty house, a
// household the enumerators missed), each at least UnregisteredGap from
// every house site, so that coverage's honest denominator (a structure
// with no household within 30 m) finds them.
const (
	MappedShare        = 0.3
	MaxMappedBuildings = 60_000
	SkippedShare       = 0.05
	UnregisteredShare  = 0.12
	UnregisteredGap    = 45.0 // m
)

// building is one outline, four corners in local metres.
type building struct {
	corners      [4]orb.Point
	unregistered bool
}

// genBuildings draws the outlines of the mapped settlements.
func (w *world) genBuildings() []building {
	r := w.rng(streamBuildings)
	share := math.Min(MappedShare, float64(MaxMappedBuildings)/float64(max(1, len(w.sites))))
	var out []building
	box := func(p orb.Point, unregistered bool) {
		a := r.Float64() * math.Pi
		hw, hh := 2.5+r.Float64()*2.5, 2.5+r.Float64()*2.5
		c, s := math.Cos(a), math.Sin(a)
		var b building
		for k, d := range [4][2]float64{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}} {
			b.corners[k] = orb.Point{p[0] + d[0]*c - d[1]*s, p[1] + d[0]*s + d[1]*c}
		}
		b.unregistered = unregistered
		out = append(out, b)
	}
	for si := range w.settlements {
		if r.Float64() >= share {
			continue
		}
		sites := w.sites[w.siteStart[si]:w.siteStart[si+1]]
		for _, p := range sites {
			if r.Float64() < SkippedShare {
				continue
			}
			// Mappers trace the roof: its centre within 2 m of the site.
			box(orb.Point{p[0] + r.NormFloat64(), p[1] + r.NormFloat64()}, false)
		}
		extra := int(math.Round(UnregisteredShare * float64(len(sites))))
		for range extra {
			for try := 0; try < 10; try++ {
				p, _ := w.homeSite(r, &w.settlements[si])
				if !tooClose(sites, p, UnregisteredGap) {
					box(p, true)
					break
				}
			}
		}
	}
	return out
}
