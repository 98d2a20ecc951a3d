//go:build !unix

package cvrp

import "time"

var clockStart = time.Now()

// CPUClock falls back to the wall clock where the process CPU time is not
// available.
func CPUClock() time.Duration { return time.Since(clockStart) }
