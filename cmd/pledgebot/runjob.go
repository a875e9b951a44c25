package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/adapters/console"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/schedules"
)

// runJob is `pledgebot run-job nudges|digest|lapse [--at RFC3339]
// [--community ID]`: one scheduled job now, as if at a time, under the same
// exactly-once rules as the scheduler. Console deliveries print here;
// notices for platforms this process has no adapter for stay in the outbox
// for a serving replica.
func runJob(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, cfgPath := newFlags("run-job", stderr)
	at := fs.String("at", "", "run as if at this time, RFC3339 (default: now)")
	community := fs.String("community", "", "run for this community only (default: every community)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: pledgebot run-job %s [--at RFC3339] [--community ID]\n", strings.Join(schedules.Jobs, "|"))
		fs.PrintDefaults()
	}
	// The job name may come before or after the flags.
	var job string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		job, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if job == "" && fs.NArg() > 0 {
		job = fs.Arg(0)
	}
	if !slices.Contains(schedules.Jobs, job) || fs.NArg() > 1 || (fs.NArg() == 1 && fs.Arg(0) != job) {
		fs.Usage()
		return fmt.Errorf("run-job: name one job: %s", strings.Join(schedules.Jobs, ", "))
	}
	when := time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fmt.Errorf("run-job: --at %q: want RFC3339, e.g. 2026-11-30T09:00:00Z", *at)
		}
		when = t
	}
	if err := checkCommunity("run-job", *community); err != nil {
		return err
	}
	a, err := openTool(ctx, "run-job", *cfgPath, stderr, false)
	if err != nil {
		return err
	}
	defer a.Close()
	a.bot.AddSender(bot.Console, console.New(a.bot, nil, stdout, "", false))
	cs, err := a.communities(ctx, *community)
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
