package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/household"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// compareKey hashes the columns compared for near duplicates; 0 when they
// are all empty (nothing to compare).
func (p *plan) compareKey(row *household.Row) uint64 {
	if len(p.compare) == 0 {
		return 0
	}
	h := fnv.New64a()
	empty := true
	for _, c := range p.compare {
		v := strings.TrimSpace(row.Fields[c])
		if v != "" {
			empty = false
		}
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	if empty {
		return 0
	}
	if k := h.Sum64(); k != 0 {
		return k
	}
	return 1
}

// seenTable is the compact record of the accepted rows of pass 1: IDs in
// one byte arena and 40 bytes per row, so a million rows cost about 50 MB.
// Rows are identified by their ordinal in the file (seq), not their line:
// a GeoJSON file written on one line has every feature on line 1.
type seenTable struct {
	arena []byte
	ents  []seenEnt
}

type seenEnt struct {
	off, n uint32
	t      uint32 // Unix seconds (until 2106); 0 when unknown
	line   int32
	seq    int32 // 1-based ordinal of the row in the file
	key    uint64
	x, y   int32 // lon, lat in 1e-7 degrees (about 1 cm)
}

const e7 = 1e7

func (s *seenTable) id(e *seenEnt) []byte { return s.arena[e.off : e.off+e.n] }

func (s *seenTable) add(id string, t time.Time, line, seq int, key uint64, p orb.Point) {
	e := seenEnt{off: uint32(len(s.arena)), n: uint32(len(id)), line: int32(min(line, math.MaxInt32)), seq: int32(min(seq, math.MaxInt32)), key: key,
		x: int32(math.Round(p[0] * e7)), y: int32(math.Round(p[1] * e7))}
	if u := t.Unix(); !t.IsZero() && u > 0 && u <= math.MaxUint32 {
		e.t = uint32(u)
	}
	s.arena = append(s.arena, id...)
	s.ents = append(s.ents, e)
}

func (e *seenEnt) point() orb.Point { return orb.Point{float64(e.x) / e7, float64(e.y) / e7} }

// loser is a row (by seq) that lost to a newer submission of its ID, on
// line winner.
type loser struct{ seq, winner int }

// decide picks, per ID, the latest submission (the later row on a tie or
// when times are unknown), and returns the losing rows sorted by seq and,
// when near is set, the sorted seqs of winners that have a near duplicate.
func (s *seenTable) decide(near bool) ([]loser, []int) {
	slices.SortFunc(s.ents, func(a, b seenEnt) int {
		if c := compareBytes(s.id(&a), s.id(&b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	var losers []loser
	winners := s.ents[:0]
	for i := 0; i < len(s.ents); {
		j := i + 1
		for j < len(s.ents) && compareBytes(s.id(&s.ents[i]), s.id(&s.ents[j])) == 0 {
			j++
		}
		w := s.ents[j-1]
		for k := i; k < j-1; k++ {
			losers = append(losers, loser{seq: int(s.ents[k].seq), winner: int(w.line)})
		}
		winners = append(winners, w)
		i = j
	}
	slices.SortFunc(losers, func(a, b loser) int { return cmp.Compare(a.seq, b.seq) })
	if !near {
		return losers, nil
	}
	var seqs []int
	cand := slices.DeleteFunc(winners, func(e seenEnt) bool { return e.key == 0 })
	slices.SortFunc(cand, func(a, b seenEnt) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.x, b.x)
	})
	for i := range cand {
		a := &cand[i]
		pa := a.point()
		// Longitude units of 1e-7 degree that NearDuplicateDistance can span here.
		window := int64(float64(NearDuplicateDistance) * 1.5 / (111320 * math.Max(math.Cos(pa[1]*math.Pi/180), 0.01)) * e7)
		for j := i + 1; j < len(cand) && cand[j].key == a.key && int64(cand[j].x)-int64(a.x) <= window; j++ {
			if geo.Distance(pa, cand[j].point()) <= NearDuplicateDistance {
				seqs = append(seqs, int(a.seq), int(cand[j].seq))
			}
		}
	}
	slices.Sort(seqs)
	return losers, slices.Compact(seqs)
}

func compareBytes(a, b []byte) int { return strings.Compare(string(a), string(b)) }

// idTable is the compact, sorted table of the IDs already stored in a
// layer, with each row's content hash and submission time: enough to tell
// added, updated and unchanged without a query per row.
type idTable struct {
	arena []byte
	ents  []idEnt
}

type idEnt struct {
	off, n uint32
	fid    int64
	hash   uint64
	t      int64 // Unix seconds; 0 when unknown
}

func (t *idTable) find(id string) (idEnt, bool) {
	i, ok := slices.BinarySearchFunc(t.ents, id, func(e idEnt, id string) int {
		return strings.Compare(string(t.arena[e.off:e.off+e.n]), id)
	})
	if !ok {
		return idEnt{}, false
	}
	return t.ents[i], true
}

// rowBuilder fills the layer's values for one row, in field order.
type rowBuilder struct {
	sp       *kindSpec
	p        *plan
	opts     *Options
	fields   []gpkg.Field
	vals     []any
	rolePos  [numRoles]int
	posAcc   int
	posFlags int
	posFile  int
	posLine  int
	extraPos []int
	buf      []byte
	flags    []string
	// facilities are the stored facility IDs (nil: not checked);
	// facilityValues and unknownFacilities count the rows built with a
	// facility_id, and those naming none of them.
	facilities        map[string]bool
	facilityValues    int
	unknownFacilities int
}

func fieldIndex(fields []gpkg.Field, name string) int {
	for i, f := range fields {
		if strings.EqualFold(f.Name, name) {
			return i
		}
	}
	return -1
}

func newRowBuilder(sp *kindSpec, p *plan, opts *Options, fields []gpkg.Field) *rowBuilder {
	w := &rowBuilder{sp: sp, p: p, opts: opts, fields: fields, vals: make([]any, len(fields))}
	for i := range w.rolePos {
		w.rolePos[i] = -1
	}
	for _, r := range sp.roles {
		w.rolePos[r.role] = fieldIndex(fields, r.field.Name)
	}
	w.posAcc = fieldIndex(fields, fieldAccuracy.Name)
	w.posFlags = fieldIndex(fields, fieldFlags.Name)
	w.posFile = fieldIndex(fields, fieldSourceFile.Name)
	w.posLine = fieldIndex(fields, fieldSourceLine.Name)
	for _, e := range p.extras {
		w.extraPos = append(w.extraPos, fieldIndex(fields, e.field))
	}
	return w
}

func set(vals []any, i int, v any) {
	if i >= 0 {
		vals[i] = v
	}
}

func textOrNil(s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return s
}

// parseCount reads a non-negative whole number ("5", "5.0"), nil otherwise.
func parseCount(s string) any {
	f, ok := household.ParseNumber(s)
	if !ok || f < 0 || f != math.Trunc(f) || f > 1e9 {
		return nil
	}
	return int64(f)
}

// parseCapacity reads a CHW's capacity: a whole number of households of at
// least 1. bad is set when a value is given but is not one; the capacity is
// then nil, as when none is given.
func parseCapacity(s string) (v any, bad bool) {
	v = parseCount(s)
	if v == nil || v == int64(0) {
		return nil, strings.TrimSpace(s) != ""
	}
	return v, false
}

func parseBool(s string) any {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y", "active", "t", "oui", "sim":
		return true
	case "0", "false", "no", "n", "inactive", "f", "non", "nao", "não":
		return false
	}
	return nil
}

// build fills w.vals for an accepted row and returns its flags.
func (w *rowBuilder) build(row *household.Row, v *verdict, near bool) []string {
	clear(w.vals)
	col := func(r role) string {
		if c := w.p.roleCol[r]; c >= 0 {
			return row.Fields[c]
		}
		return ""
	}
	var unknownFacility, badCapacity, badActive bool
	for _, r := range w.sp.roles {
		pos := w.rolePos[r.role]
		if pos < 0 {
			continue
		}
		var val any
		switch r.role {
		case roleID:
			val = v.id
		case roleMembers:
			val = parseCount(col(r.role))
		case roleCapacity:
			val, badCapacity = parseCapacity(col(r.role))
		case roleActive:
			val = parseBool(col(r.role))
			badActive = val == nil && strings.TrimSpace(col(r.role)) != ""
		case roleFacility:
			val = textOrNil(col(r.role))
			if id, ok := val.(string); ok && w.facilities != nil {
				w.facilityValues++
				if !w.facilities[id] {
					unknownFacility = true
					w.unknownFacilities++
				}
			}
		case roleSubmitted:
			if !v.t.IsZero() {
				val = v.t
			}
		case roleType:
			val = textOrNil(col(r.role))
			for _, c := range w.p.typeCols {
				if val != nil {
					break
				}
				val = textOrNil(row.Fields[c])
			}
		default:
			if !(r.personal && w.opts.NoPersonal) {
				val = textOrNil(col(r.role))
			}
		}
		w.vals[pos] = val
	}
	if !math.IsNaN(v.acc) {
		set(w.vals, w.posAcc, v.acc)
	}
	w.flags = w.flags[:0]
	if v.swapped {
		w.flags = append(w.flags, FlagSwapped)
	}
	if v.lowAcc {
		w.flags = append(w.flags, FlagLowAccuracy)
	}
	if near {
		w.flags = append(w.flags, FlagNearDuplicate)
	}
	if unknownFacility {
		w.flags = append(w.flags, FlagUnknownFacility)
	}
	if badCapacity {
		w.flags = append(w.flags, FlagBadCapacity)
	}
	if badActive {
		w.flags = append(w.flags, FlagBadActive)
	}
	if len(w.flags) > 0 {
		set(w.vals, w.posFlags, strings.Join(w.flags, ","))
	}
	set(w.vals, w.posFile, w.p.file)
	set(w.vals, w.posLine, int64(row.Line))
	for i, e := range w.p.extras {
		if pos := w.extraPos[i]; pos >= 0 {
			w.vals[pos] = textOrNil(row.Fields[e.col])
		}
	}
	return w.flags
}

// facilityWarnings explains, for a CHW roster, why facility_id was not
// checked, or that it named no facility at all (the column probably holds
// facility names, not IDs). stored is the number of stored facilities.
func (w *rowBuilder) facilityWarnings(stored int) []string {
	col := w.p.roleCol[roleFacility]
	if w.sp.kind != KindCHWs || col < 0 {
		return nil
	}
	if w.facilities == nil {
		return []string{fmt.Sprintf("%s: facility IDs not checked: the GeoPackage has no facilities yet (run lastmile ingest facilities first, then ingest the roster again)", w.p.file)}
	}
	if w.facilityValues >= 2 && w.unknownFacilities == w.facilityValues {
		return []string{fmt.Sprintf("%s: none of the %d values of column %q names one of the %d stored facilities (flagged %s); if it holds facility names, name the facility ID column with --facility-col", w.p.file, w.facilityValues, w.p.cols[col], stored, FlagUnknownFacility)}
	}
	return nil
}

// hashValues hashes a row's point and values, as written or as read back,
// leaving out where it came from (source_file, source_line) and treating
// NULL and "" alike.
func (w *rowBuilder) hashValues(p orb.Point, vals []any) uint64 {
	h := fnv.New64a()
	b := w.buf[:0]
	b = strconv.AppendFloat(b, p[0], 'g', -1, 64)
	b = append(b, ',')
	b = strconv.AppendFloat(b, p[1], 'g', -1, 64)
	for i, v := range vals {
		if i == w.posFile || i == w.posLine || v == nil {
			continue
		}
		start := len(b)
		b = append(b, 0)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, '=')
		switch x := v.(type) {
		case string:
			b = append(b, x...)
		case []byte:
			b = append(b, x...)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case int:
			b = strconv.AppendInt(b, int64(x), 10)
		case float64:
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		case bool:
			b = strconv.AppendBool(b, x)
		case time.Time:
			b = x.UTC().AppendFormat(b, household.TimeFormat)
		default:
			b = append(b, '?')
		}
		if s, ok := v.(string); ok && s == "" {
			b = b[:start]
		}
	}
	h.Write(b)
	w.buf = b
	return h.Sum64()
}

func (w *rowBuilder) hash(p orb.Point) uint64 { return w.hashValues(p, w.vals) }

// loadExisting reads the IDs, hashes and times of the rows already in the
// layer.
func (w *rowBuilder) loadExisting(st Store, layer string) (*idTable, error) {
	t := &idTable{}
	idPos, tPos := w.rolePos[roleID], w.rolePos[roleSubmitted]
	err := st.Scan(layer, func(fid int64, g orb.Geometry, vals []any) error {
		id, _ := vals[idPos].(string)
		p, _ := g.(orb.Point)
		e := idEnt{off: uint32(len(t.arena)), n: uint32(len(id)), fid: fid, hash: w.hashValues(p, vals)}
		if tPos >= 0 {
			if tm, ok := vals[tPos].(time.Time); ok {
				e.t = tm.Unix()
			}
		}
		t.arena = append(t.arena, id...)
		t.ents = append(t.ents, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(t.ents, func(a, b idEnt) int {
		return strings.Compare(string(t.arena[a.off:a.off+a.n]), string(t.arena[b.off:b.off+b.n]))
	})
	return t, nil
}
