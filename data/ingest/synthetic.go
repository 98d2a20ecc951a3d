package ingest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/paulmach/orb"
)

// SyntheticBound is where SyntheticHouseholds puts its households (around
// Konobo district, Liberia).
var SyntheticBound = orb.Bound{Min: orb.Point{-8.05, 5.60}, Max: orb.Point{-7.65, 6.09}}

// SyntheticHouseholds writes n rows of an ODK-style households CSV for
// benchmarks: the same (n, seed) always gives the same bytes. About 1 % of
// the rows are noise (empty coordinates, an older duplicate submission,
// swapped coordinates, poor accuracy), so the benchmark exercises the
// validation paths, not only the happy one.
func SyntheticHouseholds(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	r := rand.New(rand.NewPCG(seed, 0x6c6173746d696c65))
	if _, err := bw.WriteString("SubmissionDate,household_id,head_name,phone,members,village,latitude,longitude,accuracy,water_source,meta-instanceID\n"); err != nil {
		return err
	}
	villages := []string{"Gbarzon", "Boundary", "Konobo Town", "Tuglor", "Dougee", "Ziah", "Jarwodee", "Gbolobo"}
	sources := []string{"well", "river", "pump", "spring", "rain"}
	t0 := time.Date(2026, 2, 2, 8, 0, 0, 0, time.UTC)
	dx := SyntheticBound.Max[0] - SyntheticBound.Min[0]
	dy := SyntheticBound.Max[1] - SyntheticBound.Min[1]
	var b []byte
	for i := 0; i < n; i++ {
		id := i
		t := t0.Add(time.Duration(i) * 7 * time.Second)
		lat := SyntheticBound.Min[1] + r.Float64()*dy
		lon := SyntheticBound.Min[0] + r.Float64()*dx
		acc := 3 + r.Float64()*20
		la, lo := strconv.FormatFloat(lat, 'f', 7, 64), strconv.FormatFloat(lon, 'f', 7, 64)
		switch k := r.IntN(1000); {
		case k < 3:
			la, lo = "", ""
		case k < 5 && i > 0:
			id = i - 1 // a second submission of the previous household
		case k < 7:
			la, lo = lo, la
		case k < 10:
			acc = 60 + r.Float64()*100
		}
		b = b[:0]
		b = t.AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = fmt.Appendf(b, ",HH-%07d,Head %d,+231770%06d,%d,%s,%s,%s,%.1f,%s,uuid:%08x-%04x\n",
			id, i, i%1000000, 1+r.IntN(9), villages[r.IntN(len(villages))], la, lo, acc,
			sources[r.IntN(len(sources))], r.Uint32(), i%65536)
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}
