package routing

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// ErrFormat is the sentinel under errors decoding a stored graph.
var ErrFormat = errors.New("routing: bad stored graph")

// graphMagic opens the binary form; the digit is the format version.
const graphMagic = "LMWALK02"

// enc appends little-endian values.
type enc struct{ b []byte }

func (e *enc) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *enc) u64(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *enc) f64(v float64) {
	e.u64(math.Float64bits(v))
}
func (e *enc) str(s string) { e.u32(uint32(len(s))); e.b = append(e.b, s...) }

func (e *enc) u32s(s []uint32) {
	e.u32(uint32(len(s)))
	for _, v := range s {
		e.u32(v)
	}
}
func (e *enc) f32s(s []float32) {
	e.u32(uint32(len(s)))
	for _, v := range s {
		e.u32(math.Float32bits(v))
	}
}
func (e *enc) i64s(s []int64) {
	e.u32(uint32(len(s)))
	for _, v := range s {
		e.u64(uint64(v))
	}
}
func (e *enc) pts(s []orb.Point) {
	e.u32(uint32(len(s)))
	for _, p := range s {
		e.f64(p[0])
		e.f64(p[1])
	}
}

// dec reads what enc wrote with a sticky error; every length is checked
// against the bytes left, so a corrupt blob cannot force a huge allocation.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated or corrupt at %s", ErrFormat, what)
	}
}

func (d *dec) take(n uint64, what string) []byte {
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail(what)
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *dec) u32(what string) uint32 {
	b := d.take(4, what)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (d *dec) u64(what string) uint64 {
	b := d.take(8, what)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (d *dec) f64(what string) float64 { return math.Float64frombits(d.u64(what)) }

func (d *dec) str(what string) string { return string(d.take(uint64(d.u32(what)), what)) }

func (d *dec) u32s(what string) []uint32 {
	n := uint64(d.u32(what))
	b := d.take(4*n, what)
	if b == nil {
		return nil
	}
	out := make([]uint32, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

func (d *dec) f32s(what string) []float32 {
	u := d.u32s(what)
	if u == nil {
		return nil
	}
	out := make([]float32, len(u))
	for i, v := range u {
		out[i] = math.Float32frombits(v)
	}
	return out
}

func (d *dec) i64s(what string) []int64 {
	n := uint64(d.u32(what))
	b := d.take(8*n, what)
	if b == nil {
		return nil
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

func (d *dec) pts(what string) []orb.Point {
	n := uint64(d.u32(what))
	b := d.take(16*n, what)
	if b == nil {
		return nil
	}
	out := make([]orb.Point, n)
	for i := range out {
		out[i] = orb.Point{
			math.Float64frombits(binary.LittleEndian.Uint64(b[16*i:])),
			math.Float64frombits(binary.LittleEndian.Uint64(b[16*i+8:])),
		}
	}
	return out
}

// marshalArrays encodes the graph's arrays (not the profile, not the
// hierarchy) in a fixed order.
func (g *Graph) marshalArrays() []byte {
	e := &enc{b: make([]byte, 0, 64+len(g.pts)*20+len(g.edgeFrom)*48)}
	e.b = append(e.b, graphMagic...)
	e.i64s(g.nodeOSM)
	e.pts(g.nodePt)
	e.u32s(g.nodeComp)
	e.u32s(g.edgeFrom)
	e.u32s(g.edgeTo)
	e.u32s(g.geomOff)
	e.pts(g.pts)
	e.f32s(g.z)
	e.f32s(g.length)
	e.f32s(g.ascent)
	e.f32s(g.descent)
	e.u32s(g.fwd)
	e.u32s(g.bwd)
	e.f32s(g.factor)
	cls := make([]uint32, len(g.class))
	for i, c := range g.class {
		cls[i] = uint32(c)
	}
	e.u32s(cls)
	e.u32(uint32(len(g.classes)))
	for _, s := range g.classes {
		e.str(s)
	}
	e.i64s(g.wayID)
	cr := make([]uint32, len(g.cross))
	for i, c := range g.cross {
		cr[i] = uint32(c)
	}
	e.u32s(cr)
	tun := make([]uint32, len(g.tunnel))
	for i, t := range g.tunnel {
		if t {
			tun[i] = 1
		}
	}
	e.u32s(tun)
	e.u32s(g.crossOff)
	e.f32s(g.crossAt)
	e.u32s(g.crossMs)
	e.u32(uint32(len(g.comps)))
	for _, c := range g.comps {
		e.u32(uint32(c.Nodes))
		e.u32(uint32(c.Edges))
		e.f64(float64(c.Length))
	}
	return e.b
}

// unmarshalArrays decodes marshalArrays' output into g and checks that
// every index is in range, so queries on a decoded graph cannot panic.
func (g *Graph) unmarshalArrays(b []byte) error {
	if len(b) < len(graphMagic) || string(b[:len(graphMagic)]) != graphMagic {
		return fmt.Errorf("%w: not a lastmile walking graph (magic)", ErrFormat)
	}
	d := &dec{b: b[len(graphMagic):]}
	g.nodeOSM = d.i64s("node ids")
	g.nodePt = d.pts("node points")
	g.nodeComp = d.u32s("node components")
	g.edgeFrom = d.u32s("edge from")
	g.edgeTo = d.u32s("edge to")
	g.geomOff = d.u32s("geometry offsets")
	g.pts = d.pts("geometry")
	g.z = d.f32s("elevations")
	g.length = d.f32s("lengths")
	g.ascent = d.f32s("ascents")
	g.descent = d.f32s("descents")
	g.fwd = d.u32s("forward weights")
	g.bwd = d.u32s("backward weights")
	g.factor = d.f32s("factors")
	cls := d.u32s("classes")
	nc := d.u32("class names")
	if uint64(nc) > uint64(len(d.b))/4 {
		d.fail("class names")
	}
	g.classes = nil
	for i := uint32(0); i < nc && d.err == nil; i++ {
		g.classes = append(g.classes, d.str("class name"))
	}
	g.wayID = d.i64s("way ids")
	cr := d.u32s("crossings")
	tun := d.u32s("tunnels")
	g.crossOff = d.u32s("crossing offsets")
	g.crossAt = d.f32s("crossing positions")
	g.crossMs = d.u32s("crossing times")
	ncomp := d.u32("components")
	if uint64(ncomp) > uint64(len(d.b))/16 {
		d.fail("components")
	}
	g.comps = nil
	for i := uint32(0); i < ncomp && d.err == nil; i++ {
		c := Component{ID: int(i), Largest: i == 0}
		c.Nodes = int(d.u32("component"))
		c.Edges = int(d.u32("component"))
		c.Length = geo.Meters(d.f64("component"))
		g.comps = append(g.comps, c)
	}
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(d.b))
	}
	g.class = make([]uint16, len(cls))
	for i, c := range cls {
		if c >= uint32(len(g.classes)) {
			return fmt.Errorf("%w: edge %d: class %d out of range", ErrFormat, i, c)
		}
		g.class[i] = uint16(c)
	}
	g.tunnel = make([]bool, len(tun))
	for i, t := range tun {
		if t > 1 {
			return fmt.Errorf("%w: edge %d: tunnel flag %d", ErrFormat, i, t)
		}
		g.tunnel[i] = t == 1
	}
	g.cross = make([]Crossing, len(cr))
	for i, c := range cr {
		if c > uint32(CrossPenalty) {
			return fmt.Errorf("%w: edge %d: crossing kind %d", ErrFormat, i, c)
		}
		g.cross[i] = Crossing(c)
	}
	return g.check()
}

// check validates the arrays' lengths and indices.
func (g *Graph) check() error {
	n, m := len(g.nodePt), len(g.edgeFrom)
	bad := func(what string) error { return fmt.Errorf("%w: %s", ErrFormat, what) }
	if len(g.nodeOSM) != n || len(g.nodeComp) != n {
		return bad("node arrays differ in length")
	}
	for _, l := range []int{len(g.edgeTo), len(g.length), len(g.ascent), len(g.descent), len(g.fwd), len(g.bwd), len(g.factor), len(g.class), len(g.wayID), len(g.cross), len(g.tunnel)} {
		if l != m {
			return bad("edge arrays differ in length")
		}
	}
	if len(g.geomOff) != m+1 || len(g.crossOff) != m+1 || len(g.z) != len(g.pts) || len(g.crossAt) != len(g.crossMs) {
		return bad("offset arrays have the wrong length")
	}
	if g.geomOff[0] != 0 || int(g.geomOff[m]) != len(g.pts) || g.crossOff[0] != 0 || int(g.crossOff[m]) != len(g.crossAt) {
		return bad("offsets do not span their arrays")
	}
	for e := 0; e < m; e++ {
		if g.edgeFrom[e] >= uint32(n) || g.edgeTo[e] >= uint32(n) {
			return bad(fmt.Sprintf("edge %d: node out of range", e))
		}
		if g.geomOff[e+1] < g.geomOff[e]+2 || g.crossOff[e+1] < g.crossOff[e] {
			return bad(fmt.Sprintf("edge %d: bad offsets", e))
		}
	}
	for _, c := range g.nodeComp {
		if int(c) >= len(g.comps) {
			return bad("node component out of range")
		}
	}
	return nil
}

// arraysHash returns the SHA-256 of the graph's arrays: equal hashes mean
// identical graphs (used to compare builds from PBF and XML).
func (g *Graph) arraysHash() string {
	h := sha256.Sum256(g.marshalArrays())
	return hex.EncodeToString(h[:])
}

// Hash returns the SHA-256 (hex) of the graph's arrays: two graphs with the
// same hash have the same nodes, edges, geometry, elevations and weights.
func (g *Graph) Hash() string { return g.arraysHash() }
