package hydro

import (
	"context"
	"flag"
	"math"
	"math/rand/v2"
	"testing"
)

var seed = flag.Uint64("seed", 1, "random seed for the property tests")

// cell is 3″, SRTM's spacing: about 92 m.
const cell = 1.0 / 1200

// gridOf returns a grid of cols × rows values from f(col, row) near 6° N.
func gridOf(cols, rows int, f func(c, r int) float64) *Grid {
	g := &Grid{Cols: cols, Rows: rows, Z: make([]float32, cols*rows), Lon0: -8, Lat0: 6, DLon: cell, DLat: cell}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			g.Z[r*cols+c] = float32(f(c, r))
		}
	}
	return g
}

// vValley is a valley along column mid, falling 0.5 m a cell to the south,
// with sides rising 2 m a cell.
func vValley(cols, rows int) *Grid {
	mid := cols / 2
	return gridOf(cols, rows, func(c, r int) float64 {
		return 100 + 2*math.Abs(float64(c-mid)) + 0.5*float64(rows-1-r)
	})
}

func TestValleyStreamFollowsFloor(t *testing.T) {
	g := vValley(41, 60)
	area := g.CellKm2(30)
	d, err := Derive(context.Background(), g, &Options{StreamKm2: 60 * area, RiverKm2: 1e9})
	if err != nil {
		t.Fatal(err)
	}
	floor := 0
	for i, o := range d.Order {
		if o == 0 {
			continue
		}
		if c := i % g.Cols; c != 20 {
			t.Errorf("stream cell at column %d row %d (area %.3f km²), want only the valley floor (column 20)", c, i/g.Cols, d.AreaKm2[i])
		}
		floor++
	}
	// Edge cells drain out of the grid, so the floor collects 39 cells a
	// row from row 1: at row r it passes 39·r cells, 60 or more from row 2.
	if floor != 58 {
		t.Errorf("%d stream cells on the floor, want 58", floor)
	}
	if len(d.Streams) != 1 {
		t.Fatalf("%d links, want 1", len(d.Streams))
	}
	s := d.Streams[0]
	if s.Order != 1 || s.Down != -1 || s.River || len(s.Line) != 58 {
		t.Errorf("link = order %d, down %d, river %v, %d points; want order 1, down -1, stream, 58 points", s.Order, s.Down, s.River, len(s.Line))
	}
	if last := s.Line[len(s.Line)-1]; last != g.Centre(20, 59) {
		t.Errorf("link ends at %v, want the valley's outlet %v", last, g.Centre(20, 59))
	}
	// Everything inside drains to the valley floor and out at its foot,
	// which is itself an edge cell.
	want := g.CellKm2(g.Rows - 1)
	for r := 1; r < g.Rows-1; r++ {
		want += 39 * g.CellKm2(r)
	}
	if got := d.AreaKm2[59*41+20]; math.Abs(got-want) > 1e-9 {
		t.Errorf("outlet area = %.6f km², want %.6f", got, want)
	}
}

func TestFillPit(t *testing.T) {
	g := gridOf(21, 21, func(c, r int) float64 { return 50 + 0.3*float64(20-r) + 0.1*float64(c) })
	pit := 10*21 + 10
	g.Z[pit] -= 5
	filled, err := Fill(g)
	if err != nil {
		t.Fatal(err)
	}
	low := float32(math.Inf(1))
	for d := 0; d < 8; d++ {
		low = min(low, g.Z[pit+dRow[d]*21+dCol[d]])
	}
	if want := math.Nextafter32(low, float32(math.Inf(1))); filled[pit] != want {
		t.Errorf("pit filled to %v, want %v (just above its lowest neighbour %v)", filled[pit], want, low)
	}
	for i := range filled {
		if i != pit && filled[i] != g.Z[i] {
			t.Errorf("cell %d changed from %v to %v; only the pit should", i, g.Z[i], filled[i])
		}
	}
	dirs, err := FlowDirections(g, filled)
	if err != nil {
		t.Fatal(err)
	}
	if j := g.next(pit, dirs[pit]); j < 0 || g.Z[j] != low {
		t.Errorf("pit drains to cell %d, want its lowest neighbour (%v)", j, low)
	}
}

// oracleFill is the slow reference: water level W starts at +∞ inside and
// at the elevation on outlets, and W = max(z, min of neighbours' W) is
// repeated until nothing changes (Planchon and Darboux 2001, without ε).
func oracleFill(g *Grid) []float64 {
	w := make([]float64, len(g.Z))
	for i := range w {
		c, r := i%g.Cols, i/g.Cols
		switch {
		case g.Z[i] != g.Z[i]:
			w[i] = math.NaN()
		case isOutlet(g.Z, g.Cols, g.Rows, c, r):
			w[i] = float64(g.Z[i])
		default:
			w[i] = math.Inf(1)
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range w {
			c, r := i%g.Cols, i/g.Cols
			if math.IsNaN(w[i]) || isOutlet(g.Z, g.Cols, g.Rows, c, r) {
				continue
			}
			low := math.Inf(1)
			for d := 0; d < 8; d++ {
				if v := w[(r+dRow[d])*g.Cols+c+dCol[d]]; v < low {
					low = v
				}
			}
			if nw := math.Max(float64(g.Z[i]), low); nw < w[i] {
				w[i], changed = nw, true
			}
		}
	}
	return w
}

// randomGrid is rough random terrain with pits, flats and no-data holes.
func randomGrid(rng *rand.Rand, cols, rows int) *Grid {
	g := gridOf(cols, rows, func(c, r int) float64 {
		v := 100 + 5*math.Sin(float64(c)/3) + 4*math.Cos(float64(r)/4) + float64(rng.IntN(6))
		if rng.IntN(7) == 0 {
			v = 100 // flats
		}
		return v
	})
	for k := 0; k < cols*rows/40; k++ {
		g.Z[rng.IntN(len(g.Z))] = float32(math.NaN())
	}
	return g
}

func TestFillAgainstOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seed, 7))
	for trial := 0; trial < 30; trial++ {
		cols, rows := 3+rng.IntN(30), 3+rng.IntN(30)
		g := randomGrid(rng, cols, rows)
		filled, err := Fill(g)
		if err != nil {
			t.Fatal(err)
		}
		want := oracleFill(g)
		dirs, err := FlowDirections(g, filled)
		if err != nil {
			t.Fatal(err)
		}
		for i := range filled {
			c, r := i%cols, i/cols
			if math.IsNaN(want[i]) {
				if filled[i] == filled[i] || dirs[i] != NoData {
					t.Fatalf("trial %d: no-data cell (%d,%d) became %v, dir %d", trial, c, r, filled[i], dirs[i])
				}
				continue
			}
			// ε-filling lifts flats by a few float32 steps (≈1e-5 m each
			// at 100 m) per cell of the flat.
			if d := float64(filled[i]) - want[i]; d < -1e-9 || d > 1e-2 {
				t.Fatalf("trial %d: Fill(%d,%d) = %v, oracle %v", trial, c, r, filled[i], want[i])
			}
			// Every cell drains: outlets leave the grid, the others go
			// strictly downhill.
			if isOutlet(g.Z, cols, rows, c, r) {
				if dirs[i] != Out {
					t.Fatalf("trial %d: outlet (%d,%d) has direction %d, want Out", trial, c, r, dirs[i])
				}
			} else if j := g.next(i, dirs[i]); j < 0 || !(filled[j] < filled[i]) {
				t.Fatalf("trial %d: cell (%d,%d) at %v drains to %d, not strictly lower", trial, c, r, filled[i], j)
			}
		}
	}
}

func TestAccumulateAgainstWalkDown(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seed, 11))
	for trial := 0; trial < 20; trial++ {
		g := randomGrid(rng, 5+rng.IntN(25), 5+rng.IntN(25))
		filled, _ := Fill(g)
		dirs, _ := FlowDirections(g, filled)
		acc, err := Accumulate(g, dirs)
		if err != nil {
			t.Fatal(err)
		}
		// Reference: walk every cell down to its outlet, adding its area
		// to each cell on the way.
		want := make([]float64, len(acc))
		total, out := 0.0, 0.0
		for i, d := range dirs {
			if d == NoData {
				continue
			}
			a := g.CellKm2(i / g.Cols)
			total += a
			for j, steps := i, 0; j >= 0; j, steps = g.next(j, dirs[j]), steps+1 {
				if steps > len(dirs) {
					t.Fatalf("trial %d: cycle from cell %d", trial, i)
				}
				want[j] += a
			}
		}
		for i := range acc {
			if math.Abs(acc[i]-want[i]) > 1e-9 {
				t.Fatalf("trial %d: area(%d) = %v, want %v", trial, i, acc[i], want[i])
			}
			if dirs[i] == Out {
				out += acc[i]
			}
		}
		if math.Abs(out-total) > 1e-9 {
			t.Errorf("trial %d: outlets pass %v km², the grid holds %v", trial, out, total)
		}
	}
}

// TestStrahlerY: two branches of order 1 meet and make a trunk of order 2,
// which becomes a river further down.
func TestStrahlerY(t *testing.T) {
	g := gridOf(5, 6, func(c, r int) float64 { return 0 })
	dirs := make([]Dir, 30)
	for i := range dirs {
		dirs[i] = Out
	}
	at := func(c, r int) int { return r*5 + c }
	dirs[at(0, 0)], dirs[at(1, 1)] = SouthEast, SouthEast
	dirs[at(4, 0)], dirs[at(3, 1)] = SouthWest, SouthWest
	dirs[at(2, 2)], dirs[at(2, 3)], dirs[at(2, 4)] = South, South, South
	acc, err := Accumulate(g, dirs)
	if err != nil {
		t.Fatal(err)
	}
	a := g.CellKm2(3)
	d, err := Extract(g, dirs, acc, &Options{StreamKm2: 0.5 * a, RiverKm2: 6.5 * a})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		first, last [2]int
		order       int
		cells       float64
		river       bool
		down        int
	}
	wants := []want{
		{[2]int{0, 0}, [2]int{2, 2}, 1, 2, false, 2},
		{[2]int{4, 0}, [2]int{2, 2}, 1, 2, false, 2},
		{[2]int{2, 2}, [2]int{2, 4}, 2, 6, false, 3},
		{[2]int{2, 4}, [2]int{2, 5}, 2, 8, true, -1},
	}
	if len(d.Streams) != len(wants) {
		t.Fatalf("%d links, want %d: %+v", len(d.Streams), len(wants), d.Streams)
	}
	for k, w := range wants {
		s := d.Streams[k]
		if s.ID != k || s.Line[0] != g.Centre(w.first[0], w.first[1]) || s.Line[len(s.Line)-1] != g.Centre(w.last[0], w.last[1]) ||
			s.Order != w.order || math.Abs(s.AreaKm2/a-w.cells) > 0.01 || s.River != w.river || s.Down != w.down {
			t.Errorf("link %d = %+v, want %+v", k, s, w)
		}
	}
}

func TestOptionsRejected(t *testing.T) {
	g := vValley(5, 5)
	for _, o := range []Options{{StreamKm2: -1}, {StreamKm2: 5, RiverKm2: 2}, {StreamKm2: math.Inf(1)}, {RiverKm2: math.NaN()}} {
		if _, err := Derive(context.Background(), g, &o); err == nil {
			t.Errorf("Derive with %+v: no error", o)
		}
	}
	bad := []*Grid{
		{Cols: 2, Rows: 2, Z: make([]float32, 3), DLon: cell, DLat: cell},
		{Cols: 2, Rows: 2, Z: make([]float32, 4), DLon: 0, DLat: cell},
		{Cols: 0, Rows: 2, DLon: cell, DLat: cell},
		{Cols: 2, Rows: 2, Z: make([]float32, 4), Lat0: 91, DLon: cell, DLat: cell},
	}
	for _, b := range bad {
		if _, err := Fill(b); err == nil {
			t.Errorf("Fill(%d×%d, %d values, origin %v,%v): no error", b.Cols, b.Rows, len(b.Z), b.Lon0, b.Lat0)
		}
	}
}

func TestDeriveDeterministicAndCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seed, 3))
	g := randomGrid(rng, 60, 50)
	opts := &Options{StreamKm2: 0.05, RiverKm2: 0.2}
	a, err := Derive(context.Background(), g, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Derive(context.Background(), g, opts)
	if len(a.Streams) != len(b.Streams) {
		t.Fatalf("two runs gave %d and %d links", len(a.Streams), len(b.Streams))
	}
	for k := range a.Streams {
		if a.Streams[k].Line.Equal(b.Streams[k].Line) == false || a.Streams[k].Order != b.Streams[k].Order {
			t.Fatalf("link %d differs between runs", k)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Derive(ctx, g, opts); err != context.Canceled {
		t.Errorf("cancelled Derive: err = %v, want context.Canceled", err)
	}
}
