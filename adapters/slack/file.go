package slack

import (
	"bytes"
	"context"

	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// deliverFile uploads a reply's file (an export, a draft statement) into the
// person's direct messages with the bot. A slash command's answer cannot
// carry files, and an export may hold council-only figures that must not
// land in a shared channel. Without a bot token, or when the upload fails,
// the reply keeps its file and the renderer shows it inline instead.
func (a *Adapter) deliverFile(ctx context.Context, team, user string, reply bot.Reply) bot.Reply {
	f := reply.File
	if f == nil || len(f.Content) == 0 {
		return reply
	}
	api, err := a.client(ctx, team)
	if err != nil {
		return reply
	}
	var dm string
	err = a.retry(ctx, func() error {
		ch, _, _, err := api.OpenConversationContext(ctx, &slackapi.OpenConversationParameters{Users: []string{user}})
		if err == nil {
			dm = ch.ID
		}
		return err
	})
	if err == nil {
		err = a.retry(ctx, func() error {
			_, err := api.UploadFileContext(ctx, slackapi.UploadFileParameters{Channel: dm, Filename: f.Name,
				Title: f.Name, Reader: bytes.NewReader(f.Content), FileSize: len(f.Content)})
			return err
		})
	}
	if err != nil {
		a.log.Warn("slack: file upload failed; showing it inline", "file", f.Name, "err", err)
		return reply
	}
	reply.File = nil
	if reply.Text != "" {
		reply.Text += "\n"
	}
	reply.Text += "I've sent you " + f.Name + " in a direct message."
	return reply
}
