package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/pledgebot/pledgebot/bot"
)

// runRebuildFigures is `pledgebot rebuild-figures [--community ID]`:
// rebuilds the ledger and monthly sums every figure is read from, from the
// pledges and the ledger (store.RebuildFigures). The upgrade that
// introduced them runs it by itself; this is for repairs. Writes made
// while it runs may be counted twice or not at all: run it while the bot
// is stopped.
func runRebuildFigures(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := newFlags("rebuild-figures", stderr)
	community := fs.String("community", "", "rebuild this community only (default: every community)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pledgebot rebuild-figures [--community ID]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("rebuild-figures: unexpected %q", fs.Arg(0))
	}
	if err := checkCommunity("rebuild-figures", *community); err != nil {
		return err
	}
	a, err := openTool(ctx, "rebuild-figures", *cfgPath, stderr, true)
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
			return fmt.Errorf("rebuild-figures: no community %q under redis prefix %q", *community, a.cfg.Redis.Prefix)
		}
		cs = []string{*community}
	}
	if len(cs) == 0 {
		fmt.Fprintf(stdout, "No communities under redis prefix %q: nothing to rebuild.\n", a.cfg.Redis.Prefix)
		return nil
	}
	for _, c := range cs {
		if err := a.store.RebuildFigures(ctx, c); err != nil {
			return fmt.Errorf("rebuild-figures for %s: %w", c, err)
		}
		fmt.Fprintf(stdout, "%s: figures rebuilt\n", c)
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
