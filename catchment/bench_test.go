package catchment

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/geo"
)

// The synthetic country: a square side km wide with villages at random
// points, households scattered around their village, CHWs living in
// villages picked in proportion to their size, and walking time the
// straight distance × detour at walking speed. Candidate arcs are each
// unit's k nearest CHWs.
type country struct {
	side              float64 // km
	villages          int
	households, chws  int
	capacity, minimum int
	k                 int
	maxWalk           geo.Seconds
	seed              uint64
}

var national = country{side: 300, villages: 20000, households: 1_000_000, chws: 4000,
	capacity: 300, minimum: 40, k: 8, maxWalk: 60 * 60, seed: 1}

const (
	walkKmh = 4.5 // on paths, flat
	detour  = 1.3 // path length over straight distance
)

func walkSeconds(dx, dy float64) geo.Seconds {
	return geo.Seconds(math.Hypot(dx, dy) * detour / walkKmh * 3600)
}

type pt struct{ x, y float64 }

// instance is a generated country: household and village positions, CHW
// homes, and which village each household belongs to.
type instance struct {
	c       country
	hh      []pt
	village []int32
	vc      []pt // village centres
	vsize   []int
	chw     []pt
	grid    *grid
	unitPts []pt
}

func (c country) generate() *instance {
	r := rand.New(rand.NewPCG(c.seed, 1))
	in := &instance{c: c}
	// Village sizes: lognormal around the mean, scaled to the total.
	weights := make([]float64, c.villages)
	var sum float64
	for v := range weights {
		weights[v] = math.Exp(0.8 * r.NormFloat64())
		sum += weights[v]
	}
	in.vsize = make([]int, c.villages)
	given := 0
	for v := range weights {
		in.vsize[v] = max(1, int(weights[v]/sum*float64(c.households)))
		given += in.vsize[v]
	}
	for v := 0; given < c.households; v = (v + 1) % c.villages {
		in.vsize[v]++
		given++
	}
	for v := 0; given > c.households; v = (v + 1) % c.villages {
		if in.vsize[v] > 1 {
			in.vsize[v]--
			given--
		}
	}
	// Villages cluster a little: half around 200 market towns.
	towns := make([]pt, 200)
	for i := range towns {
		towns[i] = pt{r.Float64() * c.side, r.Float64() * c.side}
	}
	in.vc = make([]pt, c.villages)
	for v := range in.vc {
		if r.IntN(2) == 0 {
			t := towns[r.IntN(len(towns))]
			in.vc[v] = pt{clamp(t.x+8*r.NormFloat64(), c.side), clamp(t.y+8*r.NormFloat64(), c.side)}
		} else {
			in.vc[v] = pt{r.Float64() * c.side, r.Float64() * c.side}
		}
	}
	in.hh = make([]pt, 0, c.households)
	in.village = make([]int32, 0, c.households)
	for v, n := range in.vsize {
		spread := 0.15 + 0.05*math.Sqrt(float64(n)) // km
		for range n {
			in.hh = append(in.hh, pt{clamp(in.vc[v].x+spread*r.NormFloat64(), c.side), clamp(in.vc[v].y+spread*r.NormFloat64(), c.side)})
			in.village = append(in.village, int32(v))
		}
	}
	// CHWs live in villages picked in proportion to households.
	in.chw = make([]pt, c.chws)
	for i := range in.chw {
		h := in.hh[r.IntN(len(in.hh))]
		in.chw[i] = h
	}
	in.grid = newGrid(in.chw, c.side, 5)
	return in
}

func clamp(v, side float64) float64 { return min(max(v, 0), side) }

// problem builds the Balance input: households or villages as units, the
// k nearest CHWs of each, and a More that widens like a stage would.
func (in *instance) problem(villages bool) *Problem {
	c := in.c
	p := &Problem{MaxWalk: c.maxWalk, KeepWhole: villages}
	for i := range c.chws {
		p.CHWs = append(p.CHWs, CHW{ID: fmt.Sprintf("chw%05d", i), Min: min(c.minimum, c.capacity), Max: c.capacity})
	}
	if villages {
		in.unitPts = in.vc
		for v, n := range in.vsize {
			p.Units = append(p.Units, Unit{ID: fmt.Sprintf("v%06d", v), Households: n, People: 5 * n})
		}
	} else {
		in.unitPts = in.hh
		for h := range in.hh {
			p.Units = append(p.Units, Unit{ID: fmt.Sprintf("h%07d", h), Households: 1, People: 5})
		}
	}
	have := make([]int, len(p.Units))
	p.Arcs = make([]Arc, 0, len(p.Units)*c.k)
	var buf []int
	for u, q := range in.unitPts {
		buf = in.grid.nearest(q, c.k, buf[:0])
		for _, j := range buf {
			p.Arcs = append(p.Arcs, Arc{Unit: u, CHW: j, Walk: walkSeconds(q.x-in.chw[j].x, q.y-in.chw[j].y)})
		}
		have[u] = len(buf)
	}
	unitGrid := newGrid(in.unitPts, c.side, 2)
	p.More = func(req Request) ([]Arc, error) {
		var out []Arc
		for _, u := range req.Units {
			q := in.unitPts[u]
			n := min(2*have[u], c.chws)
			near := in.grid.nearest(q, n, nil)
			for _, j := range near[have[u]:] {
				out = append(out, Arc{Unit: u, CHW: j, Walk: walkSeconds(q.x-in.chw[j].x, q.y-in.chw[j].y)})
			}
			have[u] = len(near)
		}
		for _, j := range req.CHWs {
			h := in.chw[j]
			radius := float64(req.Within) / 3600 * walkKmh / detour
			for _, u := range unitGrid.within(h, radius, nil) {
				q := in.unitPts[u]
				out = append(out, Arc{Unit: u, CHW: j, Walk: walkSeconds(q.x-h.x, q.y-h.y)})
			}
		}
		return out, nil
	}
	return p
}

// grid is a bucket index of points for k-nearest and radius queries.
type grid struct {
	pts   []pt
	cell  float64
	n     int
	cells [][]int32
}

func newGrid(pts []pt, side, cell float64) *grid {
	n := int(math.Ceil(side/cell)) + 1
	g := &grid{pts: pts, cell: cell, n: n, cells: make([][]int32, n*n)}
	for i, p := range pts {
		k := g.key(p)
		g.cells[k] = append(g.cells[k], int32(i))
	}
	return g
}

func (g *grid) key(p pt) int {
	x := min(max(int(p.x/g.cell), 0), g.n-1)
	y := min(max(int(p.y/g.cell), 0), g.n-1)
	return y*g.n + x
}

// nearest appends the k nearest points to q (ties by index), nearest first.
func (g *grid) nearest(q pt, k int, out []int) []int {
	type cand struct {
		d float64
		i int
	}
	var cs []cand
	cx := min(max(int(q.x/g.cell), 0), g.n-1)
	cy := min(max(int(q.y/g.cell), 0), g.n-1)
	for ring := 0; ring < g.n; ring++ {
		for y := cy - ring; y <= cy+ring; y++ {
			for x := cx - ring; x <= cx+ring; x++ {
				if x < 0 || y < 0 || x >= g.n || y >= g.n || (max(abs(x-cx), abs(y-cy)) != ring) {
					continue
				}
				for _, i := range g.cells[y*g.n+x] {
					p := g.pts[i]
					cs = append(cs, cand{math.Hypot(p.x-q.x, p.y-q.y), int(i)})
				}
			}
		}
		// Points beyond this ring are at least ring·cell away.
		if len(cs) >= k {
			slices.SortFunc(cs, func(a, b cand) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.i, b.i)) })
			if cs[k-1].d <= float64(ring)*g.cell {
				break
			}
		}
	}
	slices.SortFunc(cs, func(a, b cand) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.i, b.i)) })
	for _, c := range cs[:min(k, len(cs))] {
		out = append(out, c.i)
	}
	return out
}

func (g *grid) within(q pt, r float64, out []int) []int {
	x0, x1 := int((q.x-r)/g.cell), int((q.x+r)/g.cell)
	y0, y1 := int((q.y-r)/g.cell), int((q.y+r)/g.cell)
	for y := max(y0, 0); y <= min(y1, g.n-1); y++ {
		for x := max(x0, 0); x <= min(x1, g.n-1); x++ {
			for _, i := range g.cells[y*g.n+x] {
				p := g.pts[i]
				if math.Hypot(p.x-q.x, p.y-q.y) <= r {
					out = append(out, int(i))
				}
			}
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

var (
	nationalFlag     = flag.Bool("national", false, "run the national-scale Balance test (1 M households, 4,000 CHWs)")
	nationalScenario = flag.String("scenario", "", "with -national: run only this scenario (households-k8, villages, keep, …)")
	overWalkFlag     = flag.Bool("widen-over-walk", false, "with -national: set Problem.WidenOverWalk")
)

// TestNationalScale runs Balance on the national instance in several
// scenarios and logs time and memory; run one scenario per process under
// /usr/bin/time -v for its peak RSS:
//
//	go test -c -o /tmp/catchment.test ./catchment
//	/usr/bin/time -v /tmp/catchment.test -test.run TestNationalScale -national -scenario households-k8 -test.v
func TestNationalScale(t *testing.T) {
	if !*nationalFlag {
		t.Skip("national-scale run: pass -national")
	}
	scenarios := []struct {
		name     string
		villages bool
		k        int
		keep     bool
	}{
		{"villages", true, 8, false},
		{"households-k6", false, 6, false},
		{"households-k8", false, 8, false},
		{"households-k10", false, 10, false},
		{"keep", false, 8, true},
		{"households-k16", false, 16, false},
	}
	for _, sc := range scenarios {
		if *nationalScenario != "" && sc.name != *nationalScenario {
			continue
		}
		c := national
		c.k = sc.k
		t0 := time.Now()
		in := c.generate()
		p := in.problem(sc.villages)
		p.WidenOverWalk = *overWalkFlag
		gen := time.Since(t0)
		if sc.keep {
			// The roster changes after a first assignment: 1 % of the CHWs
			// leave, another 1 % have their capacity cut by a fifth.
			first, err := Balance(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			p = rosterChange(p, first)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before, allocBefore := ms.HeapAlloc, ms.TotalAlloc
		stop := make(chan struct{})
		peak := make(chan uint64)
		go func() { // sample the live heap every 20 ms
			sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			var top uint64
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				metrics.Read(sample)
				top = max(top, sample[0].Value.Uint64())
				select {
				case <-stop:
					peak <- top
					return
				case <-tick.C:
				}
			}
		}()
		t1 := time.Now()
		c0 := cpuTime()
		res, err := Balance(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		wall, cpu := time.Since(t1), cpuTime()-c0
		close(stop)
		heapPeak := <-peak
		runtime.ReadMemStats(&ms)
		checkResult(t, &Problem{Units: p.Units, CHWs: p.CHWs, Arcs: nil}, res) // arcs: skip the O(n·m) candidate check
		s := res.Summary
		ratio, _ := s.Spread.Ratio()
		t.Logf("%s: %d units, %d CHWs, %d candidate arcs given, %d in the flow (%d widened, %d rounds); generate %v",
			sc.name, len(p.Units), len(p.CHWs), len(p.Arcs), res.Arcs, res.Widened, res.Rounds, gen.Round(time.Millisecond))
		t.Logf("%s: Balance %v wall, %v CPU, %d pivots; live heap %d MB before (the instance), peak %d MB during (+%d MB), allocated during %d MB",
			sc.name, wall.Round(time.Millisecond), cpu.Round(time.Millisecond), res.Pivots, before>>20, heapPeak>>20, (heapPeak-min(heapPeak, before))>>20, (ms.TotalAlloc-allocBefore)>>20)
		t.Logf("%s: assigned %d, unassigned %d %v, over walk %d, under minimum %d, over capacity %d (households); split %d (merged %d); moves %d; mean walk %.1f min, total %.0f h; spread %d–%d (max/min %.2f, CV %.3f)",
			sc.name, s.Assigned, s.Unassigned, s.UnassignedBy, s.OverWalk, s.UnderMinimum, s.OverCapacity, res.Split, res.Merged,
			s.Moves, s.MeanWalk.Minutes(), s.TotalWalk.Minutes()/60, s.Spread.Min, s.Spread.Max, ratio, s.Spread.CV)
		if sc.keep {
			reasons := map[MoveReason]int{}
			for _, m := range res.Moves {
				reasons[m.Reason] += m.Households
			}
			t.Logf("%s: moves by reason %v", sc.name, reasons)
		}
	}
}

// rosterChange returns p after a roster change, with every unit's current
// CHW from first: every 100th CHW leaves, and every 100th from the 50th on
// has its capacity cut by a fifth.
func rosterChange(p *Problem, first *Result) *Problem {
	q := *p
	q.Units = slices.Clone(p.Units)
	for i, a := range first.Units {
		q.Units[i].Current = nil
		for _, part := range a.Parts {
			q.Units[i].Current = append(q.Units[i].Current, Share{CHW: p.CHWs[part.CHW].ID, Households: part.Households})
		}
	}
	newIdx := make([]int, len(p.CHWs))
	q.CHWs = nil
	for j, c := range p.CHWs {
		newIdx[j] = -1
		if j%100 == 0 {
			continue
		}
		if j%100 == 50 {
			c.Max = c.Max * 4 / 5
			c.Min = min(c.Min, c.Max)
		}
		newIdx[j] = len(q.CHWs)
		q.CHWs = append(q.CHWs, c)
	}
	q.Arcs = make([]Arc, 0, len(p.Arcs))
	for _, a := range p.Arcs {
		if newIdx[a.CHW] >= 0 {
			q.Arcs = append(q.Arcs, Arc{Unit: a.Unit, CHW: newIdx[a.CHW], Walk: a.Walk})
		}
	}
	more := p.More
	q.More = func(req Request) ([]Arc, error) {
		// The generator's More speaks old CHW indices.
		var out []Arc
		old := req
		old.CHWs = nil
		for _, c := range req.CHWs {
			for j, n := range newIdx {
				if n == c {
					old.CHWs = append(old.CHWs, j)
				}
			}
		}
		arcs, err := more(old)
		for _, a := range arcs {
			if newIdx[a.CHW] >= 0 {
				out = append(out, Arc{Unit: a.Unit, CHW: newIdx[a.CHW], Walk: a.Walk})
			}
		}
		return out, err
	}
	return &q
}

// BenchmarkBalance runs Balance on a quarter-scale country (250,000
// households, 1,000 CHWs over 150 × 150 km), households and villages as
// units; -national runs the full country.
func BenchmarkBalance(b *testing.B) {
	c := country{side: 150, villages: 5000, households: 250_000, chws: 1000,
		capacity: 300, minimum: 40, k: 8, maxWalk: 60 * 60, seed: 1}
	if *nationalFlag {
		c = national
	}
	in := c.generate()
	for _, villages := range []bool{false, true} {
		name := "households"
		if villages {
			name = "villages"
		}
		b.Run(name, func(b *testing.B) {
			var res *Result
			for b.Loop() {
				b.StopTimer()
				p := in.problem(villages)
				b.StartTimer()
				var err error
				if res, err = Balance(context.Background(), p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Pivots), "pivots")
			b.ReportMetric(float64(res.Arcs), "arcs")
		})
	}
}
