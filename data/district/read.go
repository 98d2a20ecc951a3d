package district

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// ErrNoLayer is returned (wrapped, naming the layer) by the readers when the
// GeoPackage does not hold the layer yet.
var ErrNoLayer = errors.New("district: layer not in the GeoPackage")

// row gives typed access to one scanned row by declared column.
type row struct {
	layer string
	idx   map[string]int
	fid   int64
	geom  orb.Geometry
	vals  []any
}

func (r *row) val(c Column) any {
	if i, ok := r.idx[c.Name]; ok {
		return r.vals[i]
	}
	return nil
}

func (r *row) str(c Column) string {
	switch v := r.val(c).(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func (r *row) int(c Column) int {
	switch v := r.val(c).(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func (r *row) float(c Column) float64 {
	switch v := r.val(c).(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return 0
}

// boolOr returns the column's value, or def when it is NULL.
func (r *row) boolOr(c Column, def bool) bool {
	if v, ok := r.val(c).(bool); ok {
		return v
	}
	return def
}

func (r *row) time(c Column) time.Time {
	if v, ok := r.val(c).(time.Time); ok {
		return v
	}
	return time.Time{}
}

func (r *row) flags(c Column) []string {
	s := r.str(c)
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func (r *row) point() (orb.Point, error) {
	p, ok := r.geom.(orb.Point)
	if !ok {
		return orb.Point{}, fmt.Errorf("layer %s: feature %d: want a Point geometry, got %T", r.layer, r.fid, r.geom)
	}
	return p, nil
}

// scan streams layer l of rd through decode.
func scan[T any](rd gpkg.Reader, l *Layer, decode func(*row) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		ok, err := rd.HasTable(l.Name)
		if err != nil {
			yield(zero, err)
			return
		}
		if !ok {
			yield(zero, fmt.Errorf("%w: %s", ErrNoLayer, l.Name))
			return
		}
		sc := rd.Scan(l.Name)
		defer sc.Close()
		r := row{layer: l.Name, idx: map[string]int{}}
		for i, f := range sc.Fields() {
			r.idx[f.Name] = i
		}
		for sc.Scan() {
			r.fid, r.geom, r.vals = sc.FID(), sc.Geometry(), sc.Values()
			t, err := decode(&r)
			if !yield(t, err) || err != nil {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield(zero, fmt.Errorf("layer %s: %w", l.Name, err))
		}
	}
}

// ReadHouseholds streams the households layer in fid order. It stops at the
// first error, which it yields.
func ReadHouseholds(rd gpkg.Reader) iter.Seq2[Household, error] {
	s := &Households
	return scan(rd, &s.Layer, func(r *row) (Household, error) {
		p, err := r.point()
		return Household{
			ID: HouseholdID(r.str(s.ID)), Point: p, Members: r.int(s.Members),
			Head: r.str(s.Head), Phone: r.str(s.Phone), Village: r.str(s.Village),
			Submitted: r.time(s.Submitted), Accuracy: geo.Meters(r.float(s.Accuracy)), Flags: r.flags(s.Flags),
		}, err
	})
}

// ReadCHWs streams the chws layer in fid order. A NULL active is active.
func ReadCHWs(rd gpkg.Reader) iter.Seq2[CHW, error] {
	s := &CHWs
	return scan(rd, &s.Layer, func(r *row) (CHW, error) {
		p, err := r.point()
		return CHW{
			ID: CHWID(r.str(s.ID)), Point: p, Name: r.str(s.PersonName), Facility: FacilityID(r.str(s.Facility)),
			Capacity: r.int(s.Capacity), Active: r.boolOr(s.Active, true),
			Accuracy: geo.Meters(r.float(s.Accuracy)), Flags: r.flags(s.Flags),
		}, err
	})
}

// ReadFacilities streams the facilities layer in fid order.
func ReadFacilities(rd gpkg.Reader) iter.Seq2[Facility, error] {
	s := &Facilities
	return scan(rd, &s.Layer, func(r *row) (Facility, error) {
		p, err := r.point()
		return Facility{
			ID: FacilityID(r.str(s.ID)), Point: p, Name: r.str(s.FacilityName), Type: r.str(s.Type),
			Accuracy: geo.Meters(r.float(s.Accuracy)), Flags: r.flags(s.Flags),
		}, err
	})
}

// IngestEntry is one row of ingest_log.
type IngestEntry struct {
	Kind, FileName, SHA256 string
	At                     time.Time
	Rows, Added, Updated   int64
	Unchanged, Flagged     int64
	Rejected               int64
	// RejectedByReason is the JSON object code → count, as stored.
	RejectedByReason string
}

// ReadIngestLog streams ingest_log in fid order.
func ReadIngestLog(rd gpkg.Reader) iter.Seq2[IngestEntry, error] {
	s := &IngestLog
	return scan(rd, &s.Layer, func(r *row) (IngestEntry, error) {
		n := func(c Column) int64 { return int64(r.int(c)) }
		return IngestEntry{
			Kind: r.str(s.Kind), FileName: r.str(s.FileName), SHA256: r.str(s.SHA256), At: r.time(s.IngestedAt),
			Rows: n(s.Rows), Added: n(s.Added), Updated: n(s.Updated), Unchanged: n(s.Unchanged),
			Flagged: n(s.Flagged), Rejected: n(s.Rejected), RejectedByReason: r.str(s.RejectedByReason),
		}, nil
	})
}

// NamedPoint is a point with an ID, as read from any point layer.
type NamedPoint struct {
	ID    string
	Point orb.Point
}

// idColumns are the ID columns of the point layers, by layer name.
var idColumns = map[string]Column{
	Households.Name: Households.ID, CHWs.Name: CHWs.ID, Facilities.Name: Facilities.ID,
}

// ReadPoints streams the points of any point layer with their IDs: the
// layer's declared ID column for households, chws and facilities, else the
// first column named like one, else the fid.
func ReadPoints(rd gpkg.Reader, layer string) iter.Seq2[NamedPoint, error] {
	l := &Layer{Name: layer}
	idCol, known := idColumns[layer]
	return scan(rd, l, func(r *row) (NamedPoint, error) {
		p, err := r.point()
		id := ""
		if known {
			id = r.str(idCol)
		} else {
			for _, c := range []Column{Households.ID, CHWs.ID, Facilities.ID} {
				if _, ok := r.idx[c.Name]; ok {
					id = r.str(c)
					break
				}
			}
		}
		if id == "" {
			id = fmt.Sprint(r.fid)
		}
		return NamedPoint{ID: id, Point: p}, err
	})
}

// ReadAssignments streams the assignments table in fid order.
func ReadAssignments(rd gpkg.Reader) iter.Seq2[Assignment, error] {
	s := &Assignments
	return scan(rd, &s.Layer, func(r *row) (Assignment, error) {
		_, ok := r.val(s.Minutes).(float64)
		return Assignment{
			Household: HouseholdID(r.str(s.Household)), CHW: CHWID(r.str(s.CHW)),
			Walk: geo.Seconds(r.float(s.Minutes) * 60), Distance: geo.Meters(r.float(s.Km) * 1000), WalkOK: ok,
			Method: r.str(s.Method), Reason: r.str(s.Reason), AssignedAt: r.time(s.AssignedAt),
		}, nil
	})
}
