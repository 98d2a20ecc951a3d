package visits

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
)

// Month describes the month Schedule plans.
type Month struct {
	// WorkDays is the number of working days.
	WorkDays int
	// Visits is each household's number of visits in the month (nil: one
	// each); every household needs at least 1 and at most WorkDays.
	Visits []int
}

// offTarget is what one day away from a visit's ideal day weighs against
// walking when Schedule places a further visit: ten minutes.
const offTarget = 600.0

// Schedule plans a month: every household is visited Visits times on
// working days 0..WorkDays-1, further visits evenly spaced after the
// first, priority households first, villages together (see the package
// documentation). Visits that fit in no working day spill into days past
// the month (Result.Overflow), never dropped. Result.Days[i] is working
// day i.
func Schedule(ctx context.Context, p *Problem, m Month, opts *Options) (*Result, error) {
	pl, err := newPlanner(p, opts)
	if err != nil {
		return nil, err
	}
	W := m.WorkDays
	if W < 1 {
		return nil, fmt.Errorf("%w: %d working days, want at least 1", ErrInput, W)
	}
	if m.Visits != nil && len(m.Visits) != p.N {
		return nil, fmt.Errorf("%w: %d visit counts for %d nodes", ErrInput, len(m.Visits), p.N)
	}
	freq := func(v int) int {
		if m.Visits == nil {
			return 1
		}
		return m.Visits[v]
	}
	for v := 1; v < p.N; v++ {
		if f := freq(v); f < 1 || f > W {
			return nil, fmt.Errorf("%w: node %d: %d visits a month, want 1 to %d (the working days)", ErrInput, v, f, W)
		}
	}
	served, unserved := pl.unserved()
	rounds, iters, err := pl.plan(ctx, served)
	if err != nil {
		return nil, err
	}
	res := &Result{Unserved: unserved, Iterations: iters, Rounds: len(rounds)}
	D := len(rounds)
	days := make([]Day, max(W, D))
	first := make([]int, p.N)
	for r, d := range rounds {
		at := r
		if D <= W {
			// Spread the rounds over the month so that every stretch
			// has free days for further visits.
			at = r * W / D
		}
		days[at] = d
		for _, v := range d.Stops {
			first[v] = at
		}
	}

	touched := map[int]bool{}
	// Priority households the search put on a later round move to the
	// earliest day with room: their first visit comes first.
	if p.Priority != nil {
		for at := range days {
			for _, v := range slices.Clone(days[at].Stops) {
				if !p.Priority[v] {
					continue
				}
				for t := 0; t < at; t++ {
					pos, _, ok := pl.insertion(days[t].Stops, v)
					if !ok {
						continue
					}
					days[t].Stops = slices.Insert(days[t].Stops, pos, v)
					k := slices.Index(days[at].Stops, v)
					days[at].Stops = slices.Delete(days[at].Stops, k, k+1)
					first[v] = t
					touched[t], touched[at] = true, true
					break
				}
			}
		}
	}

	type extra struct {
		v, k, f int
		prio    bool
	}
	var extras []extra
	for _, v := range served {
		for k := 1; k < freq(v); k++ {
			extras = append(extras, extra{v: v, k: k, f: freq(v), prio: p.Priority != nil && p.Priority[v]})
		}
	}
	slices.SortFunc(extras, func(a, b extra) int {
		switch {
		case a.prio != b.prio:
			if a.prio {
				return -1
			}
			return 1
		case a.f != b.f:
			return cmp.Compare(b.f, a.f)
		case a.v != b.v:
			return cmp.Compare(a.v, b.v)
		}
		return cmp.Compare(a.k, b.k)
	})
	for _, e := range extras {
		if err := ctx.Err(); err != nil {
			break
		}
		spacing := float64(W) / float64(e.f)
		target := math.Mod(float64(first[e.v])+float64(e.k)*spacing, float64(W))
		tol := max(1, math.Floor(spacing/2))
		best, bestPos, bestScore := -1, 0, math.Inf(1)
		try := func(t int, off float64) {
			if slices.Contains(days[t].Stops, e.v) {
				return
			}
			pos, delta, ok := pl.insertion(days[t].Stops, e.v)
			if !ok {
				return
			}
			if score := delta + offTarget*off; score < bestScore {
				best, bestPos, bestScore = t, pos, score
			}
		}
		for t := range W {
			if off := cyclic(float64(t), target, W); off <= tol {
				try(t, off)
			}
		}
		if best < 0 {
			res.SpacingMisses++
			for t := range W {
				try(t, cyclic(float64(t), target, W))
			}
		}
		if best < 0 {
			for t := W; t < len(days); t++ {
				try(t, 0)
			}
		}
		if best < 0 {
			days = append(days, Day{})
			best, bestPos = len(days)-1, 0
		}
		d := &days[best]
		d.Stops = slices.Insert(d.Stops, bestPos, e.v)
		touched[best] = true
	}
	for t := range days {
		if touched[t] {
			days[t].Stops = pl.improve(ctx, days[t].Stops)
		}
	}
	// Number each household's visits by date.
	seen := make([]int, p.N)
	on := make([][]int, p.N) // household → days
	for t := range days {
		d := &days[t]
		d.Visit = make([]int, len(d.Stops))
		for k, v := range d.Stops {
			seen[v]++
			d.Visit[k] = seen[v]
			on[v] = append(on[v], t)
		}
	}
	for _, v := range served {
		f := len(on[v])
		if f < 2 {
			continue
		}
		ideal := float64(W) / float64(f)
		for k, t := range on[v] {
			next := on[v][(k+1)%f]
			gap := float64(next - t)
			if k == f-1 {
				gap = float64(W - t + next)
			}
			res.SpacingError = max(res.SpacingError, math.Abs(gap-ideal))
		}
	}
	res.Days = days
	res.Overflow = max(0, len(days)-W)
	for t := W; t < len(days); t++ {
		if len(days[t].Stops) == 0 {
			res.Overflow--
		}
	}
	pl.finish(res)
	return res, nil
}

// cyclic is the distance between days a and b on a cycle of w days.
func cyclic(a, b float64, w int) float64 {
	d := math.Abs(a - b)
	return math.Min(d, float64(w)-d)
}

// insertion returns where v adds the least walking to a day walking stops
// (the position in stops), the walking it adds, and ok == false when no
// position keeps the day within the budget on paths that exist.
func (pl *planner) insertion(stops []int, v int) (pos int, delta float64, ok bool) {
	cur, curOK := pl.walk(stops)
	if !curOK {
		return 0, 0, false
	}
	load := cur + pl.svc[v]
	for _, s := range stops {
		load += pl.svc[s]
	}
	best := math.Inf(1)
	prev := Depot
	for k := 0; k <= len(stops); k++ {
		next := Depot
		if k < len(stops) {
			next = stops[k]
		}
		a, ok1 := pl.c.at(prev, v)
		b, ok2 := pl.c.at(v, next)
		c, _ := pl.c.at(prev, next)
		if ok1 && ok2 {
			if dl := a + b - c; dl < best && load+dl <= pl.budget {
				best, pos = dl, k
			}
		}
		prev = next
	}
	if math.IsInf(best, 1) {
		return 0, 0, false
	}
	return pos, best, true
}
