package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// benchGraphCommand is not built yet.
func benchGraphCommand() *cli.Command {
	return &cli.Command{
		Name:   "graph",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("bench graph: not built yet") },
	}
}
