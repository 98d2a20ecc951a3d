package routing

import (
	"context"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/paulmach/orb"
)

// Build makes the walking graph of net. Edges are the pieces of ways
// between junctions (nodes shared by two ways, way ends, and the ends of
// removed segments); each is densified to prof.DensifyStep and given a
// from→to and a to→from walking time from Tobler's function on the DEM
// slope, the way's factors and its water crossings. elev nil means flat
// (with a warning in the report). The graph keeps elev for the off-path
// legs of snapped points (see SetElevation). Ways with foot=no are skipped.
//
// net may be nil with opts.Terrain set: the graph is then the terrain
// alone. Build does not modify net. It is deterministic: the same inputs give the
// same graph for any opts.Workers. Cancelling ctx stops it with ctx.Err().
func Build(ctx context.Context, net *osmnet.Network, elev dem.Model, prof Profile, opts *BuildOptions) (*Graph, *BuildReport, error) {
	in := inputFromOSM(net)
	var m elevModel
	if elev != nil {
		m = elev
	}
	return buildGraph(ctx, in, m, prof, opts)
}

func inputFromOSM(net *osmnet.Network) *netInput {
	if net == nil {
		// Terrain alone: no path, no mapped water.
		return &netInput{}
	}
	in := &netInput{
		Pts:      make([]orb.Point, len(net.Nodes)),
		NodeID:   make([]int64, len(net.Nodes)),
		Ford:     make([]bool, len(net.Nodes)),
		Ways:     make([]wayInput, 0, len(net.Ways)),
		Warnings: net.Warnings,
	}
	for i, n := range net.Nodes {
		in.Pts[i], in.NodeID[i], in.Ford[i] = n.Point, n.ID, n.Ford
	}
	for _, w := range net.Ways {
		in.Ways = append(in.Ways, wayInput{
			ID: w.ID, Nodes: w.Nodes, Highway: w.Highway, Surface: w.Surface, SAC: w.SAC,
			Bridge: w.Bridge, Ford: w.Ford, Tunnel: w.Tunnel, FootNo: w.Foot == "no",
		})
	}
	for _, w := range net.Waterways {
		pts := make([]orb.Point, 0, len(w.Nodes))
		for _, n := range w.Nodes {
			if n >= 0 && int(n) < len(net.Nodes) {
				pts = append(pts, net.Nodes[n].Point)
			}
		}
		in.Waters = append(in.Waters, waterInput{ID: w.ID, Kind: w.Kind, Width: w.Width, Pts: pts})
	}
	for _, a := range net.WaterAreas {
		in.Areas = append(in.Areas, areaInput{ID: a.ID, Poly: a.Polygon})
	}
	return in
}
