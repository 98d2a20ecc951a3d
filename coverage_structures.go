package lastmile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/parallel"
)

// UnregisteredDistance is how near a registered household must be for a
// mapped building to count as registered: GPS fixes of ordinary phones
// are good to about 10 m under trees, and a compound's houses stand a
// few metres apart.
const UnregisteredDistance = geo.Meters(30)

// StructureSummary is the honest denominator: the mapped buildings, and
// those no household registered, per CHW catchment.
type StructureSummary struct {
	File string
	// Buildings are the outlines read; InArea those inside the study
	// area, and Unregistered those of them with no registered household
	// within UnregisteredDistance.
	Buildings, InArea, Unregistered int
	// ByCHW counts the unregistered structures per catchment ("" none).
	ByCHW map[district.CHWID]int
}

// unregisteredStructures reads the building outlines of an OSM file and
// returns those inside the study area with no registered household within
// UnregisteredDistance, with the CHW whose catchment holds them.
func (d *District) unregisteredStructures(ctx context.Context, file string, in *coverageInput) ([]district.Structure, *StructureSummary, error) {
	net, err := osmnet.Read(ctx, file, &osmnet.Options{Buildings: true})
	if err != nil {
		return nil, nil, fmt.Errorf("--buildings: %w", err)
	}
	sum := &StructureSummary{File: file, Buildings: len(net.Buildings), ByCHW: map[district.CHWID]int{}}
	var catchments []district.Catchment
	err = d.read(func(db *gpkg.DB) error {
		for c, err := range district.ReadCatchments(db) {
			if errors.Is(err, district.ErrNoLayer) {
				return nil // no catchments yet: structures belong to none
			}
			if err != nil {
				return err
			}
			catchments = append(catchments, c)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(catchments, func(a, b district.Catchment) int { return cmp.Compare(a.CHW, b.CHW) })
	idx := make([]*geo.PolygonIndex, len(catchments))
	for i, c := range catchments {
		idx[i] = geo.NewPolygonIndex(c.Area)
	}

	loc := localOf(in)
	var hh rtree.RTreeG[int]
	for i, h := range in.hh {
		q := loc.Forward(h.Point)
		hh.Insert(q, q, i)
	}
	type result struct {
		keep    bool
		nearest float64
		chw     district.CHWID
	}
	res := make([]result, len(net.Buildings))
	err = parallel.For(ctx, 0, len(net.Buildings), func(k int) {
		b := net.Buildings[k]
		ring := make([]orb.Point, len(b.Ring))
		var bb orb.Bound
		for i, p := range b.Ring {
			ring[i] = loc.Forward(p)
			if i == 0 {
				bb = orb.Bound{Min: ring[i], Max: ring[i]}
			}
			bb = bb.Extend(ring[i])
		}
		centre, _ := geo.PointOnSurface(orb.MultiPolygon{{b.Ring}})
		if in.area != nil && !in.area.Contains(centre) {
			return
		}
		res[k].keep = true
		// The nearest household: the first whose distance to the outline
		// is at most the box distance of the next candidate.
		best := math.Inf(1)
		hh.Nearby(rtree.BoxDist[float64, int](bb.Min, bb.Max, nil), func(_, _ [2]float64, i int, d2 float64) bool {
			if math.Sqrt(d2) > best {
				return false
			}
			best = math.Min(best, distanceToRing(loc.Forward(in.hh[i].Point), ring))
			return true
		})
		res[k].nearest = best
		for i := range catchments {
			if idx[i].Contains(centre) {
				res[k].chw = catchments[i].CHW
				break
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	var out []district.Structure
	for k, r := range res {
		if !r.keep {
			continue
		}
		sum.InArea++
		if r.nearest <= float64(UnregisteredDistance) {
			continue
		}
		sum.Unregistered++
		sum.ByCHW[r.chw]++
		out = append(out, district.Structure{OSMID: net.Buildings[k].ID, Outline: orb.Polygon{net.Buildings[k].Ring},
			CHW: r.chw, NearestHousehold: geo.Meters(r.nearest)})
	}
	return out, sum, nil
}

// distanceToRing is the planar distance from p to the polygon bounded by
// ring (closed): 0 inside.
func distanceToRing(p orb.Point, ring []orb.Point) float64 {
	inside := false
	best := math.Inf(1)
	for i := 1; i < len(ring); i++ {
		a, b := ring[i-1], ring[i]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			inside = !inside
		}
		_, d2 := geo.ProjectToSegment(p, a, b)
		best = math.Min(best, d2)
	}
	if inside {
		return 0
	}
	return math.Sqrt(best)
}
