package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/demo"
)

func TestDemoCommand(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"lastmile", "demo", "--out", dir, "--households", "400", "--seed", "7"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, name := range []string{"households.csv", "chws.csv", "facilities.geojson", "paths.osm", "N07W010.hgt"} {
		if _, err := os.Stat(filepath.Join(dir, "inputs")); err != nil || !strings.Contains(out, name) {
			t.Errorf("stdout does not name input %s (or inputs/ missing: %v)", name, err)
		}
	}
	counts := map[string]int64{}
	for _, l := range gpkgLayers(t, filepath.Join(dir, "district.gpkg")) {
		counts[l.Name] = l.Count
		// Each layer is listed with its count.
		if !regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(l.Name) + `\s+\S+\s+` + strconv.FormatInt(l.Count, 10) + `\s`).MatchString(out) {
			t.Errorf("stdout does not list layer %s with count %d:\n%s", l.Name, l.Count, out)
		}
	}
	for _, name := range []string{"households", "chws", "facilities", "rejects", "ingest_log", "study_area", "paths", "graph_components", "graph_store"} {
		if counts[name] == 0 {
			t.Errorf("layer %s missing or empty (layers %v)", name, counts)
		}
	}
	// Ingest keeps every genuine household and the near duplicates, and
	// rejects exactly the junk rows and the older duplicate submissions
	// the generator says it injected.
	f, err := demo.Generate(context.Background(), demo.Config{Seed: 7, Households: 400}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	n := f.Counts.Noise
	if want := int64(f.Counts.Households + n.NearDuplicates); counts["households"] != want {
		t.Errorf("households layer has %d features, want %d", counts["households"], want)
	}
	if want := int64(n.Junk() + n.Duplicates); counts["rejects"] != want {
		t.Errorf("rejects has %d rows, want junk %d + duplicates %d", counts["rejects"], n.Junk(), n.Duplicates)
	}
	if !strings.Contains(out, "walking graph") || !strings.Contains(out, "duplicate_id_older") || !strings.Contains(out, "example walk: CHW-") {
		t.Errorf("stdout lacks the graph report or the ingest reasons:\n%s", out)
	}

	// Running again replaces the district rather than piling up.
	stdout.Reset()
	if code := run(context.Background(), []string{"lastmile", "demo", "--out", dir, "--households", "400", "--seed", "7"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("second run: exit %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), fmt.Sprintf("added %7d", counts["households"])) {
		t.Errorf("second run did not start from a fresh GeoPackage:\n%s", stdout.String())
	}
}

func TestDemoUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no --out", []string{"demo"}, exitUsage},
		{"too few households", []string{"demo", "--out", "x", "--households", "3"}, exitUsage},
		{"stray argument", []string{"demo", "--out", "x", "extra"}, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"lastmile"}, tt.args...)
			if code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != tt.code {
				t.Errorf("run(%v) = %d, want %d; stderr %s", tt.args, code, tt.code, stderr.String())
			}
		})
	}
}

func TestDemoHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"lastmile", "demo", "--help"}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(stdout.String(), "lastmile demo --out demo") {
		t.Errorf("help has no example:\n%s", stdout.String())
	}
}
