package visits

import (
	"context"
	"flag"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/geo"
)

var chwLimit = flag.Duration("chw-limit", 100*time.Millisecond, "time limit of BenchmarkPlanCHW")

// chwProblem is a synthetic health worker: households in villages of 10
// to 40 within 5 km of the home in rolling hills, walking times from
// Tobler's hiking function (uphill slower), 20 minutes a visit, a 6-hour
// day; as routing/vrp's BenchmarkCHW, with the villages named.
func chwProblem(seed uint64, households int) *Problem {
	rng := rand.New(rand.NewPCG(seed, 77))
	type pt struct{ x, y, z float64 }
	hill := func(x, y float64) float64 { return 100 + 80*math.Sin(x/1700)*math.Cos(y/1300) + 40*math.Sin((x+y)/900) }
	pts := []pt{{0, 0, hill(0, 0)}}
	group := []int{-1}
	for g := 0; len(pts) <= households; g++ {
		cx, cy := 5000*(2*rng.Float64()-1), 5000*(2*rng.Float64()-1)
		for range 10 + rng.IntN(31) {
			if len(pts) > households {
				break
			}
			x, y := cx+200*rng.NormFloat64(), cy+200*rng.NormFloat64()
			pts = append(pts, pt{x, y, hill(x, y)})
			group = append(group, g)
		}
	}
	n := len(pts)
	cost := make([]float64, n*n)
	for i, a := range pts {
		for j, b := range pts {
			d := 1.3 * math.Hypot(a.x-b.x, a.y-b.y)
			if d == 0 {
				continue
			}
			slope := (b.z - a.z) / d
			kmh := 6 * math.Exp(-3.5*math.Abs(slope+0.05))
			cost[i*n+j] = math.Round(d / (kmh / 3.6))
		}
	}
	xy := make([][2]float64, n)
	svc := make([]geo.Seconds, n)
	for i, p := range pts {
		xy[i] = [2]float64{p.x, p.y}
		if i > 0 {
			svc[i] = 20 * 60
		}
	}
	return &Problem{N: n, Service: svc, DayBudget: 6 * 3600, Group: group, XY: xy,
		Travel: func(i, j int) (geo.Seconds, bool) { return geo.Seconds(cost[i*n+j]), true }}
}

// BenchmarkPlanCHW plans 250 households in villages within -chw-limit
// and reports the days, walking hours and villages split.
func BenchmarkPlanCHW(b *testing.B) {
	for _, villages := range []bool{true, false} {
		name := "villages"
		if !villages {
			name = "free"
		}
		b.Run(name, func(b *testing.B) {
			p := chwProblem(1, 250)
			if !villages {
				p.Group = nil
			}
			var days, walk, split float64
			for i := 0; i < b.N; i++ {
				res, err := Plan(context.Background(), p, &Options{TimeLimit: *chwLimit, Seed: uint64(i + 1)})
				if err != nil {
					b.Fatal(err)
				}
				days += float64(len(res.Days))
				walk += float64(res.Walk) / 3600
				split += float64(res.Villages.Split)
			}
			b.ReportMetric(days/float64(b.N), "days")
			b.ReportMetric(walk/float64(b.N), "walk-hours")
			b.ReportMetric(split/float64(b.N), "villages-split")
		})
	}
}
