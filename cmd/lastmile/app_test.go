package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"help", []string{"lastmile", "--help"}, exitOK},
		{"unknown flag", []string{"lastmile", "--bogus"}, exitUsage},
		{"unknown command flag", []string{"lastmile", "info", "--bogus"}, exitUsage},
		{"missing required flag", []string{"lastmile", "req"}, exitUsage},
		{"command error", []string{"lastmile", "info", "--gpkg", "/nonexistent/dir/x.gpkg"}, exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			app := newApp(nil, &out, &errOut)
			// A command with a required flag, to check urfave/cli's own error.
			app.Commands = append(app.Commands, &cli.Command{
				Name:   "req",
				Flags:  []cli.Flag{&cli.StringFlag{Name: "must", Required: true}},
				Action: func(*cli.Context) error { return nil },
			})
			if got := exitCode(app.RunContext(context.Background(), tt.args), &errOut); got != tt.want {
				t.Errorf("%v: exit %d, want %d (stderr %q)", tt.args, got, tt.want, errOut.String())
			}
		})
	}
}
