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
