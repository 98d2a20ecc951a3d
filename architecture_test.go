package lastmile_test

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/lastmile-health/lastmile"

// TestArchitectureImports keeps ARCHITECTURE.md's package table true: the
// last column of each package's row must list exactly the lastmile
// packages it imports (go list), and every package must have a row.
func TestArchitectureImports(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	actual := map[string][]string{}
	short := func(p string) string {
		if p == module {
			return "lastmile"
		}
		return strings.TrimPrefix(p, module+"/")
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imps, _ := strings.Cut(line, ":")
		var own []string
		for _, i := range strings.Fields(imps) {
			if i == module || strings.HasPrefix(i, module+"/") {
				own = append(own, short(i))
			}
		}
		slices.Sort(own)
		actual[short(pkg)] = own
	}
	doc, err := os.ReadFile("ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z_/]+)`(?: \\(root\\))? \\|.*\\| ([^|]*) \\|$")
	documented := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		pkg, cell := m[1], strings.TrimSpace(m[2])
		if _, ok := actual[pkg]; !ok {
			continue // a layer-table row or a package to come
		}
		documented[pkg] = true
		var listed []string
		if cell != "—" {
			for _, f := range strings.Split(cell, ",") {
				listed = append(listed, strings.TrimSpace(f))
			}
		}
		slices.Sort(listed)
		if !slices.Equal(listed, actual[pkg]) {
			t.Errorf("ARCHITECTURE.md: %s imports %q, the table says %q", pkg, strings.Join(actual[pkg], ", "), cell)
		}
	}
	for pkg := range actual {
		if !documented[pkg] && !strings.Contains(pkg, "internal/") {
			t.Errorf("ARCHITECTURE.md: package %s has no row in the package table", pkg)
		}
	}
}
