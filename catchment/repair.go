package catchment

import "slices"

// repairPasses bounds the passes of the greedy merge: a merge frees room
// that an earlier unit of the pass could have used.
const repairPasses = 8

// repair makes split units whole where that breaks no limit (see Balance,
// KeepWhole), greedily, in ID order, pass after pass until nothing
// changes. A split unit goes whole to one of its candidate CHWs if that
// CHW has room for the rest of it, or if one other whole unit there can
// make room by moving whole to a CHW of its own that has room (one
// ejection). No move may exceed a capacity, deepen a shortfall below a
// minimum or add a household beyond the walk limit. Among the possible
// merges it takes the one adding the fewest over-walk households, then
// moves, then walking time. parts is updated in place.
func (b *balancer) repair(parts [][]rankPart) {
	nn := b.net.NumNodes()
	chwOf := func(a int32) int32 { return int32(int(b.net.dst[nn+int(a)]) - b.nu) }
	walkOf := func(a int32) float64 {
		if b.ref[a] < 0 {
			return 0
		}
		return float64(b.walks[b.ref[a]])
	}
	overOf := func(a int32) bool { return b.ref[a] >= 0 && b.over(b.ref[a]) }
	load := make([]int64, b.nc)
	residents := make([][]int32, b.nc) // whole, unlocked units by CHW, in rank order
	for r, ps := range parts {
		for _, q := range ps {
			if q.chw >= 0 {
				load[q.chw] += q.h
			}
		}
		if len(ps) == 1 && ps[0].chw >= 0 && b.lock[r] < 0 {
			residents[ps[0].chw] = append(residents[ps[0].chw], int32(r))
		}
	}
	// moves of unit r if served as ps
	moves := func(r int, ps []rankPart) float64 {
		m := b.shareTotal(r)
		for _, q := range ps {
			if q.chw >= 0 {
				m -= min(q.h, b.shareAt(r, q.chw))
			}
		}
		return float64(m)
	}
	for range repairPasses {
		changed := false
		for r, ps := range parts {
			if !split(ps) {
				continue
			}
			w := b.w[r]
			partAt := func(c int32) int64 {
				for _, q := range ps {
					if q.chw == c {
						return q.h
					}
				}
				return 0
			}
			var overNow, walkNow float64
			for _, q := range ps {
				if q.chw >= 0 {
					walkNow += float64(q.h) * walkOf(q.arc)
					if overOf(q.arc) {
						overNow += float64(q.h)
					}
				}
			}
			movesNow := moves(r, ps)
			type option struct {
				arc     int32 // r's arc to its CHW
				u, uArc int32 // the ejected unit and its new arc (−1: none)
				key     [3]float64
			}
			var best option
			found := false
			for _, a := range b.unitArc[r] {
				c := chwOf(a)
				ok := true
				for _, q := range ps {
					if q.chw >= 0 && q.chw != c && load[q.chw]-q.h < b.minL[q.chw] {
						ok = false // it would deepen a shortfall
					}
				}
				if !ok || (overOf(a) && float64(w) > overNow) {
					continue
				}
				var overAfter float64
				if overOf(a) {
					overAfter = float64(w)
				}
				whole := []rankPart{{chw: c, h: w, arc: a}}
				base := [3]float64{overAfter - overNow, moves(r, whole) - movesNow, float64(w)*walkOf(a) - walkNow}
				excess := load[c] + w - partAt(c) - b.maxL[c]
				if excess <= 0 {
					if !found || lexLess(base[:], best.key[:]) {
						best, found = option{a, -1, -1, base}, true
					}
					continue
				}
				for _, u := range residents[c] {
					wu := b.w[u]
					if wu < excess || load[c]+w-partAt(c)-wu < b.minL[c] {
						continue
					}
					cur := parts[u][0]
					for _, e := range b.unitArc[u] {
						d := chwOf(e)
						if d == c || (overOf(e) && !overOf(cur.arc)) {
							continue
						}
						if load[d]-partAt(d)+wu > b.maxL[d] {
							continue
						}
						var dOver float64
						if overOf(e) {
							dOver = float64(wu)
						}
						if overOf(cur.arc) {
							dOver -= float64(wu)
						}
						key := [3]float64{
							base[0] + dOver,
							base[1] + moves(int(u), []rankPart{{chw: d, h: wu, arc: e}}) - moves(int(u), parts[u]),
							base[2] + float64(wu)*(walkOf(e)-walkOf(cur.arc)),
						}
						if !found || lexLess(key[:], best.key[:]) {
							best, found = option{a, u, e, key}, true
						}
					}
				}
			}
			if !found {
				continue
			}
			c := chwOf(best.arc)
			for _, q := range ps {
				if q.chw >= 0 {
					load[q.chw] -= q.h
				}
			}
			load[c] += w
			parts[r] = []rankPart{{chw: c, h: w, arc: best.arc}}
			if b.lock[r] < 0 {
				residents[c] = insertRank(residents[c], int32(r))
			}
			if best.u >= 0 {
				u, d := best.u, chwOf(best.uArc)
				load[c] -= b.w[u]
				load[d] += b.w[u]
				parts[u] = []rankPart{{chw: d, h: b.w[u], arc: best.uArc}}
				residents[c] = slices.DeleteFunc(residents[c], func(x int32) bool { return x == u })
				residents[d] = insertRank(residents[d], u)
			}
			changed = true
		}
		if !changed {
			return
		}
	}
}

// insertRank inserts r into the sorted list s.
func insertRank(s []int32, r int32) []int32 {
	i, _ := slices.BinarySearch(s, r)
	return slices.Insert(s, i, r)
}

// shareAt returns the households of unit r that CHW rank c serves today.
func (b *balancer) shareAt(r int, c int32) int64 {
	for _, s := range b.share[r] {
		if s.chw == c {
			return s.h
		}
	}
	return 0
}

func (b *balancer) shareTotal(r int) int64 {
	var t int64
	for _, s := range b.share[r] {
		t += s.h
	}
	return t
}

// lexLess compares two tier vectors, most important first.
func lexLess(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// keepWhole makes split villages whole where no limit forbids it
// (Problem.KeepWhole) and records how many it merged and left split.
func (b *balancer) keepWhole(parts [][]rankPart) {
	before := countSplits(parts)
	b.repair(parts)
	b.kept = countSplits(parts)
	b.merged = before - b.kept
}

// split reports whether a unit is served by more than one CHW. (A unit
// partly unassigned is not split: no CHW among its candidates has room
// for the rest, or the flow would have put it there.)
func split(ps []rankPart) bool {
	n := 0
	for _, q := range ps {
		if q.chw >= 0 {
			n++
		}
	}
	return n > 1
}

func countSplits(parts [][]rankPart) int {
	n := 0
	for _, ps := range parts {
		if split(ps) {
			n++
		}
	}
	return n
}
