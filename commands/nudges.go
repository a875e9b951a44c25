package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Nudges is /nudges: a person's own reminders about their pledges. sched
// says what the next reminder would list (nil: not running here).
func Nudges(sched Scheduler) *bot.Command {
	return &bot.Command{Name: "nudges", Help: "your reminders about your pledges: what comes next; off, on, or pause them", Subs: []*bot.Subcommand{
		{Name: "status", Default: true, Help: "your reminder settings and what the next reminder will list", Run: nudgesStatus(sched)},
		{Name: "off", Help: "no more reminders about your pledges", Run: nudgesOff},
		{Name: "time", Help: "the time of day your reminders arrive", Run: nudgesTime, Options: []bot.Option{
			{Name: "time", Positional: true, Required: true, Max: 10, Help: "HH:MM (24-hour, e.g. 08:30), or default for the community's"},
		}},
		{Name: "timezone", Help: "the time zone your reminder time is in", Run: nudgesZone, Options: []bot.Option{
			{Name: "zone", Positional: true, Required: true, Max: 64, Help: "an IANA time zone name (e.g. Europe/Dublin), or default for the community's"},
		}},
		{Name: "on", Help: "reminders back on (ends a pause too)", Run: nudgesOn},
		{Name: "pause", Help: "holiday mode: no reminders until a date", Run: nudgesPause, Options: []bot.Option{
			{Name: "until", Type: bot.Date, Required: true, Help: "the day reminders start again"},
		}},
		{Name: "needs", Help: "a weekly message of the needs near your business, by theme and postcode area", Run: nudgesNeeds, Options: []bot.Option{
			{Name: "switch", Type: bot.Choice, Choices: []string{"on", "off"}, Positional: true, Required: true, Help: "on or off"},
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

// nudgesNeeds is /nudges needs on|off: the weekly "needs near you"
// message, for people who act for a business (the needs job matches its
// themes and postcode area). Off needs no business: anyone may leave.
func nudgesNeeds(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	on := c.Args.String("switch") == "on"
	if on {
		mine, err := c.Bot.Store().BusinessesOf(ctx, c.Community, c.Actor.ID)
		if err != nil {
			return bot.Reply{}, err
		}
		if len(mine) == 0 {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "Needs near you are for people who act for a business: register one with /business register NAME, or ask its owner to add you.")
		}
	}
	if err := c.Bot.Store().SetNeedNudges(ctx, c.Community, c.Actor.ID, on); err != nil {
		return bot.Reply{}, err
	}
	if !on {
		return bot.Reply{Title: "Needs near you are off", Text: "/nudges needs on turns them back on; /need list shows the needs any time."}, nil
	}
	return bot.Reply{Title: "Needs near you are on", Text: "Once a week I'll message you the open needs in the themes your business pledges in and in its postcode area, when there are any. /nudges needs off stops them."}, nil
}

func nudgesPause(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	until, _ := c.Args.Date("until")
	today := c.Bot.Today(c.Community)
	if !until.After(today) {
		return bot.Reply{}, bot.Errorf(bot.Invalid, "until: %s is not in the future; give the day reminders should start again.", until.Format(bot.DayStyle))
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
		set, err := c.Bot.Store().NudgeSetting(ctx, c.Community, c.Actor.ID)
		off, until := set.Off, set.PauseUntil
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
		clock, zone := set.Clock, set.Zone
		if clock == "" {
			clock = "the community's (/nudges time sets yours)"
		}
		if zone == "" {
			zone = "the community's (/nudges timezone sets yours)"
		}
		needs := "off (/nudges needs on: a weekly message of the needs near your business)"
		if set.Needs {
			needs = "on, weekly (/nudges needs off stops it)"
		}
		r := bot.Reply{Title: "Your reminders", Fields: []bot.Field{{Label: "Reminders", Value: state},
			{Label: "Time", Value: clock}, {Label: "Time zone", Value: zone}, {Label: "Needs near you", Value: needs}}}
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

// ParseClock reads a time of day as /nudges time takes it: "HH:MM" on the
// 24-hour clock, "8:30" too.
func ParseClock(s string) (string, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return "", false
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 23 || mm > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", hh, mm), true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ParseZone reads an IANA time zone name ("Europe/Dublin", "UTC"): names
// of zones only, never "Local" or a path.
func ParseZone(s string) (*time.Location, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 || s == "Local" || strings.Contains(s, "..") || strings.HasPrefix(s, "/") {
		return nil, false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)) {
			return nil, false
		}
	}
	loc, err := time.LoadLocation(s)
	return loc, err == nil
}

func nudgesTime(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	arg := c.Args.String("time")
	clock := ""
	if !strings.EqualFold(arg, "default") {
		var ok bool
		if clock, ok = ParseClock(arg); !ok {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "time:%s is not a time of day: give HH:MM on the 24-hour clock, e.g. 08:30, or default.", arg)
		}
	}
	if err := c.Bot.Store().SetNudgeWhen(ctx, c.Community, c.Actor.ID, "clock", clock); err != nil {
		return bot.Reply{}, err
	}
	if clock == "" {
		return bot.Reply{Title: "Reminders come at the community's time", Text: "/nudges shows when the next one is due."}, nil
	}
	return bot.Reply{Title: "Reminders come at " + clock, Text: "On your nudge days, in your time zone (/nudges timezone sets it). /nudges shows when the next one is due."}, nil
}

func nudgesZone(ctx context.Context, c *bot.Call) (bot.Reply, error) {
	arg := strings.TrimSpace(c.Args.String("zone"))
	zone := ""
	if !strings.EqualFold(arg, "default") {
		loc, ok := ParseZone(arg)
		if !ok {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "%s is not a time zone I know: give an IANA name such as Europe/London, Europe/Dublin or America/New_York, or default.", arg)
		}
		zone = loc.String()
	}
	if err := c.Bot.Store().SetNudgeWhen(ctx, c.Community, c.Actor.ID, "zone", zone); err != nil {
		return bot.Reply{}, err
	}
	if zone == "" {
		return bot.Reply{Title: "Reminders follow the community's time zone", Text: "/nudges shows when the next one is due."}, nil
	}
	return bot.Reply{Title: "Reminders follow " + zone + " time", Text: "Clock changes included. /nudges shows when the next one is due."}, nil
}
