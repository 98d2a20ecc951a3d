package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lastmile-health/lastmile/data/demo"
)

// TestReproducible runs the pipeline twice on the same inputs with the same
// SOURCE_DATE_EPOCH and requires byte-identical GeoPackages: the guide's
// determinism rule, checked end to end through the CLI.
func TestReproducible(t *testing.T) {
	dir := t.TempDir()
	f, err := demo.Generate(context.Background(), demo.Config{Seed: 7, Households: 300}, filepath.Join(dir, "inputs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1790000000")
	build := func(name string) []byte {
		t.Helper()
		gp := filepath.Join(dir, name)
		mustRunCLI(t,
			[]string{"ingest", "facilities", "--gpkg", gp, f.Facilities},
			[]string{"ingest", "chws", "--gpkg", gp, f.CHWs},
			[]string{"ingest", "households", "--gpkg", gp, f.Households},
			[]string{"graph", "--gpkg", gp, "--paths", f.Paths, "--dem", f.DEM})
		b, err := os.ReadFile(gp)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := build("a.gpkg"), build("b.gpkg")
	if !bytes.Equal(a, b) {
		t.Errorf("same inputs and SOURCE_DATE_EPOCH gave different GeoPackages (%d and %d bytes)", len(a), len(b))
	}
}

func TestSourceDateEpochBad(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	dir := t.TempDir()
	csv := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(csv, []byte("id,name,lat,lon\nF1,Clinic,6.1,-8.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "ingest", "facilities", "--gpkg", filepath.Join(dir, "d.gpkg"), csv)
	if code != exitError || !bytes.Contains([]byte(errs), []byte("SOURCE_DATE_EPOCH")) {
		t.Errorf("exit %d, stderr %q; want exit 1 naming SOURCE_DATE_EPOCH", code, errs)
	}
}
