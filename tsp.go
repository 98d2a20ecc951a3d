package lastmile

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/lastmile-health/lastmile/data/tsplib"
	"github.com/lastmile-health/lastmile/routing/tsp"
)

// TSPResult is one TSPLIB instance solved.
type TSPResult struct {
	tsp.Result
	Instance *tsplib.Instance
	// Name is the instance's NAME, else the file name without extension.
	Name    string
	Seconds float64
	// Tour is the visiting order as TSPLIB node numbers (1-based).
	Tour []int
}

// SolveTSP reads a TSPLIB .tsp or .atsp file and optimises its tour: the
// one read-and-solve path of lastmile tsp and lastmile bench tsplib.
func SolveTSP(ctx context.Context, file string, opts *tsp.Options) (*TSPResult, error) {
	in, err := tsplib.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m, err := in.Matrix()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	res, err := tsp.Solve(ctx, tsp.Matrix[int32]{N: in.Dimension, C: m}, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	out := &TSPResult{Result: res, Instance: in, Name: in.Name, Seconds: time.Since(t0).Seconds()}
	if out.Name == "" {
		out.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	out.Tour = make([]int, len(res.Order))
	for i, v := range res.Order {
		out.Tour[i] = v + 1
	}
	return out, nil
}
