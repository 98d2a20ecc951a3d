package lastmile

import (
	"math"
	"os"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/household"
)

// round rounds x to n decimals, so outputs stay readable and stable.
func round(x float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(x*p) / p
}

// readPointsFile reads an id,lon,lat points CSV with the household
// reader's delimiter, BOM and encoding handling (household.ReadPoints).
func readPointsFile(name string) ([]district.NamedPoint, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pts, err := household.ReadPoints(name, f)
	if err != nil {
		return nil, err
	}
	out := make([]district.NamedPoint, len(pts))
	for i, p := range pts {
		out[i] = district.NamedPoint{ID: p.ID, Point: p.Point}
	}
	return out, nil
}
