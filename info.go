package lastmile

import (
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
)

// InfoLayer is one layer or table of the district.
type InfoLayer struct {
	Name        string      `json:"name"`
	DataType    string      `json:"data_type"`
	GeomType    string      `json:"geometry_type,omitempty"`
	Count       int64       `json:"count"`
	Extent      *[4]float64 `json:"extent,omitempty"` // minlon, minlat, maxlon, maxlat
	Description string      `json:"description,omitempty"`
}

// InfoArea is the stored study area.
type InfoArea struct {
	Name   string     `json:"name"`
	Source string     `json:"source"`
	Extent [4]float64 `json:"extent"`
}

// InfoIngest is one ingest_log row.
type InfoIngest struct {
	Kind             string `json:"kind"`
	File             string `json:"file_name"`
	SHA256           string `json:"sha256"`
	At               string `json:"ingested_at"`
	Rows             int64  `json:"rows"`
	Added            int64  `json:"added"`
	Updated          int64  `json:"updated"`
	Unchanged        int64  `json:"unchanged"`
	Flagged          int64  `json:"flagged"`
	Rejected         int64  `json:"rejected"`
	RejectedByReason string `json:"rejected_by_reason"`
}

// Info is what a district GeoPackage holds.
type Info struct {
	GeoPackage string       `json:"geopackage"`
	Layers     []InfoLayer  `json:"layers"`
	StudyArea  *InfoArea    `json:"study_area"`
	Ingests    []InfoIngest `json:"ingest_log"`
}

// Info lists the district's layers with counts and extents, its study area
// and its ingest history.
func (d *District) Info() (*Info, error) {
	rep := &Info{GeoPackage: d.Path, Layers: []InfoLayer{}, Ingests: []InfoIngest{}}
	err := d.read(func(db *gpkg.DB) error {
		layers, err := db.Layers()
		if err != nil {
			return err
		}
		for _, l := range layers {
			il := InfoLayer{Name: l.Name, DataType: l.DataType, GeomType: string(l.GeomType), Count: l.Count, Description: l.Description}
			if l.DataType == "features" && l.Count > 0 {
				il.Extent = &[4]float64{l.Bound.Min[0], l.Bound.Min[1], l.Bound.Max[0], l.Bound.Max[1]}
			}
			rep.Layers = append(rep.Layers, il)
		}
		a, err := ingest.ReadStudyArea(db)
		if err != nil {
			return err
		}
		if a != nil {
			b := a.Bound()
			rep.StudyArea = &InfoArea{Name: a.Name, Source: a.Source, Extent: [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}
		}
		if ok, err := db.HasTable(district.IngestLog.Name); err != nil || !ok {
			return err
		}
		for e, err := range district.ReadIngestLog(db) {
			if err != nil {
				return err
			}
			at := ""
			if !e.At.IsZero() {
				at = e.At.UTC().Format("2006-01-02T15:04:05Z")
			}
			rep.Ingests = append(rep.Ingests, InfoIngest{
				Kind: e.Kind, File: e.FileName, SHA256: e.SHA256, At: at, Rows: e.Rows, Added: e.Added,
				Updated: e.Updated, Unchanged: e.Unchanged, Flagged: e.Flagged, Rejected: e.Rejected,
				RejectedByReason: e.RejectedByReason,
			})
		}
		return nil
	})
	return rep, err
}
