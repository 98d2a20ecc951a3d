package routing

import (
	"context"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// fixCenter is where hand-made networks sit: on the equator, so a local
// metre grid is nearly exact.
var fixCenter = orb.Point{10, 0}

var fixLocal = geo.NewLocal(fixCenter)

// xy returns the lon/lat point x metres east and y metres north of
// fixCenter.
func xy(x, y float64) orb.Point { return fixLocal.Inverse(orb.Point{x, y}) }

// fixture builds netInputs from metre coordinates.
type fixture struct {
	in netInput
}

// node adds a node at (x, y) metres and returns its index.
func (f *fixture) node(x, y float64) int32 {
	f.in.Pts = append(f.in.Pts, xy(x, y))
	f.in.NodeID = append(f.in.NodeID, int64(len(f.in.Pts)))
	f.in.Ford = append(f.in.Ford, false)
	return int32(len(f.in.Pts) - 1)
}

// way adds a way through the given nodes; mod edits it before it is added.
func (f *fixture) way(highway string, nodes []int32, mod ...func(*wayInput)) {
	w := wayInput{ID: int64(len(f.in.Ways) + 1), Nodes: nodes, Highway: highway}
	for _, m := range mod {
		m(&w)
	}
	f.in.Ways = append(f.in.Ways, w)
}

// water adds a waterway line through metre points.
func (f *fixture) water(kind string, width float64, pts ...[2]float64) {
	w := waterInput{ID: int64(len(f.in.Waters) + 1), Kind: kind, Width: width}
	for _, p := range pts {
		w.Pts = append(w.Pts, xy(p[0], p[1]))
	}
	f.in.Waters = append(f.in.Waters, w)
}

// area adds a rectangular water area.
func (f *fixture) area(x0, y0, x1, y1 float64) {
	ring := orb.Ring{xy(x0, y0), xy(x1, y0), xy(x1, y1), xy(x0, y1), xy(x0, y0)}
	f.in.Areas = append(f.in.Areas, areaInput{ID: int64(len(f.in.Areas) + 1), Poly: orb.MultiPolygon{{ring}}})
}

// line adds nodes every step metres from (x0,y0) to (x1,y1) (both
// included) and returns them.
func (f *fixture) line(x0, y0, x1, y1 float64, n int) []int32 {
	out := make([]int32, 0, n+1)
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(n)
		out = append(out, f.node(x0+(x1-x0)*t, y0+(y1-y0)*t))
	}
	return out
}

func (f *fixture) build(tb testing.TB, elev elevModel, prof Profile) (*Graph, *BuildReport) {
	tb.Helper()
	g, rep, err := buildGraph(context.Background(), &f.in, elev, prof, nil)
	if err != nil {
		tb.Fatalf("buildGraph: %v", err)
	}
	return g, rep
}

// plane is a DEM z = z0 + sx·x + sy·y over metre coordinates around
// fixCenter; outside (when limit > 0 and |x| > limit) it has no value.
type plane struct {
	z0, sx, sy float64
	limitX     float64
}

func (p plane) Elevation(q orb.Point) (float64, bool) {
	m := fixLocal.Forward(q)
	if p.limitX > 0 && m[0] > p.limitX {
		return 0, false
	}
	return p.z0 + p.sx*m[0] + p.sy*m[1], true
}

// Compare floats with a named tolerance.
const (
	relTol = 0.003 // haversine vs the local metre grid, and ms rounding
)

func near(a, b, rel float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	m := b
	if m < 0 {
		m = -m
	}
	return d <= rel*m+1e-6
}

// Bound makes plane a dem.Model (its extent is unbounded; report the world).
func (plane) Bound() orb.Bound { return orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}} }
