package parallel

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, workers := range []int{0, 1, 3, 100} {
		var sum atomic.Int64
		seen := make([]atomic.Int32, 1000)
		if err := For(context.Background(), workers, len(seen), func(i int) {
			seen[i].Add(1)
			sum.Add(int64(i))
		}); err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Fatalf("workers %d: index %d ran %d times", workers, i, seen[i].Load())
			}
		}
	}
	if err := For(context.Background(), 2, 0, func(int) { t.Fatal("ran with n = 0") }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	err := For(ctx, 1, 100, func(i int) {
		ran.Add(1)
		if i == 4 {
			cancel()
		}
	})
	if err == nil || ran.Load() != 5 {
		t.Errorf("cancelled at 4: err %v, ran %d; want an error after 5", err, ran.Load())
	}
}
