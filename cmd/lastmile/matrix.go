package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/household"
)

// matrixCommand writes walking times between two point sets.
func matrixCommand() *cli.Command {
	return &cli.Command{
		Name:  "matrix",
		Usage: "walking times (and distances) from every point of one set to every point of another",
		UsageText: "lastmile matrix --gpkg district.gpkg --from FILE_OR_LAYER --to FILE_OR_LAYER [--out FILE.csv] [--no-km]\n\n" +
			"Example:\n" +
			"   lastmile matrix --gpkg district.gpkg --from chws --to facilities --out chw_facility.csv\n" +
			"   lastmile matrix --gpkg district.gpkg --from points.csv --to facilities",
		Description: "Each of --from and --to is a CSV file with an id,lon,lat header, or the name\n" +
			"of a point layer in the GeoPackage (households, chws, facilities, …; ids from\n" +
			"household_id, chw_id or facility_id, else fid). Writes a long CSV\n" +
			"from_id,to_id,minutes,km (to --out, or stdout). Unreachable pairs, and points\n" +
			"farther than the snap limit from every path, have empty minutes and km.\n" +
			"km is the length of the fastest route; --no-km skips it (much faster).",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "from", Usage: "source points: CSV `FILE_OR_LAYER` (id,lon,lat) or a layer name"},
			&cli.StringFlag{Name: "to", Usage: "target points: CSV `FILE_OR_LAYER` (id,lon,lat) or a layer name"},
			&cli.StringFlag{Name: "out", Usage: "write the CSV to `FILE` instead of stdout"},
			&cli.BoolFlag{Name: "no-km", Usage: "leave km empty (skips unpacking every route)"},
			&cli.IntFlag{Name: "workers", Usage: "goroutines `N` (0 = all cores)"},
		},
		Action: matrixAction,
	}
}

// namedPoint is one input point.
type namedPoint struct {
	id string
	p  orb.Point
}

func matrixAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("matrix takes no arguments: got %q", c.Args().Slice())
	}
	if c.String("from") == "" {
		return usagef("matrix: --from is required")
	}
	if c.String("to") == "" {
		return usagef("matrix: --to is required")
	}
	path := c.String("gpkg")
	from, err := readPoints(path, c.String("from"))
	if err != nil {
		return fmt.Errorf("matrix: --from: %w", err)
	}
	to, err := readPoints(path, c.String("to"))
	if err != nil {
		return fmt.Errorf("matrix: --to: %w", err)
	}
	g, err := loadGraph(c, "matrix")
	if err != nil {
		return err
	}
	workers := c.Int("workers")
	fp, tp := make([]orb.Point, len(from)), make([]orb.Point, len(to))
	for i, p := range from {
		fp[i] = p.p
	}
	for i, p := range to {
		tp[i] = p.p
	}
	m, err := g.Matrix(c.Context, fp, tp, workers)
	if err != nil {
		return fmt.Errorf("matrix: %w", err)
	}
	for i, e := range m.FromErr {
		if e != nil {
			fmt.Fprintf(c.App.ErrWriter, "matrix: warning: source %s not routed: %v\n", from[i].id, e)
		}
	}
	for j, e := range m.ToErr {
		if e != nil {
			fmt.Fprintf(c.App.ErrWriter, "matrix: warning: target %s not routed: %v\n", to[j].id, e)
		}
	}
	var km []float64
	if !c.Bool("no-km") {
		km = make([]float64, len(from)*len(to))
		err := parallelRows(c, workers, len(from), func(i int) {
			for j := range to {
				if _, ok := m.At(i, j); !ok {
					continue
				}
				if r, err := g.WalkSnapped(m.FromSnaps[i], m.ToSnaps[j]); err == nil {
					km[i*len(to)+j] = r.Meters.Kilometers()
				}
			}
		})
		if err != nil {
			return fmt.Errorf("matrix: %w", err)
		}
	}
	out := c.App.Writer
	if o := c.String("out"); o != "" {
		f, err := os.Create(o)
		if err != nil {
			return fmt.Errorf("matrix: %w", err)
		}
		defer f.Close()
		out = f
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	cw := csv.NewWriter(bw)
	cw.Write([]string{"from_id", "to_id", "minutes", "km"})
	reached := 0
	for i := range from {
		for j := range to {
			row := []string{from[i].id, to[j].id, "", ""}
			if s, ok := m.At(i, j); ok {
				reached++
				row[2] = strconv.FormatFloat(s.Minutes(), 'f', 3, 64)
				if km != nil {
					row[3] = strconv.FormatFloat(km[i*len(to)+j], 'f', 3, 64)
				}
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("matrix: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("matrix: %w", err)
	}
	if f, ok := out.(*os.File); ok && f != os.Stdout {
		if err := f.Close(); err != nil {
			return fmt.Errorf("matrix: %w", err)
		}
	}
	fmt.Fprintf(c.App.ErrWriter, "matrix: %d × %d pairs, %d reachable\n", len(from), len(to), reached)
	return nil
}

// parallelRows runs fn(0..n-1) on workers goroutines (0 = all cores).
func parallelRows(c *cli.Context, workers, n int, fn func(i int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rows := make(chan int)
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func() {
			for i := range rows {
				fn(i)
			}
			done <- struct{}{}
		}()
	}
	var err error
	for i := 0; i < n; i++ {
		if err = c.Context.Err(); err != nil {
			break
		}
		rows <- i
	}
	close(rows)
	for w := 0; w < workers; w++ {
		<-done
	}
	return err
}

// readPoints reads a CSV file (id,lon,lat) or, when no such file exists,
// the point layer of that name in the GeoPackage.
func readPoints(gpkgPath, src string) ([]namedPoint, error) {
	if st, err := os.Stat(src); err == nil && !st.IsDir() {
		f, err := os.Open(src)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readPointsCSV(src, f)
	}
	if strings.ContainsAny(src, "/\\") || strings.HasSuffix(strings.ToLower(src), ".csv") {
		return nil, fmt.Errorf("%s: no such file", src)
	}
	db, err := gpkg.Open(gpkgPath)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ok, err := db.HasTable(src)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%q is neither a file nor a layer of %s", src, gpkgPath)
	}
	sc := db.Scan(src)
	defer sc.Close()
	idCol := -1
	for i, f := range sc.Fields() {
		switch strings.ToLower(f.Name) {
		case "facility_id", "chw_id", "household_id":
			if idCol < 0 {
				idCol = i
			}
		}
	}
	var pts []namedPoint
	for sc.Scan() {
		p, ok := sc.Geometry().(orb.Point)
		if !ok {
			return nil, fmt.Errorf("layer %s: feature %d: want a Point geometry, got %T", src, sc.FID(), sc.Geometry())
		}
		id := strconv.FormatInt(sc.FID(), 10)
		if idCol >= 0 {
			if v := sc.Values()[idCol]; v != nil {
				id = fmt.Sprint(v)
			}
		}
		pts = append(pts, namedPoint{id: id, p: p})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return pts, nil
}

// readPointsCSV reads a points file (id,lon,lat; CSV as ingest reads it, or
// GeoJSON) with household.ReadPoints.
func readPointsCSV(name string, r io.Reader) ([]namedPoint, error) {
	pts, err := household.ReadPoints(name, r)
	if err != nil {
		return nil, err
	}
	out := make([]namedPoint, len(pts))
	for i, p := range pts {
		out[i] = namedPoint{id: p.ID, p: p.Point}
	}
	return out, nil
}
