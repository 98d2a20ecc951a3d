package district

import (
	"fmt"
	"iter"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
)

// Seasons, as stored in the season columns.
const (
	Dry = "dry"
	Wet = "wet"
)

// HouseholdCoverage is one row of coverage_households: how far a household
// is from care, in each season.
type HouseholdCoverage struct {
	Household HouseholdID
	Point     orb.Point
	Village   string
	Members   int
	// CHW is the assigned CHW, "" when unassigned.
	CHW CHWID
	// Dry and Wet are the two seasons; a season that was not computed has
	// Valid false and is stored as NULLs.
	Dry, Wet SeasonCoverage
}

// SeasonCoverage is a household's coverage in one season.
type SeasonCoverage struct {
	Valid bool
	// Facility is the facility quickest to walk to ("" when none is
	// reachable) and FacilityWalk the time (FacilityOK false when none).
	Facility     FacilityID
	FacilityWalk geo.Seconds
	FacilityOK   bool
	// FacilityDistance is the straight line to Facility, or to the
	// nearest facility as the crow flies when none is reachable.
	FacilityDistance geo.Meters
	// CHWWalk is the walking time from the assigned CHW's home; CHWOK is
	// false when unassigned or when the CHW cannot reach the household.
	CHWWalk geo.Seconds
	CHWOK   bool
	// Unreachable is "" or why no facility can be reached.
	Unreachable string
	Flags       []string
}

// Isochrone is one row of isochrones: where the walk to (or from) the
// nearest source takes between BandMin and BandMax minutes.
type Isochrone struct {
	SourceKind, SourceID string
	BandMin, BandMax     float64 // minutes
	Season               string
	Area                 orb.MultiPolygon
	AreaKm2              float64
	Households, People   int
}

// GapArea is one row of gap_areas: a cluster of households no CHW serves.
type GapArea struct {
	ID                 int
	Season             string
	Area               orb.MultiPolygon
	Households, People int
	// Remote counts the households beyond the policy's facility
	// thresholds (the households a CHW is meant for).
	Remote              int
	AreaKm2             float64
	MeanMinutesFacility float64 // over the households that reach one
}

// Suggestion is one row of suggested_chws or suggested_facilities: a
// proposed home or site, in the order chosen.
type Suggestion struct {
	Rank  int
	Point orb.Point
	// Household is the household whose home is proposed ("" for a path
	// node).
	Household HouseholdID
	// Households and People are those this site newly covers (not
	// covered by an earlier rank); Cumulative sums People over ranks 1..Rank.
	Households, People, Cumulative int
	// BoundPeople is an upper bound on the people any choice of as many
	// sites could cover; the same on every row.
	BoundPeople  int
	Season       string
	LimitMinutes float64
}

// Structure is one row of unregistered_structures: a mapped building with
// no registered household near it.
type Structure struct {
	OSMID   int64
	Outline orb.Polygon
	// CHW is the CHW whose catchment holds the structure ("" for none).
	CHW CHWID
	// NearestHousehold is the straight line to the nearest registered
	// household (+Inf, stored as NULL, when there is none).
	NearestHousehold geo.Meters
}

// CoverageHouseholdsSchema is the coverage_households layer.
type CoverageHouseholdsSchema struct {
	Layer
	Household, Village, Members, CHW                                                        Column
	Facility, MinutesFacility, KmFacility, MinutesCHW, Unreachable, Flags                   Column
	FacilityWet, MinutesFacilityWet, KmFacilityWet, MinutesCHWWet, UnreachableWet, FlagsWet Column
}

// IsochronesSchema is the isochrones layer.
type IsochronesSchema struct {
	Layer
	SourceKind, SourceID, BandMin, BandMax, Season, AreaKm2, Households, People Column
}

// GapAreasSchema is the gap_areas layer.
type GapAreasSchema struct {
	Layer
	GapID, Season, Households, People, Remote, AreaKm2, MeanMinutesFacility Column
}

// SuggestionsSchema is the suggested_chws or suggested_facilities layer.
type SuggestionsSchema struct {
	Layer
	Rank, Household, Households, People, Cumulative, BoundPeople, Season, LimitMinutes Column
}

// StructuresSchema is the unregistered_structures layer.
type StructuresSchema struct {
	Layer
	OSMID, CHW, NearestHouseholdM Column
}

// FlagsDoc lists coverage_households' flag codes.
const FlagsDoc = "comma-separated: `remote` (policy: beyond --remote-km straight line, 5, or --facility-walk minutes, 60, from the nearest facility, or none reachable), " +
	"`far_from_facility` (beyond --facility-walk), `far_from_chw` (assigned, beyond --chw-walk minutes, 30, or not reachable from the CHW's home), `unassigned`, " +
	"`unreachable` (no facility reachable: see unreachable), `wet_season_loss` (wet only: within --facility-walk or --chw-walk in the dry season, not in the wet), `low_accuracy`"

// The layers lastmile coverage writes.
var (
	CoverageHouseholds = func() CoverageHouseholdsSchema {
		s := CoverageHouseholdsSchema{
			Household:          idCol("household_id"),
			Village:            col("village", gpkg.Text, ""),
			Members:            col("members", gpkg.Integer, ""),
			CHW:                col("chw_id", gpkg.Text, "assigned CHW, NULL when unassigned"),
			Facility:           col("facility_id", gpkg.Text, "quickest to walk to; NULL when none is reachable"),
			MinutesFacility:    col("minutes_facility", gpkg.Real, "walking, household → facility"),
			KmFacility:         col("km_facility", gpkg.Real, "straight line to facility_id, or to the nearest facility when none is reachable"),
			MinutesCHW:         col("minutes_chw", gpkg.Real, "walking, CHW's home → household; NULL when unassigned or unreachable"),
			Unreachable:        col("unreachable", gpkg.Text, "NULL, or why no facility is reachable: `off_network`, `no_path`, `across_water`"),
			Flags:              col("flags", gpkg.Text, FlagsDoc),
			FacilityWet:        col("facility_id_wet", gpkg.Text, ""),
			MinutesFacilityWet: col("minutes_facility_wet", gpkg.Real, ""),
			KmFacilityWet:      col("km_facility_wet", gpkg.Real, ""),
			MinutesCHWWet:      col("minutes_chw_wet", gpkg.Real, ""),
			UnreachableWet:     col("unreachable_wet", gpkg.Text, ""),
			FlagsWet:           col("flags_wet", gpkg.Text, "the wet season's, NULL when only the dry season was computed"),
		}
		s.Layer = Layer{Name: "coverage_households", Geometry: gpkg.Point, WrittenBy: "`coverage`",
			Description: "walking minutes to the nearest facility and from the assigned CHW, dry and wet (lastmile coverage)",
			Columns: []Column{s.Household, s.Village, s.Members, s.CHW,
				s.Facility, s.MinutesFacility, s.KmFacility, s.MinutesCHW, s.Unreachable, s.Flags,
				s.FacilityWet, s.MinutesFacilityWet, s.KmFacilityWet, s.MinutesCHWWet, s.UnreachableWet, s.FlagsWet}}
		return s
	}()

	Isochrones = func() IsochronesSchema {
		s := IsochronesSchema{
			SourceKind: col("source_kind", gpkg.Text, "`facility` (walking to it) or `chw` (walking from the home)"),
			SourceID:   col("source_id", gpkg.Text, "`all`: the nearest source"),
			BandMin:    col("band_min", gpkg.Real, "minutes, exclusive (0 inclusive)"),
			BandMax:    col("band_max", gpkg.Real, "minutes, inclusive: a walk of exactly 60 is in 30–60"),
			Season:     col("season", gpkg.Text, "`dry` or `wet`"),
			AreaKm2:    col("area_km2", gpkg.Real, "geodesic"),
			Households: col("households", gpkg.Integer, ""),
			People:     col("people", gpkg.Integer, ""),
		}
		s.Layer = Layer{Name: "isochrones", Geometry: gpkg.MultiPolygon, WrittenBy: "`coverage`",
			Description: "walking-time bands from facilities and CHW homes, non-overlapping per source kind and season; a household lies in the band of its own time (lastmile coverage)",
			Columns:     []Column{s.SourceKind, s.SourceID, s.BandMin, s.BandMax, s.Season, s.AreaKm2, s.Households, s.People}}
		return s
	}()

	GapAreas = func() GapAreasSchema {
		s := GapAreasSchema{
			GapID:               col("gap_id", gpkg.Integer, ""),
			Season:              col("season", gpkg.Text, ""),
			Households:          col("households", gpkg.Integer, "unassigned or far_from_chw"),
			People:              col("people", gpkg.Integer, ""),
			Remote:              col("remote", gpkg.Integer, "of them flagged remote"),
			AreaKm2:             col("area_km2", gpkg.Real, ""),
			MeanMinutesFacility: col("mean_minutes_facility", gpkg.Real, ""),
		}
		s.Layer = Layer{Name: "gap_areas", Geometry: gpkg.MultiPolygon, WrittenBy: "`coverage`",
			Description: "clusters of households no CHW serves within --chw-walk (lastmile coverage)",
			Columns:     []Column{s.GapID, s.Season, s.Households, s.People, s.Remote, s.AreaKm2, s.MeanMinutesFacility}}
		return s
	}()

	SuggestedCHWs       = suggestions("suggested_chws", "`coverage --suggest N`", "proposed CHW homes, in the order chosen (lastmile coverage --suggest)")
	SuggestedFacilities = suggestions("suggested_facilities", "`coverage --suggest-facilities N`", "proposed health-post sites, in the order chosen (lastmile coverage --suggest-facilities)")

	UnregisteredStructures = func() StructuresSchema {
		s := StructuresSchema{
			OSMID:             col("osm_way_id", gpkg.Integer, ""),
			CHW:               col("chw_id", gpkg.Text, "whose catchment holds it"),
			NearestHouseholdM: col("nearest_household_m", gpkg.Real, "straight line"),
		}
		s.Layer = Layer{Name: "unregistered_structures", Geometry: gpkg.Polygon, WrittenBy: "`coverage --buildings FILE`",
			Description: "OSM building outlines with no registered household within 30 m (lastmile coverage)",
			Columns:     []Column{s.OSMID, s.CHW, s.NearestHouseholdM}}
		return s
	}()
)

func suggestions(name, by, desc string) SuggestionsSchema {
	s := SuggestionsSchema{
		Rank:         col("rank", gpkg.Integer, "1 = chosen first"),
		Household:    col("household_id", gpkg.Text, "whose home is proposed"),
		Households:   col("households", gpkg.Integer, "newly covered"),
		People:       col("people", gpkg.Integer, "newly covered"),
		Cumulative:   col("cumulative_people", gpkg.Integer, ""),
		BoundPeople:  col("bound_people", gpkg.Integer, "upper bound of the people any as many sites could cover"),
		Season:       col("season", gpkg.Text, ""),
		LimitMinutes: col("limit_minutes", gpkg.Real, ""),
	}
	s.Layer = Layer{Name: name, Geometry: gpkg.Point, WrittenBy: by, Description: desc,
		Columns: []Column{s.Rank, s.Household, s.Households, s.People, s.Cumulative, s.BoundPeople, s.Season, s.LimitMinutes}}
	return s
}

// ReadCoverageHouseholds streams coverage_households in fid order.
func ReadCoverageHouseholds(rd gpkg.Reader) iter.Seq2[HouseholdCoverage, error] {
	s := &CoverageHouseholds
	season := func(r *row, fac, mins, km, chw, unr, flags Column) SeasonCoverage {
		if r.val(flags) == nil {
			return SeasonCoverage{}
		}
		_, fok := r.val(mins).(float64)
		_, cok := r.val(chw).(float64)
		return SeasonCoverage{Valid: true, Facility: FacilityID(r.str(fac)),
			FacilityWalk: geo.Seconds(r.float(mins) * 60), FacilityOK: fok,
			FacilityDistance: geo.Meters(r.float(km) * 1000),
			CHWWalk:          geo.Seconds(r.float(chw) * 60), CHWOK: cok,
			Unreachable: r.str(unr), Flags: r.flags(flags)}
	}
	return scan(rd, &s.Layer, func(r *row) (HouseholdCoverage, error) {
		p, err := r.point()
		return HouseholdCoverage{
			Household: HouseholdID(r.str(s.Household)), Point: p, Village: r.str(s.Village), Members: r.int(s.Members),
			CHW: CHWID(r.str(s.CHW)),
			Dry: season(r, s.Facility, s.MinutesFacility, s.KmFacility, s.MinutesCHW, s.Unreachable, s.Flags),
			Wet: season(r, s.FacilityWet, s.MinutesFacilityWet, s.KmFacilityWet, s.MinutesCHWWet, s.UnreachableWet, s.FlagsWet),
		}, err
	})
}

// ReadCatchments streams the catchments layer in fid order.
func ReadCatchments(rd gpkg.Reader) iter.Seq2[Catchment, error] {
	s := &Catchments
	return scan(rd, &s.Layer, func(r *row) (Catchment, error) {
		c := Catchment{CHW: CHWID(r.str(s.CHW)), Households: r.int(s.Households), AreaKm2: r.float(s.AreaKm2), Method: r.str(s.Method)}
		switch g := r.geom.(type) {
		case orb.MultiPolygon:
			c.Area = g
		case orb.Polygon:
			c.Area = orb.MultiPolygon{g}
		case nil:
		default:
			return c, fmt.Errorf("layer %s: feature %d: want a MultiPolygon geometry, got %T", s.Name, r.fid, r.geom)
		}
		return c, nil
	})
}
