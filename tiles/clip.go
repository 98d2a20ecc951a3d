package tiles

import "math"

// clipRing clips a closed ring to the rectangle [x0, x1] × [y0, y1]
// (Sutherland–Hodgman). Parts of a concave ring cut apart stay joined by
// edges along the rectangle's border, which fill nothing inside it.
func clipRing(ring []Pt, x0, y0, x1, y1 float64) []Pt {
	inside := true
	for _, p := range ring {
		if p.X < x0 || p.X > x1 || p.Y < y0 || p.Y > y1 {
			inside = false
			break
		}
	}
	if inside {
		return ring
	}
	out := ring
	type edge struct {
		in    func(Pt) bool
		cross func(a, b Pt) Pt
	}
	edges := []edge{
		{func(p Pt) bool { return p.X >= x0 }, func(a, b Pt) Pt { return atX(a, b, x0) }},
		{func(p Pt) bool { return p.X <= x1 }, func(a, b Pt) Pt { return atX(a, b, x1) }},
		{func(p Pt) bool { return p.Y >= y0 }, func(a, b Pt) Pt { return atY(a, b, y0) }},
		{func(p Pt) bool { return p.Y <= y1 }, func(a, b Pt) Pt { return atY(a, b, y1) }},
	}
	for _, e := range edges {
		if len(out) == 0 {
			return nil
		}
		in := out
		out = make([]Pt, 0, len(in)+4)
		prev := in[len(in)-1]
		for _, p := range in {
			switch pin, qin := e.in(p), e.in(prev); {
			case pin && qin:
				out = append(out, p)
			case pin:
				out = append(out, e.cross(prev, p), p)
			case qin:
				out = append(out, e.cross(prev, p))
			}
			prev = p
		}
	}
	return out
}

func atX(a, b Pt, x float64) Pt {
	t := (x - a.X) / (b.X - a.X)
	return Pt{x, a.Y + t*(b.Y-a.Y)}
}

func atY(a, b Pt, y float64) Pt {
	t := (y - a.Y) / (b.Y - a.Y)
	return Pt{a.X + t*(b.X-a.X), y}
}

// clipLine cuts a polyline to the rectangle (Liang–Barsky per segment),
// returning the pieces inside.
func clipLine(line []Pt, x0, y0, x1, y1 float64) [][]Pt {
	if len(line) == 1 {
		p := line[0]
		if p.X >= x0 && p.X <= x1 && p.Y >= y0 && p.Y <= y1 {
			return [][]Pt{line}
		}
		return nil
	}
	var parts [][]Pt
	var cur []Pt
	for i := 0; i+1 < len(line); i++ {
		a, b := line[i], line[i+1]
		t0, t1, ok := liangBarsky(a, b, x0, y0, x1, y1)
		if !ok {
			if cur != nil {
				parts, cur = append(parts, cur), nil
			}
			continue
		}
		pa := Pt{a.X + t0*(b.X-a.X), a.Y + t0*(b.Y-a.Y)}
		pb := Pt{a.X + t1*(b.X-a.X), a.Y + t1*(b.Y-a.Y)}
		if cur == nil || t0 > 0 {
			if cur != nil {
				parts = append(parts, cur)
			}
			cur = []Pt{pa}
		}
		cur = append(cur, pb)
		if t1 < 1 {
			parts, cur = append(parts, cur), nil
		}
	}
	if cur != nil {
		parts = append(parts, cur)
	}
	return parts
}

func liangBarsky(a, b Pt, x0, y0, x1, y1 float64) (t0, t1 float64, ok bool) {
	t0, t1 = 0, 1
	dx, dy := b.X-a.X, b.Y-a.Y
	for _, c := range [4][2]float64{{-dx, a.X - x0}, {dx, x1 - a.X}, {-dy, a.Y - y0}, {dy, y1 - a.Y}} {
		p, q := c[0], c[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, false
			}
			continue
		}
		r := q / p
		if p < 0 {
			t0 = math.Max(t0, r)
		} else {
			t1 = math.Min(t1, r)
		}
		if t0 > t1 {
			return 0, 0, false
		}
	}
	return t0, t1, true
}

// dashes cuts a polyline into its dashes: pattern alternates on and off
// lengths in pixels, starting with on.
func dashes(line []Pt, pattern []float64) [][]Pt {
	total := 0.0
	for _, d := range pattern {
		total += d
	}
	if total <= 0 {
		return [][]Pt{line}
	}
	var out [][]Pt
	k, left, on := 0, pattern[0], true
	var cur []Pt
	if on {
		cur = []Pt{line[0]}
	}
	for i := 0; i+1 < len(line); i++ {
		a, b := line[i], line[i+1]
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		pos := 0.0
		for l-pos > left {
			pos += left
			p := Pt{a.X + (b.X-a.X)*pos/l, a.Y + (b.Y-a.Y)*pos/l}
			if on {
				out = append(out, append(cur, p))
				cur = nil
			} else {
				cur = []Pt{p}
			}
			on = !on
			k = (k + 1) % len(pattern)
			left = pattern[k]
		}
		left -= l - pos
		if on {
			cur = append(cur, b)
		}
	}
	if on && len(cur) > 1 {
		out = append(out, cur)
	}
	return out
}
