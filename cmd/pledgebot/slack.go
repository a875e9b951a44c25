package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/commands"
)

func init() { mounts = append(mounts, mountSlack) }

// mountSlack serves Slack over HTTP when a signing secret is set, and over
// Socket Mode when an app token is set; with a bot token the adapter is the
// bot's sender for Slack notices (nudges, digests) in every case.
func mountSlack(ctx context.Context, a *app, mux *http.ServeMux) (func(context.Context) error, error) {
	c := a.cfg.Slack
	if c.SigningSecret == "" && c.AppToken == "" && c.BotToken == "" {
		return nil, nil
	}
	if c.BotToken == "" {
		return nil, errors.New("slack: SLACK_BOT_TOKEN is required with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN")
	}
	ad := slackadapter.New(slackadapter.Options{Bot: a.bot, Once: a.store.Store, SigningSecret: c.SigningSecret,
		BotToken: c.BotToken, APIURL: c.APIURL, HTTPClient: slackHTTPClient(), Logger: a.log.With("adapter", "slack")})
	a.bot.AddSender(bot.Slack, ad)
	if c.SigningSecret != "" {
		ad.Routes(mux)
		a.log.Info("slack: HTTP endpoints on /slack/commands, /slack/interactions, /slack/events")
	}
	if c.SigningSecret == "" && c.AppToken == "" {
		a.log.Info("slack: sending notices only (set SLACK_SIGNING_SECRET or SLACK_APP_TOKEN to receive commands)")
	}
	return func(ctx context.Context) error {
		defer ad.Close()
		if c.AppToken != "" {
			a.log.Info("slack: connecting over Socket Mode")
			return ad.RunSocket(ctx, c.AppToken)
		}
		<-ctx.Done()
		return nil
	}, nil
}

// runSlackManifest prints the Slack app manifest for this bot.
func runSlackManifest(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("slack-manifest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "", "public base URL the bot serves on, e.g. https://pledgebot.example.org")
	socket := fs.Bool("socket-mode", false, "use Socket Mode (no public URL needed)")
	name := fs.String("name", "Pledgebot", "the app's name in Slack")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" && !*socket {
		return errors.New("slack-manifest: give --url BASE_URL (or --socket-mode)")
	}
	b := bot.New(bot.Options{})
	b.Register(commands.All(b, nil)...)
	out, err := slackadapter.Manifest(b, slackadapter.ManifestOptions{BaseURL: *base, SocketMode: *socket, Name: *name})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}
