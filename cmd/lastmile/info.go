package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/ingest"
	"github.com/urfave/cli/v2"
)

// infoCommand prints what a district GeoPackage holds.
func infoCommand() *cli.Command {
	return &cli.Command{
		Name:        "info",
		Usage:       "show what the district GeoPackage holds: layers, study area, ingest history",
		Description: "Example:\n   lastmile info --gpkg district.gpkg\n   lastmile info --gpkg district.gpkg --format json",
		Flags:       []cli.Flag{gpkgFlag(), formatFlag("json")},
		Action:      infoAction,
	}
}

// infoLayer is one layer or table in the info output.
type infoLayer struct {
	Name        string      `json:"name"`
	DataType    string      `json:"data_type"`
	GeomType    string      `json:"geometry_type,omitempty"`
	Count       int64       `json:"count"`
	Extent      *[4]float64 `json:"extent,omitempty"` // minlon, minlat, maxlon, maxlat
	Description string      `json:"description,omitempty"`
}

type infoArea struct {
	Name   string     `json:"name"`
	Source string     `json:"source"`
	Extent [4]float64 `json:"extent"`
}

type infoIngest struct {
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

type infoReport struct {
	GeoPackage string       `json:"geopackage"`
	Layers     []infoLayer  `json:"layers"`
	StudyArea  *infoArea    `json:"study_area"`
	Ingests    []infoIngest `json:"ingest_log"`
}

func infoAction(c *cli.Context) error {
	format, err := checkFormat(c, "json")
	if err != nil {
		return err
	}
	if c.Args().Len() > 0 {
		return usagef("info takes no arguments (use --gpkg PATH)")
	}
	path := c.String("gpkg")
	db, err := gpkg.Open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	rep := infoReport{GeoPackage: path, Layers: []infoLayer{}, Ingests: []infoIngest{}}
	layers, err := db.Layers()
	if err != nil {
		return err
	}
	for _, l := range layers {
		il := infoLayer{Name: l.Name, DataType: l.DataType, GeomType: string(l.GeomType), Count: l.Count, Description: l.Description}
		if l.DataType == "features" && l.Count > 0 {
			il.Extent = &[4]float64{l.Bound.Min[0], l.Bound.Min[1], l.Bound.Max[0], l.Bound.Max[1]}
		}
		rep.Layers = append(rep.Layers, il)
	}
	if ok, err := db.HasTable(ingest.StudyAreaLayer); err != nil {
		return err
	} else if ok {
		a, err := ingest.ReadStudyArea(db)
		if err != nil {
			return err
		}
		if a != nil {
			b := a.Bound()
			rep.StudyArea = &infoArea{Name: a.Name, Source: a.Source, Extent: [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}}
		}
	}
	if ok, err := db.HasTable("ingest_log"); err != nil {
		return err
	} else if ok {
		sc := db.Scan("ingest_log")
		idx := map[string]int{}
		for i, f := range sc.Fields() {
			idx[f.Name] = i
		}
		for sc.Scan() {
			v := sc.Values()
			str := func(n string) string {
				if i, ok := idx[n]; ok {
					switch x := v[i].(type) {
					case string:
						return x
					case time.Time:
						return x.UTC().Format("2006-01-02T15:04:05Z")
					}
				}
				return ""
			}
			num := func(n string) int64 {
				if i, ok := idx[n]; ok {
					if x, ok := v[i].(int64); ok {
						return x
					}
				}
				return 0
			}
			rep.Ingests = append(rep.Ingests, infoIngest{
				Kind: str("kind"), File: str("file_name"), SHA256: str("sha256"), At: str("ingested_at"),
				Rows: num("rows"), Added: num("added"), Updated: num("updated"), Unchanged: num("unchanged"),
				Flagged: num("flagged"), Rejected: num("rejected"), RejectedByReason: str("rejected_by_reason"),
			})
		}
		err := sc.Err()
		sc.Close()
		if err != nil {
			return err
		}
	}
	if format == "json" {
		return writeJSON(c.App.Writer, rep)
	}
	return writeInfo(c.App.Writer, &rep)
}

func extentText(e [4]float64) string {
	return fmt.Sprintf("%.5f,%.5f,%.5f,%.5f", e[0], e[1], e[2], e[3])
}

func writeInfo(w io.Writer, rep *infoReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nlayers:\n", rep.GeoPackage)
	if len(rep.Layers) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, l := range rep.Layers {
		kind := l.GeomType
		unit := "features"
		if l.DataType != "features" {
			kind, unit = "table", "rows"
		}
		fmt.Fprintf(&b, "  %-18s %-12s %9d %-8s", l.Name, kind, l.Count, unit)
		if l.Extent != nil {
			fmt.Fprintf(&b, "  extent %s", extentText(*l.Extent))
		}
		b.WriteString("\n")
	}
	b.WriteString("\nstudy area: ")
	if rep.StudyArea == nil {
		b.WriteString("none (lastmile ingest --area sets one)\n")
	} else {
		fmt.Fprintf(&b, "%s (%s), extent %s\n", rep.StudyArea.Name, rep.StudyArea.Source, extentText(rep.StudyArea.Extent))
	}
	b.WriteString("\ningest history:\n")
	if len(rep.Ingests) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, g := range rep.Ingests {
		sha := g.SHA256
		if len(sha) > 12 {
			sha = sha[:12]
		}
		fmt.Fprintf(&b, "  %s  %-10s %s (sha256 %s): rows %d, added %d, updated %d, unchanged %d, flagged %d, rejected %d",
			g.At, g.Kind, g.File, sha, g.Rows, g.Added, g.Updated, g.Unchanged, g.Flagged, g.Rejected)
		if g.RejectedByReason != "" && g.RejectedByReason != "{}" {
			fmt.Fprintf(&b, " %s", g.RejectedByReason)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
