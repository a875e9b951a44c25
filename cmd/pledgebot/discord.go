package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"

	"github.com/pledgebot/pledgebot/adapters/discord"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/metrics"
	"github.com/pledgebot/pledgebot/supervise"
)

// mountDiscord serves POST /discord/interactions when DISCORD_PUBLIC_KEY is
// set and runs the gateway and the notice sender when DISCORD_BOT_TOKEN is,
// each a transport of its own.
func (a *app) mountDiscord(mux *http.ServeMux, p *parts) error {
	c := a.cfg.Discord
	if c.PublicKey == "" && c.BotToken == "" {
		return nil
	}
	s, err := discord.NewSession(c.BotToken, c.APIURL, metrics.Transport("discord", nil, discordSend))
	if err != nil {
		return err
	}
	var key ed25519.PublicKey
	if c.PublicKey != "" {
		if key, err = discord.ParsePublicKey(c.PublicKey); err != nil {
			return err
		}
	}
	ad := discord.New(discord.Options{Bot: a.bot, Session: s, PublicKey: key, Logger: a.log})
	// Deferred answers finish their follow-ups before shutdown.
	p.closers = append(p.closers, ad.Wait)
	if key != nil {
		mux.Handle("POST /discord/interactions", ad)
		p.transports.Add("discord-http", supervise.Always)
		a.log.Info("discord: HTTP interactions at POST /discord/interactions")
	}
	if c.BotToken != "" {
		a.bot.AddSender(bot.Discord, ad)
		p.transports.Add("discord-gateway", ad.RunGateway)
	}
	return nil
}

// runDiscordRegister is `pledgebot discord-register [--guild ID]`: one bulk
// overwrite of the application's commands, generated from the command spec.
func discordRegisterCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	guild := fs.String("guild", "", "register in this server `ID` only (instant; global commands can take up to an hour to appear)")
	return func(ctx context.Context, e env, _ []string) error {
		return runDiscordRegister(ctx, *cfgPath, *guild, e.stdout)
	}
}

func runDiscordRegister(ctx context.Context, cfgPath, guild string, stdout io.Writer) error {
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	c := cfg.Discord
	if c.BotToken == "" || c.ApplicationID == "" {
		return errors.New("discord-register needs DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID (see docs/discord.md)")
	}
	// Registration needs the spec and the themes, not the store.
	b := bot.New(bot.Options{Tenancy: cfg.Tenancy(nil), Themes: cfg.Themes})
	b.Register(commands.All(b, nil)...)
	community := ""
	if guild != "" {
		community = b.Tenancy().Community(bot.Discord, guild)
	}
	cmds, err := discord.Commands(b, community)
	if err != nil {
		return err
	}
	s, err := discord.NewSession(c.BotToken, c.APIURL, nil)
	if err != nil {
		return err
	}
	if _, err := discord.Register(ctx, s, c.ApplicationID, guild, cmds); err != nil {
		return fmt.Errorf("registering Discord commands: %w", err)
	}
	where := "globally (they can take up to an hour to appear)"
	if guild != "" {
		where = "in server " + guild
	}
	fmt.Fprintf(stdout, "Registered %d commands %s.\n", len(cmds), where)
	return nil
}
