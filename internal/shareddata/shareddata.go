// Package shareddata locates the real public data in ../shared/data beside
// the repository, for tests and benchmarks. It never copies the data.
package shareddata

import (
	"os"
	"path/filepath"
)

// TB is the part of testing.TB that Path uses. It is an interface of its
// own so that this package, which the lastmile binary links for its
// benchmarks, does not import testing.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
}

// Dir returns the absolute path of the shared data folder: $LASTMILE_SHARED_DATA
// when set, otherwise ../shared/data beside the module root. It returns ""
// when the folder is absent.
func Dir() string {
	if d := os.Getenv("LASTMILE_SHARED_DATA"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(filepath.Dir(dir), "shared", "data")
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				return d
			}
			return ""
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}

// Path returns the path of name (slash-separated, e.g. "andorra/andorra.osm.pbf")
// inside the shared data folder, or skips tb with a clear message when the
// file is absent.
func Path(tb TB, name string) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skipf("../shared/data not found beside the repository: skipping (needs %s)", name)
	}
	p := filepath.Join(d, filepath.FromSlash(name))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("../shared/data/%s not found: skipping", name)
	}
	return p
}
