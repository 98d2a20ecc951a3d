//go:build unix

package catchment

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time: on the shared
// benchmark machine it is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
