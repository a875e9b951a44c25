package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/adapters/arrival"
	"github.com/pledgebot/pledgebot/bot"
	slackapi "github.com/slack-go/slack"
)

// Once records platform delivery ids so a retried delivery has one effect
// across every replica sharing the store (store.Store implements it).
type Once interface {
	Once(ctx context.Context, community, id string, ttl time.Duration) (first bool, err error)
}

// Options configure an Adapter.
type Options struct {
	Bot           *bot.Bot
	Once          Once
	SigningSecret string
	BotToken      string
	// APIURL points the Web API client elsewhere (tests, proxies); it must
	// end in a slash. Empty means Slack itself.
	APIURL     string
	HTTPClient *http.Client // for response_url posts and the Web API
	Logger     *slog.Logger
	// Budget is how long a slash command or a modal submission may run
	// before Slack gets an early answer and the result follows by
	// response_url or message (Slack allows 3 s for the acknowledgement).
	Budget time.Duration
	// Tokens gives each workspace's own bot token when workspaces install
	// the app (distribution); nil means BotToken serves every workspace.
	Tokens Tokens
	// InstallURL is where a workspace without an installation is sent
	// (PUBLIC_URL/slack/install).
	InstallURL string
	// SocketPingInterval is how long Socket Mode waits for Slack's ping
	// before it calls the connection dead (slack-go's default when 0).
	SocketPingInterval time.Duration
	// Timeout bounds one command or event handled in the background.
	Timeout time.Duration
	Now     func() time.Time
	// Sleep waits out a 429's Retry-After; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Adapter serves one Slack app.
type Adapter struct {
	o    Options
	bot  *bot.Bot
	api  *slackapi.Client  // with BotToken
	opts []slackapi.Option // for clients with a workspace's own token
	http *http.Client
	log  *slog.Logger

	paceMu   sync.Mutex
	lastPost map[string]time.Time // channel -> its latest reserved posting slot

	bg     context.Context // background work outlives the request that started it
	stop   context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool // set by Close: no new background work
}

// New builds an adapter. Call Close to wait for background work.
func New(o Options) *Adapter {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Budget == 0 {
		o.Budget = 2500 * time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = bot.Sleep
	}
	a := &Adapter{o: o, bot: o.Bot, http: o.HTTPClient, log: o.Logger, lastPost: map[string]time.Time{}}
	opts := []slackapi.Option{slackapi.OptionHTTPClient(o.HTTPClient)}
	if o.APIURL != "" {
		u := o.APIURL
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		opts = append(opts, slackapi.OptionAPIURL(u))
	}
	a.opts = opts
	a.api = slackapi.New(o.BotToken, opts...)
	a.bg, a.stop = context.WithCancel(context.Background())
	return a
}

// closeGrace is how long Close lets answers already in flight finish
// before cancelling them.
const closeGrace = 10 * time.Second

// Close lets background work finish (for up to closeGrace), then cancels
// what is left and waits for it.
func (a *Adapter) Close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	t := time.NewTimer(closeGrace)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
	a.stop()
	<-done
}

// Routes registers the three HTTP endpoints.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/commands", a.signed(a.serveCommand))
	mux.HandleFunc("POST /slack/interactions", a.signed(a.serveInteraction))
	mux.HandleFunc("POST /slack/events", a.signed(a.serveEvent))
}

// signed lets only correctly signed, fresh requests through: anything else
// is a 401 and nothing is done.
func (a *Adapter) signed(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(arrival.With(r.Context(), time.Now())) // before the body is read and verified
		body, err := readSigned(r, a.o.SigningSecret, a.o.Now())
		if err != nil {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	if v == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// answerEarly writes a complete answer and flushes it, for answers given
// while the handler may go on working: Slack must see it within 3 seconds.
// The connection closes after it, so no other request waits behind this
// one on it.
func answerEarly(w http.ResponseWriter, v any) {
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			http.Error(w, "could not encode the answer", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	http.NewResponseController(w).Flush()
}

// background runs f on its own goroutine, with its own deadline, after
// the request has been answered; Close waits for it.
func (a *Adapter) background(f func(ctx context.Context)) {
	if a.begin() {
		go a.run(f)
		return
	}
	a.refuse(f)
}

// track runs f like background but on the caller's goroutine: f's work
// outlives the request (the caller may answer early), so it has the
// adapter's context, not the request's, and Close waits for it.
func (a *Adapter) track(f func(ctx context.Context)) {
	if a.begin() {
		a.run(f)
		return
	}
	a.refuse(f)
}

// followUp runs f on its own goroutine as part of work already tracked
// (the caller is inside track or background): Close waits for it even if
// it began closing meanwhile, so an answer finished within the grace
// period is still delivered.
func (a *Adapter) followUp(f func(ctx context.Context)) {
	a.wg.Add(1)
	go a.run(f)
}

// begin registers new work unless the adapter is closing.
func (a *Adapter) begin() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return false
	}
	a.wg.Add(1)
	return true
}

func (a *Adapter) run(f func(ctx context.Context)) {
	defer a.wg.Done()
	ctx, cancel := context.WithTimeout(a.bg, a.o.Timeout)
	defer cancel()
	f(ctx)
}

// refuse runs f with a finished context: shutting down, it gives up.
func (a *Adapter) refuse(f func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(a.bg)
	cancel()
	f(ctx)
}

func (a *Adapter) renderer(team string) renderer { return renderer{team: team} }

var errNoToken = errors.New("slack: SLACK_BOT_TOKEN is not set, so Pledgebot cannot post to Slack")

// Tokens gives an installed workspace's bot token (opened only for the
// call), or ErrNotInstalled.
type Tokens interface {
	BotToken(ctx context.Context, team string) (string, error)
	// Forget deletes the workspace's tokens (app_uninstalled,
	// tokens_revoked); its community's data stays.
	Forget(ctx context.Context, team string) error
}

// ErrNotInstalled: the workspace has not installed the app, or removed it.
var ErrNotInstalled = fmt.Errorf("slack: Pledgebot is not installed in that workspace: %w", bot.ErrHeld)

// client is the Web API client for team: its own token's with
// distribution, else the one bot token's.
func (a *Adapter) client(ctx context.Context, team string) (*slackapi.Client, error) {
	if a.o.Tokens == nil {
		if a.o.BotToken == "" {
			return nil, errNoToken
		}
		return a.api, nil
	}
	tok, err := a.o.Tokens.BotToken(ctx, team)
	if err != nil {
		return nil, err
	}
	return slackapi.New(tok, a.opts...), nil
}

// installed reports whether team may use the bot: always with one bot
// token; with distribution, when it has an installation. A store that
// does not answer counts as installed, so an outage is not mistaken for
// an uninstall (the call itself then fails and says so). The read ends
// at the request's acknowledgement deadline (arrival.By), as a slow store
// must not hold the answer past Slack's 3 s.
func (a *Adapter) installed(ctx context.Context, team string) bool {
	if a.o.Tokens == nil {
		return true
	}
	ctx, cancel := context.WithDeadline(ctx, arrival.By(ctx, a.o.Budget))
	defer cancel()
	var err error
	if c, ok := a.o.Tokens.(installChecker); ok {
		err = c.Installed(ctx, team)
	} else {
		_, err = a.o.Tokens.BotToken(ctx, team)
	}
	return !errors.Is(err, ErrNotInstalled)
}

// installChecker is a Tokens that can say whether a workspace is
// installed without opening (and perhaps refreshing) its token: the
// check runs before the acknowledgement, which must not wait on Slack's
// oauth.v2.access, and a refresh cut short by its deadline would be
// wasted.
type installChecker interface {
	Installed(ctx context.Context, team string) error
}

// installMessage is the whole answer to a workspace without an
// installation.
func (a *Adapter) installMessage() message {
	text := "Pledgebot is not installed in this workspace yet, so nothing was done."
	if a.o.InstallURL != "" {
		text += " A workspace admin can install it from " + escape(a.o.InstallURL) + " and then try again."
	}
	return message{ResponseType: "ephemeral", Text: text}
}
