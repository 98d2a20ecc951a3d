package tsp

import "math"

// exact solves a route over at most exactMax nodes by Held–Karp dynamic
// programming over subsets: O(2ⁿ·n²) time, O(2ⁿ·n) memory.
func exact[T Cost](m Matrix[T], start, end int) Result {
	n := m.N
	if n == 1 {
		return Result{Order: []int{start}, Cost: 0, LowerBound: 0, Optimal: true}
	}
	round := start == end
	// Nodes other than start, renumbered 0..k-1.
	others := make([]int, 0, n-1)
	for v := range n {
		if v != start {
			others = append(others, v)
		}
	}
	k := len(others)
	full := 1<<k - 1
	const inf = math.MaxInt64
	best := make([]int64, (full+1)*k) // best[S*k+j]: path from start through S ending at others[j]
	for i := range best {
		best[i] = inf
	}
	for j, v := range others {
		best[(1<<j)*k+j] = m.At(start, v)
	}
	for s := 1; s <= full; s++ {
		for j := range k {
			cur := best[s*k+j]
			if cur == inf || s&(1<<j) == 0 {
				continue
			}
			for l := range k {
				if s&(1<<l) != 0 {
					continue
				}
				t := s | 1<<l
				if c := cur + m.At(others[j], others[l]); c < best[t*k+l] {
					best[t*k+l] = c
				}
			}
		}
	}
	bestCost, last := int64(inf), -1
	for j, v := range others {
		c := best[full*k+j]
		if round {
			c += m.At(v, start)
		} else if v != end {
			continue
		}
		if c < bestCost {
			bestCost, last = c, j
		}
	}
	// Walk back.
	order := make([]int, k+1)
	s, j := full, last
	for pos := k; pos >= 1; pos-- {
		order[pos] = others[j]
		prev := s &^ (1 << j)
		if prev == 0 {
			break
		}
		want := best[s*k+j]
		for l := range k {
			if prev&(1<<l) != 0 && best[prev*k+l] != inf && best[prev*k+l]+m.At(others[l], others[j]) == want {
				s, j = prev, l
				break
			}
		}
	}
	order[0] = start
	return Result{Order: order, Cost: bestCost, LowerBound: bestCost, Optimal: true}
}
