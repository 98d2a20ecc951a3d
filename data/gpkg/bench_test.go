package gpkg_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/paulmach/orb"
)

// householdFields mirrors the households layer: ten attributes.
var householdFields = []gpkg.Field{
	{Name: "household_id", Type: gpkg.Text, NotNull: true},
	{Name: "members", Type: gpkg.Integer},
	{Name: "head_name", Type: gpkg.Text},
	{Name: "phone", Type: gpkg.Text},
	{Name: "village", Type: gpkg.Text},
	{Name: "submitted_at", Type: gpkg.DateTime},
	{Name: "gps_accuracy_m", Type: gpkg.Real},
	{Name: "flags", Type: gpkg.Text},
	{Name: "source_file", Type: gpkg.Text},
	{Name: "source_line", Type: gpkg.Integer},
}

// writePoints writes n synthetic households into a fresh file and returns
// its path.
func writePoints(tb testing.TB, dir string, n int) string {
	tb.Helper()
	path := filepath.Join(dir, fmt.Sprintf("pts-%d.gpkg", n))
	os.Remove(path)
	rng := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	err := gpkg.Update(context.Background(), path, func(tx *gpkg.Tx) error {
		tx.Now = fixedNow
		w, err := tx.CreateLayer(gpkg.Layer{Name: "households", GeomType: gpkg.Point, Fields: householdFields})
		if err != nil {
			return err
		}
		vals := make([]any, len(householdFields))
		for i := range n {
			p := orb.Point{1.4 + rng.Float64()*0.3, 42.4 + rng.Float64()*0.2}
			vals[0] = fmt.Sprintf("HH-%07d", i)
			vals[1] = int64(1 + rng.IntN(9))
			vals[2] = "Name Surname"
			vals[3] = "+376 600 000"
			vals[4] = "Village"
			vals[5] = at.Add(time.Duration(i) * time.Second)
			vals[6] = rng.Float64() * 20
			vals[7] = nil
			vals[8] = "households.csv"
			vals[9] = int64(i + 2)
			if _, err := w.Insert(p, vals...); err != nil {
				return err
			}
		}
		return w.Close()
	})
	if err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkInsertPoints writes 1,000,000 households (10 attributes each)
// with their R-tree per iteration: run it with -benchtime=1x.
func BenchmarkInsertPoints(b *testing.B) {
	const n = 1_000_000
	dir := b.TempDir()
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		writePoints(b, dir, n)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/point")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkScanPoints reads back 1,000,000 households (geometry and ten
// attributes) per iteration; the file is written once, untimed.
func BenchmarkScanPoints(b *testing.B) {
	const n = 1_000_000
	path := writePoints(b, b.TempDir(), n)
	db, err := gpkg.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		sc := db.Scan("households")
		rows := 0
		for sc.Scan() {
			if _, ok := sc.Geometry().(orb.Point); !ok {
				b.Fatal("not a point")
			}
			rows++
		}
		if err := sc.Err(); err != nil {
			b.Fatal(err)
		}
		if rows != n {
			b.Fatalf("read %d rows, want %d", rows, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/point")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}
