package ingest

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

// Reject is one row of the rejects table.
type Reject struct {
	Kind       string
	SourceFile string
	Line       int
	Raw        string // personal columns redacted with Options.NoPersonal
	Code       string // a Reason constant
	Reason     string // readable, without personal data
	At         time.Time
}

// LogEntry is one row of the ingest_log table.
type LogEntry struct {
	Kind    string
	File    string
	SHA256  string
	At      time.Time
	Summary FileSummary
}

// Store is where Run writes. The GeoPackage store (used by Households,
// CHWs and Facilities) writes the layers of CONTRACTS.md; tests use a
// memory store.
type Store interface {
	// Prepare creates the layer or adds its missing fields and returns
	// the layer's fields in stored order (the order of vals below).
	Prepare(l gpkg.Layer) ([]gpkg.Field, error)
	// Scan calls fn for every stored row of the layer.
	Scan(layer string, fn func(fid int64, g orb.Geometry, vals []any) error) error
	// IDs returns the non-empty text values of field idField of a layer
	// (as the CHW ingest checks facility IDs); none when the layer does
	// not exist.
	IDs(layer, idField string) ([]string, error)
	Insert(layer string, p orb.Point, vals []any) error
	Update(layer string, fid int64, p orb.Point, vals []any) error
	Reject(r Reject) error
	Log(e LogEntry) error
	// Flush ends the writes to a layer (before the next Prepare).
	Flush(layer string) error
	// Finish ends the ingest: idField gets a unique index.
	Finish(layer, idField string) error
}

// The tables every ingest writes, as data/district declares them.
var (
	rejectsTable = district.Rejects.GpkgTable()
	logTable     = district.IngestLog.GpkgTable()
)

type gpkgStore struct {
	tx      *gpkg.Tx
	writers map[string]*gpkg.Writer
	created map[string]bool
}

var _ Store = (*gpkgStore)(nil)

func newGpkgStore(tx *gpkg.Tx) *gpkgStore {
	return &gpkgStore{tx: tx, writers: map[string]*gpkg.Writer{}, created: map[string]bool{}}
}

func (s *gpkgStore) Prepare(l gpkg.Layer) ([]gpkg.Field, error) {
	has, err := s.tx.HasTable(l.Name)
	if err != nil {
		return nil, err
	}
	if !has {
		l.Description = Kind(l.Name).layer().Description
		w, err := s.tx.CreateLayer(l)
		if err != nil {
			return nil, err
		}
		s.writers[l.Name] = w
		s.created[l.Name] = true
		return w.Fields(), nil
	}
	sc := s.tx.Scan(l.Name)
	fields := sc.Fields()
	err = sc.Err()
	sc.Close()
	if err != nil {
		return nil, err
	}
	fields = append([]gpkg.Field(nil), fields...)
	for _, f := range l.Fields {
		if fieldIndex(fields, f.Name) >= 0 {
			continue
		}
		f.NotNull = false
		if err := s.tx.AddField(l.Name, f); err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	return fields, nil
}

func (s *gpkgStore) Scan(layer string, fn func(fid int64, g orb.Geometry, vals []any) error) error {
	if s.created[layer] {
		return nil // created in this ingest and empty so far
	}
	sc := s.tx.Scan(layer)
	defer sc.Close()
	for sc.Scan() {
		if err := fn(sc.FID(), sc.Geometry(), sc.Values()); err != nil {
			return err
		}
	}
	return sc.Err()
}

func (s *gpkgStore) IDs(layer, idField string) ([]string, error) {
	if w := s.writers[layer]; w != nil {
		return nil, fmt.Errorf("ingest: IDs of %s while it is being written", layer)
	}
	has, err := s.tx.HasTable(layer)
	if err != nil || !has {
		return nil, err
	}
	sc := s.tx.Scan(layer)
	defer sc.Close()
	col := fieldIndex(sc.Fields(), idField)
	if col < 0 {
		return nil, sc.Err()
	}
	var ids []string
	for sc.Scan() {
		if id, ok := sc.Values()[col].(string); ok && id != "" {
			ids = append(ids, id)
		}
	}
	return ids, sc.Err()
}

func (s *gpkgStore) writer(name string, table bool, t gpkg.Table) (*gpkg.Writer, error) {
	if w := s.writers[name]; w != nil {
		return w, nil
	}
	has, err := s.tx.HasTable(name)
	if err != nil {
		return nil, err
	}
	var w *gpkg.Writer
	switch {
	case !table:
		w, err = s.tx.AppendLayer(name)
	case has:
		w, err = s.tx.AppendTable(name)
	default:
		w, err = s.tx.CreateTable(t)
	}
	if err != nil {
		return nil, err
	}
	s.writers[name] = w
	return w, nil
}

func (s *gpkgStore) Insert(layer string, p orb.Point, vals []any) error {
	w, err := s.writer(layer, false, gpkg.Table{})
	if err != nil {
		return err
	}
	_, err = w.Insert(p, vals...)
	return err
}

func (s *gpkgStore) Update(layer string, fid int64, p orb.Point, vals []any) error {
	w, err := s.writer(layer, false, gpkg.Table{})
	if err != nil {
		return err
	}
	return w.Update(fid, p, vals...)
}

func (s *gpkgStore) Reject(r Reject) error {
	w, err := s.writer(rejectsTable.Name, true, rejectsTable)
	if err != nil {
		return err
	}
	_, err = w.Insert(nil, r.Kind, r.SourceFile, int64(r.Line), r.Raw, r.Code, r.Reason, r.At)
	return err
}

func (s *gpkgStore) Log(e LogEntry) error {
	w, err := s.writer(logTable.Name, true, logTable)
	if err != nil {
		return err
	}
	by, err := json.Marshal(e.Summary.RejectedByReason)
	if err != nil {
		return err
	}
	f := e.Summary
	_, err = w.Insert(nil, e.Kind, e.File, e.SHA256, e.At, int64(f.Rows), int64(f.Added), int64(f.Updated),
		int64(f.Unchanged), int64(f.Flagged), int64(f.Rejected), string(by))
	return err
}

func (s *gpkgStore) Flush(layer string) error {
	w := s.writers[layer]
	if w == nil {
		return nil
	}
	delete(s.writers, layer)
	delete(s.created, layer)
	return w.Close()
}

func (s *gpkgStore) Finish(layer, idField string) error {
	for _, name := range []string{layer, rejectsTable.Name, logTable.Name} {
		if err := s.Flush(name); err != nil {
			return err
		}
	}
	has, err := s.tx.HasTable(layer)
	if err != nil || !has {
		return err
	}
	q := fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS "%s_%s_unique" ON "%s" ("%s")`, layer, idField, layer, idField)
	if strings.ContainsAny(q[len("CREATE"):], "`;") {
		return fmt.Errorf("ingest: bad layer name %q", layer)
	}
	if _, err := s.tx.SQL().ExecContext(s.tx.Context(), q); err != nil {
		return fmt.Errorf("ingest: unique index on %s.%s: %w", layer, idField, err)
	}
	return nil
}
