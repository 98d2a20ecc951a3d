package tsp

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/lastmile-health/lastmile/data/tsplib"
	"github.com/lastmile-health/lastmile/internal/shareddata"
)

// benchInstance solves a TSPLIB file with a fixed round count and reports
// the gap, so the benchmark also shows the result is right.
func benchInstance(b *testing.B, file string, optimum int64, rounds int) {
	in, err := tsplib.ReadFile(shareddata.Path(b, "tsplib/"+file))
	if err != nil {
		b.Fatal(err)
	}
	c, err := in.Matrix()
	if err != nil {
		b.Fatal(err)
	}
	m := Matrix[int32]{N: in.Dimension, C: c}
	b.ReportAllocs()
	var res Result
	for b.Loop() {
		res, err = Solve(context.Background(), m, &Options{Iterations: rounds, Stall: -1})
		if err != nil {
			b.Fatal(err)
		}
	}
	if got := in.TourLength(res.Order); got != res.Cost {
		b.Fatalf("cost %d, route length %d", res.Cost, got)
	}
	b.ReportMetric(100*float64(res.Cost-optimum)/float64(optimum), "gap%")
}

func BenchmarkSolveKroA100(b *testing.B) { benchInstance(b, "kroA100.tsp", 21282, 5000) }
func BenchmarkSolveRat575(b *testing.B)  { benchInstance(b, "rat575.tsp", 6773, 20000) }
func BenchmarkSolveDsj1000(b *testing.B) { benchInstance(b, "dsj1000.tsp", 18660188, 20000) }
func BenchmarkSolveFtv170(b *testing.B)  { benchInstance(b, "ftv170.atsp", 2755, 20000) }
func BenchmarkSolveKro124p(b *testing.B) { benchInstance(b, "kro124p.atsp", 36230, 10000) }

// BenchmarkSolveRandom200 needs no shared data: a random asymmetric
// matrix of 200 nodes.
func BenchmarkSolveRandom200(b *testing.B) {
	m := randomMatrix(rand.New(rand.NewPCG(1, 1)), 200, false, 10000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Solve(context.Background(), m, &Options{Iterations: 5000, Stall: -1}); err != nil {
			b.Fatal(err)
		}
	}
}
