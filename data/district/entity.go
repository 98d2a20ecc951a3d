package district

import (
	"time"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/paulmach/orb"
)

// Household is one row of the households layer.
type Household struct {
	ID HouseholdID
	// Point is the home's location (lon/lat).
	Point orb.Point
	// Members is the number of people; 0 when unknown.
	Members int
	// Head and Phone are personal: empty when ingested with --no-personal.
	Head, Phone string
	Village     string
	Submitted   time.Time // zero when unknown
	// Accuracy is the GPS accuracy; 0 when unknown.
	Accuracy geo.Meters
	Flags    []string
}

// CHW is one row of the chws layer.
type CHW struct {
	ID    CHWID
	Point orb.Point // home
	// Name is personal: empty when ingested with --no-personal.
	Name     string
	Facility FacilityID
	// Capacity is the most households the CHW serves; 0 means the
	// program default.
	Capacity int
	// Active is false only when the roster says so; a missing value is
	// active.
	Active   bool
	Accuracy geo.Meters
	Flags    []string
}

// Facility is one row of the facilities layer.
type Facility struct {
	ID       FacilityID
	Point    orb.Point
	Name     string
	Type     string
	Accuracy geo.Meters
	Flags    []string
}
