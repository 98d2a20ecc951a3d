package shortest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// ErrFormat is wrapped by every UnmarshalBinary error: the input is not an
// encoding this package wrote, is truncated, corrupt (checksum) or
// inconsistent.
var ErrFormat = errors.New("shortest: bad binary format")

// Binary layout shared by Graph and Hierarchy, all integers little-endian
// uint32:
//
//	magic [4]byte, version, counts..., arrays..., crc32c
//
// The CRC-32C (Castagnoli) covers every byte before it. The total length is
// fully determined by the header counts, so a decoder checks it before
// allocating anything (allocations are capped by the input size).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const (
	graphMagic     = "LMSG"
	hierarchyMagic = "LMSH"
	formatVersion  = 1
)

// encoder appends little-endian uint32s.
type encoder struct{ b []byte }

func (e *encoder) u32(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }

func (e *encoder) slice(s []uint32) {
	for _, v := range s {
		e.u32(v)
	}
}

func (e *encoder) finish() []byte {
	e.u32(crc32.Checksum(e.b, castagnoli))
	return e.b
}

// decoder reads little-endian uint32s from a length-checked buffer.
type decoder struct {
	b   []byte
	off int
}

func (d *decoder) u32() uint32 {
	v := binary.LittleEndian.Uint32(d.b[d.off:])
	d.off += 4
	return v
}

func (d *decoder) slice(n int) []uint32 {
	s := make([]uint32, n)
	b := d.b[d.off : d.off+4*n]
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	d.off += 4 * n
	return s
}

// openFrame checks magic, version, the exact length implied by the header
// (header words + words of payload as computed by size) and the checksum.
// It returns a decoder positioned after the header.
func openFrame(data []byte, magic string, headerWords int, size func(h []uint32) (uint64, bool)) (*decoder, []uint32, error) {
	hdrBytes := 8 + 4*headerWords
	if len(data) < hdrBytes+4 {
		return nil, nil, fmt.Errorf("%w: %d bytes is too short", ErrFormat, len(data))
	}
	if string(data[:4]) != magic {
		return nil, nil, fmt.Errorf("%w: magic %q, want %q", ErrFormat, data[:4], magic)
	}
	d := &decoder{b: data, off: 4}
	if v := d.u32(); v != formatVersion {
		return nil, nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, v, formatVersion)
	}
	h := make([]uint32, headerWords)
	for i := range h {
		h[i] = d.u32()
	}
	words, ok := size(h)
	if !ok || uint64(len(data)) != uint64(hdrBytes)+4*words+4 {
		return nil, nil, fmt.Errorf("%w: length %d does not match header counts %v", ErrFormat, len(data), h)
	}
	body := len(data) - 4
	if got, want := crc32.Checksum(data[:body], castagnoli), binary.LittleEndian.Uint32(data[body:]); got != want {
		return nil, nil, fmt.Errorf("%w: checksum %08x, want %08x", ErrFormat, got, want)
	}
	return d, h, nil
}

// MarshalBinary encodes g (see the layout above; magic "LMSG", counts n and
// m, then FirstOut, Head, Weight). It fails only for an invalid graph.
func (g *Graph) MarshalBinary() ([]byte, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	n, m := g.NumNodes(), g.NumArcs()
	e := &encoder{b: make([]byte, 0, 20+4*(n+1+2*m)+4)}
	e.b = append(e.b, graphMagic...)
	e.u32(formatVersion)
	e.u32(uint32(n))
	e.u32(uint32(m))
	if n > 0 {
		e.slice(g.FirstOut)
	}
	e.slice(g.Head)
	e.slice(g.Weight)
	return e.finish(), nil
}

// UnmarshalBinary replaces g with the graph encoded in data. Errors wrap
// ErrFormat (or ErrInvalidGraph for well-framed but inconsistent arrays);
// on error g is unchanged. Cost: one pass over data.
func (g *Graph) UnmarshalBinary(data []byte) error {
	d, h, err := openFrame(data, graphMagic, 2, func(h []uint32) (uint64, bool) {
		n, m := uint64(h[0]), uint64(h[1])
		if n == 0 {
			return 2 * m, m == 0
		}
		return n + 1 + 2*m, n < inf
	})
	if err != nil {
		return err
	}
	n, m := int(h[0]), int(h[1])
	var ng Graph
	if n > 0 {
		ng.FirstOut = d.slice(n + 1)
	}
	ng.Head = d.slice(m)
	ng.Weight = d.slice(m)
	if err := ng.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	*g = ng
	return nil
}

// MarshalBinary encodes h: magic "LMSH", counts n, forward and backward
// arc counts, then rank, and for each direction first, head, weight, mid.
func (h *Hierarchy) MarshalBinary() ([]byte, error) {
	n, mf, mb := len(h.rank), len(h.fwd.arcs), len(h.bwd.arcs)
	e := &encoder{b: make([]byte, 0, 24+4*(n+2*(n+1)+3*(mf+mb))+4)}
	e.b = append(e.b, hierarchyMagic...)
	e.u32(formatVersion)
	e.u32(uint32(n))
	e.u32(uint32(mf))
	e.u32(uint32(mb))
	e.slice(h.rank)
	for _, u := range []*upGraph{&h.fwd, &h.bwd} {
		if len(u.first) == 0 {
			e.u32(0) // zero-value hierarchy: first = [0]
		} else {
			e.slice(u.first)
		}
		for _, a := range u.arcs {
			e.u32(a.head)
		}
		for _, a := range u.arcs {
			e.u32(a.weight)
		}
		e.slice(u.mid)
	}
	return e.finish(), nil
}

// UnmarshalBinary replaces h with the hierarchy encoded in data. Besides the
// framing (length, checksum) it checks every invariant queries rely on —
// rank is a permutation, arcs lead upwards, every shortcut's two halves
// exist and add up — so a decoded hierarchy can never make a query panic or
// loop. Errors wrap ErrFormat; on error h is unchanged. Cost: linear in
// data plus one binary search per shortcut.
func (h *Hierarchy) UnmarshalBinary(data []byte) error {
	d, hdr, err := openFrame(data, hierarchyMagic, 3, func(c []uint32) (uint64, bool) {
		n, mf, mb := uint64(c[0]), uint64(c[1]), uint64(c[2])
		return n + 2*(n+1) + 3*(mf+mb), n < inf
	})
	if err != nil {
		return err
	}
	n, mf, mb := int(hdr[0]), int(hdr[1]), int(hdr[2])
	nh := Hierarchy{rank: d.slice(n)}
	for _, x := range []struct {
		u *upGraph
		m int
	}{{&nh.fwd, mf}, {&nh.bwd, mb}} {
		x.u.first = d.slice(n + 1)
		head, weight := d.slice(x.m), d.slice(x.m)
		x.u.arcs = make([]chArc, x.m)
		for i := range x.u.arcs {
			x.u.arcs[i] = chArc{head[i], weight[i]}
		}
		x.u.mid = d.slice(x.m)
	}
	if err := nh.validate(); err != nil {
		return err
	}
	*h = nh
	return nil
}

func (h *Hierarchy) validate() error {
	n := len(h.rank)
	for dir, u := range []*upGraph{&h.fwd, &h.bwd} {
		m := len(u.arcs)
		if u.first[0] != 0 || int(u.first[n]) != m {
			return fmt.Errorf("%w: direction %d: first must run from 0 to %d", ErrFormat, dir, m)
		}
		for r := 0; r < n; r++ {
			lo, hi := u.first[r], u.first[r+1]
			if lo > hi {
				return fmt.Errorf("%w: direction %d: first decreases at rank %d", ErrFormat, dir, r)
			}
			prev := uint32(r)
			for a := lo; a < hi; a++ {
				hd := u.arcs[a].head
				if hd <= prev || int64(hd) >= int64(n) {
					return fmt.Errorf("%w: direction %d: arc %d of rank %d: head %d not upward and sorted", ErrFormat, dir, a, r, hd)
				}
				prev = hd
				if u.arcs[a].weight == inf {
					return fmt.Errorf("%w: direction %d: arc %d: infinite weight", ErrFormat, dir, a)
				}
			}
		}
	}
	return h.link()
}
