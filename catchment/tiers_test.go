package catchment

import (
	"math/big"
	"testing"
)

// The folded weights satisfy w_k > Σ_{j>k} D_j·w_j for the cycle bounds of
// tiers.go (checked in exact arithmetic), and huge instances fall back to
// a coarser resolution instead of overflowing.
func TestFoldWeights(t *testing.T) {
	tests := []struct {
		chws    int
		maxWalk float64
		wantRes float64
	}{
		{1, 0, 1},
		{30, 3600, 1},
		{4000, 36000, 1},        // national, walks up to 10 h
		{4000, 80000, 1},        // national, walks up to 22 h
		{4000, 7 * 86400, 10},   // a week's walk: 10 s resolution
		{20000, 86400, 1000},    // 20,000 CHWs, walks up to a day
		{100000, 86400, 100000}, // absurd, still folds
	}
	for _, tt := range tests {
		w, ok := foldWeights(tt.chws, tt.maxWalk)
		if !ok {
			t.Fatalf("foldWeights(%d, %v) failed", tt.chws, tt.maxWalk)
		}
		if w.resolution != tt.wantRes {
			t.Errorf("foldWeights(%d, %v) resolution %v, want %v", tt.chws, tt.maxWalk, w.resolution, tt.wantRes)
		}
		l := big.NewInt(int64(2*tt.chws + 4))
		bi := func(x int64) *big.Int { return big.NewInt(x) }
		d5 := new(big.Int).Mul(l, bi(w.maxArc))
		// tiers from least to most important: weight and cycle bound D
		ws := []*big.Int{bi(1), bi(w.move), bi(w.underMin), bi(w.overWalk), bi(w.unassigned), bi(w.overflow)}
		ds := []*big.Int{d5, l, bi(2), l, bi(2), bi(2)}
		for k := 1; k < len(ws); k++ {
			sum := new(big.Int)
			for j := range k {
				sum.Add(sum, new(big.Int).Mul(ds[j], ws[j]))
			}
			if ws[k].Cmp(sum) <= 0 {
				t.Errorf("foldWeights(%d, %v): tier weight %v ≤ %v below it", tt.chws, tt.maxWalk, ws[k], sum)
			}
		}
	}
}
