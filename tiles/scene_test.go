package tiles_test

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/tiles"
)

// hill is an analytic elevation model: a Gaussian hill of 400 m on a plain
// at 100 m, centred at (lon0, lat0), about 2 km wide.
type hill struct{ lon0, lat0 float64 }

func (h hill) Elevation(p orb.Point) (float64, bool) {
	dx := (p[0] - h.lon0) * 111_195 * math.Cos(h.lat0*math.Pi/180)
	dy := (p[1] - h.lat0) * 111_195
	return 100 + 400*math.Exp(-(dx*dx+dy*dy)/(2*1500*1500)), true
}

// testScene is a small hand-made district of about 6 × 5 km around
// 7.5° N, 9.5° W with one of everything the renderer draws.
func testScene() *tiles.Scene {
	lon0, lat0 := -9.5, 7.5
	at := func(dx, dy float64) orb.Point { // km east, km north
		return orb.Point{lon0 + dx/(111.195*math.Cos(lat0*math.Pi/180)), lat0 + dy/111.195}
	}
	square := func(x0, y0, x1, y1 float64) orb.Polygon {
		return orb.Polygon{{at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)}}
	}
	line := func(pts ...[2]float64) orb.LineString {
		var l orb.LineString
		for _, p := range pts {
			l = append(l, at(p[0], p[1]))
		}
		return l
	}
	s := &tiles.Scene{
		StudyArea:     orb.MultiPolygon{square(-3, -2.5, 3, 2.5)},
		Elevation:     hill{lon0 + 0.005, lat0 + 0.005},
		ElevationStep: 90,
		ElevationID:   "hill",
		WaterAreas:    []orb.MultiPolygon{{square(1.8, -2.2, 2.6, -1.4)}},
		Streams:       []tiles.Stream{{Line: line([2]float64{-3, -1}, [2]float64{0, -1.3}, [2]float64{2, -1.6}), Order: 2}},
		Paths: []tiles.Path{
			{Line: line([2]float64{-3, 0}, [2]float64{3, 0.2}), Class: "unclassified"},
			{Line: line([2]float64{-1, 0}, [2]float64{-1, -1.3}), Class: "track", Crossing: "bridge"},
			{Line: line([2]float64{-1, -1.3}, [2]float64{-1.2, -2.4}), Class: "track"},
			{Line: line([2]float64{1, 0.15}, [2]float64{0.2, 1.5}, [2]float64{-1.5, 2}), Class: "path"},
			{Line: line([2]float64{1, 0.15}, [2]float64{1.5, -1.4}), Class: "footway", Crossing: "ford"},
		},
		Catchments: []tiles.Catchment{
			{CHW: "CHW-1", Area: orb.MultiPolygon{square(-3, -2.5, 0, 2.5)}},
			{CHW: "CHW-2", Area: orb.MultiPolygon{square(0, -2.5, 3, 2.5)}},
		},
		CHWs:       []tiles.CHW{{ID: "CHW-1", Point: at(-1.3, 0.3)}, {ID: "CHW-2", Point: at(1.4, 0.5)}},
		Facilities: []tiles.Facility{{ID: "FAC-1", Name: "Gbarnga Clinic", Point: at(0.3, -0.3)}},
		Villages: []tiles.Village{
			{Name: "Kpɔ̀lu", Point: at(-1.6, 0.8), Households: 8},
			{Name: "Zorzor", Point: at(1.6, 1.1), Households: 6},
		},
		Isochrones: []tiles.Band{
			{Area: orb.MultiPolygon{square(-0.5, -1, 1, 0.6)}, Min: 0, Max: 15, Index: 0, Of: 2},
			{Area: orb.MultiPolygon{square(-1.5, -1.8, 2, 1.2)}, Min: 15, Max: 30, Index: 1, Of: 2},
		},
		Gaps:      []tiles.Gap{{Area: orb.MultiPolygon{square(2, 1.2, 2.9, 2.3)}, Households: 3}},
		Suggested: []orb.Point{at(2.45, 1.75)},
		Routes:    []tiles.Route{{CHW: "CHW-2", Day: 1, Line: line([2]float64{1.4, 0.5}, [2]float64{1.8, 0.9}, [2]float64{1.3, 1.3})}},
	}
	for i := range 8 {
		a := float64(i) * math.Pi / 4
		s.Households = append(s.Households, tiles.Household{ID: fmt.Sprintf("H-%d", i), Point: at(-1.6+0.35*math.Cos(a), 0.6+0.25*math.Sin(a)), CHW: "CHW-1"})
	}
	for i := range 6 {
		s.Households = append(s.Households, tiles.Household{ID: fmt.Sprintf("H-%d", 10+i), Point: at(1.5+0.12*float64(i), 1.0+0.1*float64(i%2)), CHW: "CHW-2"})
	}
	s.Households = append(s.Households, tiles.Household{ID: "H-99", Point: at(2.45, 1.5)})
	for i, p := range []orb.Point{at(1.8, 0.9), at(1.3, 1.3)} {
		s.Stops = append(s.Stops, tiles.Stop{CHW: "CHW-2", Day: 1, Seq: i + 1, Point: p, Label: fmt.Sprint(i + 1)})
	}
	return s
}
