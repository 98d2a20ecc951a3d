package osmnet

import "slices"

// cursor finds ids in a sorted slice, fast when successive queries are
// close to each other, as node ids in a sorted OSM file and along one way
// usually are: it gallops from the last hit instead of bisecting the whole
// slice. Not safe for concurrent use.
type cursor struct {
	ids []int64
	at  int
}

// find returns the index of id in c.ids and whether it is there.
func (c *cursor) find(id int64) (int, bool) {
	ids := c.ids
	if len(ids) == 0 {
		return 0, false
	}
	lo, hi := 0, len(ids)
	if at := c.at; at < len(ids) {
		if ids[at] == id {
			return at, true
		}
		// Gallop from at towards id to bracket it in [lo, hi).
		if ids[at] < id {
			lo, step := at+1, 1
			for lo+step < len(ids) && ids[lo+step] < id {
				lo += step
				step *= 2
			}
			hi = min(lo+step+1, len(ids))
			return c.bisect(lo, hi, id)
		}
		hi, step := at, 1
		for hi-step > 0 && ids[hi-step] > id {
			hi -= step
			step *= 2
		}
		lo = max(hi-step, 0)
		return c.bisect(lo, hi, id)
	}
	return c.bisect(lo, hi, id)
}

func (c *cursor) bisect(lo, hi int, id int64) (int, bool) {
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.ids[m] < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(c.ids) && c.ids[lo] == id {
		c.at = lo
		return lo, true
	}
	return lo, false
}

// sortIDs sorts ids in place: an LSD radix sort on 16-bit digits, skipping
// digits all ids share (OSM ids fit in 40 bits, so at most 3 passes run).
// It is several times faster than slices.Sort for the million refs of a
// district network. Small inputs use slices.Sort.
func sortIDs(ids []int64) {
	if len(ids) < 1<<12 {
		slices.Sort(ids)
		return
	}
	const flip = 1 << 63 // order negative ids first
	tmp := make([]int64, len(ids))
	src, dst := ids, tmp
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for _, v := range src {
			count[(uint64(v)^flip)>>shift&0xffff]++
		}
		if count[(uint64(src[0])^flip)>>shift&0xffff] == len(src) {
			continue // every id has this digit
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, v := range src {
			d := (uint64(v) ^ flip) >> shift & 0xffff
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ids[0] {
		copy(ids, src)
	}
}
