package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// demoCommand is not built yet.
func demoCommand() *cli.Command {
	return &cli.Command{
		Name:   "demo",
		Usage:  "(not built yet)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("demo: not built yet") },
	}
}
