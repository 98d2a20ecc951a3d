package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// benchTsplibCommand is not built yet.
func benchTsplibCommand() *cli.Command {
	return &cli.Command{
		Name:   "tsplib",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("bench tsplib: not built yet") },
	}
}
