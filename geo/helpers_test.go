package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

func sortPoints(p []orb.Point) {
	slices.SortFunc(p, func(a, b orb.Point) int {
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		if a[1] < b[1] {
			return -1
		}
		if a[1] > b[1] {
			return 1
		}
		return 0
	})
}
