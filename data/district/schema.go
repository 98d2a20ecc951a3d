package district

import (
	"github.com/lastmile-health/lastmile/data/gpkg"
)

// Column is one declared column of a lastmile layer.
type Column struct {
	gpkg.Field
	// Doc says what the column holds, for ARCHITECTURE.md (units, codes).
	Doc string
	// Personal marks personal data (names, phones): left out with
	// --no-personal and never logged.
	Personal bool
	// Unique columns get a unique index.
	Unique bool
}

// Layer declares one lastmile layer (Geometry set) or attribute table.
type Layer struct {
	Name string
	// Geometry is the geometry type; "" for an attribute table or a tile
	// pyramid.
	Geometry gpkg.GeometryType
	// Tiles marks a tile pyramid (gpkg_contents data_type tiles).
	Tiles bool
	// WrittenBy is the command that writes it, for ARCHITECTURE.md.
	WrittenBy   string
	Description string
	Columns     []Column
	// Tail documents columns after Columns that are not fixed (ingest adds
	// every other input column).
	Tail string
	// View, when set, makes the layer an SQL view with this SELECT
	// (registered in gpkg_contents as attributes, see gpkg.View); Columns
	// then document what it returns, after its fid.
	View string
}

// Fields returns the layer's columns as GeoPackage fields, in order.
func (l *Layer) Fields() []gpkg.Field {
	fs := make([]gpkg.Field, len(l.Columns))
	for i, c := range l.Columns {
		fs[i] = c.Field
	}
	return fs
}

// GpkgLayer returns the feature-table declaration for gpkg.Tx.CreateLayer.
func (l *Layer) GpkgLayer() gpkg.Layer {
	return gpkg.Layer{Name: l.Name, Description: l.Description, GeomType: l.Geometry, Fields: l.Fields()}
}

// GpkgTable returns the attribute-table declaration for gpkg.Tx.CreateTable.
func (l *Layer) GpkgTable() gpkg.Table {
	return gpkg.Table{Name: l.Name, Description: l.Description, Fields: l.Fields()}
}

func col(name string, t gpkg.FieldType, doc string) Column {
	return Column{Field: gpkg.Field{Name: name, Type: t}, Doc: doc}
}

func idCol(name string) Column {
	c := col(name, gpkg.Text, "")
	c.NotNull, c.Unique = true, true
	return c
}

func personal(c Column) Column { c.Personal = true; return c }

// Columns shared by the three point layers that ingest writes.
var (
	colAccuracy   = col("gps_accuracy_m", gpkg.Real, "")
	colFlags      = col("flags", gpkg.Text, "comma-separated flag codes")
	colSourceFile = col("source_file", gpkg.Text, "")
	colSourceLine = col("source_line", gpkg.Integer, "")
)

// HouseholdsSchema is the households layer's declaration.
type HouseholdsSchema struct {
	Layer
	ID, Members, Head, Phone, Village, Submitted, Accuracy, Flags, SourceFile, SourceLine Column
}

// CHWsSchema is the chws layer's declaration.
type CHWsSchema struct {
	Layer
	ID, PersonName, Facility, Capacity, Active, Accuracy, Flags, SourceFile, SourceLine Column
}

// FacilitiesSchema is the facilities layer's declaration.
type FacilitiesSchema struct {
	Layer
	ID, FacilityName, Type, Accuracy, Flags, SourceFile, SourceLine Column
}

// The point layers ingest writes. Their column order is the stored order;
// ingest appends every other input column as TEXT.
var (
	Households = func() HouseholdsSchema {
		s := HouseholdsSchema{
			ID:         idCol("household_id"),
			Members:    col("members", gpkg.Integer, ""),
			Head:       personal(col("head_name", gpkg.Text, "")),
			Phone:      personal(col("phone", gpkg.Text, "")),
			Village:    col("village", gpkg.Text, ""),
			Submitted:  col("submitted_at", gpkg.DateTime, ""),
			Accuracy:   colAccuracy,
			Flags:      col("flags", gpkg.Text, "`swapped_coords`, `low_accuracy`, `near_duplicate`, comma-separated"),
			SourceFile: colSourceFile,
			SourceLine: colSourceLine,
		}
		s.Layer = Layer{Name: "households", Geometry: gpkg.Point, WrittenBy: "`ingest households`",
			Description: "household registrations (lastmile ingest households)",
			Columns:     []Column{s.ID, s.Members, s.Head, s.Phone, s.Village, s.Submitted, s.Accuracy, s.Flags, s.SourceFile, s.SourceLine},
			Tail:        "then every other input column as TEXT (names sanitised; `routes` reads visits_per_month and priority)"}
		return s
	}()

	CHWs = func() CHWsSchema {
		s := CHWsSchema{
			ID:         idCol("chw_id"),
			PersonName: personal(col("name", gpkg.Text, "")),
			Facility:   col("facility_id", gpkg.Text, ""),
			Capacity:   col("capacity", gpkg.Integer, "NULL = default"),
			Active:     col("active", gpkg.Boolean, ""),
			Accuracy:   colAccuracy,
			Flags:      col("flags", gpkg.Text, "`low_accuracy`; `unknown_facility`: facility_id names no stored facility, checked when facilities are ingested; `bad_capacity`, `bad_active`: an unreadable value, stored as NULL"),
			SourceFile: colSourceFile,
			SourceLine: colSourceLine,
		}
		s.Layer = Layer{Name: "chws", Geometry: gpkg.Point, WrittenBy: "`ingest chws`",
			Description: "community health workers (lastmile ingest chws)",
			Columns:     []Column{s.ID, s.PersonName, s.Facility, s.Capacity, s.Active, s.Accuracy, s.Flags, s.SourceFile, s.SourceLine},
			Tail:        "other input columns as TEXT (`routes` reads supervisor_id, day_budget_minutes, service_minutes)"}
		return s
	}()

	Facilities = func() FacilitiesSchema {
		s := FacilitiesSchema{
			ID:           idCol("facility_id"),
			FacilityName: col("name", gpkg.Text, ""),
			Type:         col("type", gpkg.Text, "amenity, else healthcare"),
			Accuracy:     colAccuracy,
			Flags:        colFlags,
			SourceFile:   colSourceFile,
			SourceLine:   colSourceLine,
		}
		s.Layer = Layer{Name: "facilities", Geometry: gpkg.Point, WrittenBy: "`ingest facilities`",
			Description: "health facilities (lastmile ingest facilities)",
			Columns:     []Column{s.ID, s.FacilityName, s.Type, s.Accuracy, s.Flags, s.SourceFile, s.SourceLine},
			Tail:        "other attributes as TEXT (e.g. adm1_name, adm2_name, p-codes)"}
		return s
	}()
)

// RejectsSchema is the rejects table's declaration.
type RejectsSchema struct {
	Layer
	Kind, SourceFile, Line, Raw, ReasonCode, Reason, IngestedAt Column
}

// IngestLogSchema is the ingest_log table's declaration.
type IngestLogSchema struct {
	Layer
	Kind, FileName, SHA256, IngestedAt, Rows, Added, Updated, Unchanged, Flagged, Rejected, RejectedByReason Column
}

// StudyAreaSchema is the study_area layer's declaration.
type StudyAreaSchema struct {
	Layer
	AreaName, Source Column
}

// The tables every ingest writes, and the study area.
var (
	Rejects = func() RejectsSchema {
		s := RejectsSchema{
			Kind:       col("kind", gpkg.Text, "households/chws/facilities"),
			SourceFile: col("source_file", gpkg.Text, ""),
			Line:       col("line", gpkg.Integer, ""),
			Raw:        col("raw", gpkg.Text, "personal columns redacted with `--no-personal`"),
			ReasonCode: col("reason_code", gpkg.Text, ""),
			Reason:     col("reason", gpkg.Text, ""),
			IngestedAt: col("ingested_at", gpkg.DateTime, ""),
		}
		s.Layer = Layer{Name: "rejects", WrittenBy: "every `ingest`",
			Description: "input rows that were not stored, with the reason",
			Columns:     []Column{s.Kind, s.SourceFile, s.Line, s.Raw, s.ReasonCode, s.Reason, s.IngestedAt}}
		return s
	}()

	IngestLog = func() IngestLogSchema {
		s := IngestLogSchema{
			Kind:             col("kind", gpkg.Text, ""),
			FileName:         col("file_name", gpkg.Text, ""),
			SHA256:           col("sha256", gpkg.Text, ""),
			IngestedAt:       col("ingested_at", gpkg.DateTime, ""),
			Rows:             col("rows", gpkg.Integer, ""),
			Added:            col("added", gpkg.Integer, ""),
			Updated:          col("updated", gpkg.Integer, ""),
			Unchanged:        col("unchanged", gpkg.Integer, ""),
			Flagged:          col("flagged", gpkg.Integer, ""),
			Rejected:         col("rejected", gpkg.Integer, ""),
			RejectedByReason: col("rejected_by_reason", gpkg.Text, "JSON code → count"),
		}
		s.Layer = Layer{Name: "ingest_log", WrittenBy: "every `ingest`",
			Description: "one row per ingested file",
			Columns: []Column{s.Kind, s.FileName, s.SHA256, s.IngestedAt, s.Rows, s.Added, s.Updated, s.Unchanged,
				s.Flagged, s.Rejected, s.RejectedByReason}}
		return s
	}()

	StudyArea = func() StudyAreaSchema {
		s := StudyAreaSchema{AreaName: col("name", gpkg.Text, ""), Source: col("source", gpkg.Text, "")}
		s.Layer = Layer{Name: "study_area", Geometry: gpkg.MultiPolygon,
			WrittenBy:   "`ingest` (with `--area`, or the default extent)",
			Description: "the district's study area (lastmile ingest --area)",
			Columns:     []Column{s.AreaName, s.Source}}
		return s
	}()
)

// PathsSchema is the walking graph's paths layer.
type PathsSchema struct {
	Layer
	FromNode, ToNode, LengthM, MinutesForward, MinutesBackward, AscentM, DescentM, Class, OSMWayID, Component, Crossing Column
}

// ComponentsSchema is the graph_components table.
type ComponentsSchema struct {
	Layer
	Component, Nodes, Edges, LengthKm, Largest Column
}

// GraphStoreSchema is the graph_store table.
type GraphStoreSchema struct {
	Layer
	Key, Value Column
}

// The layers lastmile graph writes.
var (
	Paths = func() PathsSchema {
		nn := func(c Column) Column { c.NotNull = true; return c }
		s := PathsSchema{
			FromNode:        nn(col("from_node", gpkg.Integer, "")),
			ToNode:          nn(col("to_node", gpkg.Integer, "graph node ids, as pgRouting's source/target")),
			LengthM:         col("length_m", gpkg.Real, ""),
			MinutesForward:  col("minutes_forward", gpkg.Real, ""),
			MinutesBackward: col("minutes_backward", gpkg.Real, ""),
			AscentM:         col("ascent_m", gpkg.Real, ""),
			DescentM:        col("descent_m", gpkg.Real, ""),
			Class:           col("class", gpkg.Text, "OSM highway"),
			OSMWayID:        col("osm_way_id", gpkg.Integer, ""),
			Component:       col("component", gpkg.Integer, ""),
			Crossing:        col("crossing", gpkg.Text, "NULL, bridge, ford, penalty"),
		}
		s.Layer = Layer{Name: "paths", Geometry: gpkg.LineString, WrittenBy: "`graph`",
			Description: "walking graph edges (lastmile graph): times in minutes, from→to and to→from",
			Columns: []Column{s.FromNode, s.ToNode, s.LengthM, s.MinutesForward, s.MinutesBackward, s.AscentM,
				s.DescentM, s.Class, s.OSMWayID, s.Component, s.Crossing}}
		return s
	}()

	Components = func() ComponentsSchema {
		s := ComponentsSchema{
			Component: Column{Field: gpkg.Field{Name: "component", Type: gpkg.Integer, NotNull: true}},
			Nodes:     col("nodes", gpkg.Integer, ""),
			Edges:     col("edges", gpkg.Integer, ""),
			LengthKm:  col("length_km", gpkg.Real, ""),
			Largest:   col("largest", gpkg.Boolean, ""),
		}
		s.Layer = Layer{Name: "graph_components", WrittenBy: "`graph`",
			Description: "weakly connected components of the walking graph, largest first",
			Columns:     []Column{s.Component, s.Nodes, s.Edges, s.LengthKm, s.Largest}}
		return s
	}()

	GraphStore = func() GraphStoreSchema {
		s := GraphStoreSchema{
			Key: Column{Field: gpkg.Field{Name: "key", Type: gpkg.Text, NotNull: true}},
			Value: col("value", gpkg.Blob, "the compact graph arrays, the contraction hierarchy (`LMSH` format, CRC-32C), "+
				"the build report and `inputs_sha256` (paths file, DEM files, profile) that decides whether `graph` rebuilds"),
		}
		s.Layer = Layer{Name: "graph_store", WrittenBy: "`graph`",
			Description: "serialized walking graph and contraction hierarchy (lastmile graph)",
			Columns:     []Column{s.Key, s.Value}}
		return s
	}()
)

// StreamsSchema is the streams layer: the waterways the walking graph
// knows, mapped and derived from the DEM.
type StreamsSchema struct {
	Layer
	Source, OSMID, Kind, WidthM, AreaKm2, StreamOrder, BarrierDry, BarrierWet Column
}

// WaterAreasSchema is the water_areas layer: mapped lakes and riverbanks.
type WaterAreasSchema struct {
	Layer
	OSMID Column
}

// The water layers lastmile graph writes (with a DEM and --terrain, the
// streams it derives).
var (
	Streams = func() StreamsSchema {
		s := StreamsSchema{
			Source:      col("source", gpkg.Text, "`osm` or `dem`"),
			OSMID:       col("osm_way_id", gpkg.Integer, "NULL for `dem`"),
			Kind:        col("kind", gpkg.Text, "river, stream, canal, ditch, drain"),
			WidthM:      col("width_m", gpkg.Real, "width tag, NULL when untagged or derived"),
			AreaKm2:     col("area_km2", gpkg.Real, "contributing area of a derived stream"),
			StreamOrder: col("stream_order", gpkg.Integer, "Strahler order of a derived stream"),
			BarrierDry:  col("barrier_dry", gpkg.Boolean, "off the paths nobody crosses it in the dry season"),
			BarrierWet:  col("barrier_wet", gpkg.Boolean, "nor in the wet season"),
		}
		s.Layer = Layer{Name: "streams", Geometry: gpkg.LineString, WrittenBy: "`graph`",
			Description: "waterways the walking graph knows: mapped (osm) and derived from the DEM (dem)",
			Columns:     []Column{s.Source, s.OSMID, s.Kind, s.WidthM, s.AreaKm2, s.StreamOrder, s.BarrierDry, s.BarrierWet}}
		return s
	}()

	WaterAreas = func() WaterAreasSchema {
		s := WaterAreasSchema{OSMID: col("osm_id", gpkg.Integer, "")}
		s.Layer = Layer{Name: "water_areas", Geometry: gpkg.MultiPolygon, WrittenBy: "`graph`",
			Description: "mapped lakes and riverbanks, barriers to walking",
			Columns:     []Column{s.OSMID}}
		return s
	}()
)

// RouteSchema is a walked route layer (walk --layer NAME): its name is the
// user's, the rest is fixed.
type RouteSchema struct {
	Layer
	Minutes, Km, AscentM, DescentM Column
}

// Route is the declaration of walk --layer's layers; Layer.Name is a
// placeholder replaced by the user's name (see RouteLayer).
var Route = func() RouteSchema {
	s := RouteSchema{
		Minutes:  col("minutes", gpkg.Real, ""),
		Km:       col("km", gpkg.Real, ""),
		AscentM:  col("ascent_m", gpkg.Real, ""),
		DescentM: col("descent_m", gpkg.Real, "the walked route, replaced on each run"),
	}
	s.Layer = Layer{Name: "*route layer*", Geometry: gpkg.LineString, WrittenBy: "`walk --layer NAME`",
		Description: RouteDescription,
		Columns:     []Column{s.Minutes, s.Km, s.AscentM, s.DescentM}}
	return s
}()

// RouteDescription marks the layers walk writes, so that --layer may
// replace an earlier route but never another stage's data.
const RouteDescription = "walking route (lastmile walk)"

// All lists every declared layer in ARCHITECTURE.md's order.
func All() []*Layer {
	return []*Layer{
		&Households.Layer, &CHWs.Layer, &Facilities.Layer, &Rejects.Layer, &IngestLog.Layer, &StudyArea.Layer,
		&Paths.Layer, &Components.Layer, &GraphStore.Layer, &Streams.Layer, &WaterAreas.Layer, &Route.Layer,
		&Assignments.Layer, &Catchments.Layer, &Workloads.Layer, &Moves.Layer,
		&VisitDays.Layer, &Stops.Layer, &SupervisionDays.Layer,
		&CoverageHouseholds.Layer, &Isochrones.Layer, &GapAreas.Layer, &SuggestedCHWs.Layer,
		&SuggestedFacilities.Layer, &UnregisteredStructures.Layer,
		&CoverageByCHW.Layer, &CoverageByFacility.Layer, &CoverageByVillage.Layer,
		&MapTiles.Layer, &TileHashes.Layer, &LayerStyles.Layer,
	}
}
