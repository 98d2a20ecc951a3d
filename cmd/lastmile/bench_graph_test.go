package main

import (
	"strings"
	"testing"
)

func TestBenchGraphCommand(t *testing.T) {
	dir := t.TempDir()
	osm := writeTestOSM(t, dir)
	code, out, errs := runCLI(t, "bench", "graph", "--paths", osm, "--dir", dir, "--queries", "20", "--matrix", "5")
	if code != 0 {
		t.Fatalf("bench graph: exit %d: %s", code, errs)
	}
	for _, want := range []string{"| build", "| load stored graph |", "| point query (20 walks", "| matrix 5 × 5, 2 workers |"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench graph output lacks %q:\n%s", want, out)
		}
	}
}
