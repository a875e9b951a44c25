package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/schedules"
)

// runJob is `pledgebot run-job nudges|digest|lapse|needs [--at RFC3339]
// [--community ID]`: one scheduled job now, as if at a time, under the same
// exactly-once rules as the scheduler. Console deliveries print here;
// notices for platforms this process has no adapter for stay in the outbox
// for a serving replica.
func runJobCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	at := fs.String("at", "", "run as if at this `TIME`, RFC3339 (default: now)")
	community := fs.String("community", "", "run for this community `ID` only (default: every community)")
	return func(ctx context.Context, e env, args []string) error {
		// The job name may come before or after the flags.
		if len(args) != 1 || !slices.Contains(schedules.Jobs, args[0]) {
			return usageError{"run-job: name one job: " + strings.Join(schedules.Jobs, ", ")}
		}
		when := time.Now()
		if *at != "" {
			t, err := time.Parse(time.RFC3339, *at)
			if err != nil {
				return usageError{fmt.Sprintf("run-job: --at %q: want RFC3339, e.g. 2026-11-30T09:00:00Z", *at)}
			}
			when = t
		}
		if err := checkCommunity("run-job", *community); err != nil {
			return err
		}
		return runJob(ctx, *cfgPath, args[0], when, *community, e.stdout, e.stderr)
	}
}

func runJob(ctx context.Context, cfgPath, job string, when time.Time, community string, stdout, stderr io.Writer) error {
	a, err := openTool(ctx, "run-job", cfgPath, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	a.bot.AddSender(bot.Console, console.New(a.bot, nil, stdout, "", false))
	cs, err := a.communities(ctx, community)
	if err != nil {
		return err
	}
	for _, c := range cs {
		r, err := a.sched.Run(ctx, job, c, when)
		if err != nil {
			return fmt.Errorf("run-job %s for %s: %w", job, c, err)
		}
		fmt.Fprintln(stdout, r)
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
