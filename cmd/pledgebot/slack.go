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
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/supervise"
)

// mountSlack serves Slack over HTTP when a signing secret is set, and over
// Socket Mode when an app token is set, each a transport of its own; with
// a bot token the adapter is the bot's sender for Slack notices (nudges,
// digests) in every case.
func (a *app) mountSlack(mux *http.ServeMux, p *parts) error {
	c := a.cfg.Slack
	if c.SigningSecret == "" && c.AppToken == "" && c.BotToken == "" && !c.Distributed() {
		return nil
	}
	tokens, installURL, err := a.slackTokens()
	if err != nil {
		return err
	}
	a.mountSlackInstall(mux, tokens)
	if it, ok := tokens.(*slackadapter.InstalledTokens); ok {
		p.tasks = append(p.tasks, it.Run) // refreshes rotating tokens ahead of the calls that need them
	}
	if c.BotToken == "" && !c.Distributed() {
		return errors.New("slack: SLACK_BOT_TOKEN is required with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN")
	}
	ad := slackadapter.New(slackadapter.Options{Bot: a.bot, Once: a.store.Store, SigningSecret: c.SigningSecret,
		BotToken: c.BotToken, APIURL: c.APIURL, HTTPClient: slackHTTPClient(), Logger: a.log.With("adapter", "slack"),
		SocketPingInterval: a.socketPing, Tokens: tokens, InstallURL: installURL})
	a.bot.AddSender(bot.Slack, ad)
	p.closers = append(p.closers, ad.Close)
	if c.SigningSecret != "" {
		ad.Routes(mux)
		p.transports.Add("slack-http", supervise.Always)
		a.log.Info("slack: HTTP endpoints on /slack/commands, /slack/interactions, /slack/events")
	}
	if c.AppToken != "" {
		p.transports.Add("slack-socket", func(ctx context.Context, r supervise.Reporter) error {
			return ad.RunSocket(ctx, c.AppToken, r)
		})
		a.log.Info("slack: receiving over Socket Mode")
	}
	if c.SigningSecret == "" && c.AppToken == "" {
		a.log.Info("slack: sending notices only (set SLACK_SIGNING_SECRET or SLACK_APP_TOKEN to receive commands)")
	}
	return nil
}

// slackManifestCmd prints the Slack app manifest for this bot. With
// SLACK_CLIENT_ID or SLACK_CLIENT_SECRET configured (distribution), the
// manifest is the distribution one unless --distribution=false says not.
func slackManifestCmd(fs *flag.FlagSet) runFunc {
	base := fs.String("url", "", "public base `URL` the bot serves on, e.g. https://pledgebot.example.org")
	socket := fs.Bool("socket-mode", false, "use Socket Mode (no public URL needed)")
	name := fs.String("name", "Pledgebot", "the app's `NAME` in Slack")
	dist := fs.Bool("distribution", false, "workspaces install the app by OAuth: add the redirect URL and the install link (needs --url; on by itself when SLACK_CLIENT_ID is configured)")
	cfgPath := configFlag(fs)
	return func(_ context.Context, e env, _ []string) error {
		if *base == "" && !*socket {
			return usageError{"slack-manifest: give --url BASE_URL (or --socket-mode)"}
		}
		if *dist && *base == "" {
			return usageError{"slack-manifest: --distribution needs --url BASE_URL"}
		}
		explicit := false
		fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "distribution" })
		if !explicit {
			// A configuration that does not load yet (often while the app
			// is being set up) does not stop the manifest.
			cfg, err := config.Load(*cfgPath)
			if err != nil {
				fmt.Fprintf(e.stderr, "slack-manifest: the configuration does not load, so this is a single-workspace manifest unless --distribution is given:\n%v\n", err)
			} else if cfg.Slack.Distributed() {
				if *base == "" {
					fmt.Fprintln(e.stderr, "slack-manifest: SLACK_CLIENT_ID is configured, but without --url the manifest cannot name the OAuth redirect URL; give --url for a distribution manifest.")
				}
				*dist = *base != ""
			}
		}
		return runSlackManifest(slackadapter.ManifestOptions{BaseURL: *base, SocketMode: *socket, Name: *name, Distribution: *dist}, e.stdout)
	}
}

func runSlackManifest(o slackadapter.ManifestOptions, stdout io.Writer) error {
	b := bot.New(bot.Options{})
	b.Register(commands.All(b, nil)...)
	out, err := slackadapter.Manifest(b, o)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, string(out))
	return err
}
