package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
)

// runCLI runs the CLI in-process and returns the exit code and outputs.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"lastmile"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// mustRunCLI runs each command line in turn and stops the test at the
// first that does not succeed.
func mustRunCLI(t *testing.T, cmds ...[]string) {
	t.Helper()
	for _, args := range cmds {
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
	}
}

// wantFailure runs a command line that must exit with code and print an
// error mentioning msg, and returns its stderr.
func wantFailure(t *testing.T, code int, msg string, args ...string) string {
	t.Helper()
	got, _, errs := runCLI(t, args...)
	if got != code || !strings.Contains(errs, msg) {
		t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", args, got, errs, code, msg)
	}
	return errs
}

// gpkgLayers lists the layers and tables of the GeoPackage at path, with
// their row counts.
func gpkgLayers(t *testing.T, path string) []gpkg.LayerInfo {
	t.Helper()
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	layers, err := db.Layers()
	if err != nil {
		t.Fatal(err)
	}
	return layers
}

// writeTestFile writes s to dir/name and returns its path.
func writeTestFile(t *testing.T, dir, name, s string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
