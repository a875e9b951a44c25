// Command pledgebot runs the Pledgebot chat bot and its maintenance tasks.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `Usage: pledgebot [COMMAND] [FLAGS]

Commands:
  console   talk to the bot in this terminal (default when no platform is configured)
  serve     run the chat adapters and HTTP endpoints (default when a platform is configured)
  slack-manifest --url BASE_URL
            print the Slack app manifest (JSON) to create the Slack app from
  discord-register [--guild ID]
            register the Discord application's slash commands (one bulk overwrite)
  erase-member --user platform:workspace:user
            remove a person from every community (data erasure)
  run-job   run a scheduled job now: run-job nudges|digest|lapse [--at RFC3339] [--community ID]
  rebuild-figures [--community ID] [--config FILE]
            rebuild the figures (ledger and monthly sums) from the pledges, bot stopped
  check-config [--config FILE]
            check a configuration file (and the environment) without starting
            anything: every problem by its field path, or a summary
  version   print the version

Run "pledgebot COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal starts a graceful shutdown, a second one
	// kills the process at once, as operators expect.
	go func() { <-ctx.Done(); stop() }()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "console"
	if platformConfigured() {
		cmd = "serve"
	}
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "console":
		err = runConsole(ctx, args, stdin, stdout, stderr)
	case "serve":
		err = runServe(ctx, args, stderr)
	case "slack-manifest":
		err = runSlackManifest(args, stdout, stderr)
	case "discord-register":
		err = runDiscordRegister(ctx, args, stdout, stderr)
	case "erase-member":
		err = runEraseMember(ctx, args, stdout, stderr)
	case "run-job":
		err = runJob(ctx, args, stdout, stderr)
	case "rebuild-figures":
		err = runRebuildFigures(ctx, args, stdout, stderr)
	case "check-config":
		err = runCheckConfig(args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionLine())
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "pledgebot: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "pledgebot:", err)
		return 1
	}
	return 0
}

// platformConfigured reports whether the environment holds chat platform
// credentials; a config file given with --config is checked by serve.
func platformConfigured() bool {
	for _, v := range []string{"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_BOT_TOKEN", "DISCORD_PUBLIC_KEY"} {
		if os.Getenv(v) != "" {
			return true
		}
	}
	return false
}

// newFlags starts a subcommand's flags with the --config every subcommand
// that loads configuration takes.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, fs.String("config", "", "configuration file (YAML)")
}
