package commands

import (
	"context"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Nudges is /nudges: a person's own reminders about their pledges. sched
// says what the next reminder would list (nil: not running here).
func Nudges(sched Scheduler) *bot.Command {
	return &bot.Command{Name: "nudges", Help: "your reminders about your pledges: what comes next; off, on, or pause them", Subs: []*bot.Subcommand{
		{Name: "status", Default: true, Help: "your reminder settings and what the next reminder will list", Run: nudgesStatus(sched)},
		{Name: "off", Help: "no more reminders about your pledges", Run: nudgesOff},
		{Name: "on", Help: "reminders back on (ends a pause too)", Run: nudgesOn},
		{Name: "pause", Help: "holiday mode: no reminders until a date", Run: nudgesPause, Options: []bot.Option{
			{Name: "until", Type: bot.Date, Required: true, Help: "the day reminders start again"},
		}},
	}}
}

func nudgesOff(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	if err := c.Bot.Store().SetNudges(ctx, c.Community, c.Actor.ID, true, time.Time{}); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: "Reminders are off", Text: "I won't message you about your pledges. /nudges on turns them back on."}, nil
}

func nudgesOn(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	if err := c.Bot.Store().SetNudges(ctx, c.Community, c.Actor.ID, false, time.Time{}); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: "Reminders are on", Text: "I'll message you when a pledge is coming due, overdue, or has had no update for a while."}, nil
}

func nudgesPause(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	until, _ := c.Args.Date("until")
	today := c.Bot.Now().UTC().Truncate(24 * time.Hour)
	if !until.After(today) {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "until:%s is not in the future; give the day reminders should start again.", until.Format(time.DateOnly))
	}
	if until.After(today.AddDate(1, 0, 0)) {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "Pause for at most a year, or use /nudges off.")
	}
	if err := c.Bot.Store().SetNudges(ctx, c.Community, c.Actor.ID, false, until); err != nil {
		return bot.Reply{}, err
	}
	return bot.Reply{Title: "Reminders paused until " + until.Format("Monday 2 January 2006"),
		Text: "Enjoy the break. /nudges on ends the pause early."}, nil
}

func nudgesStatus(sched Scheduler) bot.Handler {
	return func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
		off, until, err := c.Bot.Store().NudgeSetting(ctx, c.Community, c.Actor.ID)
		if err != nil {
			return bot.Reply{}, err
		}
		state := "on"
		switch {
		case off:
			state = "off (/nudges on turns them back on)"
		case until.After(c.Bot.Now()):
			state = "paused until " + until.Format("Mon 2 Jan 2006") + " (/nudges on ends the pause)"
		}
		r := bot.Reply{Title: "Your reminders", Fields: []bot.Field{{Label: "Reminders", Value: state}}}
		if sched == nil {
			r.Text = "Reminders are not running in this Pledgebot."
			return r, nil
		}
		at, items, err := sched.NextNudge(ctx, c.Community, c.Actor.ID, c.Bot.Now())
		if err != nil {
			return bot.Reply{}, err
		}
		r.Fields = append(r.Fields, bot.Field{Label: "Next reminder", Value: at.Format("Mon 2 Jan 2006 15:04 MST")})
		switch {
		case len(items) == 0:
			r.Text = "Nothing to remind you of: none of your pledges is due soon, overdue or quiet."
		case off:
			r.Text, r.Items = "With reminders on, the next one would list:", items
		default:
			r.Text, r.Items = "It will list, as things stand now:", items
		}
		return r, nil
	}
}
