package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile/routing"
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
			seasonFlag(),
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
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	m, err := d.Matrix(c.Context, c.String("from"), c.String("to"), routing.MatrixOptions{Workers: c.Int("workers"), Lengths: !c.Bool("no-km")})
	if err != nil {
		return fmt.Errorf("matrix: %w", err)
	}
	warn(c, m.Warnings)
	out := c.App.Writer
	var f *os.File
	if o := c.String("out"); o != "" {
		if f, err = os.Create(o); err != nil {
			return fmt.Errorf("matrix: %w", err)
		}
		defer f.Close()
		out = f
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	cw := csv.NewWriter(bw)
	cw.Write([]string{"from_id", "to_id", "minutes", "km"})
	reached := 0
	for i := range m.From {
		for j := range m.To {
			row := []string{m.From[i].ID, m.To[j].ID, "", ""}
			if s, ok := m.At(i, j); ok {
				reached++
				row[2] = strconv.FormatFloat(s.Minutes(), 'f', 3, 64)
				if l, ok := m.Length(i, j); ok {
					row[3] = strconv.FormatFloat(l.Kilometers(), 'f', 3, 64)
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
	if f != nil {
		if err := f.Close(); err != nil {
			return fmt.Errorf("matrix: %w", err)
		}
	}
	fmt.Fprintf(c.App.ErrWriter, "matrix: %d × %d pairs, %d reachable\n", len(m.From), len(m.To), reached)
	return nil
}
