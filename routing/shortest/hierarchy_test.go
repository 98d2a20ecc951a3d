package shortest_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"

	"github.com/lastmile-health/lastmile/routing/shortest"
)

// TestConcurrentQueries runs queries on one Hierarchy from many goroutines
// (run with -race) and compares them with plain Dijkstra.
func TestConcurrentQueries(t *testing.T) {
	g := synthGraph(15, 9)
	h, err := shortest.Contract(context.Background(), g, nil)
	if err != nil {
		t.Fatal(err)
	}
	pairs := benchPairs(g.NumNodes(), 400)
	want := make([]uint32, len(pairs))
	for i, p := range pairs {
		want[i], _, _ = g.Query([]shortest.Seed{{Node: p[0]}}, []shortest.Seed{{Node: p[1]}})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(pairs); i += 8 {
				p := pairs[i]
				if d, _, ok := h.Query([]shortest.Seed{{Node: p[0]}}, []shortest.Seed{{Node: p[1]}}); !ok || d != want[i] {
					errs <- errors.New("concurrent query disagrees with Dijkstra")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestContractProgressAndCancel(t *testing.T) {
	g := synthGraph(20, 2)
	last, calls := 0, 0
	_, err := shortest.Contract(context.Background(), g, &shortest.ContractOptions{Progress: func(done, total int) {
		if total != g.NumNodes() || done < last || done > total {
			t.Errorf("Progress(%d, %d) after %d", done, total, last)
		}
		last = done
		calls++
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last != g.NumNodes() || calls == 0 {
		t.Errorf("Progress ended at %d after %d calls, want %d", last, calls, g.NumNodes())
	}

	ctx, cancel := context.WithCancel(context.Background())
	_, err = shortest.Contract(ctx, g, &shortest.ContractOptions{Progress: func(done, total int) {
		if done > total/2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Contract with cancelled context = %v, want context.Canceled", err)
	}
}

func TestMatrixCancelNoLeak(t *testing.T) {
	g := synthGraph(20, 2)
	h, err := shortest.Contract(context.Background(), g, nil)
	if err != nil {
		t.Fatal(err)
	}
	seeds := make([][]shortest.Seed, 50)
	for i := range seeds {
		seeds[i] = []shortest.Seed{{Node: uint32(i * 7)}}
	}
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Matrix(ctx, seeds, seeds, 4); !errors.Is(err, context.Canceled) {
		t.Errorf("Hierarchy.Matrix(cancelled) = %v, want context.Canceled", err)
	}
	if _, err := g.Matrix(ctx, seeds, seeds, 4); !errors.Is(err, context.Canceled) {
		t.Errorf("Graph.Matrix(cancelled) = %v, want context.Canceled", err)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines after Matrix, %d before", after, before)
	}
	// Same result for any worker count.
	m1, _ := h.Matrix(context.Background(), seeds, seeds, 1)
	m3, _ := h.Matrix(context.Background(), seeds, seeds, 3)
	for i := range seeds {
		for j := range seeds {
			a, aok := m1.At(i, j)
			b, bok := m3.At(i, j)
			if a != b || aok != bok {
				t.Fatalf("At(%d, %d) differs between 1 and 3 workers", i, j)
			}
		}
	}
}

func TestNewGraphPanicsOnBadArc(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewGraph with an arc outside the graph did not panic")
		}
	}()
	shortest.NewGraph(2, []shortest.Arc{{From: 0, To: 2, Weight: 1}})
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		g    shortest.Graph
		ok   bool
	}{
		{"zero", shortest.Graph{}, true},
		{"one node", shortest.Graph{FirstOut: []uint32{0}}, true},
		{"good", shortest.Graph{FirstOut: []uint32{0, 1, 1}, Head: []uint32{1}, Weight: []uint32{5}}, true},
		{"head outside", shortest.Graph{FirstOut: []uint32{0, 1, 1}, Head: []uint32{2}, Weight: []uint32{5}}, false},
		{"lengths differ", shortest.Graph{FirstOut: []uint32{0, 1, 1}, Head: []uint32{1}}, false},
		{"decreasing", shortest.Graph{FirstOut: []uint32{0, 2, 1}, Head: []uint32{1}, Weight: []uint32{1}}, false},
		{"arcs without nodes", shortest.Graph{Head: []uint32{0}, Weight: []uint32{1}}, false},
	}
	for _, tt := range tests {
		if err := tt.g.Validate(); (err == nil) != tt.ok {
			t.Errorf("Validate(%s) = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
