package xmlscan

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmxml"
)

// round7 is osmnet's rounding to OSM's 1e-7° grid.
func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

func TestParseCoord(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"42.5128977", 42.5128977, true}, {"-0.5", -0.5, true}, {"1", 1, true}, {"+1.25", 1.25, true},
		{"179.9999999", 179.9999999, true}, {"1.123456789", 1.123456789, true}, {"1e2", 100, true},
		{"", 0, false}, {"-", 0, false}, {"1.", 1, true}, {".5", 0.5, true}, {"1.2.3", 0, false}, {"north", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseCoord([]byte(tt.in))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseCoord(%q) = %v, %v, want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	// The fast path must agree with strconv after OSM's rounding.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		k := rng.Int64N(3600000000) - 1800000000
		s := strconv.FormatFloat(float64(k)/1e7, 'f', -1, 64)
		got, _ := parseCoord([]byte(s))
		want, _ := strconv.ParseFloat(s, 64)
		if got != round7(want) {
			t.Fatalf("parseCoord(%q) = %v, want %v", s, got, round7(want))
		}
	}
}

// tags copies ts, nil when empty.
func tags(ts osm.Tags) osm.Tags {
	if len(ts) == 0 {
		return nil
	}
	return slices.Clone(ts)
}

// collect reads every node, way and relation of an XML document into a
// canonical form, from any osm.Scanner (copying, as Scanner reuses).
func collect(tb testing.TB, sc osm.Scanner) (nodes []osm.Node, ways []osm.Way, rels []osm.Relation) {
	tb.Helper()
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			nodes = append(nodes, osm.Node{ID: o.ID, Lat: round7(o.Lat), Lon: round7(o.Lon), Tags: tags(o.Tags)})
		case *osm.Way:
			w := osm.Way{ID: o.ID, Tags: tags(o.Tags)}
			for _, n := range o.Nodes {
				w.Nodes = append(w.Nodes, osm.WayNode{ID: n.ID})
			}
			ways = append(ways, w)
		case *osm.Relation:
			r := osm.Relation{ID: o.ID, Tags: tags(o.Tags)}
			for _, m := range o.Members {
				r.Members = append(r.Members, osm.Member{Type: m.Type, Ref: m.Ref, Role: m.Role})
			}
			rels = append(rels, r)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return nodes, ways, rels
}

func open(tb testing.TB, path string) io.Reader {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	if !strings.HasSuffix(path, ".gz") {
		return f
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	return zr
}

// TestAgainstOSMXML reads files with Scanner and with paulmach/osm's
// osmxml (the slow reference) and wants the same objects.
func TestAgainstOSMXML(t *testing.T) {
	files := []string{"../../testdata/fixtures.osm"}
	if d := shareddata.Dir(); d != "" {
		files = append(files, filepath.Join(d, "andorra", "andorra.osm.gz"))
	} else {
		t.Log("../shared/data not found: Andorra skipped")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			gn, gw, gr := collect(t, New(context.Background(), open(t, path)))
			wn, ww, wr := collect(t, osmxml.New(context.Background(), open(t, path)))
			if len(gn) == 0 || len(gw) == 0 {
				t.Fatalf("read %d nodes, %d ways", len(gn), len(gw))
			}
			if !reflect.DeepEqual(gn, wn) {
				t.Errorf("nodes differ from osmxml (%d vs %d)", len(gn), len(wn))
				for i := range min(len(gn), len(wn)) {
					if !reflect.DeepEqual(gn[i], wn[i]) {
						t.Errorf("first difference: %+v vs %+v", gn[i], wn[i])
						break
					}
				}
			}
			if !reflect.DeepEqual(gw, ww) {
				t.Errorf("ways differ from osmxml (%d vs %d)", len(gw), len(ww))
			}
			if !reflect.DeepEqual(gr, wr) {
				t.Errorf("relations differ from osmxml (%d vs %d)", len(gr), len(wr))
			}
			t.Logf("%d nodes, %d ways, %d relations agree", len(gn), len(gw), len(gr))
		})
	}
}

// TestSkipAndFilter checks the skip flags and id filters.
func TestSkipAndFilter(t *testing.T) {
	const doc = `<osm><node id="1" lat="1" lon="2"><tag k="a" v="b"/></node><node id="2" lat="1" lon="3"/>` +
		`<way id="5"><nd ref="1"/><nd ref="2"/></way><way id="6"><nd ref="2"/></way>` +
		`<relation id="9"><member type="way" ref="5" role="outer"/></relation></osm>`
	kinds := func(sc *Scanner) string {
		var b strings.Builder
		for sc.Scan() {
			id := sc.Object().ObjectID()
			fmt.Fprintf(&b, "%s/%d ", id.Type(), id.Ref())
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	tests := []struct {
		name  string
		setup func(*Scanner)
		want  string
	}{
		{"all", func(*Scanner) {}, "node/1 node/2 way/5 way/6 relation/9 "},
		{"skip nodes", func(s *Scanner) { s.SkipNodes = true }, "way/5 way/6 relation/9 "},
		{"nodes only", func(s *Scanner) { s.SkipWays, s.SkipRelations = true, true }, "node/1 node/2 "},
		{"filters", func(s *Scanner) {
			s.FilterNode = func(id int64) bool { return id == 2 }
			s.FilterWay = func(id int64) bool { return id == 6 }
		}, "node/2 way/6 relation/9 "},
	}
	for _, tt := range tests {
		sc := New(context.Background(), strings.NewReader(doc))
		tt.setup(sc)
		if got := kinds(sc); got != tt.want {
			t.Errorf("%s: scanned %q, want %q", tt.name, got, tt.want)
		}
	}
}
