package osmnet

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
