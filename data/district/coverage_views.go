package district

import (
	"fmt"
	"strings"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

// ViewSchema is an SQL view over coverage_households: one row per group.
type ViewSchema struct {
	Layer
}

// Norms for the CHWs-needed columns: Liberia's community health policy
// has one CHA per 40–60 households, or about 350 people.
const (
	NormMinHouseholds = 40
	NormMaxHouseholds = 60
	NormPeople        = 350
)

// The SQL views lastmile coverage registers, evaluated when read: they
// summarise coverage_households (and count unregistered_structures) per
// CHW, per facility and per village, both seasons side by side (the wet
// columns are NULL when only the dry season was computed).
var (
	CoverageByCHW = view("coverage_by_chw", "coverage per assigned CHW (lastmile coverage; a view)",
		CoverageHouseholds.CHW, "chw_id IS NOT NULL", append(append([]viewColumn{
			count("households", ""),
			people(),
			served(""),
			mean("mean_minutes_chw", CoverageHouseholds.MinutesCHW),
			maxOf("max_minutes_chw", CoverageHouseholds.MinutesCHW),
			flagCount("far_from_chw", ""),
			flagCount("remote", ""),
			flagCount("far_from_facility", ""),
			{Column: col("unregistered_structures", gpkg.Integer, "mapped buildings in the catchment with no household within 30 m"),
				expr: "(SELECT count(*) FROM " + UnregisteredStructures.Name + " u WHERE u." + UnregisteredStructures.CHW.Name + " = " + CoverageHouseholds.Name + "." + CoverageHouseholds.CHW.Name + ")"},
		}, wetColumns(served("_wet"),
			mean("mean_minutes_chw_wet", CoverageHouseholds.MinutesCHWWet),
			maxOf("max_minutes_chw_wet", CoverageHouseholds.MinutesCHWWet),
			flagCount("far_from_chw", "_wet"))...), wetLoss()))

	CoverageByFacility = view("coverage_by_facility", "coverage per nearest facility (dry season; lastmile coverage; a view)",
		CoverageHouseholds.Facility, "", append([]viewColumn{
			count("households", "by their dry-season nearest facility; facility_id NULL: none reachable"),
			people(),
			mean("mean_minutes_facility", CoverageHouseholds.MinutesFacility),
			maxOf("max_minutes_facility", CoverageHouseholds.MinutesFacility),
			flagCount("far_from_facility", ""),
			flagCount("remote", ""),
			served(""),
		}, wetColumns(
			mean("mean_minutes_facility_wet", CoverageHouseholds.MinutesFacilityWet),
			maxOf("max_minutes_facility_wet", CoverageHouseholds.MinutesFacilityWet),
			flagCount("far_from_facility", "_wet"),
			flagCount("remote", "_wet"),
			wetLoss())...))

	CoverageByVillage = view("coverage_by_village", "coverage and CHWs needed per village (lastmile coverage; a view)",
		CoverageHouseholds.Village, "", append([]viewColumn{
			count("households", "village NULL: no village recorded"),
			people(),
			served(""),
			flagCount("unassigned", ""),
			flagCount("far_from_chw", ""),
			flagCount("far_from_facility", ""),
			flagCount("remote", ""),
			flagPeople("remote_people", "remote", ""),
			needed("chws_needed_min", "remote", NormMaxHouseholds, "at 60 households each"),
			needed("chws_needed_max", "remote", NormMinHouseholds, "at 40 households each"),
			{Column: col("chws_needed_people", gpkg.Integer, fmt.Sprintf("at %d people each", NormPeople)),
				expr: fmt.Sprintf("(%s + %d) / %d", flagPeople("", "remote", "").expr, NormPeople-1, NormPeople)},
			mean("mean_minutes_facility", CoverageHouseholds.MinutesFacility),
			maxOf("max_minutes_facility", CoverageHouseholds.MinutesFacility),
			mean("mean_minutes_chw", CoverageHouseholds.MinutesCHW),
		}, wetColumns(served("_wet"),
			flagCount("far_from_facility", "_wet"),
			flagCount("remote", "_wet"),
			wetLoss())...))
)

// viewColumn is a view column and the SQL that computes it per group.
type viewColumn struct {
	Column
	expr string
}

// hasFlag is 1 when the row's flags (flags or flags_wet) hold flag, 0 when
// not, NULL when that season was not computed.
func hasFlag(flag, season string) string {
	f := CoverageHouseholds.Flags.Name + season
	return fmt.Sprintf("(CASE WHEN %s IS NULL THEN NULL ELSE instr(',' || %s || ',', ',%s,') > 0 END)", f, f, flag)
}

func count(name, doc string) viewColumn {
	return viewColumn{Column: col(name, gpkg.Integer, doc), expr: "count(*)"}
}

func people() viewColumn {
	return viewColumn{Column: col("people", gpkg.Integer, "sum of members"), expr: "coalesce(sum(" + CoverageHouseholds.Members.Name + "), 0)"}
}

func served(season string) viewColumn {
	doc := "assigned and within --chw-walk"
	if season != "" {
		doc = ""
	}
	return viewColumn{Column: col("served"+season, gpkg.Integer, doc),
		expr: fmt.Sprintf("sum(1 - max(%s, %s))", hasFlag("unassigned", season), hasFlag("far_from_chw", season))}
}

func mean(name string, c Column) viewColumn {
	return viewColumn{Column: col(name, gpkg.Real, ""), expr: "round(avg(" + c.Name + "), 3)"}
}

func maxOf(name string, c Column) viewColumn {
	return viewColumn{Column: col(name, gpkg.Real, ""), expr: "max(" + c.Name + ")"}
}

func flagCount(flag, season string) viewColumn {
	return viewColumn{Column: col(flag+season, gpkg.Integer, ""), expr: "sum(" + hasFlag(flag, season) + ")"}
}

// wetLoss counts the wet_season_loss flag (set in flags_wet only).
func wetLoss() viewColumn {
	return viewColumn{Column: col("wet_season_loss", gpkg.Integer, "within a threshold in the dry season, not in the wet"),
		expr: "sum(" + hasFlag("wet_season_loss", "_wet") + ")"}
}

func flagPeople(name, flag, season string) viewColumn {
	return viewColumn{Column: col(name, gpkg.Integer, ""),
		expr: fmt.Sprintf("coalesce(sum(%s * coalesce(%s, 0)), 0)", hasFlag(flag, season), CoverageHouseholds.Members.Name)}
}

func needed(name, flag string, per int, doc string) viewColumn {
	return viewColumn{Column: col(name, gpkg.Integer, "for the remote households, "+doc),
		expr: fmt.Sprintf("(coalesce(sum(%s), 0) + %d) / %d", hasFlag(flag, ""), per-1, per)}
}

// wetColumns documents the wet-season columns as such.
func wetColumns(cs ...viewColumn) []viewColumn {
	for i := range cs {
		if cs[i].Doc == "" {
			cs[i].Doc = "wet season"
		}
	}
	return cs
}

// view declares a view grouping coverage_households by key (rows with
// where, when set). Its SQL is a compound SELECT whose first arm reads
// typed columns and returns nothing, so that every column has a GeoPackage
// type in any SQLite (see gpkg.View); the fid numbers the groups in key
// order.
func view(name, desc string, key Column, where string, cols []viewColumn) ViewSchema {
	typed := map[gpkg.FieldType]string{
		gpkg.Integer: CoverageHouseholds.Members.Name,
		gpkg.Text:    CoverageHouseholds.Household.Name,
		gpkg.Real:    CoverageHouseholds.MinutesFacility.Name,
	}
	first := []string{"fid AS fid", typed[key.Type] + " AS " + key.Name}
	second := []string{"CAST(row_number() OVER (ORDER BY " + key.Name + ") AS INTEGER)", key.Name}
	all := append([]Column{key}, make([]Column, 0, len(cols))...)
	for _, c := range cols {
		first = append(first, typed[c.Type]+" AS "+c.Name)
		second = append(second, "CAST("+c.expr+" AS "+c.Type.String()+")")
		all = append(all, c.Column)
	}
	t := CoverageHouseholds.Name
	sel := "SELECT " + strings.Join(first, ", ") + " FROM " + t + " WHERE 0\nUNION ALL\nSELECT " + strings.Join(second, ", ") + " FROM " + t
	if where != "" {
		sel += " WHERE " + where
	}
	sel += " GROUP BY " + key.Name
	return ViewSchema{Layer: Layer{Name: name, WrittenBy: "`coverage`", Description: desc, Columns: all, View: sel}}
}

// CreateView creates the declared view l in tx, replacing any of its name.
func CreateView(tx *gpkg.Tx, l *Layer) error {
	return tx.CreateView(gpkg.View{Name: l.Name, Description: l.Description, Select: l.View})
}
