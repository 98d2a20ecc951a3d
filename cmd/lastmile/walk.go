package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// walkCommand is not built yet.
func walkCommand() *cli.Command {
	return &cli.Command{
		Name:   "walk",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("walk: not built yet") },
	}
}
