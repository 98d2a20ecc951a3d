package catchment

import (
	"context"
	"fmt"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
)

// problemFromBytes decodes a small problem from fuzz input: never invalid
// by construction except where the bytes say so (then Balance must return
// an error, not panic).
func problemFromBytes(data []byte) *Problem {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := int(data[0])
		data = data[1:]
		return b
	}
	p := &Problem{}
	nc := next() % 4
	for c := range nc {
		mx := next() % 7
		p.CHWs = append(p.CHWs, CHW{ID: fmt.Sprintf("c%d", c), Min: next() % (mx + 1), Max: mx})
	}
	nu := next() % 5
	for range nu {
		u := Unit{ID: fmt.Sprintf("u%d", next()%8), Households: 1 + next()%3, People: next() % 9}
		if v := next(); nc > 0 && v%5 == 0 {
			u.Lock = p.CHWs[v%nc].ID
		}
		if v := next(); v%3 == 0 {
			id := "gone"
			if nc > 0 && v%2 == 0 {
				id = p.CHWs[v%nc].ID
			}
			u.Current = []Share{{CHW: id, Households: 1 + v%u.Households}}
		}
		p.Units = append(p.Units, u)
	}
	for range next() % 10 {
		if nu == 0 || nc == 0 {
			break
		}
		p.Arcs = append(p.Arcs, Arc{Unit: next() % nu, CHW: next() % nc, Walk: geo.Seconds(60 * (next() % 90))})
	}
	if v := next(); v%2 == 0 {
		p.MaxWalk = geo.Seconds(60 * (v % 60))
	}
	p.KeepWhole = next()%2 == 0
	return p
}

// FuzzBalance checks Balance on arbitrary small problems: an error only for
// duplicate IDs, and otherwise a result that accounts for every household
// and, without KeepWhole, is lexicographically optimal.
func FuzzBalance(f *testing.F) {
	f.Add([]byte{2, 3, 1, 5, 2, 3, 0, 2, 4, 5, 6, 1, 2, 3, 6, 0, 1, 30, 1, 0, 45, 0, 1, 20, 1, 1, 50, 40, 1})
	f.Add([]byte{1, 0, 0, 2, 1, 1, 0, 3, 2, 2, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := problemFromBytes(data)
		seen := map[string]bool{}
		dup := false
		for _, u := range p.Units {
			dup = dup || seen[u.ID]
			seen[u.ID] = true
		}
		res, err := Balance(context.Background(), p)
		if dup {
			if err == nil {
				t.Fatal("duplicate unit IDs accepted")
			}
			return
		}
		if err != nil {
			t.Fatalf("Balance: %v\n%+v", err, p)
		}
		checkResult(t, p, res)
		if !p.KeepWhole {
			if got, want := resultTiers(res), bruteBalance(p); got != want {
				t.Fatalf("tiers %v, brute force %v\n%+v", got, want, p)
			}
		}
	})
}
