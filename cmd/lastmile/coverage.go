package main

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/catchment"
	"github.com/lastmile-health/lastmile/geo"
)

// coverageMemoryLimit is the Go heap's soft limit during coverage (see
// runtime/debug.SetMemoryLimit); GOMEMLIMIT overrides it.
const coverageMemoryLimit = 3 << 30

// coverageCommand reports who is unserved or too far, per season.
func coverageCommand() *cli.Command {
	def := catchment.DefaultThresholds()
	return &cli.Command{
		Name:  "coverage",
		Usage: "coverage gaps: walking minutes to the nearest facility and from the CHW, flags, per season",
		UsageText: "lastmile coverage --gpkg district.gpkg [--season dry|wet] [--facility-walk MINUTES] [--remote-km KM]\n" +
			"                  [--chw-walk MINUTES] [--suggest N] [--suggest-facilities N] [--buildings FILE.osm]\n" +
			"                  [--map FILE.png] [--format text|json|csv]\n\n" +
			"Example:\n" +
			"   lastmile coverage --gpkg district.gpkg --suggest 3\n" +
			"   lastmile coverage --gpkg district.gpkg --format csv > coverage.csv",
		Description: "For every household: the walk to the nearest health facility (any facility in the\n" +
			"GeoPackage, inside the district or not), the straight line to it, and the walk from\n" +
			"the assigned CHW's home (lastmile assign), in every season the graph has. Flags, with\n" +
			"the thresholds of Liberia's community health policy as defaults: remote (beyond\n" +
			"--remote-km or --facility-walk from the nearest facility: the households a CHW is for),\n" +
			"far_from_facility (beyond --facility-walk; exactly the limit is within), far_from_chw\n" +
			"(beyond --chw-walk from the CHW's home), unassigned, unreachable (no facility on its path\n" +
			"network, or off the network), wet_season_loss, low_accuracy. Writes coverage_households,\n" +
			"isochrones (walking-time bands from facilities and CHW homes, 15/30/60/120 min), gap_areas\n" +
			"(clusters of unserved households) and the views coverage_by_chw, coverage_by_facility and\n" +
			"coverage_by_village (QGIS and ogrinfo list them). --suggest N proposes N new CHW homes\n" +
			"(at unserved households) that bring the most unserved people within --chw-walk, and\n" +
			"--suggest-facilities N health posts for the people beyond --facility-walk: a maximal\n" +
			"covering location problem solved by greedy, swaps and, when small, branch and bound,\n" +
			"with an upper bound on the optimum (suggested_chws, suggested_facilities). Prints the\n" +
			"district's summary, dry and wet side by side, the bands, the villages with the most\n" +
			"unserved households and the suggestions (--format json or csv: every group). --buildings\n" +
			"reads OpenStreetMap building outlines and lists those with no registered household\n" +
			"within 30 m (unregistered_structures, counted per catchment in coverage_by_chw): the\n" +
			"households the registration may have missed. --map draws an overview map (PNG, A4 at\n" +
			"150 dpi) with the hillshade, the dry season's bands to the nearest facility, gap areas,\n" +
			"unserved households, CHW homes, facilities and suggestions, a legend and a scale bar.",
		Flags: []cli.Flag{
			gpkgFlag(),
			&cli.StringFlag{Name: "season", Usage: "compute only `SEASON` (dry or wet); default every season the graph has"},
			&cli.Float64Flag{Name: "facility-walk", Value: def.FacilityWalk.Minutes(), Usage: "far from a facility beyond `MINUTES` of walking"},
			&cli.Float64Flag{Name: "remote-km", Value: float64(def.RemoteDistance) / 1000, Usage: "remote beyond `KM` (straight line) from every facility"},
			&cli.Float64Flag{Name: "chw-walk", Value: def.CHWWalk.Minutes(), Usage: "far from the CHW beyond `MINUTES` of walking from the CHW's home"},
			&cli.StringFlag{Name: "map", Usage: "draw the overview map (bands, gap areas, unserved households, suggestions) into `FILE.png`"},
			&cli.StringFlag{Name: "buildings", Usage: "OSM `FILE` with building outlines (usually the paths file): count the structures no household registered"},
			&cli.IntFlag{Name: "suggest", Usage: "propose `N` new CHW homes that bring the most unserved people within --chw-walk"},
			&cli.IntFlag{Name: "suggest-facilities", Usage: "propose `N` health-post sites that bring the most people within --facility-walk"},
			&cli.Float64Flag{Name: "gap-radius", Value: float64(lastmile.DefaultGapRadius), Usage: "gap areas: unserved households within `METRES` of each other"},
			&cli.IntFlag{Name: "gap-households", Value: lastmile.DefaultGapHouseholds, Usage: "gap areas: at least `N` such households"},
			formatFlag("json", "csv"),
		},
		Action: coverageAction,
	}
}

func coverageAction(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usagef("coverage takes no arguments: got %q", c.Args().Slice())
	}
	format, err := checkFormat(c, "json", "csv")
	if err != nil {
		return err
	}
	for _, f := range []string{"facility-walk", "remote-km", "chw-walk"} {
		if v := c.Float64(f); !(v > 0) || math.IsInf(v, 0) {
			return usagef("--%s %g: want a positive number", f, v)
		}
	}
	for _, f := range []string{"suggest", "suggest-facilities"} {
		if v := c.Int(f); v < 0 || v > 1000 {
			return usagef("--%s %d: want 0 to 1000 sites", f, v)
		}
	}
	if v := c.Float64("gap-radius"); !(v > 0) || v > 1e5 {
		return usagef("--gap-radius %g: want a positive number of metres", v)
	}
	if c.Int("gap-households") < 1 {
		return usagef("--gap-households %d: want at least 1", c.Int("gap-households"))
	}
	opts := lastmile.CoverageOptions{Map: c.String("map"), Buildings: c.String("buildings"), Suggest: c.Int("suggest"), SuggestFacilities: c.Int("suggest-facilities"),
		GapRadius: geo.Meters(c.Float64("gap-radius")), GapHouseholds: c.Int("gap-households"), Thresholds: catchment.Thresholds{
			FacilityWalk:   geo.Seconds(c.Float64("facility-walk") * 60),
			RemoteDistance: geo.Meters(c.Float64("remote-km") * 1000),
			CHWWalk:        geo.Seconds(c.Float64("chw-walk") * 60),
		}}
	if s := c.String("season"); s != "" {
		opts.Seasons = []string{s}
	}
	d, err := openDistrict(c)
	if err != nil {
		return err
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A national district's bands hold millions of Voronoi cells: a
		// soft limit makes the collector keep the heap near it rather
		// than let it grow to twice the live data (GOGC=100).
		debug.SetMemoryLimit(coverageMemoryLimit)
	}
	pw := progressWriter(c)
	opts.Progress = func(step string) { fmt.Fprintf(pw, "\r%-60s", step) }
	res, err := d.Coverage(c.Context, opts)
	fmt.Fprintf(pw, "\r%-60s\r", "")
	if err != nil {
		return fmt.Errorf("coverage: %w", err)
	}
	warn(c, res.Warnings)
	switch format {
	case "json":
		return writeJSON(c.App.Writer, coverageJSON(res))
	case "csv":
		return writeCoverageCSV(c.App.Writer, res)
	}
	_, err = io.WriteString(c.App.Writer, coverageText(res, d.Path))
	return err
}

// tallyJSON is one group's coverage in --format json and csv.
type tallyJSON struct {
	Key                 string   `json:"key,omitempty"`
	Households          int      `json:"households"`
	People              int      `json:"people"`
	Served              int      `json:"served"`
	ServedPeople        int      `json:"served_people"`
	Remote              int      `json:"remote"`
	RemotePeople        int      `json:"remote_people"`
	FarFromFacility     int      `json:"far_from_facility"`
	FarFromCHW          int      `json:"far_from_chw"`
	Unassigned          int      `json:"unassigned"`
	Unreachable         int      `json:"unreachable"`
	WetSeasonLoss       int      `json:"wet_season_loss"`
	LowAccuracy         int      `json:"low_accuracy"`
	MeanMinutesFacility *float64 `json:"mean_minutes_facility"`
	MaxMinutesFacility  *float64 `json:"max_minutes_facility"`
	MeanMinutesCHW      *float64 `json:"mean_minutes_chw"`
	MaxMinutesCHW       *float64 `json:"max_minutes_chw"`
	CHWsNeededMin       int      `json:"chws_needed_min"`
	CHWsNeededMax       int      `json:"chws_needed_max"`
	CHWsNeededPeople    int      `json:"chws_needed_people"`
}

func tallyOut(key string, t catchment.Tally, n catchment.Norm) tallyJSON {
	opt := func(s catchment.Stat, max bool) *float64 {
		if s.N == 0 {
			return nil
		}
		v := s.Mean()
		if max {
			v = s.Max
		}
		v = math.Round(v*1000) / 1000
		return &v
	}
	lo, hi, byPeople := t.CHWsNeeded(n)
	return tallyJSON{Key: key, Households: t.Households, People: t.People, Served: t.Served, ServedPeople: t.ServedPeople,
		Remote: t.Remote, RemotePeople: t.RemotePeople, FarFromFacility: t.FarFromFacility, FarFromCHW: t.FarFromCHW,
		Unassigned: t.Unassigned, Unreachable: t.Unreachable, WetSeasonLoss: t.WetSeasonLoss, LowAccuracy: t.LowAccuracy,
		MeanMinutesFacility: opt(t.FacilityMinutes, false), MaxMinutesFacility: opt(t.FacilityMinutes, true),
		MeanMinutesCHW: opt(t.CHWMinutes, false), MaxMinutesCHW: opt(t.CHWMinutes, true),
		CHWsNeededMin: lo, CHWsNeededMax: hi, CHWsNeededPeople: byPeople}
}

type seasonJSON struct {
	Season     string      `json:"season"`
	District   tallyJSON   `json:"district"`
	Villages   []tallyJSON `json:"villages"`
	CHWs       []tallyJSON `json:"chws"`
	Facilities []tallyJSON `json:"facilities"`
}

type coverageSummary struct {
	Thresholds struct {
		FacilityMinutes float64 `json:"facility_walk_minutes"`
		RemoteKm        float64 `json:"remote_km"`
		CHWMinutes      float64 `json:"chw_walk_minutes"`
	} `json:"thresholds"`
	Seasons             []seasonJSON     `json:"seasons"`
	GapAreas            []gapJSON        `json:"gap_areas"`
	SuggestedCHWs       *suggestionsJSON `json:"suggested_chws,omitempty"`
	SuggestedFacilities *suggestionsJSON `json:"suggested_facilities,omitempty"`
	Structures          *structuresJSON  `json:"structures,omitempty"`
}

type structuresJSON struct {
	File         string         `json:"file"`
	Buildings    int            `json:"buildings_in_area"`
	Unregistered int            `json:"unregistered"`
	ByCHW        map[string]int `json:"unregistered_by_chw"`
}

type gapJSON struct {
	ID                  int     `json:"gap_id"`
	Season              string  `json:"season"`
	Households          int     `json:"households"`
	People              int     `json:"people"`
	Remote              int     `json:"remote"`
	AreaKm2             float64 `json:"area_km2"`
	MeanMinutesFacility float64 `json:"mean_minutes_facility"`
}

type suggestionJSON struct {
	Rank       int     `json:"rank"`
	Household  string  `json:"household_id"`
	Lon        float64 `json:"lon"`
	Lat        float64 `json:"lat"`
	Households int     `json:"households"`
	People     int     `json:"people"`
	Cumulative int     `json:"cumulative_people"`
}

type suggestionsJSON struct {
	Season           string           `json:"season"`
	LimitMinutes     float64          `json:"limit_minutes"`
	DemandHouseholds int              `json:"demand_households"`
	DemandPeople     int              `json:"demand_people"`
	Candidates       int              `json:"candidates"`
	Sites            []suggestionJSON `json:"sites"`
	Covered          int              `json:"covered_people"`
	Bound            int              `json:"bound_people"`
	Optimal          bool             `json:"optimal"`
	Method           string           `json:"bound_method"`
}

func suggestionsOut(s *lastmile.Suggestions) *suggestionsJSON {
	if s == nil {
		return nil
	}
	out := &suggestionsJSON{Season: s.Season, LimitMinutes: s.Limit.Minutes(), DemandHouseholds: s.DemandHouseholds,
		DemandPeople: s.DemandPeople, Candidates: s.Candidates, Covered: s.Covered, Bound: s.Bound, Optimal: s.Optimal, Method: s.Method,
		Sites: []suggestionJSON{}}
	for _, x := range s.Sites {
		out.Sites = append(out.Sites, suggestionJSON{Rank: x.Rank, Household: string(x.Household), Lon: x.Point[0], Lat: x.Point[1],
			Households: x.Households, People: x.People, Cumulative: x.Cumulative})
	}
	return out
}

func coverageJSON(r *lastmile.CoverageResult) coverageSummary {
	var out coverageSummary
	out.Thresholds.FacilityMinutes = r.Thresholds.FacilityWalk.Minutes()
	out.Thresholds.RemoteKm = r.Thresholds.RemoteDistance.Kilometers()
	out.Thresholds.CHWMinutes = r.Thresholds.CHWWalk.Minutes()
	groups := func(gs []lastmile.GroupTally) []tallyJSON {
		out := make([]tallyJSON, len(gs))
		for i, g := range gs {
			out[i] = tallyOut(g.Key, g.Tally, r.Norm)
		}
		return out
	}
	for _, s := range r.Seasons {
		out.Seasons = append(out.Seasons, seasonJSON{Season: s.Season, District: tallyOut("", s.District, r.Norm),
			Villages: groups(s.ByVillage), CHWs: groups(s.ByCHW), Facilities: groups(s.ByFacility)})
	}
	out.GapAreas = []gapJSON{}
	for _, g := range r.GapAreas {
		out.GapAreas = append(out.GapAreas, gapJSON{ID: g.ID, Season: g.Season, Households: g.Households, People: g.People,
			Remote: g.Remote, AreaKm2: g.AreaKm2, MeanMinutesFacility: math.Round(g.MeanMinutesFacility*1000) / 1000})
	}
	out.SuggestedCHWs, out.SuggestedFacilities = suggestionsOut(r.SuggestedCHWs), suggestionsOut(r.SuggestedFacilities)
	if st := r.Structures; st != nil {
		out.Structures = &structuresJSON{File: st.File, Buildings: st.InArea, Unregistered: st.Unregistered, ByCHW: map[string]int{}}
		for k, v := range st.ByCHW {
			out.Structures.ByCHW[string(k)] = v
		}
	}
	return out
}

// writeCoverageCSV writes one row per season and group (district, village,
// chw, facility).
func writeCoverageCSV(w io.Writer, r *lastmile.CoverageResult) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"season", "level", "key", "households", "people", "served", "served_people", "remote", "remote_people",
		"far_from_facility", "far_from_chw", "unassigned", "unreachable", "wet_season_loss", "low_accuracy",
		"mean_minutes_facility", "max_minutes_facility", "mean_minutes_chw", "max_minutes_chw",
		"chws_needed_min", "chws_needed_max", "chws_needed_people"})
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	row := func(season, level string, t tallyJSON) {
		ints := []int{t.Households, t.People, t.Served, t.ServedPeople, t.Remote, t.RemotePeople, t.FarFromFacility, t.FarFromCHW,
			t.Unassigned, t.Unreachable, t.WetSeasonLoss, t.LowAccuracy}
		rec := []string{season, level, t.Key}
		for _, v := range ints {
			rec = append(rec, strconv.Itoa(v))
		}
		rec = append(rec, num(t.MeanMinutesFacility), num(t.MaxMinutesFacility), num(t.MeanMinutesCHW), num(t.MaxMinutesCHW),
			strconv.Itoa(t.CHWsNeededMin), strconv.Itoa(t.CHWsNeededMax), strconv.Itoa(t.CHWsNeededPeople))
		cw.Write(rec)
	}
	for _, s := range coverageJSON(r).Seasons {
		row(s.Season, "district", s.District)
		for _, lv := range []struct {
			name string
			ts   []tallyJSON
		}{{"village", s.Villages}, {"chw", s.CHWs}, {"facility", s.Facilities}} {
			for _, t := range lv.ts {
				row(s.Season, lv.name, t)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// coverageText is the readable summary: the district, seasons side by
// side, then the villages with the most unserved households.
func coverageText(r *lastmile.CoverageResult, path string) string {
	var b strings.Builder
	th := r.Thresholds
	if len(r.Seasons) == 0 {
		return "coverage: no season computed\n"
	}
	d0 := r.Seasons[0].District
	fmt.Fprintf(&b, "coverage of %s: %s households, %s people\n", path, thousands(d0.Households), thousands(d0.People))
	fmt.Fprintf(&b, "thresholds: facility %g min or %g km (remote), CHW %g min; norm %d–%d households or %d people per CHW\n\n",
		th.FacilityWalk.Minutes(), th.RemoteDistance.Kilometers(), th.CHWWalk.Minutes(), r.Norm.MinHouseholds, r.Norm.MaxHouseholds, r.Norm.People)
	tw := &textTable{}
	head := []string{""}
	for _, s := range r.Seasons {
		head = append(head, s.Season)
	}
	tw.row(head...)
	pct := func(n, of int) string {
		if of == 0 {
			return thousands(n)
		}
		return fmt.Sprintf("%s (%.1f %%)", thousands(n), 100*float64(n)/float64(of))
	}
	line := func(label string, f func(t catchment.Tally) string) {
		cells := []string{label}
		for _, s := range r.Seasons {
			cells = append(cells, f(s.District))
		}
		tw.row(cells...)
	}
	mm := func(s catchment.Stat) string {
		if s.N == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f / %.1f", s.Mean(), s.Max)
	}
	line(fmt.Sprintf("served by their CHW (≤ %g min)", th.CHWWalk.Minutes()), func(t catchment.Tally) string { return pct(t.Served, t.Households) })
	line("  people served", func(t catchment.Tally) string { return pct(t.ServedPeople, t.People) })
	line("unassigned", func(t catchment.Tally) string { return thousands(t.Unassigned) })
	line(fmt.Sprintf("far from their CHW (> %g min)", th.CHWWalk.Minutes()), func(t catchment.Tally) string { return thousands(t.FarFromCHW) })
	line(fmt.Sprintf("far from a facility (> %g min)", th.FacilityWalk.Minutes()), func(t catchment.Tally) string { return pct(t.FarFromFacility, t.Households) })
	line("  of them no facility reachable", func(t catchment.Tally) string { return thousands(t.Unreachable) })
	line(fmt.Sprintf("remote (> %g km or > %g min)", th.RemoteDistance.Kilometers(), th.FacilityWalk.Minutes()), func(t catchment.Tally) string { return pct(t.Remote, t.Households) })
	line("  people in remote households", func(t catchment.Tally) string { return thousands(t.RemotePeople) })
	line(fmt.Sprintf("CHWs needed for them (%d–%d hh)", r.Norm.MinHouseholds, r.Norm.MaxHouseholds), func(t catchment.Tally) string {
		lo, hi, p := t.CHWsNeeded(r.Norm)
		return fmt.Sprintf("%s–%s (%s by people)", thousands(lo), thousands(hi), thousands(p))
	})
	line("minutes to facility, mean / max", func(t catchment.Tally) string { return mm(t.FacilityMinutes) })
	line("minutes from CHW, mean / max", func(t catchment.Tally) string { return mm(t.CHWMinutes) })
	if len(r.Seasons) > 1 {
		line("lost in the wet season", func(t catchment.Tally) string { return thousands(t.WetSeasonLoss) })
	}
	line("low GPS accuracy", func(t catchment.Tally) string { return thousands(t.LowAccuracy) })
	b.WriteString(tw.String())
	if len(r.Isochrones) > 0 {
		fmt.Fprintf(&b, "\nhouseholds per walking-time band (isochrones layer):\n")
		bt := &textTable{}
		bt.row("band (min)", "to a facility", "from a CHW")
		type key struct {
			season   string
			min, max float64
		}
		n := map[key][2]int{}
		var keys []key
		for _, x := range r.Isochrones {
			k := key{x.Season, x.BandMin, x.BandMax}
			c, seen := n[k]
			if !seen {
				keys = append(keys, k)
			}
			if x.SourceKind == lastmile.SourceFacility {
				c[0] = x.Households
			} else {
				c[1] = x.Households
			}
			n[k] = c
		}
		slices.SortStableFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.season, b.season), cmp.Compare(a.min, b.min)) })
		for _, k := range keys {
			label := fmt.Sprintf("%g–%g", k.min, k.max)
			if len(r.Seasons) > 1 {
				label = k.season + " " + label
			}
			bt.row(label, thousands(n[k][0]), thousands(n[k][1]))
		}
		b.WriteString(bt.String())
	}

	if len(r.GapAreas) > 0 || len(r.Seasons) > 0 {
		gt := map[string][3]int{}
		for _, g := range r.GapAreas {
			x := gt[g.Season]
			gt[g.Season] = [3]int{x[0] + 1, x[1] + g.Households, x[2] + g.People}
		}
		b.WriteString("\ngap areas (gap_areas layer):")
		for _, s := range r.Seasons {
			x := gt[s.Season]
			fmt.Fprintf(&b, " %s %s areas, %s households, %s people;", s.Season, thousands(x[0]), thousands(x[1]), thousands(x[2]))
		}
		b.WriteString("\n")
	}
	if st := r.Structures; st != nil {
		fmt.Fprintf(&b, "\nmapped buildings (%s): %s in the district, %s with no registered household within %g m (unregistered_structures)",
			st.File, thousands(st.InArea), thousands(st.Unregistered), float64(lastmile.UnregisteredDistance))
		if d0.Households > 0 {
			fmt.Fprintf(&b, ": up to %.1f %% more households than registered", 100*float64(st.Unregistered)/float64(d0.Households))
		}
		b.WriteString("\n")
	}
	for _, sg := range []*lastmile.Suggestions{r.SuggestedCHWs, r.SuggestedFacilities} {
		if sg != nil {
			b.WriteString(suggestionsText(sg))
		}
	}

	// Villages with the most unserved households in the last season
	// computed (the wet one when both are).
	last := r.Seasons[len(r.Seasons)-1]
	vs := slices.Clone(last.ByVillage)
	slices.SortStableFunc(vs, func(a, b lastmile.GroupTally) int {
		return (b.Households - b.Served) - (a.Households - a.Served)
	})
	vs = vs[:min(len(vs), 10)]
	if len(vs) > 0 && vs[0].Households > vs[0].Served {
		fmt.Fprintf(&b, "\nvillages with the most unserved households (%s season; all in coverage_by_village):\n", last.Season)
		vt := &textTable{}
		vt.row("village", "households", "unserved", "remote", "CHWs needed", "min to facility")
		for _, v := range vs {
			if v.Households == v.Served {
				break
			}
			name := v.Key
			if name == "" {
				name = "(no village)"
			}
			lo, hi, _ := v.CHWsNeeded(r.Norm)
			vt.row(name, thousands(v.Households), thousands(v.Households-v.Served), thousands(v.Remote), thousands(lo)+"–"+thousands(hi), mm(v.FacilityMinutes))
		}
		b.WriteString(vt.String())
	}
	return b.String()
}

// textTable lays out rows in columns: the first left-aligned, the others
// right-aligned.
type textTable struct{ rows [][]string }

func (t *textTable) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *textTable) String() string {
	var w []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(w) {
				w = append(w, 0)
			}
			w[i] = max(w[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			pad := strings.Repeat(" ", w[i]-len([]rune(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("   " + pad + c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// thousands formats n with thousands separators (1,234,567).
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// suggestionsText prints the suggested sites with the people each newly
// covers, and the bound.
func suggestionsText(s *lastmile.Suggestions) string {
	var b strings.Builder
	what, layer, demand := "CHW homes", "suggested_chws", "unserved"
	if s.Kind == lastmile.SourceFacility {
		what, layer, demand = "health posts", "suggested_facilities", "far from a facility"
	}
	fmt.Fprintf(&b, "\nsuggested %s (%s season, within %g min; %s layer; %s candidate homes):\n", what, s.Season, s.Limit.Minutes(), layer, thousands(s.Candidates))
	if len(s.Sites) == 0 {
		fmt.Fprintf(&b, "  none: no %s household on the walking graph\n", demand)
		return b.String()
	}
	t := &textTable{}
	t.row("rank", "home of household", "households", "people", "cumulative")
	for _, x := range s.Sites {
		t.row(strconv.Itoa(x.Rank), string(x.Household), thousands(x.Households), thousands(x.People), thousands(x.Cumulative))
	}
	b.WriteString(t.String())
	fmt.Fprintf(&b, "they reach %s of the %s people %s (%s households)", thousands(s.Covered), thousands(s.DemandPeople), demand, thousands(s.DemandHouseholds))
	sites := fmt.Sprintf("no %d sites reach", len(s.Sites))
	if len(s.Sites) == 1 {
		sites = "no other site reaches"
	}
	if s.Optimal {
		fmt.Fprintf(&b, "; %s more (optimal, proven by %s)\n", sites, s.Method)
	} else {
		gap := 0.0
		if s.Covered > 0 {
			gap = 100 * float64(s.Bound-s.Covered) / float64(s.Covered)
		}
		fmt.Fprintf(&b, "; %s more than %s (%s bound: within %.1f %% of the optimum)\n", sites, thousands(s.Bound), s.Method, gap)
	}
	return b.String()
}
