package sheets

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendFixed2 checks appendFixed2 against strconv on random values
// of every size a page holds, halves, negatives and zeros.
func TestAppendFixed2(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	vals := []float64{0, math.Copysign(0, -1), -0.001, 0.005, 0.015, 0.125, -0.125, 1.005, 2.675, 595.275, 841.89, 1e14, 1e16, -1e20, math.Inf(1), math.NaN()}
	for range 1000000 {
		v := (rng.Float64()*2 - 1) * math.Pow(10, rng.Float64()*7-3)
		vals = append(vals, v, math.Round(v*1000)/1000, float64(int(v*200))/200)
	}
	for _, v := range vals {
		if got, want := string(appendFixed2(nil, v)), strconv.FormatFloat(v, 'f', 2, 64); got != want {
			t.Fatalf("appendFixed2(%v) = %q, want %q", v, got, want)
		}
	}
}
