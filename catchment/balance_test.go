package catchment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lastmile-health/lastmile/geo"
)

// walk is a candidate arc by IDs, in minutes.
type walk struct {
	unit, chw string
	min       float64
}

// mkProblem builds a problem from units, CHWs and arcs given by ID.
func mkProblem(units []Unit, chws []CHW, walks []walk) *Problem {
	p := &Problem{Units: units, CHWs: chws}
	ui, ci := map[string]int{}, map[string]int{}
	for i, u := range units {
		ui[u.ID] = i
	}
	for i, c := range chws {
		ci[c.ID] = i
	}
	for _, w := range walks {
		p.Arcs = append(p.Arcs, Arc{Unit: ui[w.unit], CHW: ci[w.chw], Walk: geo.Seconds(60 * w.min)})
	}
	return p
}

// households returns n one-household units h1..hn.
func households(n int) []Unit {
	var us []Unit
	for i := 1; i <= n; i++ {
		us = append(us, Unit{ID: fmt.Sprintf("h%d", i), Households: 1, People: 4})
	}
	return us
}

// assignment renders a result as "unit:chw×n ..." in unit order.
func assignment(p *Problem, r *Result) string {
	var s []string
	for i, u := range p.Units {
		a := r.Units[i]
		x := u.ID + ":"
		for k, q := range a.Parts {
			if k > 0 {
				x += "+"
			}
			x += p.CHWs[q.CHW].ID
			if len(a.Parts) > 1 || a.Unassigned > 0 {
				x += fmt.Sprintf("×%d", q.Households)
			}
		}
		if a.Unassigned > 0 {
			x += fmt.Sprintf("-×%d(%s)", a.Unassigned, a.Reason)
		}
		s = append(s, x)
	}
	return strings.Join(s, " ")
}

func TestBalanceKnownAnswers(t *testing.T) {
	tests := []struct {
		name  string
		p     *Problem
		want  string
		check func(t *testing.T, p *Problem, r *Result)
	}{
		{
			// A takes 2; of its three households, the one that loses least
			// by walking to B (h3: 12 − 10 = 2 min) goes there.
			name: "CHW at capacity",
			p: mkProblem(households(3),
				[]CHW{{ID: "A", Max: 2}, {ID: "B", Max: 5}},
				[]walk{{"h1", "A", 5}, {"h1", "B", 30}, {"h2", "A", 6}, {"h2", "B", 20}, {"h3", "A", 10}, {"h3", "B", 12}}),
			want: "h1:A h2:A h3:B",
		},
		{
			// Capacities ample: every household to its nearer CHW.
			name: "two CHWs with different walking costs",
			p: mkProblem(households(4),
				[]CHW{{ID: "A", Max: 10}, {ID: "B", Max: 10}},
				[]walk{{"h1", "A", 5}, {"h1", "B", 9}, {"h2", "A", 15}, {"h2", "B", 9}, {"h3", "A", 5}, {"h3", "B", 50}, {"h4", "A", 40}, {"h4", "B", 8}}),
			want: "h1:A h2:B h3:A h4:B",
		},
		{
			// B must reach 2 households: the minimum outranks walking, so
			// the household costing least extra (h1: +4) joins h2 and h4.
			name: "minimum outranks walking",
			p: mkProblem(households(4),
				[]CHW{{ID: "A", Max: 10}, {ID: "B", Min: 3, Max: 10}},
				[]walk{{"h1", "A", 5}, {"h1", "B", 9}, {"h2", "A", 15}, {"h2", "B", 9}, {"h3", "A", 5}, {"h3", "B", 50}, {"h4", "A", 40}, {"h4", "B", 8}}),
			want: "h1:B h2:B h3:A h4:B",
		},
		{
			// The walk limit outranks the minimum: B stays short rather
			// than take h3 beyond 30 minutes.
			name: "walk limit outranks the minimum",
			p: func() *Problem {
				p := mkProblem(households(3),
					[]CHW{{ID: "A", Max: 10}, {ID: "B", Min: 2, Max: 10}},
					[]walk{{"h1", "A", 5}, {"h1", "B", 10}, {"h2", "A", 5}, {"h2", "B", 60}, {"h3", "A", 5}, {"h3", "B", 40}})
				p.MaxWalk = 30 * 60
				return p
			}(),
			want: "h1:B h2:A h3:A",
			check: func(t *testing.T, p *Problem, r *Result) {
				if r.Load[1].UnderMinimum != 1 || r.Summary.UnderMinimum != 1 {
					t.Errorf("B under minimum %d (summary %d), want 1", r.Load[1].UnderMinimum, r.Summary.UnderMinimum)
				}
			},
		},
		{
			// A is full with h1, so h2 must go beyond the limit to B: an
			// over-walk assignment beats leaving it unassigned.
			name: "over walk only when nothing else fits",
			p: func() *Problem {
				p := mkProblem(households(2),
					[]CHW{{ID: "A", Max: 1}, {ID: "B", Max: 5}},
					[]walk{{"h1", "A", 10}, {"h1", "B", 45}, {"h2", "A", 20}, {"h2", "B", 40}})
				p.MaxWalk = 30 * 60
				return p
			}(),
			// h2 → B over walk (40) beats h1 → B over walk (45): one
			// over-walk household either way, then least minutes.
			want: "h1:A h2:B",
			check: func(t *testing.T, p *Problem, r *Result) {
				if r.Summary.OverWalk != 1 || r.Load[1].OverWalk != 1 {
					t.Errorf("over walk %d (B %d), want 1", r.Summary.OverWalk, r.Load[1].OverWalk)
				}
			},
		},
		{
			name: "unassigned with reasons",
			p: mkProblem(households(3),
				[]CHW{{ID: "A", Max: 1}},
				[]walk{{"h1", "A", 10}, {"h2", "A", 5}}),
			want: "h1:-×1(over_capacity) h2:A h3:-×1(no_candidate)",
			check: func(t *testing.T, p *Problem, r *Result) {
				want := map[Reason]int{OverCapacity: 1, NoCandidate: 1}
				if fmt.Sprint(r.Summary.UnassignedBy) != fmt.Sprint(want) {
					t.Errorf("UnassignedBy %v, want %v", r.Summary.UnassignedBy, want)
				}
			},
		},
		{
			// Locks hold against walking and capacity; the overload is
			// reported, and the unlocked household makes way.
			name: "locks",
			p: func() *Problem {
				p := mkProblem(households(3),
					[]CHW{{ID: "A", Max: 1}, {ID: "B", Max: 1}},
					[]walk{{"h1", "A", 5}, {"h1", "B", 50}, {"h2", "A", 5}, {"h2", "B", 50}, {"h3", "A", 5}, {"h3", "B", 6}})
				p.Units[0].Lock = "B" // far, but pinned
				p.Units[1].Lock = "A"
				p.Units[2].Lock = "A" // A over capacity by 1
				return p
			}(),
			want: "h1:B h2:A h3:A",
			check: func(t *testing.T, p *Problem, r *Result) {
				if r.Load[0].OverCapacity != 1 || r.Summary.OverCapacity != 1 {
					t.Errorf("A over capacity %d, want 1", r.Load[0].OverCapacity)
				}
			},
		},
		{
			name: "locked without a candidate arc",
			p: func() *Problem {
				p := mkProblem(households(1), []CHW{{ID: "A", Max: 1}, {ID: "B", Max: 1}}, []walk{{"h1", "A", 5}})
				p.Units[0].Lock = "B"
				return p
			}(),
			want: "h1:B",
			check: func(t *testing.T, p *Problem, r *Result) {
				if q := r.Units[0].Parts[0]; q.Routed || r.Summary.Unrouted != 1 {
					t.Errorf("part %+v, unrouted %d: want unrouted", q, r.Summary.Unrouted)
				}
			},
		},
		{
			// A village of 4 is kept whole: the flow fills A with V1 and
			// half of V2; repair gives V2 whole to B.
			name: "village must stay whole",
			p: func() *Problem {
				p := mkProblem([]Unit{{ID: "V1", Households: 4, People: 20}, {ID: "V2", Households: 4, People: 16}},
					[]CHW{{ID: "A", Max: 6}, {ID: "B", Max: 6}},
					[]walk{{"V1", "A", 5}, {"V1", "B", 40}, {"V2", "A", 10}, {"V2", "B", 20}})
				p.KeepWhole = true
				return p
			}(),
			want: "V1:A V2:B",
			check: func(t *testing.T, p *Problem, r *Result) {
				if r.Merged != 1 || r.Split != 0 || r.Summary.SplitUnits != 0 {
					t.Errorf("merged %d, split %d, want 1 and 0", r.Merged, r.Split)
				}
			},
		},
		{
			name: "village split without KeepWhole",
			p: mkProblem([]Unit{{ID: "V1", Households: 4, People: 20}, {ID: "V2", Households: 4, People: 16}},
				[]CHW{{ID: "A", Max: 6}, {ID: "B", Max: 6}},
				[]walk{{"V1", "A", 5}, {"V1", "B", 40}, {"V2", "A", 10}, {"V2", "B", 20}}),
			want: "V1:A V2:A×2+B×2",
			check: func(t *testing.T, p *Problem, r *Result) {
				if r.Load[0].People != 28 || r.Load[1].People != 8 {
					t.Errorf("people A %d B %d, want 28 and 8 (V2's 16 shared by households)", r.Load[0].People, r.Load[1].People)
				}
			},
		},
		{
			// A village bigger than any capacity is split, and says so.
			name: "village too big for any CHW",
			p: func() *Problem {
				p := mkProblem([]Unit{{ID: "V", Households: 10, People: 50}},
					[]CHW{{ID: "A", Max: 6}, {ID: "B", Max: 6}},
					[]walk{{"V", "A", 5}, {"V", "B", 10}})
				p.KeepWhole = true
				return p
			}(),
			want: "V:A×6+B×4",
			check: func(t *testing.T, p *Problem, r *Result) {
				if r.Split != 1 || r.Summary.SplitUnits != 1 {
					t.Errorf("split %d, want 1", r.Split)
				}
			},
		},
		{
			// B's minimum takes 2 of V2; whole at A would leave B short,
			// whole at B would exceed its capacity: V2 stays split.
			name: "village kept split by a minimum",
			p: func() *Problem {
				p := mkProblem([]Unit{{ID: "V1", Households: 4}, {ID: "V2", Households: 4}},
					[]CHW{{ID: "A", Max: 8}, {ID: "B", Min: 2, Max: 2}},
					[]walk{{"V1", "A", 5}, {"V2", "A", 10}, {"V2", "B", 20}})
				p.KeepWhole = true
				return p
			}(),
			want: "V1:A V2:A×2+B×2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Balance(context.Background(), tt.p)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, tt.p, r)
			if got := assignment(tt.p, r); got != tt.want {
				t.Errorf("Balance = %s, want %s", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, tt.p, r)
			}
		})
	}
}

// A CHW leaves and another joins: only the households of the one who left
// move (to the nearest CHW with room), plus exactly as many as the new
// CHW's minimum needs; nobody moves merely for a shorter walk.
func TestBalanceKeep(t *testing.T) {
	us := households(6)
	cur := []string{"A", "A", "C", "C", "A", "A"}
	for i := range us {
		us[i].Current = []Share{{CHW: cur[i], Households: 1}}
	}
	p := mkProblem(us,
		[]CHW{{ID: "A", Max: 10}, {ID: "B", Max: 10}, {ID: "D", Min: 1, Max: 10}}, // C left, D joined
		[]walk{
			{"h1", "A", 20}, {"h1", "D", 5}, // D is much nearer for h1 and h2,
			{"h2", "A", 20}, {"h2", "D", 6}, // but only one is needed
			{"h3", "A", 30}, {"h3", "B", 10}, // C's households go to B
			{"h4", "B", 12}, {"h4", "A", 8}, // or A, whichever is nearer
			{"h5", "A", 5}, {"h5", "B", 1},
			{"h6", "A", 5},
		})
	r, err := Balance(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, p, r)
	if got, want := assignment(p, r), "h1:D h2:A h3:B h4:A h5:A h6:A"; got != want {
		t.Errorf("Balance = %s, want %s", got, want)
	}
	var moves []string
	for _, m := range r.Moves {
		moves = append(moves, fmt.Sprintf("%s %s→%s ×%d %s", p.Units[m.Unit].ID, m.From, m.To, m.Households, m.Reason))
	}
	want := []string{"h1 A→D ×1 under_minimum", "h3 C→B ×1 chw_left", "h4 C→A ×1 chw_left"}
	if !slices.Equal(moves, want) {
		t.Errorf("moves %q, want %q", moves, want)
	}
	if r.Summary.Moves != 3 {
		t.Errorf("Summary.Moves = %d, want 3", r.Summary.Moves)
	}
}

// Capacity cut below the current load: the fewest households leave, and
// they are the ones for whom leaving costs least.
func TestBalanceKeepCapacityCut(t *testing.T) {
	us := households(4)
	for i := range us {
		us[i].Current = []Share{{CHW: "A", Households: 1}}
	}
	p := mkProblem(us, []CHW{{ID: "A", Max: 3}, {ID: "B", Max: 3}},
		[]walk{{"h1", "A", 5}, {"h1", "B", 9}, {"h2", "A", 5}, {"h2", "B", 6}, {"h3", "A", 1}, {"h3", "B", 60}, {"h4", "A", 2}, {"h4", "B", 30}})
	r, err := Balance(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := assignment(p, r), "h1:A h2:B h3:A h4:A"; got != want {
		t.Errorf("Balance = %s, want %s", got, want)
	}
	if len(r.Moves) != 1 || r.Moves[0].Reason != MoveOverCapacity {
		t.Errorf("moves %+v, want one over_capacity move", r.Moves)
	}
}

func TestBalanceWiden(t *testing.T) {
	t.Run("unit", func(t *testing.T) {
		// h2's only candidate A is full; More offers B.
		p := mkProblem(households(2), []CHW{{ID: "A", Max: 1}, {ID: "B", Max: 1}},
			[]walk{{"h1", "A", 5}, {"h2", "A", 6}})
		var asked []Request
		p.More = func(req Request) ([]Arc, error) {
			asked = append(asked, req)
			var out []Arc
			for _, u := range req.Units {
				out = append(out, Arc{Unit: u, CHW: 1, Walk: 600}, Arc{Unit: u, CHW: 0, Walk: 360})
			}
			return out, nil
		}
		r, err := Balance(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := assignment(p, r), "h1:A h2:B"; got != want {
			t.Errorf("Balance = %s, want %s", got, want)
		}
		if len(asked) != 1 || !slices.Equal(asked[0].Units, []int{1}) || r.Widened != 1 || r.Rounds != 1 {
			t.Errorf("asked %+v, widened %d, rounds %d; want units [1] once, 1 arc", asked, r.Widened, r.Rounds)
		}
	})
	t.Run("chw", func(t *testing.T) {
		// B is short of its minimum; More gives every unit within the
		// limit of B.
		p := mkProblem(households(3), []CHW{{ID: "A", Max: 5}, {ID: "B", Min: 2, Max: 5}},
			[]walk{{"h1", "A", 5}, {"h2", "A", 6}, {"h3", "A", 7}})
		p.MaxWalk = 30 * 60
		p.More = func(req Request) ([]Arc, error) {
			if !slices.Equal(req.CHWs, []int{1}) || req.Within != 30*60 {
				return nil, fmt.Errorf("unexpected request %+v", req)
			}
			return []Arc{{Unit: 0, CHW: 1, Walk: 20 * 60}, {Unit: 2, CHW: 1, Walk: 10 * 60}, {Unit: 1, CHW: 1, Walk: 25 * 60}}, nil
		}
		r, err := Balance(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		// B needs two: h3 (+3 min) and h1 (+15 min) cost least extra.
		if got, want := assignment(p, r), "h1:B h2:A h3:B"; got != want {
			t.Errorf("Balance = %s, want %s", got, want)
		}
	})
	t.Run("exhausted", func(t *testing.T) {
		p := mkProblem(households(2), []CHW{{ID: "A", Max: 1}, {ID: "B", Max: 1}}, []walk{{"h1", "A", 5}, {"h2", "A", 6}})
		calls := 0
		p.More = func(req Request) ([]Arc, error) { calls++; return nil, nil }
		r, err := Balance(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		if calls != 1 || r.Units[1].Reason != OverCapacity {
			t.Errorf("calls %d, h2 %+v: want one call and h2 over_capacity", calls, r.Units[1])
		}
	})
	t.Run("error", func(t *testing.T) {
		p := mkProblem(households(2), []CHW{{ID: "A", Max: 1}, {ID: "B", Max: 1}}, []walk{{"h1", "A", 5}, {"h2", "A", 6}})
		boom := errors.New("boom")
		p.More = func(Request) ([]Arc, error) { return nil, boom }
		if _, err := Balance(context.Background(), p); !errors.Is(err, boom) {
			t.Errorf("Balance = %v, want the error from More", err)
		}
	})
}

func TestBalanceErrors(t *testing.T) {
	ok := func() *Problem {
		return mkProblem(households(2), []CHW{{ID: "A", Max: 2}}, []walk{{"h1", "A", 5}})
	}
	tests := []struct {
		name   string
		mutate func(p *Problem)
		want   error
		names  string
	}{
		{"duplicate unit", func(p *Problem) { p.Units[1].ID = "h1" }, ErrDuplicateID, `"h1"`},
		{"duplicate CHW", func(p *Problem) { p.CHWs = append(p.CHWs, CHW{ID: "A"}) }, ErrDuplicateID, `"A"`},
		{"empty unit ID", func(p *Problem) { p.Units[0].ID = "" }, ErrBadUnit, "unit 0"},
		{"no households", func(p *Problem) { p.Units[1].Households = 0 }, ErrBadUnit, `"h2"`},
		{"min above max", func(p *Problem) { p.CHWs[0].Min = 3 }, ErrBadCHW, `"A"`},
		{"negative max", func(p *Problem) { p.CHWs[0].Max = -1 }, ErrBadCHW, `"A"`},
		{"arc out of range", func(p *Problem) { p.Arcs[0].CHW = 3 }, ErrBadArc, "arc 0"},
		{"negative walk", func(p *Problem) { p.Arcs[0].Walk = -1 }, ErrBadArc, `"h1"`},
		{"unknown lock", func(p *Problem) { p.Units[0].Lock = "Z" }, ErrUnknownLock, `"Z"`},
		{"shares exceed households", func(p *Problem) { p.Units[0].Current = []Share{{CHW: "A", Households: 2}} }, ErrBadUnit, `"h1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok()
			tt.mutate(p)
			_, err := Balance(context.Background(), p)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.names) {
				t.Errorf("Balance = %v, want %v naming %s", err, tt.want, tt.names)
			}
		})
	}
}

// Edge cases: no CHWs, no units, zero-capacity CHWs.
func TestBalanceEdges(t *testing.T) {
	r, err := Balance(context.Background(), mkProblem(households(2), nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.UnassignedBy[NoCandidate] != 2 {
		t.Errorf("no CHWs: %+v", r.Summary)
	}
	r, err = Balance(context.Background(), mkProblem(nil, []CHW{{ID: "A", Min: 1, Max: 2}}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if r.Load[0].UnderMinimum != 1 || r.Summary.Spread.CHWs != 1 {
		t.Errorf("no units: %+v %+v", r.Load, r.Summary)
	}
	p := mkProblem(households(1), []CHW{{ID: "A"}}, []walk{{"h1", "A", 5}})
	if r, err = Balance(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if got := assignment(p, r); got != "h1:-×1(over_capacity)" {
		t.Errorf("zero capacity: %s", got)
	}
}

// Balance on the same input twice gives identical results.
func TestBalanceDeterministic(t *testing.T) {
	c := country{side: 30, villages: 200, households: 6000, chws: 30, capacity: 250, minimum: 40, k: 6, maxWalk: 3600, seed: 3}
	in := c.generate()
	var first string
	for i := range 2 {
		p := in.problem(false)
		r, err := Balance(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(r.Units, r.Load, r.Summary)
		if i == 0 {
			first = got
		} else if got != first {
			t.Fatal("two runs differ")
		}
	}
}

// With WidenOverWalk, h1 (beyond the limit at A, its only candidate) is
// offered B: it moves there, still beyond the limit, and frees A for h2,
// which is within it. Without, two households stay over the limit.
func TestBalanceWidenOverWalk(t *testing.T) {
	for _, widen := range []bool{false, true} {
		p := mkProblem(households(2), []CHW{{ID: "A", Max: 1}, {ID: "B", Max: 5}, {ID: "C", Max: 5}},
			[]walk{{"h1", "A", 40}, {"h2", "A", 20}, {"h2", "C", 45}})
		p.MaxWalk = 30 * 60
		p.WidenOverWalk = widen
		var asked [][]int
		p.More = func(req Request) ([]Arc, error) {
			asked = append(asked, req.Units)
			var out []Arc
			for _, u := range req.Units {
				if u == 0 {
					out = append(out, Arc{Unit: 0, CHW: 1, Walk: 50 * 60})
				}
			}
			return out, nil
		}
		r, err := Balance(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		want, wantOver, wantAsked := "h1:A h2:C", 2, "[]"
		if widen {
			want, wantOver, wantAsked = "h1:B h2:A", 1, "[[0]]"
		}
		if got := assignment(p, r); got != want || r.Summary.OverWalk != wantOver || fmt.Sprint(asked) != wantAsked {
			t.Errorf("WidenOverWalk %v: %s, over walk %d, asked %v; want %s, %d, %s", widen, got, r.Summary.OverWalk, asked, want, wantOver, wantAsked)
		}
	}
}
