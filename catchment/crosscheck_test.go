package catchment

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var (
	cbcOut      = flag.String("cbc-out", "", "write a medium instance and Balance's tier totals as JSON to this file, for bench/catchment_cbc.py")
	cbcVillages = flag.Bool("cbc-villages", false, "with -cbc-out: villages as units (without KeepWhole, so the flow optimum is compared)")
)

// TestWriteCBCInstance writes instances for the PuLP + CBC cross-check
// (bench/catchment_cbc.py): households from the synthetic country with
// locks, and current assignments from a solve before two CHWs left and
// one capacity was cut, so every tier is in play.
func TestWriteCBCInstance(t *testing.T) {
	if *cbcOut == "" {
		t.Skip("cross-check instance: pass -cbc-out FILE")
	}
	c := country{side: 25, villages: 120, households: 4000, chws: 45, capacity: 100, minimum: 40, k: 6, maxWalk: 45 * 60, seed: 7}
	if *cbcVillages {
		c = country{side: 60, villages: 3000, households: 60000, chws: 300, capacity: 240, minimum: 40, k: 8, maxWalk: 60 * 60, seed: 8}
	}
	in := c.generate()
	p := in.problem(*cbcVillages)
	p.More, p.KeepWhole = nil, false
	before, err := Balance(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Units {
		for _, q := range before.Units[i].Parts {
			p.Units[i].Current = append(p.Units[i].Current, Share{CHW: p.CHWs[q.CHW].ID, Households: q.Households})
		}
		if i%97 == 0 {
			p.Units[i].Lock = p.CHWs[(i/97)%len(p.CHWs)].ID
		}
	}
	// Two CHWs leave, one capacity is cut.
	left := map[int]bool{3: true, 17: true}
	var chws []CHW
	newIdx := make([]int, len(p.CHWs))
	for j, ch := range p.CHWs {
		newIdx[j] = -1
		if !left[j] {
			newIdx[j] = len(chws)
			chws = append(chws, ch)
		}
	}
	chws[5].Max = 60
	var arcs []Arc
	for _, a := range p.Arcs {
		if newIdx[a.CHW] >= 0 {
			arcs = append(arcs, Arc{Unit: a.Unit, CHW: newIdx[a.CHW], Walk: a.Walk})
		}
	}
	for i := range p.Units {
		if l := p.Units[i].Lock; l == p.CHWs[3].ID || l == p.CHWs[17].ID {
			p.Units[i].Lock = ""
		}
	}
	p.CHWs, p.Arcs = chws, arcs
	r, err := Balance(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summary
	type jsonArc struct {
		Unit, CHW int
		Walk      float64
	}
	out := struct {
		Units   []Unit
		CHWs    []CHW
		Arcs    []jsonArc
		MaxWalk float64
		Tiers   map[string]float64
	}{Units: p.Units, CHWs: p.CHWs, MaxWalk: float64(p.MaxWalk), Tiers: map[string]float64{
		"over_capacity": float64(s.OverCapacity), "unassigned": float64(s.Unassigned), "over_walk": float64(s.OverWalk),
		"under_minimum": float64(s.UnderMinimum), "moves": float64(s.Moves), "walk_seconds": float64(s.TotalWalk),
	}}
	for _, a := range p.Arcs {
		out.Arcs = append(out.Arcs, jsonArc{a.Unit, a.CHW, float64(a.Walk)})
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*cbcOut, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d units, %d CHWs, %d arcs; tiers %v", len(p.Units), len(p.CHWs), len(p.Arcs), out.Tiers)
}
