package demo

import (
	"bufio"
	"context"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/paulmach/orb"
)

// HouseholdColumns is the header of households.csv: an ODK Central
// "Download all submissions (CSV)" export of a household registration form
// whose geopoint field gps is split into gps-Latitude, gps-Longitude,
// gps-Altitude and gps-Accuracy, followed by Central's metadata columns.
var HouseholdColumns = []string{
	"SubmissionDate", "start", "end", "household_id", "village", "head_name", "phone", "members",
	"visits_per_month", "priority", "gps-Latitude", "gps-Longitude", "gps-Altitude", "gps-Accuracy",
	"meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
	"Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
}

// Column positions in HouseholdColumns.
const (
	colSubmission = iota
	colStart
	colEnd
	colID
	colVillage
	colHead
	colPhone
	colMembers
	colVisits
	colPriority
	colLat
	colLon
	colAlt
	colAcc
	colInstance
	colKey
	colSubmitterID
	colSubmitter
	colAttPresent
	colAttExpected
	colStatus
	colReview
	colDevice
	colEdits
	colFormVersion
	nColumns
)

// Noise kinds, one per selected household.
const (
	nkNone uint8 = iota
	nkLow
	nkSwap
	nkDup
	nkNear
	nkEmpty
	nkNA
	nkRange
	nkZero
	nkShort
)

// noiseBase is how many of each kind a 2,500-household district gets; it
// scales with the number of households (at least one of each).
var noiseBase = [...]struct {
	kind uint8
	n    float64
}{
	{nkLow, 15}, {nkSwap, 4}, {nkDup, 8}, {nkNear, 3},
	{nkEmpty, 3}, {nkNA, 2}, {nkRange, 2}, {nkZero, 2}, {nkShort, 1},
}

// campaignStart is the first day of the registration campaign (Liberia
// keeps UTC all year).
var campaignStart = time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)

const (
	odkSubmission = "2006-01-02T15:04:05.000Z"
	odkTime       = "2006-01-02T15:04:05.000-07:00"
	formVersion   = "2026020101"
	minHouseGap   = 15.0 // m between genuine house sites of one settlement
)

// hhWriter holds the state of streaming households.csv.
type hhWriter struct {
	w      *world
	r      *rand.Rand
	cw     *csv.Writer
	row    []string
	noise  map[int32]uint8
	counts *Counts
	nEnum  int
}

// writeHouseholds streams households.csv settlement by settlement, in
// campaign order, injecting the registration noise.
func (w *world) writeHouseholds(ctx context.Context, path string, c *Counts) error {
	H := w.cfg.households()
	nr := w.rng(streamNoise)
	noise := make(map[int32]uint8)
	for _, nb := range noiseBase {
		n := max(1, int(math.Round(nb.n*float64(H)/DefaultHouseholds)))
		for k := 0; k < n; {
			i := int32(nr.IntN(H))
			if noise[i] == nkNone {
				noise[i] = nb.kind
				k++
			}
		}
	}
	return writeFile(path, func(bw *bufio.Writer) error {
		h := &hhWriter{w: w, r: w.rng(streamHouseholds), cw: csv.NewWriter(bw), row: make([]string, nColumns),
			noise: noise, counts: c, nEnum: max(4, H/600)}
		if err := h.cw.Write(HouseholdColumns); err != nil {
			return err
		}
		g := int32(0) // global genuine household index
		for si := range w.settlements {
			if err := ctx.Err(); err != nil {
				return err
			}
			enum := h.r.IntN(h.nEnum)
			seq := 0
			for _, p := range w.sites[w.siteStart[si]:w.siteStart[si+1]] {
				seq++
				if err := h.household(si, g, &seq, p, enum); err != nil {
					return err
				}
				g++
			}
			if err := h.cw.Error(); err != nil {
				return err
			}
		}
		c.Households = int(g)
		h.cw.Flush()
		return h.cw.Error()
	})
}

func tooClose(sites []orb.Point, p orb.Point, d float64) bool {
	for _, q := range sites {
		if dist(p, q) < d {
			return true
		}
	}
	return false
}

// person is what a household registration says about the household.
type person struct {
	id, village, head, phone string
	members                  int
	visits                   int
	priority                 bool
}

// household writes the rows of genuine household g of settlement si, at
// true site p, with its injected noise. *next is the settlement's last used
// sequence number: the household takes it, extra IDs take the next ones.
func (h *hhWriter) household(si int, g int32, next *int, p orb.Point, enum int) error {
	w, r := h.w, h.r
	s := &w.settlements[si]
	pe := person{
		id:      hhID(si, *next),
		village: s.name,
		head:    firstName[r.IntN(len(firstName))] + " Demo-" + itoaPad(int(g)+1, 7),
		phone:   "+231 000 " + itoaPad(int(g)%1000000, 6),
		members: min(14, 1+int(r.ExpFloat64()*4)),
	}
	pe.visits, pe.priority = visitNeed(h.w.seed, g)
	// Interviews: 120 households a day from 08:00, Mondays to Saturdays.
	day := int(g) / 120
	day += day / 6
	start := campaignStart.Add(time.Duration(day)*24*time.Hour + 8*time.Hour +
		time.Duration((float64(g%120)*4.5+r.Float64()*3)*float64(time.Minute)))
	end := start.Add(time.Duration(5+r.IntN(10))*time.Minute + time.Duration(r.IntN(60))*time.Second)
	sub := end.Add(10*time.Minute + time.Duration(r.ExpFloat64()*20*float64(time.Hour)) + time.Duration(r.IntN(1000))*time.Millisecond)
	kind := h.noise[g]
	acc := 3 + 9*r.Float64()*r.Float64()
	if kind == nkLow {
		acc = 55 + 200*r.Float64()
		h.counts.Noise.LowAccuracy++
	}
	fix := h.gps(p, acc)
	alt := w.ter.height(p[0], p[1]) + r.NormFloat64()*6
	switch kind {
	case nkDup:
		return h.writeResubmitted(p, pe, start, end, sub, fix, alt, acc, enum)
	case nkSwap:
		h.counts.Noise.Swapped++
		fix = orb.Point{fix[1], fix[0]}
	}
	if err := h.write(pe, start, end, sub, fix, alt, acc, enum, false); err != nil {
		return err
	}
	switch kind {
	case nkNear:
		// Registered twice under two IDs: same people, same place.
		*next++
		pe2 := pe
		pe2.id = hhID(si, *next)
		d := time.Duration(3+r.IntN(27)) * time.Minute
		// The same phone on the same spot: within a metre of the first fix.
		q := w.local.Forward(fix)
		q = w.local.Inverse(orb.Point{q[0] + r.NormFloat64()*0.3, q[1] + r.NormFloat64()*0.3})
		h.counts.Noise.NearDuplicates++
		return h.write(pe2, start.Add(d), end.Add(d), sub.Add(d), q, alt, acc, enum, false)
	case nkEmpty, nkNA, nkRange, nkZero, nkShort:
		*next++
		return h.writeJunk(kind, hhID(si, *next), pe, start, end, sub, fix, alt, acc, enum)
	}
	return nil
}

// writeResubmitted writes household pe (true site p) as submitted again 1
// to 10 days later (a revisit or a correction), each submission with its
// own fix; exports list them in either order.
func (h *hhWriter) writeResubmitted(p orb.Point, pe person, start, end, sub time.Time, fix orb.Point, alt, acc float64, enum int) error {
	r := h.r
	shift := time.Duration(1+r.IntN(10)) * 24 * time.Hour
	other := h.gps(p, 3+6*r.Float64())
	pe2 := pe
	if r.IntN(3) == 0 {
		pe2.members = max(1, pe.members+r.IntN(3)-1)
	}
	newerFirst := r.IntN(2) == 0
	if newerFirst {
		if err := h.write(pe2, start.Add(shift), end.Add(shift), sub.Add(shift), other, alt, 4, enum, false); err != nil {
			return err
		}
	}
	if err := h.write(pe, start, end, sub, fix, alt, acc, enum, false); err != nil {
		return err
	}
	if !newerFirst {
		if err := h.write(pe2, start.Add(shift), end.Add(shift), sub.Add(shift), other, alt, 4, enum, false); err != nil {
			return err
		}
	}
	h.counts.Noise.Duplicates++
	return nil
}

// writeJunk writes, after household pe, a junk row of kind under the
// extra ID id: coordinates empty, N/A, out of range or 0,0, or the line
// cut short.
func (h *hhWriter) writeJunk(kind uint8, id string, pe person, start, end, sub time.Time, fix orb.Point, alt, acc float64, enum int) error {
	r := h.r
	pe2 := person{id: id, village: pe.village, head: pe.head + "-X", phone: pe.phone, members: 1 + r.IntN(8), visits: 1}
	d := time.Duration(5+r.IntN(20)) * time.Minute
	if err := h.write(pe2, start.Add(d), end.Add(d), sub.Add(d), fix, alt, acc, enum, true); err != nil {
		return err
	}
	row := h.row[:0]
	switch kind {
	case nkEmpty:
		h.row[colLat], h.row[colLon], h.row[colAlt], h.row[colAcc] = "", "", "", ""
		h.counts.Noise.EmptyCoords++
	case nkNA:
		h.row[colLat], h.row[colLon], h.row[colAlt], h.row[colAcc] = "N/A", "N/A", "", ""
		h.counts.Noise.NotAvailable++
	case nkRange:
		if r.IntN(2) == 0 {
			h.row[colLat] = fmtCoord(90 + 10*r.Float64())
		} else {
			h.row[colLon] = fmtCoord(-180 - 20*r.Float64())
		}
		h.counts.Noise.OutOfRange++
	case nkZero:
		h.row[colLat], h.row[colLon], h.row[colAlt], h.row[colAcc] = "0.0", "0.0", "0.0", "0.0"
		h.counts.Noise.ZeroZero++
	case nkShort:
		// A line cut short during a manual edit: it stops after members.
		row = h.row[:colMembers+1]
		h.counts.Noise.ShortRows++
	}
	if kind != nkShort {
		row = h.row
	}
	h.counts.Rows++
	return h.cw.Write(row)
}

// visitNeed is household g's visits a month and priority, as a CHW's
// register marks them: about 5 % are a pregnancy or a newborn (every two
// weeks, priority), 1 % a newborn's first weeks (weekly, priority), and
// one in 20 of the rest a sick or malnourished child to follow up first.
// It is drawn from a hash of g, not from the row stream, so that the
// other columns are those of earlier versions of the generator.
func visitNeed(seed uint64, g int32) (visits int, priority bool) {
	x := seed ^ uint64(g)*0x9e3779b97f4a7c15
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	switch k := x % 1000; {
	case k < 10:
		return 4, true
	case k < 60:
		return 2, true
	case k < 107:
		return 1, true
	}
	return 1, false
}

func hhID(si, seq int) string { return "HH-" + itoaPad(si+1, 5) + "-" + itoaPad(seq, 3) }

// gps returns the lon/lat a phone reports for true site p (local metres)
// with the given accuracy (m): normal error, cut at 2.5 standard
// deviations so it stays within siteMargin.
func (h *hhWriter) gps(p orb.Point, acc float64) orb.Point {
	sd := acc * 0.4
	e := func() float64 { return clamp(h.r.NormFloat64(), -2.5, 2.5) * sd }
	return h.w.local.Inverse(orb.Point{p[0] + e(), p[1] + e()})
}

// write fills h.row for one submission and, unless hold, writes it.
// fix is lon/lat.
func (h *hhWriter) write(pe person, start, end, sub time.Time, fix orb.Point, alt, acc float64, enum int, hold bool) error {
	r := h.r
	row := h.row
	row[colSubmission] = sub.Format(odkSubmission)
	row[colStart] = start.Format(odkTime)
	row[colEnd] = end.Format(odkTime)
	row[colID] = pe.id
	row[colVillage] = pe.village
	row[colHead] = pe.head
	row[colPhone] = pe.phone
	row[colMembers] = strconv.Itoa(pe.members)
	row[colVisits] = strconv.Itoa(pe.visits)
	row[colPriority] = "0"
	if pe.priority {
		row[colPriority] = "1"
	}
	row[colLat] = fmtCoord(fix[1])
	row[colLon] = fmtCoord(fix[0])
	row[colAlt] = strconv.FormatFloat(alt, 'f', 1, 64)
	row[colAcc] = strconv.FormatFloat(acc, 'f', 1, 64)
	row[colInstance] = uuid(r)
	row[colKey] = row[colInstance]
	row[colSubmitterID] = strconv.Itoa(101 + enum)
	row[colSubmitter] = "enumerator-" + itoaPad(enum+1, 2)
	row[colAttPresent], row[colAttExpected], row[colStatus] = "0", "0", ""
	row[colReview] = ""
	row[colDevice] = "collect:demo" + itoaPad(enum+1, 4)
	row[colEdits] = "0"
	row[colFormVersion] = formVersion
	if hold {
		return nil
	}
	h.counts.Rows++
	return h.cw.Write(row)
}

// uuid returns a version-4 style "uuid:…" instance ID drawn from r.
func uuid(r *rand.Rand) string {
	const hexd = "0123456789abcdef"
	a, b := r.Uint64(), r.Uint64()
	a = a&^(0xf<<12) | 0x4<<12 // version 4
	b = b&^(0x3<<62) | 0x2<<62 // variant 10
	var buf [41]byte
	copy(buf[:], "uuid:")
	j := 5
	for i := range 32 {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			buf[j] = '-'
			j++
		}
		v := a
		if i >= 16 {
			v = b
		}
		shift := uint(60 - 4*(i%16))
		buf[j] = hexd[(v>>shift)&0xf]
		j++
	}
	return string(buf[:])
}
