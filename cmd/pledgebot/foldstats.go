package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// runFoldStats is `pledgebot fold-stats [--community ID]`: brings the
// counters and totals up to date with the pledges made and progress logged
// that wait in stats-pending. Summaries and digests do it by themselves;
// this is for reading the keys directly, and for rolling back to a release
// from before 2026-12-01, which never folds.
func runFoldStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := newFlags("fold-stats", stderr)
	community := fs.String("community", "", "fold this community only (default: every community)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pledgebot fold-stats [--community ID]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("fold-stats: unexpected %q", fs.Arg(0))
	}
	if err := checkCommunity("fold-stats", *community); err != nil {
		return err
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr, slog.LevelWarn, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	cs, err := a.communities(ctx, *community)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := a.store.FoldStats(ctx, c); err != nil {
			return fmt.Errorf("fold-stats for %s: %w", c, err)
		}
		fmt.Fprintf(stdout, "%s: counters up to date\n", c)
	}
	return nil
}

// checkCommunity refuses a --community value no community can have.
func checkCommunity(cmd, c string) error {
	if c != "" && !bot.ValidUser(c) {
		return fmt.Errorf("%s: --community %q: use letters, digits, '.', '_' or '-'", cmd, c)
	}
	return nil
}

// communities is the one community asked for, or every community the
// scheduler knows.
func (a *app) communities(ctx context.Context, only string) ([]string, error) {
	if only != "" {
		return []string{only}, nil
	}
	return a.sched.Communities(ctx)
}
