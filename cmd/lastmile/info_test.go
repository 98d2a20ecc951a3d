package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile"
)

func TestInfoCommand(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "export.csv")
	os.WriteFile(csv, []byte(ingestNoisyExport), 0o644)
	gp := filepath.Join(dir, "district.gpkg")
	if code, _, errOut := runCLI(t, "ingest", "households", "--gpkg", gp, "--area", "-8.3,5.9,-7.9,6.3", csv); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "info", "--gpkg", gp)
	if code != exitOK {
		t.Fatalf("info: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"households", "rejects", "ingest_log", "study_area", "study area: bbox", "export.csv", "rows 7, added 3"} {
		if !strings.Contains(out, want) {
			t.Errorf("info output lacks %q:\n%s", want, out)
		}
	}
	for _, p := range ingestPersonal {
		if strings.Contains(out, p) {
			t.Errorf("info printed personal value %q", p)
		}
	}
	code, out, _ = runCLI(t, "info", "--gpkg", gp, "--format", "json")
	if code != exitOK {
		t.Fatalf("info --format json: exit %d", code)
	}
	var rep lastmile.Info
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, l := range rep.Layers {
		counts[l.Name] = l.Count
	}
	if counts["households"] != 3 || counts["rejects"] != 4 || counts["ingest_log"] != 1 || counts["study_area"] != 1 {
		t.Errorf("layer counts %v", counts)
	}
	if rep.StudyArea == nil || rep.StudyArea.Name != "bbox" || rep.StudyArea.Extent != [4]float64{-8.3, 5.9, -7.9, 6.3} {
		t.Errorf("study area %+v", rep.StudyArea)
	}
	if len(rep.Ingests) != 1 || rep.Ingests[0].Rows != 7 || rep.Ingests[0].Kind != "households" || len(rep.Ingests[0].SHA256) != 64 {
		t.Errorf("ingest history %+v", rep.Ingests)
	}

	if code, _, _ := runCLI(t, "info", "--gpkg", filepath.Join(dir, "missing.gpkg")); code != exitError {
		t.Errorf("info on a missing file: exit %d, want %d", code, exitError)
	}
	if code, _, _ := runCLI(t, "info", "--gpkg", gp, "extra"); code != exitUsage {
		t.Errorf("info with an argument: exit %d, want %d", code, exitUsage)
	}
}
