package lastmile_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/demo"
)

// treeHash hashes every file under dir (names and contents).
func treeHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		h.Write([]byte(p + "\n"))
		h.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

// TestDemoInterruptedKeepsPrevious cancels a second demo run at the start
// of every step (as Ctrl-C would) and checks that the first run's
// GeoPackage and inputs are untouched and no temporary folder is left.
func TestDemoInterruptedKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	// The first run records its steps, so every step is interrupted below,
	// including stages added later.
	var steps []string
	record := lastmile.DemoOptions{Step: func(name string) func() { steps = append(steps, name); return func() {} }}
	if _, err := lastmile.Demo(context.Background(), demo.Config{Seed: 1, Households: 300}, dir, record); err != nil {
		t.Fatal(err)
	}
	if len(steps) < 5 {
		t.Fatalf("the demo reported steps %q: too few", steps)
	}
	before := treeHash(t, dir)
	for _, at := range steps {
		t.Run(at, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err := lastmile.Demo(ctx, demo.Config{Seed: 2, Households: 300}, dir, lastmile.DemoOptions{
				Step: func(name string) func() {
					if name == at {
						cancel()
					}
					return func() {}
				},
			})
			if !errors.Is(err, lastmile.ErrInterrupted) || !strings.Contains(err.Error(), "unchanged") {
				t.Fatalf("Demo cancelled at %q: err = %v, want ErrInterrupted … unchanged", at, err)
			}
			if treeHash(t, dir) != before {
				t.Errorf("cancelled at %q: the previous demo's files changed", at)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".demo-tmp-*"))
			if len(left) > 0 {
				t.Errorf("temporary folders left: %v", left)
			}
		})
	}
	// A full second run replaces both.
	if _, err := lastmile.Demo(context.Background(), demo.Config{Seed: 2, Households: 300}, dir, lastmile.DemoOptions{}); err != nil {
		t.Fatal(err)
	}
	if treeHash(t, dir) == before {
		t.Error("a successful second run left the first run's files")
	}
}
