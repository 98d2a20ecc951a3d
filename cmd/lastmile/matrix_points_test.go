package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMatrixReadsPointsAsIngest checks that matrix reads a points CSV as
// ingest reads CSV: an Excel "CSV" (semicolons, a byte-order mark, CRLF,
// decimal commas) gives the same matrix as the plain comma file.
func TestMatrixReadsPointsAsIngest(t *testing.T) {
	dir, gp := buildTestGraph(t)
	plain := filepath.Join(dir, "plain.csv")
	excel := filepath.Join(dir, "excel.csv")
	os.WriteFile(plain, []byte("id,lon,lat\nA,10.001,0.0001\nF1,10.009,0.0049\n"), 0o644)
	os.WriteFile(excel, []byte("\uFEFFid;lon;lat\r\nA;10,001;0,0001\r\nF1;10,009;0,0049\r\n"), 0o644)
	var got [2]string
	for i, f := range []string{plain, excel} {
		code, out, errs := runCLI(t, "matrix", "--gpkg", gp, "--from", f, "--to", plain)
		if code != 0 {
			t.Fatalf("matrix --from %s: exit %d: %s", filepath.Base(f), code, errs)
		}
		got[i] = out
	}
	if got[0] != got[1] || !strings.Contains(got[0], "A,F1,") {
		t.Errorf("plain CSV gives\n%s\nExcel CSV gives\n%s", got[0], got[1])
	}
	// Latitude and longitude swapped: the error says so, with the line.
	swapped := filepath.Join(dir, "swapped.csv")
	os.WriteFile(swapped, []byte("id,lon,lat\nA,10.001,0.0001\nB,0.0001,100.001\n"), 0o644)
	code, _, errs := runCLI(t, "matrix", "--gpkg", gp, "--from", swapped, "--to", plain)
	if code != 1 || !strings.Contains(errs, "swapped.csv:3") || !strings.Contains(errs, "swapped?") {
		t.Errorf("swapped CSV: exit %d, %q; want the line and a hint about swapped columns", code, errs)
	}
}
