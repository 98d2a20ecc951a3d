package gpkg_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

// validatorPaths are where Debian's python3-gdal installs validate_gpkg.py.
var validatorPaths = []string{
	"/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
	"/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
}

func findValidator(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("GDAL validator not available: /usr/bin/python3 missing")
	}
	for _, p := range validatorPaths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if out, err := exec.Command("dpkg", "-L", "python3-gdal").Output(); err == nil {
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasSuffix(l, "/validate_gpkg.py") {
				return l
			}
		}
	}
	t.Skip("GDAL validator not available: install python3-gdal (validate_gpkg.py)")
	return ""
}

// buggyEmptyFlag is the line of GDAL 3.6's validator that reads the empty
// flag from bit 3 of the header flags; the spec (and GDAL's own writer) put
// it in bit 4, so that validator rejects every empty geometry, GDAL's too.
const buggyEmptyFlag = "empty_flag = ((flags >> 3) & 1) == 1"

// validator returns a runnable validate_gpkg.py: the installed one, or a
// copy with the empty-flag bit fixed when the installed one has that bug.
func validator(t *testing.T) string {
	v := findValidator(t)
	src, err := os.ReadFile(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(buggyEmptyFlag)) {
		return v
	}
	t.Logf("%s reads the empty flag from bit 3 (GDAL < 3.7 bug); running a copy that reads bit 4 as the spec says", v)
	fixed := bytes.Replace(src, []byte(buggyEmptyFlag), []byte("empty_flag = ((flags >> 4) & 1) == 1"), 1)
	p := filepath.Join(t.TempDir(), "validate_gpkg.py")
	if err := os.WriteFile(p, fixed, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runValidator(t *testing.T, v, file string) {
	t.Helper()
	cmd := exec.Command("/usr/bin/python3", v, "--extra", "--warning-as-error", file)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("validate_gpkg.py %s: err=%v\n%s", filepath.Base(file), err, out)
	}
}

// TestGDALValidator writes one layer of every geometry type (with empty and
// NULL geometries and NULL attributes) and an attributes table, and runs
// GDAL's validate_gpkg.py on it with --extra checks: any error or warning
// (warnings are made errors) or any output fails.
func TestGDALValidator(t *testing.T) {
	v := validator(t)
	path := filepath.Join(t.TempDir(), "all.gpkg")
	writeAll(t, path)
	runValidator(t, v, path)
}

// TestGDALValidatorAfterEdits validates a file after a second Update that
// appends, updates, deletes, adds a field, drops a layer and adds an index.
func TestGDALValidatorAfterEdits(t *testing.T) {
	v := validator(t)
	path := filepath.Join(t.TempDir(), "edited.gpkg")
	writeAll(t, path)
	if err := gpkg.Update(context.Background(), path, editAll); err != nil {
		t.Fatal(err)
	}
	runValidator(t, v, path)
}

// TestOGRInfo checks that GDAL reads the feature counts and extents we wrote.
func TestOGRInfo(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not available: install gdal-bin")
	}
	path := filepath.Join(t.TempDir(), "all.gpkg")
	writeAll(t, path)
	out, err := exec.Command(ogrinfo, "-ro", "-al", "-so", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	layerRE := regexp.MustCompile(`(?m)^Layer name: (\S+)$`)
	countRE := regexp.MustCompile(`(?m)^Feature Count: (\d+)$`)
	extentRE := regexp.MustCompile(`(?m)^Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)$`)
	blocks := layerRE.Split(string(out), -1)[1:]
	names := layerRE.FindAllStringSubmatch(string(out), -1)
	got := map[string]string{}
	for i, n := range names {
		got[n[1]] = blocks[i]
	}
	for _, c := range geomCases {
		b, ok := got[c.name]
		if !ok {
			t.Errorf("ogrinfo does not list layer %s", c.name)
			continue
		}
		m := countRE.FindStringSubmatch(b)
		if m == nil || m[1] != strconv.Itoa(len(c.geoms)) {
			t.Errorf("layer %s: ogrinfo feature count %v, want %d", c.name, m, len(c.geoms))
		}
		want := boundOf(c.geoms)
		e := extentRE.FindStringSubmatch(b)
		if e == nil {
			t.Errorf("layer %s: no extent in ogrinfo output", c.name)
			continue
		}
		for k, w := range []float64{want.Min[0], want.Min[1], want.Max[0], want.Max[1]} {
			f, _ := strconv.ParseFloat(e[k+1], 64)
			if diff := f - w; diff > 1e-6 || diff < -1e-6 {
				t.Errorf("layer %s: ogrinfo extent %v, want %v", c.name, e[0], want)
				break
			}
		}
	}
	if _, ok := got["attrs"]; !ok {
		t.Errorf("ogrinfo does not list table attrs")
	}
}

// TestOGRSpatialFilter checks that GDAL's spatial filter, which reads the
// bulk-loaded R-tree, finds exactly the points inside a window.
func TestOGRSpatialFilter(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not available: install gdal-bin")
	}
	dir := t.TempDir()
	path := writePoints(t, dir, 20000)
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var pts []orb.Point
	sc := db.Scan("households")
	for sc.Scan() {
		pts = append(pts, sc.Geometry().(orb.Point))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, w := range []orb.Bound{
		{Min: orb.Point{1.45, 42.45}, Max: orb.Point{1.5, 42.5}},
		{Min: orb.Point{1.4, 42.4}, Max: orb.Point{1.41, 42.6}},
		{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}},
	} {
		want := 0
		for _, p := range pts {
			if w.Contains(p) {
				want++
			}
		}
		args := []string{"-ro", "-so", "-spat"}
		for _, v := range []float64{w.Min[0], w.Min[1], w.Max[0], w.Max[1]} {
			args = append(args, strconv.FormatFloat(v, 'f', -1, 64))
		}
		out, err := exec.Command(ogrinfo, append(args, path, "households")...).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`(?m)^Feature Count: (\d+)$`).FindSubmatch(out)
		if m == nil || string(m[1]) != strconv.Itoa(want) {
			t.Errorf("window %v: ogrinfo counts %s, want %d", w, m, want)
		}
	}
}

// TestOGREditsKeepIndex edits a file with GDAL (its own SQLite and ST_
// functions, as QGIS uses) and checks that the spec triggers we installed
// kept every R-tree right.
func TestOGREditsKeepIndex(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not available: install gdal-bin")
	}
	path := filepath.Join(t.TempDir(), "edit.gpkg")
	writeAll(t, path)
	for _, q := range []string{
		"DELETE FROM lines WHERE fid = 1",
		"UPDATE polygons SET fid = fid + 100",
		"UPDATE geometries SET geom = (SELECT geom FROM geometries g2 WHERE g2.fid = 3) WHERE fid = 1",
		"INSERT INTO multipoints (geom, n) SELECT geom, 99 FROM multipoints WHERE fid = 1",
		"UPDATE points SET geom = NULL WHERE fid = 1",
	} {
		out, err := exec.Command(ogrinfo, path, "-sql", q).CombinedOutput()
		if err != nil || bytes.Contains(out, []byte("ERROR")) {
			t.Fatalf("ogrinfo -sql %q: %v\n%s", q, err, out)
		}
	}
	db, err := gpkg.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range geomCases {
		checkRTree(t, db.SQL(), c.name)
	}
	if n := count(t, db.SQL(), "SELECT count(*) FROM rtree_multipoints_geom"); n != 2 {
		t.Errorf("rtree_multipoints_geom has %d entries after GDAL's insert, want 2", n)
	}
}
