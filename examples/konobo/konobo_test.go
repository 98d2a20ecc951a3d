package main

import (
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/internal/shareddata"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// TestKonobo runs the whole example on the real district and checks what
// must hold whatever the terrain: the program's figures, every place
// answered (or unreachable with a reason) in both seasons, the wet season
// slower, and no walk faster than the straight line at the fastest
// off-path speed.
func TestKonobo(t *testing.T) {
	if testing.Short() {
		t.Skip("short: skipping the Konobo run (about 30 s)")
	}
	shared := filepath.Dir(filepath.Dir(filepath.Dir(shareddata.Path(t, "liberia/konobo/N05W008.hgt.zip"))))
	out := t.TempDir()
	res, err := run(context.Background(), config{Out: out, Shared: shared, Seed: 2015}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Households != households || res.Villages != villages {
		t.Errorf("%d households in %d villages, want %d in %d", res.Households, res.Villages, households, villages)
	}
	if r := float64(res.Households) / float64(res.CHWs); r < 40 || r > 60 {
		t.Errorf("%d CHWs for %d households: %.1f each, want 40–60", res.CHWs, res.Households, r)
	}
	if len(res.Places) < villages {
		t.Fatalf("%d places, want at least the %d villages", len(res.Places), villages)
	}
	facilities := readFacilityPoints(t, filepath.Join(out, "facilities.geojson"))
	// Fastest possible off the paths: Tobler's 6 km/h (a 5 % descent) at
	// the off-path factor 0.6.
	const fastest = 6 * 0.6 / 3.6 // m/s
	for _, p := range res.Places {
		for k, season := range seasons {
			m := p.Minutes[k]
			if math.IsNaN(m) {
				if p.Why[k] == "" {
					t.Errorf("%s (%d), %s: no time and no reason", p.Name, p.ID, season)
				}
				continue
			}
			crow := math.Inf(1)
			for _, f := range facilities {
				crow = math.Min(crow, float64(geo.Distance(p.Point, f)))
			}
			if m*60 < crow/fastest*(1-0.03) {
				t.Errorf("%s, %s: %.1f min, faster than the straight line to the nearest facility (%.0f m) at %.1f km/h",
					p.Name, season, m, crow, fastest*3.6)
			}
		}
		if dry, wet := p.Minutes[0], p.Minutes[1]; !math.IsNaN(dry) && !math.IsNaN(wet) && wet <= dry {
			t.Errorf("%s: wet %.1f min ≤ dry %.1f min", p.Name, wet, dry)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "places_minutes.csv")); err != nil {
		t.Error(err)
	}
	t.Logf("graphs %.1f s, %d lattice nodes; households beyond 60 min dry %d wet %d, unreachable dry %d wet %d",
		res.GraphSeconds, res.LatticeNodes, res.Over60[0], res.Over60[1], res.Unreached[0], res.Unreached[1])
}

func readFacilityPoints(t *testing.T, path string) []orb.Point {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	var out []orb.Point
	for _, f := range fc.Features {
		out = append(out, f.Geometry.(orb.Point))
	}
	return out
}
