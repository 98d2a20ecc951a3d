package district

import (
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
)

// Assignment is one row of the assignments table: which CHW serves a
// household. Every household has exactly one row.
type Assignment struct {
	Household HouseholdID
	// CHW is "" when the household is unassigned (Reason says why).
	CHW CHWID
	// Walk is the walking time from the CHW's home to the household and
	// Distance its length; WalkOK is false when not on the network.
	Walk     geo.Seconds
	Distance geo.Meters
	WalkOK   bool
	Method   string
	// Reason is "" for an assigned household, else a code such as
	// no_path, across_water, no_candidate or over_capacity.
	Reason     string
	AssignedAt time.Time
}

// Workload is one row of chw_workload.
type Workload struct {
	CHW          CHWID
	Households   int
	People       int
	MeanMinutes  float64
	MaxMinutes   float64
	OverWalk     int // households beyond the walk limit
	OverCapacity int // households beyond the CHW's capacity
	UnderMinimum int // households short of the minimum
}

// Move is one row of moves: a household reassigned by assign --keep.
type Move struct {
	Household HouseholdID
	From, To  CHWID // "" for none
	Reason    string
}

// AssignmentsSchema is the assignments table.
type AssignmentsSchema struct {
	Layer
	Household, CHW, Minutes, Km, Method, Reason, AssignedAt Column
}

// CatchmentsSchema is the catchments layer.
type CatchmentsSchema struct {
	Layer
	CHW, Households, AreaKm2, Method Column
}

// WorkloadSchema is the chw_workload table.
type WorkloadSchema struct {
	Layer
	CHW, Households, People, MeanMinutes, MaxMinutes, OverWalk, OverCapacity, UnderMinimum Column
}

// MovesSchema is the moves table.
type MovesSchema struct {
	Layer
	Household, From, To, Reason Column
}

// The layers lastmile assign writes.
var (
	Assignments = func() AssignmentsSchema {
		s := AssignmentsSchema{
			Household:  idCol("household_id"),
			CHW:        col("chw_id", gpkg.Text, "NULL when unassigned"),
			Minutes:    col("minutes", gpkg.Real, "walking, home → household; NULL off the network"),
			Km:         col("km", gpkg.Real, ""),
			Method:     col("method", gpkg.Text, "voronoi, walk or balanced"),
			Reason:     col("reason", gpkg.Text, "NULL, or why unassigned: `no_path` (beyond the snap limit of every path), `across_water` (every path within reach lies across water), `no_chw_reachable` (walk: no CHW on its network), `no_candidate` (balanced: no active CHW within 3 × --max-walk), `over_capacity` (every CHW that reaches it is full)"),
			AssignedAt: col("assigned_at", gpkg.DateTime, ""),
		}
		s.Layer = Layer{Name: "assignments", WrittenBy: "`assign`",
			Description: "which CHW serves each household (lastmile assign)",
			Columns:     []Column{s.Household, s.CHW, s.Minutes, s.Km, s.Method, s.Reason, s.AssignedAt}}
		return s
	}()

	Catchments = func() CatchmentsSchema {
		s := CatchmentsSchema{
			CHW:        idCol("chw_id"),
			Households: col("households", gpkg.Integer, ""),
			AreaKm2:    col("area_km2", gpkg.Real, "geodesic"),
			Method:     col("method", gpkg.Text, ""),
		}
		s.Layer = Layer{Name: "catchments", Geometry: gpkg.MultiPolygon, WrittenBy: "`assign`",
			Description: "each CHW's catchment, clipped to the study area (lastmile assign)",
			Columns:     []Column{s.CHW, s.Households, s.AreaKm2, s.Method}}
		return s
	}()

	Workloads = func() WorkloadSchema {
		s := WorkloadSchema{
			CHW:          idCol("chw_id"),
			Households:   col("households", gpkg.Integer, ""),
			People:       col("people", gpkg.Integer, "sum of members"),
			MeanMinutes:  col("mean_minutes", gpkg.Real, ""),
			MaxMinutes:   col("max_minutes", gpkg.Real, ""),
			OverWalk:     col("over_walk", gpkg.Integer, "households beyond --max-walk"),
			OverCapacity: col("over_capacity", gpkg.Integer, ""),
			UnderMinimum: col("under_minimum", gpkg.Integer, ""),
		}
		s.Layer = Layer{Name: "chw_workload", WrittenBy: "`assign`",
			Description: "households, people and walking per CHW (lastmile assign)",
			Columns:     []Column{s.CHW, s.Households, s.People, s.MeanMinutes, s.MaxMinutes, s.OverWalk, s.OverCapacity, s.UnderMinimum}}
		return s
	}()

	Moves = func() MovesSchema {
		s := MovesSchema{
			Household: idCol("household_id"),
			From:      col("from_chw", gpkg.Text, ""),
			To:        col("to_chw", gpkg.Text, ""),
			Reason:    col("reason", gpkg.Text, ""),
		}
		s.Layer = Layer{Name: "moves", WrittenBy: "`assign --keep`",
			Description: "households reassigned by lastmile assign --keep, for review",
			Columns:     []Column{s.Household, s.From, s.To, s.Reason}}
		return s
	}()
)
