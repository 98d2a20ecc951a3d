package routing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/lastmile-health/lastmile/data"
)

// ErrProfile is the sentinel under every error about a walking profile
// (bad JSON, unknown key, out-of-range value).
var ErrProfile = errors.New("routing: bad profile")

// maxProfileBytes caps the size of a profile file: a real one is a few KB.
const maxProfileBytes = 1 << 20

// Profile sets how fast a walker goes on each kind of path and what water
// costs. It is read from JSON (see LoadProfile); the keys are the json tags
// below. Speeds are Tobler's hiking speed for the slope multiplied by the
// factors of the way's class (highway), surface and sac_scale; a factor below
// 1 is slower. Missing map entries take the "*" entry of that map, or 1.
//
// The zero value is not usable; start from DefaultProfile.
type Profile struct {
	// Name labels the profile in reports.
	Name string `json:"name"`
	// ClassFactor multiplies the speed per OSM highway value (path, track,
	// steps, …); "*" is the default for unlisted classes.
	ClassFactor map[string]float64 `json:"class_factor"`
	// SurfaceFactor multiplies the speed per OSM surface value; "*" is the
	// default, "" (no surface tag) is looked up as "*".
	SurfaceFactor map[string]float64 `json:"surface_factor"`
	// SACFactor multiplies the speed per OSM sac_scale value.
	SACFactor map[string]float64 `json:"sac_factor"`
	// OffPathFactor multiplies Tobler's speed on the straight leg between a
	// point (household, CHW, facility) and the path it snaps to.
	OffPathFactor float64 `json:"off_path_factor"`
	// CrossingMinutes is the time added, in both directions, for wading
	// across a waterway with no bridge or ford, per waterway kind (stream,
	// river, canal, …); "*" is the default for other kinds.
	CrossingMinutes map[string]float64 `json:"crossing_minutes"`
	// FordMinutes is the time added for crossing at a ford (ford=yes on the
	// way, or a ford node near the crossing).
	FordMinutes float64 `json:"ford_minutes"`
	// MaxWadeWidth is the widest waterway (metres) a walker can wade;
	// crossing a wider one is impossible except on a bridge.
	MaxWadeWidth float64 `json:"max_wade_width_m"`
	// DefaultWidth is the assumed width (metres) of a waterway with no width
	// tag, per kind; "*" is the default.
	DefaultWidth map[string]float64 `json:"default_width_m"`
	// FordRadius is how close (metres) a ford node must be to a crossing for
	// the crossing to count as a ford.
	FordRadius float64 `json:"ford_radius_m"`
	// BridgeRadius is how close (metres) a crossing must be to a bridge or
	// tunnel way to count as crossing on it: mapped rivers and bridges
	// rarely meet exactly, and a road often ends where its bridge begins.
	BridgeRadius float64 `json:"bridge_radius_m"`
	// ImplicitBridge lists highway classes that cross water on an
	// (untagged) bridge or culvert: roads do not wade rivers.
	ImplicitBridge []string `json:"implicit_bridge_classes"`
	// FragmentNodes is the size (nodes) up to which a component counts as
	// a fragment: a point whose nearest path is on a fragment may also
	// walk off-path to the largest component (within MaxSnap). 0 turns
	// this off. Larger components (a valley cut off by a river) are not
	// bypassed, since off-path legs do not see water.
	FragmentNodes int `json:"fragment_max_nodes"`
	// MaxSnap is the farthest (metres) a point may be from every path and
	// still be snapped; farther points are flagged, not routed.
	MaxSnap float64 `json:"max_snap_m"`
	// DensifyStep is the largest distance (metres) between two elevation
	// samples along a path.
	DensifyStep float64 `json:"densify_step_m"`

	// The terrain lattice (Build with BuildOptions.Terrain; see the package
	// documentation, Terrain).

	// LatticeStep is the spacing (metres) of the terrain lattice's nodes.
	LatticeStep float64 `json:"lattice_step_m"`
	// LatticeBuffer is how far (metres) the lattice reaches beyond the
	// study area and around each point that needs it.
	LatticeBuffer float64 `json:"lattice_buffer_m"`
	// StreamKm2 is the contributing area (km²) from which the DEM's
	// drainage is a stream (hydro.Options.StreamKm2).
	StreamKm2 float64 `json:"stream_min_km2"`
	// DerivedStreamMinutes is the time added, in both directions, for
	// wading across a stream derived from the DEM off the paths.
	DerivedStreamMinutes float64 `json:"derived_stream_minutes"`
	// DerivedBarrierKm2 is the contributing area (km²) from which a derived
	// stream is a river nobody wades: off the paths it is a barrier.
	DerivedBarrierKm2 float64 `json:"derived_barrier_km2"`
}

// DefaultProfile returns the built-in walking profile: Tobler's speed,
// steps at 0.6, demanding mountain paths at 0.6 and alpine ones slower,
// soft surfaces slower, off-path at 0.6 (Tobler's own off-path factor),
// 15 minutes to wade a stream or river (ditches and drains free), roads
// crossing water on implicit bridges or culverts, rivers 20 m wide unless tagged and
// wading up to 10 m, snapping up to 1 km, elevation every 30 m; off the
// paths a terrain lattice every 120 m reaching 2 km beyond the study area,
// streams derived from 1 km² of catchment waded in 5 minutes and derived
// rivers from 500 km² never crossed (the dry season; see Wet).
func DefaultProfile() Profile {
	return Profile{
		Name: "walking",
		ClassFactor: map[string]float64{
			"*": 1, "steps": 0.6, "path": 0.95, "bridleway": 0.95,
			"trunk": 0.9, "primary": 0.95,
		},
		SurfaceFactor: map[string]float64{
			"*": 1, "unpaved": 0.95, "compacted": 0.98, "gravel": 0.95, "fine_gravel": 0.97,
			"dirt": 0.9, "earth": 0.9, "ground": 0.9, "grass": 0.85, "rock": 0.8,
			"pebblestone": 0.85, "sand": 0.7, "mud": 0.6,
		},
		SACFactor: map[string]float64{
			"*": 1, "hiking": 1, "mountain_hiking": 0.85, "demanding_mountain_hiking": 0.6,
			"alpine_hiking": 0.4, "demanding_alpine_hiking": 0.25, "difficult_alpine_hiking": 0.15,
		},
		OffPathFactor:   0.6,
		CrossingMinutes: map[string]float64{"*": 15, "stream": 15, "river": 15, "canal": 15, "ditch": 0, "drain": 0},
		FordMinutes:     0,
		MaxWadeWidth:    10,
		DefaultWidth:    map[string]float64{"*": 3, "stream": 2, "river": 20, "canal": 8, "ditch": 1, "drain": 1},
		FordRadius:      25,
		BridgeRadius:    20,
		ImplicitBridge: []string{"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
			"secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified", "residential",
			"living_street", "service"},
		FragmentNodes: 50,
		MaxSnap:       1000,
		DensifyStep:   30,

		LatticeStep:          120,
		LatticeBuffer:        2000,
		StreamKm2:            1,
		DerivedStreamMinutes: 5,
		DerivedBarrierKm2:    500,
	}
}

// LoadProfile reads a JSON profile from path. Keys absent from the file keep
// their DefaultProfile values; map entries are merged into the defaults.
// Unknown keys and out-of-range values are errors (*data.ParseError wrapping
// ErrProfile) that name the key.
func LoadProfile(path string) (Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return Profile{}, err
	}
	defer f.Close()
	p, err := ParseProfile(f)
	if err != nil {
		var pe *data.ParseError
		if errors.As(err, &pe) {
			pe.File = path
		}
		return Profile{}, err
	}
	return p, nil
}

// ParseProfile reads a JSON profile from r, like LoadProfile. Errors are
// *data.ParseError (File empty) wrapping ErrProfile.
func ParseProfile(r io.Reader) (Profile, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxProfileBytes+1))
	if err != nil {
		return Profile{}, err
	}
	if len(b) > maxProfileBytes {
		return Profile{}, &data.ParseError{Err: fmt.Errorf("%w: larger than %d bytes", ErrProfile, maxProfileBytes)}
	}
	p := DefaultProfile()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profile{}, profileJSONError(b, dec, err)
	}
	if dec.More() {
		return Profile{}, &data.ParseError{Line: lineAt(b, int(dec.InputOffset())), Err: fmt.Errorf("%w: trailing data after the JSON object", ErrProfile)}
	}
	if err := p.Validate(); err != nil {
		return Profile{}, err
	}
	return p, nil
}

// profileJSONError turns a decoding error into a ParseError naming the line
// and, for unknown or mistyped keys, the key.
func profileJSONError(b []byte, dec *json.Decoder, err error) error {
	pe := &data.ParseError{}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		pe.Line = lineAt(b, int(syn.Offset))
		pe.Err = fmt.Errorf("%w: %v", ErrProfile, syn)
	case errors.As(err, &typ):
		pe.Line = lineAt(b, int(typ.Offset))
		pe.Field = typ.Field
		pe.Err = fmt.Errorf("%w: want a %s, got %s", ErrProfile, typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		pe.Line = lineAt(b, int(dec.InputOffset()))
		if i := bytes.Index(b, []byte(`"`+key+`"`)); i >= 0 {
			pe.Line = lineAt(b, i)
		}
		pe.Field = key
		pe.Err = fmt.Errorf("%w: unknown key %q", ErrProfile, key)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		pe.Err = fmt.Errorf("%w: empty or truncated JSON", ErrProfile)
	default:
		pe.Err = fmt.Errorf("%w: %v", ErrProfile, err)
	}
	return pe
}

// lineAt returns the 1-based line of byte offset off in b.
func lineAt(b []byte, off int) int {
	off = min(max(off, 0), len(b))
	return 1 + bytes.Count(b[:off], []byte{'\n'})
}

// Validate reports the first out-of-range value as a *data.ParseError
// wrapping ErrProfile, with Field naming the key.
func (p Profile) Validate() error {
	bad := func(field, format string, a ...any) error {
		return &data.ParseError{Field: field, Err: fmt.Errorf("%w: "+format, append([]any{ErrProfile}, a...)...)}
	}
	positive := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) }
	nonNeg := func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) && !math.IsNaN(v) }
	maps := []struct {
		name string
		m    map[string]float64
		ok   func(float64) bool
		want string
	}{
		{"class_factor", p.ClassFactor, positive, "a factor > 0"},
		{"surface_factor", p.SurfaceFactor, positive, "a factor > 0"},
		{"sac_factor", p.SACFactor, positive, "a factor > 0"},
		{"crossing_minutes", p.CrossingMinutes, nonNeg, "minutes >= 0"},
		{"default_width_m", p.DefaultWidth, nonNeg, "metres >= 0"},
	}
	for _, m := range maps {
		for _, k := range sortedKeys(m.m) {
			if v := m.m[k]; !m.ok(v) || v > 1e6 {
				return bad(m.name+"."+k, "%v: want %s", v, m.want)
			}
		}
	}
	scalars := []struct {
		name     string
		v        float64
		min, max float64
		inclMin  bool
	}{
		{"off_path_factor", p.OffPathFactor, 0, 10, false},
		{"ford_minutes", p.FordMinutes, 0, 1e4, true},
		{"max_wade_width_m", p.MaxWadeWidth, 0, 1e4, true},
		{"ford_radius_m", p.FordRadius, 0, 1000, true},
		{"bridge_radius_m", p.BridgeRadius, 0, 1000, true},
		{"max_snap_m", p.MaxSnap, 0, 1e6, false},
		{"densify_step_m", p.DensifyStep, 1, 1000, true},
		{"fragment_max_nodes", float64(p.FragmentNodes), 0, 1e9, true},
		{"lattice_step_m", p.LatticeStep, 10, 10000, true},
		{"lattice_buffer_m", p.LatticeBuffer, 0, 1e5, true},
		{"stream_min_km2", p.StreamKm2, 0, 1e6, false},
		{"derived_stream_minutes", p.DerivedStreamMinutes, 0, 1e4, true},
		{"derived_barrier_km2", p.DerivedBarrierKm2, 0, 1e7, false},
	}
	for _, s := range scalars {
		if math.IsNaN(s.v) || s.v > s.max || s.v < s.min || (!s.inclMin && s.v == s.min) {
			op := ">"
			if s.inclMin {
				op = ">="
			}
			return bad(s.name, "%v: want %s %v and <= %v", s.v, op, s.min, s.max)
		}
	}
	return nil
}

// JSON returns the profile as canonical JSON (sorted map keys, fixed field
// order), the bytes that go into the graph's input hash. It fails only on
// values JSON cannot hold (NaN, ±Inf), which Validate rejects.
func (p Profile) JSON() ([]byte, error) {
	return json.MarshalIndent(p, "", "  ")
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lookup returns m[k], else m["*"], else 1.
func lookup(m map[string]float64, k string) float64 {
	if v, ok := m[k]; ok && k != "" {
		return v
	}
	if v, ok := m["*"]; ok {
		return v
	}
	return 1
}

// wayFactor is the product of the class, surface and sac_scale factors.
func (p *Profile) wayFactor(highway, surface, sac string) float64 {
	return lookup(p.ClassFactor, highway) * lookup(p.SurfaceFactor, surface) * lookup(p.SACFactor, sac)
}

// Tobler returns the walking speed in km/h on a slope (rise over run,
// signed in the direction of travel) by Tobler's hiking function
// v = 6·exp(−3.5·|S + 0.05|): 6 km/h at a gentle 5 % descent, 5.04 km/h on
// the flat. It is defined for every finite slope.
func Tobler(slope float64) (kmh float64) {
	return 6 * math.Exp(-3.5*math.Abs(slope+0.05))
}
