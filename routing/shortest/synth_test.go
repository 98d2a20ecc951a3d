package shortest_test

import (
	"math"
	"math/rand/v2"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

// synthGraph builds a deterministic road-like walking graph: a side × side
// grid of junctions about 100 m apart with jittered positions, a fifth of
// the grid edges removed, a few diagonals, and every edge densified into a
// chain of 1–3 intermediate nodes (paths densified every ~30 m, so most
// nodes have degree 2). Weights are Tobler walking times in milliseconds on
// a synthetic terrain, so the two arcs of an edge differ (uphill ≠
// downhill). side = 323 gives about 440k nodes and 1 M arcs.
func synthGraph(side int, seed uint64) *shortest.Graph {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	type pt struct{ x, y float64 }
	pos := make([]pt, 0, side*side*4)
	for y := range side {
		for x := range side {
			pos = append(pos, pt{float64(x)*100 + rng.Float64()*40 - 20, float64(y)*100 + rng.Float64()*40 - 20})
		}
	}
	elev := func(p pt) float64 {
		return 60*math.Sin(p.x/700) + 40*math.Cos(p.y/900) + 15*math.Sin((p.x+p.y)/230)
	}
	walk := func(a, b pt) uint32 {
		d := math.Hypot(b.x-a.x, b.y-a.y)
		slope := (elev(b) - elev(a)) / math.Max(d, 1)
		kmh := 6 * math.Exp(-3.5*math.Abs(slope+0.05))
		return uint32(math.Round(d / (kmh / 3.6) * 1000))
	}
	var arcs []shortest.Arc
	link := func(a, b int) {
		k := 1 + rng.IntN(3)
		prev := a
		for i := 1; i <= k; i++ {
			f := float64(i) / float64(k+1)
			p := pt{pos[a].x + f*(pos[b].x-pos[a].x) + rng.Float64()*6 - 3, pos[a].y + f*(pos[b].y-pos[a].y) + rng.Float64()*6 - 3}
			pos = append(pos, p)
			v := len(pos) - 1
			arcs = append(arcs, shortest.Arc{From: uint32(prev), To: uint32(v), Weight: walk(pos[prev], p)},
				shortest.Arc{From: uint32(v), To: uint32(prev), Weight: walk(p, pos[prev])})
			prev = v
		}
		arcs = append(arcs, shortest.Arc{From: uint32(prev), To: uint32(b), Weight: walk(pos[prev], pos[b])},
			shortest.Arc{From: uint32(b), To: uint32(prev), Weight: walk(pos[b], pos[prev])})
	}
	for y := range side {
		for x := range side {
			v := y*side + x
			if x+1 < side && rng.IntN(5) != 0 {
				link(v, v+1)
			}
			if y+1 < side && rng.IntN(5) != 0 {
				link(v, v+side)
			}
			if x+1 < side && y+1 < side && rng.IntN(20) == 0 {
				link(v, v+side+1)
			}
		}
	}
	return shortest.NewGraph(len(pos), arcs)
}
