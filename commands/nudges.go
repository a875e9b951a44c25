package commands

import (
	"context"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Nudges is /nudges: a person's own reminders about their pledges.
func Nudges() *bot.Command {
	return &bot.Command{Name: "nudges", Help: "turn the reminders about your pledges off, on, or pause them", Subs: []*bot.Subcommand{
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
