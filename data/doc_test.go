package data

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocNamesSubPackages keeps the package doc true: every Go package
// below data is named in doc.go, and every name listed there exists.
func TestDocNamesSubPackages(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == "." {
			return err
		}
		if d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if gos, _ := filepath.Glob(filepath.Join(path, "*.go")); len(gos) > 0 {
			pkgs = append(pkgs, filepath.ToSlash(path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) == 0 {
		t.Fatal("no sub-packages found")
	}
	for _, p := range pkgs {
		if strings.Contains(p, "/internal/") {
			continue // e.g. osmnet/internal/xmlscan: osmnet's doc names it
		}
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(p) + `\b`).Match(doc) {
			t.Errorf("doc.go does not name the sub-package %s", p)
		}
	}
	// Each bullet "//   - a, b: ..." names packages that exist.
	for _, m := range regexp.MustCompile(`(?m)^//   - ([a-z/, ]+):`).FindAllSubmatch(doc, -1) {
		for _, name := range strings.Split(string(m[1]), ",") {
			name = strings.TrimSpace(name)
			if st, err := os.Stat(name); err != nil || !st.IsDir() {
				t.Errorf("doc.go lists %s, which is not a directory of data", name)
			}
		}
	}
}
