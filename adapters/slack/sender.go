package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// Send posts a notice: to a person by direct message (conversations.open,
// then chat.postMessage) or to a channel. Long notices go as several
// messages; a 429 waits out Retry-After and tries again, as long as ctx
// allows, so nothing is dropped for being rate-limited.
func (a *Adapter) Send(ctx context.Context, n bot.Notice) error {
	api, err := a.client(ctx, n.To.Workspace)
	if err != nil {
		return err
	}
	channel := n.To.Channel
	if n.To.User != "" {
		err := a.retry(ctx, func() error {
			ch, _, _, err := api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{n.To.User}})
			if err == nil {
				channel = ch.ID
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("slack: open a direct message with %s: %w", n.To.User, err)
		}
	}
	if channel == "" {
		return errors.New("slack: notice has neither a user nor a channel")
	}
	r := a.renderer(n.To.Workspace)
	parts := Messages(r.Blocks(n.Reply))
	for i, blocks := range parts {
		text := r.fallback(n.Reply)
		if len(parts) > 1 {
			text = fmt.Sprintf("(part %d of %d) %s", i+1, len(parts), text)
		}
		if err := a.pace(ctx, channel); err != nil {
			return fmt.Errorf("slack: post part %d of %d to %s: %w", i+1, len(parts), channel, err)
		}
		err := a.retry(ctx, func() error {
			_, _, err := api.PostMessageContext(ctx, channel, slackapi.MsgOptionText(text, false), slackapi.MsgOptionBlocks(blocks...))
			return err
		})
		if err != nil {
			return fmt.Errorf("slack: post part %d of %d to %s: %w", i+1, len(parts), channel, err)
		}
	}
	return nil
}

// retry repeats f while Slack answers 429, waiting what Retry-After asks.
func (a *Adapter) retry(ctx context.Context, f func() error) error {
	for {
		err := f()
		var rl *slackapi.RateLimitedError
		if !errors.As(err, &rl) {
			return err
		}
		wait := rl.RetryAfter
		if wait <= 0 {
			wait = time.Second
		}
		a.log.Info("slack: rate limited, waiting", "retry_after", wait)
		if err := a.o.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("gave up waiting out a rate limit: %w", err)
		}
	}
}

// PostInterval is how often the bot posts to one channel: Slack allows
// about one message per second per channel, so pacing parts of a digest
// avoids a 429 rather than waiting one out.
const PostInterval = time.Second

// pace waits until the channel's next posting slot and reserves it.
func (a *Adapter) pace(ctx context.Context, channel string) error {
	a.paceMu.Lock()
	now := a.o.Now()
	next := now
	if last, ok := a.lastPost[channel]; ok && last.Add(PostInterval).After(now) {
		next = last.Add(PostInterval)
	}
	a.lastPost[channel] = next
	if len(a.lastPost) > 10000 { // forget idle channels
		for ch, t := range a.lastPost {
			if now.Sub(t) > PostInterval {
				delete(a.lastPost, ch)
			}
		}
	}
	a.paceMu.Unlock()
	if wait := next.Sub(now); wait > 0 {
		return a.o.Sleep(ctx, wait)
	}
	return nil
}
