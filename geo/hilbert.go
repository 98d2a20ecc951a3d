package geo

// HilbertKey returns the distance along the Hilbert curve through the
// 2^16 × 2^16 grid of cell (x, y), each in [0, 65535]. Sorting by it keeps
// points that are near on the plane mostly near in the order, which is
// what spatial indexes and builders sort by for cache locality.
func HilbertKey(x, y uint32) uint64 {
	var d uint64
	for s := uint32(1 << 15); s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = s-1-x, s-1-y
			}
			x, y = y, x
		}
	}
	return d
}
