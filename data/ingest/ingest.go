package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/data"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/household"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// Reason codes of the rejects table: why a row was not stored.
const (
	ReasonBadRow         = "bad_row"             // the CSV record or GeoJSON feature could not be parsed
	ReasonRaggedRow      = "ragged_row"          // more values than header columns
	ReasonMissingID      = "missing_id"          // no ID value
	ReasonMissingCoords  = "missing_coordinates" // no coordinates and no geometry
	ReasonBadCoords      = "bad_coordinates"     // coordinates that are not numbers
	ReasonBadGeometry    = "bad_geometry"        // a GeoJSON geometry that gives no point
	ReasonOutOfRange     = "out_of_range"        // latitude or longitude out of range
	ReasonNullIsland     = "null_island"         // 0,0: a GPS that had no fix
	ReasonOutsideArea    = "outside_area"        // outside the study area
	ReasonDuplicateOlder = "duplicate_id_older"  // an older submission of an ID that has a newer one
)

// Flag codes of the flags column: kept, but worth a look.
const (
	FlagSwapped       = "swapped_coords" // swapped back into the study area (needs Options.Area); stored fixed
	FlagLowAccuracy   = "low_accuracy"   // GPS accuracy worse than Options.MaxAccuracy
	FlagNearDuplicate = "near_duplicate" // another ID with the same attributes within 2 m

	// CHW roster values that cannot be used. The CHW is kept, since losing
	// a CHW from the plan is worse than a default value: the unreadable
	// value is stored as NULL (the default capacity; active unknown).
	FlagUnknownFacility = "unknown_facility" // facility_id names no facility of the facilities layer (checked when it has any)
	FlagBadCapacity     = "bad_capacity"     // capacity given but not a whole number of households >= 1 ("abc", "-3", "0", "2.5")
	FlagBadActive       = "bad_active"       // active given but not yes/no, true/false, 1/0, active/inactive
)

// DefaultMaxAccuracy is the GPS accuracy above which a point is flagged.
const DefaultMaxAccuracy geo.Meters = 50

// NearDuplicateDistance is how close two households with the same
// attributes must be to be flagged as near duplicates.
const NearDuplicateDistance geo.Meters = 2

// Columns names input columns explicitly; "" means detect by name.
type Columns struct {
	ID, Lat, Lon, GPS, Accuracy              string
	Members, Head, Phone, Village, Submitted string // households
	Name, Facility, Capacity, Active, Type   string // chws and facilities
}

func (c Columns) byRole(r role) string {
	switch r {
	case roleID:
		return c.ID
	case roleMembers:
		return c.Members
	case roleHead:
		return c.Head
	case rolePhone:
		return c.Phone
	case roleVillage:
		return c.Village
	case roleSubmitted:
		return c.Submitted
	case roleName:
		return c.Name
	case roleFacility:
		return c.Facility
	case roleCapacity:
		return c.Capacity
	case roleActive:
		return c.Active
	case roleType:
		return c.Type
	}
	return ""
}

// Options control an ingest. The zero value ingests with no study area,
// a 50 m accuracy threshold and personal fields kept.
type Options struct {
	// Area is the study area; nil means no area check.
	Area *Area
	// MaxAccuracy flags points with a worse GPS accuracy; 0 means
	// DefaultMaxAccuracy.
	MaxAccuracy geo.Meters
	// NoPersonal leaves personal fields (head of household, phone, names)
	// out of the layer and redacts them in the raw rows of rejects.
	NoPersonal bool
	// Columns names input columns explicitly.
	Columns Columns
	// Now is the ingested_at time written to rejects and ingest_log; zero
	// means the time of the call.
	Now time.Time
	// Progress, when set, is called now and then with the file, the pass
	// (1 validate, 2 write) and the rows read so far in that pass.
	Progress func(file string, pass, rows int)
}

// FileSummary counts what happened to the rows of one file. Every row is
// exactly one of added, updated, unchanged or rejected; flagged counts the
// stored rows (of any of the first three) that carry a flag.
type FileSummary struct {
	File             string         `json:"file"`
	SHA256           string         `json:"sha256,omitempty"`
	Rows             int            `json:"rows"`
	Added            int            `json:"added"`
	Updated          int            `json:"updated"`
	Unchanged        int            `json:"unchanged"`
	Flagged          int            `json:"flagged"`
	Rejected         int            `json:"rejected"`
	RejectedByReason map[string]int `json:"rejected_by_reason"`
	FlaggedByCode    map[string]int `json:"flagged_by_code"`
	Warnings         []string       `json:"warnings,omitempty"`
}

func (f *FileSummary) add(o *FileSummary) {
	f.Rows += o.Rows
	f.Added += o.Added
	f.Updated += o.Updated
	f.Unchanged += o.Unchanged
	f.Flagged += o.Flagged
	f.Rejected += o.Rejected
	for k, v := range o.RejectedByReason {
		f.RejectedByReason[k] += v
	}
	for k, v := range o.FlaggedByCode {
		f.FlaggedByCode[k] += v
	}
	f.Warnings = append(f.Warnings, o.Warnings...)
}

func newFileSummary(file string) *FileSummary {
	return &FileSummary{File: file, RejectedByReason: map[string]int{}, FlaggedByCode: map[string]int{}}
}

// Summary is the result of one ingest call.
type Summary struct {
	Kind  Kind          `json:"kind"`
	Area  string        `json:"area,omitempty"` // the study area's source, "" when none
	Files []FileSummary `json:"files"`
	Total FileSummary   `json:"total"`
}

// Households ingests household registrations from CSV or GeoJSON files
// into the households layer of tx (see the package doc). A file that cannot
// be read as a whole returns an error (a *data.ParseError wrapping
// data.ErrFormat for the wrong kind of file); bad rows never do.
func Households(ctx context.Context, tx *gpkg.Tx, files []string, opts Options) (*Summary, error) {
	return Run(ctx, newGpkgStore(tx), KindHouseholds, files, opts)
}

// CHWs ingests a CHW roster into the chws layer, like Households.
func CHWs(ctx context.Context, tx *gpkg.Tx, files []string, opts Options) (*Summary, error) {
	return Run(ctx, newGpkgStore(tx), KindCHWs, files, opts)
}

// Facilities ingests health facilities into the facilities layer, like
// Households. Facilities mapped as outlines become a point on their surface.
func Facilities(ctx context.Context, tx *gpkg.Tx, files []string, opts Options) (*Summary, error) {
	return Run(ctx, newGpkgStore(tx), KindFacilities, files, opts)
}

// Run ingests files of kind k into st. Households, CHWs and Facilities call
// it with the GeoPackage store.
func Run(ctx context.Context, st Store, k Kind, files []string, opts Options) (*Summary, error) {
	sp := spec(k)
	if sp == nil {
		return nil, fmt.Errorf("ingest: unknown kind %q", k)
	}
	if opts.MaxAccuracy <= 0 {
		opts.MaxAccuracy = DefaultMaxAccuracy
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC().Truncate(time.Second)
	sum := &Summary{Kind: k, Total: *newFileSummary("")}
	if opts.Area != nil {
		sum.Area = opts.Area.Source
	}
	var facilities map[string]bool
	if k == KindCHWs {
		ids, err := st.IDs(string(KindFacilities), spec(KindFacilities).roles[0].field.Name)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			facilities = make(map[string]bool, len(ids))
			for _, id := range ids {
				facilities[id] = true
			}
		}
	}
	for _, f := range files {
		fs, err := ingestFile(ctx, st, sp, f, &opts, facilities)
		if err != nil {
			return nil, err
		}
		sum.Files = append(sum.Files, *fs)
		sum.Total.add(fs)
	}
	if err := st.Finish(string(k), sp.roles[0].field.Name); err != nil {
		return nil, err
	}
	return sum, nil
}

// plan is how the columns of one file map to the layer.
type plan struct {
	file    string // base name, stored as source_file
	path    string
	cols    []string // the input columns
	loc     household.Locator
	roleCol [numRoles]int // input column per role, -1 when absent
	extras  []extraCol
	redact  []bool // per input column: personal, redacted in rejects with NoPersonal
	compare []int  // columns compared for near duplicates
	idName  string // the ID column's name, for reasons
	// typeCols are further columns for the facility type, used in order
	// when the type column is empty (OSM: amenity, then healthcare).
	typeCols []int
	warnings []string
}

type extraCol struct {
	col   int
	field string
}

func newPlan(sp *kindSpec, path string, cols []string, isCSV bool, opts *Options) (*plan, error) {
	p := &plan{file: filepath.Base(path), path: path, cols: cols}
	formatErr := func(format string, a ...any) error {
		return &data.ParseError{File: path, Line: 1, Err: fmt.Errorf("%w: "+format, append([]any{data.ErrFormat}, a...)...)}
	}
	c := opts.Columns
	var err error
	p.loc, err = household.NewLocator(cols, c.Lat, c.Lon, c.GPS, c.Accuracy)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if isCSV && !p.loc.Has() {
		return nil, formatErr("no coordinate columns among %d; expected latitude/longitude (or lat/lon/lng), _gps_latitude/_gps_longitude, an ODK geopoint column (gps, location), Kobo _geolocation, or name them with --lat-col/--lon-col or --gps-col", len(cols))
	}
	for i := range p.roleCol {
		p.roleCol[i] = -1
	}
	used := make([]bool, len(cols))
	for i := range cols {
		used[i] = p.loc.Uses(i)
	}
	for _, r := range sp.roles {
		col := -1
		if name := c.byRole(r.role); name != "" {
			if col = household.ColumnIndex(cols, name); col < 0 {
				return nil, fmt.Errorf("%s: no column %q for %s (columns: %s)", path, name, r.field.Name, strings.Join(cols, ", "))
			}
		} else {
			col = guessColumn(cols, used, r.names)
		}
		if col >= 0 {
			used[col] = true
			p.roleCol[r.role] = col
		}
	}
	if opts.Columns.Type == "" {
		p.addTypeColumns(sp, used)
	}
	if p.roleCol[roleID] < 0 && sp.kind == KindHouseholds {
		if col := household.FindColumn(cols, submissionIDNames...); col >= 0 && !used[col] {
			used[col] = true
			p.roleCol[roleID] = col
			p.warnings = append(p.warnings, fmt.Sprintf("%s: no household ID column; using the submission ID column %q, so re-submissions of one household are not merged", p.file, cols[col]))
		}
	}
	if p.roleCol[roleID] < 0 {
		return nil, formatErr("no %s column; expected one of %s, or name it with --id-col", sp.roles[0].field.Name, strings.Join(sp.roles[0].names, ", "))
	}
	p.idName = cols[p.roleCol[roleID]]
	p.redact = make([]bool, len(cols))
	for _, r := range sp.roles {
		if col := p.roleCol[r.role]; col >= 0 && r.personal {
			p.redact[col] = opts.NoPersonal
		}
	}
	p.addExtras(sp, used, opts.NoPersonal)
	if sp.nearDuplicates {
		for i, cn := range cols {
			if i == p.roleCol[roleID] || i == p.roleCol[roleSubmitted] || p.loc.Uses(i) || isMetadata(cn) {
				continue
			}
			p.compare = append(p.compare, i)
		}
	}
	return p, nil
}

// guessColumn returns the first column not yet used that matches one of
// names, in the order of names: exactly before loosely (household.Match);
// -1 for none.
func guessColumn(cols []string, used []bool, names []string) int {
	for _, cand := range names {
		for _, quality := range []int{2, 1} {
			for i, cn := range cols {
				if !used[i] && household.Match(cn, cand) == quality {
					return i
				}
			}
		}
	}
	return -1
}

// addTypeColumns adds to p.typeCols the other unused columns named like a
// facility type, when a type column was found by name.
func (p *plan) addTypeColumns(sp *kindSpec, used []bool) {
	c := p.roleCol[roleType]
	if c < 0 {
		return
	}
	for _, r := range sp.roles {
		if r.role != roleType {
			continue
		}
		for _, cand := range r.names {
			if i := household.FindColumn(p.cols, cand); i >= 0 && i != c && !used[i] && !slices.Contains(p.typeCols, i) {
				p.typeCols = append(p.typeCols, i)
			}
		}
	}
}

// addExtras plans the unused columns as extra TEXT fields with unique,
// sanitised names; with noPersonal, personal ones (except facilities')
// are redacted and left out.
func (p *plan) addExtras(sp *kindSpec, used []bool, noPersonal bool) {
	taken := map[string]bool{"fid": true, "geom": true}
	for _, f := range sp.baseFields() {
		taken[f.Name] = true
	}
	for i, cn := range p.cols {
		if used[i] {
			continue
		}
		if isPersonal(cn) && sp.kind != KindFacilities {
			p.redact[i] = noPersonal
			if noPersonal {
				continue
			}
		}
		name := sanitizeName(cn)
		for k := 2; taken[name]; k++ {
			name = fmt.Sprintf("%s_%d", sanitizeName(cn), k)
		}
		taken[name] = true
		p.extras = append(p.extras, extraCol{col: i, field: name})
	}
}

// verdict is what validation says about one row.
type verdict struct {
	code, reason string // reject when code != ""
	id           string
	t            time.Time // zero when unknown
	p            orb.Point
	acc          float64 // NaN when unknown
	swapped      bool
	lowAcc       bool
}

func (p *plan) classify(sp *kindSpec, row *household.Row, opts *Options) verdict {
	v := verdict{acc: math.NaN()}
	if row.Err != nil {
		v.code, v.reason = ReasonBadRow, "the record could not be parsed: "+row.Err.Error()
		return v
	}
	if row.Extra > 0 {
		v.code, v.reason = ReasonRaggedRow, fmt.Sprintf("%d more values than header columns; the row is probably shifted", row.Extra)
		return v
	}
	v.id = strings.TrimSpace(row.Fields[p.roleCol[roleID]])
	if v.id == "" {
		v.code, v.reason = ReasonMissingID, fmt.Sprintf("no value in the ID column %q", p.idName)
		return v
	}
	if c := p.roleCol[roleSubmitted]; c >= 0 {
		if t, err := household.ParseTime(row.Fields[c]); err == nil {
			v.t = t.Truncate(time.Second)
		}
	}
	l, err := p.loc.Locate(row)
	if err != nil {
		switch {
		case errorsIs(err, household.ErrNoCoordinates):
			v.code, v.reason = ReasonMissingCoords, "no coordinates"
		case errorsIs(err, household.ErrBadCoordinates):
			v.code, v.reason = ReasonBadCoords, err.Error()
		default:
			v.code, v.reason = ReasonBadGeometry, err.Error()
		}
		return v
	}
	v.acc = l.Accuracy
	pt := l.Point
	sw := orb.Point{pt[1], pt[0]}
	valid := geo.ValidLonLat(pt)
	switch {
	case math.Abs(pt[0]) < 1e-7 && math.Abs(pt[1]) < 1e-7:
		v.code, v.reason = ReasonNullIsland, "coordinates are 0,0 (no GPS fix)"
		return v
	case opts.Area != nil:
		if valid && opts.Area.Contains(pt) {
			break
		}
		if geo.ValidLonLat(sw) && opts.Area.Contains(sw) {
			pt, v.swapped = sw, true
			break
		}
		if !valid {
			v.code, v.reason = ReasonOutOfRange, fmt.Sprintf("latitude %g or longitude %g out of range", l.Point[1], l.Point[0])
		} else {
			v.code, v.reason = ReasonOutsideArea, fmt.Sprintf("%.6f,%.6f (lon,lat) is outside the study area %s", pt[0], pt[1], opts.Area.Name)
		}
		return v
	case !valid:
		// Without a study area a swap cannot be confirmed: swapping back
		// could move a mistyped point to another continent.
		v.code, v.reason = ReasonOutOfRange, fmt.Sprintf("latitude %g or longitude %g out of range", l.Point[1], l.Point[0])
		if geo.ValidLonLat(sw) {
			v.reason += " (swapped? give a study area to detect and fix swapped coordinates)"
		}
		return v
	}
	v.p = pt
	if !math.IsNaN(v.acc) && v.acc > float64(opts.MaxAccuracy) {
		v.lowAcc = true
	}
	return v
}

// ingestFile ingests one file in two passes over it: validate every row
// and decide duplicates, then write. The file's SHA-256 is taken while the
// first pass reads it.
func ingestFile(ctx context.Context, st Store, sp *kindSpec, path string, opts *Options, facilities map[string]bool) (*FileSummary, error) {
	f, err := openHashed(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := household.NewReader(path, f)
	if err != nil {
		return nil, err
	}
	_, isCSV := r.(*household.CSVReader)
	p, err := newPlan(sp, path, r.Columns(), isCSV, opts)
	if err != nil {
		return nil, err
	}
	fi := &fileIngest{st: st, sp: sp, p: p, opts: opts, fs: newFileSummary(p.file)}
	fi.fs.Warnings = p.warnings
	if err := fi.validate(ctx, r); err != nil {
		return nil, err
	}
	if fi.fs.SHA256, err = f.sum(); err != nil {
		return nil, err
	}
	if r, err = rewind(r, path, f); err != nil {
		return nil, err
	}
	if err := fi.write(ctx, r, facilities); err != nil {
		return nil, err
	}
	return fi.fs, nil
}

// fileIngest is the state of one file's ingest between its passes.
type fileIngest struct {
	st   Store
	sp   *kindSpec
	p    *plan
	opts *Options
	fs   *FileSummary
	// From the first pass: the rows (by seq) that lose to a newer
	// submission of their ID, and the sorted seqs of near duplicates.
	losers []loser
	near   []int
}

// validate is the first pass: classify every row, remember the accepted
// IDs, then decide duplicates and near duplicates.
func (fi *fileIngest) validate(ctx context.Context, r household.Reader) error {
	p, opts := fi.p, fi.opts
	var seen seenTable
	n := 0
	for r.Scan() {
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opts.Progress != nil {
				opts.Progress(p.file, 1, n)
			}
		}
		row := r.Row()
		v := p.classify(fi.sp, row, opts)
		if v.code != "" {
			continue
		}
		seen.add(v.id, v.t, row.Line, n, p.compareKey(row), v.p)
	}
	if err := r.Err(); err != nil {
		return err
	}
	fi.losers, fi.near = seen.decide(fi.sp.nearDuplicates)
	if len(seen.ents) > 100_000 {
		// Hand pass 1's memory back before SQLite's page cache grows in
		// pass 2, so the two peaks do not add up (about 60 MB at 1 M rows).
		seen = seenTable{}
		debug.FreeOSMemory()
	}
	return nil
}

// write is the second pass: reject, insert, update or leave each row, then
// log the file. facilities are the stored facility IDs a CHW's facility_id
// must name (nil: not checked).
func (fi *fileIngest) write(ctx context.Context, r household.Reader, facilities map[string]bool) error {
	st, sp, p, opts, fs := fi.st, fi.sp, fi.p, fi.opts, fi.fs
	// The layer, with a field for every extra column.
	layer := gpkg.Layer{Name: string(sp.kind), GeomType: gpkg.Point, Fields: sp.baseFields()}
	for _, e := range p.extras {
		layer.Fields = append(layer.Fields, gpkg.Field{Name: e.field, Type: gpkg.Text})
	}
	fields, err := st.Prepare(layer)
	if err != nil {
		return err
	}
	w := newRowBuilder(sp, p, opts, fields)
	w.facilities = facilities
	existing, err := w.loadExisting(st, layer.Name)
	if err != nil {
		return err
	}
	redact := func(i int) bool { return i < len(p.redact) && p.redact[i] }
	reject := func(row *household.Row, code, reason string) error {
		fs.Rejected++
		fs.RejectedByReason[code]++
		return st.Reject(Reject{Kind: string(sp.kind), SourceFile: p.file, Line: row.Line,
			Raw: row.Raw(redact), Code: code, Reason: reason, At: opts.Now})
	}
	losers, near := fi.losers, fi.near
	li, ni, n := 0, 0, 0
	for r.Scan() {
		fs.Rows++
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opts.Progress != nil {
				opts.Progress(p.file, 2, n)
			}
		}
		row := r.Row()
		v := p.classify(sp, row, opts)
		if v.code != "" {
			if err := reject(row, v.code, v.reason); err != nil {
				return err
			}
			continue
		}
		for li < len(losers) && losers[li].seq < n {
			li++
		}
		if li < len(losers) && losers[li].seq == n {
			if err := reject(row, ReasonDuplicateOlder, fmt.Sprintf("ID %s has a newer submission at line %d of this file", v.id, losers[li].winner)); err != nil {
				return err
			}
			continue
		}
		for ni < len(near) && near[ni] < n {
			ni++
		}
		isNear := ni < len(near) && near[ni] == n
		flags := w.build(row, &v, isNear)
		if e, ok := existing.find(v.id); ok {
			older := p.olderThanStored(&v, e)
			switch {
			case e.hash == w.hash(v.p):
				fs.Unchanged++
			case older != "":
				if err := reject(row, ReasonDuplicateOlder, older); err != nil {
					return err
				}
				continue
			default:
				if err := st.Update(layer.Name, e.fid, v.p, w.vals); err != nil {
					return err
				}
				fs.Updated++
			}
		} else {
			if err := st.Insert(layer.Name, v.p, w.vals); err != nil {
				return err
			}
			fs.Added++
		}
		if len(flags) > 0 {
			fs.Flagged++
			for _, f := range flags {
				fs.FlaggedByCode[f]++
			}
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	fs.Warnings = append(fs.Warnings, w.facilityWarnings(len(facilities))...)
	if got := fs.Added + fs.Updated + fs.Unchanged + fs.Rejected; got != fs.Rows {
		return fmt.Errorf("ingest: %s: internal error: %d rows read, %d accounted for", p.path, fs.Rows, got)
	}
	if err := st.Flush(layer.Name); err != nil {
		return err
	}
	return st.Log(LogEntry{Kind: string(sp.kind), File: p.file, SHA256: fs.SHA256, At: opts.Now, Summary: *fs})
}

// olderThanStored says why row v is older than the stored row e of the
// same ID, or returns "" when it is not.
func (p *plan) olderThanStored(v *verdict, e idEnt) string {
	switch {
	case e.t != 0 && !v.t.IsZero() && v.t.Unix() < e.t:
		return fmt.Sprintf("ID %s is stored with a newer submission (%s)", v.id, time.Unix(e.t, 0).UTC().Format(household.TimeFormat))
	case e.t != 0 && v.t.IsZero() && p.roleCol[roleSubmitted] >= 0:
		// As within a file: a row whose time is empty or not a date is
		// older than one with a time.
		return fmt.Sprintf("ID %s is stored with a submission time (%s) and this row has none (empty or not a date)", v.id, time.Unix(e.t, 0).UTC().Format(household.TimeFormat))
	}
	return ""
}

// rewind returns r, read by the first pass, ready for the second: a
// GeoJSON reader starts over keeping its columns (no second scan of the
// property keys); a CSV gets a new reader from the start of src.
func rewind(r household.Reader, name string, src io.ReadSeeker) (household.Reader, error) {
	if g, ok := r.(*household.GeoJSONReader); ok {
		return g, g.Rewind()
	}
	return household.NewReader(name, src)
}

// hashedFile is an input file that feeds each byte to SHA-256 the first
// time a read reaches it, whatever the seeks in between (the format sniff
// and a GeoJSON's two scans go back to the start), so that the hash of
// ingest_log needs no pass of its own.
type hashedFile struct {
	f    *os.File
	pos  int64 // offset of the next Read
	done int64 // bytes [0, done) are hashed
	h    hash.Hash
}

func openHashed(path string) (*hashedFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &hashedFile{f: f, h: sha256.New()}, nil
}

func (h *hashedFile) Read(b []byte) (int, error) {
	n, err := h.f.Read(b)
	if end := h.pos + int64(n); h.pos <= h.done && end > h.done {
		h.h.Write(b[h.done-h.pos : n])
		h.done = end
	}
	h.pos += int64(n)
	return n, err
}

func (h *hashedFile) Seek(offset int64, whence int) (int64, error) {
	pos, err := h.f.Seek(offset, whence)
	if err != nil {
		return pos, err
	}
	h.pos = pos
	return pos, nil
}

func (h *hashedFile) Close() error { return h.f.Close() }

// sum reads what no pass has (e.g. the members after a GeoJSON's features
// array) and returns the file's SHA-256 in hex.
func (h *hashedFile) sum() (string, error) {
	if _, err := h.Seek(h.done, io.SeekStart); err != nil {
		return "", err
	}
	if _, err := io.Copy(io.Discard, h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.h.Sum(nil)), nil
}
