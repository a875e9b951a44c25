package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"
	"github.com/pledgebot/pledgebot/bot"
)

// Send delivers a notice: a direct message (opening the DM channel first) or
// a channel message, split within Discord's limits. discordgo's REST client
// keeps per-route buckets and waits out 429s (retry_after) before retrying.
func (a *Adapter) Send(ctx context.Context, n bot.Notice) error {
	if n.To.Platform != bot.Discord {
		return fmt.Errorf("discord: notice for platform %q", n.To.Platform)
	}
	channel := n.To.Channel
	if n.To.User != "" {
		if !isSnowflake(n.To.User) {
			return fmt.Errorf("discord: %q is not a Discord user id", n.To.User)
		}
		ch, err := a.session.UserChannelCreate(n.To.User, discordgo.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("discord: opening a direct message with %s: %w", n.To.User, err)
		}
		channel = ch.ID
	}
	if !isSnowflake(channel) {
		return fmt.Errorf("discord: notice %s has no usable channel", n.ID)
	}
	for _, m := range render(a.bot, n.Reply) {
		_, err := a.session.ChannelMessageSendComplex(channel, &discordgo.MessageSend{
			Embeds: m.Embeds, Components: m.Components, AllowedMentions: noMentions(), Files: m.files()}, discordgo.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("discord: sending notice %s: %w", n.ID, err)
		}
	}
	return nil
}
