package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes, as every lastmile command documents them.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// newApp builds the CLI. Each command lives in its own file and is listed
// here, so this list is the whole command surface.
func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:  "lastmile",
		Usage: "plan household visits for community health workers, offline",
		Description: "lastmile keeps one GeoPackage per district (--gpkg, default district.gpkg).\n" +
			"Typical order: ingest facilities, CHWs and households; build the walking graph;\n" +
			"then ask for walking times, catchments, routes and coverage gaps.\n\n" +
			"Try it on the built-in sample district:\n" +
			"   lastmile demo --out demo",
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: false,
		HideHelpCommand:      true,
		// Without this, urfave/cli calls os.Exit inside Run and skips
		// deferred cleanup (temporary GeoPackages, profiles).
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   onUsageError,
		Commands: []*cli.Command{
			ingestCommand(),
			infoCommand(),
			graphCommand(),
			walkCommand(),
			matrixCommand(),
			tspCommand(),
			benchCommand(),
			demoCommand(),
		},
	}
	setUsageErrors(app.Commands)
	return app
}

// run executes the CLI and maps the outcome to an exit code: 0 success,
// 1 error, 2 bad usage.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return exitCode(newApp(stdin, stdout, stderr).RunContext(ctx, args), stderr)
}

// exitCode prints err (if any) on stderr and returns the exit code for it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "lastmile: %v\n", err)
	var u usageError
	if errors.As(err, &u) || isRequiredFlagsErr(err) {
		return exitUsage
	}
	return exitError
}

// isRequiredFlagsErr reports whether err is urfave/cli's missing-required-flag
// error. Its type and method are unexported, so only its fixed message
// ("Required flag(s) ... not set", urfave/cli v2 errors.go) identifies it.
func isRequiredFlagsErr(err error) bool {
	return strings.HasPrefix(err.Error(), "Required flag")
}

// usageError marks an error as the caller's misuse of the command line.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// usagef returns a usage error (exit code 2).
func usagef(format string, a ...any) error {
	return usageError{fmt.Errorf(format, a...)}
}

func onUsageError(_ *cli.Context, err error, _ bool) error {
	return usageError{err}
}

// setUsageErrors installs onUsageError on every command and sub-command so
// that flag errors exit with code 2.
func setUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		if c.OnUsageError == nil {
			c.OnUsageError = onUsageError
		}
		setUsageErrors(c.Subcommands)
	}
}
