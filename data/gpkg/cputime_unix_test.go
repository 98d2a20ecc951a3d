//go:build unix

package gpkg_test

import (
	"syscall"
	"time"
)

// cpuTime returns the user+system CPU time of the process so far; the
// benchmarks report it because wall time on a shared machine says little.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
