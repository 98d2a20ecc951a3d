// Command lastmile plans household visits for community health workers:
// it ingests household registrations, builds a terrain-weighted walking
// graph, assigns catchments, plans visit routes and reports coverage gaps,
// all into one GeoPackage per district.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// LASTMILE_CPUPROFILE=FILE writes a CPU profile of the run for
	// go tool pprof: profile before optimising.
	if p := os.Getenv("LASTMILE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if err := pprof.StartCPUProfile(f); err == nil {
				defer f.Close()
				defer pprof.StopCPUProfile()
			}
		} else {
			fmt.Fprintf(os.Stderr, "lastmile: LASTMILE_CPUPROFILE: %v\n", err)
		}
	}
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if code != 0 {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
}
