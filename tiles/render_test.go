package tiles_test

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/lastmile-health/lastmile/tiles"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata")

// Golden images are compared loosely: fonts and anti-aliasing may shift by
// a level between Go versions, so a pixel counts as different only beyond
// goldenTolerance in some channel, and up to goldenMaxShare of the pixels
// may differ.
const (
	goldenTolerance = 24
	goldenMaxShare  = 0.005
)

func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tiles -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if want.Bounds() != img.Bounds() {
		t.Fatalf("%s: size %v, golden %v", name, img.Bounds(), want.Bounds())
	}
	diff := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) {
				diff++
			}
		}
	}
	if share := float64(diff) / float64(b.Dx()*b.Dy()); share > goldenMaxShare {
		out := filepath.Join(t.TempDir(), name)
		var buf bytes.Buffer
		png.Encode(&buf, img)
		os.WriteFile(out, buf.Bytes(), 0o644)
		t.Errorf("%s: %.2f %% of pixels differ from the golden image (allowed %.2f %%); got %s (go test ./tiles -update accepts it)",
			name, 100*share, 100*goldenMaxShare, out)
	}
}

func far(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > goldenTolerance || d < -goldenTolerance
}

// TestGolden renders the test scene as an overview and as tiles at three
// zooms and compares them with the reviewed images in testdata.
func TestGolden(t *testing.T) {
	s := testScene()
	r := tiles.NewRenderer(s, nil, 0)
	b := s.StudyArea.Bound()
	checkGolden(t, "overview.png", r.Image(tiles.FitView(b, 480, 400, 8, 0)))
	c := b.Center()
	for _, z := range []maptile.Zoom{13, 15} {
		tl := maptile.At(c, z)
		checkGolden(t, "tile_"+string(rune('0'+z/10))+string(rune('0'+z%10))+".png", r.Tile(tl))
	}
	base := tiles.NewRenderer(s, nil, tiles.BaseLayers)
	checkGolden(t, "base.png", base.Image(tiles.FitView(b, 240, 200, 4, 0)))
}

// TestViewRoundTrip checks Project and Unproject against each other and a
// tile's view against orb/maptile's bound of the same tile.
func TestViewRoundTrip(t *testing.T) {
	for _, p := range []orb.Point{{-9.5, 7.5}, {1.52, 42.5}, {179.9, -60}, {0, 0}} {
		for _, z := range []float64{3, 10.5, 16} {
			v := tiles.CenterView(p, z, 300, 200)
			x, y := v.Project(p)
			if math.Abs(x-150) > 1e-6 || math.Abs(y-100) > 1e-6 {
				t.Errorf("CenterView(%v, %g).Project = %g, %g, want 150, 100", p, z, x, y)
			}
			q := v.Unproject(x+37, y-12)
			x2, y2 := v.Project(q)
			if math.Abs(x2-x-37) > 1e-6 || math.Abs(y2-y+12) > 1e-6 {
				t.Errorf("Unproject/Project at %v z%g: %g, %g, want %g, %g", p, z, x2, y2, x+37, y-12)
			}
		}
		tl := maptile.At(p, 14)
		got, want := tiles.TileView(tl).Bound(), tl.Bound()
		if math.Abs(got.Min[0]-want.Min[0]) > 1e-9 || math.Abs(got.Max[1]-want.Max[1]) > 1e-9 ||
			math.Abs(got.Max[0]-want.Max[0]) > 1e-9 || math.Abs(got.Min[1]-want.Min[1]) > 1e-9 {
			t.Errorf("TileView(%v).Bound() = %v, maptile says %v", tl, got, want)
		}
	}
}

// TestScaleView checks that a view at a printed scale has that ground size
// per pixel.
func TestScaleView(t *testing.T) {
	mpp := 25000 * 0.0254 / 300 // 1:25,000 at 300 dpi
	v := tiles.ScaleView(orb.Point{-9.5, 7.5}, 2.1166666, 2480, 3508)
	if got := float64(v.MetersPerPixel()); math.Abs(got-mpp)/mpp > 1e-3 {
		t.Errorf("MetersPerPixel = %g, want %g", got, mpp)
	}
}

// TestTileHash: a changed household changes the hash of the tiles it is
// drawn in and of no tile far away; an unchanged scene gives equal hashes.
func TestTileHash(t *testing.T) {
	s := testScene()
	r1 := tiles.NewRenderer(s, nil, 0)
	r1b := tiles.NewRenderer(testScene(), nil, 0)
	s2 := testScene()
	s2.Households[0].Point[0] += 0.0001
	r2 := tiles.NewRenderer(s2, nil, 0)
	near := maptile.At(s.Households[0].Point, 15)
	far := maptile.At(orb.Point{s.StudyArea.Bound().Max[0] - 0.001, s.StudyArea.Bound().Min[1] + 0.001}, 15)
	if r1.TileHash(near) != r1b.TileHash(near) || r1.TileHash(far) != r1b.TileHash(far) {
		t.Errorf("equal scenes give different tile hashes")
	}
	if r1.TileHash(near) == r2.TileHash(near) {
		t.Errorf("moving a household left the hash of its tile %v unchanged", near)
	}
	if r1.TileHash(far) != r2.TileHash(far) {
		t.Errorf("moving a household changed the hash of the far tile %v", far)
	}
}

// TestHillshade: flat ground is left untouched; a slope facing the light
// (north-west) is lighter than one facing away.
func TestHillshade(t *testing.T) {
	s := &tiles.Scene{Elevation: flat{}, ElevationStep: 90}
	st := tiles.DefaultStyle()
	img := tiles.NewRenderer(s, st, tiles.LayerHillshade).Image(tiles.CenterView(orb.Point{-9.5, 7.5}, 12, 64, 64))
	for i := 0; i < len(img.Pix); i += 4 {
		if c := st.Background; img.Pix[i] != c.R || img.Pix[i+1] != c.G || img.Pix[i+2] != c.B {
			t.Fatalf("flat ground shaded: pixel %d is %v, background %v", i/4, img.Pix[i:i+4], c)
		}
	}
	h := hill{-9.5, 7.5}
	s = &tiles.Scene{Elevation: h, ElevationStep: 90}
	v := tiles.CenterView(orb.Point{-9.5, 7.5}, 13, 200, 200)
	img = tiles.NewRenderer(s, st, tiles.LayerHillshade).Image(v)
	lum := func(dxKm, dyKm float64) int {
		p := orb.Point{-9.5 + dxKm/110.3, 7.5 + dyKm/111.195}
		x, y := v.Project(p)
		c := img.RGBAAt(int(x), int(y))
		return int(c.R) + int(c.G) + int(c.B)
	}
	if nw, se := lum(-1, 1), lum(1, -1); nw <= se {
		t.Errorf("north-west slope luminance %d, south-east %d: want the lit side lighter", nw, se)
	}
}

type flat struct{}

func (flat) Elevation(orb.Point) (float64, bool) { return 250, true }

// TestDecor draws the map furniture a printed sheet needs (the scene's
// legend, scale bar, north arrow) over the test scene at print
// resolution, against a golden image.
func TestDecor(t *testing.T) {
	s := testScene()
	r := tiles.NewRenderer(s, nil, 0)
	v := tiles.ScaleView(s.StudyArea.Bound().Center(), 12, 700, 560)
	v.PixelRatio = 1.5
	img := image.NewRGBA(image.Rect(0, 0, v.W, v.H))
	c := tiles.NewImageCanvas(img)
	r.Draw(c, v)
	legend := r.Legend()
	if len(legend) < 10 {
		t.Errorf("legend has %d items, want one per kind of feature in the scene", len(legend))
	}
	r.DrawLegend(c, 8, 8, 1, "Legend", legend)
	r.DrawScaleBar(c, v, 450, 540)
	r.DrawNorthArrow(c, 670, 20, 40)
	checkGolden(t, "decor.png", img)
}

// TestPrepareDrawsTheSame: a prepared scene (paths and streams projected
// once) draws the same overview and tiles, pixel for pixel, as the scene
// unprepared.
func TestPrepareDrawsTheSame(t *testing.T) {
	plain, prepared := testScene(), testScene()
	prepared.Prepare()
	a, b := tiles.NewRenderer(plain, nil, 0), tiles.NewRenderer(prepared, nil, 0)
	v := tiles.FitView(plain.StudyArea.Bound(), 480, 400, 8, 0)
	if !bytes.Equal(a.Image(v).Pix, b.Image(v).Pix) {
		t.Errorf("the prepared scene's overview differs")
	}
	for _, z := range []maptile.Zoom{12, 15} {
		tl := maptile.At(plain.StudyArea.Bound().Center(), z)
		if !bytes.Equal(a.Tile(tl).Pix, b.Tile(tl).Pix) {
			t.Errorf("the prepared scene's tile %v differs", tl)
		}
	}
}
