package ingest

import (
	"fmt"
	"slices"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

// memStore is an in-memory Store for tests and fuzzing.
type memStore struct {
	fields  map[string][]gpkg.Field
	rows    map[string]map[int64]memRow
	nextFID int64
	rejects []Reject
	logs    []LogEntry
}

type memRow struct {
	p    orb.Point
	vals []any
}

var _ Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{fields: map[string][]gpkg.Field{}, rows: map[string]map[int64]memRow{}}
}

func (m *memStore) Prepare(l gpkg.Layer) ([]gpkg.Field, error) {
	fs, ok := m.fields[l.Name]
	if !ok {
		m.rows[l.Name] = map[int64]memRow{}
	}
	for _, f := range l.Fields {
		if fieldIndex(fs, f.Name) < 0 {
			fs = append(fs, f)
		}
	}
	m.fields[l.Name] = fs
	// Widen stored rows to the new field count.
	for fid, r := range m.rows[l.Name] {
		for len(r.vals) < len(fs) {
			r.vals = append(r.vals, nil)
		}
		m.rows[l.Name][fid] = r
	}
	return slices.Clone(fs), nil
}

func (m *memStore) Scan(layer string, fn func(int64, orb.Geometry, []any) error) error {
	fids := make([]int64, 0, len(m.rows[layer]))
	for fid := range m.rows[layer] {
		fids = append(fids, fid)
	}
	slices.Sort(fids)
	for _, fid := range fids {
		r := m.rows[layer][fid]
		if err := fn(fid, r.p, r.vals); err != nil {
			return err
		}
	}
	return nil
}

func (m *memStore) IDs(layer, idField string) ([]string, error) {
	pos := fieldIndex(m.fields[layer], idField)
	var ids []string
	if pos < 0 {
		return nil, nil
	}
	for _, r := range m.rows[layer] {
		if id, ok := r.vals[pos].(string); ok && id != "" {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (m *memStore) Insert(layer string, p orb.Point, vals []any) error {
	if len(vals) != len(m.fields[layer]) {
		return fmt.Errorf("insert: %d values for %d fields", len(vals), len(m.fields[layer]))
	}
	m.nextFID++
	m.rows[layer][m.nextFID] = memRow{p, slices.Clone(vals)}
	return nil
}

func (m *memStore) Update(layer string, fid int64, p orb.Point, vals []any) error {
	if _, ok := m.rows[layer][fid]; !ok {
		return fmt.Errorf("update: no fid %d", fid)
	}
	m.rows[layer][fid] = memRow{p, slices.Clone(vals)}
	return nil
}

func (m *memStore) Reject(r Reject) error       { m.rejects = append(m.rejects, r); return nil }
func (m *memStore) Log(e LogEntry) error        { m.logs = append(m.logs, e); return nil }
func (m *memStore) Flush(string) error          { return nil }
func (m *memStore) Finish(string, string) error { return nil }

// count returns the rows of layer whose source_file is file.
func (m *memStore) count(layer, file string) int {
	pos := fieldIndex(m.fields[layer], "source_file")
	n := 0
	for _, r := range m.rows[layer] {
		if r.vals[pos] == file {
			n++
		}
	}
	return n
}

func (m *memStore) rejectCount(file string) int {
	n := 0
	for _, r := range m.rejects {
		if r.SourceFile == file {
			n++
		}
	}
	return n
}
