package catchment

// repair makes split units whole where a CHW can take them without
// breaking a limit (see Balance, KeepWhole). parts is updated in place.
func (b *balancer) repair(parts [][]rankPart) {
	nn := b.net.NumNodes()
	load := make([]int64, b.nc)
	for _, ps := range parts {
		for _, q := range ps {
			if q.chw >= 0 {
				load[q.chw] += q.h
			}
		}
	}
	for r, ps := range parts {
		if len(ps) < 2 {
			continue
		}
		w := b.w[r]
		var overNow int64
		for _, q := range ps {
			if q.chw >= 0 && b.over(b.ref[q.arc]) {
				overNow += q.h
			}
		}
		partAt := func(c int32) int64 {
			for _, q := range ps {
				if q.chw == c {
					return q.h
				}
			}
			return 0
		}
		bestArc := int32(-1)
		var bestKey [3]float64
		for _, a := range b.unitArc[r] {
			c := int32(int(b.net.dst[nn+int(a)]) - b.nu)
			if load[c]+w-partAt(c) > b.maxL[c] {
				continue
			}
			ok := true
			for _, q := range ps {
				if q.chw >= 0 && q.chw != c && load[q.chw]-q.h < b.minL[q.chw] {
					ok = false // it would deepen a shortfall
				}
			}
			over := b.ref[a] >= 0 && b.over(b.ref[a])
			if !ok || (over && w > overNow) {
				continue
			}
			var walk float64
			if b.ref[a] >= 0 {
				walk = float64(b.walks[b.ref[a]])
			}
			overH := 0.0
			if over {
				overH = float64(w)
			}
			moves := float64(b.shareTotal(r) - min(w, b.shareAt(r, c)))
			key := [3]float64{overH, moves, float64(w) * walk}
			if bestArc < 0 || lexLess(key[:], bestKey[:]) {
				bestArc, bestKey = a, key
			}
		}
		if bestArc < 0 {
			b.kept++
			continue
		}
		c := int32(int(b.net.dst[nn+int(bestArc)]) - b.nu)
		for _, q := range ps {
			if q.chw >= 0 {
				load[q.chw] -= q.h
			}
		}
		load[c] += w
		parts[r] = []rankPart{{chw: c, h: w, arc: bestArc}}
		b.merged++
	}
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
