package tiles

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPlaceCallouts checks placements against their definition, pair by
// pair, on clusters of points: no two symbols overlap unless one had no
// free spot and stayed on its point; a moved symbol lies within maxShift
// of its point and covers no other point; a symbol whose point was free
// when its turn came stays; the first never moves.
func TestPlaceCallouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const d, maxShift = 12.0, 36.0
	dist := func(a, b Pt) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }
	for trial := range 300 {
		n := 1 + rng.IntN(40)
		spread := 5 + rng.Float64()*200
		at := make([]Pt, n)
		for i := range at {
			at[i] = Pt{300 + rng.NormFloat64()*spread, 200 + rng.NormFloat64()*spread}
		}
		if trial%7 == 0 && n > 2 {
			at[2] = at[1] // two households on the same spot
		}
		var fixed []Pt
		for range rng.IntN(3) {
			fixed = append(fixed, Pt{300 + rng.NormFloat64()*spread, 200 + rng.NormFloat64()*spread})
		}
		placed, moved := placeCallouts(at, fixed, d, maxShift)
		// firstFree is the first spot on the rings round point i, checked
		// against every symbol placed before it and every point: the
		// definition, by brute force.
		firstFree := func(i int) *Pt {
			for ring := 1; float64(ring)*d <= maxShift; ring++ {
				r := float64(ring) * d
				for k := range 8 * ring {
					a := -math.Pi/4 + 2*math.Pi*float64(k)/float64(8*ring)
					q := Pt{at[i].X + r*math.Cos(a), at[i].Y + r*math.Sin(a)}
					ok := true
					for _, f := range fixed {
						ok = ok && dist(q, f) >= d
					}
					for j := range at {
						ok = ok && (j == i || dist(q, at[j]) >= d/2) && (j >= i || dist(q, placed[j]) >= d)
					}
					if ok {
						return &q
					}
				}
			}
			return nil
		}
		if len(placed) != n {
			t.Fatalf("trial %d: %d placements for %d points", trial, len(placed), n)
		}
		for i := range at {
			if !moved[i] {
				if placed[i] != at[i] {
					t.Fatalf("trial %d: symbol %d not moved but not on its point", trial, i)
				}
				free := true
				for _, f := range fixed {
					free = free && dist(at[i], f) >= d
				}
				for j := range i {
					free = free && dist(at[i], placed[j]) >= d
				}
				if !free && firstFree(i) != nil {
					t.Fatalf("trial %d: symbol %d stayed on its covered point although %v was free", trial, i, *firstFree(i))
				}
				continue
			}
			if q := firstFree(i); q == nil || *q != placed[i] {
				t.Fatalf("trial %d: symbol %d moved to %v, the first free spot is %v", trial, i, placed[i], q)
			}
			if s := dist(placed[i], at[i]); s > maxShift+1e-9 || s < d-1e-9 {
				t.Fatalf("trial %d: symbol %d moved %.1f, want within [%g, %g]", trial, i, s, d, maxShift)
			}
			for j := range at {
				if j != i && dist(placed[i], at[j]) < d/2 {
					t.Fatalf("trial %d: moved symbol %d covers point %d", trial, i, j)
				}
				if j < i && dist(placed[i], placed[j]) < d {
					t.Fatalf("trial %d: moved symbol %d overlaps symbol %d", trial, i, j)
				}
			}
			for _, f := range fixed {
				if dist(placed[i], f) < d {
					t.Fatalf("trial %d: moved symbol %d overlaps a fixed symbol", trial, i)
				}
			}
		}
		// A covered point whose symbol stayed had no free spot: only in
		// crowds. Sparse points never overlap at all.
		if spread > 150 && n < 10 {
			for i := range at {
				for j := range i {
					if dist(placed[i], placed[j]) < d && dist(at[i], at[j]) > 3*d {
						t.Fatalf("trial %d: symbols %d and %d overlap far from crowds", trial, i, j)
					}
				}
			}
		}
		again, _ := placeCallouts(at, fixed, d, maxShift)
		for i := range again {
			if again[i] != placed[i] {
				t.Fatalf("trial %d: placements differ between runs", trial)
			}
		}
	}
}

// TestPlaceCalloutsSeparates: ten households within two metres of each
// other and of the CHW's home, at print scale, all get a free spot off
// the home's symbol.
func TestPlaceCalloutsSeparates(t *testing.T) {
	var at []Pt
	for i := range 10 {
		at = append(at, Pt{100 + float64(i%3), 100 + float64(i/3)})
	}
	home := Pt{101, 101}
	placed, moved := placeCallouts(at, []Pt{home}, 12, 36)
	for i := range placed {
		if math.Hypot(placed[i].X-home.X, placed[i].Y-home.Y) < 12 {
			t.Errorf("symbol %d covers the CHW's home", i)
		}
		if !moved[i] {
			t.Errorf("symbol %d stayed on its point", i)
		}
		for j := range i {
			if math.Hypot(placed[i].X-placed[j].X, placed[i].Y-placed[j].Y) < 12 {
				t.Errorf("symbols %d and %d overlap", j, i)
			}
		}
	}
}
