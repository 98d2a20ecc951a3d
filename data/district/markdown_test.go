package district_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/district"
)

var update = flag.Bool("update", false, "rewrite ARCHITECTURE.md's layer table from the declarations")

const (
	beginMark = "<!-- layers:begin (generated from data/district: go test ./data/district -update) -->\n"
	endMark   = "<!-- layers:end -->"
)

// TestArchitectureTable keeps ARCHITECTURE.md's layer table equal to the
// declarations, so the documentation cannot drift from the schema.
func TestArchitectureTable(t *testing.T) {
	path := filepath.Join("..", "..", "ARCHITECTURE.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, beginMark), strings.Index(doc, endMark)
	if i < 0 || j < i {
		t.Fatalf("%s: markers %q … %q not found", path, beginMark, endMark)
	}
	want := district.MarkdownTable(district.All())
	got := doc[i+len(beginMark) : j]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(doc[:i+len(beginMark)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the layer table differs from data/district's declarations; run go test ./data/district -update\n--- got\n%s\n--- want\n%s", path, got, want)
}

// TestDeclarations checks what every consumer relies on: unique layer
// names, unique column names within a layer, an ID column first on the
// point layers.
func TestDeclarations(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range district.All() {
		if seen[l.Name] {
			t.Errorf("layer %s declared twice", l.Name)
		}
		seen[l.Name] = true
		cols := map[string]bool{}
		for _, c := range l.Columns {
			if cols[c.Name] {
				t.Errorf("layer %s: column %s declared twice", l.Name, c.Name)
			}
			cols[c.Name] = true
		}
	}
	for _, l := range []*district.Layer{&district.Households.Layer, &district.CHWs.Layer, &district.Facilities.Layer} {
		if c := l.Columns[0]; !c.Unique || !c.NotNull || !strings.HasSuffix(c.Name, "_id") {
			t.Errorf("layer %s: first column %+v, want a unique, not-null *_id", l.Name, c)
		}
	}
}
