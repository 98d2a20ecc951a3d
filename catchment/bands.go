package catchment

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
)

// Bands are the upper limits of walking-time bands, ascending. Band 0
// holds the times from 0 to Bands[0] inclusive, band b the times above
// Bands[b-1] up to Bands[b] inclusive, as the flags count a walk of
// exactly a limit as within it; times are compared in whole milliseconds,
// the routing engine's unit.
type Bands []geo.Seconds

// DefaultBands are 15, 30, 60 and 120 minutes.
func DefaultBands() Bands { return Bands{15 * 60, 30 * 60, 60 * 60, 120 * 60} }

// Of returns the band of walking time t, or -1 beyond the last limit.
func (b Bands) Of(t geo.Seconds) int {
	for i, lim := range b {
		if !beyond(t, lim) {
			return i
		}
	}
	return -1
}

// Min returns band i's lower limit in minutes (0 for band 0).
func (b Bands) Min(i int) float64 {
	if i == 0 {
		return 0
	}
	return b[i-1].Minutes()
}

// Max returns band i's upper limit in minutes.
func (b Bands) Max(i int) float64 { return b[i].Minutes() }

// Valid reports whether the limits are positive, finite and ascending.
func (b Bands) Valid() bool {
	for i, l := range b {
		if !(l > 0) || math.IsInf(float64(l), 0) || (i > 0 && !(l > b[i-1])) {
			return false
		}
	}
	return len(b) > 0
}

// BandAreas returns, per band, the union of the Voronoi cells of the
// sample sites in it: band[i] is site i's band (-1: beyond every band,
// left out). The cells tile the clip area, so the bands never overlap,
// and a site lies in the area of its own band: a household that is a
// site lies in the band of its own walking time (a duplicate site shares
// its owner's cell; give it the owner's band). This is the travel-time
// surface of the sites sampled by nearest neighbour, contoured exactly.
// Planar coordinates, as the diagram's. cells is a Dissolver of the
// diagram's cells (geo.NewDissolver(v.Cells)), made once for the bands of
// every season and source.
func BandAreas(cells *geo.Dissolver, band []int, n int) []orb.MultiPolygon {
	return cells.Dissolve(band, n)
}
