package commands

import (
	"context"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// All returns every command, in the order help lists them: the one list
// the router, help, the Slack manifest and the Discord registration take.
// sched answers /digest preview and what /nudges will send next (nil
// where nothing runs, e.g. when only the specs are needed).
func All(b *bot.Bot, sched Scheduler) []*bot.Command {
	var preview DigestPreview
	if sched != nil {
		preview = sched.Preview
	}
	return []*bot.Command{Business(), Partner(), Need(), Pledge(), S172(), Audit(), Roles(), Summary(), Help(b), Nudges(sched), Digest(preview)}
}

// Scheduler is what commands ask of the scheduled jobs (package
// schedules provides it).
type Scheduler interface {
	Preview(ctx context.Context, community string, at time.Time) (bot.Reply, error)
	// NextNudge is when a person's next nudge message goes out, and the
	// pledges it would list were it now.
	NextNudge(ctx context.Context, community string, who bot.Identity, now time.Time) (time.Time, []bot.Item, error)
}

// refOpt is a positional #N argument.
func refOpt(name, help string) bot.Option {
	return bot.Option{Name: name, Type: bot.Ref, Positional: true, Required: true, Help: help}
}

var businessOpt = bot.Option{Name: "business", Max: 100, Suggest: bot.SuggestBusinesses,
	Help: "which business, when you belong to several: its number or name (quote a name of several words)"}

// businessPos is a positional business: its number or name, the rest of the line.
func businessPos(required bool) bot.Option {
	return bot.Option{Name: "business", Positional: true, Rest: true, Required: required, Max: 100, Suggest: bot.SuggestBusinesses,
		Help: "the business's number or name"}
}
