package osmnet

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/osm"
)

// walkableHighway lists the highway=* values a person may walk along when no
// other tag forbids it. Motorways and trunks are absent: they need an
// explicit foot=yes|designated|permissive (see footAllowed).
var walkableHighway = map[string]bool{
	"path": true, "footway": true, "track": true, "bridleway": true, "steps": true,
	"pedestrian": true, "living_street": true, "residential": true, "service": true,
	"unclassified": true, "tertiary": true, "tertiary_link": true,
	"secondary": true, "secondary_link": true, "primary": true, "primary_link": true,
	"cycleway": true, // walkers use them unless foot=no
	"road":     true, // unknown class: walkable until mapped better
	"corridor": true, // indoor passages join the outdoor network at buildings
}

// motorHighway are roads where walking is forbidden by default in most
// countries.
var motorHighway = map[string]bool{
	"motorway": true, "motorway_link": true, "trunk": true, "trunk_link": true,
}

// footAllowed reports whether foot=* explicitly grants access.
func footAllowed(foot string) bool {
	switch foot {
	case "yes", "designated", "permissive":
		return true
	}
	return false
}

// isYes reports whether a tag value is present and not "no": bridge=viaduct,
// ford=stepping_stones and tunnel=building_passage all count.
func isYes(v string) bool { return v != "" && v != "no" }

// walkable reports whether a way with these tags belongs to the walking
// network. The rules are documented in doc.go.
func walkable(tags osm.Tags) (highway string, ok bool) {
	highway = tags.Find("highway")
	if highway == "" {
		return "", false
	}
	foot := tags.Find("foot")
	switch {
	case foot == "no" || foot == "private" || foot == "use_sidepath":
		return highway, false
	case footAllowed(foot):
		return highway, walkableHighway[highway] || motorHighway[highway]
	case !walkableHighway[highway]:
		return highway, false
	}
	switch tags.Find("access") {
	case "no", "private":
		return highway, false
	}
	return highway, true
}

// waterwayKinds are the linear waterway=* values kept as Waterways.
var waterwayKinds = map[string]bool{
	"river": true, "stream": true, "canal": true, "ditch": true, "drain": true,
}

// waterAreaKind returns the WaterArea kind for area tags, or "".
func waterAreaKind(tags osm.Tags) string {
	if tags.Find("natural") == "water" {
		return "water"
	}
	if tags.Find("waterway") == "riverbank" {
		return "riverbank"
	}
	return ""
}

// maxWidth bounds parsed widths: anything wider is a tagging error.
const maxWidth = 10000

// parseWidth parses an OSM width=* value in metres: "5", "5 m", "5m",
// "3.5", "3,5", "5 meters", or feet as "10 ft" / "10'". Anything else, and
// negative, non-finite or absurd values, gives 0 (unknown).
func parseWidth(s string) float64 {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0
	}
	scale := 1.0
	for _, suf := range []string{"metres", "meters", "metre", "meter", "m"} {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSpace(strings.TrimSuffix(s, suf))
			break
		}
	}
	for _, suf := range []string{"feet", "ft", "'"} {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSpace(strings.TrimSuffix(s, suf))
			scale = 0.3048
			break
		}
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	// ParseFloat accepts "inf", "nan" and hex: allow only digits and one dot.
	dots := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.':
			dots++
		default:
			return 0
		}
	}
	if dots > 1 || s == "." {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v <= 0 || v*scale > maxWidth {
		return 0
	}
	return v * scale
}
