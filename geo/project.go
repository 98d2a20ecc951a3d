package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Local is an equirectangular projection centred on a point: it maps lon/lat
// to metres east and north of the centre. Within a district (tens of km) its
// error is well under 0.1 %, and it is far cheaper than a true projection, so
// the hot loops (snapping, densifying, partitioning) work in Local metres.
// The zero value is centred on (0, 0).
type Local struct {
	lon0, lat0 float64
	kx, ky     float64 // metres per degree
}

// NewLocal returns the local projection centred on c.
func NewLocal(c orb.Point) Local {
	ky := float64(EarthRadius) * math.Pi / 180
	return Local{lon0: c[0], lat0: c[1], kx: ky * math.Cos(c[1]*math.Pi/180), ky: ky}
}

// Forward maps a lon/lat point to local metres (x east, y north).
func (l Local) Forward(p orb.Point) orb.Point {
	return orb.Point{(p[0] - l.lon0) * l.kx, (p[1] - l.lat0) * l.ky}
}

// Inverse maps local metres back to lon/lat.
func (l Local) Inverse(p orb.Point) orb.Point {
	return orb.Point{l.lon0 + p[0]/l.kx, l.lat0 + p[1]/l.ky}
}
