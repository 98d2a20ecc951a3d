// Command lastmile plans household visits for community health workers:
// it ingests household registrations, builds a terrain-weighted walking
// graph, assigns catchments, plans visit routes and reports coverage gaps,
// all into one GeoPackage per district.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
