package routing

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

func TestSaveLoad(t *testing.T) {
	g, b := gridFixture(t, 8, 130)
	path := filepath.Join(t.TempDir(), "g.gpkg")
	info := &StoreInfo{InputsSHA256: "abc123", DEM: "/x/dem", Report: &BuildReport{Nodes: g.Nodes(), Edges: g.Edges()}}
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error { return g.Save(tx, info) })
	if err != nil {
		t.Fatal(err)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := LoadInfo(db)
	if err != nil {
		t.Fatal(err)
	}
	if got.InputsSHA256 != "abc123" || got.DEM != "/x/dem" || got.Report == nil || got.Report.Edges != g.Edges() {
		t.Errorf("LoadInfo = %+v", got)
	}
	g2, err := Load(db)
	if err != nil {
		t.Fatal(err)
	}
	if g.Hash() != g2.Hash() {
		t.Errorf("loaded graph differs")
	}
	g2.SetElevation(hills{})
	r := rand.New(rand.NewPCG(*seed, 3))
	pts := randomPoints(r, b, 10)
	m1, err := g.Matrix(context.Background(), pts, pts, &MatrixOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := g2.Matrix(context.Background(), pts, pts, &MatrixOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		for j := range pts {
			a, aok := m1.Millis(i, j)
			c, cok := m2.Millis(i, j)
			if a != c || aok != cok {
				t.Errorf("(%d,%d): built %d %v, loaded %d %v", i, j, a, aok, c, cok)
			}
		}
	}
	// The paths layer has one feature per edge.
	layers, err := db.Layers()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, l := range layers {
		if l.Name == PathsLayer {
			found = true
			if l.Count != int64(g.Edges()) {
				t.Errorf("paths has %d features, want %d", l.Count, g.Edges())
			}
		}
	}
	if !found {
		t.Errorf("no paths layer in %v", layers)
	}
}

func TestLoadNotStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.gpkg")
	if err := gpkg.Update(context.Background(), path, func(*gpkg.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Load(db); !errors.Is(err, ErrNotStored) {
		t.Errorf("Load of an empty GeoPackage: %v, want ErrNotStored", err)
	}
}

func TestUnmarshalCorrupt(t *testing.T) {
	g, _ := gridFixture(t, 4, 100)
	b := g.marshalArrays()
	for _, n := range []int{0, 5, len(graphMagic), len(b) / 3, len(b) - 1} {
		var h Graph
		if err := h.unmarshalArrays(b[:n]); !errors.Is(err, ErrFormat) {
			t.Errorf("truncated to %d bytes: err = %v, want ErrFormat", n, err)
		}
	}
	bad := append([]byte(nil), b...)
	bad[len(graphMagic)+20] ^= 0xff // a node id: harmless
	bad[len(bad)/2] ^= 0x7f
	var h Graph
	_ = h.unmarshalArrays(bad) // must not panic
	var ok Graph
	if err := ok.unmarshalArrays(b); err != nil {
		t.Errorf("round trip: %v", err)
	}
}

func FuzzUnmarshalArrays(f *testing.F) {
	var fx fixture
	fx.way("path", []int32{fx.node(0, 0), fx.node(100, 0), fx.node(100, 100)})
	fx.way("path", []int32{fx.node(0, 50), fx.node(100, 0)})
	fx.water("stream", 0, [2]float64{50, -10}, [2]float64{50, 10})
	g, _, err := buildGraph(context.Background(), &fx.in, nil, DefaultProfile(), &BuildOptions{NoHierarchy: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(g.marshalArrays())
	f.Add([]byte(graphMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		var h Graph
		if err := h.unmarshalArrays(b); err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("error %v does not wrap ErrFormat", err)
			}
			return
		}
		// A graph that decodes must answer edge walks without panicking.
		for e := 0; e < h.Edges(); e++ {
			_ = h.Edge(EdgeID(e))
			h.view(uint32(e)).walk(0, edgeEnd, nil)
		}
	})
}

func TestInputsHash(t *testing.T) {
	dir := t.TempDir()
	paths := filepath.Join(dir, "p.osm")
	demDir := filepath.Join(dir, "dem")
	os.Mkdir(demDir, 0o755)
	os.WriteFile(paths, []byte("<osm/>"), 0o644)
	os.WriteFile(filepath.Join(demDir, "N00E010.hgt"), []byte{1, 2}, 0o644)
	h1, err := InputsHash(paths, demDir, DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := InputsHash(paths, demDir, DefaultProfile())
	if h1 != h2 {
		t.Errorf("hash not stable")
	}
	p := DefaultProfile()
	p.MaxSnap = 500
	if h3, _ := InputsHash(paths, demDir, p); h3 == h1 {
		t.Errorf("profile change does not change the hash")
	}
	os.WriteFile(filepath.Join(demDir, "N00E010.hgt"), []byte{1, 3}, 0o644)
	if h4, _ := InputsHash(paths, demDir, DefaultProfile()); h4 == h1 {
		t.Errorf("DEM change does not change the hash")
	}
	if h5, _ := InputsHash(paths, "", DefaultProfile()); h5 == h1 {
		t.Errorf("no DEM gives the same hash")
	}
}

func TestUndensify(t *testing.T) {
	var f fixture
	f.way("path", []int32{f.node(0, 0), f.node(100, 0), f.node(100, 250), f.node(-40, 300)})
	g, _ := f.build(t, nil, DefaultProfile())
	ls := g.Edge(0).Geometry
	got := undensify(ls, nil)
	want := orb.LineString{xy(0, 0), xy(100, 0), xy(100, 250), xy(-40, 300)}
	if len(ls) <= len(want) {
		t.Fatalf("edge has %d points: not densified", len(ls))
	}
	if len(got) != len(want) {
		t.Fatalf("undensify kept %d of %d points, want %d", len(got), len(ls), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("point %d = %v, want %v", i, got[i], want[i])
		}
	}
}
