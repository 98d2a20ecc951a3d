package hydro

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Default thresholds for SRTM 3″ in humid West African forest (see the
// package documentation for why).
const (
	DefaultStreamKm2 = 1.0
	DefaultRiverKm2  = 100.0
)

// Options sets the contributing-area thresholds. A nil *Options or a zero
// field means the default.
type Options struct {
	// StreamKm2 is the contributing area (km²) from which a cell is a
	// stream (default DefaultStreamKm2).
	StreamKm2 float64
	// RiverKm2 is the contributing area (km²) from which a stream is a
	// river (default DefaultRiverKm2); at least StreamKm2.
	RiverKm2 float64
}

// thresholds returns the options with defaults filled in, checked.
func (o *Options) thresholds() (stream, river float64, err error) {
	stream, river = DefaultStreamKm2, DefaultRiverKm2
	if o != nil {
		if o.StreamKm2 != 0 {
			stream = o.StreamKm2
		}
		if o.RiverKm2 != 0 {
			river = o.RiverKm2
		}
	}
	if !(stream > 0) || math.IsInf(stream, 0) || !(river >= stream) || math.IsInf(river, 0) {
		return 0, 0, fmt.Errorf("hydro: thresholds stream %v km², river %v km²: want 0 < stream <= river", stream, river)
	}
	return stream, river, nil
}

// Stream is one link of the derived drainage network: from a source, a
// confluence or the point where a stream becomes a river, down to the next
// confluence (its last vertex, shared with the links that meet there) or the
// grid's edge. Every vertex is a cell centre.
type Stream struct {
	ID   int            // index in Drainage.Streams, in order of the first cell
	Line orb.LineString // downstream, lon/lat, at least two points
	// Order is the Strahler order: 1 for a link from a source; where two
	// links of order k meet the link below has order k+1, otherwise the
	// larger order continues.
	Order int
	// AreaKm2 is the contributing area at the link's last own cell (just
	// above the confluence it flows into), its largest.
	AreaKm2 float64
	// River is set when the link's contributing area reaches the river
	// threshold (all along it: a link is cut where a stream becomes a river).
	River bool
	// Down is the ID of the link this one flows into, or -1 when it leaves
	// the grid.
	Down int
}

// Drainage is the derived drainage network of a grid.
type Drainage struct {
	Grid    *Grid
	Dirs    []Dir     // D8 direction per cell
	AreaKm2 []float64 // contributing area per cell
	// Order is the Strahler order per cell, 0 for cells that are not
	// streams.
	Order   []uint8
	Streams []Stream
	// StreamKm2 and RiverKm2 are the thresholds used.
	StreamKm2, RiverKm2 float64
}

// Derive fills the grid's sinks, computes D8 flow directions and
// contributing areas, and extracts the streams and rivers (see the package
// documentation). It does not keep or modify g.Z. Cancelling ctx stops it
// between steps with ctx.Err().
func Derive(ctx context.Context, g *Grid, opts *Options) (*Drainage, error) {
	if _, _, err := opts.thresholds(); err != nil {
		return nil, err
	}
	filled, err := Fill(g)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dirs, err := FlowDirections(g, filled)
	if err != nil {
		return nil, err
	}
	filled = nil
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	order := topoOrder(g, dirs)
	acc := make([]float64, len(dirs))
	if err := accumulate(g, dirs, order, acc); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return extract(g, dirs, acc, order, opts)
}

// Extract finds the streams and rivers given flow directions and
// contributing areas (from FlowDirections and Accumulate on g).
func Extract(g *Grid, dirs []Dir, areaKm2 []float64, opts *Options) (*Drainage, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if len(dirs) != len(g.Z) || len(areaKm2) != len(g.Z) {
		return nil, fmt.Errorf("hydro: %d directions and %d areas for a %d×%d grid", len(dirs), len(areaKm2), g.Cols, g.Rows)
	}
	return extract(g, dirs, areaKm2, topoOrder(g, dirs), opts)
}

func extract(g *Grid, dirs []Dir, acc []float64, topo []int32, opts *Options) (*Drainage, error) {
	streamKm2, riverKm2, err := opts.thresholds()
	if err != nil {
		return nil, err
	}
	n := len(dirs)
	isStream := func(i int) bool { return dirs[i] != NoData && acc[i] >= streamKm2 }
	// Strahler order, upstream first: maxUp and nMax are the largest order
	// draining into a cell and how many inflows have it; ups counts the
	// stream cells draining into it.
	ord := make([]uint8, n)
	maxUp := make([]uint8, n)
	nMax := make([]uint8, n)
	ups := make([]uint8, n)
	for _, i := range topo {
		if !isStream(int(i)) {
			continue
		}
		o := uint8(1)
		if nMax[i] >= 2 {
			o = maxUp[i] + 1
		} else if nMax[i] == 1 {
			o = maxUp[i]
		}
		ord[i] = o
		if j := g.next(int(i), dirs[i]); j >= 0 {
			ups[j]++
			switch {
			case o > maxUp[j]:
				maxUp[j], nMax[j] = o, 1
			case o == maxUp[j]:
				nMax[j]++
			}
		}
	}
	maxUp, nMax = nil, nil
	// A link starts at a source (no stream inflow), a confluence (two or
	// more) or where a stream becomes a river.
	isHead := func(i int) bool {
		if ups[i] != 1 {
			return true
		}
		return acc[i] >= riverKm2 && !riverAbove(g, dirs, acc, i, riverKm2)
	}
	linkAt := make(map[int32]int)
	var heads []int32
	for i := 0; i < n; i++ {
		if isStream(i) && isHead(i) {
			linkAt[int32(i)] = len(heads)
			heads = append(heads, int32(i))
		}
	}
	d := &Drainage{Grid: g, Dirs: dirs, AreaKm2: acc, Order: ord, StreamKm2: streamKm2, RiverKm2: riverKm2}
	links := make([]Stream, len(heads))
	keep := make([]bool, len(heads))
	for k, h := range heads {
		cur := int(h)
		line := orb.LineString{g.Centre(cur%g.Cols, cur/g.Cols)}
		down := -1
		for {
			j := g.next(cur, dirs[cur])
			if j < 0 || !isStream(j) {
				break
			}
			line = append(line, g.Centre(j%g.Cols, j/g.Cols))
			if l, ok := linkAt[int32(j)]; ok {
				down = l
				break
			}
			cur = j
		}
		links[k] = Stream{Line: line, Order: int(ord[h]), AreaKm2: acc[cur], River: acc[h] >= riverKm2, Down: down}
		keep[k] = len(line) >= 2
	}
	// Renumber without the one-cell links at the grid's edge (a line needs
	// two points); a link flowing into one of them leaves the grid there.
	id := make([]int, len(links))
	for k := range links {
		id[k] = -1
		if keep[k] {
			id[k] = len(d.Streams)
			d.Streams = append(d.Streams, links[k])
		}
	}
	for k := range d.Streams {
		s := &d.Streams[k]
		s.ID = k
		if s.Down >= 0 {
			s.Down = id[s.Down]
		}
	}
	return d, nil
}

// riverAbove reports whether a river cell draining into cell i exists.
func riverAbove(g *Grid, dirs []Dir, acc []float64, i int, riverKm2 float64) bool {
	c, r := i%g.Cols, i/g.Cols
	for dd := 0; dd < 8; dd++ {
		cc, rr := c+dCol[dd], r+dRow[dd]
		if cc < 0 || cc >= g.Cols || rr < 0 || rr >= g.Rows {
			continue
		}
		j := rr*g.Cols + cc
		if g.next(j, dirs[j]) == i && acc[j] >= riverKm2 {
			return true
		}
	}
	return false
}

// StreamCells returns the number of stream cells and of river cells.
func (d *Drainage) StreamCells() (streams, rivers int) {
	for i, o := range d.Order {
		if o > 0 {
			streams++
			if d.AreaKm2[i] >= d.RiverKm2 {
				rivers++
			}
		}
	}
	return streams, rivers
}
