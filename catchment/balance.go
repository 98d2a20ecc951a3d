package catchment

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/lastmile-health/lastmile/geo"
)

// Unit is what Balance assigns: one household, or a village of households
// that should stay with one CHW (Problem.KeepWhole).
type Unit struct {
	// ID identifies the unit; IDs are unique and decide every tie.
	ID string
	// Households is the unit's weight, at least 1: the CHW load it adds.
	Households int
	// People is the number of members, for the workload statistics.
	People int
	// Lock pins the unit to the CHW with this ID (a planner's lock): the
	// unit goes there whatever the limits say. Empty for no lock.
	Lock string
	// Current says who serves the unit's households today, for a
	// reassignment after a roster change (Keep): households that stay
	// with their CHW are not moves. A CHW ID that is not in the roster is
	// a CHW who left. Empty for a unit nobody serves yet.
	Current []Share
}

// Share is a number of a unit's households served by one CHW.
type Share struct {
	CHW        string
	Households int
}

// CHW is a community health worker with a load range in households.
type CHW struct {
	ID string
	// Min is the load the CHW should reach (soft: shortfalls are reported
	// and minimised). The stage passes min(--min-households, capacity).
	Min int
	// Max is the capacity: never exceeded except by locked units.
	Max int
}

// Arc is a candidate assignment of unit to CHW (indices into
// Problem.Units and Problem.CHWs) with the walking time from the CHW's
// home to the unit; for a village, the mean over its households, so that
// Households × Walk is the village's total.
type Arc struct {
	Unit, CHW int
	Walk      geo.Seconds
}

// Request asks the caller for more candidate arcs (Problem.More). Indices
// are into Problem.Units and Problem.CHWs, in ID order.
type Request struct {
	// Units are left (partly) unassigned while some CHW still has room,
	// or (WidenOverWalk) assigned beyond the walk limit: return arcs to
	// CHWs they have none to yet, the next nearest by walking time
	// (doubling the number of CHWs each time works well).
	Units []int
	// CHWs are short of their minimum: return arcs from every unit within
	// Within of the CHW's home (a bounded search from the home).
	CHWs   []int
	Within geo.Seconds
}

// Problem is the input of Balance, which does not modify it. Unit and CHW
// IDs must be unique.
//
// Candidate arcs: for each unit, pass arcs to its nearest CHWs by walking
// time, nearest first or in any order, but as a prefix of that order (a
// CHW not given is at least as far as every CHW given). With More set,
// Balance widens them while limits are unmet; without, the given arcs are
// all it uses. Arcs from a locked unit to other CHWs are ignored; a
// locked unit without an arc to its CHW is assigned there unrouted.
type Problem struct {
	Units []Unit
	CHWs  []CHW
	Arcs  []Arc
	// MaxWalk is the walk limit; 0 means none. Arcs beyond it are used
	// only when the limits leave nothing else, and are counted as
	// over-walk.
	MaxWalk geo.Seconds
	// KeepWhole says that units are villages: a village split by the flow
	// is made whole again where a CHW can take it without breaking a
	// limit (see Balance).
	KeepWhole bool
	// More, when set, is called with the units and CHWs that need more
	// candidate arcs, and returns them (duplicates are ignored). An error
	// stops Balance and is returned wrapped.
	More func(Request) ([]Arc, error)
	// WidenOverWalk also asks More, once, for units assigned beyond
	// MaxWalk that a CHW they have no arc to could serve better by the
	// flow's prices (a farther CHW with room frees a place within the
	// limit for someone else). Without it, widening only restores
	// feasibility, and in a district whose CHWs are all full the k nearest
	// candidates leave more households over the limit than needed: on the
	// national test instance (k = 8) 193,871 instead of 187,171, the
	// k = 16 figure; the widened solve took 4× as long (bench/results/catchment.md).
	WidenOverWalk bool
	// MaxRounds caps the calls to More; 0 means 16.
	MaxRounds int
}

// Reason says why households are unassigned.
type Reason string

// Reasons for unassigned households.
const (
	// NoCandidate: the unit has no candidate arc (no CHW can reach it).
	NoCandidate Reason = "no_candidate"
	// OverCapacity: every CHW that can reach the unit is full.
	OverCapacity Reason = "over_capacity"
)

// Assignment is where a unit's households go.
type Assignment struct {
	// Parts lists the CHWs serving the unit, most households first (then
	// by CHW ID). One part, unless the unit was split.
	Parts []Part
	// Unassigned households (Households − Σ parts), and why.
	Unassigned int
	Reason     Reason
}

// Part is a number of a unit's households assigned to one CHW.
type Part struct {
	CHW        int // index into Problem.CHWs
	Households int
	// Walk is the walking time from the CHW's home (per household); Routed
	// is false for a locked unit without a candidate arc to its CHW, whose
	// walk is unknown (Walk 0).
	Walk   geo.Seconds
	Routed bool
}

// Move is a change of CHW for some of a unit's households (Keep).
type Move struct {
	Unit       int    // index into Problem.Units
	From, To   string // CHW IDs; To is "" when the households end unassigned
	Households int
	Reason     MoveReason
}

// MoveReason says why households moved: the first of these that applies.
type MoveReason string

// Move reasons.
const (
	MoveCHWLeft      MoveReason = "chw_left"      // From is not in the roster
	MoveLocked       MoveReason = "locked"        // the unit is locked to To
	MoveUnassigned   MoveReason = "unassigned"    // no CHW has room (To is "")
	MoveOverCapacity MoveReason = "over_capacity" // From's current load exceeds its capacity
	MoveUnderMinimum MoveReason = "under_minimum" // To's current load is below its minimum
	MoveNoPath       MoveReason = "no_path"       // no candidate arc joins the unit and From
	MoveOverWalk     MoveReason = "over_walk"     // From is beyond the walk limit, To is not
	MoveRebalance    MoveReason = "rebalance"     // part of a chain of moves the limits required
)

// Result is the outcome of Balance. Units and Load are parallel to
// Problem.Units and Problem.CHWs: every unit appears, assigned or not.
type Result struct {
	Units   []Assignment
	Load    []Load
	Summary Summary
	// Moves lists the households that left their current CHW, by unit ID
	// then From then To.
	Moves []Move
	// Solver figures: arcs in the final flow (candidates after widening),
	// arcs added by More, calls to More, simplex pivots, the resolution of
	// walking times in the cost (1 s unless the instance is huge), units
	// made whole again and units left split (KeepWhole).
	Arcs, Widened, Rounds, Pivots int
	Resolution                    geo.Seconds
	Merged, Split                 int
}

// Validation errors of Balance; the returned error wraps one of them and
// names the entity.
var (
	ErrDuplicateID = errors.New("catchment: duplicate ID")
	ErrBadUnit     = errors.New("catchment: bad unit")
	ErrBadCHW      = errors.New("catchment: bad CHW")
	ErrBadArc      = errors.New("catchment: bad arc")
	ErrUnknownLock = errors.New("catchment: lock names an unknown CHW")
)

// arc kinds of the flow network
const (
	kindCand       int8 = iota // unit → CHW candidate
	kindStay                   // unit → its current CHW, for the households that stay
	kindLock                   // locked unit → its CHW without a candidate arc
	kindUnassigned             // unit → T
	kindMinimum                // CHW → T, up to Min, rewarded
	kindRest                   // CHW → T, from Min to Max
	kindOverflow               // CHW → T, beyond Max
)

// balancer holds the canonical (ID-ordered) problem and its flow network.
type balancer struct {
	p           *Problem
	sampleAbove int
	nu, nc      int
	uOf         []int32 // rank → caller index, units
	uRank       []int32 // caller index → rank
	cOf         []int32
	cRank       []int32
	chwIdx      map[string]int32 // CHW ID → rank

	w       []int64 // households per unit rank
	lock    []int32 // CHW rank or −1
	share   [][]rankShare
	hasCur  []bool
	minL    []int64
	maxL    []int64
	walks   []geo.Seconds // candidate walks: caller arcs, then widened ones
	net     Network
	kind    []int8  // per network arc
	ref     []int32 // per network arc: index into walks, or −1
	unitArc [][]int32
	chwArc  [][3]int32 // minimum, rest, overflow arc of each CHW (−1: none)
	unArc   []int32    // unassigned arc of each unit (−1: locked)
	wt      weights
	maxSec  float64
	// floorSec raises maxSec so that a sample (start.go) folds its costs
	// with the same weights as the full problem.
	floorSec float64
	T        int

	exhausted    []bool
	overRounds   int
	chwAsked     []bool
	widened      int
	samplePivots int
	rounds       int
	merged, kept int
	arcsReported int
}

type rankShare struct {
	chw int32 // rank, or −1 for a CHW not in the roster
	id  string
	h   int64
}

// Balance assigns units to CHWs by an exact minimum-cost flow (a
// transportation problem on the candidate arcs): lexicographically, it
// first keeps every capacity (only locks may exceed one), then leaves as
// few households unassigned as possible, then puts as few beyond MaxWalk,
// then leaves CHWs as little short of their minimum, then moves as few
// households from their current CHW (Unit.Current), then walks the least
// household-time; see the tiers in tiers.go for why the single-number
// cost is exact.
//
// The result depends only on the IDs and values, never on the order of
// Units, CHWs or Arcs: Balance sorts them by ID before building the flow,
// the solver breaks ties by that order, and the indices in the result are
// the caller's.
//
// Widening: with Problem.More set, after each solve Balance asks for more
// arcs for units left unassigned while a CHW has room and for CHWs short
// of their minimum (every unit within MaxWalk of them, once per CHW), adds
// them and solves again from the previous optimum, until no more arcs come
// or MaxRounds calls were made.
//
// KeepWhole: a village the flow splits between CHWs (because a capacity
// or minimum binds in the middle of it) is then given whole to one of its
// candidate CHWs if that CHW has room for the rest of it, or if one other
// whole village there can make room by moving whole to a CHW of its own
// with room (one ejection); no such merge may exceed a capacity, deepen a
// shortfall below a minimum or add a household beyond the walk limit, so
// every limit total stays as the flow left it. Villages are taken in ID
// order, pass after pass; each takes the merge adding the fewest
// over-walk households, then moves, then walking time. This step is greedy
// (the exact unsplittable problem is NP-hard); a village it cannot merge
// stays split (typically two CHWs living in one village, each needing
// part of it for their minimum), and Result.Split counts them. To place a
// split village's households, solve Balance again on them with the parts
// as the CHWs' Min and Max.
//
// Balance returns an error wrapping ErrDuplicateID, ErrBadUnit, ErrBadCHW,
// ErrBadArc or ErrUnknownLock for invalid input, naming the ID; the error
// from More; or ctx's error.
func Balance(ctx context.Context, p *Problem) (*Result, error) {
	return balance(ctx, p, sampleAbove)
}

// balance is Balance with the sampling threshold as a parameter, so that
// tests can exercise the sampled start on small instances.
func balance(ctx context.Context, p *Problem, sampleAbove int) (*Result, error) {
	b := &balancer{p: p, sampleAbove: sampleAbove}
	if err := b.canonical(); err != nil {
		return nil, err
	}
	if err := b.build(); err != nil {
		return nil, err
	}
	if err := b.start(ctx); err != nil {
		return nil, err
	}
	maxRounds := p.MaxRounds
	if maxRounds <= 0 {
		maxRounds = 16
	}
	for {
		if err := b.net.Solve(ctx); err != nil {
			return nil, fmt.Errorf("catchment: balance: %w", err)
		}
		if p.More == nil || b.rounds >= maxRounds {
			break
		}
		added, err := b.widen()
		if err != nil {
			return nil, err
		}
		if !added {
			break
		}
	}
	parts := b.parts()
	b.arcsReported = len(b.kind)
	if p.KeepWhole {
		b.keepWhole(parts)
	}
	return b.result(parts), nil
}

// canonical validates the input and ranks units and CHWs by ID.
func (b *balancer) canonical() error {
	p := b.p
	b.nu, b.nc = len(p.Units), len(p.CHWs)
	if b.nu >= math.MaxInt32/2 || b.nc >= math.MaxInt32/2 {
		return fmt.Errorf("%w: too many units or CHWs", ErrBadUnit)
	}
	b.uOf = rankBy(b.nu, func(i int) string { return p.Units[i].ID })
	b.cOf = rankBy(b.nc, func(i int) string { return p.CHWs[i].ID })
	b.uRank = invert(b.uOf)
	b.cRank = invert(b.cOf)
	b.chwIdx = make(map[string]int32, b.nc)
	b.minL = make([]int64, b.nc)
	b.maxL = make([]int64, b.nc)
	for r, i := range b.cOf {
		c := p.CHWs[i]
		if c.ID == "" {
			return fmt.Errorf("%w: CHW %d has no ID", ErrBadCHW, i)
		}
		if r > 0 && p.CHWs[b.cOf[r-1]].ID == c.ID {
			return fmt.Errorf("%w: CHW %q appears twice", ErrDuplicateID, c.ID)
		}
		if c.Min < 0 || c.Max < 0 || c.Min > c.Max {
			return fmt.Errorf("%w: CHW %q: min %d, max %d (want 0 ≤ min ≤ max)", ErrBadCHW, c.ID, c.Min, c.Max)
		}
		b.chwIdx[c.ID] = int32(r)
		b.minL[r], b.maxL[r] = int64(c.Min), int64(c.Max)
	}
	b.w = make([]int64, b.nu)
	b.lock = make([]int32, b.nu)
	b.share = make([][]rankShare, b.nu)
	b.hasCur = make([]bool, b.nu)
	for r, i := range b.uOf {
		u := &p.Units[i]
		if u.ID == "" {
			return fmt.Errorf("%w: unit %d has no ID", ErrBadUnit, i)
		}
		if r > 0 && p.Units[b.uOf[r-1]].ID == u.ID {
			return fmt.Errorf("%w: unit %q appears twice", ErrDuplicateID, u.ID)
		}
		if u.Households < 1 || u.People < 0 {
			return fmt.Errorf("%w: unit %q: %d households, %d people (want ≥ 1 and ≥ 0)", ErrBadUnit, u.ID, u.Households, u.People)
		}
		b.w[r] = int64(u.Households)
		b.lock[r] = -1
		if u.Lock != "" {
			c, ok := b.chwIdx[u.Lock]
			if !ok {
				return fmt.Errorf("%w: unit %q locked to CHW %q", ErrUnknownLock, u.ID, u.Lock)
			}
			b.lock[r] = c
		}
		var sum int64
		for _, s := range u.Current {
			if s.Households < 1 || s.CHW == "" {
				return fmt.Errorf("%w: unit %q: current share %d households of CHW %q", ErrBadUnit, u.ID, s.Households, s.CHW)
			}
			sum += int64(s.Households)
			c, ok := b.chwIdx[s.CHW]
			if !ok {
				c = -1
			}
			b.share[r] = addShare(b.share[r], rankShare{chw: c, id: s.CHW, h: int64(s.Households)})
		}
		if sum > b.w[r] {
			return fmt.Errorf("%w: unit %q: current shares hold %d of its %d households", ErrBadUnit, u.ID, sum, b.w[r])
		}
		slices.SortFunc(b.share[r], func(x, y rankShare) int { return strings.Compare(x.id, y.id) })
		b.hasCur[r] = sum > 0
	}
	return nil
}

func addShare(s []rankShare, x rankShare) []rankShare {
	for i := range s {
		if s[i].id == x.id {
			s[i].h += x.h
			return s
		}
	}
	return append(s, x)
}

// rankBy returns the indices 0..n-1 sorted by key (stable, so equal keys
// keep input order and are caught as duplicates next to each other).
func rankBy(n int, key func(int) string) []int32 {
	idx := make([]int32, n)
	sorted := true
	for i := range idx {
		idx[i] = int32(i)
		if i > 0 && key(i-1) > key(i) {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(idx, func(a, b int32) int { return strings.Compare(key(int(a)), key(int(b))) })
	}
	return idx
}

func invert(of []int32) []int32 {
	r := make([]int32, len(of))
	for k, i := range of {
		r[i] = int32(k)
	}
	return r
}

// build lays out the flow network: unit nodes (by rank), CHW nodes, the
// sink T; each unit's arcs in CHW order followed by its unassigned arc,
// then the CHW arcs into T.
func (b *balancer) build() error {
	p := b.p
	// Bucket the caller's arcs by unit rank, then order by CHW rank.
	cnt := make([]int32, b.nu+1)
	for i, a := range p.Arcs {
		if a.Unit < 0 || a.Unit >= b.nu || a.CHW < 0 || a.CHW >= b.nc {
			return fmt.Errorf("%w: arc %d joins unit %d and CHW %d, out of range", ErrBadArc, i, a.Unit, a.CHW)
		}
		if !(a.Walk >= 0) || math.IsInf(float64(a.Walk), 0) {
			return fmt.Errorf("%w: arc %d (unit %q, CHW %q): walk %v s", ErrBadArc, i, p.Units[a.Unit].ID, p.CHWs[a.CHW].ID, a.Walk)
		}
		cnt[b.uRank[a.Unit]+1]++
	}
	for r := range b.nu {
		cnt[r+1] += cnt[r]
	}
	order := make([]int32, len(p.Arcs))
	pos := slices.Clone(cnt[:b.nu])
	for i, a := range p.Arcs {
		r := b.uRank[a.Unit]
		order[pos[r]] = int32(i)
		pos[r]++
	}
	b.walks = make([]geo.Seconds, len(p.Arcs))
	b.maxSec = b.floorSec
	for i, a := range p.Arcs {
		b.walks[i] = a.Walk
		b.maxSec = max(b.maxSec, float64(a.Walk))
	}
	b.T = b.nu + b.nc
	net := &b.net
	est := len(p.Arcs) + 2*b.nu + 3*b.nc // unit arcs, unassigned or lock, CHW arcs
	for _, sh := range b.share {
		est += len(sh) // stay arcs next to move arcs
	}
	net.Reserve(b.T+1, est)
	b.kind = make([]int8, 0, est)
	b.ref = make([]int32, 0, est)
	for r := range b.nu {
		net.AddNode(b.w[r])
	}
	for range b.nc {
		net.AddNode(0)
	}
	var total int64
	for _, w := range b.w {
		total += w
	}
	net.AddNode(-total)
	b.unitArc = make([][]int32, b.nu)
	b.unArc = make([]int32, b.nu)
	b.exhausted = make([]bool, b.nu)
	b.chwAsked = make([]bool, b.nc)
	// One backing array for every unit's arc list; each list is capped so
	// that arcs added by widening reallocate instead of overwriting.
	backing := make([]int32, 0, est)
	for r := range b.nu {
		b.unitArc[r] = backing[len(backing):]
		arcs := order[cnt[r]:cnt[r+1]]
		slices.SortFunc(arcs, func(x, y int32) int {
			ax, ay := p.Arcs[x], p.Arcs[y]
			return cmp.Or(cmp.Compare(b.cRank[ax.CHW], b.cRank[ay.CHW]), cmp.Compare(ax.Walk, ay.Walk), cmp.Compare(x, y))
		})
		last := int32(-1)
		for _, i := range arcs {
			c := b.cRank[p.Arcs[i].CHW]
			if c == last {
				continue // a duplicate: the shorter walk came first
			}
			last = c
			if b.lock[r] >= 0 && c != b.lock[r] {
				continue
			}
			b.addUnitArcs(int32(r), c, i)
		}
		if b.lock[r] >= 0 && len(b.unitArc[r]) == 0 {
			b.addArc(int32(r), int32(b.nu)+b.lock[r], Unbounded, kindLock, -1)
			b.unitArc[r] = append(b.unitArc[r], int32(len(b.kind)-1))
		}
		k := len(b.unitArc[r])
		b.unitArc[r] = b.unitArc[r][:k:k]
		backing = backing[:len(backing)+k]
		if b.lock[r] < 0 {
			b.unArc[r] = b.addArc(int32(r), int32(b.T), Unbounded, kindUnassigned, -1)
		} else {
			b.unArc[r] = -1
		}
	}
	b.chwArc = make([][3]int32, b.nc)
	for c := range b.nc {
		v := int32(b.nu + c)
		b.chwArc[c] = [3]int32{-1, -1, -1}
		if b.minL[c] > 0 {
			b.chwArc[c][0] = b.addArc(v, int32(b.T), b.minL[c], kindMinimum, -1)
		}
		if b.maxL[c] > b.minL[c] {
			b.chwArc[c][1] = b.addArc(v, int32(b.T), b.maxL[c]-b.minL[c], kindRest, -1)
		}
		b.chwArc[c][2] = b.addArc(v, int32(b.T), Unbounded, kindOverflow, -1)
	}
	net.layout()
	return b.setCosts()
}

// addUnitArcs adds the arcs of unit r to CHW c for candidate walk i: a
// stay arc for the households c serves today, and a move arc for the rest.
func (b *balancer) addUnitArcs(r, c, i int32) {
	v := int32(b.nu) + c
	var stay int64
	for _, s := range b.share[r] {
		if s.chw == c {
			stay = s.h
		}
	}
	if stay > 0 {
		capacity := stay
		if stay >= b.w[r] {
			capacity = Unbounded // the unit cannot send more anyway
		}
		b.unitArc[r] = append(b.unitArc[r], b.addArc(r, v, capacity, kindStay, i))
		if stay >= b.w[r] {
			return
		}
	}
	b.unitArc[r] = append(b.unitArc[r], b.addArc(r, v, Unbounded, kindCand, i))
}

func (b *balancer) addArc(from, to int32, upper int64, kind int8, ref int32) int32 {
	a := b.net.AddArc(int(from), int(to), 0, upper, 0)
	b.kind = append(b.kind, kind)
	b.ref = append(b.ref, ref)
	return int32(a)
}

// setCosts computes the tier weights for the current longest walk and sets
// every arc cost; the solver is told the potentials are bounded (tiers.go).
func (b *balancer) setCosts() error {
	wt, ok := foldWeights(b.nc, b.maxSec)
	if !ok {
		return fmt.Errorf("%w: walks up to %v s are too long to fold into the cost", ErrBadArc, b.maxSec)
	}
	if wt == b.wt {
		return nil
	}
	b.wt = wt
	for a := range b.kind {
		b.net.SetCost(a, b.arcCost(int32(a)))
	}
	b.net.trusted = true
	return nil
}

func (b *balancer) over(ref int32) bool {
	return b.p.MaxWalk > 0 && ref >= 0 && b.walks[ref] > b.p.MaxWalk
}

func (b *balancer) arcCost(a int32) int64 {
	wt := &b.wt
	switch b.kind[a] {
	case kindCand, kindStay, kindLock:
		r := b.net.src[b.net.nodeCount+int(a)]
		var c int64
		if ref := b.ref[a]; ref >= 0 {
			c = int64(math.Round(float64(b.walks[ref]) / wt.resolution))
			if b.over(ref) {
				c += wt.overWalk
			}
		}
		if b.kind[a] != kindStay && b.hasCur[r] {
			c += wt.move
		}
		return c
	case kindUnassigned:
		r := b.net.src[b.net.nodeCount+int(a)]
		if b.hasCur[r] {
			return wt.unassigned + wt.move
		}
		return wt.unassigned
	case kindMinimum:
		return -wt.underMin
	case kindRest:
		return 0
	default:
		return wt.overflow
	}
}

// widen asks More for arcs and adds the new ones; added is false when
// nothing new came (or nothing was asked).
func (b *balancer) widen() (added bool, err error) {
	flow := b.unitFlows()
	load := b.loads(flow)
	room := false
	for c := range b.nc {
		if load[c] < b.maxL[c] {
			room = true
		}
	}
	var req Request
	var askedUnits []int32
	if room {
		for r := range b.nu {
			if b.lock[r] < 0 && !b.exhausted[r] && b.net.Flow(int(b.unArc[r])) > 0 {
				askedUnits = append(askedUnits, int32(r))
				req.Units = append(req.Units, int(b.uOf[r]))
			}
		}
	}
	if b.p.WidenOverWalk && b.p.MaxWalk > 0 && b.overRounds < overWalkRounds {
		asked := len(askedUnits)
		askedUnits, req.Units = b.overWalkUnits(load, askedUnits, req.Units)
		if len(askedUnits) > asked {
			b.overRounds++
		}
	}
	var askedCHWs []int32
	if b.p.MaxWalk > 0 {
		for c := range b.nc {
			if !b.chwAsked[c] && load[c] < b.minL[c] {
				askedCHWs = append(askedCHWs, int32(c))
				req.CHWs = append(req.CHWs, int(b.cOf[c]))
			}
		}
		req.Within = b.p.MaxWalk
	}
	if len(req.Units) == 0 && len(req.CHWs) == 0 {
		return false, nil
	}
	b.rounds++
	arcs, err := b.p.More(req)
	if err != nil {
		return false, fmt.Errorf("catchment: more candidate arcs: %w", err)
	}
	for _, c := range askedCHWs {
		b.chwAsked[c] = true
	}
	gotUnit := make(map[int32]bool, len(askedUnits))
	// Canonical order, so that the network does not depend on the order
	// in which More returns the arcs.
	type key struct {
		r, c int32
		walk geo.Seconds
	}
	ks := make([]key, 0, len(arcs))
	for i, a := range arcs {
		if a.Unit < 0 || a.Unit >= b.nu || a.CHW < 0 || a.CHW >= b.nc {
			return false, fmt.Errorf("%w: widened arc %d joins unit %d and CHW %d, out of range", ErrBadArc, i, a.Unit, a.CHW)
		}
		if !(a.Walk >= 0) || math.IsInf(float64(a.Walk), 0) {
			return false, fmt.Errorf("%w: widened arc %d (unit %q, CHW %q): walk %v s", ErrBadArc, i, b.p.Units[a.Unit].ID, b.p.CHWs[a.CHW].ID, a.Walk)
		}
		ks = append(ks, key{b.uRank[a.Unit], b.cRank[a.CHW], a.Walk})
	}
	slices.SortFunc(ks, func(x, y key) int {
		return cmp.Or(cmp.Compare(x.r, y.r), cmp.Compare(x.c, y.c), cmp.Compare(x.walk, y.walk))
	})
	before := len(b.kind)
	for i, k := range ks {
		if i > 0 && ks[i-1].r == k.r && ks[i-1].c == k.c {
			continue
		}
		if b.lock[k.r] >= 0 || b.hasArc(k.r, k.c) {
			continue
		}
		b.walks = append(b.walks, k.walk)
		b.maxSec = max(b.maxSec, float64(k.walk))
		b.addUnitArcs(k.r, k.c, int32(len(b.walks)-1))
		gotUnit[k.r] = true
	}
	for _, r := range askedUnits {
		if !gotUnit[r] {
			b.exhausted[r] = true
		}
	}
	n := len(b.kind) - before
	b.widened += n
	if n == 0 {
		return false, nil
	}
	old := b.wt
	if err := b.setCosts(); err != nil {
		return false, err
	}
	if b.wt == old {
		for a := before; a < len(b.kind); a++ {
			b.net.SetCost(a, b.arcCost(int32(a)))
		}
	}
	return true, nil
}

// overWalkRounds bounds the rounds that widen units assigned beyond the
// walk limit (Problem.WidenOverWalk): on the national test instance a
// second round gained 14 households of 187,000 for 40 % more time.
const overWalkRounds = 1

// overWalkUnits appends the units assigned (partly) beyond the walk limit
// for which a CHW they have no arc to could do better: the reduced-cost
// test of the flow, with the cheapest such arc bounded below by the unit's
// farthest candidate (candidates are a prefix of the nearest) and the
// highest price of any CHW not short of its minimum (those get their own
// request). In a district where the CHWs near a household are all full,
// the household may do better at a farther CHW with room, freeing a place
// within the walk limit for someone else; only more candidates show it.
func (b *balancer) overWalkUnits(load []int64, asked []int32, ids []int) ([]int32, []int) {
	nn := b.net.NumNodes()
	pi, root := b.net.pi, b.net.pi[b.T]
	maxPrice := int64(math.MinInt64)
	for c := range b.nc {
		if load[c] >= b.minL[c] {
			maxPrice = max(maxPrice, pi[b.nu+c]-root)
		}
	}
	if maxPrice == math.MinInt64 {
		return asked, ids
	}
	for r := range b.nu {
		if b.lock[r] >= 0 || b.exhausted[r] || (b.unArc[r] >= 0 && b.net.Flow(int(b.unArc[r])) > 0) {
			continue // locked, no more arcs, or already asked as unassigned
		}
		over := false
		var far geo.Seconds
		for _, a := range b.unitArc[r] {
			ref := b.ref[a]
			if ref < 0 {
				continue
			}
			far = max(far, b.walks[ref])
			if b.net.flow[nn+int(a)] > 0 && b.over(ref) {
				over = true
			}
		}
		if !over {
			continue
		}
		lb := int64(math.Round(float64(far) / b.wt.resolution))
		if far > b.p.MaxWalk {
			lb += b.wt.overWalk
		}
		if b.hasCur[r] {
			lb += b.wt.move
		}
		if score := root - pi[r]; lb-maxPrice < score {
			asked = append(asked, int32(r))
			ids = append(ids, int(b.uOf[r]))
		}
	}
	return asked, ids
}

func (b *balancer) hasArc(r, c int32) bool {
	nn := b.net.NumNodes()
	for _, a := range b.unitArc[r] {
		if int(b.net.dst[nn+int(a)]) == b.nu+int(c) {
			return true
		}
	}
	return false
}

// unitFlows returns the flow of every arc.
func (b *balancer) unitFlows() []int64 {
	f := make([]int64, len(b.kind))
	for a := range f {
		f[a] = b.net.Flow(a)
	}
	return f
}

// loads returns the households assigned to each CHW rank.
func (b *balancer) loads(flow []int64) []int64 {
	load := make([]int64, b.nc)
	for c := range b.nc {
		for _, a := range b.chwArc[c] {
			if a >= 0 {
				load[c] += flow[a]
			}
		}
	}
	return load
}

// rankPart is a part of a unit by CHW rank, with its arc.
type rankPart struct {
	chw int32
	h   int64
	arc int32 // an arc of the unit to chw (for its walk), −1 if none
}

// parts returns, for each unit rank, its parts by CHW rank (merged over
// stay and move arcs) and its unassigned households as a part with chw −1.
func (b *balancer) parts() [][]rankPart {
	nn := b.net.NumNodes()
	out := make([][]rankPart, b.nu)
	for r := range b.nu {
		var ps []rankPart
		for _, a := range b.unitArc[r] {
			f := b.net.Flow(int(a))
			if f == 0 {
				continue
			}
			c := int32(int(b.net.dst[nn+int(a)]) - b.nu)
			if k := len(ps); k > 0 && ps[k-1].chw == c {
				ps[k-1].h += f
				continue
			}
			ps = append(ps, rankPart{chw: c, h: f, arc: a})
		}
		if b.unArc[r] >= 0 {
			if f := b.net.Flow(int(b.unArc[r])); f > 0 {
				ps = append(ps, rankPart{chw: -1, h: f, arc: -1})
			}
		}
		out[r] = ps
	}
	return out
}
