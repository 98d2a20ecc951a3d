package demo

import (
	"bufio"
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
)

// maxWayNodes splits long waterways as the OSM API does (2,000 nodes at
// most per way); we use half that.
const maxWayNodes = 1000

// osmWriter writes OSM XML straight to a buffered file, keeping the first
// error (sticky).
type osmWriter struct {
	bw  *bufio.Writer
	buf []byte
	err error
}

func (o *osmWriter) flush() {
	if o.err == nil && len(o.buf) > 0 {
		_, o.err = o.bw.Write(o.buf)
	}
	o.buf = o.buf[:0]
}

func (o *osmWriter) tag(k, v string) {
	o.buf = append(o.buf, `  <tag k="`...)
	o.buf = appendEscaped(o.buf, k)
	o.buf = append(o.buf, `" v="`...)
	o.buf = appendEscaped(o.buf, v)
	o.buf = append(o.buf, "\"/>\n"...)
}

// appendEscaped appends s escaped for an XML attribute value.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '\'':
			b = append(b, "&apos;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// way writes one way; tags are key, value pairs.
func (o *osmWriter) way(id int, refs []int32, tags ...string) {
	o.buf = append(o.buf, ` <way id="`...)
	o.buf = strconv.AppendInt(o.buf, int64(id), 10)
	o.buf = append(o.buf, `" version="1">`+"\n"...)
	for _, r := range refs {
		o.buf = append(o.buf, `  <nd ref="`...)
		o.buf = strconv.AppendInt(o.buf, int64(r)+1, 10)
		o.buf = append(o.buf, "\"/>\n"...)
	}
	for i := 0; i+1 < len(tags); i += 2 {
		o.tag(tags[i], tags[i+1])
	}
	o.buf = append(o.buf, " </way>\n"...)
	if len(o.buf) > 64<<10 {
		o.flush()
	}
}

// writeOSM writes paths.osm: every node in ID order, then the waterways,
// the lakes and the highways.
func (w *world) writeOSM(ctx context.Context, path string, c *Counts) error {
	return writeFile(path, func(bw *bufio.Writer) error { return w.osmXML(ctx, bw, c) })
}

// osmXML writes the OSM XML document of writeOSM to bw.
func (w *world) osmXML(ctx context.Context, bw *bufio.Writer, c *Counts) error {
	o := &osmWriter{bw: bw}
	o.buf = append(o.buf, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<osm version="0.6" generator="lastmile demo (synthetic data)">`+"\n"+` <bounds minlat="`...)
	o.buf = strconv.AppendFloat(o.buf, w.area.Min[1], 'f', 7, 64)
	o.buf = append(o.buf, `" minlon="`...)
	o.buf = strconv.AppendFloat(o.buf, w.area.Min[0], 'f', 7, 64)
	o.buf = append(o.buf, `" maxlat="`...)
	o.buf = strconv.AppendFloat(o.buf, w.area.Max[1], 'f', 7, 64)
	o.buf = append(o.buf, `" maxlon="`...)
	o.buf = strconv.AppendFloat(o.buf, w.area.Max[0], 'f', 7, 64)
	o.buf = append(o.buf, "\"/>\n"...)
	buildings := w.genBuildings()
	for i, p := range w.nodes {
		if i%(1<<16) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		o.node(int64(i)+1, p, w.ford[i])
	}
	// The outlines' corners follow the network's nodes.
	for _, b := range buildings {
		for _, q := range b.corners {
			o.node(int64(c.Nodes)+int64(len(w.nodes))+1, w.local.Inverse(q), false)
			c.Nodes++
		}
	}
	c.Nodes += len(w.nodes)
	id := w.writeWaterWays(o, c)
	id, err := w.writePathWays(ctx, o, id, c)
	if err != nil {
		return err
	}
	for k, b := range buildings {
		if k%(1<<14) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		id++
		first := int32(len(w.nodes) + 4*k)
		o.way(id, []int32{first, first + 1, first + 2, first + 3, first}, "building", "yes")
		c.Buildings++
		if b.unregistered {
			c.Unregistered++
		}
	}
	c.Ways = id
	c.Bridges = w.bridge
	c.Fords = w.fords
	o.buf = append(o.buf, "</osm>\n"...)
	o.flush()
	return o.err
}

// node writes one node at p (lon/lat), tagged as a ford when ford is set.
func (o *osmWriter) node(id int64, p orb.Point, ford bool) {
	o.buf = append(o.buf, ` <node id="`...)
	o.buf = strconv.AppendInt(o.buf, id, 10)
	o.buf = append(o.buf, `" version="1" lat="`...)
	o.buf = strconv.AppendFloat(o.buf, p[1], 'f', 7, 64)
	o.buf = append(o.buf, `" lon="`...)
	o.buf = strconv.AppendFloat(o.buf, p[0], 'f', 7, 64)
	if ford {
		o.buf = append(o.buf, "\">\n"...)
		o.tag("ford", "yes")
		o.buf = append(o.buf, " </node>\n"...)
	} else {
		o.buf = append(o.buf, "\"/>\n"...)
	}
	if len(o.buf) > 64<<10 {
		o.flush()
	}
}

// writeWaterWays writes the waterways, with their fords' nodes inserted
// and split at maxWayNodes, then the lakes, numbering the ways from 1, and
// returns the last way ID.
func (w *world) writeWaterWays(o *osmWriter, c *Counts) (id int) {
	var refs []int32
	for i := range w.waterways {
		ww := &w.waterways[i]
		slices.SortFunc(ww.fords, func(a, b fordInsert) int {
			return cmp.Or(cmp.Compare(a.seg, b.seg), cmp.Compare(a.u, b.u), cmp.Compare(a.node, b.node))
		})
		refs = refs[:0]
		f := 0
		for k, n := range ww.nodes {
			refs = append(refs, n)
			for f < len(ww.fords) && int(ww.fords[f].seg) == k {
				refs = append(refs, ww.fords[f].node)
				f++
			}
		}
		tags := []string{"waterway", "stream"}
		if ww.river {
			tags = []string{"waterway", "river", "width", strconv.Itoa(ww.width)}
		}
		if ww.name != "" {
			tags = append(tags, "name", ww.name)
		}
		for start := 0; start+1 < len(refs); start += maxWayNodes - 1 {
			id++
			o.way(id, refs[start:min(len(refs), start+maxWayNodes)], tags...)
			c.Waterways++
		}
	}
	for _, l := range w.lakes {
		id++
		refs = append(refs[:0], l.nodes...)
		refs = append(refs, l.nodes[0])
		o.way(id, refs, "natural", "water", "water", "lake", "name", l.name)
		c.Lakes++
	}
	return id
}

// writePathWays writes the paths and roads as ways numbered after id and
// returns the last way ID.
func (w *world) writePathWays(ctx context.Context, o *osmWriter, id int, c *Counts) (int, error) {
	for i, wy := range w.ways {
		if i%(1<<14) == 0 {
			if err := ctx.Err(); err != nil {
				return id, err
			}
		}
		id++
		tags := []string{"highway", classTag[wy.class]}
		switch wy.class {
		case classRoad:
			tags = append(tags, "surface", "unpaved")
		case classTrack:
			tags = append(tags, "surface", "ground")
		}
		if wy.bridge {
			tags = append(tags, "bridge", "yes", "layer", "1")
		}
		o.way(id, w.refs[wy.start:wy.start+wy.n], tags...)
		c.PathWays++
	}
	return id, nil
}
