package main

import (
	"context"
	"net/http"
	"strings"

	slackadapter "github.com/pledgebot/pledgebot/adapters/slack"
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

// mountSlackInstall serves "Add to Slack" (GET /slack/install and its
// OAuth callback) when distribution is configured.
func (a *app) mountSlackInstall(mux *http.ServeMux) error {
	c := a.cfg.Slack
	if !c.Distributed() {
		return nil
	}
	key, err := config.TokenKey(c.TokenKey)
	if err != nil {
		return err
	}
	box, err := tokenbox.New(key)
	if err != nil {
		return err
	}
	redirect := ""
	if base := strings.TrimRight(a.cfg.Reports.BaseURL, "/"); base != "" {
		redirect = base + "/slack/oauth/callback"
	}
	slackadapter.NewInstaller(slackadapter.InstallerOptions{ClientID: c.ClientID, ClientSecret: c.ClientSecret,
		RedirectURL: redirect, APIURL: c.APIURL, Store: installStore{a.store.Store}, Box: box,
		HTTPClient: slackHTTPClient(), Logger: a.log.With("adapter", "slack-install")}).Routes(mux)
	a.log.Info("slack: installs to many workspaces at /slack/install")
	return nil
}
