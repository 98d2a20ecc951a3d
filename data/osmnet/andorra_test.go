package osmnet

import (
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

const (
	andorraPBF = "andorra/andorra.osm.pbf"
	andorraXML = "andorra/andorra.osm.gz"
)

// refData is an OSM file read in full with paulmach/osm's own scanners: the
// slow, independent reference the tests compare Read against.
type refData struct {
	nodes map[osm.NodeID]*osm.Node
	ways  map[osm.WayID]*osm.Way
	rels  []*osm.Relation
}

// refCache keeps the reference reads for the test binary's life: the
// osmxml scan is slow and several tests need it.
var refCache = map[string]*refData{}

func refRead(tb testing.TB, path string) *refData {
	tb.Helper()
	if ref, ok := refCache[path]; ok {
		return ref
	}
	ref := refReadFile(tb, path)
	refCache[path] = ref
	return ref
}

func refReadFile(tb testing.TB, path string) *refData {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var sc osm.Scanner
	if filepath.Ext(path) == ".gz" {
		zr, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		sc = osmxml.New(context.Background(), zr)
	} else {
		sc = osmpbf.New(context.Background(), f, 1)
	}
	defer sc.Close()
	ref := &refData{nodes: map[osm.NodeID]*osm.Node{}, ways: map[osm.WayID]*osm.Way{}}
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			ref.nodes[o.ID] = o
		case *osm.Way:
			ref.ways[o.ID] = o
		case *osm.Relation:
			ref.rels = append(ref.rels, o)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return ref
}

// TestAndorraCounts checks the per-class counts of Read against the raw tag
// counts osmium gives, minus the ways a plain reading of the access tags
// excludes (counted here from the reference scan).
func TestAndorraCounts(t *testing.T) {
	// osmium tags-count -t way FILE 'highway=*' 'waterway=*' natural=water
	// (osmium 1.x, run on the shared files on 2026-11-24). The two files are
	// different extracts: the PBF has one more path and two more streams.
	osmiumCounts := map[string]map[string]int{
		andorraPBF: {
			"highway=residential": 468, "highway=primary": 309, "highway=path": 211, "highway=track": 152,
			"highway=secondary": 144, "highway=service": 124, "highway=unclassified": 98, "highway=footway": 44,
			"highway=primary_link": 17, "highway=steps": 13, "highway=pedestrian": 12, "highway=tertiary": 9,
			"highway=road": 5, "highway=secondary_link": 4, "highway=construction": 2, "highway=bridleway": 2,
			"highway=living_street": 1,
			"waterway=stream":       86, "waterway=river": 20, "waterway=ditch": 18, "waterway=riverbank": 9,
			"waterway=dam": 5, "waterway=canal": 5, "waterway=drain": 3, "natural=water": 81,
		},
		andorraXML: {
			"highway=residential": 468, "highway=primary": 309, "highway=path": 210, "highway=track": 152,
			"highway=secondary": 144, "highway=service": 124, "highway=unclassified": 98, "highway=footway": 44,
			"highway=primary_link": 17, "highway=steps": 13, "highway=pedestrian": 12, "highway=tertiary": 9,
			"highway=road": 5, "highway=secondary_link": 4, "highway=construction": 2, "highway=bridleway": 2,
			"highway=living_street": 1,
			"waterway=stream":       84, "waterway=river": 20, "waterway=ditch": 18, "waterway=riverbank": 9,
			"waterway=dam": 5, "waterway=canal": 5, "waterway=drain": 3, "natural=water": 81,
		},
	}
	for _, name := range []string{andorraPBF, andorraXML} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			path := shareddata.Path(t, name)
			ref := refRead(t, path)
			raw := map[string]int{}
			excluded := map[string]int{} // walkable class, but access tags say no
			waterRels := 0
			for _, w := range ref.ways {
				for _, k := range []string{"highway", "waterway", "natural"} {
					if v := w.Tags.Find(k); v != "" && (k != "natural" || v == "water") {
						raw[k+"="+v]++
					}
				}
				foot, access := w.Tags.Find("foot"), w.Tags.Find("access")
				if foot == "no" || foot == "private" || (access == "no" || access == "private") && foot != "yes" && foot != "designated" && foot != "permissive" {
					excluded[w.Tags.Find("highway")]++
				}
			}
			for _, r := range ref.rels {
				if r.Tags.Find("type") == "multipolygon" && r.Tags.Find("natural") == "water" {
					waterRels++
				}
			}
			if !reflect.DeepEqual(raw, osmiumCounts[name]) {
				t.Fatalf("reference scan tag counts = %v,\nosmium says %v", raw, osmiumCounts[name])
			}

			net, err := Read(context.Background(), path, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkNetwork(t, net)
			st := net.Stats()
			t.Logf("%s: %d walkable ways %v; %d nodes; %d waterways %v; %d water areas %v; %d warnings",
				name, st.Ways, st.ByHighway, st.Nodes, st.Waterways, st.ByWaterway, st.WaterAreas, st.ByWaterArea, len(net.Warnings))
			for class, n := range raw {
				k, v, _ := strings.Cut(class, "=")
				switch {
				case k == "highway" && v == "construction":
					if st.ByHighway[v] != 0 {
						t.Errorf("highway=construction: %d ways kept, want 0", st.ByHighway[v])
					}
				case k == "highway":
					if want := n - excluded[v]; st.ByHighway[v] != want {
						t.Errorf("highway=%s: %d walkable ways, want %d (osmium %d - %d excluded by foot/access)", v, st.ByHighway[v], want, n, excluded[v])
					}
				case k == "waterway" && v == "riverbank":
					if st.ByWaterArea[v] != n {
						t.Errorf("waterway=riverbank: %d water areas, want %d", st.ByWaterArea[v], n)
					}
				case k == "waterway" && v == "dam":
					if st.ByWaterway[v] != 0 {
						t.Errorf("waterway=dam: %d waterways, want 0", st.ByWaterway[v])
					}
				case k == "waterway":
					if st.ByWaterway[v] != n {
						t.Errorf("waterway=%s: %d waterways, want %d", v, st.ByWaterway[v], n)
					}
				case k == "natural":
					// Every natural=water way in Andorra is closed; plus the
					// multipolygon relations (Estany de l'Illa).
					if want := n + waterRels; st.ByWaterArea["water"] != want {
						t.Errorf("natural=water: %d water areas, want %d ways + %d relations", st.ByWaterArea["water"], n, waterRels)
					}
				}
			}
			if len(net.Warnings) != 0 {
				t.Errorf("Warnings = %q, want none", net.Warnings)
			}
		})
	}
}

// TestAndorraPBFEqualsXML converts the Andorra PBF to gzipped OSM XML with
// paulmach/osm's XML encoder and wants Read to give the identical Network
// from both.
func TestAndorraPBFEqualsXML(t *testing.T) {
	pbfPath := shareddata.Path(t, andorraPBF)
	ref := refRead(t, pbfPath)
	doc := osm.OSM{Version: "0.6", Generator: "osmnet test"}
	for _, n := range ref.nodes {
		doc.Nodes = append(doc.Nodes, n)
	}
	for _, w := range ref.ways {
		doc.Ways = append(doc.Ways, w)
	}
	doc.Relations = ref.rels
	doc.Nodes.SortByIDVersion()
	doc.Ways.SortByIDVersion()
	xmlPath := filepath.Join(t.TempDir(), "andorra-from-pbf.osm.gz")
	f, err := os.Create(xmlPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	io.WriteString(zw, xml.Header)
	if err := xml.NewEncoder(zw).Encode(doc); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	fromPBF, err := Read(context.Background(), pbfPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	fromXML, err := Read(context.Background(), xmlPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromPBF.Ways) == 0 {
		t.Fatal("no ways read from the PBF")
	}
	if !reflect.DeepEqual(fromPBF, fromXML) {
		t.Errorf("Read(PBF) and Read(XML of the same data) differ")
		diffNetworks(t, fromPBF, fromXML)
	}
}

// TestAndorraSharedFiles compares the two shared Andorra files. They are
// not the same extract (the PBF is dated 2013-05-28, the XML 2013-05-23;
// osmium diff finds 268 objects changed), so the Networks can differ only
// in ways that changed, or whose nodes changed, between the two.
func TestAndorraSharedFiles(t *testing.T) {
	pbfPath, xmlPath := shareddata.Path(t, andorraPBF), shareddata.Path(t, andorraXML)
	refP, refX := refRead(t, pbfPath), refRead(t, xmlPath)
	changed := map[int64]bool{}
	for _, pair := range [][2]*refData{{refP, refX}, {refX, refP}} {
		a, b := pair[0], pair[1]
		for id, w := range a.ways {
			o, ok := b.ways[id]
			if !ok || o.Version != w.Version {
				changed[int64(id)] = true
				continue
			}
			for _, wn := range w.Nodes {
				na, nb := a.nodes[wn.ID], b.nodes[wn.ID]
				if na == nil || nb == nil || na.Version != nb.Version {
					changed[int64(id)] = true
					break
				}
			}
		}
	}
	p, err := Read(context.Background(), pbfPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	x, err := Read(context.Background(), xmlPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	same, differ := 0, 0
	pw, xw := waysByID(p), waysByID(x)
	for id := range union(pw, xw) {
		a, okA := pw[id]
		b, okB := xw[id]
		if okA && okB && reflect.DeepEqual(resolve(p, a), resolve(x, b)) {
			same++
			continue
		}
		differ++
		if !changed[id] {
			t.Errorf("way %d differs between the files but did not change in OSM", id)
		}
	}
	t.Logf("%d walkable ways identical, %d differ (all among the %d ways osm versions say changed)", same, differ, len(changed))
}

// resolvedWay is a Way with its node indices replaced by the nodes.
type resolvedWay struct {
	Way   Way
	Nodes []Node
}

func resolve(net *Network, w Way) resolvedWay {
	r := resolvedWay{Way: w}
	for _, i := range w.Nodes {
		r.Nodes = append(r.Nodes, net.Nodes[i])
	}
	r.Way.Nodes = nil
	return r
}

func waysByID(net *Network) map[int64]Way {
	m := map[int64]Way{}
	for _, w := range net.Ways {
		m[w.ID] = w
	}
	return m
}

func union(a, b map[int64]Way) map[int64]bool {
	u := map[int64]bool{}
	for id := range a {
		u[id] = true
	}
	for id := range b {
		u[id] = true
	}
	return u
}

// diffNetworks reports the first differences between two networks.
func diffNetworks(tb testing.TB, a, b *Network) {
	tb.Helper()
	if len(a.Nodes) != len(b.Nodes) {
		tb.Errorf("%d nodes vs %d", len(a.Nodes), len(b.Nodes))
	}
	for i := range min(len(a.Nodes), len(b.Nodes)) {
		if a.Nodes[i] != b.Nodes[i] {
			tb.Errorf("node %d: %+v vs %+v", i, a.Nodes[i], b.Nodes[i])
			break
		}
	}
	if len(a.Ways) != len(b.Ways) || len(a.Waterways) != len(b.Waterways) || len(a.WaterAreas) != len(b.WaterAreas) {
		tb.Errorf("ways %d/%d, waterways %d/%d, water areas %d/%d", len(a.Ways), len(b.Ways),
			len(a.Waterways), len(b.Waterways), len(a.WaterAreas), len(b.WaterAreas))
	}
	for i := range min(len(a.Ways), len(b.Ways)) {
		if !reflect.DeepEqual(a.Ways[i], b.Ways[i]) {
			tb.Errorf("way %d: %+v vs %+v", i, a.Ways[i], b.Ways[i])
			break
		}
	}
	if !reflect.DeepEqual(a.Warnings, b.Warnings) {
		tb.Errorf("warnings %q vs %q", a.Warnings, b.Warnings)
	}
}
