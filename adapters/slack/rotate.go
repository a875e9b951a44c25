package slack

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/tokenbox"
	slackapi "github.com/slack-go/slack"
)

// TokenStore keeps installations for InstalledTokens, shared by every
// replica (cmd/pledgebot wires the store to it).
type TokenStore interface {
	// LoadInstall reads a workspace's installation (tokens sealed), or
	// ErrNotInstalled.
	LoadInstall(ctx context.Context, team string) (Installation, error)
	DeleteInstall(ctx context.Context, team string) error
	// LockRefresh takes the team's refresh lock with mark for ttl; false
	// while another replica holds it. UnlockRefresh frees it if still mark's.
	LockRefresh(ctx context.Context, team, mark string, ttl time.Duration) (bool, error)
	UnlockRefresh(ctx context.Context, team, mark string) error
	// ReplaceTokens stores refreshed sealed tokens in place of old, in one
	// step; false when old is no longer the stored token.
	ReplaceTokens(ctx context.Context, team, old, token, refresh string, expiresAt time.Time) (bool, error)
}

// Token rotation: with it on, Slack's bot tokens last 12 hours and come
// with a refresh token. A token with less than RefreshAhead left is
// refreshed before the call that needs it, by one replica; the others
// wait up to refreshWait for it and read the new token from the store.
const (
	RefreshAhead = 10 * time.Minute
	refreshLock  = 30 * time.Second // longer than one oauth.v2.access call may take
	refreshWait  = 15 * time.Second
	refreshPoll  = 100 * time.Millisecond
)

// TokensOptions configure InstalledTokens.
type TokensOptions struct {
	Store                  TokenStore
	Box                    *tokenbox.Box
	ClientID, ClientSecret string
	APIURL                 string // as InstallerOptions.APIURL
	HTTPClient             *http.Client
	Logger                 *slog.Logger
	Now                    func() time.Time
	Sleep                  func(ctx context.Context, d time.Duration) error
}

// InstalledTokens is the adapter's Tokens with distribution: each
// workspace's token opened from the store for one call, refreshed first
// when it is about to expire.
type InstalledTokens struct{ o TokensOptions }

// NewInstalledTokens builds the token source.
func NewInstalledTokens(o TokensOptions) *InstalledTokens {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				return nil
			}
		}
	}
	return &InstalledTokens{o: o}
}

// Box is the tokenbox the tokens are sealed with (the installer shares it).
func (t *InstalledTokens) Box() *tokenbox.Box { return t.o.Box }

// Installed says whether team has an installation (nil) or not
// (ErrNotInstalled), without opening or refreshing its token.
func (t *InstalledTokens) Installed(ctx context.Context, team string) error {
	_, err := t.o.Store.LoadInstall(ctx, team)
	return err
}

// Forget deletes the workspace's tokens.
func (t *InstalledTokens) Forget(ctx context.Context, team string) error {
	return t.o.Store.DeleteInstall(ctx, team)
}

// BotToken opens team's bot token, refreshing it first when it is near
// expiry.
func (t *InstalledTokens) BotToken(ctx context.Context, team string) (string, error) {
	in, err := t.o.Store.LoadInstall(ctx, team)
	if err != nil {
		return "", err
	}
	if !t.due(in) {
		return t.o.Box.Open(team, in.Token)
	}
	return t.rotate(ctx, in)
}

// due: the token expires within RefreshAhead and can be refreshed.
func (t *InstalledTokens) due(in Installation) bool {
	return in.Refresh != "" && !in.ExpiresAt.IsZero() && in.ExpiresAt.Sub(t.o.Now()) < RefreshAhead
}

// rotate refreshes in's token once across replicas: the one that takes
// the lock calls Slack and stores the result; the others read it.
func (t *InstalledTokens) rotate(ctx context.Context, in Installation) (string, error) {
	raw := make([]byte, 12)
	rand.Read(raw)
	mark := base64.RawURLEncoding.EncodeToString(raw)
	ok, err := t.o.Store.LockRefresh(ctx, in.Team, mark, refreshLock)
	if err != nil {
		return t.fallback(in, err)
	}
	if !ok {
		return t.await(ctx, in)
	}
	defer t.o.Store.UnlockRefresh(context.WithoutCancel(ctx), in.Team, mark)
	// Another replica may have finished just before the lock was free.
	cur, err := t.o.Store.LoadInstall(ctx, in.Team)
	if err != nil {
		return "", err
	}
	if cur.Token != in.Token || !t.due(cur) {
		return t.o.Box.Open(cur.Team, cur.Token)
	}
	token, err := t.refresh(ctx, cur)
	if err != nil {
		return t.fallback(cur, err)
	}
	return token, nil
}

// refresh calls oauth.v2.access with the refresh token and stores the
// new pair sealed, in place of the old.
func (t *InstalledTokens) refresh(ctx context.Context, in Installation) (string, error) {
	rt, err := t.o.Box.Open(in.Team, in.Refresh)
	if err != nil {
		return "", err
	}
	var opts []slackapi.OAuthOption
	if t.o.APIURL != "" {
		u := t.o.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slackapi.OAuthOptionAPIURL(u))
	}
	resp, err := slackapi.RefreshOAuthV2TokenContext(ctx, t.o.HTTPClient, t.o.ClientID, t.o.ClientSecret, rt, opts...)
	if err != nil {
		return "", err
	}
	if resp.AccessToken == "" {
		return "", errors.New("slack answered the refresh without a token")
	}
	token, refresh := in.Token, in.Refresh
	if token, err = t.o.Box.Seal(in.Team, resp.AccessToken); err != nil {
		return "", err
	}
	if resp.RefreshToken != "" {
		if refresh, err = t.o.Box.Seal(in.Team, resp.RefreshToken); err != nil {
			return "", err
		}
	}
	var exp time.Time
	if resp.ExpiresIn > 0 {
		exp = t.o.Now().UTC().Truncate(time.Second).Add(time.Duration(resp.ExpiresIn) * time.Second)
	}
	swapped, err := t.o.Store.ReplaceTokens(context.WithoutCancel(ctx), in.Team, in.Token, token, refresh, exp)
	if err != nil {
		return "", err
	}
	if !swapped {
		// Reinstalled or uninstalled meanwhile: what is stored now wins.
		cur, err := t.o.Store.LoadInstall(ctx, in.Team)
		if err != nil {
			return "", err
		}
		return t.o.Box.Open(cur.Team, cur.Token)
	}
	t.o.Logger.Info("slack: workspace token refreshed", "team", in.Team, "expires_at", exp)
	return resp.AccessToken, nil
}

// await waits for the replica holding the lock to store the new token.
func (t *InstalledTokens) await(ctx context.Context, in Installation) (string, error) {
	for waited := time.Duration(0); waited < refreshWait; waited += refreshPoll {
		if err := t.o.Sleep(ctx, refreshPoll); err != nil {
			return t.fallback(in, err)
		}
		cur, err := t.o.Store.LoadInstall(ctx, in.Team)
		if err != nil {
			return "", err
		}
		if cur.Token != in.Token {
			return t.o.Box.Open(cur.Team, cur.Token)
		}
	}
	return t.fallback(in, errors.New("another replica is still refreshing the token"))
}

// fallback uses the old token while it is still good (the refresh is
// tried again on the next call), else reports why there is none.
func (t *InstalledTokens) fallback(in Installation, why error) (string, error) {
	if t.o.Now().Before(in.ExpiresAt) {
		t.o.Logger.Warn("slack: token refresh failed; the current token is still good", "team", in.Team, "why", refreshWhy(why))
		return t.o.Box.Open(in.Team, in.Token)
	}
	return "", errors.New("slack: the workspace's token expired and could not be refreshed: " + refreshWhy(why))
}

// refreshWhy words a refresh failure without any token: Slack's error
// code, or the kind of failure.
func refreshWhy(err error) string {
	var se slackapi.SlackErrorResponse
	if errors.As(err, &se) {
		return "Slack said " + clipRunes(se.Err, 100)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "it took too long"
	}
	if errors.Is(err, tokenbox.ErrOpen) {
		return tokenbox.ErrOpen.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "Slack could not be reached"
	}
	return clipRunes(err.Error(), 200)
}
