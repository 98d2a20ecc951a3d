package routing_test

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/lastmile-health/lastmile/routing"
	"github.com/paulmach/orb"
)

// andorra builds (once per test binary) the Andorra graph from the PBF and
// the SRTM tile.
var andorra struct {
	once sync.Once
	g    *routing.Graph
	rep  *routing.BuildReport
	net  *osmnet.Network
	elev *dem.Mosaic
	err  error
}

func andorraGraph(tb testing.TB) (*routing.Graph, *routing.BuildReport) {
	tb.Helper()
	pbf := shareddata.Path(tb, "andorra/andorra.osm.pbf")
	hgt := shareddata.Path(tb, "andorra/N42E001.hgt.zip")
	andorra.once.Do(func() {
		ctx := context.Background()
		andorra.net, andorra.err = osmnet.Read(ctx, pbf, nil)
		if andorra.err != nil {
			return
		}
		andorra.elev, andorra.err = dem.Open(hgt)
		if andorra.err != nil {
			return
		}
		andorra.g, andorra.rep, andorra.err = routing.Build(ctx, andorra.net, andorra.elev, routing.DefaultProfile(), nil)
	})
	if andorra.err != nil {
		tb.Fatalf("andorra: %v", andorra.err)
	}
	return andorra.g, andorra.rep
}

func TestAndorraBuild(t *testing.T) {
	g, rep := andorraGraph(t)
	t.Logf("andorra: %d nodes, %d edges, %d components (largest %d nodes), %.1f km, %.2f %% without elevation, crossings %+v",
		rep.Nodes, rep.Edges, rep.Components, rep.LargestComponent, rep.Km, rep.PercentNoElevation, rep.Crossings)
	for _, p := range rep.Phases {
		t.Logf("  %-24s %.3f s", p.Name, p.Seconds)
	}
	if rep.Nodes < 1000 || rep.Edges < 1000 || rep.Km < 500 {
		t.Errorf("graph too small: %d nodes, %d edges, %.0f km", rep.Nodes, rep.Edges, rep.Km)
	}
	// The tile covers 42–43° N and the network 42.35–42.69° N.
	if rep.PercentNoElevation < 0 || rep.PercentNoElevation > 1 {
		t.Errorf("share without elevation = %.2f %%, want under 1 %%", rep.PercentNoElevation)
	}
	if rep.LargestComponent < rep.Nodes/2 {
		t.Errorf("largest component %d of %d nodes", rep.LargestComponent, rep.Nodes)
	}
	if g.Nodes() != rep.Nodes || g.Edges() != rep.Edges {
		t.Errorf("report %d/%d disagrees with graph %d/%d", rep.Nodes, rep.Edges, g.Nodes(), g.Edges())
	}
}

func TestAndorraPBFEqualsXML(t *testing.T) {
	g, _ := andorraGraph(t)
	xml := shareddata.Path(t, "andorra/andorra.osm.gz")
	if testing.Short() {
		t.Skip("reads the XML extract: skipped in -short")
	}
	net, err := osmnet.Read(context.Background(), xml, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The two extracts are not quite the same data: the XML lacks three
	// ways the PBF has (path 128167681, streams 223434313 and 223434316;
	// 2,722 <way> elements against the README's 2,725). Compare the
	// graphs of what both files hold; the check still covers coordinates,
	// tags, junctions and crossings of everything else.
	pbfNet, xmlNet := common(andorra.net, net)
	t.Logf("PBF-only: %d ways, %d waterways, %d water areas; XML-only: %d, %d, %d",
		len(andorra.net.Ways)-len(pbfNet.Ways), len(andorra.net.Waterways)-len(pbfNet.Waterways), len(andorra.net.WaterAreas)-len(pbfNet.WaterAreas),
		len(net.Ways)-len(xmlNet.Ways), len(net.Waterways)-len(xmlNet.Waterways), len(net.WaterAreas)-len(xmlNet.WaterAreas))
	if d := len(andorra.net.Ways) - len(pbfNet.Ways); d > 5 {
		t.Errorf("%d PBF ways missing from the XML, want at most a few", d)
	}
	opts := &routing.BuildOptions{NoHierarchy: true}
	g1, _, err := routing.Build(context.Background(), pbfNet, andorra.elev, routing.DefaultProfile(), opts)
	if err != nil {
		t.Fatal(err)
	}
	g2, _, err := routing.Build(context.Background(), xmlNet, andorra.elev, routing.DefaultProfile(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if g1.Edges() < g.Edges()*9/10 {
		t.Errorf("common graph has %d edges of %d", g1.Edges(), g.Edges())
	}
	if a, b := g1.Hash(), g2.Hash(); a != b {
		t.Errorf("graph from PBF hash %s, from XML %s (%d/%d vs %d/%d nodes/edges)", a, b, g1.Nodes(), g1.Edges(), g2.Nodes(), g2.Edges())
	}
}

// common returns copies of a and b holding only the ways, waterways and
// water areas whose IDs both have (nodes are kept: the graph uses only
// the ones its ways reference).
func common(a, b *osmnet.Network) (*osmnet.Network, *osmnet.Network) {
	type key struct {
		kind int
		id   int64
	}
	count := map[key]int{}
	for _, n := range []*osmnet.Network{a, b} {
		for _, w := range n.Ways {
			count[key{0, w.ID}]++
		}
		for _, w := range n.Waterways {
			count[key{1, w.ID}]++
		}
		for _, w := range n.WaterAreas {
			count[key{2, w.ID}]++
		}
	}
	filter := func(n *osmnet.Network) *osmnet.Network {
		out := &osmnet.Network{Nodes: n.Nodes, Bound: n.Bound}
		for _, w := range n.Ways {
			if count[key{0, w.ID}] == 2 {
				out.Ways = append(out.Ways, w)
			}
		}
		for _, w := range n.Waterways {
			if count[key{1, w.ID}] == 2 {
				out.Waterways = append(out.Waterways, w)
			}
		}
		for _, w := range n.WaterAreas {
			if count[key{2, w.ID}] == 2 {
				out.WaterAreas = append(out.WaterAreas, w)
			}
		}
		return out
	}
	return filter(a), filter(b)
}

func TestAndorraWalk(t *testing.T) {
	g, _ := andorraGraph(t)
	// Andorra la Vella (Plaça del Poble, ~1,020 m) to Escaldes-Engordany
	// (~1,050 m): about 1.5 km along the Valira valley.
	from, to := orb.Point{1.5219, 42.5063}, orb.Point{1.5347, 42.5096}
	r, err := g.Walk(from, to)
	if err != nil {
		t.Fatal(err)
	}
	straight := float64(geo.Distance(from, to))
	t.Logf("Andorra la Vella → Escaldes: %.0f m (straight %.0f m), %.1f min, +%.0f/−%.0f m",
		r.Meters, straight, r.Seconds.Minutes(), r.Ascent, r.Descent)
	if float64(r.Meters) < straight || float64(r.Meters) > 2.5*straight {
		t.Errorf("route %.0f m for %.0f m straight", r.Meters, straight)
	}
	// Tobler bounds: never faster than 6 km/h; on gentle valley streets
	// no slower than 2 km/h.
	lo, hi := float64(r.Meters)*3.6/6, float64(r.Meters)*3.6/2
	if s := float64(r.Seconds); s < lo || s > hi {
		t.Errorf("%.0f s for %.0f m, want between %.0f and %.0f", s, r.Meters, lo, hi)
	}
	// Up the valley is slower than down it.
	back, err := g.Walk(to, from)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(back.Meters-r.Meters)) > 0.2*float64(r.Meters) {
		t.Logf("return route differs: %.0f m vs %.0f m", back.Meters, r.Meters)
	}
	// A point in the middle of a far valley, 3 km from any path? Use the
	// lake of Engolasters' area-free summit instead: Pic de Coma Pedrosa.
	if _, err := g.Walk(from, orb.Point{1.4436, 42.5917}); err != nil && !errors.Is(err, routing.ErrTooFar) && !errors.Is(err, routing.ErrNoRoute) {
		t.Errorf("walk to a summit: %v", err)
	}
}
