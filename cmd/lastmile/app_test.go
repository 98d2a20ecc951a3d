package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"help", []string{"lastmile", "--help"}, exitOK},
		{"unknown flag", []string{"lastmile", "--bogus"}, exitUsage},
		{"unknown command flag", []string{"lastmile", "info", "--bogus"}, exitUsage},
		{"missing required flag", []string{"lastmile", "req"}, exitUsage},
		{"command error", []string{"lastmile", "info", "--gpkg", "/nonexistent/dir/x.gpkg"}, exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			app := newApp(nil, &out, &errOut)
			// A command with a required flag, to check urfave/cli's own error.
			app.Commands = append(app.Commands, &cli.Command{
				Name:   "req",
				Flags:  []cli.Flag{&cli.StringFlag{Name: "must", Required: true}},
				Action: func(*cli.Context) error { return nil },
			})
			if got := exitCode(app.RunContext(context.Background(), tt.args), &errOut); got != tt.want {
				t.Errorf("%v: exit %d, want %d (stderr %q)", tt.args, got, tt.want, errOut.String())
			}
		})
	}
}

func TestFlagsFirst(t *testing.T) {
	app := newApp(nil, io.Discard, io.Discard)
	tests := []struct {
		in, want string
	}{
		{"lastmile tsp a280.tsp --time-limit 1s", "lastmile tsp --time-limit 1s a280.tsp"},
		{"lastmile tsp --seed 3 a280.tsp --time-limit=1s", "lastmile tsp --seed 3 --time-limit=1s a280.tsp"},
		{"lastmile ingest households export.csv --gpkg d.gpkg --no-personal b.csv", "lastmile ingest households --gpkg d.gpkg --no-personal export.csv b.csv"},
		{"lastmile --help", "lastmile --help"},
		{"lastmile tsp -- --odd-name.tsp --seed 1", "lastmile tsp -- --odd-name.tsp --seed 1"},
		{"lastmile nosuch x --y", "lastmile --y nosuch x"},
	}
	for _, tt := range tests {
		if got := strings.Join(flagsFirst(app, strings.Fields(tt.in)), " "); got != tt.want {
			t.Errorf("flagsFirst(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFlagsAfterFiles runs commands as users type them, flags after the
// file arguments.
func TestFlagsAfterFiles(t *testing.T) {
	dir := t.TempDir()
	p := writeInstance(t, dir, "r12.tsp", 12, 1)
	code, out, errs := runCLI(t, "tsp", p, "--time-limit", "100ms", "--format", "json")
	if code != exitOK || !strings.HasPrefix(out, "{") {
		t.Errorf("tsp FILE --time-limit 100ms --format json: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	csv := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(csv, []byte("facility_id,name,lat,lon\nF1,Clinic,6.0,-8.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gp := filepath.Join(dir, "d.gpkg")
	code, _, errs = runCLI(t, "ingest", "facilities", csv, "--gpkg", gp)
	if code != exitOK {
		t.Fatalf("ingest facilities FILE --gpkg: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(gp); err != nil {
		t.Errorf("--gpkg after the file was not used: %v", err)
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	code, out, _ := runCLI(t, "--version")
	if code != exitOK || !strings.HasPrefix(out, "lastmile version ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	code, _, errs := runCLI(t, "frobnicate")
	if code != exitUsage || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, stderr %q; want exit 2 naming it", code, errs)
	}
	code, _, errs = runCLI(t, "tsp", "--time-limit", "1", "x.tsp")
	if code != exitUsage || !strings.Contains(errs, "1s") {
		t.Errorf("--time-limit 1: exit %d, stderr %q; want exit 2 suggesting 1s", code, errs)
	}
	code, _, errs = runCLI(t, "graph", "--gpkg", filepath.Join(t.TempDir(), "g.gpkg"), "--paths", t.TempDir())
	if code != exitUsage || !strings.Contains(errs, "is a directory") {
		t.Errorf("graph --paths DIR: exit %d, stderr %q; want exit 2 (as ingest does)", code, errs)
	}
	code, _, errs = runCLI(t, "info", "--gpkg", filepath.Join(t.TempDir(), "none.gpkg"))
	if code != exitError || !strings.Contains(errs, "--gpkg") {
		t.Errorf("info on a missing file: exit %d, stderr %q; want a hint about --gpkg", code, errs)
	}
}
