package commands

import (
	"context"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// DigestPreview builds a community's weekly digest as if sent at a time
// (package schedules provides it).
type DigestPreview func(ctx context.Context, community string, at time.Time) (bot.Reply, error)

// Digest is /digest: the weekly digest for coordinators' channels.
func Digest(preview DigestPreview) *bot.Command {
	return &bot.Command{Name: "digest", Help: "the weekly digest of pledges for this channel", Subs: []*bot.Subcommand{
		{Name: "subscribe", Help: "send the weekly digest to this channel", MinRole: bot.RoleCoordinator, Run: digestSubscribe(true)},
		{Name: "unsubscribe", Help: "stop the weekly digest in this channel", MinRole: bot.RoleCoordinator, Run: digestSubscribe(false)},
		{Name: "preview", Help: "show this week's digest now", MinRole: bot.RoleCoordinator,
			Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
				if preview == nil {
					return bot.Reply{}, bot.Errorf(bot.Unavailable, "Digests are not running in this Pledgebot.")
				}
				return preview(ctx, c.Community, c.Bot.Now())
			}},
	}}
}

func digestSubscribe(on bool) bot.Handler {
	return func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
		if c.Req.Channel == "" {
			return bot.Reply{}, bot.Errorf(bot.Invalid, "Run this in the channel that should get the digest.")
		}
		to := bot.Recipient{Platform: c.Req.From.Platform, Workspace: c.Req.From.Workspace, Channel: c.Req.Channel}
		changed, err := c.Bot.Store().SubscribeDigest(ctx, c.Community, to, on)
		if err != nil {
			return bot.Reply{}, err
		}
		switch {
		case on && changed:
			return bot.Reply{Title: "This channel will get the weekly digest", Text: "It comes on Mondays. /digest preview shows this week's now.", Public: true}, nil
		case on:
			return bot.Reply{Title: "This channel already gets the weekly digest"}, nil
		case changed:
			return bot.Reply{Title: "This channel will no longer get the weekly digest", Public: true}, nil
		}
		return bot.Reply{Title: "This channel was not getting the weekly digest"}, nil
	}
}
