package shortest_test

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

// benchSide gives the synthetic benchmark graph about 440k nodes and 1 M
// arcs (see synthGraph).
const benchSide = 323

var bench struct {
	once sync.Once
	g    *shortest.Graph
	h    *shortest.Hierarchy
}

// benchGraph builds (once per process, never cached on disk) the synthetic
// graph and its hierarchy.
func benchGraph(b *testing.B) (*shortest.Graph, *shortest.Hierarchy) {
	b.Helper()
	bench.once.Do(func() {
		bench.g = synthGraph(benchSide, 1)
		h, err := shortest.Contract(context.Background(), bench.g, nil)
		if err != nil {
			panic(err)
		}
		bench.h = h
	})
	return bench.g, bench.h
}

// benchPairs returns the same random node pairs for every query benchmark.
func benchPairs(n, k int) [][2]uint32 {
	rng := rand.New(rand.NewPCG(42, 42))
	p := make([][2]uint32, k)
	for i := range p {
		p[i] = [2]uint32{uint32(rng.IntN(n)), uint32(rng.IntN(n))}
	}
	return p
}

func BenchmarkContract(b *testing.B) {
	g := synthGraph(benchSide, 1)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	var h *shortest.Hierarchy
	for b.Loop() {
		var err error
		h, err = shortest.Contract(context.Background(), g, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(g.NumNodes()), "nodes")
	b.ReportMetric(float64(g.NumArcs()), "arcs")
	b.ReportMetric(float64(h.NumArcs()), "ch-arcs")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MiB")
	if peak, ok := peakRSS(); ok {
		b.ReportMetric(peak, "peak-rss-MiB")
	}
}

// peakRSS reads the process's peak resident set (Linux only).
func peakRSS() (float64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

func benchQuery(b *testing.B, q func(src, dst []shortest.Seed) (uint32, []uint32, bool)) {
	g, _ := benchGraph(b)
	pairs := benchPairs(g.NumNodes(), 1000)
	// Warm the scratch pool so the first query's allocation is not timed.
	q([]shortest.Seed{{Node: 0}}, []shortest.Seed{{Node: 0}})
	var times []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		i++
		start := time.Now()
		q([]shortest.Seed{{Node: p[0]}}, []shortest.Seed{{Node: p[1]}})
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "median-ns")
}

func BenchmarkQueryCH(b *testing.B) {
	_, h := benchGraph(b)
	benchQuery(b, h.Query)
}

func BenchmarkQueryDijkstra(b *testing.B) {
	g, _ := benchGraph(b)
	benchQuery(b, g.Query)
}

func matrixSeeds(n, k int, seed uint64) [][]shortest.Seed {
	rng := rand.New(rand.NewPCG(seed, 7))
	s := make([][]shortest.Seed, k)
	for i := range s {
		s[i] = []shortest.Seed{{Node: uint32(rng.IntN(n))}}
	}
	return s
}

func benchMatrix(b *testing.B, m func(ctx context.Context, src, dst [][]shortest.Seed, workers int) (*shortest.Matrix, error)) {
	g, _ := benchGraph(b)
	src, dst := matrixSeeds(g.NumNodes(), 500, 1), matrixSeeds(g.NumNodes(), 500, 2)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := m(context.Background(), src, dst, 2); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkMatrix500CH: 500 × 500 bucket many-to-many on 2 workers.
func BenchmarkMatrix500CH(b *testing.B) {
	_, h := benchGraph(b)
	benchMatrix(b, h.Matrix)
}

// BenchmarkMatrix500Dijkstra: the same matrix as 500 one-to-many
// Dijkstras (each stops when all 500 targets are settled) on 2 workers.
func BenchmarkMatrix500Dijkstra(b *testing.B) {
	g, _ := benchGraph(b)
	benchMatrix(b, g.Matrix)
}

// TestBenchmarkAnswers checks what the benchmarks measure, on a smaller
// graph of the same kind: CH queries and the bucket matrix agree with
// Dijkstra.
func TestBenchmarkAnswers(t *testing.T) {
	g := synthGraph(30, 1)
	h, err := shortest.Contract(context.Background(), g, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range benchPairs(g.NumNodes(), 100) {
		src, dst := []shortest.Seed{{Node: p[0]}}, []shortest.Seed{{Node: p[1]}}
		want, _, wantOK := g.Query(src, dst)
		if got, _, ok := h.Query(src, dst); got != want || ok != wantOK {
			t.Fatalf("Query(%v) = %d, %v; Dijkstra says %d, %v", p, got, ok, want, wantOK)
		}
	}
	src, dst := matrixSeeds(g.NumNodes(), 40, 1), matrixSeeds(g.NumNodes(), 40, 2)
	mh, err := h.Matrix(context.Background(), src, dst, 2)
	if err != nil {
		t.Fatal(err)
	}
	mg, err := g.Matrix(context.Background(), src, dst, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range src {
		for j := range dst {
			a, aok := mh.At(i, j)
			b, bok := mg.At(i, j)
			if a != b || aok != bok {
				t.Fatalf("Matrix.At(%d, %d) = %d, %v; Dijkstra says %d, %v", i, j, a, aok, b, bok)
			}
		}
	}
}

// BenchmarkUnmarshalHierarchy decodes (and fully validates) the hierarchy
// of the 1 M-arc benchmark graph.
func BenchmarkUnmarshalHierarchy(b *testing.B) {
	_, h := benchGraph(b)
	data, err := h.MarshalBinary()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var d shortest.Hierarchy
		if err := d.UnmarshalBinary(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNearest500 is a coverage-style search: 500 sources, 30 minutes.
func BenchmarkNearest500(b *testing.B) {
	g, _ := benchGraph(b)
	src := matrixSeeds(g.NumNodes(), 500, 3)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g.Nearest(src, 30*60_000, 1)
	}
}
