package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/schedules"
)

// subcommand is one entry of the binary's registry. Its flags are defined
// once, by setup, which both `help` and the run use: the help cannot drift
// from the flags the subcommand takes.
type subcommand struct {
	name string
	line string // what it does, one line, for `pledgebot help`
	args string // its positional arguments for the usage line; "" takes none
	// setup defines the flags on fs and returns the run, which reads them.
	setup func(fs *flag.FlagSet) runFunc
}

// runFunc runs a subcommand with its flags parsed; args are the
// positional arguments.
type runFunc func(ctx context.Context, e env, args []string) error

// env is the process's standard streams.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// subcommands is the registry, in the order `pledgebot help` lists it.
func subcommands() []subcommand {
	return []subcommand{
		{"console", "talk to the bot in this terminal (default when no platform is configured)", "", consoleCmd},
		{"serve", "run the chat adapters and HTTP endpoints (default when a platform is configured)", "", serveCmd},
		{"slack-manifest", "print the Slack app manifest (JSON) to create the Slack app from", "", slackManifestCmd},
		{"slack-installs", "list the Slack workspaces that installed the app (team, when, scopes, token expiry; never a token)", "", slackInstallsCmd},
		{"discord-register", "register the Discord application's slash commands (one bulk overwrite)", "", discordRegisterCmd},
		{"erase-member", "remove a person from every community (data erasure)", "", eraseMemberCmd},
		{"run-job", "run a scheduled job now, under the scheduler's once-only rules", strings.Join(schedules.Jobs, "|"), runJobCmd},
		{"rebuild-figures", "rebuild the figures (ledger and monthly sums) from the pledges, bot stopped", "", rebuildFiguresCmd},
		{"check-config", "check a configuration file and the environment without starting anything", "", checkConfigCmd},
		{"version", "print the version", "", versionCmd},
		{"help", "list the subcommands, or show one's usage and flags", "[SUBCOMMAND]", helpCmd},
	}
}

func findSubcommand(name string) (subcommand, bool) {
	for _, s := range subcommands() {
		if s.name == name {
			return s, true
		}
	}
	return subcommand{}, false
}

// unknownSubcommand says name is none of them, with the nearest one.
func unknownSubcommand(name string) error {
	var names []string
	for _, s := range subcommands() {
		names = append(names, s.name)
	}
	return fmt.Errorf("unknown subcommand %q.%s \"pledgebot help\" lists them.", name,
		bot.DidYouMean(name, names, `"pledgebot %s"`))
}

// exec parses the flags and runs the subcommand, returning the exit
// status: 0 when asked for help, 2 for a wrong use, 1 when it failed.
func (s subcommand) exec(ctx context.Context, e env, args []string) int {
	fs := s.flags(e.stderr)
	run := s.setup(fs)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		s.usage(e.stdout, fs)
		return 0
	}
	if err == nil && s.args == "" && len(pos) > 0 {
		err = fmt.Errorf("%s: unexpected %q", s.name, pos[0])
		fmt.Fprintln(e.stderr, "pledgebot:", err)
	}
	if err != nil { // the flag package printed what was wrong
		s.usage(e.stderr, fs)
		return 2
	}
	if err := run(ctx, e, pos); err != nil {
		fmt.Fprintln(e.stderr, "pledgebot:", err)
		var u usageError
		if errors.As(err, &u) {
			s.usage(e.stderr, fs)
			return 2
		}
		return 1
	}
	return 0
}

// usageError is a run's complaint about how it was called.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func (s subcommand) flags(stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(s.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // exec prints the usage, on stdout when asked for
	return fs
}

// parseInterspersed parses flags before, between and after positional
// arguments (`run-job digest --at ...` and `run-job --at ... digest`).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usage is the subcommand's usage line, what it does, and its flags.
func (s subcommand) usage(w io.Writer, fs *flag.FlagSet) {
	line := "Usage: pledgebot " + s.name
	if s.args != "" {
		line += " " + s.args
	}
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		name, _ := flag.UnquoteUsage(f)
		if name == "" {
			line += " [--" + f.Name + "]"
		} else {
			line += " [--" + f.Name + " " + name + "]"
		}
	})
	fmt.Fprintf(w, "%s\n\n%s.\n", line, upperFirst(s.line))
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// overview lists every subcommand, one line each.
func overview() string {
	subs := subcommands()
	width := 0
	for _, s := range subs {
		width = max(width, len(s.name))
	}
	var b strings.Builder
	b.WriteString("Usage: pledgebot [SUBCOMMAND] [FLAGS]\n\nSubcommands:\n")
	for _, s := range subs {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, s.name, s.line)
	}
	b.WriteString("\nWith no subcommand pledgebot runs console, or serve when a chat platform is configured.\n" +
		"Run \"pledgebot help SUBCOMMAND\" or \"pledgebot SUBCOMMAND --help\" for its flags.\n")
	return b.String()
}

// helpCmd is `pledgebot help [SUBCOMMAND]`.
func helpCmd(*flag.FlagSet) runFunc {
	return func(_ context.Context, e env, args []string) error {
		switch len(args) {
		case 0:
			fmt.Fprint(e.stdout, overview())
			return nil
		case 1:
			s, ok := findSubcommand(args[0])
			if !ok {
				return usageError{unknownSubcommand(args[0]).Error()}
			}
			fs := s.flags(e.stderr)
			s.setup(fs)
			s.usage(e.stdout, fs)
			return nil
		}
		return usageError{fmt.Sprintf("help: name one subcommand, not %d", len(args))}
	}
}

func versionCmd(*flag.FlagSet) runFunc {
	return func(_ context.Context, e env, _ []string) error {
		fmt.Fprintln(e.stdout, versionLine())
		return nil
	}
}

// configFlag is the --config every subcommand that loads configuration
// takes.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "configuration `FILE` (YAML)")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
