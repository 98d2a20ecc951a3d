package gpkg_test

import (
	"flag"
	"testing"
)

var keep = flag.String("keep", "", "write the all-types test GeoPackage to this path")

func TestKeep(t *testing.T) {
	if *keep == "" {
		t.Skip("no -keep")
	}
	writeAll(t, *keep)
}
