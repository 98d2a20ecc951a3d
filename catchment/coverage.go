package catchment

import (
	"math"

	"github.com/lastmile-health/lastmile/geo"
)

// Coverage flags, in the order Flags lists them.
const (
	// FlagRemote: beyond the policy's distance or time from the nearest
	// facility, or no facility reachable (the households a CHW is for).
	FlagRemote = "remote"
	// FlagFarFromFacility: the nearest facility is more than
	// Thresholds.FacilityWalk away on foot, or none is reachable.
	FlagFarFromFacility = "far_from_facility"
	// FlagFarFromCHW: assigned, but more than Thresholds.CHWWalk from the
	// CHW's home, or unreachable from it.
	FlagFarFromCHW = "far_from_chw"
	// FlagUnassigned: no CHW serves the household.
	FlagUnassigned = "unassigned"
	// FlagUnreachable: no facility can be walked to (Access.Unreachable
	// says why).
	FlagUnreachable = "unreachable"
	// FlagWetSeasonLoss: within a threshold in the dry season, beyond it in
	// the wet (set on the wet season's flags only).
	FlagWetSeasonLoss = "wet_season_loss"
	// FlagLowAccuracy: the household's GPS fix was poor (from ingest).
	FlagLowAccuracy = "low_accuracy"
)

// Unreachable reasons.
const (
	// UnreachableOffNetwork: farther than the snap limit from every path.
	UnreachableOffNetwork = "off_network"
	// UnreachableNoPath: no facility on the household's path network.
	UnreachableNoPath = "no_path"
	// UnreachableAcrossWater: only water separates the household from
	// every facility (a graph with a terrain lattice covers the land), or
	// every path near it lies across a river.
	UnreachableAcrossWater = "across_water"
)

// Thresholds are the limits behind the flags. The defaults are Liberia's
// community health policy: a community is remote, and gets a community
// health assistant, when it is more than 5 km or an hour's walk from the
// nearest health facility; a CHW's households should be within half an
// hour's walk of the CHW's home.
type Thresholds struct {
	// FacilityWalk: households walking longer are far_from_facility (and
	// remote). Exactly FacilityWalk is within.
	FacilityWalk geo.Seconds
	// RemoteDistance: households farther (straight line) from every
	// facility are remote.
	RemoteDistance geo.Meters
	// CHWWalk: assigned households farther from the CHW's home are
	// far_from_chw.
	CHWWalk geo.Seconds
}

// DefaultThresholds returns the policy's thresholds: 60 minutes and 5 km
// to a facility, 30 minutes from the CHW.
func DefaultThresholds() Thresholds {
	return Thresholds{FacilityWalk: 60 * 60, RemoteDistance: 5000, CHWWalk: 30 * 60}
}

// Access is what is known about one household in one season.
type Access struct {
	// FacilityWalk is the walk to the nearest facility; FacilityOK false
	// when none can be reached (Unreachable says why).
	FacilityWalk geo.Seconds
	FacilityOK   bool
	Unreachable  string
	// NearestFacility is the straight line to the nearest facility (as the
	// crow flies); 0 with NoFacilities.
	NearestFacility geo.Meters
	NoFacilities    bool
	// Assigned is true when a CHW serves the household; CHWWalk is the
	// walk from that CHW's home, CHWOK false when there is none.
	Assigned    bool
	CHWWalk     geo.Seconds
	CHWOK       bool
	LowAccuracy bool
}

// FarFromFacility reports whether a is beyond the facility walk, or has no
// reachable facility.
func (t Thresholds) FarFromFacility(a Access) bool {
	return !a.FacilityOK || beyond(a.FacilityWalk, t.FacilityWalk)
}

// beyond reports whether walk exceeds limit at the routing engine's
// resolution, whole milliseconds: a walk of exactly the limit is within,
// whatever rounding a conversion from minutes left in either.
func beyond(walk, limit geo.Seconds) bool {
	return math.Round(float64(walk)*1000) > math.Round(float64(limit)*1000)
}

// Remote reports the policy's eligibility: beyond the distance or the walk
// from the nearest facility.
func (t Thresholds) Remote(a Access) bool {
	return t.FarFromFacility(a) || a.NoFacilities || a.NearestFacility > t.RemoteDistance
}

// Served reports whether a CHW serves a within the CHW walk.
func (t Thresholds) Served(a Access) bool {
	return a.Assigned && a.CHWOK && !beyond(a.CHWWalk, t.CHWWalk)
}

// Flags returns a's flags in the order of the Flag constants
// (wet_season_loss excepted: see WetLoss).
func (t Thresholds) Flags(a Access) []string {
	var f []string
	if t.Remote(a) {
		f = append(f, FlagRemote)
	}
	if t.FarFromFacility(a) {
		f = append(f, FlagFarFromFacility)
	}
	if a.Assigned && !t.Served(a) {
		f = append(f, FlagFarFromCHW)
	}
	if !a.Assigned {
		f = append(f, FlagUnassigned)
	}
	if !a.FacilityOK {
		f = append(f, FlagUnreachable)
	}
	if a.LowAccuracy {
		f = append(f, FlagLowAccuracy)
	}
	return f
}

// WetLoss reports whether a household within the facility walk or served
// by its CHW in the dry season loses that in the wet.
func (t Thresholds) WetLoss(dry, wet Access) bool {
	return (!t.FarFromFacility(dry) && t.FarFromFacility(wet)) || (t.Served(dry) && !t.Served(wet))
}

// WetFlags returns the wet season's flags: Flags(wet), with
// wet_season_loss inserted in its place when WetLoss(dry, wet).
func (t Thresholds) WetFlags(dry, wet Access) []string {
	f := t.Flags(wet)
	if !t.WetLoss(dry, wet) {
		return f
	}
	i := len(f)
	if len(f) > 0 && f[len(f)-1] == FlagLowAccuracy {
		i--
	}
	return append(f[:i], append([]string{FlagWetSeasonLoss}, f[i:]...)...)
}

// Tally sums coverage over a group of households (a village, a CHW's
// catchment, the district) in one season.
type Tally struct {
	Households, People int
	// Served households are assigned and within the CHW walk.
	Served, ServedPeople int
	// Remote households meet the policy's eligibility.
	Remote, RemotePeople int
	FarFromFacility      int
	FarFromCHW           int
	Unassigned           int
	Unreachable          int
	WetSeasonLoss        int
	LowAccuracy          int
	// Walking minutes to the facility and from the CHW, over the
	// households that have them.
	FacilityMinutes, CHWMinutes Stat
}

// Stat is a running mean and maximum.
type Stat struct {
	N        int
	Sum, Max float64
}

// Add adds x.
func (s *Stat) Add(x float64) {
	s.N++
	s.Sum += x
	s.Max = math.Max(s.Max, x)
}

// Mean returns the mean, NaN when empty.
func (s Stat) Mean() float64 {
	if s.N == 0 {
		return math.NaN()
	}
	return s.Sum / float64(s.N)
}

// Add counts one household with members people, its access and flags.
func (c *Tally) Add(t Thresholds, a Access, wetLoss bool, members int) {
	c.Households++
	c.People += members
	if t.Served(a) {
		c.Served++
		c.ServedPeople += members
	}
	if t.Remote(a) {
		c.Remote++
		c.RemotePeople += members
	}
	if t.FarFromFacility(a) {
		c.FarFromFacility++
	}
	if a.Assigned && !t.Served(a) {
		c.FarFromCHW++
	}
	if !a.Assigned {
		c.Unassigned++
	}
	if !a.FacilityOK {
		c.Unreachable++
	}
	if wetLoss {
		c.WetSeasonLoss++
	}
	if a.LowAccuracy {
		c.LowAccuracy++
	}
	if a.FacilityOK {
		c.FacilityMinutes.Add(a.FacilityWalk.Minutes())
	}
	if a.Assigned && a.CHWOK {
		c.CHWMinutes.Add(a.CHWWalk.Minutes())
	}
}

// Norm is the program norm behind CHWsNeeded: Liberia's community health
// policy has one community health assistant per 40–60 households, or
// about 350 people.
type Norm struct {
	MinHouseholds, MaxHouseholds, People int
}

// DefaultNorm returns 40–60 households or 350 people per CHW.
func DefaultNorm() Norm { return Norm{MinHouseholds: 40, MaxHouseholds: 60, People: 350} }

// CHWsNeeded returns how many CHWs the remote households need at the norm:
// at most MaxHouseholds each (fewest), at least MinHouseholds each (most),
// and by people.
func (c Tally) CHWsNeeded(n Norm) (fewest, most, byPeople int) {
	up := func(a, b int) int {
		if b <= 0 {
			return 0
		}
		return (a + b - 1) / b
	}
	return up(c.Remote, n.MaxHouseholds), up(c.Remote, n.MinHouseholds), up(c.RemotePeople, n.People)
}
