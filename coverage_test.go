package lastmile_test

import (
	"context"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/routing"
)

// coverageOSM is two footways on either bank of a 50 m river (x = 10.000
// and 10.004, 0 to 2.2 km north), joined only by a bridge at the north
// end, and a short footway (the island) on its own east of them, joined to
// nothing. Near (10°E, 0°N); 0.001° is about 111 m.
func coverageOSM() string { return riverNetwork(true) }

// The clinic is at the south end of the west bank. East-bank households
// are 450 m from it as the crow flies but must walk round by the bridge
// 2 km north; I1 lives on the island; O1 is 2 km from every path.
const (
	coverageFacilities = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"F1","name":"Clinic","amenity":"clinic"},"geometry":{"type":"Point","coordinates":[10.0001,0.0]}}]}`
	coverageCHWs       = "chw_id,lat,lon,capacity,active\nW,0.0000,10.0001,,true\nE,0.0200,10.0039,,true\n"
	coverageHouseholds = "household_id,village,members,lat,lon\n" +
		"H1,Zleh,5,0.0010,10.0039\n" +
		"H2,Zleh,4,0.0020,10.0039\n" +
		"H3,Zleh,6,0.0030,10.0039\n" +
		"H4,Gbarzon,3,0.0010,10.0001\n" +
		"H5,Gbarzon,2,0.0020,10.0001\n" +
		"I1,Island,4,0.0101,10.0205\n" +
		"O1,,1,0.0300,10.0190\n"
)

func newCovDistrict(t *testing.T) *testDistrict {
	t.Helper()
	return newCovDistrictFrom(t, coverageOSM(), coverageFacilities, coverageCHWs, coverageHouseholds, nil)
}

// newCovDistrictFrom builds a district from the given files, with the
// graphs of seasons (nil: dry only).
func newCovDistrictFrom(t *testing.T, osm, facilities, chws, households string, seasons []string) *testDistrict {
	t.Helper()
	td := openTestDistrict(t, "d.gpkg")
	td.ingest(ingest.KindFacilities, "facilities.geojson", facilities, "9.99,-0.02,10.03,0.04")
	td.ingest(ingest.KindCHWs, "chws.csv", chws, "")
	td.ingest(ingest.KindHouseholds, "households.csv", households, "")
	td.buildGraph(lastmile.GraphOptions{Paths: td.write("paths.osm", osm), Seasons: seasons})
	return td
}

func (td *testDistrict) coverage(opts lastmile.CoverageOptions) (map[string]district.HouseholdCoverage, *lastmile.CoverageResult) {
	td.t.Helper()
	res, err := td.d.Coverage(context.Background(), opts)
	if err != nil {
		td.t.Fatalf("Coverage: %v", err)
	}
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		td.t.Fatal(err)
	}
	defer db.Close()
	got := map[string]district.HouseholdCoverage{}
	for h, err := range district.ReadCoverageHouseholds(db) {
		if err != nil {
			td.t.Fatal(err)
		}
		if _, dup := got[string(h.Household)]; dup {
			td.t.Errorf("household %s twice in coverage_households", h.Household)
		}
		got[string(h.Household)] = h
	}
	return got, res
}

// msEqual compares walking times as stored: minutes to 3 decimals.
func msEqual(a, b geo.Seconds) bool { return math.Abs(float64(a-b)) < 0.031 }

func TestCoverageRiverIslandOffNetwork(t *testing.T) {
	td := newCovDistrict(t)
	td.assignTo(map[string]string{"H1": "E", "H2": "E", "H3": "W", "H4": "W", "H5": "W", "I1": "", "O1": ""})
	got, res := td.coverage(lastmile.CoverageOptions{})
	if len(got) != 7 {
		t.Fatalf("coverage_households has %d rows, want 7 (every household once)", len(got))
	}

	// The oracle: the walking-time matrix from every household to every
	// facility (the walk a household makes), and from each CHW's home.
	ctx := context.Background()
	hh, err := td.d.Points("households")
	if err != nil {
		t.Fatal(err)
	}
	m, err := td.d.Matrix(ctx, "households", "facilities", routing.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chwMatrix, err := td.d.Matrix(ctx, "chws", "households", routing.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chwRow := map[string]int{}
	for i, c := range chwMatrix.From {
		chwRow[c.ID] = i
	}
	for i, p := range hh {
		h := got[p.ID]
		best, ok := geo.Seconds(0), false
		for j := range m.To {
			if s, reach := m.At(i, j); reach && (!ok || s < best) {
				best, ok = s, true
			}
		}
		if h.Dry.FacilityOK != ok || (ok && !msEqual(h.Dry.FacilityWalk, best)) {
			t.Errorf("%s: minutes_facility %.4f (ok %v), matrix minimum %.4f (ok %v)", p.ID, h.Dry.FacilityWalk.Minutes(), h.Dry.FacilityOK, best.Minutes(), ok)
		}
		if h.CHW != "" {
			s, reach := chwMatrix.At(chwRow[string(h.CHW)], i)
			if h.Dry.CHWOK != reach || (reach && !msEqual(h.Dry.CHWWalk, s)) {
				t.Errorf("%s: minutes_chw %.4f (ok %v), matrix from %s %.4f (ok %v)", p.ID, h.Dry.CHWWalk.Minutes(), h.Dry.CHWOK, h.CHW, s.Minutes(), reach)
			}
		}
	}

	// Known answers. East of the river the walk goes round by the bridge:
	// at least 2 × 1.9 km of footway at Tobler's 5.04 km/h on the flat.
	for _, id := range []string{"H1", "H2", "H3"} {
		if w := got[id].Dry.FacilityWalk.Minutes(); w < 2*1.9/5.04*60 {
			t.Errorf("%s: %.1f min to the clinic: it must walk round by the bridge (≥ 45 min)", id, w)
		}
		if km := got[id].Dry.FacilityDistance.Kilometers(); km > 0.6 {
			t.Errorf("%s: km_facility %.3f, want the straight line (< 0.6 km)", id, km)
		}
	}
	if f := got["H3"].Dry.Flags; !slices.Contains(f, catchment.FlagFarFromCHW) {
		t.Errorf("H3 (assigned to W across the river) flags %v, want far_from_chw", f)
	}
	for id, want := range map[string]string{"I1": catchment.UnreachableNoPath, "O1": catchment.UnreachableOffNetwork} {
		h := got[id]
		if h.Dry.FacilityOK || h.Dry.Unreachable != want || h.Dry.Facility != "" {
			t.Errorf("%s: facility %q ok %v unreachable %q, want none, %q", id, h.Dry.Facility, h.Dry.FacilityOK, h.Dry.Unreachable, want)
		}
		for _, f := range []string{catchment.FlagUnreachable, catchment.FlagFarFromFacility, catchment.FlagRemote, catchment.FlagUnassigned} {
			if !slices.Contains(h.Dry.Flags, f) {
				t.Errorf("%s: flags %v, want %s", id, h.Dry.Flags, f)
			}
		}
	}
	for _, id := range []string{"H4", "H5"} {
		if f := got[id].Dry.Flags; len(f) != 0 {
			t.Errorf("%s (beside the clinic and its CHW): flags %v, want none", id, f)
		}
		if got[id].Dry.Facility != "F1" {
			t.Errorf("%s: facility %q, want F1", id, got[id].Dry.Facility)
		}
	}
	if got["H1"].Wet.Valid {
		t.Errorf("wet columns filled with only a dry graph")
	}

	// The summary agrees with the rows, and the views with the summary.
	s := res.Seasons[0].District
	if s.Households != 7 || s.People != 25 || s.Unreachable != 2 || s.Unassigned != 2 {
		t.Errorf("district tally %+v, want 7 households, 25 people, 2 unreachable, 2 unassigned", s)
	}
	checkViews(t, td.d.Path, res)
	validateGPKG(t, td.d.Path)
}

// TestCoverageExactlyAtThreshold puts the facility threshold exactly on a
// household's walking time: within (not far); a millisecond less: far.
func TestCoverageExactlyAtThreshold(t *testing.T) {
	td := newCovDistrict(t)
	m, err := td.d.Matrix(context.Background(), "households", "facilities", routing.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(m.From, func(p district.NamedPoint) bool { return p.ID == "H2" })
	ms, ok := m.Millis(i, 0)
	if !ok {
		t.Fatal("H2 cannot reach the clinic")
	}
	w := geo.Seconds(float64(ms) / 1000)
	for _, tc := range []struct {
		limit geo.Seconds
		far   bool
	}{{w, false}, {w - 0.001, true}, {w + 0.001, false}} {
		got, _ := td.coverage(lastmile.CoverageOptions{Thresholds: catchment.Thresholds{FacilityWalk: tc.limit, RemoteDistance: 100e3}})
		f := got["H2"].Dry.Flags
		if far := slices.Contains(f, catchment.FlagFarFromFacility); far != tc.far {
			t.Errorf("limit %.3f s, H2 walks %.3f s: flags %v, far %v want %v", float64(tc.limit), float64(w), f, far, tc.far)
		}
		if remote := slices.Contains(f, catchment.FlagRemote); remote != tc.far {
			t.Errorf("limit %.3f s: remote %v, want %v (5 km is far off)", float64(tc.limit), remote, tc.far)
		}
	}
}

// checkViews compares the three views with the stage's own tallies.
func checkViews(t *testing.T, path string, res *lastmile.CoverageResult) {
	t.Helper()
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dry := res.Seasons[0]
	for _, v := range []struct {
		name string
		want []lastmile.GroupTally
	}{{"coverage_by_village", dry.ByVillage}, {"coverage_by_facility", dry.ByFacility}, {"coverage_by_chw", dry.ByCHW}} {
		rows, err := db.SQL().Query("SELECT coalesce(" + keyOf(v.name) + ", ''), households, people, served, remote FROM " + v.name + " ORDER BY fid")
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		var got []string
		for rows.Next() {
			var k string
			var n, p, s, r int
			if err := rows.Scan(&k, &n, &p, &s, &r); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s:%d/%d/%d/%d", k, n, p, s, r))
		}
		rows.Close()
		var want []string
		for _, g := range v.want {
			if v.name == "coverage_by_chw" && g.Key == "" {
				continue // unassigned households belong to no CHW
			}
			want = append(want, fmt.Sprintf("%s:%d/%d/%d/%d", g.Key, g.Households, g.People, g.Served, g.Remote))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v (the stage's tallies)", v.name, got, want)
		}
	}
	layers, err := db.Layers()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range layers {
		if strings.HasPrefix(l.Name, "coverage_by_") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("gpkg_contents lists %d coverage views, want 3", n)
	}
}

func keyOf(view string) string {
	switch view {
	case "coverage_by_village":
		return "village"
	case "coverage_by_facility":
		return "facility_id"
	}
	return "chw_id"
}

// validateGPKG runs GDAL's validate_gpkg.py when python3-gdal is
// installed.
func validateGPKG(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("dpkg", "-L", "python3-gdal").Output()
	if err != nil {
		t.Log("GDAL validator not available (python3-gdal): skipped")
		return
	}
	var v string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasSuffix(l, "/validate_gpkg.py") {
			v = l
			break
		}
	}
	if v == "" {
		t.Log("GDAL validator not found: skipped")
		return
	}
	res, err := exec.Command("/usr/bin/python3", v, "--extra", "--warning-as-error", path).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(res))) > 0 {
		t.Errorf("validate_gpkg.py %s: %v\n%s", path, err, res)
	}
}

// TestCoverageIsochrones checks the bands: per source kind, no two bands
// overlap, and every household lies in exactly the band of its own
// walking time (to the nearest facility; from the nearest CHW's home),
// or in none beyond the last band or off the network.
func TestCoverageIsochrones(t *testing.T) {
	td := newCovDistrict(t)
	got, res := td.coverage(lastmile.CoverageOptions{Bands: catchment.Bands{5 * 60, 15 * 60, 45 * 60, 90 * 60}})
	if len(res.Isochrones) == 0 {
		t.Fatal("no isochrones written")
	}
	ctx := context.Background()
	fromCHW, err := td.d.Matrix(ctx, "chws", "households", routing.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nearestCHW := map[string]geo.Seconds{}
	for j, h := range fromCHW.To {
		for i := range fromCHW.From {
			if s, ok := fromCHW.At(i, j); ok {
				if b, seen := nearestCHW[h.ID]; !seen || s < b {
					nearestCHW[h.ID] = s
				}
			}
		}
	}
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type band struct {
		kind     string
		min, max float64
		idx      *geo.PolygonIndex
	}
	var bands []band
	sc := db.Scan(district.Isochrones.Name)
	for sc.Scan() {
		v := sc.Values()
		mp, ok := sc.Geometry().(orb.MultiPolygon)
		if !ok {
			t.Fatalf("isochrone %d: geometry %T", sc.FID(), sc.Geometry())
		}
		bands = append(bands, band{v[0].(string), v[2].(float64), v[3].(float64), geo.NewPolygonIndex(mp)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	inBand := map[string]int{}
	for id, h := range got {
		for _, kind := range []string{lastmile.SourceFacility, lastmile.SourceCHW} {
			t0, ok := h.Dry.FacilityWalk, h.Dry.FacilityOK
			if kind == lastmile.SourceCHW {
				t0, ok = nearestCHW[id]
			}
			want := ""
			if ok && t0.Minutes() <= 90 {
				for _, b := range bands {
					if b.kind == kind && (t0.Minutes() > b.min || b.min == 0) && t0.Minutes() <= b.max {
						want = fmt.Sprint(b.max)
					}
				}
			}
			var in []string
			for _, b := range bands {
				if b.kind == kind && b.idx.Contains(h.Point) {
					in = append(in, fmt.Sprint(b.max))
				}
			}
			if (want == "" && len(in) != 0) || (want != "" && !slices.Equal(in, []string{want})) {
				t.Errorf("%s %s: %.2f min (ok %v) lies in bands ending %v, want only %q", id, kind, t0.Minutes(), ok, in, want)
			}
			if len(in) > 0 {
				inBand[kind]++
			}
		}
	}
	// H1–H5 are within 90 minutes of the clinic and of a CHW.
	if inBand[lastmile.SourceFacility] < 5 || inBand[lastmile.SourceCHW] < 5 {
		t.Errorf("households inside a band: %v, want at least 5 per kind", inBand)
	}
	// No overlap: a grid of probes over the area lies in at most one band
	// per kind.
	for x := 9.99; x <= 10.03; x += 0.0007 {
		for y := -0.02; y <= 0.04; y += 0.0007 {
			n := map[string]int{}
			for _, b := range bands {
				if b.idx.Contains(orb.Point{x, y}) {
					n[b.kind]++
				}
			}
			for k, c := range n {
				if c > 1 {
					t.Fatalf("(%.4f, %.4f) lies in %d %s bands", x, y, c, k)
				}
			}
		}
	}
}

// fordOSM is a clinic's bank and a village's bank of an 8 m stream
// (x = 10.002), joined by a ford at the south end and a bridge 3.3 km
// north. The dry season wades the ford (≤ 10 m); the rains close it
// (wider than 5 m), and the village walks round by the bridge.
func fordOSM() string {
	o := newOSMDoc()
	west, east := o.banks(30)
	o.node(300, 10.002, -0.01)
	o.node(301, 10.002, 0.04)
	o.way(1, footwayTag, west...)
	o.way(2, footwayTag, east...)
	o.way(3, footwayTag+"    <tag k=\"ford\" v=\"yes\"/>\n", 100, 200)
	o.way(4, footwayTag+bridgeTag, 130, 230)
	o.way(5, "    <tag k=\"waterway\" v=\"stream\"/>\n    <tag k=\"width\" v=\"8\"/>\n", 300, 301)
	return o.end()
}

func TestCoverageWetSeasonFord(t *testing.T) {
	hh := "household_id,village,members,lat,lon\n" +
		"V1,Gbeh,5,0.0000,10.0039\n" +
		"V2,Gbeh,4,0.0010,10.0039\n" +
		"V3,Gbeh,3,0.0020,10.0039\n" +
		"W1,Kpain,2,0.0010,10.0001\n"
	chws := "chw_id,lat,lon,capacity,active\nW,0.0005,10.0001,,true\n"
	td := newCovDistrictFrom(t, fordOSM(), coverageFacilities, chws, hh, []string{routing.Dry, routing.Wet})
	td.assignTo(map[string]string{"V1": "W", "V2": "W", "V3": "W", "W1": "W"})
	got, res := td.coverage(lastmile.CoverageOptions{})
	if len(res.Seasons) != 2 || res.Seasons[0].Season != district.Dry || res.Seasons[1].Season != district.Wet {
		t.Fatalf("seasons %+v, want dry then wet", res.Seasons)
	}
	for _, id := range []string{"V1", "V2", "V3"} {
		h := got[id]
		if !h.Dry.FacilityOK || h.Dry.FacilityWalk.Minutes() > 15 || slices.Contains(h.Dry.Flags, catchment.FlagFarFromFacility) {
			t.Errorf("%s dry: %.1f min (ok %v), flags %v; want the ford, within 15 min", id, h.Dry.FacilityWalk.Minutes(), h.Dry.FacilityOK, h.Dry.Flags)
		}
		if !h.Wet.Valid || !h.Wet.FacilityOK || h.Wet.FacilityWalk.Minutes() < 60 {
			t.Errorf("%s wet: %.1f min (ok %v); want round by the bridge, beyond 60 min", id, h.Wet.FacilityWalk.Minutes(), h.Wet.FacilityOK)
		}
		for _, f := range []string{catchment.FlagWetSeasonLoss, catchment.FlagFarFromFacility, catchment.FlagFarFromCHW} {
			if !slices.Contains(h.Wet.Flags, f) {
				t.Errorf("%s wet flags %v, want %s", id, h.Wet.Flags, f)
			}
		}
	}
	if f := got["W1"].Wet.Flags; len(f) != 0 {
		t.Errorf("W1 (clinic's bank) wet flags %v, want none", f)
	}
	if n := res.Seasons[1].District.WetSeasonLoss; n != 3 {
		t.Errorf("wet-season loss %d, want 3", n)
	}
	// The wet times are the wet graph's.
	wet := *td.d
	wet.Season = routing.Wet
	m, err := wet.Matrix(context.Background(), "households", "facilities", routing.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range m.From {
		s, ok := m.At(i, 0)
		if h := got[p.ID]; h.Wet.FacilityOK != ok || !msEqual(h.Wet.FacilityWalk, s) {
			t.Errorf("%s wet: %.3f min, wet matrix %.3f", p.ID, h.Wet.FacilityWalk.Minutes(), s.Minutes())
		}
	}
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var loss, served, servedWet int
	if err := db.SQL().QueryRow("SELECT wet_season_loss, served, served_wet FROM coverage_by_village WHERE village = 'Gbeh'").Scan(&loss, &served, &servedWet); err != nil {
		t.Fatal(err)
	}
	if loss != 3 || served != 3 || servedWet != 0 {
		t.Errorf("coverage_by_village Gbeh: wet_season_loss %d, served %d, served_wet %d; want 3, 3, 0", loss, served, servedWet)
	}
	var wetBands int
	if err := db.SQL().QueryRow("SELECT count(*) FROM isochrones WHERE season = 'wet'").Scan(&wetBands); err != nil || wetBands == 0 {
		t.Errorf("wet isochrones: %d (%v), want some", wetBands, err)
	}
	validateGPKG(t, td.d.Path)
}

// TestCoverageGapsAndSuggestions: with only the west bank served, the
// three east-bank households form a gap area, one new CHW home among them
// covers all three (15 people, proven optimal), a second goes to the
// island; the one household beyond an hour from the clinic and on the
// graph (the island) gets the health post.
func TestCoverageGapsAndSuggestions(t *testing.T) {
	td := newCovDistrict(t)
	td.assignTo(map[string]string{"H4": "W", "H5": "W"})
	mapFile := filepath.Join(td.dir, "coverage.png")
	_, res := td.coverage(lastmile.CoverageOptions{Suggest: 2, SuggestFacilities: 1, GapHouseholds: 3, Map: mapFile})
	if len(res.GapAreas) != 1 || res.GapAreas[0].Households != 3 || res.GapAreas[0].People != 15 {
		t.Errorf("gap areas %+v, want one of 3 households, 15 people (H1–H3)", res.GapAreas)
	}
	s := res.SuggestedCHWs
	if s == nil || len(s.Sites) != 2 {
		t.Fatalf("suggested CHWs %+v, want 2 sites", s)
	}
	first, second := s.Sites[0], s.Sites[1]
	if !strings.HasPrefix(string(first.Household), "H") || first.Households != 3 || first.People != 15 {
		t.Errorf("rank 1 %+v, want a home among H1–H3 covering 3 households, 15 people", first)
	}
	if second.Household != "I1" || second.People != 4 || second.Cumulative != 19 {
		t.Errorf("rank 2 %+v, want I1's home covering 4 people, 19 in all", second)
	}
	if !s.Optimal || s.Bound != 19 || s.Covered != 19 || s.DemandHouseholds != 4 {
		t.Errorf("suggestion: covered %d bound %d optimal %v demand %d; want 19, 19, true, 4 (O1 is off the graph)", s.Covered, s.Bound, s.Optimal, s.DemandHouseholds)
	}
	// The claim, checked by the matrix: the suggested home reaches H1–H3
	// within 30 minutes.
	m, err := td.d.Matrix(context.Background(), td.write("home.csv", fmt.Sprintf("id,lon,lat\nhome,%.7f,%.7f\n", first.Point[0], first.Point[1])), "households", routing.MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for j, h := range m.To {
		if sec, ok := m.At(0, j); strings.HasPrefix(h.ID, "H") && h.ID < "H4" && (!ok || sec > 30*60) {
			t.Errorf("suggested home → %s: %.1f min (ok %v), want within 30", h.ID, sec.Minutes(), ok)
		}
	}
	f := res.SuggestedFacilities
	if f == nil || len(f.Sites) != 1 || f.Sites[0].Household != "I1" || f.Covered != 4 {
		t.Errorf("suggested facilities %+v, want I1's home covering 4 people", f)
	}
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The overview map: an A4 page at 150 dpi, drawn (not blank).
	mf, err := os.Open(mapFile)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(mf)
	mf.Close()
	if err != nil {
		t.Fatalf("--map: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1754 || b.Dy() != 1240 {
		t.Errorf("map size %v, want 1754 × 1240", b)
	}
	colours := map[[3]uint32]bool{}
	for y := 0; y < img.Bounds().Dy(); y += 7 {
		for x := 0; x < img.Bounds().Dx(); x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("the map has %d colours: nearly blank", len(colours))
	}
	var n, bound int
	if err := db.SQL().QueryRow("SELECT count(*), max(bound_people) FROM suggested_chws").Scan(&n, &bound); err != nil || n != 2 || bound != 19 {
		t.Errorf("suggested_chws: %d rows, bound %d (%v); want 2, 19", n, bound, err)
	}
	validateGPKG(t, td.d.Path)
}

// TestCoverageUnregisteredStructures: of three mapped buildings in the
// area, one stands on H4 (registered), one 20 m from H5 (registered:
// within 30 m), one 345 m from the nearest (unregistered, in W's
// catchment); a fourth lies outside the study area and is not counted.
func TestCoverageUnregisteredStructures(t *testing.T) {
	td := newCovDistrict(t)
	td.assignTo(map[string]string{"H4": "W", "H5": "W"})
	west := orb.MultiPolygon{{{{9.99, -0.02}, {10.002, -0.02}, {10.002, 0.04}, {9.99, 0.04}, {9.99, -0.02}}}}
	east := orb.MultiPolygon{{{{10.002, -0.02}, {10.03, -0.02}, {10.03, 0.04}, {10.002, 0.04}, {10.002, -0.02}}}}
	err := gpkg.Update(context.Background(), td.d.Path, func(tx *gpkg.Tx) error {
		return district.WriteCatchments(tx, []district.Catchment{{CHW: "E", Area: east}, {CHW: "W", Area: west}})
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<osm version=\"0.6\">\n")
	id := 1
	house := func(way int, lon, lat float64) {
		const h = 0.00003 // about 3 m
		first := id
		for _, d := range [][2]float64{{-h, -h}, {h, -h}, {h, h}, {-h, h}} {
			fmt.Fprintf(&b, "  <node id=\"%d\" version=\"1\" lat=\"%.7f\" lon=\"%.7f\"/>\n", id, lat+d[1], lon+d[0])
			id++
		}
		fmt.Fprintf(&b, "  <way id=\"%d\" version=\"1\">", way)
		for k := 0; k <= 4; k++ {
			fmt.Fprintf(&b, "<nd ref=\"%d\"/>", first+k%4)
		}
		b.WriteString("<tag k=\"building\" v=\"yes\"/></way>\n")
	}
	house(1, 10.0001, 0.0010) // on H4
	house(2, 10.0003, 0.0020) // 22 m from H5
	house(3, 10.0015, 0.0050) // 150 m from every household
	house(4, 10.0500, 0.0100) // outside the area
	b.WriteString("</osm>\n")
	_, res := td.coverage(lastmile.CoverageOptions{Buildings: td.write("buildings.osm", b.String())})
	st := res.Structures
	if st == nil || st.Buildings != 4 || st.InArea != 3 || st.Unregistered != 1 || st.ByCHW["W"] != 1 {
		t.Fatalf("structures %+v, want 4 read, 3 in the area, 1 unregistered in W's catchment", st)
	}
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var osmID, n int
	var chw string
	var near float64
	if err := db.SQL().QueryRow("SELECT osm_way_id, chw_id, nearest_household_m FROM unregistered_structures").Scan(&osmID, &chw, &near); err != nil {
		t.Fatal(err)
	}
	if osmID != 3 || chw != "W" || near < 335 || near > 355 {
		t.Errorf("unregistered structure: way %d, chw %s, nearest household %.0f m; want way 3, W, about 345 m", osmID, chw, near)
	}
	if err := db.SQL().QueryRow("SELECT unregistered_structures FROM coverage_by_chw WHERE chw_id = 'W'").Scan(&n); err != nil || n != 1 {
		t.Errorf("coverage_by_chw W: unregistered_structures %d (%v), want 1", n, err)
	}
	validateGPKG(t, td.d.Path)
}

// TestREADMECoverageQueries runs the analysts' SQL of README.md's coverage
// section on a district, so that the README's answers stay answerable.
func TestREADMECoverageQueries(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "### lastmile coverage")
	if i < 0 {
		t.Fatal("README.md has no coverage section")
	}
	doc = doc[i:]
	if j := strings.Index(doc[4:], "\n### "); j >= 0 {
		doc = doc[:j+4]
	}
	var queries []string
	for _, part := range strings.Split(doc, `-sql "`)[1:] {
		q, _, ok := strings.Cut(part, `"`)
		if !ok {
			t.Fatalf("unterminated -sql in README: %.40s", part)
		}
		queries = append(queries, q)
	}
	for _, part := range strings.Split(doc, "`SELECT")[1:] {
		q, _, _ := strings.Cut(part, "`")
		queries = append(queries, "SELECT"+q)
	}
	if len(queries) < 4 {
		t.Fatalf("found %d queries in README's coverage section, want at least 4", len(queries))
	}
	td := newCovDistrictFrom(t, fordOSM(), coverageFacilities, "chw_id,lat,lon,capacity,active\nW,0.0005,10.0001,,true\n",
		"household_id,village,members,lat,lon\nV1,Gbeh,5,0.0000,10.0039\nV2,Gbeh,4,0.0010,10.0039\nV3,Zor,3,0.0300,10.0039\n", []string{routing.Dry, routing.Wet})
	td.assignTo(map[string]string{"V1": "W"})
	// V3, 3 km up the far bank, is beyond 30 minutes of the clinic.
	td.coverage(lastmile.CoverageOptions{Buildings: td.write("b.osm", "<osm version=\"0.6\"></osm>\n"),
		Thresholds: catchment.Thresholds{FacilityWalk: 30 * 60}})
	db, err := gpkg.Open(td.d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Errorf("README query %q: %v", q, err)
			continue
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if n == 0 {
			t.Errorf("README query %q returns no row on a district with a wet-season loss and unserved remote households", q)
		}
	}
}

// TestCoverageCHWAtCapacity runs the real assign stage: E, on the east
// bank, can take only two households, so the third east-bank household
// goes to W across the river, and coverage finds it far from its CHW.
func TestCoverageCHWAtCapacity(t *testing.T) {
	chws := "chw_id,lat,lon,capacity,active\nW,0.0000,10.0001,,true\nE,0.0200,10.0039,2,true\n"
	td := newCovDistrictFrom(t, coverageOSM(), coverageFacilities, chws, coverageHouseholds, nil)
	if _, err := td.d.Assign(context.Background(), lastmile.AssignOptions{Method: lastmile.MethodBalanced, MinHouseholds: 1, MaxHouseholds: 10}); err != nil {
		t.Fatal(err)
	}
	got, res := td.coverage(lastmile.CoverageOptions{})
	var acrossRiver []string
	for _, id := range []string{"H1", "H2", "H3"} {
		h := got[id]
		if h.CHW == "W" {
			acrossRiver = append(acrossRiver, id)
			if !slices.Contains(h.Dry.Flags, catchment.FlagFarFromCHW) || !h.Dry.CHWOK || h.Dry.CHWWalk.Minutes() < 30 {
				t.Errorf("%s, assigned across the river: %.1f min from W, flags %v; want beyond 30 min, far_from_chw", id, h.Dry.CHWWalk.Minutes(), h.Dry.Flags)
			}
		} else if h.CHW != "E" || slices.Contains(h.Dry.Flags, catchment.FlagFarFromCHW) {
			t.Errorf("%s: CHW %s, flags %v; want E within 30 min", id, h.CHW, h.Dry.Flags)
		}
	}
	if len(acrossRiver) != 1 {
		t.Errorf("east-bank households assigned to W: %v, want exactly one (E's capacity is 2)", acrossRiver)
	}
	for _, g := range res.Seasons[0].ByCHW {
		if g.Key == "E" && g.Households != 2 {
			t.Errorf("E serves %d households, want its capacity 2", g.Households)
		}
	}
}
