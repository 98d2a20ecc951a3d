package osmnet

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/data/osmnet/internal/pbfguard"
	"github.com/paulmach/orb"
)

// fixture files: the same hand-written data in three encodings.
const (
	fixtureXML = "testdata/fixtures.osm"
	fixturePBF = "testdata/fixtures.osm.pbf" // osmium cat testdata/fixtures.osm -o testdata/fixtures.osm.pbf
	fixtureBZ2 = "testdata/fixtures.osm.bz2" // bzip2 -k testdata/fixtures.osm
)

func readFixture(tb testing.TB, path string) *Network {
	tb.Helper()
	net, err := Read(context.Background(), path, nil)
	if err != nil {
		tb.Fatalf("Read(%s): %v", path, err)
	}
	checkNetwork(tb, net)
	return net
}

// checkNetwork asserts the invariants every Network must hold.
func checkNetwork(tb testing.TB, net *Network) {
	tb.Helper()
	for i := 1; i < len(net.Nodes); i++ {
		if net.Nodes[i-1].ID >= net.Nodes[i].ID {
			tb.Fatalf("Nodes not sorted by unique id at %d: %d, %d", i, net.Nodes[i-1].ID, net.Nodes[i].ID)
		}
	}
	used := make([]bool, len(net.Nodes))
	line := func(what string, id int64, nodes []int32) {
		if len(nodes) < 2 {
			tb.Fatalf("%s %d has %d nodes, want >= 2", what, id, len(nodes))
		}
		for k, n := range nodes {
			if n < 0 || int(n) >= len(net.Nodes) {
				tb.Fatalf("%s %d: node index %d out of range [0,%d)", what, id, n, len(net.Nodes))
			}
			if k > 0 && nodes[k-1] == n {
				tb.Fatalf("%s %d: repeated node index %d", what, id, n)
			}
			used[n] = true
		}
	}
	for i, w := range net.Ways {
		if i > 0 && net.Ways[i-1].ID >= w.ID {
			tb.Fatalf("Ways not sorted by unique id at way %d", w.ID)
		}
		line("way", w.ID, w.Nodes)
	}
	for i, w := range net.Waterways {
		if i > 0 && net.Waterways[i-1].ID >= w.ID {
			tb.Fatalf("Waterways not sorted by unique id at way %d", w.ID)
		}
		line("waterway", w.ID, w.Nodes)
	}
	byPoint := map[orb.Point][]int{}
	for i, n := range net.Nodes {
		byPoint[n.Point] = append(byPoint[n.Point], i)
	}
	for i, a := range net.WaterAreas {
		if i > 0 {
			p := net.WaterAreas[i-1]
			if p.Relation == a.Relation && p.ID >= a.ID || p.Relation && !a.Relation {
				tb.Fatalf("WaterAreas not sorted at %d", a.ID)
			}
		}
		if len(a.Polygon) == 0 {
			tb.Fatalf("water area %d has no polygon", a.ID)
		}
		for _, poly := range a.Polygon {
			for k, r := range poly {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					tb.Fatalf("water area %d: ring %d not closed or < 4 points: %v", a.ID, k, r)
				}
				for _, p := range r {
					idx, ok := byPoint[p]
					if !ok {
						tb.Fatalf("water area %d: point %v is no node of the network", a.ID, p)
					}
					for _, i := range idx { // nodes may share a location
						used[i] = true
					}
				}
			}
		}
	}
	for i, u := range used {
		if !u {
			tb.Fatalf("node %d is in Nodes but used by nothing", net.Nodes[i].ID)
		}
	}
	b := orb.Bound{}
	for i, n := range net.Nodes {
		if i == 0 {
			b = n.Point.Bound()
		}
		b = b.Extend(n.Point)
	}
	if b != net.Bound {
		tb.Fatalf("Bound = %v, want %v", net.Bound, b)
	}
}

func wayByID(net *Network, id int64) (Way, bool) {
	for _, w := range net.Ways {
		if w.ID == id {
			return w, true
		}
	}
	return Way{}, false
}

func nodeIDs(net *Network, idx []int32) []int64 {
	ids := make([]int64, len(idx))
	for i, k := range idx {
		ids[i] = net.Nodes[k].ID
	}
	return ids
}

func TestReadWays(t *testing.T) {
	net := readFixture(t, fixtureXML)
	tests := []struct {
		name string
		id   int64
		keep bool
		want Way // Nodes as OSM ids in wantNodes
		refs []int64
	}{
		{"footway with ford and gate nodes", 100, true, Way{Highway: "footway", Surface: "gravel"}, []int64{1, 2, 3, 11, 10}},
		{"ford way", 101, true, Way{Highway: "path", Ford: true, SAC: "mountain_hiking"}, []int64{4, 5}},
		{"bridge", 102, true, Way{Highway: "footway", Bridge: true, Surface: "wood", Width: 2}, []int64{5, 6}},
		{"foot=no", 103, false, Way{}, nil},
		{"access=private", 104, false, Way{}, nil},
		{"access=private foot=yes", 105, true, Way{Highway: "service", Foot: "yes"}, []int64{3, 6}},
		{"motorway", 106, false, Way{}, nil},
		{"motorway foot=yes", 107, true, Way{Highway: "motorway", Foot: "yes"}, []int64{6, 12}},
		{"trunk_link foot=designated", 108, true, Way{Highway: "trunk_link", Foot: "designated"}, []int64{12, 60}},
		{"cycleway", 109, true, Way{Highway: "cycleway"}, []int64{60, 61}},
		{"cycleway foot=no", 110, false, Way{}, nil},
		{"pedestrian area outline", 111, true, Way{Highway: "pedestrian", Area: true}, []int64{60, 61, 62, 60}},
		{"missing nodes dropped", 112, true, Way{Highway: "path"}, []int64{1, 2}},
		{"one node left", 113, false, Way{}, nil},
		{"tunnel, bridge=no", 114, true, Way{Highway: "track", Tunnel: true}, []int64{2, 12}},
		{"construction", 115, false, Way{}, nil},
		{"access=no foot=permissive", 116, true, Way{Highway: "unclassified", Foot: "permissive"}, []int64{3, 12}},
		{"steps access=no", 117, false, Way{}, nil},
		{"waterway is not walkable", 200, false, Way{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := wayByID(net, tt.id)
			if ok != tt.keep {
				t.Fatalf("way %d kept = %v, want %v", tt.id, ok, tt.keep)
			}
			if !ok {
				return
			}
			if ids := nodeIDs(net, got.Nodes); !slices.Equal(ids, tt.refs) {
				t.Errorf("way %d nodes = %v, want %v", tt.id, ids, tt.refs)
			}
			got.Nodes, tt.want.ID = nil, tt.id
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("way %d = %+v, want %+v", tt.id, got, tt.want)
			}
		})
	}
}

func TestReadNodes(t *testing.T) {
	net := readFixture(t, fixtureXML)
	tests := []struct {
		id      int64
		ok      bool
		want    Node
		comment string
	}{
		{10, true, Node{ID: 10, Point: orb.Point{10, 5.002}, Ford: true}, "ford node"},
		{11, true, Node{ID: 11, Point: orb.Point{10.001, 5.002}, Barrier: "gate"}, "barrier node"},
		{1, true, Node{ID: 1, Point: orb.Point{10, 5}}, "plain node"},
		{90, false, Node{}, "node used by nothing"},
		{999, false, Node{}, "node missing from the file"},
		{50, false, Node{}, "node only on a skipped area"},
	}
	for _, tt := range tests {
		i, ok := net.NodeIndex(tt.id)
		if ok != tt.ok {
			t.Errorf("%s: NodeIndex(%d) ok = %v, want %v", tt.comment, tt.id, ok, tt.ok)
			continue
		}
		if ok && net.Nodes[i] != tt.want {
			t.Errorf("%s: node %d = %+v, want %+v", tt.comment, tt.id, net.Nodes[i], tt.want)
		}
	}
}

func TestReadWaterways(t *testing.T) {
	net := readFixture(t, fixtureXML)
	want := []Waterway{
		{ID: 200, Kind: "river"},
		{ID: 201, Kind: "stream", Width: 5},
		{ID: 202, Kind: "stream", Width: 3.5},
		{ID: 203, Kind: "canal"},
		{ID: 204, Kind: "ditch"},
		{ID: 205, Kind: "drain"},
	}
	var got []Waterway
	for _, w := range net.Waterways {
		if len(w.Nodes) != 2 {
			t.Errorf("waterway %d has %d nodes, want 2", w.ID, len(w.Nodes))
		}
		w.Nodes = nil
		got = append(got, w)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Waterways = %+v, want %+v", got, want)
	}
}

func TestReadWaterAreas(t *testing.T) {
	net := readFixture(t, fixtureXML)
	p := func(lon, lat float64) orb.Point { return orb.Point{lon, lat} }
	want := []WaterArea{
		// way 300 is given clockwise: the outer ring comes back counter-clockwise.
		{ID: 300, Kind: "water", Polygon: orb.MultiPolygon{{{p(10.05, 5.05), p(10.06, 5.05), p(10.06, 5.06), p(10.05, 5.06), p(10.05, 5.05)}}}},
		{ID: 301, Kind: "riverbank", Polygon: orb.MultiPolygon{{{p(10.07, 5.07), p(10.08, 5.07), p(10.08, 5.08), p(10.07, 5.08), p(10.07, 5.07)}}}},
		// relation 400: outer from ways 310+311 (311 reversed), inner from 312, made clockwise.
		{ID: 400, Relation: true, Kind: "water", Polygon: orb.MultiPolygon{{
			{p(10.04, 5.0), p(10.09, 5.0), p(10.09, 5.04), p(10.04, 5.04), p(10.04, 5.0)},
			{p(10.05, 5.01), p(10.05, 5.02), p(10.06, 5.02), p(10.06, 5.01), p(10.05, 5.01)},
		}}},
	}
	if !reflect.DeepEqual(net.WaterAreas, want) {
		t.Errorf("WaterAreas =\n%+v\nwant\n%+v", net.WaterAreas, want)
	}
	for _, a := range net.WaterAreas {
		for _, poly := range a.Polygon {
			for k, r := range poly {
				o := r.Orientation()
				if (k == 0) != (o == orb.CCW) {
					t.Errorf("area %d ring %d orientation %v", a.ID, k, o)
				}
			}
		}
	}
}

func TestReadWarnings(t *testing.T) {
	net := readFixture(t, fixtureXML)
	want := []string{
		"way 112 references 2 missing nodes: dropped",
		"way 113 references 1 missing nodes: fewer than 2 nodes left, skipped",
		"relation 401: outer rings: ring not closed at node 32: multipolygon skipped",
		"relation 403: member way 9999 not in the file: multipolygon skipped",
	}
	if !slices.Equal(net.Warnings, want) {
		t.Errorf("Warnings =\n%q\nwant\n%q", net.Warnings, want)
	}
	var stages []string
	net, err := Read(context.Background(), fixtureXML, &Options{MaxWarnings: 1, Progress: func(s string) { stages = append(stages, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"ways", "member ways", "nodes", "assemble"}; !slices.Equal(stages, want) {
		t.Errorf("Progress stages = %q, want %q", stages, want)
	}
	if want := []string{want[0], "3 more warnings not shown"}; !slices.Equal(net.Warnings, want) {
		t.Errorf("MaxWarnings 1: Warnings = %q, want %q", net.Warnings, want)
	}
}

// TestFormatsAgree reads the fixture as XML, PBF, bzip2 and gzip (also
// misnamed) and from memory, and wants the identical Network from each.
func TestFormatsAgree(t *testing.T) {
	want := readFixture(t, fixtureXML)
	raw, err := os.ReadFile(fixtureXML)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	for _, name := range []string{"fixtures.osm.gz", "misnamed.osm.pbf"} {
		if err := os.WriteFile(filepath.Join(dir, name), gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, path := range []string{fixturePBF, fixtureBZ2, filepath.Join(dir, "fixtures.osm.gz"), filepath.Join(dir, "misnamed.osm.pbf")} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := readFixture(t, path)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Read(%s) differs from Read(%s)", path, fixtureXML)
			}
		})
	}
	got, err := ReadReaderAt(context.Background(), "mem", bytes.NewReader(raw), int64(len(raw)), &Options{Procs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadReaderAt differs from Read(%s)", fixtureXML)
	}
	for _, procs := range []int{1, 3} {
		got, err := Read(context.Background(), fixturePBF, &Options{Procs: procs})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Read(%s, Procs %d) differs from Read(%s)", fixturePBF, procs, fixtureXML)
		}
	}
}

func TestParseWidth(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"5", 5}, {"5 m", 5}, {"5m", 5}, {"3.5", 3.5}, {"3,5", 3.5}, {" 2.5 meters", 2.5},
		{"10 ft", 3.048}, {"10'", 3.048}, {"", 0}, {"wide", 0}, {"-3", 0}, {"0", 0},
		{"NaN", 0}, {"inf", 0}, {"1e3", 0}, {"0x10", 0}, {"1.2.3", 0}, {".", 0},
		{"5 mm", 0}, {"m", 0}, {"20000", 0}, {"5;6", 0}, {"1,000.5", 0},
	}
	for _, tt := range tests {
		if got := parseWidth(tt.in); got != tt.want {
			t.Errorf("parseWidth(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestReadErrors feeds bad inputs and wants a *data.ParseError that names
// the file and unwraps to data.ErrFormat, never a panic.
func TestReadErrors(t *testing.T) {
	pbf, err := os.ReadFile(fixturePBF)
	if err != nil {
		t.Fatal(err)
	}
	var gzTrunc bytes.Buffer
	zw := gzip.NewWriter(&gzTrunc)
	zw.Write([]byte(`<osm><node id="1" lat="1" lon="1"/><way id="2"><nd ref="1"/><nd ref="1"/><tag k="highway" v="path"/></way></osm>`))
	zw.Close()
	// first is the fixture's OSMHeader block: 4-byte size, BlobHeader, Blob.
	hsize := int(pbf[0])<<24 | int(pbf[1])<<16 | int(pbf[2])<<8 | int(pbf[3])
	_, dsize, err := pbfguard.ParseBlobHeader(pbf[4 : 4+hsize])
	if err != nil {
		t.Fatal(err)
	}
	first := pbf[:4+hsize+int(dsize)]
	tests := []struct {
		name string
		in   []byte
		line int    // 0: not checked
		msg  string // substring of the error
	}{
		{"empty", nil, 0, "not an OSM file"},
		{"text", []byte("hello, world\n"), 0, "not an OSM file"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0, "not an OSM file"},
		{"html", []byte("<!DOCTYPE html><html><body></body></html>"), 0, "not <osm>"},
		{"truncated pbf", pbf[:len(pbf)*2/3], 0, "corrupt or truncated pbf"},
		{"truncated pbf header", pbf[:20], 0, "corrupt or truncated pbf"},
		{"pbf blob size too big", cat(first, pbfBlock("OSMData", 40<<20, nil)), 0, "blob size 41943040 out of range"},
		{"pbf blob size negative", cat(first, pbfBlock("OSMData", -5, nil)), 0, "out of range"},
		{"pbf raw size too big", cat(first, pbfBlock("OSMData", -1, []byte{0x10, 0x80, 0x80, 0x80, 0x80, 0x01, 0x1a, 0x01, 0x00})), 0, "raw size"},
		{"pbf lz4 blob", cat(first, pbfBlock("OSMData", -1, []byte{0x10, 0x01, 0x32, 0x01, 0x00})), 0, "lz4 compression is not supported"},
		{"pbf unknown block", cat(first, pbfBlock("Mystery", -1, []byte{0x0a, 0x01, 0x00})), 0, "unknown block type"},
		{"pbf header size zero", cat(first, []byte{0, 0, 0, 0}), 0, "blob header size 0"},
		{"truncated xml", []byte("<osm>\n<node id=\"1\" lat=\"1\" lon=\"1\"/>\n"), 0, "not closed"},
		{"truncated inside way", []byte("<osm>\n<way id=\"1\">\n<nd ref=\"1\"/>"), 3, "inside <way>"},
		{"mismatched end tag", []byte("<osm>\n<way id=\"1\">\n</node>\n</osm>"), 3, "</node> closes <way>"},
		{"bad node id", []byte("<osm>\n<way id=\"x1\"/>\n</osm>"), 2, "bad id"},
		{"bad lat", []byte("<osm>\n<way id=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"path\"/></way>\n<node id=\"1\" lat=\"north\" lon=\"1\"/></osm>"), 3, "bad lat"},
		{"unquoted attribute", []byte("<osm>\n<way id=1/>\n</osm>"), 2, "not quoted"},
		{"bad entity", []byte("<osm>\n<relation id=\"1\"><tag k=\"a&bogus;\" v=\"b\"/></relation>\n</osm>"), 2, "unknown xml entity"},
		{"corrupt gzip", append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, bytes.Repeat([]byte{0xff}, 64)...), 0, "corrupt"},
		{"truncated gzip", gzTrunc.Bytes()[:gzTrunc.Len()-12], 0, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, err := ReadReaderAt(context.Background(), "in.osm", bytes.NewReader(tt.in), int64(len(tt.in)), nil)
			if err == nil {
				t.Fatalf("Read = %d ways, want an error", len(net.Ways))
			}
			var pe *data.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, data.ErrFormat) {
				t.Fatalf("Read error %v (%T), want a *data.ParseError wrapping data.ErrFormat", err, err)
			}
			if pe.File != "in.osm" || !strings.HasPrefix(err.Error(), "in.osm") {
				t.Errorf("error %q does not name the file", err)
			}
			if tt.line != 0 && pe.Line != tt.line {
				t.Errorf("error %q at line %d, want %d", err, pe.Line, tt.line)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to mention %q", err, tt.msg)
			}
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	_, err := Read(context.Background(), filepath.Join(t.TempDir(), "nope.osm.pbf"), nil)
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, data.ErrFormat) {
		t.Errorf("Read(missing) = %v, want fs.ErrNotExist and not data.ErrFormat", err)
	}
}

func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, path := range []string{fixtureXML, fixturePBF} {
		if _, err := Read(ctx, path, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("Read(%s) with a cancelled context = %v, want context.Canceled", path, err)
		}
	}
}

func TestXMLSyntax(t *testing.T) {
	// The same two-node path written in the XML variants OSM tools produce.
	tests := []struct {
		name string
		doc  string
	}{
		{"double quotes", `<osm><node id="1" lat="1" lon="2"/><node id="2" lat="1" lon="3"/><way id="5"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/></way></osm>`},
		{"single quotes, JOSM style", "<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6' upload='false' generator='JOSM'>\n  <node id='1' action='modify' visible='true' lat='1.0' lon='2.0' />\n  <node id='2' timestamp='2013-01-01T00:00:00Z' lat='1' lon='3' />\n  <way id='5' visible='true'>\n    <nd ref='1' />\n    <nd ref='2' />\n    <tag k='highway' v='path' />\n  </way>\n</osm>\n"},
		{"comments, BOM, CDATA, spaces", "\xef\xbb\xbf<?xml version=\"1.0\"?><!-- a > b --><!DOCTYPE osm><osm ><!-- <node id=\"9\"/> --><node id = \"1\" lat=\"1\" lon=\"2\" user=\"a&gt;b &#x26; c\"></node><![CDATA[ <way> ]]><node id=\"2\" lat=\"1\" lon=\"3\" user='say \"hi\" >'/><way id=\"5\" ><nd ref=\"1\" /><nd ref=\"2\"></nd><tag k=\"highway\" v=\"path\"></tag><foo><bar/></foo></way ></osm >"},
		{"deleted objects ignored", `<osm><node id="1" lat="1" lon="2"/><node id="2" lat="1" lon="3"/><node id="3" lat="1" lon="4" action="delete"/><way id="5"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/></way><way id="6" action="delete"><nd ref="1"/><nd ref="3"/><tag k="highway" v="path"/></way></osm>`},
	}
	want := &Network{
		Nodes: []Node{{ID: 1, Point: orb.Point{2, 1}}, {ID: 2, Point: orb.Point{3, 1}}},
		Ways:  []Way{{ID: 5, Nodes: []int32{0, 1}, Highway: "path"}},
		Bound: orb.Bound{Min: orb.Point{2, 1}, Max: orb.Point{3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadReaderAt(context.Background(), "doc.osm", strings.NewReader(tt.doc), int64(len(tt.doc)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Read = %+v, want %+v", got, want)
			}
		})
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// pbfBlock encodes a PBF file block: its size, a BlobHeader of type typ and
// datasize (len(blob) when datasize is -1), then blob.
func pbfBlock(typ string, datasize int, blob []byte) []byte {
	if datasize == -1 {
		datasize = len(blob)
	}
	h := []byte{0x0a, byte(len(typ))}
	h = append(h, typ...)
	h = append(h, 0x18)
	h = binary.AppendUvarint(h, uint64(int64(datasize)))
	out := binary.BigEndian.AppendUint32(nil, uint32(len(h)))
	return append(append(out, h...), blob...)
}

// cancelReader cancels a context once more than after bytes are read.
type cancelReader struct {
	r      io.Reader
	n      int
	after  int
	cancel context.CancelFunc
}

func (c *cancelReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p[:min(len(p), 512)])
	if c.n += n; c.n > c.after {
		c.cancel()
	}
	return n, err
}

func (c *cancelReader) Close() error { return nil }

// TestReadCancelledMidway cancels while the first pass is running.
func TestReadCancelledMidway(t *testing.T) {
	raw := gridXML(60)
	pbf, err := os.ReadFile(fixturePBF)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		in    []byte
		after int
	}{{"xml", raw, len(raw) / 3}, {"pbf", pbf, len(pbf) / 2}} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			open := func() (io.ReadCloser, error) {
				return &cancelReader{r: bytes.NewReader(tt.in), after: tt.after, cancel: cancel}, nil
			}
			if _, err := ReadFrom(ctx, tt.name, open, nil); !errors.Is(err, context.Canceled) {
				t.Errorf("ReadFrom cancelled midway = %v, want context.Canceled", err)
			}
		})
	}
}

// TestReadAreaRepairs covers water rings that lose nodes.
func TestReadAreaRepairs(t *testing.T) {
	const doc = `<osm>
 <node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="1"/><node id="3" lat="1" lon="1"/><node id="4" lat="1" lon="0"/>
 <way id="10"><nd ref="9"/><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="9"/><tag k="natural" v="water"/></way>
 <way id="11"><nd ref="1"/><nd ref="2"/><nd ref="8"/><nd ref="1"/><tag k="natural" v="water"/></way>
</osm>`
	net, err := ReadReaderAt(context.Background(), "doc.osm", strings.NewReader(doc), int64(len(doc)), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkNetwork(t, net)
	want := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	if len(net.WaterAreas) != 1 || net.WaterAreas[0].ID != 10 || !reflect.DeepEqual(net.WaterAreas[0].Polygon, want) {
		t.Errorf("WaterAreas = %+v, want way 10 re-closed as %v", net.WaterAreas, want)
	}
	wantWarn := []string{
		"way 10: ring references 2 missing nodes: dropped",
		"way 11: ring has 1 missing nodes and too few left: skipped",
	}
	if !slices.Equal(net.Warnings, wantWarn) {
		t.Errorf("Warnings = %q, want %q", net.Warnings, wantWarn)
	}
}

// TestLongPrologue reads XML whose comments before <osm> are longer than
// the format sniffer looks.
func TestLongPrologue(t *testing.T) {
	doc := "<?xml version=\"1.0\"?>\n<!-- " + strings.Repeat("licence text ", 1000) + "-->\n" +
		`<osm><node id="1" lat="1" lon="2"/><node id="2" lat="1" lon="3"/><way id="5"><nd ref="1"/><nd ref="2"/><tag k="highway" v="path"/></way></osm>`
	net, err := ReadReaderAt(context.Background(), "doc.osm", strings.NewReader(doc), int64(len(doc)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(net.Ways) != 1 {
		t.Errorf("read %d ways, want 1", len(net.Ways))
	}
	bad := "<!-- " + strings.Repeat("x", 5000) + " --><html/>"
	if _, err := ReadReaderAt(context.Background(), "bad.osm", strings.NewReader(bad), int64(len(bad)), nil); !errors.Is(err, data.ErrFormat) {
		t.Errorf("long prologue then <html>: error %v, want data.ErrFormat", err)
	}
}
