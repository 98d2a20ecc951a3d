package routing

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
)

func TestWetProfile(t *testing.T) {
	dry := DefaultProfile()
	wet := dry.Wet()
	if err := wet.Validate(); err != nil {
		t.Fatalf("wet profile invalid: %v", err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"off_path_factor", wet.OffPathFactor, dry.OffPathFactor * 2 / 3},
		{"class_factor path", lookup(wet.ClassFactor, "path"), lookup(dry.ClassFactor, "path") * 0.75},
		{"class_factor track (default)", lookup(wet.ClassFactor, "track"), 0.75},
		{"crossing_minutes stream", wet.CrossingMinutes["stream"], 45},
		{"derived_stream_minutes", wet.DerivedStreamMinutes, 15},
		{"ford_minutes", wet.FordMinutes, 10},
		{"max_wade_width_m", wet.MaxWadeWidth, 5},
		{"derived_barrier_km2", wet.DerivedBarrierKm2, 100},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("Wet().%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if dry.OffPathFactor != 0.6 || dry.ClassFactor["path"] != 0.95 {
		t.Errorf("Wet modified the dry profile: %+v", dry)
	}
	if _, err := SeasonProfile(dry, "monsoon"); err == nil {
		t.Error("SeasonProfile(monsoon): no error")
	}
}

// TestSeasonsStoredTogether: the dry and wet graphs of one terrain live in
// one GeoPackage; on flat ground the wet walk takes 3/2 of the dry one
// (off-path speed × 2/3), and a stream the dry season wades in 5 minutes
// takes 15.
func TestSeasonsStoredTogether(t *testing.T) {
	var f fixture
	f.water("stream", 2, [2]float64{0, -6000}, [2]float64{0, 6000})
	area := &Terrain{Area: square(2000), NoDerivedWater: true}
	dryG, _ := f.buildTerrain(t, plane{z0: 30}, DefaultProfile(), area)
	wetG, _ := f.buildTerrain(t, plane{z0: 30}, DefaultProfile().Wet(), area)
	path := filepath.Join(t.TempDir(), "s.gpkg")
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		if err := dryG.Save(tx, &StoreInfo{Season: Dry, InputsSHA256: "d"}); err != nil {
			return err
		}
		return wetG.SaveSeason(tx, Wet, &StoreInfo{InputsSHA256: "w"})
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, b := xy(-1500, 100), xy(-300, -200) // same bank
	c := xy(1200, 0)                       // across the stream
	times := map[string][2]float64{}
	for _, season := range []string{Dry, Wet} {
		info, err := LoadSeasonInfo(db, season)
		if err != nil || info.InputsSHA256 != season[:1] {
			t.Fatalf("LoadSeasonInfo(%s) = %+v, %v", season, info, err)
		}
		g, err := LoadSeason(db, season)
		if err != nil {
			t.Fatal(err)
		}
		g.SetElevation(plane{z0: 30})
		r1, err1 := g.Walk(a, b)
		r2, err2 := g.Walk(a, c)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		times[season] = [2]float64{float64(r1.Seconds), float64(r2.Seconds)}
	}
	dry, wet := times[Dry], times[Wet]
	if r := wet[0] / dry[0]; math.Abs(r-1.5) > 0.01 {
		t.Errorf("same bank: wet %.0f s / dry %.0f s = %.3f, want 1.5", wet[0], dry[0], r)
	}
	// Across the stream: the walk there plus wading, 15 min dry (OSM
	// stream, crossing_minutes) and 45 min wet.
	flatDry := offPathSeconds(DefaultProfile(), float64(geo.Distance(a, c)))
	if d := dry[1] - flatDry; d < 15*60 || d > 15*60+0.05*flatDry {
		t.Errorf("dry across the stream: %.0f s, want %.0f s flat + 900 s wading", dry[1], flatDry)
	}
	if d := wet[1] - 1.5*flatDry; d < 45*60 || d > 45*60+0.05*flatDry*1.5 {
		t.Errorf("wet across the stream: %.0f s, want %.0f s flat + 2700 s wading", wet[1], 1.5*flatDry)
	}
	if _, err := LoadSeason(db, "monsoon"); err == nil {
		t.Error("LoadSeason(monsoon): no error")
	}
}
