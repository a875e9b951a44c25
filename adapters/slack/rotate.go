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
	// LoadInstalls reads every installation (tokens sealed).
	LoadInstalls(ctx context.Context) ([]Installation, error)
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
// with a refresh token. Every SweepEvery, each replica's Run refreshes
// the tokens with less than SweepAhead left, so calls seldom wait on a
// refresh; a token a call finds with less than RefreshAhead left (no
// sweep ran, or it failed) is refreshed before that call. One replica
// refreshes (the lock's holder); a call on another waits up to
// refreshWait and reads the new token from the store, a sweep skips it.
const (
	RefreshAhead = 10 * time.Minute
	SweepAhead   = 20 * time.Minute
	SweepEvery   = 5 * time.Minute
	refreshLock  = 30 * time.Second // longer than one oauth.v2.access call may take
	refreshCall  = 20 * time.Second // the call's own bound, whoever waits on it
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
	if !t.due(in, RefreshAhead) {
		return t.o.Box.Open(team, in.Token)
	}
	token, _, err := t.rotate(ctx, in, RefreshAhead, true)
	return token, err
}

// due: the token expires within ahead and can be refreshed.
func (t *InstalledTokens) due(in Installation, ahead time.Duration) bool {
	return in.Refresh != "" && !in.ExpiresAt.IsZero() && in.ExpiresAt.Sub(t.o.Now()) < ahead
}

// Sweep refreshes every token with less than SweepAhead left and says
// how many this replica refreshed; tokens another replica is refreshing are left
// to it. Errors are logged per workspace; only a failed listing is
// returned.
func (t *InstalledTokens) Sweep(ctx context.Context) (int, error) {
	all, err := t.o.Store.LoadInstalls(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, in := range all {
		if !t.due(in, SweepAhead) {
			continue
		}
		_, refreshed, err := t.rotate(ctx, in, SweepAhead, false)
		if err != nil {
			t.o.Logger.Warn("slack: token refresh failed", "team", in.Team, "why", refreshWhy(err))
		}
		if refreshed {
			n++
		}
	}
	return n, nil
}

// Run sweeps every SweepEvery until ctx ends (serve runs it on every
// replica; the lock makes each refresh happen once).
func (t *InstalledTokens) Run(ctx context.Context) error {
	tick := time.NewTicker(SweepEvery)
	defer tick.Stop()
	for {
		if _, err := t.Sweep(ctx); err != nil && ctx.Err() == nil {
			t.o.Logger.Warn("slack: could not list installations to refresh their tokens", "why", refreshWhy(err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// rotate refreshes in's token once across replicas: the one that takes
// the lock calls Slack and stores the result; the others read it (wait)
// or leave it (a sweep). refreshed: this call refreshed it.
func (t *InstalledTokens) rotate(ctx context.Context, in Installation, ahead time.Duration, wait bool) (token string, refreshed bool, err error) {
	raw := make([]byte, 12)
	rand.Read(raw)
	mark := base64.RawURLEncoding.EncodeToString(raw)
	ok, err := t.o.Store.LockRefresh(ctx, in.Team, mark, refreshLock)
	switch {
	case err != nil:
		token, err = t.fallback(in, err)
		return token, false, err
	case !ok && !wait:
		return "", false, nil
	case !ok:
		token, err = t.await(ctx, in, mark)
		return token, false, err
	}
	defer t.o.Store.UnlockRefresh(context.WithoutCancel(ctx), in.Team, mark)
	// Another replica may have finished just before the lock was free.
	cur, err := t.o.Store.LoadInstall(ctx, in.Team)
	if err != nil {
		return "", false, err
	}
	if cur.Token != in.Token || !t.due(cur, ahead) {
		token, err = t.o.Box.Open(cur.Team, cur.Token)
		return token, false, err
	}
	token, refreshed, err = t.refresh(ctx, cur)
	if err != nil {
		token, err = t.fallback(cur, err)
	}
	return token, refreshed, err
}

// refresh calls oauth.v2.access with the refresh token and stores the
// new pair sealed, in place of the old; the bool says it replaced them (not
// when a reinstall came first).
func (t *InstalledTokens) refresh(ctx context.Context, in Installation) (string, bool, error) {
	rt, err := t.o.Box.Open(in.Team, in.Refresh)
	if err != nil {
		return "", false, err
	}
	var opts []slackapi.OAuthOption
	if t.o.APIURL != "" {
		u := t.o.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slackapi.OAuthOptionAPIURL(u))
	}
	// Once asked, the refresh goes to its end even if the caller stops
	// waiting, so Slack's answer is stored and not lost.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshCall)
	defer cancel()
	resp, err := slackapi.RefreshOAuthV2TokenContext(ctx, t.o.HTTPClient, t.o.ClientID, t.o.ClientSecret, rt, opts...)
	if err != nil {
		return "", false, err
	}
	if resp.AccessToken == "" {
		return "", false, errors.New("slack answered the refresh without a token")
	}
	token, refresh := in.Token, in.Refresh
	if token, err = t.o.Box.Seal(in.Team, resp.AccessToken); err != nil {
		return "", false, err
	}
	if resp.RefreshToken != "" {
		if refresh, err = t.o.Box.Seal(in.Team, resp.RefreshToken); err != nil {
			return "", false, err
		}
	}
	var exp time.Time
	if resp.ExpiresIn > 0 {
		exp = t.o.Now().UTC().Truncate(time.Second).Add(time.Duration(resp.ExpiresIn) * time.Second)
	}
	swapped, err := t.o.Store.ReplaceTokens(ctx, in.Team, in.Token, token, refresh, exp)
	if err != nil {
		return "", false, err
	}
	if !swapped {
		// Reinstalled or uninstalled meanwhile: what is stored now wins.
		cur, err := t.o.Store.LoadInstall(ctx, in.Team)
		if err != nil {
			return "", false, err
		}
		tok, err := t.o.Box.Open(cur.Team, cur.Token)
		return tok, false, err
	}
	t.o.Logger.Info("slack: workspace token refreshed", "team", in.Team, "expires_at", exp)
	return resp.AccessToken, true, nil
}

// await waits for the replica holding the lock to store the new token.
// A free lock with the old token still stored means that replica failed
// (or stopped): then there is nothing to wait for.
func (t *InstalledTokens) await(ctx context.Context, in Installation, mark string) (string, error) {
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
		free, err := t.o.Store.LockRefresh(ctx, in.Team, mark, refreshLock)
		if err != nil || !free {
			continue
		}
		// The holder may have stored it between the read and the lock.
		cur, err = t.o.Store.LoadInstall(ctx, in.Team)
		t.o.Store.UnlockRefresh(context.WithoutCancel(ctx), in.Team, mark)
		if err != nil {
			return "", err
		}
		if cur.Token != in.Token {
			return t.o.Box.Open(cur.Team, cur.Token)
		}
		return t.fallback(in, errors.New("the replica refreshing the token did not finish"))
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
