package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/geo"
)

// benchRows is the size of BenchmarkIngestHouseholds1M: 1,000,000 with
// LASTMILE_LONG=1 (or LASTMILE_BENCH_ROWS=N), 20,000 otherwise, so that
// `go test -bench .` stays quick by default.
func benchRows() int {
	if s := os.Getenv("LASTMILE_BENCH_ROWS"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	if os.Getenv("LASTMILE_LONG") != "" {
		return 1_000_000
	}
	return 20_000
}

func BenchmarkIngestHouseholds1M(b *testing.B) {
	n := benchRows()
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "households.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	if err := SyntheticHouseholds(f, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	area := AreaFromBound("synthetic", "synthetic", geo.ExpandBound(SyntheticBound, 1000))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(dir, "bench"+strconv.Itoa(i)+".gpkg")
		var sum *Summary
		err := gpkg.Update(context.Background(), out, func(tx *gpkg.Tx) error {
			var err error
			sum, err = Households(context.Background(), tx, []string{csvPath}, Options{Area: area, Now: testNow})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		// The benchmarked output must be right: every row accounted for,
		// and the stored count is what the layer holds.
		s := sum.Total
		if s.Rows != n || s.Added+s.Rejected != n || s.Added < n*98/100 {
			b.Fatalf("summary %+v for %d rows", s, n)
		}
		db, err := gpkg.Open(out)
		if err != nil {
			b.Fatal(err)
		}
		ls, _ := db.Layers()
		for _, l := range ls {
			if l.Name == "households" && l.Count != int64(s.Added) {
				b.Fatalf("households layer has %d features, summary says %d added", l.Count, s.Added)
			}
		}
		db.Close()
		os.Remove(out)
		b.StartTimer()
	}
	b.ReportMetric(float64(n), "rows/op")
}
