package routing_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/dem"
	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/osmnet"
	"github.com/lastmile-health/lastmile/routing"
)

// The benchmarked outputs are checked by TestAndorraBuild, TestAndorraWalk
// and the matrix-against-Dijkstra tests.

func BenchmarkBuildAndorra(b *testing.B) {
	andorraGraph(b) // loads the network and DEM once
	b.ReportAllocs()
	var edges int
	for b.Loop() {
		_, rep, err := routing.Build(context.Background(), andorra.net, andorra.elev, routing.DefaultProfile(), nil)
		if err != nil {
			b.Fatal(err)
		}
		edges = rep.Edges
	}
	b.ReportMetric(float64(edges)*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
}

// queryPoints returns n random points within 20 m of nodes of the largest
// component.
func queryPoints(g *routing.Graph, n int, seed uint64) []orb.Point {
	r := rand.New(rand.NewPCG(seed, 5))
	var big []routing.NodeID
	for v := 0; v < g.Nodes(); v++ {
		if g.NodeComponent(routing.NodeID(v)) == 0 {
			big = append(big, routing.NodeID(v))
		}
	}
	pts := make([]orb.Point, n)
	for i := range pts {
		p := g.NodePoint(big[r.IntN(len(big))])
		pts[i] = orb.Point{p[0] + 0.00018*(r.Float64()-0.5), p[1] + 0.00018*(r.Float64()-0.5)}
	}
	return pts
}

func benchWalk(b *testing.B, g *routing.Graph) {
	pts := queryPoints(g, 2000, 1)
	g.Snap(pts[0]) // build the spatial index outside the timing
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Walk(pts[i%len(pts)], pts[(i+1)%len(pts)])
		i += 2
	}
}

func benchMatrix(b *testing.B, g *routing.Graph, n int) {
	pts := queryPoints(g, 2*n, 2)
	g.Snap(pts[0])
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Matrix(context.Background(), pts[:n], pts[n:], &routing.MatrixOptions{Workers: 2}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchLoad(b *testing.B, g *routing.Graph) {
	path := filepath.Join(b.TempDir(), "g.gpkg")
	if err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error { return g.Save(tx, nil) }); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		db, err := gpkg.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := routing.Load(db); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

func BenchmarkWalkAndorra(b *testing.B) {
	g, _ := andorraGraph(b)
	benchWalk(b, g)
}

func BenchmarkMatrix500Andorra(b *testing.B) {
	g, _ := andorraGraph(b)
	benchMatrix(b, g, 500)
}

func BenchmarkLoadAndorra(b *testing.B) {
	g, _ := andorraGraph(b)
	benchLoad(b, g)
}

// national holds the national-scale demo district (1 M households,
// about 830,000 edges), generated once per test binary.
var national struct {
	once sync.Once
	net  *osmnet.Network
	elev *dem.Mosaic
	g    *routing.Graph
	err  error
}

func nationalGraph(b *testing.B) *routing.Graph {
	b.Helper()
	if os.Getenv("LASTMILE_LONG") == "" {
		b.Skip("national-scale benchmarks generate a 1 M-household district: set LASTMILE_LONG=1")
	}
	national.once.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "lastmile-national-")
		if err != nil {
			national.err = err
			return
		}
		defer os.RemoveAll(dir)
		f, err := demo.Generate(ctx, demo.Config{Households: 1_000_000}, dir)
		if err != nil {
			national.err = err
			return
		}
		if national.net, national.err = osmnet.Read(ctx, f.Paths, nil); national.err != nil {
			return
		}
		if national.elev, national.err = dem.Open(f.DEM); national.err != nil {
			return
		}
		national.g, _, national.err = routing.Build(ctx, national.net, national.elev, routing.DefaultProfile(), nil)
	})
	if national.err != nil {
		b.Fatal(national.err)
	}
	return national.g
}

func BenchmarkBuildNational(b *testing.B) {
	nationalGraph(b)
	var edges int
	for b.Loop() {
		runtime.GC()
		_, rep, err := routing.Build(context.Background(), national.net, national.elev, routing.DefaultProfile(), nil)
		if err != nil {
			b.Fatal(err)
		}
		edges = rep.Edges
	}
	b.ReportMetric(float64(edges)*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
	b.ReportMetric(float64(edges), "edges")
}

func BenchmarkWalkNational(b *testing.B)      { benchWalk(b, nationalGraph(b)) }
func BenchmarkMatrix500National(b *testing.B) { benchMatrix(b, nationalGraph(b), 500) }
func BenchmarkLoadNational(b *testing.B)      { benchLoad(b, nationalGraph(b)) }
