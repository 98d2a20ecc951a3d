package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// infoCommand is not built yet.
func infoCommand() *cli.Command {
	return &cli.Command{
		Name:   "info",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("info: not built yet") },
	}
}
