package slack

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pledgebot/pledgebot/tokenbox"
	slackapi "github.com/slack-go/slack"
)

// Installation is one workspace's install as the adapter hands it to the
// store: the tokens are already sealed.
type Installation struct {
	Team, Enterprise string
	Token, Refresh   string // sealed with tokenbox, the team id as additional data
	BotUser, Scopes  string
	Installer        string
	InstalledAt      time.Time
	ExpiresAt        time.Time // zero: the token does not expire
}

// InstallStore keeps installations and one-use OAuth states, shared by
// every replica (cmd/pledgebot wires the store to it).
type InstallStore interface {
	PutOAuthState(ctx context.Context, state string, ttl time.Duration) (bool, error)
	TakeOAuthState(ctx context.Context, state string) (bool, error)
	SaveInstall(ctx context.Context, in Installation) error
}

// StateTTL is how long an "Add to Slack" link stays good.
const StateTTL = 10 * time.Minute

// InstallerOptions configure the OAuth v2 install flow.
type InstallerOptions struct {
	ClientID, ClientSecret string
	// RedirectURL is PUBLIC_URL/slack/oauth/callback; empty lets Slack use
	// the one the app's settings name.
	RedirectURL string
	// APIURL, when set (tests, proxies), moves both oauth.v2.access and the
	// authorize page to that host.
	APIURL     string
	Store      InstallStore
	Box        *tokenbox.Box
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
}

// Installer serves GET /slack/install and GET /slack/oauth/callback.
type Installer struct {
	o       InstallerOptions
	signKey []byte
}

// NewInstaller builds the install flow.
func NewInstaller(o InstallerOptions) *Installer {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	// A key of its own for states, derived from the client secret, so a
	// state's signature says nothing of the secret.
	m := hmac.New(sha256.New, []byte(o.ClientSecret))
	m.Write([]byte("pledgebot slack oauth state"))
	return &Installer{o: o, signKey: m.Sum(nil)}
}

// Routes registers the two endpoints.
func (in *Installer) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /slack/install", in.serveInstall)
	mux.HandleFunc("GET /slack/oauth/callback", in.serveCallback)
}

// AuthorizeURL is Slack's page a person approves the install on.
func (in *Installer) authorizeURL() string {
	if in.o.APIURL != "" {
		if u, err := url.Parse(in.o.APIURL); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host + "/oauth/v2/authorize"
		}
	}
	return "https://slack.com/oauth/v2/authorize"
}

func (in *Installer) serveInstall(w http.ResponseWriter, r *http.Request) {
	state, err := in.newState(r.Context())
	if err != nil {
		in.o.Logger.Error("slack install: could not keep an OAuth state", "err", err)
		page(w, http.StatusServiceUnavailable, "Pledgebot could not start the install", "Its store did not answer. Try again in a minute.", "")
		return
	}
	q := url.Values{"client_id": {in.o.ClientID}, "scope": {strings.Join(BotScopes, ",")}, "state": {state}}
	if in.o.RedirectURL != "" {
		q.Set("redirect_uri", in.o.RedirectURL)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, in.authorizeURL()+"?"+q.Encode(), http.StatusFound)
}

// newState makes a state NONCE.UNIX.SIG: signed, so a forged one is
// refused before Redis; kept in Redis for StateTTL, so it works once.
func (in *Installer) newState(ctx context.Context) (string, error) {
	for range 3 {
		raw := make([]byte, 16)
		rand.Read(raw)
		body := base64.RawURLEncoding.EncodeToString(raw) + "." + strconv.FormatInt(in.o.Now().Unix(), 10)
		state := body + "." + in.sign(body)
		ok, err := in.o.Store.PutOAuthState(ctx, state, StateTTL)
		if err != nil {
			return "", err
		}
		if ok {
			return state, nil
		}
	}
	return "", errors.New("three random states collided")
}

func (in *Installer) sign(body string) string {
	m := hmac.New(sha256.New, in.signKey)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// stateValid checks the signature and the age, without Redis.
func (in *Installer) stateValid(state string) bool {
	if len(state) > 200 {
		return false
	}
	body, sig, ok := cutLast(state, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(in.sign(body))) {
		return false
	}
	_, ts, _ := cutLast(body, ".")
	n, err := strconv.ParseInt(ts, 10, 64)
	age := in.o.Now().Sub(time.Unix(n, 0))
	return err == nil && age >= -time.Minute && age <= StateTTL
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

const startAgain = "Start again from the install link (/slack/install); each link works once, for 10 minutes."

func (in *Installer) serveCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if !in.stateValid(state) {
		page(w, http.StatusBadRequest, "This install link is not valid", "It was not made by this Pledgebot, or it is more than 10 minutes old. Nothing was installed.", startAgain)
		return
	}
	fresh, err := in.o.Store.TakeOAuthState(r.Context(), state)
	if err != nil {
		in.o.Logger.Error("slack install: could not check the OAuth state", "err", err)
		page(w, http.StatusServiceUnavailable, "Pledgebot could not finish the install", "Its store did not answer. Nothing was installed.", startAgain)
		return
	}
	if !fresh {
		page(w, http.StatusBadRequest, "This install link was already used or has expired", "Nothing was installed this time.", startAgain)
		return
	}
	if e := q.Get("error"); e != "" {
		if e == "access_denied" {
			page(w, http.StatusOK, "Pledgebot was not installed", "You chose Cancel on Slack's page, so nothing was installed.", "To install it after all, open the install link (/slack/install) again.")
			return
		}
		page(w, http.StatusBadRequest, "Slack did not install Pledgebot", "Slack said: "+clipRunes(e, 100)+". Nothing was installed.", startAgain)
		return
	}
	code := q.Get("code")
	if code == "" || len(code) > 500 {
		page(w, http.StatusBadRequest, "Slack sent no install code", "Nothing was installed.", startAgain)
		return
	}
	if err := in.exchange(r.Context(), code); err != nil {
		var se slackapi.SlackErrorResponse
		why := "Slack could not be reached"
		if errors.As(err, &se) {
			why = "Slack refused the install code (" + clipRunes(se.Err, 100) + ")"
		}
		in.o.Logger.Warn("slack install: exchanging the code failed", "why", why)
		page(w, http.StatusBadGateway, "Pledgebot could not finish the install", why+". Nothing was installed.", startAgain)
		return
	}
	page(w, http.StatusOK, "Pledgebot is installed", "Your workspace can now use Pledgebot.", "In any channel, type /pledgebot help to see what it does, or /business add to register your business.")
}

// exchange swaps the code for the workspace's tokens (oauth.v2.access)
// and stores them sealed.
func (in *Installer) exchange(ctx context.Context, code string) error {
	var opts []slackapi.OAuthOption
	if in.o.APIURL != "" {
		u := in.o.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slackapi.OAuthOptionAPIURL(u))
	}
	resp, err := slackapi.GetOAuthV2ResponseContext(ctx, in.o.HTTPClient, in.o.ClientID, in.o.ClientSecret, code, in.o.RedirectURL, opts...)
	if err != nil {
		return err
	}
	team := resp.Team.ID
	if team == "" || resp.AccessToken == "" {
		return errors.New("slack answered without a team or a bot token")
	}
	now := in.o.Now().UTC().Truncate(time.Second)
	inst := Installation{Team: team, Enterprise: resp.Enterprise.ID, BotUser: resp.BotUserID, Scopes: resp.Scope,
		Installer: resp.AuthedUser.ID, InstalledAt: now}
	if inst.Token, err = in.o.Box.Seal(team, resp.AccessToken); err != nil {
		return err
	}
	if resp.RefreshToken != "" {
		if inst.Refresh, err = in.o.Box.Seal(team, resp.RefreshToken); err != nil {
			return err
		}
	}
	if resp.ExpiresIn > 0 {
		inst.ExpiresAt = now.Add(time.Duration(resp.ExpiresIn) * time.Second)
	}
	if err := in.o.Store.SaveInstall(ctx, inst); err != nil {
		return err
	}
	in.o.Logger.Info("slack: workspace installed", "team", team, "scopes", resp.Scope)
	return nil
}
