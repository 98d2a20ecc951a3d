package vrp

import (
	"context"
	"flag"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

var chwLimit = flag.Duration("chw-limit", 150*time.Millisecond, "time limit of BenchmarkCHW")

// chwProblem is a synthetic health worker's month: households in villages
// of 10 to 40 within 5 km of the home in rolling hills, walking times in seconds from
// distance and slope (Tobler's hiking function, so uphill is slower than
// downhill), 20 minutes per visit, a 6-hour day, and a day cost above any
// total walking so that the fewest days come first.
func chwProblem(seed uint64, households int) *Problem[float64] {
	rng := rand.New(rand.NewPCG(seed, 77))
	type pt struct{ x, y, z float64 }
	// Rolling hills: up to 150 m of relief over a few kilometres.
	hill := func(x, y float64) float64 { return 100 + 80*math.Sin(x/1700)*math.Cos(y/1300) + 40*math.Sin((x+y)/900) }
	pts := []pt{{0, 0, hill(0, 0)}}
	for len(pts) <= households {
		cx, cy := 5000*(2*rng.Float64()-1), 5000*(2*rng.Float64()-1)
		for range 10 + rng.IntN(31) {
			if len(pts) > households {
				break
			}
			x, y := cx+200*rng.NormFloat64(), cy+200*rng.NormFloat64()
			pts = append(pts, pt{x, y, hill(x, y)})
		}
	}
	n := len(pts)
	cost := make([]float64, n*n)
	for i, a := range pts {
		for j, b := range pts {
			d := 1.3 * math.Hypot(a.x-b.x, a.y-b.y) // paths wind
			if d == 0 {
				continue
			}
			slope := (b.z - a.z) / d
			kmh := 6 * math.Exp(-3.5*math.Abs(slope+0.05))
			cost[i*n+j] = math.Round(d / (kmh / 3.6))
		}
	}
	xy := make([][2]float64, n)
	svc := make([]float64, n)
	for i, p := range pts {
		xy[i] = [2]float64{p.x, p.y}
		if i > 0 {
			svc[i] = 20 * 60
		}
	}
	return &Problem[float64]{
		N: n, Travel: func(i, j int) (float64, bool) { return cost[i*n+j], true },
		Service: svc, MaxDuration: 6 * 3600, RouteCost: 1e7, XY: xy,
	}
}

// BenchmarkCHW plans a 250-household month in -chw-limit (default
// 150 ms, the national demo's budget per worker on one core) and reports
// the days and walking hours of the plan.
func BenchmarkCHW(b *testing.B) {
	p := chwProblem(1, 250)
	var days, walk float64
	for i := 0; i < b.N; i++ {
		res, err := Solve(context.Background(), p, &Options{TimeLimit: *chwLimit, Seed: uint64(i + 1)})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Feasible {
			b.Fatal("infeasible plan")
		}
		days += float64(len(res.Routes))
		walk += res.Travel / 3600
	}
	b.ReportMetric(days/float64(b.N), "days")
	b.ReportMetric(walk/float64(b.N), "walk-hours")
}
