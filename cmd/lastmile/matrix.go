package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// matrixCommand is not built yet.
func matrixCommand() *cli.Command {
	return &cli.Command{
		Name:   "matrix",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("matrix: not built yet") },
	}
}
