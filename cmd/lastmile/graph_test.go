package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

// writeTestOSM writes a small OSM XML network: two parallel footways joined
// by a path that crosses a stream, and an island way far away. Points are
// near (10°E, 0°N); 0.001° is about 111 m.
func writeTestOSM(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<osm version=\"0.6\">\n")
	node := func(id int, lon, lat float64) {
		fmt.Fprintf(&b, "  <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", id, lat, lon)
	}
	for i := 0; i <= 10; i++ {
		node(100+i, 10+0.001*float64(i), 0)     // south footway
		node(200+i, 10+0.001*float64(i), 0.005) // north footway
	}
	node(300, 10.005, 0.0025) // middle of the connector
	node(400, 10.0025, 0.001) // stream
	node(401, 10.0075, 0.001)
	node(500, 10.05, 0.05) // island
	node(501, 10.051, 0.05)
	way := func(id int, tags map[string]string, nodes ...int) {
		fmt.Fprintf(&b, "  <way id=\"%d\" version=\"1\">\n", id)
		for _, n := range nodes {
			fmt.Fprintf(&b, "    <nd ref=\"%d\"/>\n", n)
		}
		for _, k := range []string{"highway", "waterway", "surface"} {
			if v, ok := tags[k]; ok {
				fmt.Fprintf(&b, "    <tag k=\"%s\" v=\"%s\"/>\n", k, v)
			}
		}
		b.WriteString("  </way>\n")
	}
	seq := func(base int) []int {
		out := make([]int, 11)
		for i := range out {
			out[i] = base + i
		}
		return out
	}
	way(1, map[string]string{"highway": "footway"}, seq(100)...)
	way(2, map[string]string{"highway": "footway"}, seq(200)...)
	way(3, map[string]string{"highway": "path"}, 105, 300, 205)
	way(4, map[string]string{"waterway": "stream"}, 400, 401)
	way(5, map[string]string{"highway": "track"}, 500, 501)
	b.WriteString("</osm>\n")
	p := filepath.Join(dir, "paths.osm")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func buildTestGraph(t *testing.T) (dir, gp string) {
	t.Helper()
	dir = t.TempDir()
	osm := writeTestOSM(t, dir)
	gp = filepath.Join(dir, "d.gpkg")
	code, out, errs := runCLI(t, "graph", "--gpkg", gp, "--paths", osm)
	if code != 0 {
		t.Fatalf("graph: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	return dir, gp
}

// ingestTestDistrict builds the test graph and ingests two CHWs, C1 by the
// south footway and C2 by the north one, and four households: H1 and H2
// near C1, H3 near C2 and H4 on the island, where no CHW can walk.
func ingestTestDistrict(t *testing.T) (dir, gp string) {
	t.Helper()
	dir, gp = buildTestGraph(t)
	chws := writeTestFile(t, dir, "chws.csv", "chw_id,lat,lon\nC1,0.0001,10.001\nC2,0.0049,10.009\n")
	hh := writeTestFile(t, dir, "hh.csv", "household_id,village,lat,lon\nH1,A,0.0002,10.002\nH2,A,0.0002,10.003\nH3,B,0.0048,10.008\nH4,,0.05,10.0505\n")
	mustRunCLI(t,
		[]string{"ingest", "chws", chws, "--gpkg", gp, "--area", "9.99,-0.01,10.06,0.06"},
		[]string{"ingest", "households", hh, "--gpkg", gp})
	return dir, gp
}

func TestGraphCommand(t *testing.T) {
	dir, gp := buildTestGraph(t)
	osm := filepath.Join(dir, "paths.osm")
	// A second run with the same inputs keeps the stored graph.
	code, out, errs := runCLI(t, "graph", "--gpkg", gp, "--paths", osm, "--format", "json")
	if code != 0 || !strings.Contains(errs, "inputs unchanged") {
		t.Fatalf("second graph: exit %d, stderr %q", code, errs)
	}
	var rep struct {
		Nodes, Edges, Components int
		Crossings                struct{ Penalty int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, out)
	}
	// Nodes: 4 footway ends, 2 junctions on the footways, the island's 2;
	// edges: each footway in two, the connector, the island.
	if rep.Nodes != 8 || rep.Edges != 6 || rep.Components != 2 || rep.Crossings.Penalty != 1 {
		t.Errorf("report = %+v, want 8 nodes, 6 edges, 2 components, 1 penalty crossing", rep)
	}
	code, _, errs = runCLI(t, "graph", "--gpkg", gp, "--paths", osm, "--force")
	if code != 0 || strings.Contains(errs, "inputs unchanged") {
		t.Errorf("--force: exit %d, stderr %q", code, errs)
	}
	want := map[string]int64{"paths": 6, "graph_components": 2}
	for _, l := range gpkgLayers(t, gp) {
		if n, ok := want[l.Name]; ok {
			if l.Count != n {
				t.Errorf("%s has %d rows, want %d", l.Name, l.Count, n)
			}
			delete(want, l.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing layers %v", want)
	}
}

func TestGraphCommandErrors(t *testing.T) {
	dir := t.TempDir()
	osm := writeTestOSM(t, dir)
	prof := filepath.Join(dir, "p.json")
	os.WriteFile(prof, []byte(`{"max_snap_m": 10, "walk_speed": 4}`), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown profile key", []string{"graph", "--gpkg", filepath.Join(dir, "a.gpkg"), "--paths", osm, "--profile", prof}, 1, "walk_speed"},
		{"missing paths", []string{"graph", "--gpkg", filepath.Join(dir, "a.gpkg")}, 2, "paths"},
		{"paths not found", []string{"graph", "--gpkg", filepath.Join(dir, "a.gpkg"), "--paths", filepath.Join(dir, "nope.osm")}, 1, "nope.osm"},
		{"bad format", []string{"graph", "--gpkg", filepath.Join(dir, "a.gpkg"), "--paths", osm, "--format", "xml"}, 2, "format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantFailure(t, tt.code, tt.msg, tt.args...) })
	}
}

func TestWalkCommand(t *testing.T) {
	_, gp := buildTestGraph(t)
	code, out, errs := runCLI(t, "walk", "--gpkg", gp, "--from", "10.001,0.0001", "--to", "10.009,0.0049", "--format", "json", "--layer", "route")
	if code != 0 {
		t.Fatalf("walk: exit %d: %s", code, errs)
	}
	var res struct {
		Minutes, Km float64
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("walk JSON: %v: %s", err, out)
	}
	// About 0.4 km + 0.55 km + 0.4 km at ~5 km/h, plus the 15-minute
	// stream crossing.
	if res.Km < 1.2 || res.Km > 1.6 || res.Minutes < 15+12 || res.Minutes > 15+25 {
		t.Errorf("walk = %+v, want about 1.4 km and 31 min", res)
	}
	db, err := gpkg.Open(gp)
	if err != nil {
		t.Fatal(err)
	}
	sc := db.Scan("route")
	n := 0
	for sc.Scan() {
		if ls, ok := sc.Geometry().(orb.LineString); !ok || len(ls) < 4 {
			t.Errorf("route geometry %v", sc.Geometry())
		}
		n++
	}
	sc.Close()
	db.Close()
	if n != 1 {
		t.Errorf("route layer has %d features, want 1", n)
	}
	code, out, _ = runCLI(t, "walk", "--gpkg", gp, "--from", "10.001,0.0001", "--to", "10.009,0.0049", "--layer", "route")
	if code != 0 || !strings.Contains(out, "min") {
		t.Errorf("walk text, replacing the route layer: exit %d, %q", code, out)
	}

	tests := []struct {
		name     string
		from, to string
		code     int
		msg      string
	}{
		{"other component", "10.001,0", "10.0505,0.05", 1, "separate path networks"},
		{"too far", "10.001,0", "10.2,0.2", 1, "from the nearest path"},
		{"bad point", "10.001", "10,0", 2, "LON,LAT"},
		{"layer is data", "10.001,0.0001", "10.009,0.0049", 2, "already has a layer"},
		{"out of range", "10,95", "10,0", 2, "latitude"},
		{"lat and lon swapped", "0.0001,10.001", "10.009,0.0049", 1, "10.001000,0.000100 (latitude and longitude swapped) is near the paths"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"walk", "--gpkg", gp, "--from", tt.from, "--to", tt.to}
			if tt.name == "layer is data" {
				args = append(args, "--layer", "paths")
			}
			code, _, errs := runCLI(t, args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d mentioning %q", code, errs, tt.code, tt.msg)
			}
		})
	}
}

func TestWalkWithoutGraph(t *testing.T) {
	gp := filepath.Join(t.TempDir(), "empty.gpkg")
	if err := gpkg.Update(context.Background(), gp, func(*gpkg.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "walk", "--gpkg", gp, "--from", "10,0", "--to", "10.001,0")
	if code != 1 || !strings.Contains(errs, "lastmile graph") {
		t.Errorf("exit %d, stderr %q; want a hint to run lastmile graph", code, errs)
	}
}

func TestMatrixCommand(t *testing.T) {
	dir, gp := buildTestGraph(t)
	from := filepath.Join(dir, "from.csv")
	os.WriteFile(from, []byte("id,lon,lat\nA,10.001,0.0001\nB,10.0505,0.05\n"), 0o644)
	// A point layer as targets.
	err := gpkg.Update(context.Background(), gp, func(tx *gpkg.Tx) error {
		w, err := tx.CreateLayer(gpkg.Layer{Name: "facilities", GeomType: "POINT", Fields: []gpkg.Field{{Name: "facility_id", Type: gpkg.Text}}})
		if err != nil {
			return err
		}
		for _, f := range []struct {
			id string
			p  orb.Point
		}{{"F1", orb.Point{10.009, 0.0049}}, {"F2", orb.Point{10.002, 0}}, {"F3", orb.Point{11, 1}}} {
			if _, err := w.Insert(f.p, f.id); err != nil {
				return err
			}
		}
		return w.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	outCSV := filepath.Join(dir, "m.csv")
	code, _, errs := runCLI(t, "matrix", "--gpkg", gp, "--from", from, "--to", "facilities", "--out", outCSV)
	if code != 0 {
		t.Fatalf("matrix: exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "F3 not routed") {
		t.Errorf("no warning about the far facility: %q", errs)
	}
	b, _ := os.ReadFile(outCSV)
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || strings.Join(rows[0], ",") != "from_id,to_id,minutes,km" {
		t.Fatalf("matrix CSV:\n%s", b)
	}
	got := map[string][2]string{}
	for _, r := range rows[1:] {
		got[r[0]+">"+r[1]] = [2]string{r[2], r[3]}
	}
	if v := got["A>F1"]; v[0] == "" || v[1] == "" {
		t.Errorf("A>F1 = %v, want a time and a distance", v)
	}
	if v := got["A>F2"]; v[0] == "" {
		t.Errorf("A>F2 unreachable")
	}
	for _, k := range []string{"B>F1", "B>F2", "A>F3", "B>F3"} {
		if v := got[k]; v != [2]string{"", ""} {
			t.Errorf("%s = %v, want empty (unreachable)", k, v)
		}
	}
	// The matrix agrees with walk.
	_, out, _ := runCLI(t, "walk", "--gpkg", gp, "--from", "10.001,0.0001", "--to", "10.009,0.0049", "--format", "json")
	var res struct{ Minutes float64 }
	json.Unmarshal([]byte(out), &res)
	if fmt.Sprintf("%.2f", res.Minutes) != fmt.Sprintf("%.2f", mustFloat(t, got["A>F1"][0])) {
		t.Errorf("walk %.3f min, matrix %s", res.Minutes, got["A>F1"][0])
	}

	code, _, errs = runCLI(t, "matrix", "--gpkg", gp, "--from", "nosuchlayer", "--to", "facilities")
	if code != 1 || !strings.Contains(errs, "nosuchlayer") {
		t.Errorf("unknown layer: exit %d, %q", code, errs)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,lon,lat\nA,10.001,0\nB,abc,0\n"), 0o644)
	code, _, errs = runCLI(t, "matrix", "--gpkg", gp, "--from", bad, "--to", "facilities")
	if code != 1 || !strings.Contains(errs, "bad.csv:3") {
		t.Errorf("bad CSV: exit %d, %q; want the file and line", code, errs)
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}
