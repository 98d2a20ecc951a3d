package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// benchIngestCommand is not built yet.
func benchIngestCommand() *cli.Command {
	return &cli.Command{
		Name:   "ingest",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("bench ingest: not built yet") },
	}
}
