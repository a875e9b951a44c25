package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/pledgebot/pledgebot/bot"
)

// runRebuildFigures is `pledgebot rebuild-figures [--community ID]`:
// rebuilds the ledger and monthly sums every figure is read from, from the
// pledges and the ledger (store.RebuildFigures), and dates the met needs
// that lack met_at (store.RepairNeedsMet). The upgrade that
// introduced them runs it by itself; this is for repairs. Writes made
// while it runs may be counted twice or not at all: run it while the bot
// is stopped.
func rebuildFiguresCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	community := fs.String("community", "", "rebuild this community `ID` only (default: every community)")
	return func(ctx context.Context, e env, _ []string) error {
		if err := checkCommunity("rebuild-figures", *community); err != nil {
			return err
		}
		return runRebuildFigures(ctx, *cfgPath, *community, e.stdout, e.stderr)
	}
}

func runRebuildFigures(ctx context.Context, cfgPath, community string, stdout, stderr io.Writer) error {
	a, err := openTool(ctx, "rebuild-figures", cfgPath, stderr, true)
	if err != nil {
		return err
	}
	defer a.Close()
	known, err := a.sched.Communities(ctx)
	if err != nil {
		return err
	}
	cs := known
	if community != "" {
		if !slices.Contains(known, community) {
			return fmt.Errorf("rebuild-figures: no community %q under redis prefix %q", community, a.cfg.Redis.Prefix)
		}
		cs = []string{community}
	}
	if len(cs) == 0 {
		fmt.Fprintf(stdout, "No communities under redis prefix %q: nothing to rebuild.\n", a.cfg.Redis.Prefix)
		return nil
	}
	for _, c := range cs {
		if err := a.store.RebuildFigures(ctx, c); err != nil {
			return fmt.Errorf("rebuild-figures for %s: %w", c, err)
		}
		// Needs met with no met_at (the needs-met migration cut short, or
		// the field lost) are dated as the migration dates them.
		n, err := a.store.RepairNeedsMet(ctx, c)
		if err != nil {
			return fmt.Errorf("rebuild-figures for %s: %w", c, err)
		}
		if n > 0 {
			fmt.Fprintf(stdout, "%s: figures rebuilt, %d met needs dated\n", c, n)
			continue
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
