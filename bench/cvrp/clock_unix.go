//go:build unix

package cvrp

import (
	"syscall"
	"time"
)

// CPUClock returns the CPU time (user plus system) this process has used,
// the clock HGS-CVRP's time limit runs on (C's clock()). With GOMAXPROCS=1
// it is the solver's own time, whatever else the machine is doing.
func CPUClock() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
