package shortest

import (
	"context"
	"sync"
	"sync/atomic"
)

// Matrix holds shortest times from every source (row) to every target
// (column). It is immutable and safe for concurrent reads.
type Matrix struct {
	rows, cols int
	d          []uint32 // row-major; inf = unreachable
}

// Rows returns the number of sources.
func (m *Matrix) Rows() int { return m.rows }

// Cols returns the number of targets.
func (m *Matrix) Cols() int { return m.cols }

// At returns the time in milliseconds from source i to target j; ok is false
// when j is unreachable from i or i, j are out of range.
func (m *Matrix) At(i, j int) (uint32, bool) {
	if i < 0 || j < 0 || i >= m.rows || j >= m.cols {
		return 0, false
	}
	d := m.d[i*m.cols+j]
	if d == inf {
		return 0, false
	}
	return d, true
}

func newMatrix(rows, cols int) *Matrix {
	m := &Matrix{rows: rows, cols: cols, d: make([]uint32, rows*cols)}
	for i := range m.d {
		m.d[i] = inf
	}
	return m
}

// parallel calls fn(w, i) for i in [0, count) on up to workers goroutines
// (w is the worker's index, for per-worker scratch) and waits for all of
// them: no goroutine outlives the call. It stops handing out work when ctx
// is cancelled and then returns ctx.Err().
func parallel(ctx context.Context, workers, count int, fn func(w, i int)) error {
	workers = max(1, min(workers, count))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= count {
					return
				}
				fn(w, i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// Matrix computes all source-to-target times with one Dijkstra per source,
// each stopping once every target node is settled. It is the slow reference
// for Hierarchy.Matrix; workers goroutines share the rows. The result is
// deterministic. Cost: len(src) one-to-many searches.
func (g *Graph) Matrix(ctx context.Context, src, dst [][]Seed, workers int) (*Matrix, error) {
	n := g.NumNodes()
	m := newMatrix(len(src), len(dst))
	tg := make([]Seed, 0)
	for _, seeds := range dst {
		tg = append(tg, seeds...)
	}
	all := newTargets(tg, n)
	err := parallel(ctx, workers, len(src), func(_, i int) {
		s := getSearch(n)
		defer putSearch(s)
		s.begin()
		s.seed(src[i])
		left := len(all)
		for !s.heap.empty() && left > 0 {
			v, _ := s.settleNext(g)
			if _, ok := all.offset(v); ok {
				left--
			}
		}
		row := m.d[i*m.cols : (i+1)*m.cols]
		for j, seeds := range dst {
			for _, t := range seeds {
				if int64(t.Node) < int64(n) && s.reached(t.Node) && s.heap.pos[t.Node] == settled {
					row[j] = min(row[j], add(s.dist[t.Node], t.Offset))
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}
