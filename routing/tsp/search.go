package tsp

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"
)

// searcher is a symmetric TSP local search on an array tour. Costs come
// from the n×n symmetric matrix c. fix holds up to two fixed partners per
// node (-1: none); a fixed edge is in every tour and no move removes it.
type searcher[T Cost] struct {
	n   int
	c   []T
	fix [][2]int32
	nb  []int32 // K candidate neighbours per node, nearest first
	k   int

	tour []int32 // tour[p] is the node at position p
	pos  []int32 // pos[v] is the position of node v

	queue []int32 // active nodes (don't-look bits off), FIFO ring
	qhead int
	qlen  int
	inQ   []bool
	undo  []op // journal of the current round, for rejection
	rng   *rand.Rand
	cost  int64
	buf   []int32
	kickW int
}

// op is one journal entry: a reversal of positions i..j, or (swap) the
// exchange of the adjacent segments of lengths a and b starting at i.
type op struct {
	swap    bool
	i, a, b int32
}

func (s *searcher[T]) d(a, b int32) int64 { return int64(s.c[int(a)*s.n+int(b)]) }

func (s *searcher[T]) succ(v int32) int32 {
	p := s.pos[v] + 1
	if int(p) == s.n {
		p = 0
	}
	return s.tour[p]
}

// next is succ, or pred when rev.
func (s *searcher[T]) next(v int32, rev bool) int32 {
	if rev {
		return s.pred(v)
	}
	return s.succ(v)
}

func (s *searcher[T]) pred(v int32) int32 {
	p := s.pos[v] - 1
	if p < 0 {
		p = int32(s.n - 1)
	}
	return s.tour[p]
}

// between reports whether b lies on the forward path from a to c.
func (s *searcher[T]) between(a, b, c int32) bool {
	pa, pb, pc := s.pos[a], s.pos[b], s.pos[c]
	if pa <= pc {
		return pa <= pb && pb <= pc
	}
	return pb >= pa || pb <= pc
}

func (s *searcher[T]) fixed(a, b int32) bool {
	f := s.fix[a]
	return f[0] == b || f[1] == b
}

// reverse reverses the forward path from position i to position j
// (circular), or its complement when that is shorter: both give the same
// cycle.
func (s *searcher[T]) reverse(i, j int32) {
	n := int32(s.n)
	l := j - i
	if l < 0 {
		l += n
	}
	l++ // nodes on the path
	if 2*l > n {
		i, j = j+1, i-1
		if i == n {
			i = 0
		}
		if j < 0 {
			j = n - 1
		}
		l = n - l
	}
	s.undo = append(s.undo, op{i: i, a: j})
	s.rawReverse(i, j, l)
}

func (s *searcher[T]) rawReverse(i, j, l int32) {
	n := int32(s.n)
	for range l / 2 {
		a, b := s.tour[i], s.tour[j]
		s.tour[i], s.tour[j] = b, a
		s.pos[b], s.pos[a] = i, j
		i++
		if i == n {
			i = 0
		}
		j--
		if j < 0 {
			j = n - 1
		}
	}
}

// flip is the 2-opt move that removes (t1,t2) and (t3,t4) and adds
// (t2,t3) and (t4,t1), where t4 is t3's neighbour on the side that keeps
// one cycle.
func (s *searcher[T]) flip(t1, t2, t3 int32) {
	if s.succ(t1) == t2 {
		s.reverse(s.pos[t2], s.pos[s.pred(t3)])
	} else {
		s.reverse(s.pos[s.succ(t3)], s.pos[t2])
	}
}

func (s *searcher[T]) push(v int32) {
	if s.inQ[v] {
		return
	}
	s.inQ[v] = true
	i := s.qhead + s.qlen
	if i >= s.n {
		i -= s.n
	}
	s.queue[i] = v
	s.qlen++
}

func (s *searcher[T]) pop() int32 {
	v := s.queue[s.qhead]
	s.qhead++
	if s.qhead == s.n {
		s.qhead = 0
	}
	s.qlen--
	s.inQ[v] = false
	return v
}

// localSearch runs Or-3opt moves from the active nodes until none
// improves.
func (s *searcher[T]) localSearch() {
	for s.qlen > 0 {
		t1 := s.pop()
		for s.improve(t1) {
		}
	}
}

// improve looks for an improving sequential 2-opt or 3-opt move that
// breaks an edge at t1 (the scheme of LKH's Best3OptMove, first
// improvement). It makes the first one found and reports whether it did.
func (s *searcher[T]) improve(t1 int32) bool {
	for dir := range 2 {
		rev := dir == 1
		suc := func(v int32) int32 { return s.next(v, rev) }
		prd := func(v int32) int32 { return s.next(v, !rev) }
		between := func(a, b, c int32) bool {
			if rev {
				return s.between(c, b, a)
			}
			return s.between(a, b, c)
		}
		t2 := suc(t1)
		if s.fixed(t1, t2) {
			continue
		}
		g0 := s.d(t1, t2)
		for _, t3 := range s.nb[int(t2)*s.k : int(t2)*s.k+s.k] {
			g1 := g0 - s.d(t2, t3)
			if g1 <= 0 {
				break
			}
			if t3 == t1 || t3 == suc(t2) {
				continue
			}
			for x4 := 1; x4 <= 2; x4++ {
				var t4 int32
				if x4 == 1 {
					t4 = prd(t3)
				} else {
					t4 = suc(t3)
				}
				if s.fixed(t3, t4) {
					continue
				}
				g2 := g1 + s.d(t3, t4)
				if x4 == 1 {
					if gain := g2 - s.d(t4, t1); gain > 0 {
						s.flip(t1, t2, t3)
						s.cost -= gain
						s.pushAll(t1, t2, t3, t4)
						return true
					}
				}
				for _, t5 := range s.nb[int(t4)*s.k : int(t4)*s.k+s.k] {
					g3 := g2 - s.d(t4, t5)
					if g3 <= 0 {
						break
					}
					if t5 == suc(t4) || t5 == prd(t4) || (x4 == 2 && !between(t2, t5, t3)) {
						continue
					}
					for x6 := 1; x6 <= x4; x6++ {
						var t6 int32
						var c6 int
						if x4 == 1 {
							if between(t2, t5, t4) {
								c6, t6 = 1, suc(t5)
							} else {
								c6, t6 = 2, prd(t5)
							}
						} else {
							c6 = 4 + x6
							if x6 == 1 {
								t6 = suc(t5)
							} else {
								t6 = prd(t5)
							}
							if t5 == t2 && t6 == t1 {
								continue
							}
						}
						if (t5 == t1 && t6 == t2) || s.fixed(t5, t6) {
							continue
						}
						if gain := g3 + s.d(t5, t6) - s.d(t6, t1); gain > 0 {
							s.make3(t1, t2, t3, t4, t5, t6, c6)
							s.cost -= gain
							s.pushAll(t1, t2, t3, t4)
							s.push(t5)
							s.push(t6)
							return true
						}
					}
				}
			}
		}
	}
	return false
}

func (s *searcher[T]) pushAll(a, b, c, d int32) {
	s.push(a)
	s.push(b)
	s.push(c)
	s.push(d)
}

// make3 makes a sequential 3-opt move as a sequence of 2-opt moves, as
// LKH's Make3OptMove does.
func (s *searcher[T]) make3(t1, t2, t3, t4, t5, t6 int32, c6 int) {
	switch c6 {
	case 1, 2:
		s.flip(t1, t2, t3)
		s.flip(t6, t5, t4)
	case 5:
		s.flip(t1, t2, t4)
		s.flip(t6, t5, t4)
		s.flip(t6, t2, t3)
	case 6:
		s.flip(t3, t4, t5)
		s.flip(t1, t2, t3)
	}
}

// swapSegments exchanges the adjacent segments of lengths a and b that
// start at position i (circular): ..X A B Y.. becomes ..X B A Y.., a
// reversal-free 3-change.
func (s *searcher[T]) swapSegments(i, a, b int32) {
	n := int32(s.n)
	s.buf = s.buf[:0]
	for k := a; k < a+b; k++ {
		s.buf = append(s.buf, s.tour[(i+k)%n])
	}
	for k := range a {
		s.buf = append(s.buf, s.tour[(i+k)%n])
	}
	for k, v := range s.buf {
		p := (i + int32(k)) % n
		s.tour[p] = v
		s.pos[v] = p
	}
	s.undo = append(s.undo, op{swap: true, i: i, a: a, b: b})
}

// rollback undoes the journal, newest first.
func (s *searcher[T]) rollback() {
	for k := len(s.undo) - 1; k >= 0; k-- {
		o := s.undo[k]
		if o.swap {
			s.swapSegments(o.i, o.b, o.a)
		} else {
			l := o.a - o.i
			if l < 0 {
				l += int32(s.n)
			}
			s.rawReverse(o.i, o.a, l+1)
		}
	}
	s.undo = s.undo[:0]
}

// kick applies a random segment swap near a random position, cutting
// three non-fixed edges, and activates its endpoints. It returns false
// when no such kick was found.
func (s *searcher[T]) kick() bool {
	n := int32(s.n)
	w := int32(s.kickW)
	at := func(p int32) int32 { return s.tour[p%n] }
	for range 50 {
		i := int32(s.rng.IntN(s.n))
		a := 1 + int32(s.rng.IntN(int(w)))
		b := 1 + int32(s.rng.IntN(int(w)))
		// Slide the cuts off fixed edges (twins of the asymmetric
		// transform alternate with free edges).
		for k := 0; k < 3 && s.fixed(at(i+n-1), at(i)); k++ {
			i = (i + 1) % n
		}
		for k := 0; k < 3 && s.fixed(at(i+a-1), at(i+a)); k++ {
			a++
		}
		for k := 0; k < 3 && s.fixed(at(i+a+b-1), at(i+a+b)); k++ {
			b++
		}
		if a+b+2 > n {
			continue
		}
		x := at(i + n - 1)
		a1, a2 := at(i), at(i+a-1)
		b1, b2 := at(i+a), at(i+a+b-1)
		y := at(i + a + b)
		if s.fixed(x, a1) || s.fixed(a2, b1) || s.fixed(b2, y) {
			continue
		}
		delta := s.d(x, b1) + s.d(b2, a1) + s.d(a2, y) - s.d(x, a1) - s.d(a2, b1) - s.d(b2, y)
		s.swapSegments(i, a, b)
		s.cost += delta
		s.push(x)
		s.push(a1)
		s.push(a2)
		s.push(b1)
		s.push(b2)
		s.push(y)
		return true
	}
	return false
}

// iterate runs the iterated local search: kick, local search, keep the
// result when it is no worse, otherwise roll back. Every walkEvery rounds
// without a new best it kicks several times and keeps the result, to
// leave a deep local optimum; the best tour is restored at the end. It
// returns the number of rounds.
func (s *searcher[T]) iterate(ctx context.Context, deadline time.Time, maxRounds, stall int, done func(cost int64) bool) int {
	best := s.cost
	bestTour := slices.Clone(s.tour)
	walkEvery := max(100, 2*s.n)
	rounds, since := 0, 0
	for maxRounds <= 0 || rounds < maxRounds {
		if stall > 0 && since >= stall {
			break
		}
		if rounds&15 == 0 {
			if ctx.Err() != nil || (!deadline.IsZero() && time.Now().After(deadline)) {
				break
			}
		}
		if done != nil && done(best) {
			break
		}
		rounds++
		s.undo = s.undo[:0]
		before := s.cost
		// A walk round kicks harder the longer the search has stalled
		// and keeps its result even when worse.
		walk := since > 0 && since%walkEvery == 0
		kicks := 1
		if walk {
			kicks = min(walkKicks, since/walkEvery)
		}
		kicked := 0
		for range kicks {
			if s.kick() {
				kicked++
			}
		}
		if kicked == 0 {
			break
		}
		s.localSearch()
		if s.cost < best {
			best = s.cost
			copy(bestTour, s.tour)
			since = 0
		} else {
			since++
		}
		if s.cost > before && !walk {
			s.rollback()
			s.cost = before
		}
	}
	if s.cost != best {
		copy(s.tour, bestTour)
		for p, v := range s.tour {
			s.pos[v] = int32(p)
		}
		s.cost = best
	}
	return rounds
}

// walkKicks caps the number of kicks of one walk round.
const walkKicks = 8

// tourCost recomputes the cost of the current tour.
func (s *searcher[T]) tourCost() int64 {
	var c int64
	for p := 1; p < s.n; p++ {
		c += s.d(s.tour[p-1], s.tour[p])
	}
	return c + s.d(s.tour[s.n-1], s.tour[0])
}
