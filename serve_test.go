package lastmile_test

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lastmile-health/lastmile"
	"github.com/lastmile-health/lastmile/data/demo"
	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/tiles"
)

// serveDemo builds a small demo district, its households assigned to
// CHWs, and serves it on a free loopback port until the test ends.
func serveDemo(t *testing.T, personal bool) (url string, d *lastmile.District) {
	t.Helper()
	dir := t.TempDir()
	res, err := lastmile.Demo(context.Background(), demo.Config{Seed: 5, Households: 300}, dir, lastmile.DemoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The demo assigns households to CHWs; without that stage, assign them
	// here, alternately to two CHWs, so that CHW colours show.
	err = gpkg.Update(context.Background(), res.Path, func(tx *gpkg.Tx) error {
		if has, err := tx.HasTable(district.Assignments.Name); err != nil || has {
			return err
		}
		var as []district.Assignment
		for h, err := range district.ReadHouseholds(tx) {
			if err != nil {
				return err
			}
			chw := district.CHWID("CHW-0001")
			if len(as)%2 == 1 {
				chw = "CHW-0002"
			}
			as = append(as, district.Assignment{Household: h.ID, CHW: chw, Method: "test"})
		}
		return district.WriteAssignments(tx, as)
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err = lastmile.Open(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- d.Serve(ctx, lastmile.ServeOptions{Addr: "127.0.0.1:0", Personal: personal, Ready: func(u string) { urls <- u }})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	}
	return url, d
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return b
}

// TestServePersonal: household names and phones reach the browser only
// with --personal.
func TestServePersonal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo district")
	}
	for _, personal := range []bool{false, true} {
		url, _ := serveDemo(t, personal)
		hh := string(get(t, url+"api/layers/households.geojson"))
		chws := string(get(t, url+"api/layers/chws.geojson"))
		has := strings.Contains(hh, `"head_name"`) || strings.Contains(hh, `"phone"`) || strings.Contains(chws, `"name"`)
		if has != personal {
			t.Errorf("personal=%v: personal fields sent = %v", personal, has)
		}
		if !strings.Contains(hh, `"household_id"`) || !strings.Contains(hh, `"chw_id":"CHW-`) {
			t.Errorf("personal=%v: households lack their IDs or CHWs", personal)
		}
		if b := get(t, url+"tiles/12/1938/1962.png"); !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("tile is not a PNG")
		}
	}
}

// chromium finds Debian's Chromium, or skips.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium: apt-get install chromium (CI installs it)")
	return ""
}

// TestServeInBrowser loads the page in headless Chromium, checks that each
// layer is on the map with all its features, opens a popup, and checks a
// screenshot loosely: not blank, with the facilities' red, a CHW's
// colour and the base map's paper colour.
func TestServeInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo district and starts Chromium")
	}
	exe := chromium(t)
	url, d := serveDemo(t, false)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1000, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	type pageState struct {
		Ready  bool           `json:"ready"`
		Error  *string        `json:"error"`
		Counts map[string]int `json:"counts"`
		OnMap  []string       `json:"onMap"`
	}
	// The first Run starts the browser and must have no timeout (it would
	// stop the browser); the later ones are bounded.
	if _, err := chromedp.Run(bctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	run := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(tctx, a); err != nil {
			t.Fatal(err)
		}
	}
	run(chromedp.Poll[chromedp.Void](`window.lastmile && (window.lastmile.ready || window.lastmile.error !== null)`))
	run(chromedp.Poll[chromedp.Void](`document.querySelectorAll('.leaflet-tile-loaded').length > 0 && document.querySelectorAll('.leaflet-tile:not(.leaflet-tile-loaded)').length === 0`))
	state, err := chromedp.Run(tctx, chromedp.Evaluate[pageState](`({ready: lastmile.ready, error: lastmile.error, counts: lastmile.counts,
		onMap: Object.keys(lastmile.layers).filter((n) => lastmile.map.hasLayer(lastmile.layers[n]))})`))
	if err != nil {
		t.Fatal(err)
	}
	// Switch the area layers off and zoom to the households of the CHW
	// who serves the most, so their colour fills enough pixels to be
	// found, and wait for that zoom's tiles.
	top, err := chromedp.Run(tctx, chromedp.Evaluate[string](`(() => {
		for (const n of ["isochrones", "catchments", "gap_areas"]) {
			if (lastmile.layers[n]) lastmile.map.removeLayer(lastmile.layers[n]);
		}
		const by = {};
		for (const l of lastmile.layers.households.getLayers()) {
			const c = l.feature.properties.chw_id;
			if (c) (by[c] = by[c] || []).push(l);
		}
		const top = Object.keys(by).sort((a, b) => by[b].length - by[a].length || (a < b ? -1 : 1))[0];
		lastmile.map.fitBounds(L.featureGroup(by[top]).getBounds(), {maxZoom: 16, animate: false});
		return top;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	run(chromedp.Poll[chromedp.Void](`document.querySelectorAll('.leaflet-tile:not(.leaflet-tile-loaded)').length === 0`))
	shot, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	popup, err := chromedp.Run(tctx, chromedp.Evaluate[string](`(() => { lastmile.layers.facilities.getLayers()[0].openPopup();
		return document.querySelector('.leaflet-popup-content').innerText; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !state.Ready || state.Error != nil {
		t.Fatalf("page not ready: %+v", state)
	}
	ms, err := d.Scene()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"households": len(ms.Scene.Households), "chws": len(ms.Scene.CHWs), "facilities": len(ms.Scene.Facilities)}
	for name, n := range want {
		if state.Counts[name] != n {
			t.Errorf("layer %s: %d features on the page, %d in the GeoPackage", name, state.Counts[name], n)
		}
		if !strings.Contains(strings.Join(state.OnMap, ","), name) {
			t.Errorf("layer %s is not on the map (on: %v)", name, state.OnMap)
		}
	}
	if !strings.Contains(popup, "facility_id") || !strings.Contains(popup, "FAC-") {
		t.Errorf("facility popup = %q, want its facility_id", popup)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("LASTMILE_SCREENSHOT"); p != "" {
		os.WriteFile(p, shot, 0o644)
	}
	r := tiles.NewRenderer(ms.Scene, nil, 0)
	st := r.Style()
	checks := map[string][3]uint8{
		"facility red":     {st.Facilities.Fill.R, st.Facilities.Fill.G, st.Facilities.Fill.B},
		top + "'s colour":  {r.CHWColor(top).R, r.CHWColor(top).G, r.CHWColor(top).B},
		"paper background": {st.Background.R, st.Background.G, st.Background.B},
	}
	colors := map[[3]uint8]bool{}
	found := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.At(x, y)
			r8, g8, b8, _ := c.RGBA()
			px := [3]uint8{uint8(r8 >> 8), uint8(g8 >> 8), uint8(b8 >> 8)}
			colors[px] = true
			for name, want := range checks {
				if near(px, want, 12) {
					found[name]++
				}
			}
		}
	}
	if len(colors) < 100 {
		t.Errorf("screenshot has %d colours: blank?", len(colors))
	}
	for name := range checks {
		if found[name] < 20 {
			t.Errorf("screenshot: %s (%v) found on %d pixels, want some", name, checks[name], found[name])
		}
	}
	t.Logf("screenshot %v: %d colours; %v", b.Size(), len(colors), found)
}

func near(a, b [3]uint8, tol int) bool {
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d > tol || d < -tol {
			return false
		}
	}
	return true
}
