package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lastmile-health/lastmile"
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
		Name:    "lastmile",
		Version: version(),
		Usage:   "plan household visits for community health workers, offline",
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
		// An unknown command is bad usage (exit 2), not an error.
		CommandNotFound: func(c *cli.Context, name string) {
			c.App.Metadata["usage"] = usagef("unknown command %q: see lastmile --help", name)
		},
		Metadata: map[string]any{},
		Commands: []*cli.Command{
			ingestCommand(),
			infoCommand(),
			graphCommand(),
			walkCommand(),
			matrixCommand(),
			assignCommand(),
			routesCommand(),
			sheetsCommand(),
			tspCommand(),
			vrpCommand(),
			coverageCommand(),
			tilesCommand(),
			serveCommand(),
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
	app := newApp(stdin, stdout, stderr)
	err := app.RunContext(ctx, flagsFirst(app, args))
	if u, ok := app.Metadata["usage"].(error); ok && err == nil {
		err = u
	}
	return exitCode(err, stderr)
}

// exitCode prints err (if any) on stderr and returns the exit code for it.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "lastmile: %v\n", err)
	var u usageError
	if errors.As(err, &u) || errors.Is(err, lastmile.ErrUsage) || isRequiredFlagsErr(err) {
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

func onUsageError(c *cli.Context, err error, _ bool) error {
	return usageError{durationHint(c, err)}
}

// badValue matches the flag package's "invalid value" error.
var badValue = regexp.MustCompile(`invalid value "([^"]*)" for flag -+([\w-]+)`)

// durationHint adds the unit a duration flag needs: "--time-limit 1" is
// refused by the flag package with only "parse error".
func durationHint(c *cli.Context, err error) error {
	m := badValue.FindStringSubmatch(err.Error())
	if m == nil || c == nil {
		return err
	}
	flags := c.App.Flags
	if c.Command != nil && c.Command.Name != "" {
		flags = c.Command.Flags
	}
	for _, f := range flags {
		if _, ok := f.(*cli.DurationFlag); ok && slices.Contains(f.Names(), m[2]) {
			return fmt.Errorf("--%s %q: want a duration with its unit, e.g. %ss, 500ms or 2m", m[2], m[1], m[1])
		}
	}
	return err
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

// version is the module version the binary was built from (a tag, or a
// pseudo-version from the VCS), "devel" when built from a work tree.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}

// flagsFirst moves the flags a user typed after file arguments in front of
// them, so that "lastmile tsp a280.tsp --time-limit 1s" works like
// "lastmile tsp --time-limit 1s a280.tsp" (urfave/cli v2 stops parsing flags
// at the first argument). It follows the command words to the command whose
// flags it knows, so a flag's value is never mistaken for an argument.
// Everything after "--" stays an argument.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	cmds, flags := app.Commands, app.Flags
	i := 1
	// The command words, with the flags before each.
	for i < len(args) {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			out = append(out, a)
			i++
			if takesValue(flags, a) && i < len(args) {
				out = append(out, args[i])
				i++
			}
			continue
		}
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(a) {
				next = c
			}
		}
		if next == nil {
			break
		}
		out = append(out, a)
		cmds, flags = next.Subcommands, next.Flags
		i++
	}
	var rest, positional []string
	for ; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			rest = append(rest, a)
			if takesValue(flags, a) && i+1 < len(args) {
				rest = append(rest, args[i+1])
				i++
			}
		default:
			positional = append(positional, a)
		}
	}
	out = append(out, rest...)
	return append(out, positional...)
}

// takesValue reports whether the flag arg (as typed: -x, --name or
// --name=value) needs the next argument as its value.
func takesValue(flags []cli.Flag, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	if strings.Contains(name, "=") {
		return false
	}
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*cli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}
