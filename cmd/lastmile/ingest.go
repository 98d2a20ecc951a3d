package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// ingestCommand is not built yet.
func ingestCommand() *cli.Command {
	return &cli.Command{
		Name:   "ingest",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("ingest: not built yet") },
	}
}
