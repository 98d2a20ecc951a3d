package demo

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// SRTM3 tile geometry: 1°×1°, 3 arc-seconds, 1201×1201 samples whose edge
// rows and columns repeat the neighbours'.
const (
	hgtSize = 1201
	hgtStep = 1.0 / (hgtSize - 1)
)

// tileName returns the SRTM name of the tile whose south-west corner is
// (lon, lat), e.g. N07W010.hgt.
func tileName(lon, lat int) string {
	ns, ew := 'N', 'E'
	if lat < 0 {
		ns, lat = 'S', -lat
	}
	if lon < 0 {
		ew, lon = 'W', -lon
	}
	return fmt.Sprintf("%c%02d%c%03d.hgt", ns, lat, ew, lon)
}

// tilesCovering returns the south-west corners of the 1° tiles b touches.
func tilesCovering(b orb.Bound) [][2]int {
	var out [][2]int
	for lat := int(math.Floor(b.Min[1])); float64(lat) < b.Max[1]; lat++ {
		for lon := int(math.Floor(b.Min[0])); float64(lon) < b.Max[0]; lon++ {
			out = append(out, [2]int{lon, lat})
		}
	}
	return out
}

// writeDEM writes every SRTM tile the area touches into dir and returns
// their paths, removing any other .hgt file there. Rows are computed in parallel (each row by one goroutine,
// all joined before writing), so the output does not depend on scheduling.
func (w *world) writeDEM(ctx context.Context, dir string) ([]string, error) {
	workers := min(runtime.GOMAXPROCS(0), 4)
	buf := make([]byte, hgtSize*hgtSize*2)
	var paths []string
	for _, t := range tilesCovering(w.area) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lon0, lat0 := float64(t[0]), float64(t[1])
		var next atomic.Int32
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					r := int(next.Add(1)) - 1
					if r >= hgtSize {
						return
					}
					lat := lat0 + 1 - float64(r)*hgtStep
					row := buf[r*hgtSize*2 : (r+1)*hgtSize*2]
					for c := range hgtSize {
						p := w.local.Forward(orb.Point{lon0 + float64(c)*hgtStep, lat})
						h := math.Round(w.ter.height(p[0], p[1]))
						binary.BigEndian.PutUint16(row[2*c:], uint16(int16(h)))
					}
				}
			}()
		}
		wg.Wait()
		path := filepath.Join(dir, tileName(t[0], t[1]))
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	// A tile left by an earlier, larger district would be stitched in by
	// readers of the directory: remove it.
	old, err := filepath.Glob(filepath.Join(dir, "*.hgt"))
	if err != nil {
		return nil, err
	}
	for _, p := range old {
		if !slices.Contains(paths, p) {
			if err := os.Remove(p); err != nil {
				return nil, err
			}
		}
	}
	return paths, nil
}
