package demo

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

	"github.com/lastmile-health/lastmile/data/dem"
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

// Outside the area the tiles only frame the district, so there the
// terrain is sampled every coarseStep cells and interpolated, blending into
// full detail over blendWidth metres from 1 km outside the area's edge:
// continuous, and about ten times cheaper for a small district.
const (
	coarseStep = 4 // divides hgtSize-1
	coarseSize = (hgtSize-1)/coarseStep + 1
	blendStart = 1000.0
	blendWidth = 3000.0
)

// writeDEM writes (through dem.WriteHGT) every SRTM tile the area touches
// into dir and returns their paths, removing any other .hgt file there.
// Rows are computed in parallel, each row by one goroutine and all joined
// before writing, so the output does not depend on scheduling.
func (w *world) writeDEM(ctx context.Context, dir string) ([]string, error) {
	workers := min(runtime.GOMAXPROCS(0), 4)
	vals := make([]float32, hgtSize*hgtSize)
	coarse := make([]float32, coarseSize*coarseSize)
	var paths []string
	for _, t := range tilesCovering(w.area) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lon0, lat0 := float64(t[0]), float64(t[1])
		at := func(r, c int) orb.Point {
			return w.local.Forward(orb.Point{lon0 + float64(c)*hgtStep, lat0 + 1 - float64(r)*hgtStep})
		}
		parallelRows(coarseSize, workers, func(r int) {
			for c := range coarseSize {
				p := at(r*coarseStep, c*coarseStep)
				coarse[r*coarseSize+c] = float32(w.ter.height(p[0], p[1]))
			}
		})
		parallelRows(hgtSize, workers, func(r int) {
			row := vals[r*hgtSize : (r+1)*hgtSize]
			r0, fr := r/coarseStep, float32(r%coarseStep)/coarseStep
			r1 := min(r0+1, coarseSize-1)
			for c := range row {
				p := at(r, c)
				out := math.Max(math.Abs(p[0]), math.Abs(p[1])) - w.half
				k := clamp(1-(out-blendStart)/blendWidth, 0, 1)
				var h float32
				if k < 1 {
					c0, fc := c/coarseStep, float32(c%coarseStep)/coarseStep
					c1 := min(c0+1, coarseSize-1)
					top := coarse[r0*coarseSize+c0]*(1-fc) + coarse[r0*coarseSize+c1]*fc
					bot := coarse[r1*coarseSize+c0]*(1-fc) + coarse[r1*coarseSize+c1]*fc
					h = top*(1-fr) + bot*fr
				}
				if k > 0 {
					h = float32(k)*float32(w.ter.height(p[0], p[1])) + float32(1-k)*h
				}
				row[c] = h
			}
		})
		tile := dem.NewTile(orb.Point{lon0, lat0 + 1}, hgtSize, hgtSize, hgtStep, vals)
		path := filepath.Join(dir, tileName(t[0], t[1]))
		if err := writeFile(path, func(bw *bufio.Writer) error { return dem.WriteHGT(bw, tile) }); err != nil {
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
	slices.Sort(paths)
	return paths, nil
}

// parallelRows calls fn(r) for r in [0, n) on workers goroutines and
// returns when all are done. fn must write only row r's output.
func parallelRows(n, workers int, fn func(r int)) {
	var next atomic.Int32
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r := int(next.Add(1)) - 1
				if r >= n {
					return
				}
				fn(r)
			}
		}()
	}
	wg.Wait()
}
