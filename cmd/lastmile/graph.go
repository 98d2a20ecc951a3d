package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// graphCommand is not built yet.
func graphCommand() *cli.Command {
	return &cli.Command{
		Name:   "graph",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("graph: not built yet") },
	}
}
