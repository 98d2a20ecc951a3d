package gpkg

import (
	"strings"
)

// applicationID is PRAGMA application_id for GeoPackage 1.2 and later: "GPKG".
const applicationID = 0x47504B47

// Versions (PRAGMA user_version). New files are written as 1.3 with the 1.3
// R-tree triggers (insert, update1..update4, delete): that is what GDAL before
// 3.7 and its validate_gpkg.py expect, and 1.4 readers accept it. Files that
// already say 1.4 keep the 1.4 trigger set (update1/update3 replaced by
// update5..update7).
const (
	version13 = 10300
	version14 = 10400
)

// coreSchema creates the mandatory tables (spec 1.3/1.4 clauses 1.1.2, 1.1.3,
// 2.1.5 and 2.3 "gpkg_extensions", verbatim apart from layout) and the three
// spatial reference systems every GeoPackage must define (requirement 11).
var coreSchema = []string{
	`CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition  TEXT NOT NULL,
  description TEXT
)`,
	`CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
)`,
	`CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
)`,
	extensionsSchema,
	`INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES
('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
('WGS 84 geodetic', 4326, 'EPSG', 4326, '` + wgs84WKT + `', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
}

const extensionsSchema = `CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
)`

// wgs84WKT is the EPSG:4326 definition from the spec's table 13.
const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]`

// R-tree spatial index extension (spec Annex F.3).
const (
	rtreeExtension  = "gpkg_rtree_index"
	rtreeDefinition = "http://www.geopackage.org/spec120/#extension_rtree"
	rtreeScope      = "write-only"
)

// rtreeName is the R-tree table of column c of table t.
func rtreeName(t, c string) string { return "rtree_" + t + "_" + c }

// createRTreeSQL creates the index table (Annex F.3, "CREATE VIRTUAL TABLE").
func createRTreeSQL(t, c string) string {
	return "CREATE VIRTUAL TABLE " + quoteID(rtreeName(t, c)) + " USING rtree(id, minx, maxx, miny, maxy)"
}

// fillRTreeSQL loads the index from the table in one statement (Annex F.3).
func fillRTreeSQL(t, c, i string) string {
	return expand(`INSERT OR REPLACE INTO <r> SELECT <i>, ST_MinX(<c>), ST_MaxX(<c>), ST_MinY(<c>), ST_MaxY(<c>) FROM <t> WHERE <c> NOT NULL AND NOT ST_IsEmpty(<c>)`, t, c, i)
}

// newBox is the R-tree row for the new geometry, as every trigger that
// indexes one writes it.
const newBox = `VALUES (
    NEW.<i>,
    ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>),
    ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)
  );`

// idChangedBody is the trigger that moves the box of a row whose id
// changes: update3 in GeoPackage 1.3, the same trigger renamed update5 in
// 1.4.
const idChangedBody = ` AFTER UPDATE ON <t>
  WHEN OLD.<i> != NEW.<i> AND
       (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM <r> WHERE id = OLD.<i>;
  INSERT OR REPLACE INTO <r> ` + newBox + `
END`

// Triggers of Annex F.3, with the spec's placeholders: <t> table, <c>
// geometry column, <i> integer primary key, <r> the R-tree table and <n> the
// trigger name prefix rtree_<t>_<c>. expand quotes every identifier so
// names with spaces or quotes stay correct.
const (
	triggerInsert = `CREATE TRIGGER <n_insert> AFTER INSERT ON <t>
  WHEN (new.<c> NOT NULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  INSERT OR REPLACE INTO <r> ` + newBox + `
END`
	triggerUpdate1 = `CREATE TRIGGER <n_update1> AFTER UPDATE OF <c> ON <t>
  WHEN OLD.<i> = NEW.<i> AND
       (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  INSERT OR REPLACE INTO <r> ` + newBox + `
END`
	triggerUpdate2 = `CREATE TRIGGER <n_update2> AFTER UPDATE OF <c> ON <t>
  WHEN OLD.<i> = NEW.<i> AND
       (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM <r> WHERE id = OLD.<i>;
END`
	triggerUpdate3 = `CREATE TRIGGER <n_update3>` + idChangedBody
	triggerUpdate4 = `CREATE TRIGGER <n_update4> AFTER UPDATE ON <t>
  WHEN OLD.<i> != NEW.<i> AND
       (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM <r> WHERE id IN (OLD.<i>, NEW.<i>);
END`
	triggerUpdate5 = `CREATE TRIGGER <n_update5>` + idChangedBody
	triggerUpdate6 = `CREATE TRIGGER <n_update6> AFTER UPDATE OF <c> ON <t>
  WHEN OLD.<i> = NEW.<i> AND
       (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>)) AND
       (OLD.<c> NOTNULL AND NOT ST_IsEmpty(OLD.<c>))
BEGIN
  UPDATE <r> SET
    minx = ST_MinX(NEW.<c>),
    maxx = ST_MaxX(NEW.<c>),
    miny = ST_MinY(NEW.<c>),
    maxy = ST_MaxY(NEW.<c>)
  WHERE id = NEW.<i>;
END`
	triggerUpdate7 = `CREATE TRIGGER <n_update7> AFTER UPDATE OF <c> ON <t>
  WHEN OLD.<i> = NEW.<i> AND
       (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>)) AND
       (OLD.<c> ISNULL OR ST_IsEmpty(OLD.<c>))
BEGIN
  INSERT INTO <r> ` + newBox + `
END`
	triggerDelete = `CREATE TRIGGER <n_delete> AFTER DELETE ON <t>
  WHEN old.<c> NOT NULL
BEGIN
  DELETE FROM <r> WHERE id = OLD.<i>;
END`
)

// triggerSuffixes lists every trigger name the spec has used, so dropping
// an index removes whichever set a file carries.
var triggerSuffixes = []string{"insert", "update1", "update2", "update3", "update4", "update5", "update6", "update7", "delete"}

// rtreeTriggers returns the CREATE TRIGGER statements for a file of the
// given user_version.
func rtreeTriggers(version int, t, c, i string) []string {
	set := []string{triggerInsert, triggerUpdate1, triggerUpdate2, triggerUpdate3, triggerUpdate4, triggerDelete}
	if version >= version14 {
		set = []string{triggerInsert, triggerUpdate2, triggerUpdate4, triggerUpdate5, triggerUpdate6, triggerUpdate7, triggerDelete}
	}
	out := make([]string, len(set))
	for k, s := range set {
		out[k] = expand(s, t, c, i)
	}
	return out
}

// expand replaces the placeholders with quoted identifiers.
func expand(s, t, c, i string) string {
	n := rtreeName(t, c)
	pairs := []string{"<t>", quoteID(t), "<c>", quoteID(c), "<i>", quoteID(i), "<r>", quoteID(n)}
	for _, suf := range triggerSuffixes {
		pairs = append(pairs, "<n_"+suf+">", quoteID(n+"_"+suf))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
