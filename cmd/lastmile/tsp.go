package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// tspCommand is not built yet.
func tspCommand() *cli.Command {
	return &cli.Command{
		Name:   "tsp",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("tsp: not built yet") },
	}
}
