package discord

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/pledgebot/pledgebot/supervise"
)

// TestGatewayEndToEnd connects the adapter to a fake gateway speaking
// Discord's protocol (HELLO, IDENTIFY, READY, a dispatched
// INTERACTION_CREATE) and checks the answer arrives at the callback
// endpoint of the fake REST API.
func TestGatewayEndToEnd(t *testing.T) {
	e := newEnv(t)
	e.api.called = make(chan call, 10)
	interaction := e.interaction(discordgo.InteractionApplicationCommand, alice, slashData("business", "register", "name", "Over the Gateway"))
	identified := make(chan map[string]any, 1)
	up := websocket.Upgrader{}
	e.api.gateway = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v10/gateway" {
			io.WriteString(w, `{"url":"ws://`+r.Host+`/gw"}`)
			return
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
		var id map[string]any
		if err := c.ReadJSON(&id); err != nil {
			return
		}
		identified <- id
		c.WriteJSON(map[string]any{"op": 0, "s": 1, "t": "READY", "d": map[string]any{"v": 9, "session_id": "sess",
			"user": map[string]any{"id": appID, "username": "pledgebot"}, "guilds": []any{}}})
		c.WriteMessage(websocket.TextMessage, []byte(`{"op":0,"s":2,"t":"INTERACTION_CREATE","d":`+string(interaction)+`}`))
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	s := e.api.session(t, "gateway-token")
	a := New(Options{Bot: e.h.Bot, Session: s})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunGateway(ctx, nopReporter{}) }()
	id := recv(t, identified, "IDENTIFY")
	if id["op"].(float64) != 2 || !strings.Contains(mustString(t, id["d"]), `"token":"Bot gateway-token"`) {
		t.Errorf("identify: %v", id)
	}
	// Interactions need no intent: not even GUILDS (guild create events).
	if d := mustString(t, id["d"]); !strings.Contains(d, `"intents":0`) {
		t.Errorf("identify asks for intents: %s", d)
	}
	c := recv(t, e.api.called, "the interaction's answer")
	cancel()
	if err := recv(t, done, "gateway shutdown"); err != nil {
		t.Fatalf("gateway: %v", err)
	}
	if c.Path != "/api/v10/interactions/800001/tok800001/callback" {
		t.Fatalf("answer went to %s", c.Path)
	}
	if r := decodeAnswer(t, c.Body); !strings.Contains(answerText(r), "Registered business #1: Over the Gateway") {
		t.Fatalf("answer: %s", answerText(r))
	}
}

// recv fails the test instead of hanging when a step never happens.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("no %s", what)
		panic("unreachable")
	}
}

func mustString(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fakeGateway is a scriptable Discord gateway behind the fake REST API.
// Each connection attempt is GET /api/v10/gateway then the websocket
// upgrade; rest and upgrade list the statuses that refuse them, one per
// attempt, before they start to succeed. An accepted connection gets
// HELLO, and its IDENTIFY or RESUME is answered with closeWith (when set)
// or READY / RESUMED, after which the connection is handed to the test.
type fakeGateway struct {
	t         testing.TB
	mu        sync.Mutex
	rest      []int
	upgrade   []int
	closeWith int
	silent    bool        // accept the websocket but never say HELLO
	interval  int         // heartbeat_interval in HELLO, ms (45000 when 0)
	ack       atomic.Bool // answer heartbeats with op 11
	ackFrom   int         // answer them from this connection on (1 is the first)
	reasons   chan string // the supervisor's reconnect reasons
	seq       int
	wmu       sync.Mutex
	beats     chan map[string]any // heartbeats received

	attempts atomic.Int32         // websocket connections accepted
	got      chan map[string]any  // each IDENTIFY (op 2) or RESUME (op 6)
	conns    chan *websocket.Conn // connections after READY / RESUMED
	states   chan string          // the gateway's changes of state, as /readyz words them
	done     chan error           // the supervisor's result
	sup      *supervise.Supervisor
	cancel   context.CancelFunc
}

func newFakeGateway(t *testing.T, e *env) *fakeGateway {
	g := &fakeGateway{t: t, got: make(chan map[string]any, 10), conns: make(chan *websocket.Conn, 10),
		states: make(chan string, 100), done: make(chan error, 1), beats: make(chan map[string]any, 100), reasons: make(chan string, 100)}
	e.api.gateway = http.HandlerFunc(g.serve)
	return g
}

// pop takes the next refusal status from *list, or 0 to go ahead.
func (g *fakeGateway) pop(list *[]int) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(*list) == 0 {
		return 0
	}
	s := (*list)[0]
	*list = (*list)[1:]
	return s
}

func (g *fakeGateway) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/v10/gateway" {
		if s := g.pop(&g.rest); s != 0 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(s)
			io.WriteString(w, `{"message":"unavailable","code":0}`)
			return
		}
		io.WriteString(w, `{"url":"ws://`+r.Host+`/gw"}`)
		return
	}
	if s := g.pop(&g.upgrade); s != 0 {
		http.Error(w, "unavailable", s)
		return
	}
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		g.t.Error(err)
		return
	}
	defer c.Close()
	n := g.attempts.Add(1)
	acks := g.ackFrom > 0 && int(n) >= g.ackFrom
	if g.silent {
		c.ReadMessage()
		return
	}
	interval := g.interval
	if interval == 0 {
		interval = 45000
	}
	c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": interval}})
	var m map[string]any
	if err := c.ReadJSON(&m); err != nil {
		return
	}
	g.got <- m
	if g.closeWith != 0 {
		c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(g.closeWith, "no"))
		c.ReadMessage()
		return
	}
	g.login(c, m)
	g.conns <- c
	for {
		var m map[string]any
		if err := c.ReadJSON(&m); err != nil {
			return
		}
		switch m["op"].(float64) {
		case 1:
			m["conn"] = n // which connection beat
			select {
			case g.beats <- m:
			default:
			}
			if g.ack.Load() || acks {
				g.write(c, map[string]any{"op": 11})
			}
		case 2, 6: // logging in again on the same connection (after op 9)
			g.got <- m
			g.login(c, m)
		}
	}
}

// login answers IDENTIFY with READY and RESUME with RESUMED.
func (g *fakeGateway) login(c *websocket.Conn, m map[string]any) {
	g.mu.Lock()
	g.seq++
	seq := g.seq
	g.mu.Unlock()
	if m["op"].(float64) == 6 {
		g.write(c, map[string]any{"op": 0, "s": seq, "t": "RESUMED", "d": map[string]any{}})
		return
	}
	g.write(c, map[string]any{"op": 0, "s": seq, "t": "READY", "d": map[string]any{"v": 10, "session_id": "sess",
		"user": map[string]any{"id": appID, "username": "pledgebot"}, "guilds": []any{}}})
}

// write sends v on c; the fake and the test both write, never at once.
func (g *fakeGateway) write(c *websocket.Conn, v any) {
	g.wmu.Lock()
	defer g.wmu.Unlock()
	c.WriteJSON(v)
}

// start runs the adapter's gateway against the fake under a supervisor
// with a backoff of milliseconds, beside an HTTP transport that is always
// up (so a gateway that fails for good leaves something running).
func (g *fakeGateway) start(e *env) {
	s := e.api.session(g.t, "gateway-token")
	a := New(Options{Bot: e.h.Bot, Session: s, Logger: slog.New(slog.DiscardHandler)})
	g.sup = &supervise.Supervisor{Backoff: supervise.Backoff{Min: 5 * time.Millisecond, Max: 20 * time.Millisecond},
		Log: slog.New(slog.DiscardHandler), OnState: func(name string, st supervise.Status) {
			if name == "discord-gateway" {
				g.states <- st.Text()
			}
		}, OnReconnect: func(name, reason string) { g.reasons <- reason }}
	g.sup.Add("discord-gateway", a.RunGateway)
	g.sup.Add("discord-http", supervise.Always)
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	finished := make(chan struct{})
	go func() { g.done <- g.sup.Run(ctx); a.Wait(); close(finished) }()
	g.t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(10 * time.Second):
		}
	})
}

// nopReporter is a supervise.Reporter that hears nothing.
type nopReporter struct{}

func (nopReporter) Up()                {}
func (nopReporter) Down(string, error) {}
func (nopReporter) Stalled(error)      {}

// state waits for the next GatewayState report.
func (g *fakeGateway) state(t *testing.T) string {
	t.Helper()
	select {
	case st := <-g.states:
		return st
	case err := <-g.done:
		t.Fatalf("gateway returned while it should keep trying: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("no gateway state reported")
	}
	panic("unreachable")
}

// stop cancels the gateway and checks it ends promptly and without error.
func (g *fakeGateway) stop(t *testing.T) {
	t.Helper()
	start := time.Now()
	g.cancel()
	select {
	case err := <-g.done:
		if err != nil {
			t.Errorf("gateway: %v", err)
		}
	case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("gateway still running 10 s after its context ended")
	}
	t.Logf("gateway stopped in %s", time.Since(start))
}

// A gateway that is down at start-up is retried until it answers; the
// adapter says what is wrong meanwhile, and after an op 7 it reconnects and
// resumes the same session.
func TestGatewayRetriesUntilUpThenResumesAfterReconnect(t *testing.T) {
	e := newEnv(t)
	e.api.called = make(chan call, 10)
	g := newFakeGateway(t, e)
	g.rest = []int{http.StatusServiceUnavailable}
	g.upgrade = []int{http.StatusServiceUnavailable}
	g.start(e)

	// The first failure changes the state; the second only its reason.
	if got := g.state(t); !strings.HasPrefix(got, "connecting: HTTP 503") || !strings.Contains(got, "; retry 1 in ") {
		t.Fatalf("state: %q, want connecting: HTTP 503…", got)
	}
	id := recv(t, g.got, "IDENTIFY")
	if id["op"].(float64) != 2 {
		t.Fatalf("first message: %v", id)
	}
	c := recv(t, g.conns, "connection after READY")
	if got := g.state(t); got != "ok" {
		t.Fatalf("after READY: %q", got)
	}

	c.WriteJSON(map[string]any{"op": 7, "d": nil})
	if got := g.state(t); !strings.HasPrefix(got, "reconnecting: ") {
		t.Fatalf("after op 7: %q", got)
	}
	resume := recv(t, g.got, "RESUME after op 7")
	if d := mustString(t, resume["d"]); resume["op"].(float64) != 6 || !strings.Contains(d, `"session_id":"sess"`) || !strings.Contains(d, `"seq":1`) {
		t.Fatalf("after op 7 the bot sent %v, want RESUME of session sess at 1", resume)
	}
	c = recv(t, g.conns, "connection after RESUMED")
	if got := g.state(t); got != "ok" {
		t.Fatalf("after RESUMED: %q", got)
	}
	// The resumed connection carries interactions.
	interaction := e.interaction(discordgo.InteractionApplicationCommand, alice, slashData("business", "register", "name", "Resumed"))
	c.WriteMessage(websocket.TextMessage, []byte(`{"op":0,"s":3,"t":"INTERACTION_CREATE","d":`+string(interaction)+`}`))
	if got := recv(t, e.api.called, "the interaction's answer"); !strings.HasSuffix(got.Path, "/callback") {
		t.Fatalf("answer went to %s", got.Path)
	}
	g.stop(t)
}

// Close codes that retrying cannot fix stop the retries and say why;
// others are retried.
func TestGatewayCloseCodes(t *testing.T) {
	for _, tt := range []struct {
		code int
		want string // "" to retry
	}{
		{4004, "failed: authentication failed (close code 4004)"},
		{4014, "failed: disallowed intents (close code 4014)"},
		{4000, ""},
	} {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			e := newEnv(t)
			g := newFakeGateway(t, e)
			g.closeWith = tt.code
			g.start(e)
			recv(t, g.got, "IDENTIFY")
			got := g.state(t)
			if tt.want == "" {
				if !strings.HasPrefix(got, "connecting: websocket: close "+strconv.Itoa(tt.code)) {
					t.Fatalf("state: %q", got)
				}
				recv(t, g.got, "IDENTIFY again")
				g.stop(t)
				return
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Fatalf("state: %q, want %q…", got, tt.want)
			}
			// With a 5-20 ms backoff, a retry would come well within this.
			time.Sleep(300 * time.Millisecond)
			if n := g.attempts.Load(); n != 1 {
				t.Fatalf("%d connections after close code %d, want 1", n, tt.code)
			}
			select {
			case err := <-g.done:
				t.Fatalf("gateway returned (%v): the process would stop", err)
			default:
			}
			g.stop(t)
		})
	}
}

// A gateway that accepts the connection and then says nothing does not
// hold up shutdown.
func TestGatewayShutdownWhileConnecting(t *testing.T) {
	e := newEnv(t)
	g := newFakeGateway(t, e)
	g.silent = true
	g.start(e)
	waitUntil(t, "the websocket connection", func() bool { return g.attempts.Load() > 0 })
	g.stop(t)
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
