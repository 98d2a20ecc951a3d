package gpkg_test

import (
	"flag"
	"testing"
)

var (
	keep = flag.String("keep", "", "write the all-types test GeoPackage to this path (to inspect or validate by hand)")
	seed = flag.Uint64("seed", 1, "seed of the random geometries in the R-tree and ScanBound tests")
)

func TestKeep(t *testing.T) {
	if *keep == "" {
		t.Skip("no -keep")
	}
	writeAll(t, *keep)
}
