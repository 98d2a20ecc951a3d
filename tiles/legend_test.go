package tiles_test

import (
	"image"
	"image/color"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/geo"
	"github.com/lastmile-health/lastmile/tiles"
)

// recorder is a Canvas that keeps the text drawn and the filled boxes.
type recorder struct {
	texts []string
	fills [][][]tiles.Pt // polygons
}

func (r *recorder) Size() (int, int)                                      { return 1000, 1000 }
func (r *recorder) Fill(p [][][]tiles.Pt, _ color.NRGBA)                  { r.fills = append(r.fills, p...) }
func (r *recorder) Stroke([][]tiles.Pt, float64, color.NRGBA, []float64)  {}
func (r *recorder) Image(image.Image, float64, float64, float64, float64) {}
func (r *recorder) Text(_, _ float64, s string, _ tiles.Font)             { r.texts = append(r.texts, s) }
func (r *recorder) Measure(s string, f tiles.Font) (float64, float64, float64) {
	return float64(len(s)) * f.Size / 2, f.Size * 0.8, f.Size * 0.2
}

func TestScaleBar(t *testing.T) {
	rd := tiles.NewRenderer(&tiles.Scene{}, nil, 0)
	for _, tc := range []struct {
		mpp   float64 // metres per pixel at the centre
		w     int
		label string
	}{{10, 1000, "2 km"}, {10, 2600, "5 km"}, {0.5, 1000, "100 m"}, {30, 1000, "5 km"}} {
		v := tiles.ScaleView(orb.Point{-9.5, 7.5}, geo.Meters(tc.mpp), tc.w, 800)
		var c recorder
		rd.DrawScaleBar(&c, v, 10, 790)
		if !slices.Contains(c.texts, tc.label) {
			t.Errorf("%g m/px, %d px wide: labels %v, want %s", tc.mpp, tc.w, c.texts, tc.label)
		}
		// Four parts spanning the labelled length.
		x0, x1 := math.Inf(1), math.Inf(-1)
		for _, poly := range c.fills {
			for _, ring := range poly {
				for _, q := range ring {
					x0, x1 = math.Min(x0, q.X), math.Max(x1, q.X)
				}
			}
		}
		if len(c.fills) != 4 || x1-x0 > float64(tc.w)/5+1e-9 {
			t.Errorf("%g m/px: %d parts spanning %.0f px, want 4 within a fifth of %d", tc.mpp, len(c.fills), x1-x0, tc.w)
		}
	}
}

func TestLegend(t *testing.T) {
	rd := tiles.NewRenderer(&tiles.Scene{}, nil, 0)
	st := rd.Style()
	var c recorder
	w, h := rd.DrawLegend(&c, 0, 0, 1, "Legend", []tiles.LegendItem{
		{Label: "gap area", Area: &st.GapAreas}, {Label: "CHW home", Point: &st.CHWs}, {Label: "track", Line: &st.DefaultPath}})
	if !slices.Equal(c.texts, []string{"Legend", "gap area", "CHW home", "track"}) {
		t.Errorf("legend texts %v", c.texts)
	}
	if w <= 0 || h < 4*18 {
		t.Errorf("legend %g × %g", w, h)
	}
}
