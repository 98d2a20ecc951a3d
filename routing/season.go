package routing

import (
	"fmt"
	"maps"
)

// Seasons. The dry season is the profile as given; the wet season is its
// Wet transformation.
const (
	Dry = "dry"
	Wet = "wet"
)

// Wet-season factors, applied by Profile.Wet. The walking speeds follow
// Blanford et al. 2012 ("It's a long, long walk: accessibility to
// hospitals, maternity and integrated health centers in Niger", Int J
// Health Geogr 11:24, Table 2, after Pozzi and Robinson): walking across
// open land and cropland drops from 3 to 2 km/h in the wet season and
// through shrub and woodland from 1.5 to 1 km/h (×2/3), in built-up areas
// from 4 to 3 km/h (×3/4); bare rock and stony ground become impassable.
// AccessMod (WHO) models a season the same way: another travel scenario,
// speeds and barriers, over the same land. The water factors are this
// project's reading of Liberia's rains (May–October, most of about 2,000 mm
// a year): creeks rise and fords take longer or close, and a river that is
// waded in February is swum, or crossed by canoe, in August.
const (
	// WetOffPathFactor multiplies the off-path factor (Blanford: ×2/3
	// across open land and woodland).
	WetOffPathFactor = 2.0 / 3
	// WetPathFactor multiplies the speed on mapped paths and tracks
	// (Blanford: ×3/4 in built-up areas, on compacted ground; mud on
	// unpaved paths).
	WetPathFactor = 0.75
	// WetCrossingFactor multiplies the minutes to wade a mapped waterway
	// and to wade a derived stream.
	WetCrossingFactor = 3
	// WetFordMinutes is the least time at a ford in the rains.
	WetFordMinutes = 10
	// WetMaxWadeWidth is the widest mapped waterway (m) waded in the rains.
	WetMaxWadeWidth = 5
	// WetDerivedBarrierKm2 is the contributing area (km²) from which a
	// derived river is a barrier in the rains (a river of the order of
	// 10 m wide; see routing/hydro).
	WetDerivedBarrierKm2 = 100
)

// Wet returns the wet-season version of p: off-path and path speeds
// slower, crossings slower, fords slower, narrower waterways and smaller
// derived rivers impassable (see the Wet* constants). It does not modify p.
func (p Profile) Wet() Profile {
	w := p
	w.Name = p.Name + " (wet season)"
	w.OffPathFactor = p.OffPathFactor * WetOffPathFactor
	w.ClassFactor = maps.Clone(p.ClassFactor)
	if len(w.ClassFactor) == 0 {
		w.ClassFactor = map[string]float64{"*": 1}
	}
	if _, ok := w.ClassFactor["*"]; !ok {
		w.ClassFactor["*"] = 1
	}
	for k, v := range w.ClassFactor {
		w.ClassFactor[k] = v * WetPathFactor
	}
	w.CrossingMinutes = maps.Clone(p.CrossingMinutes)
	for k, v := range w.CrossingMinutes {
		w.CrossingMinutes[k] = v * WetCrossingFactor
	}
	w.DerivedStreamMinutes = p.DerivedStreamMinutes * WetCrossingFactor
	w.FordMinutes = max(p.FordMinutes, WetFordMinutes)
	w.MaxWadeWidth = min(p.MaxWadeWidth, WetMaxWadeWidth)
	w.DerivedBarrierKm2 = min(p.DerivedBarrierKm2, WetDerivedBarrierKm2)
	return w
}

// SeasonProfile returns the profile of season (Dry or Wet) from the dry
// profile p.
func SeasonProfile(p Profile, season string) (Profile, error) {
	switch season {
	case Dry, "":
		return p, nil
	case Wet:
		return p.Wet(), nil
	}
	return Profile{}, fmt.Errorf("routing: season %q: want %q or %q", season, Dry, Wet)
}
