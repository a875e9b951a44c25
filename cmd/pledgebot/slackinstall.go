package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/store"
	"github.com/pledgebot/pledgebot/tokenbox"
)

// installStore lets the Slack adapter keep installations in the store
// without knowing the store's types.
type installStore struct{ *store.Store }

func (s installStore) SaveInstall(ctx context.Context, in slackadapter.Installation) error {
	return s.SaveSlackInstall(ctx, store.SlackInstall{Team: in.Team, Enterprise: in.Enterprise, Token: in.Token,
		Refresh: in.Refresh, BotUser: in.BotUser, Scopes: in.Scopes, Installer: in.Installer,
		InstalledAt: in.InstalledAt, ExpiresAt: in.ExpiresAt})
}

func (s installStore) LoadInstall(ctx context.Context, team string) (slackadapter.Installation, error) {
	in, err := s.SlackInstall(ctx, team)
	if errors.Is(err, store.ErrNoInstall) {
		return slackadapter.Installation{}, slackadapter.ErrNotInstalled
	}
	return toInstallation(in), err
}

func toInstallation(in store.SlackInstall) slackadapter.Installation {
	return slackadapter.Installation{Team: in.Team, Enterprise: in.Enterprise, Token: in.Token, Refresh: in.Refresh,
		BotUser: in.BotUser, Scopes: in.Scopes, Installer: in.Installer, InstalledAt: in.InstalledAt,
		ExpiresAt: in.ExpiresAt}
}

func (s installStore) LoadInstalls(ctx context.Context) ([]slackadapter.Installation, error) {
	list, err := s.SlackInstalls(ctx)
	out := make([]slackadapter.Installation, 0, len(list))
	for _, in := range list {
		out = append(out, toInstallation(in))
	}
	return out, err
}

func (s installStore) DeleteInstall(ctx context.Context, team string) error {
	return s.DeleteSlackInstall(ctx, team)
}

func (s installStore) LockRefresh(ctx context.Context, team, mark string, ttl time.Duration) (bool, error) {
	return s.LockSlackRefresh(ctx, team, mark, ttl)
}

func (s installStore) UnlockRefresh(ctx context.Context, team, mark string) error {
	return s.UnlockSlackRefresh(ctx, team, mark)
}

func (s installStore) ReplaceTokens(ctx context.Context, team, old, token, refresh string, exp time.Time) (bool, error) {
	return s.ReplaceSlackTokens(ctx, team, old, token, refresh, exp)
}

// slackTokens is the adapter's token source with distribution (nil
// without: SLACK_BOT_TOKEN serves the one workspace) and the install link.
func (a *app) slackTokens() (slackadapter.Tokens, string, error) {
	c := a.cfg.Slack
	if !c.Distributed() {
		return nil, "", nil
	}
	key, err := config.TokenKey(c.TokenKey)
	if err != nil {
		return nil, "", err
	}
	box, err := tokenbox.New(key)
	if err != nil {
		return nil, "", err
	}
	link := "/slack/install"
	if base := strings.TrimRight(a.cfg.Reports.BaseURL, "/"); base != "" {
		link = base + link
	}
	return slackadapter.NewInstalledTokens(slackadapter.TokensOptions{Store: installStore{a.store.Store}, Box: box,
		ClientID: c.ClientID, ClientSecret: c.ClientSecret, APIURL: c.APIURL, HTTPClient: slackHTTPClient(),
		Logger: a.log.With("adapter", "slack-tokens")}), link, nil
}

// mountSlackInstall serves "Add to Slack" (GET /slack/install and its
// OAuth callback) when distribution is configured.
func (a *app) mountSlackInstall(mux *http.ServeMux, tokens slackadapter.Tokens) {
	c := a.cfg.Slack
	st, ok := tokens.(*slackadapter.InstalledTokens)
	if !ok {
		return
	}
	box := st.Box()
	redirect := ""
	if base := strings.TrimRight(a.cfg.Reports.BaseURL, "/"); base != "" {
		redirect = base + "/slack/oauth/callback"
	}
	slackadapter.NewInstaller(slackadapter.InstallerOptions{ClientID: c.ClientID, ClientSecret: c.ClientSecret,
		RedirectURL: redirect, APIURL: c.APIURL, Store: installStore{a.store.Store}, Box: box,
		HTTPClient: slackHTTPClient(), Logger: a.log.With("adapter", "slack-install")}).Routes(mux)
	a.log.Info("slack: installs to many workspaces at /slack/install")
}

// slackInstallsCmd is `pledgebot slack-installs`: the workspaces that
// installed the app, never with a token.
func slackInstallsCmd(fs *flag.FlagSet) runFunc {
	cfgPath := configFlag(fs)
	return func(ctx context.Context, e env, _ []string) error {
		a, err := openTool(ctx, "slack-installs", *cfgPath, e.stderr, false)
		if err != nil {
			return err
		}
		defer a.Close()
		list, err := a.store.SlackInstalls(ctx)
		if err != nil {
			return err
		}
		if err := printSlackInstalls(e.stdout, list); err != nil {
			return err
		}
		held, err := a.heldForUninstalled(ctx)
		if err != nil {
			return err
		}
		return printHeld(e.stdout, held)
	}
}

// heldTeam is a workspace that removed the app, with the notices its
// community keeps for it until it installs again.
type heldTeam struct {
	Team, Community string
	Held            int
}

// heldForUninstalled counts the notices held for each workspace that
// removed the app and has not installed it again (they are never given
// up on, so a workspace that never comes back keeps them).
func (a *app) heldForUninstalled(ctx context.Context) ([]heldTeam, error) {
	teams, err := a.store.SlackUninstalled(ctx)
	if err != nil {
		return nil, err
	}
	var out []heldTeam
	for _, t := range teams {
		c := a.bot.Tenancy().Community(bot.Slack, t)
		n, err := a.store.HeldNotices(ctx, c, bot.Slack, t)
		if err != nil {
			return nil, err
		}
		out = append(out, heldTeam{Team: t, Community: c, Held: n})
	}
	return out, nil
}

func printHeld(w io.Writer, held []heldTeam) error {
	if len(held) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nRemoved the app (notices held until it installs again; none expire):")
	fmt.Fprintln(tw, "TEAM\tCOMMUNITY\tHELD NOTICES")
	for _, h := range held {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", h.Team, h.Community, h.Held)
	}
	return tw.Flush()
}

func printSlackInstalls(w io.Writer, list []store.SlackInstall) error {
	if len(list) == 0 {
		_, err := fmt.Fprintln(w, "No Slack workspace has installed Pledgebot (distribution: open /slack/install).")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TEAM\tENTERPRISE\tINSTALLED AT\tBY\tSCOPES\tTOKEN EXPIRES")
	for _, in := range list {
		exp := "never"
		if !in.ExpiresAt.IsZero() {
			exp = in.ExpiresAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", in.Team, dash(in.Enterprise), in.InstalledAt.UTC().Format(time.RFC3339),
			dash(in.Installer), dash(in.Scopes), exp)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// slackInstallsLine is /readyz's "slack-installations" line: how many
// workspaces have installed the app.
func (a *app) slackInstallsLine(ctx context.Context) string {
	n, err := a.store.CountSlackInstalls(ctx)
	if err != nil {
		return "unknown: Redis did not answer"
	}
	if n == 1 {
		return "1 workspace"
	}
	return fmt.Sprintf("%d workspaces", n)
}
