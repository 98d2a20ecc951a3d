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
	// LASTMILE_MEMPROFILE=FILE writes the heap profile at the end of the
	// run: go tool pprof -sample_index=alloc_space shows what allocated
	// the most over the run (what drives the collector), inuse_space what
	// is still held.
	if p := os.Getenv("LASTMILE_MEMPROFILE"); p != "" {
		if err := writeHeapProfile(p); err != nil {
			fmt.Fprintf(os.Stderr, "lastmile: LASTMILE_MEMPROFILE: %v\n", err)
		}
	}
	if code != 0 {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
