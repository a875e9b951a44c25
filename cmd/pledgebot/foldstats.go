package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/pledgebot/pledgebot/bot"
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
	a, err := openTool(ctx, "fold-stats", *cfgPath, stderr, true)
	if err != nil {
		return err
	}
	defer a.Close()
	known, err := a.sched.Communities(ctx)
	if err != nil {
		return err
	}
	cs := known
	if *community != "" {
		if !slices.Contains(known, *community) {
			return fmt.Errorf("fold-stats: no community %q under redis prefix %q", *community, a.cfg.Redis.Prefix)
		}
		cs = []string{*community}
	}
	if len(cs) == 0 {
		fmt.Fprintf(stdout, "No communities under redis prefix %q: nothing to fold.\n", a.cfg.Redis.Prefix)
		return nil
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
