package lastmile_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
)

// Helpers shared by the stage tests (assign, coverage, routes): small OSM
// networks written as text, and a district in a temporary folder that the
// stages run on through the same files as the CLI.

// Tag lines of the test networks' ways.
const (
	footwayTag = "    <tag k=\"highway\" v=\"footway\"/>\n"
	bridgeTag  = "    <tag k=\"bridge\" v=\"yes\"/>\n"
)

// osmDoc writes a small OSM XML file node by node and way by way, so a
// fixture states only its geometry and tags.
type osmDoc struct{ b strings.Builder }

func newOSMDoc() *osmDoc {
	o := &osmDoc{}
	o.b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<osm version=\"0.6\">\n")
	return o
}

func (o *osmDoc) node(id int, lon, lat float64) {
	fmt.Fprintf(&o.b, "  <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", id, lat, lon)
}

// way writes way id through nodes; tags is its <tag> lines.
func (o *osmDoc) way(id int, tags string, nodes ...int) {
	fmt.Fprintf(&o.b, "  <way id=\"%d\" version=\"1\">\n", id)
	for _, n := range nodes {
		fmt.Fprintf(&o.b, "    <nd ref=\"%d\"/>\n", n)
	}
	o.b.WriteString(tags + "  </way>\n")
}

// banks writes the nodes of two river banks, x = 10.000 (IDs 100+i) and
// x = 10.004 (IDs 200+i), every 0.001° (about 111 m) from the equator to
// 0.001·n° north, and returns each bank's node IDs from south to north.
func (o *osmDoc) banks(n int) (west, east []int) {
	for i := 0; i <= n; i++ {
		o.node(100+i, 10.000, 0.001*float64(i))
		o.node(200+i, 10.004, 0.001*float64(i))
	}
	for i := 0; i <= n; i++ {
		west, east = append(west, 100+i), append(east, 200+i)
	}
	return west, east
}

// end closes the document and returns it.
func (o *osmDoc) end() string {
	o.b.WriteString("</osm>\n")
	return o.b.String()
}

// riverOSM is two footways on either bank of a 50 m river, 440 m apart,
// joined only by a bridge at the north end (2.2 km up). Near (10°E, 0°N);
// 0.001° is about 111 m.
func riverOSM() string { return riverNetwork(false) }

// riverNetwork is riverOSM, with island: a short footway east of the
// river joined to nothing.
func riverNetwork(island bool) string {
	o := newOSMDoc()
	west, east := o.banks(20)
	o.node(300, 10.002, -0.01)
	o.node(301, 10.002, 0.03)
	if island {
		o.node(400, 10.020, 0.010)
		o.node(401, 10.021, 0.010)
	}
	o.way(1, footwayTag, west...)
	o.way(2, footwayTag, east...)
	o.way(3, footwayTag+bridgeTag, 120, 220)
	o.way(4, "    <tag k=\"waterway\" v=\"river\"/>\n    <tag k=\"width\" v=\"50\"/>\n", 300, 301)
	if island {
		o.way(5, footwayTag, 400, 401)
	}
	return o.end()
}

// testDistrict is a district built from files in a temporary folder.
type testDistrict struct {
	t   *testing.T
	dir string
	d   *lastmile.District
}

// openTestDistrict opens a new, empty district file name in a temporary
// folder.
func openTestDistrict(t *testing.T, name string) *testDistrict {
	t.Helper()
	dir := t.TempDir()
	d, err := lastmile.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return &testDistrict{t: t, dir: dir, d: d}
}

// newTestDistrict is a district of the CHW roster chws and the households
// on the paths osm, in the study area around the river network.
func newTestDistrict(t *testing.T, osm, chws, households string) *testDistrict {
	t.Helper()
	td := openTestDistrict(t, "d.gpkg")
	td.ingest(ingest.KindCHWs, "chws.csv", chws, "9.99,-0.02,10.02,0.04")
	td.ingest(ingest.KindHouseholds, "households.csv", households, "")
	td.buildGraph(lastmile.GraphOptions{Paths: td.write("paths.osm", osm)})
	return td
}

// write writes content to the file name in the district's folder and
// returns its path.
func (td *testDistrict) write(name, content string) string {
	td.t.Helper()
	p := filepath.Join(td.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		td.t.Fatal(err)
	}
	return p
}

// ingest writes content to the file name and ingests it as kind (area,
// when set, is the study area).
func (td *testDistrict) ingest(kind ingest.Kind, name, content, area string) {
	td.t.Helper()
	if _, err := td.d.Ingest(context.Background(), kind, []string{td.write(name, content)}, lastmile.IngestOptions{Area: area}); err != nil {
		td.t.Fatal(err)
	}
}

func (td *testDistrict) buildGraph(opts lastmile.GraphOptions) {
	td.t.Helper()
	if _, err := td.d.BuildGraph(context.Background(), opts); err != nil {
		td.t.Fatal(err)
	}
}

// assignTo writes an assignments table (household → CHW, "" unassigned)
// directly, so that the tests of later stages do not depend on how assign
// decides.
func (td *testDistrict) assignTo(m map[string]string) {
	td.t.Helper()
	var as []district.Assignment
	for h, c := range m {
		as = append(as, district.Assignment{Household: district.HouseholdID(h), CHW: district.CHWID(c), Method: "test"})
	}
	slices.SortFunc(as, func(a, b district.Assignment) int { return strings.Compare(string(a.Household), string(b.Household)) })
	err := gpkg.Update(context.Background(), td.d.Path, func(tx *gpkg.Tx) error { return district.WriteAssignments(tx, as) })
	if err != nil {
		td.t.Fatal(err)
	}
}
