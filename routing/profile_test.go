package routing

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/data"
)

func TestDefaultProfileValid(t *testing.T) {
	p := DefaultProfile()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.MaxSnap != 1000 || p.DensifyStep != 30 {
		t.Errorf("defaults: max snap %v, densify %v, want 1000, 30", p.MaxSnap, p.DensifyStep)
	}
	if p.SACFactor["demanding_mountain_hiking"] >= p.SACFactor["hiking"] {
		t.Errorf("demanding mountain hiking is not slower than hiking")
	}
}

func TestParseProfile(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantField string // "" = no error
		wantLine  int
		check     func(Profile) bool
	}{
		{"empty object keeps defaults", `{}`, "", 0, func(p Profile) bool { return p.MaxSnap == 1000 }},
		{"override scalar", `{"max_snap_m": 250}`, "", 0, func(p Profile) bool { return p.MaxSnap == 250 }},
		{"merge map", `{"class_factor": {"track": 0.8}}`, "", 0, func(p Profile) bool {
			return p.ClassFactor["track"] == 0.8 && p.ClassFactor["steps"] == DefaultProfile().ClassFactor["steps"]
		}},
		{"unknown key", "{\n  \"max_snap\": 5\n}", "max_snap", 2, nil},
		{"unknown nested is a map key, allowed", `{"surface_factor": {"lava": 0.1}}`, "", 0, func(p Profile) bool { return p.SurfaceFactor["lava"] == 0.1 }},
		{"wrong type", "{\n\"densify_step_m\": \"30\"}", "densify_step_m", 2, nil},
		{"negative factor", `{"class_factor": {"path": -1}}`, "class_factor.path", 0, nil},
		{"zero off-path", `{"off_path_factor": 0}`, "off_path_factor", 0, nil},
		{"densify too small", `{"densify_step_m": 0.5}`, "densify_step_m", 0, nil},
		{"syntax", "{\n\"max_snap_m\": 5,\n}", "", 3, nil},
		{"trailing", `{} {}`, "", 1, nil},
		{"empty", ``, "", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProfile(strings.NewReader(tt.in))
			if tt.check != nil {
				if err != nil {
					t.Fatalf("ParseProfile(%q): %v", tt.in, err)
				}
				if !tt.check(p) {
					t.Errorf("ParseProfile(%q) = %+v", tt.in, p)
				}
				return
			}
			var pe *data.ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrProfile) {
				t.Fatalf("ParseProfile(%q) err = %v, want a ParseError wrapping ErrProfile", tt.in, err)
			}
			if pe.Field != tt.wantField || (tt.wantLine > 0 && pe.Line != tt.wantLine) {
				t.Errorf("ParseProfile(%q) err = %v (field %q line %d), want field %q line %d", tt.in, err, pe.Field, pe.Line, tt.wantField, tt.wantLine)
			}
		})
	}
}

func TestLoadProfileNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "walk.json")
	if err := os.WriteFile(path, []byte(`{"speed": 3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadProfile(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"speed"`) {
		t.Errorf("LoadProfile error %v should name the file and the key", err)
	}
}

func TestProfileJSONRoundTrip(t *testing.T) {
	p := DefaultProfile()
	b, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	q, err := ParseProfile(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := q.JSON()
	if string(b) != string(b2) {
		t.Errorf("JSON round trip changed the profile")
	}
}

func FuzzParseProfile(f *testing.F) {
	b, _ := DefaultProfile().JSON()
	f.Add(string(b))
	f.Add(`{"class_factor": {"path": 0.5}, "max_snap_m": 10}`)
	f.Add(`{"x": 1}`)
	f.Add(`[1,2]`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProfile(strings.NewReader(s))
		if err != nil {
			if !errors.Is(err, ErrProfile) {
				t.Fatalf("error %v does not wrap ErrProfile", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted profile fails Validate: %v", err)
		}
		if _, err := p.JSON(); err != nil {
			t.Fatalf("accepted profile not encodable: %v", err)
		}
	})
}
