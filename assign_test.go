package lastmile_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbplanar "github.com/paulmach/orb/planar"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/shareddata"
)

// assign runs Assign and returns household → CHW ("" unassigned, then
// ":reason").
func (td *testDistrict) assign(opts lastmile.AssignOptions) (map[string]string, *lastmile.AssignResult) {
	td.t.Helper()
	res, err := td.d.Assign(context.Background(), opts)
	if err != nil {
		td.t.Fatalf("Assign(%+v): %v", opts, err)
	}
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		td.t.Fatal(err)
	}
	defer db.Close()
	checkCatchments(td.t, db)
	got := map[string]string{}
	for a, err := range district.ReadAssignments(db) {
		if err != nil {
			td.t.Fatal(err)
		}
		if _, dup := got[string(a.Household)]; dup {
			td.t.Errorf("household %s assigned twice", a.Household)
		}
		v := string(a.CHW)
		if v == "" {
			v = ":" + a.Reason
		}
		got[string(a.Household)] = v
	}
	return got, res
}

const riverCHWs = "chw_id,lat,lon,capacity,active\n" +
	"W,0.0000,10.0001,,true\n" +
	"E,0.0200,10.0039,,true\n"

// East-bank households in the south: nearer W as the crow flies (440 m
// across the river), nearer E on foot (W must walk round by the bridge).
const riverHouseholds = "household_id,village,members,lat,lon\n" +
	"H1,Zleh,5,0.0010,10.0039\n" +
	"H2,Zleh,4,0.0020,10.0039\n" +
	"H3,Zleh,6,0.0030,10.0039\n" +
	"H4,Gbarzon,3,0.0010,10.0001\n" +
	"H5,Gbarzon,2,0.0020,10.0001\n"

func TestAssignRiverWithOneBridge(t *testing.T) {
	td := newTestDistrict(t, riverOSM(), riverCHWs, riverHouseholds)
	vor, _ := td.assign(lastmile.AssignOptions{Method: lastmile.MethodVoronoi})
	walk, _ := td.assign(lastmile.AssignOptions{Method: lastmile.MethodWalk})
	for _, h := range []string{"H1", "H2", "H3"} {
		if vor[h] != "W" {
			t.Errorf("voronoi: %s → %s, want W (nearest as the crow flies)", h, vor[h])
		}
		if walk[h] != "E" {
			t.Errorf("walk: %s → %s, want E (W must walk round by the bridge)", h, walk[h])
		}
	}
	for _, h := range []string{"H4", "H5"} {
		if vor[h] != "W" || walk[h] != "W" {
			t.Errorf("%s: voronoi %s, walk %s; want W", h, vor[h], walk[h])
		}
	}
	// Balanced with room for everyone equals the walk assignment.
	bal, res := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 1, MaxHouseholds: 10})
	for h, c := range walk {
		if bal[h] != c {
			t.Errorf("balanced: %s → %s, walk gave %s", h, bal[h], c)
		}
	}
	if res.Summary.Assigned != 5 || res.Catchments != 2 {
		t.Errorf("summary %+v, %d catchments; want 5 assigned, 2 catchments", res.Summary, res.Catchments)
	}
}

func TestAssignBalancedLimits(t *testing.T) {
	td := newTestDistrict(t, riverOSM(), riverCHWs, riverHouseholds)
	// E can take only two: the third Zleh household must cross to W, and
	// the village must be split (it cannot stay whole with either).
	chws := "chw_id,lat,lon,capacity,active\nW,0.0000,10.0001,,true\nE,0.0200,10.0039,2,true\n"
	td.ingest(ingest.KindCHWs, "chws2.csv", chws, "")
	got, res := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 1, MaxHouseholds: 10})
	n := map[string]int{}
	for _, c := range got {
		n[c]++
	}
	if n["E"] != 2 || n["W"] != 3 {
		t.Errorf("loads %v, want E 2 (its capacity), W 3", n)
	}
	if res.Summary.OverCapacity != 0 {
		t.Errorf("over capacity %d", res.Summary.OverCapacity)
	}
	// Locks beat the limits' preferences.
	locks := []lastmile.Lock{{Household: "H3", CHW: "W", Line: 2}, {Village: "Gbarzon", CHW: "E", Line: 3}}
	got, _ = td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 0, MaxHouseholds: 10, Locks: locks})
	if got["H3"] != "W" || got["H4"] != "E" || got["H5"] != "E" {
		t.Errorf("locks: H3 %s, H4 %s, H5 %s; want W, E, E", got["H3"], got["H4"], got["H5"])
	}
	// A lock naming an unknown CHW is refused with its line.
	_, err := td.d.Assign(context.Background(), lastmile.AssignOptions{Method: lastmile.MethodBalanced,
		Locks: []lastmile.Lock{{Household: "H1", CHW: "NOPE", Line: 7}}})
	if err == nil || !strings.Contains(err.Error(), "line 7") || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("unknown CHW in a lock: %v", err)
	}
}

func TestAssignVillageStaysWhole(t *testing.T) {
	td := newTestDistrict(t, riverOSM(), riverCHWs, riverHouseholds)
	// W and E both on the west bank now, 1 km apart; Gbarzon's two
	// households sit between them, H5 nearer E.
	chws := "chw_id,lat,lon,capacity,active\nW,0.0000,10.0001,,true\nE,0.0100,10.0001,,true\n"
	hh := "household_id,village,members,lat,lon\n" +
		"A1,Gbarzon,3,0.0040,10.0001\nA2,Gbarzon,3,0.0060,10.0001\n" +
		"B1,,2,0.0010,10.0001\nC1,,2,0.0090,10.0001\n"
	td.ingest(ingest.KindCHWs, "chws2.csv", chws, "")
	td.ingest(ingest.KindHouseholds, "hh2.csv", hh, "")
	whole, _ := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 1, MaxHouseholds: 10, KeepVillages: true})
	if whole["A1"] != whole["A2"] {
		t.Errorf("keep villages: Gbarzon split: A1 %s, A2 %s", whole["A1"], whole["A2"])
	}
	apart, _ := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 1, MaxHouseholds: 10})
	if apart["A1"] != "W" || apart["A2"] != "E" {
		t.Errorf("per household: A1 %s, A2 %s; want W, E (each to the nearer)", apart["A1"], apart["A2"])
	}
}

func TestAssignKeepMovesFew(t *testing.T) {
	chws := "chw_id,lat,lon,capacity,active\nW,0.0000,10.0001,,true\nM,0.0100,10.0001,,true\nN,0.0200,10.0001,,true\n"
	var hh strings.Builder
	hh.WriteString("household_id,village,members,lat,lon\n")
	for i := 0; i < 21; i++ {
		fmt.Fprintf(&hh, "H%02d,,4,%.4f,10.0001\n", i, 0.001*float64(i))
	}
	td := newTestDistrict(t, riverOSM(), chws, hh.String())
	before, _ := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 1, MaxHouseholds: 10})
	// M leaves: only M's households may move.
	td.ingest(ingest.KindCHWs, "chws2.csv", strings.Replace(chws, "M,0.0100,10.0001,,true", "M,0.0100,10.0001,,false", 1), "")
	after, res := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 1, MaxHouseholds: 11, Keep: true})
	moved := 0
	for h, c := range before {
		if after[h] != c {
			moved++
			if c != "M" {
				t.Errorf("%s moved from %s to %s although %s stayed", h, c, after[h], c)
			}
		}
	}
	if moved == 0 || moved != len(res.Moves) {
		t.Errorf("%d households moved, %d moves reported", moved, len(res.Moves))
	}
	for _, m := range res.Moves {
		if m.From != "M" || m.Reason != "chw_left" {
			t.Errorf("move %+v: want from M, reason chw_left", m)
		}
	}
}

// TestAssignOrderIndependent ingests the same households and roster in
// shuffled row orders and checks that every method gives the same
// assignment.
func TestAssignOrderIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var rows []string
	for i := 0; i < 40; i++ {
		bank := 10.0001
		if i%2 == 1 {
			bank = 10.0039
		}
		rows = append(rows, fmt.Sprintf("H%02d,V%d,%d,%.4f,%.4f", i, i/6, 1+i%5, 0.0005*float64(i), bank))
	}
	chws := []string{"A,0.0000,10.0001,,true", "B,0.0100,10.0039,,true", "C,0.0200,10.0001,,true", "D,0.0050,10.0039,,true"}
	var first map[string]map[string]string
	for trial := 0; trial < 3; trial++ {
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		r.Shuffle(len(chws), func(i, j int) { chws[i], chws[j] = chws[j], chws[i] })
		td := newTestDistrict(t, riverOSM(), "chw_id,lat,lon,capacity,active\n"+strings.Join(chws, "\n")+"\n",
			"household_id,village,members,lat,lon\n"+strings.Join(rows, "\n")+"\n")
		got := map[string]map[string]string{}
		for _, m := range []string{lastmile.MethodVoronoi, lastmile.MethodWalk, lastmile.MethodBalanced} {
			got[m], _ = td.assign(lastmile.AssignOptions{Method: m, MinHouseholds: 5, MaxHouseholds: 12, KeepVillages: true})
		}
		if first == nil {
			first = got
			continue
		}
		for m := range got {
			for h, c := range got[m] {
				if first[m][h] != c {
					t.Errorf("trial %d, %s: %s → %s, first order gave %s", trial, m, h, c, first[m][h])
				}
			}
		}
	}
}

func TestAssignBadInput(t *testing.T) {
	td := newTestDistrict(t, riverOSM(), "chw_id,lat,lon,capacity,active\nW,0.0,10.0001,,false\n", riverHouseholds)
	_, err := td.d.Assign(context.Background(), lastmile.AssignOptions{Method: lastmile.MethodBalanced})
	if err == nil || !strings.Contains(err.Error(), "no active CHW") {
		t.Errorf("zero active CHWs: %v", err)
	}
	_, err = td.d.Assign(context.Background(), lastmile.AssignOptions{Method: "nearest"})
	if err == nil || !strings.Contains(err.Error(), "voronoi, walk or balanced") {
		t.Errorf("bad method: %v", err)
	}
}

// TestAssignAndorra assigns made-up households on the real Andorra paths
// and terrain: every household appears once, the balanced loads keep the
// limits, and walk's mean walk is the least of the three (each household
// goes to the CHW nearest on foot).
func TestAssignAndorra(t *testing.T) {
	pbf := shareddata.Path(t, "andorra/andorra.osm.pbf")
	hgt := shareddata.Path(t, "andorra/N42E001.hgt.zip")
	r := rand.New(rand.NewPCG(1, 2))
	// Households scattered around Andorra la Vella, Escaldes and Encamp;
	// six CHWs among them.
	centers := [][2]float64{{1.5219, 42.5063}, {1.5347, 42.5096}, {1.5800, 42.5340}}
	var hh, chws strings.Builder
	hh.WriteString("household_id,village,members,lat,lon\n")
	for i := 0; i < 300; i++ {
		c := centers[i%3]
		fmt.Fprintf(&hh, "H%03d,V%d,%d,%.6f,%.6f\n", i, i%3*10+r.IntN(4), 1+r.IntN(8), c[1]+0.006*(r.Float64()-0.5), c[0]+0.008*(r.Float64()-0.5))
	}
	chws.WriteString("chw_id,lat,lon,capacity,active\n")
	for i := 0; i < 6; i++ {
		c := centers[i%3]
		fmt.Fprintf(&chws, "C%d,%.6f,%.6f,,true\n", i, c[1]+0.002*float64(i/3), c[0])
	}
	td := openTestDistrict(t, "andorra.gpkg")
	td.ingest(ingest.KindCHWs, "chws.csv", chws.String(), "1.40,42.42,1.80,42.67")
	td.ingest(ingest.KindHouseholds, "households.csv", hh.String(), "")
	td.buildGraph(lastmile.GraphOptions{Paths: pbf, DEM: hgt})
	mean := map[string]float64{}
	for _, m := range []string{lastmile.MethodVoronoi, lastmile.MethodWalk, lastmile.MethodBalanced} {
		got, res := td.assign(lastmile.AssignOptions{Method: m, MinHouseholds: 40, MaxHouseholds: 60, KeepVillages: true})
		if len(got) != 300 {
			t.Errorf("%s: %d assignments, want 300", m, len(got))
		}
		s := res.Summary
		t.Logf("%s: unassigned %v, warnings %q", m, s.UnassignedBy, res.Warnings)
		t.Logf("%s: assigned %d, loads %d–%d (CV %.2f), over walk %d, mean %.1f min", m, s.Assigned, s.Spread.Min, s.Spread.Max, s.Spread.CV, s.OverWalk, s.MeanWalk.Minutes())
		mean[m] = s.MeanWalk.Minutes()
		if m == lastmile.MethodBalanced && (s.OverCapacity != 0 || s.Spread.Max > 60 || s.Spread.Min < 40) {
			t.Errorf("balanced: loads %d–%d, over capacity %d; want 40–60", s.Spread.Min, s.Spread.Max, s.OverCapacity)
		}
	}
	if mean["walk"] > mean["voronoi"] || mean["walk"] > mean["balanced"] {
		t.Errorf("mean walks %v: walk's should be the least", mean)
	}
}

// checkCatchments checks what the catchments layer promises: catchments
// do not overlap, together they cover the study area (less the cells of
// unassigned households), and each holds every household of its CHW.
func checkCatchments(t *testing.T, db *gpkg.DB) {
	t.Helper()
	area, err := ingest.ReadStudyArea(db)
	if err != nil || area == nil {
		t.Fatalf("study area: %v", err)
	}
	// Areas are compared in local metres, where the catchments were cut:
	// the projection is affine in lon/lat, so planar areas add up exactly
	// (geodesic areas would not: a boundary with more vertices along a
	// parallel encloses a slightly different geodesic area).
	loc := geo.NewLocal(area.Bound().Center())
	planar := func(mp orb.MultiPolygon) float64 {
		var a float64
		for _, p := range mp {
			for k, r := range p {
				rr := make(orb.Ring, len(r))
				for i, q := range r {
					rr[i] = loc.Forward(q)
				}
				if k == 0 {
					a += math.Abs(orbplanar.Area(rr))
				} else {
					a -= math.Abs(orbplanar.Area(rr))
				}
			}
		}
		return a
	}
	idx := map[district.CHWID]*geo.PolygonIndex{}
	var sum float64
	for c, err := range district.ReadCatchments(db) {
		if err != nil {
			t.Fatal(err)
		}
		idx[c.CHW] = geo.NewPolygonIndex(c.Area)
		sum += planar(c.Area)
	}
	hh := map[district.HouseholdID]orb.Point{}
	for h, err := range district.ReadHouseholds(db) {
		if err != nil {
			t.Fatal(err)
		}
		hh[h.ID] = h.Point
	}
	unassigned := 0
	for a, err := range district.ReadAssignments(db) {
		if err != nil {
			t.Fatal(err)
		}
		if a.CHW == "" {
			unassigned++
			continue
		}
		p := hh[a.Household]
		if x := idx[a.CHW]; x == nil || !x.Contains(p) {
			t.Errorf("household %s at %v is outside the catchment of its CHW %s", a.Household, p, a.CHW)
		}
		for c, x := range idx {
			if c != a.CHW && x.Contains(p) {
				t.Errorf("household %s of %s also lies in the catchment of %s", a.Household, a.CHW, c)
			}
		}
	}
	whole := planar(area.Geom)
	// Overlaps would push the sum above the area; gaps (other than the
	// cells of unassigned households) below it.
	if sum > whole*1.000001 || (unassigned == 0 && sum < whole*0.999999) {
		t.Errorf("catchments cover %.6f km², the study area %.6f km² (%d unassigned)", sum/1e6, whole/1e6, unassigned)
	}
}

func TestVillageGroupsUnnamedHamlets(t *testing.T) {
	// A, B and C chain within 150 m (A–C is 200 m: joined through B); D is
	// alone 1 km away; V is named.
	chws := "chw_id,lat,lon,capacity,active\nW,0.0000,10.0001,,true\nE,0.0200,10.0001,,true\n"
	hh := "household_id,village,members,lat,lon\n" +
		"C,,1,0.0108,10.0001\nA,,1,0.0090,10.0001\nB,,1,0.0099,10.0001\nD,,1,0.0190,10.0001\nV,Zleh,1,0.0010,10.0001\n"
	td := newTestDistrict(t, riverOSM(), chws, hh)
	// Per household the hamlet splits (A and B nearer W, C nearer E); with
	// --keep-villages it stays whole.
	apart, _ := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 0, MaxHouseholds: 10})
	if apart["A"] != "W" || apart["B"] != "W" || apart["C"] != "E" {
		t.Fatalf("per household: %v; want A, B → W and C → E", apart)
	}
	whole, _ := td.assign(lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 0, MaxHouseholds: 10, KeepVillages: true})
	if whole["A"] != whole["B"] || whole["B"] != whole["C"] {
		t.Errorf("hamlet A, B, C split: %v", whole)
	}
}
