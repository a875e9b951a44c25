// Command pledgebot runs the Pledgebot chat bot and its maintenance tasks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal starts a graceful shutdown, a second one
	// kills the process at once, as operators expect.
	go func() { <-ctx.Done(); stop() }()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly. It returns
// the exit status: 2 for a wrong use, 1 when the subcommand failed.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := "console"
	if platformConfigured() {
		name = "serve"
	}
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "-h" || a == "-help" || a == "--help":
			fmt.Fprint(stdout, overview())
			return 0
		case a != "" && a[0] != '-':
			name, args = a, args[1:]
		}
	}
	s, ok := findSubcommand(name)
	if !ok {
		fmt.Fprintln(stderr, "pledgebot:", unknownSubcommand(name))
		return 2
	}
	return s.exec(ctx, env{stdin, stdout, stderr}, args)
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
