package district

import (
	"math"
	"strings"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
)

// Create creates layer l in tx (replacing any layer or table of that name)
// and returns its writer; Writer.Close adds l's unique indexes.
func Create(tx *gpkg.Tx, l *Layer) (*Writer, error) {
	var w *gpkg.Writer
	var err error
	if l.Geometry == "" {
		w, err = tx.CreateTable(l.GpkgTable())
	} else {
		w, err = tx.CreateLayer(l.GpkgLayer())
	}
	if err != nil {
		return nil, err
	}
	return &Writer{w: w, tx: tx, l: l}, nil
}

// Writer writes the rows of one declared layer, values in declared column
// order.
type Writer struct {
	w  *gpkg.Writer
	tx *gpkg.Tx
	l  *Layer
}

// Insert writes one row (g nil for an attribute table).
func (w *Writer) Insert(g orb.Geometry, values ...any) error {
	_, err := w.w.Insert(g, values...)
	return err
}

// Close finishes the layer and indexes its unique columns.
func (w *Writer) Close() error {
	if err := w.w.Close(); err != nil {
		return err
	}
	for _, c := range w.l.Columns {
		if c.Unique {
			if err := w.tx.CreateIndex(w.l.Name, true, c.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// Abort closes the writer after a failed insert; the update is then rolled
// back by its caller.
func (w *Writer) Abort() { w.w.Close() }

// nullable returns nil for the zero value, so it is stored as NULL.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// WriteAssignments replaces the assignments table with as.
func WriteAssignments(tx *gpkg.Tx, as []Assignment) error {
	w, err := Create(tx, &Assignments.Layer)
	if err != nil {
		return err
	}
	for _, a := range as {
		var mins, km any
		if a.WalkOK {
			mins, km = round3(a.Walk.Minutes()), round3(a.Distance.Kilometers())
		}
		if err := w.Insert(nil, string(a.Household), nullable(string(a.CHW)), mins, km, a.Method,
			nullable(a.Reason), a.AssignedAt); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteWorkloads replaces the chw_workload table with ws.
func WriteWorkloads(tx *gpkg.Tx, ws []Workload) error {
	w, err := Create(tx, &Workloads.Layer)
	if err != nil {
		return err
	}
	for _, x := range ws {
		if err := w.Insert(nil, string(x.CHW), x.Households, x.People, round3(x.MeanMinutes), round3(x.MaxMinutes),
			x.OverWalk, x.OverCapacity, x.UnderMinimum); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteMoves replaces the moves table with ms.
func WriteMoves(tx *gpkg.Tx, ms []Move) error {
	w, err := Create(tx, &Moves.Layer)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := w.Insert(nil, string(m.Household), nullable(string(m.From)), nullable(string(m.To)), m.Reason); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// Catchment is one row of the catchments layer.
type Catchment struct {
	CHW        CHWID
	Area       orb.MultiPolygon
	Households int
	AreaKm2    float64
	Method     string
}

// WriteCatchments replaces the catchments layer with cs.
func WriteCatchments(tx *gpkg.Tx, cs []Catchment) error {
	w, err := Create(tx, &Catchments.Layer)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := w.Insert(c.Area, string(c.CHW), c.Households, round3(c.AreaKm2), c.Method); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// minutes returns a time in minutes to 3 decimals, or nil (NULL) when !ok.
func minutes(s geo.Seconds, ok bool) any {
	if !ok {
		return nil
	}
	return round3(s.Minutes())
}

// seasonValues returns a season's columns of coverage_households, all NULL
// when the season was not computed.
func seasonValues(s SeasonCoverage) []any {
	if !s.Valid {
		return []any{nil, nil, nil, nil, nil, nil}
	}
	return []any{nullable(string(s.Facility)), minutes(s.FacilityWalk, s.FacilityOK), round3(s.FacilityDistance.Kilometers()),
		minutes(s.CHWWalk, s.CHWOK), nullable(s.Unreachable), strings.Join(s.Flags, ",")}
}

// WriteCoverageHouseholds replaces coverage_households with hs.
func WriteCoverageHouseholds(tx *gpkg.Tx, hs []HouseholdCoverage) error {
	w, err := Create(tx, &CoverageHouseholds.Layer)
	if err != nil {
		return err
	}
	vals := make([]any, 0, len(CoverageHouseholds.Columns))
	for _, h := range hs {
		vals = append(vals[:0], string(h.Household), nullable(h.Village), h.Members, nullable(string(h.CHW)))
		vals = append(vals, seasonValues(h.Dry)...)
		vals = append(vals, seasonValues(h.Wet)...)
		if err := w.Insert(h.Point, vals...); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteIsochrones replaces the isochrones layer with is.
func WriteIsochrones(tx *gpkg.Tx, is []Isochrone) error {
	w, err := Create(tx, &Isochrones.Layer)
	if err != nil {
		return err
	}
	for _, x := range is {
		if err := w.Insert(x.Area, x.SourceKind, x.SourceID, x.BandMin, x.BandMax, x.Season, round3(x.AreaKm2), x.Households, x.People); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteGapAreas replaces the gap_areas layer with gs.
func WriteGapAreas(tx *gpkg.Tx, gs []GapArea) error {
	w, err := Create(tx, &GapAreas.Layer)
	if err != nil {
		return err
	}
	for _, g := range gs {
		if err := w.Insert(g.Area, g.ID, g.Season, g.Households, g.People, g.Remote, round3(g.AreaKm2), round3(g.MeanMinutesFacility)); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteSuggestions replaces layer l (SuggestedCHWs or SuggestedFacilities)
// with ss.
func WriteSuggestions(tx *gpkg.Tx, l *SuggestionsSchema, ss []Suggestion) error {
	w, err := Create(tx, &l.Layer)
	if err != nil {
		return err
	}
	for _, s := range ss {
		if err := w.Insert(s.Point, s.Rank, nullable(string(s.Household)), s.Households, s.People, s.Cumulative,
			s.BoundPeople, s.Season, s.LimitMinutes); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}

// WriteStructures replaces unregistered_structures with ss.
func WriteStructures(tx *gpkg.Tx, ss []Structure) error {
	w, err := Create(tx, &UnregisteredStructures.Layer)
	if err != nil {
		return err
	}
	for _, s := range ss {
		var near any
		if d := float64(s.NearestHousehold); !math.IsInf(d, 0) && !math.IsNaN(d) {
			near = math.Round(d*10) / 10
		}
		if err := w.Insert(s.Outline, s.OSMID, nullable(string(s.CHW)), near); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Close()
}
