package geo

import "github.com/paulmach/orb"

// cleanRing makes an open ring that exact degeneracies may have bent into
// a valid one: it drops repeated vertices and zero-width spikes (a vertex
// where the ring runs along a line and straight back, as where an outline
// runs exactly along a cell edge), then splits the ring where it touches
// itself at a vertex (two parts of a cell meeting at one point) into
// separate rings. Each returned ring keeps its orientation: positive area
// for a shell, negative for a hole; zero-area rings are dropped.
func cleanRing(pts []orb.Point) [][]orb.Point {
	r := dropSpikes(dedupeRing(pts))
	if len(r) < 3 {
		return nil
	}
	var out [][]orb.Point
	var split func(r []orb.Point)
	split = func(r []orb.Point) {
		seen := make(map[orb.Point]int, len(r))
		for j, p := range r {
			if i, ok := seen[p]; ok {
				inner := append([]orb.Point(nil), r[i:j]...)
				outer := append(append([]orb.Point(nil), r[:i]...), r[j:]...)
				split(dropSpikes(inner))
				split(dropSpikes(outer))
				return
			}
			seen[p] = j
		}
		if len(r) >= 3 && ringArea(r) != 0 {
			out = append(out, r)
		}
	}
	split(r)
	return out
}

// dropSpikes removes, until none is left, every vertex where the ring
// turns straight back on itself (exactly collinear neighbours on the same
// side), and the repeats this leaves.
func dropSpikes(r []orb.Point) []orb.Point {
	for changed := true; changed && len(r) >= 3; {
		changed = false
		out := r[:0:0]
		for _, p := range r {
			out = append(out, p)
			for len(out) >= 2 && out[len(out)-1] == out[len(out)-2] {
				out = out[:len(out)-1]
			}
			for len(out) >= 3 && isSpike(out[len(out)-3], out[len(out)-2], out[len(out)-1]) {
				out = append(out[:len(out)-2], out[len(out)-1])
				changed = true
				for len(out) >= 2 && out[len(out)-1] == out[len(out)-2] {
					out = out[:len(out)-1]
				}
			}
		}
		// The seam: the last vertices against the first ones.
		for len(out) >= 3 {
			n := len(out)
			switch {
			case out[n-1] == out[0]:
				out = out[:n-1]
			case isSpike(out[n-2], out[n-1], out[0]):
				out = out[:n-1]
			case isSpike(out[n-1], out[0], out[1]):
				out = out[1:]
			default:
				n = -1
			}
			if n < 0 {
				break
			}
			changed = true
		}
		r = out
	}
	return r
}

// isSpike reports whether the ring turns straight back at b.
func isSpike(a, b, c orb.Point) bool {
	if orient(a, b, c) != 0 {
		return false
	}
	return (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) < 0
}
