package lastmile

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/lastmile-health/lastmile/data/district"
	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/tiles"
)

// web is the page: lastmile's HTML/JS and Leaflet (web/README.md).
//
//go:embed web
var web embed.FS

// ServeOptions are the map server's inputs.
type ServeOptions struct {
	// Addr is the host:port to listen on; "" is 127.0.0.1:8080.
	Addr string
	// Personal sends personal fields (head of household, phone, names)
	// and every ingested column; without it households and CHWs carry only
	// their declared, non-personal columns.
	Personal bool
	// Ready, when set, hears the page's URL once the server listens.
	Ready func(url string)
}

// DefaultServeAddr is where lastmile serve listens by default: the
// loopback interface, so only this computer sees the district.
const DefaultServeAddr = "127.0.0.1:8080"

// ErrAddrInUse is wrapped by Serve's error when another program listens on
// the address.
var ErrAddrInUse = errors.New("address in use")

// Serve serves the district's map page until ctx is cancelled: the base
// map drawn by the tiles renderer (hillshade, water, paths, villages) and
// the district's layers as GeoJSON overlays. It never fetches anything
// from outside.
func (d *District) Serve(ctx context.Context, opts ServeOptions) error {
	h, err := d.MapHandler(opts)
	if err != nil {
		return err
	}
	addr := opts.Addr
	if addr == "" {
		addr = DefaultServeAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%w: %s: another program listens there; choose another port with --addr, e.g. 127.0.0.1:8081", ErrAddrInUse, addr)
		}
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	if opts.Ready != nil {
		opts.Ready("http://" + ln.Addr().String() + "/")
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		return nil
	}
}

// overlayDef is one switchable layer of the page, styled from the one
// style (colours as CSS hex).
type overlayDef struct {
	Name        string  `json:"name"`
	Title       string  `json:"title"`
	Color       string  `json:"color"`
	Stroke      string  `json:"stroke,omitempty"`
	StrokeWidth float64 `json:"stroke_width"`
	Radius      float64 `json:"radius"`
	Weight      float64 `json:"weight"`
	FillOpacity float64 `json:"fill_opacity"`
	Dash        string  `json:"dash,omitempty"`
	On          bool    `json:"on"`
}

type mapInfo struct {
	Name    string       `json:"name"`
	Bound   [4]float64   `json:"bound"`
	Layers  []overlayDef `json:"layers"`
	Missing []string     `json:"missing"`
}

type mapServer struct {
	info     []byte
	overlays map[string][]byte
	base     *tiles.Renderer
	static   http.Handler

	mu    sync.Mutex
	cache map[maptile.Tile][]byte
	order []maptile.Tile
}

// MaxOverlayFeatures is the most features a layer may have to be sent to
// the page: a browser draws about a hundred thousand markers before it
// stalls. Larger layers (national households) are left to the tiles.
const MaxOverlayFeatures = 100_000

// tileCacheSize is how many drawn base tiles the server keeps (about
// 20 kB each).
const tileCacheSize = 4096

// MapHandler returns the map page's HTTP handler: / (the page), /static/
// (embedded assets), /tiles/{z}/{x}/{y}.png (base map tiles drawn on
// demand), /api/info and /api/layers/{name}.geojson. The layers are read
// once, here.
func (d *District) MapHandler(opts ServeOptions) (http.Handler, error) {
	ms, err := d.Scene()
	if err != nil {
		return nil, err
	}
	if ms.Bound.Min[0] > ms.Bound.Max[0] {
		return nil, fmt.Errorf("%s holds nothing to map: ingest households, CHWs or facilities, or a study area, first", d.Path)
	}
	ms.Scene.Prepare()
	st := tiles.DefaultStyle()
	full := tiles.NewRenderer(ms.Scene, st, tiles.AllLayers)
	s := &mapServer{
		overlays: map[string][]byte{},
		base:     tiles.NewRenderer(ms.Scene, st, tiles.BaseLayers),
		cache:    map[maptile.Tile][]byte{},
	}
	sub, err := fs.Sub(web, "web")
	if err != nil {
		return nil, err
	}
	s.static = http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	b := ms.Bound
	info := mapInfo{Name: d.Path, Bound: [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}, Layers: []overlayDef{}, Missing: ms.Missing}
	if info.Missing == nil {
		info.Missing = []string{}
	}
	err = d.read(func(db *gpkg.DB) error {
		layers, err := db.Layers()
		if err != nil {
			return err
		}
		count := map[string]int64{}
		for _, l := range layers {
			count[l.Name] = l.Count
		}
		for _, def := range overlayDefs(st) {
			if n := count[def.Name]; n > MaxOverlayFeatures {
				info.Missing = append(info.Missing, fmt.Sprintf("%s: %d features, too many for a browser layer (at most %d); lastmile tiles draws them", def.Name, n, MaxOverlayFeatures))
				continue
			}
			fc, err := overlayFeatures(db, def.Name, full, st, opts.Personal)
			if err != nil {
				return err
			}
			if fc == nil {
				continue
			}
			js, err := json.Marshal(fc)
			if err != nil {
				return err
			}
			s.overlays[def.Name] = js
			info.Layers = append(info.Layers, def)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.info, err = json.Marshal(info); err != nil {
		return nil, err
	}
	return s, nil
}

func overlayDefs(st *tiles.Style) []overlayDef {
	hex := tiles.HexOf
	return []overlayDef{
		{Name: "isochrones", Title: "Walking time to a facility (dry season)", Color: hex(st.BandPalette[0]), Weight: 0, FillOpacity: 0.3, On: true},
		{Name: "catchments", Title: "CHW catchments", Color: hex(st.Palette[0]), Stroke: hex(st.Catchment.Outline.Color), Weight: 2, FillOpacity: 0.15, On: true},
		{Name: "gap_areas", Title: "Coverage gaps", Color: hex(tiles.WithAlpha(st.GapAreas.Outline.Color, 255)), Stroke: hex(st.GapAreas.Outline.Color), Weight: 2, FillOpacity: 0.25, Dash: "6 3", On: true},
		{Name: "visit_days", Title: "Visit routes by day", Color: hex(st.DayColor(1)), Weight: 3, On: true},
		{Name: "households", Title: "Households", Color: hex(st.Unassigned), Stroke: hex(st.Households.Stroke), StrokeWidth: 0.8, Radius: 3.5, On: true},
		{Name: "stops", Title: "Visit stops", Color: hex(st.DayColor(1)), Stroke: hex(st.Stops.Fill), StrokeWidth: 1, Radius: 5, On: false},
		{Name: "chws", Title: "CHW homes", Color: hex(st.CHWs.Fill), Stroke: hex(st.CHWs.Stroke), StrokeWidth: 1.5, Radius: 6, On: true},
		{Name: "facilities", Title: "Health facilities", Color: hex(st.Facilities.Fill), Stroke: hex(st.Facilities.Stroke), StrokeWidth: 2, Radius: 8, On: true},
		{Name: "suggested_chws", Title: "Suggested CHW homes", Color: hex(st.Suggested.Fill), Stroke: hex(st.Suggested.Stroke), StrokeWidth: 1.5, Radius: 7, On: true},
		{Name: "suggested_facilities", Title: "Suggested facilities", Color: hex(st.Suggested.Fill), Stroke: hex(st.Suggested.Stroke), StrokeWidth: 1.5, Radius: 9, On: true},
	}
}

// declaredColumns are the non-personal declared columns of the layers
// whose other columns may hold personal data from the input files.
func declaredColumns(layer string) map[string]bool {
	for _, l := range []*district.Layer{&district.Households.Layer, &district.CHWs.Layer} {
		if l.Name == layer {
			m := map[string]bool{}
			for _, c := range l.Columns {
				if !c.Personal {
					m[c.Name] = true
				}
			}
			return m
		}
	}
	return nil
}

// overlayFeatures reads a layer as GeoJSON features with their columns as
// properties and a _color from the style; nil when the layer is absent.
func overlayFeatures(db gpkg.Reader, layer string, r *tiles.Renderer, st *tiles.Style, personal bool) (*geojson.FeatureCollection, error) {
	ok, err := db.HasTable(layer)
	if err != nil || !ok {
		return nil, err
	}
	var chwOf map[string]string
	if layer == "households" {
		chwOf = map[string]string{}
		if has, err := db.HasTable(district.Assignments.Name); err != nil {
			return nil, err
		} else if has {
			for a, err := range district.ReadAssignments(db) {
				if err != nil {
					return nil, err
				}
				chwOf[string(a.Household)] = string(a.CHW)
			}
		}
	}
	keep := declaredColumns(layer)
	sc := db.Scan(layer)
	defer sc.Close()
	fields := sc.Fields()
	fc := geojson.NewFeatureCollection()
	var bandMins []float64
	for sc.Scan() {
		g := sc.Geometry()
		if g == nil {
			continue
		}
		props := geojson.Properties{}
		for i, v := range sc.Values() {
			name := fields[i].Name
			if !personal && keep != nil && !keep[name] {
				continue
			}
			switch x := v.(type) {
			case time.Time:
				v = x.UTC().Format(time.RFC3339)
			case []byte:
				continue
			}
			props[name] = v
		}
		str := func(k string) string { s, _ := props[k].(string); return s }
		switch layer {
		case "households":
			id := str("household_id")
			if c := chwOf[id]; c != "" {
				props["chw_id"] = c
				props["_color"] = tiles.HexOf(r.CHWColor(c))
			}
		case "catchments":
			props["_color"] = tiles.HexOf(r.CHWColor(str("chw_id")))
		case "visit_days", "stops":
			day, _ := props["day"].(int64)
			props["_color"] = tiles.HexOf(st.DayColor(int(day)))
		case "isochrones":
			if k, id, season := str("source_kind"), str("source_id"), str("season"); (k != "" && k != "facility") || (id != "" && id != "all") || (season != "" && season != "dry") {
				continue
			}
			lo, _ := props["band_min"].(float64)
			if !slices.Contains(bandMins, lo) {
				bandMins = append(bandMins, lo)
			}
		case "gap_areas":
			if season := str("season"); season != "" && season != "dry" {
				continue
			}
		}
		fc.Append(geojson.NewFeature(g))
		fc.Features[len(fc.Features)-1].Properties = props
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("layer %s: %w", layer, err)
	}
	if layer == "isochrones" {
		slices.Sort(bandMins)
		for _, f := range fc.Features {
			lo, _ := f.Properties["band_min"].(float64)
			f.Properties["_color"] = tiles.HexOf(st.BandColor(slices.Index(bandMins, lo), len(bandMins)))
		}
	}
	return fc, nil
}

func (s *mapServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/" || p == "/index.html":
		b, _ := web.ReadFile("web/index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	case strings.HasPrefix(p, "/static/"):
		s.static.ServeHTTP(w, r)
	case p == "/api/info":
		w.Header().Set("Content-Type", "application/json")
		w.Write(s.info)
	case strings.HasPrefix(p, "/api/layers/") && strings.HasSuffix(p, ".geojson"):
		name := strings.TrimSuffix(strings.TrimPrefix(p, "/api/layers/"), ".geojson")
		b, ok := s.overlays[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/geo+json")
		w.Write(b)
	case strings.HasPrefix(p, "/tiles/") && strings.HasSuffix(p, ".png"):
		s.tile(w, r, strings.TrimSuffix(strings.TrimPrefix(p, "/tiles/"), ".png"))
	default:
		http.NotFound(w, r)
	}
}

// tile draws (or returns from the cache) one base map tile z/x/y.
func (s *mapServer) tile(w http.ResponseWriter, r *http.Request, zxy string) {
	parts := strings.Split(zxy, "/")
	if len(parts) != 3 {
		http.NotFound(w, r)
		return
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			http.NotFound(w, r)
			return
		}
		n[i] = v
	}
	if n[0] > 22 || n[1] >= 1<<n[0] || n[2] >= 1<<n[0] {
		http.NotFound(w, r)
		return
	}
	t := maptile.New(uint32(n[1]), uint32(n[2]), maptile.Zoom(n[0]))
	s.mu.Lock()
	b, ok := s.cache[t]
	s.mu.Unlock()
	if !ok {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, s.base.Tile(t)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		b = buf.Bytes()
		s.mu.Lock()
		if _, ok := s.cache[t]; !ok {
			s.cache[t] = b
			s.order = append(s.order, t)
			if len(s.order) > tileCacheSize {
				delete(s.cache, s.order[0])
				s.order = s.order[1:]
			}
		}
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(b)
}
