// Package parallel runs independent loop iterations on several goroutines:
// the one parallel-for of lastmile (matrices, snapping, candidate searches,
// the stages' per-CHW work).
package parallel

import (
	"context"
	"runtime"
	"sync"
)

// For runs fn(0..n-1) on workers goroutines (0 = GOMAXPROCS), handing out
// indices in increasing order, and waits for them. It stops handing out
// indices once ctx is done and returns ctx's error. fn must be safe to call
// concurrently for different i.
func For(ctx context.Context, workers, n int, fn func(i int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
