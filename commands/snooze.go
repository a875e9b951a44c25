package commands

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// snoozeSub is /pledge snooze N DURATION: no nudges about a pledge for a
// while.
func snoozeSub() *bot.Subcommand {
	return &bot.Subcommand{Name: "snooze", Help: "no reminders about a pledge for a while (7d, 2w, 1m)", Run: snoozePledge, Options: []bot.Option{
		refOpt("pledge", "pledge number"),
		{Name: "duration", Positional: true, Required: true, Max: 20, Help: "how long: 7d, 2w or 1m (at most a year)"},
	}}
}

var durationRe = regexp.MustCompile(`^(\d{1,3}) ?(d|days?|w|wks?|weeks?|m|mos?|months?)$`)

// ParseSnooze reads a snooze length: N days (7d), weeks (2w) or months (1m),
// from one day to a year. It returns the time the snooze ends, from now.
func ParseSnooze(s string, now time.Time) (time.Time, error) {
	m := durationRe.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return time.Time{}, bot.Errorf(bot.Invalid, "%q is not a length of time: use days, weeks or months, e.g. 7d, 2w or 1m.", clipText(s, 20))
	}
	n, _ := strconv.Atoi(m[1])
	var until time.Time
	switch m[2][0] {
	case 'd':
		until = now.AddDate(0, 0, n)
	case 'w':
		until = now.AddDate(0, 0, 7*n)
	default:
		until = now.AddDate(0, n, 0)
	}
	if n == 0 || until.After(now.AddDate(1, 0, 1)) {
		return time.Time{}, bot.Errorf(bot.Invalid, "Snooze for at least a day and at most a year, e.g. 7d, 2w or 1m.")
	}
	return until, nil
}

func snoozePledge(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	until, err := ParseSnooze(c.Args.String("duration"), c.Bot.Now())
	if err != nil {
		return bot.Reply{}, err
	}
	p, err := c.Bot.Store().SnoozePledge(ctx, c.Community, c.Actor, c.Args.Int("pledge"), until, c.Req.ID)
	if err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: fmt.Sprintf("Pledge #%d snoozed until %s", p.Number, until.Format("Monday 2 January 2006")),
		Text: "No reminders about it until then. /nudges off stops all of them."}, nil
}
