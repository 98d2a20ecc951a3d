package catchment

import (
	"cmp"
	"slices"
	"strings"

	"github.com/lastmile-health/lastmile/geo"
)

// result turns the rank-level parts into the caller's Result.
func (b *balancer) result(parts [][]rankPart) *Result {
	p := b.p
	res := &Result{
		Units:      make([]Assignment, b.nu),
		Arcs:       b.arcsReported,
		Widened:    b.widened,
		Rounds:     b.rounds,
		Pivots:     b.net.Pivots() + b.samplePivots,
		Resolution: geo.Seconds(b.wt.resolution),
		Merged:     b.merged,
		Split:      b.kept,
	}
	for r, ps := range parts {
		var as Assignment
		for _, q := range ps {
			if q.chw < 0 {
				as.Unassigned += int(q.h)
				continue
			}
			part := Part{CHW: int(b.cOf[q.chw]), Households: int(q.h)}
			if ref := b.ref[q.arc]; ref >= 0 {
				part.Walk, part.Routed = b.walks[ref], true
			}
			as.Parts = append(as.Parts, part)
		}
		if as.Unassigned > 0 {
			as.Reason = OverCapacity
			if !b.hasCandidate(r) {
				as.Reason = NoCandidate
			}
		}
		slices.SortFunc(as.Parts, func(x, y Part) int {
			return cmp.Or(cmp.Compare(y.Households, x.Households), strings.Compare(p.CHWs[x.CHW].ID, p.CHWs[y.CHW].ID))
		})
		res.Units[b.uOf[r]] = as
	}
	res.Moves = b.moves(parts)
	res.Load, res.Summary = Workload(p.Units, p.CHWs, res.Units, p.MaxWalk)
	for _, m := range res.Moves {
		res.Summary.Moves += m.Households
	}
	return res
}

func (b *balancer) hasCandidate(r int) bool {
	for _, a := range b.unitArc[r] {
		if b.kind[a] != kindLock {
			return true
		}
	}
	return false
}

// moves compares every unit's current shares with its parts: households
// that stay with a current CHW are not moves; the others are paired, from
// CHWs in ID order to destinations in ID order (unassigned last).
func (b *balancer) moves(parts [][]rankPart) []Move {
	curLoad := make([]int64, b.nc)
	for _, sh := range b.share {
		for _, s := range sh {
			if s.chw >= 0 {
				curLoad[s.chw] += s.h
			}
		}
	}
	var out []Move
	type pool struct {
		chw int32 // rank, −1 unassigned
		id  string
		h   int64
	}
	for r, sh := range b.share {
		if len(sh) == 0 {
			continue
		}
		var to []pool
		for _, q := range parts[r] {
			id := ""
			if q.chw >= 0 {
				id = b.p.CHWs[b.cOf[q.chw]].ID
			}
			to = append(to, pool{q.chw, id, q.h})
		}
		slices.SortFunc(to, func(x, y pool) int {
			if (x.chw < 0) != (y.chw < 0) {
				return cmp.Compare(y.chw, x.chw) // unassigned last
			}
			return strings.Compare(x.id, y.id)
		})
		var from []pool
		for _, s := range sh { // sorted by ID
			left := s.h
			for k := range to {
				if s.chw >= 0 && to[k].chw == s.chw {
					st := min(left, to[k].h)
					left -= st
					to[k].h -= st
				}
			}
			if left > 0 {
				from = append(from, pool{s.chw, s.id, left})
			}
		}
		k := 0
		for _, f := range from {
			for f.h > 0 && k < len(to) {
				if to[k].h == 0 {
					k++
					continue
				}
				n := min(f.h, to[k].h)
				out = append(out, Move{
					Unit: int(b.uOf[r]), From: f.id, To: to[k].id, Households: int(n),
					Reason: b.moveReason(r, f.chw, to[k].chw, curLoad),
				})
				f.h -= n
				to[k].h -= n
			}
		}
	}
	return out
}

func (b *balancer) moveReason(r int, from, to int32, curLoad []int64) MoveReason {
	switch {
	case from < 0:
		return MoveCHWLeft
	case b.lock[r] >= 0 && to == b.lock[r]:
		return MoveLocked
	case to < 0:
		return MoveUnassigned
	case curLoad[from] > b.maxL[from]:
		return MoveOverCapacity
	case curLoad[to] < b.minL[to]:
		return MoveUnderMinimum
	}
	fromArc, toArc := b.arcTo(r, from), b.arcTo(r, to)
	switch {
	case fromArc < 0 || b.ref[fromArc] < 0:
		return MoveNoPath
	case b.over(b.ref[fromArc]) && toArc >= 0 && !b.over(b.ref[toArc]):
		return MoveOverWalk
	}
	return MoveRebalance
}

func (b *balancer) arcTo(r int, c int32) int32 {
	nn := b.net.NumNodes()
	for _, a := range b.unitArc[r] {
		if int(b.net.dst[nn+int(a)]) == b.nu+int(c) {
			return a
		}
	}
	return -1
}
