package household_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/lastmile-health/lastmile/data/household"
)

func ExampleNewCSV() {
	// A KoboToolbox export: semicolons and a _geolocation column.
	in := "hhid;village;_geolocation\nH1;Gbarzon;[6.05, -8.12]\nH2;Gbarzon;\n"
	r, err := household.NewCSV("kobo.csv", strings.NewReader(in))
	if err != nil {
		log.Fatal(err)
	}
	loc, err := household.NewLocator(r.Columns(), "", "", "", "")
	if err != nil {
		log.Fatal(err)
	}
	for r.Scan() {
		row := r.Row()
		l, err := loc.Locate(row)
		fmt.Println(row.Line, row.Fields[0], l.Point, err)
	}
	// Output:
	// 2 H1 [-8.12 6.05] <nil>
	// 3 H2 [0 0] household: missing coordinates
}

func ExampleReadPoints() {
	// Excel's "CSV" in a French or Portuguese locale: semicolons, decimal
	// commas, a byte-order mark and CRLF line ends.
	in := "\uFEFFid;lat;lon\r\nCHW-1;6,05;-8,12\r\nFAC-1;6,5;-8,25\r\n"
	pts, err := household.ReadPoints("points.csv", strings.NewReader(in))
	for _, p := range pts {
		fmt.Println(p.Line, p.ID, p.Point)
	}
	fmt.Println(err)

	// A row with latitude and longitude typed the wrong way round.
	in = "id,lat,lon\nCHW-1,6.05,-8.12\nFAC-2,-128.25,6.5\n"
	_, err = household.ReadPoints("swapped.csv", strings.NewReader(in))
	fmt.Println(err)
	// Output:
	// 2 CHW-1 [-8.12 6.05]
	// 3 FAC-1 [-8.25 6.5]
	// <nil>
	// swapped.csv:3: lon,lat: point FAC-2: household: coordinates out of range: longitude 6.5, latitude -128.25: want longitude in [-180, 180] and latitude in [-90, 90]; latitude and longitude swapped? check the order of the columns
}
