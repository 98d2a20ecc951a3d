package geo

import (
	"math"
	"math/big"

	"github.com/paulmach/orb"
)

// Exact geometric predicates: a floating-point evaluation with Shewchuk's
// static error bound, and an exact big.Rat evaluation when the bound cannot
// vouch for the sign (nearly collinear or cocircular points, e.g. a grid of
// sites). Float64 inputs are exact rationals, so the fallback is exact.

const (
	epsilon      = 1.1102230246251565e-16 // 2^-53
	ccwErrBound  = (3 + 16*epsilon) * epsilon
	iccErrBoundA = (10 + 96*epsilon) * epsilon
)

// orient returns a positive value when a, b, c turn counter-clockwise (c is
// left of a→b, y up), negative when clockwise, 0 when collinear. Only the
// sign is meaningful.
func orient(a, b, c orb.Point) float64 {
	l := (a[0] - c[0]) * (b[1] - c[1])
	r := (a[1] - c[1]) * (b[0] - c[0])
	det := l - r
	if math.Abs(det) > ccwErrBound*(math.Abs(l)+math.Abs(r)) {
		return det
	}
	return orientExact(a, b, c)
}

func orientExact(a, b, c orb.Point) float64 {
	ax, ay := sub(a[0], c[0]), sub(a[1], c[1])
	bx, by := sub(b[0], c[0]), sub(b[1], c[1])
	l := new(big.Rat).Mul(ax, by)
	r := new(big.Rat).Mul(ay, bx)
	return float64(l.Cmp(r))
}

// inCircle returns a positive value when d lies inside the circle through
// a, b, c (taken counter-clockwise), negative outside, 0 on it.
func inCircle(a, b, c, d orb.Point) float64 {
	adx, ady := a[0]-d[0], a[1]-d[1]
	bdx, bdy := b[0]-d[0], b[1]-d[1]
	cdx, cdy := c[0]-d[0], c[1]-d[1]
	bc, cb := bdx*cdy, cdx*bdy
	ca, ac := cdx*ady, adx*cdy
	ab, ba := adx*bdy, bdx*ady
	al := adx*adx + ady*ady
	bl := bdx*bdx + bdy*bdy
	cl := cdx*cdx + cdy*cdy
	det := al*(bc-cb) + bl*(ca-ac) + cl*(ab-ba)
	perm := (math.Abs(bc)+math.Abs(cb))*al + (math.Abs(ca)+math.Abs(ac))*bl + (math.Abs(ab)+math.Abs(ba))*cl
	if math.Abs(det) > iccErrBoundA*perm {
		return det
	}
	return inCircleExact(a, b, c, d)
}

func inCircleExact(a, b, c, d orb.Point) float64 {
	adx, ady := sub(a[0], d[0]), sub(a[1], d[1])
	bdx, bdy := sub(b[0], d[0]), sub(b[1], d[1])
	cdx, cdy := sub(c[0], d[0]), sub(c[1], d[1])
	lift := func(x, y *big.Rat) *big.Rat {
		s := new(big.Rat).Mul(x, x)
		return s.Add(s, new(big.Rat).Mul(y, y))
	}
	cross := func(x1, y1, x2, y2 *big.Rat) *big.Rat {
		s := new(big.Rat).Mul(x1, y2)
		return s.Sub(s, new(big.Rat).Mul(y1, x2))
	}
	det := new(big.Rat).Mul(lift(adx, ady), cross(bdx, bdy, cdx, cdy))
	det.Add(det, new(big.Rat).Mul(lift(bdx, bdy), cross(cdx, cdy, adx, ady)))
	det.Add(det, new(big.Rat).Mul(lift(cdx, cdy), cross(adx, ady, bdx, bdy)))
	return float64(det.Sign())
}

func sub(x, y float64) *big.Rat {
	r := new(big.Rat).SetFloat64(x)
	return r.Sub(r, new(big.Rat).SetFloat64(y))
}
