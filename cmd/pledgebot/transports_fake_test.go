package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// fakeSlackSocket is a scriptable Slack for Socket Mode: apps.connections
// .open hands out its WebSocket URL (or the error set with refuse), the
// socket says hello, takes envelopes from the test and records each
// acknowledgement; drop closes the open socket.
type fakeSlackSocket struct {
	t   *testing.T
	srv *httptest.Server

	mu     sync.Mutex
	refuse string // "" to accept; "503" for an outage; else a Slack error
	conn   *websocket.Conn
	wmu    sync.Mutex
	acks   map[string][]json.RawMessage // envelope id -> each ack's payload
	acked  chan string
	opened chan struct{}
}

func newFakeSlackSocket(t *testing.T) *fakeSlackSocket {
	f := &fakeSlackSocket{t: t, acks: map[string][]json.RawMessage{}, acked: make(chan string, 100), opened: make(chan struct{}, 100)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlackSocket) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/apps.connections.open":
		f.mu.Lock()
		refuse := f.refuse
		f.mu.Unlock()
		switch refuse {
		case "":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"url":"ws`+strings.TrimPrefix(f.srv.URL, "http")+`/link"}`)
		case "503":
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
		default:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":false,"error":"`+refuse+`"}`)
		}
	case "/link":
		// slack-go sends Origin: https://api.slack.com.
		c, err := (&websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		f.mu.Lock()
		f.conn = c
		f.mu.Unlock()
		f.write(c, map[string]any{"type": "hello", "num_connections": 1})
		f.opened <- struct{}{}
		for {
			var ack struct {
				EnvelopeID string          `json:"envelope_id"`
				Payload    json.RawMessage `json:"payload"`
			}
			if err := c.ReadJSON(&ack); err != nil {
				return
			}
			f.mu.Lock()
			f.acks[ack.EnvelopeID] = append(f.acks[ack.EnvelopeID], ack.Payload)
			f.mu.Unlock()
			f.acked <- ack.EnvelopeID
		}
	default:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}
}

func (f *fakeSlackSocket) write(c *websocket.Conn, v any) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	return c.WriteJSON(v)
}

// setRefuse makes apps.connections.open answer refuse ("" accepts).
func (f *fakeSlackSocket) setRefuse(refuse string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = refuse
}

// drop closes the open socket, as a network failure would. The bot reports
// itself connected once its dial returns, which can be before this side
// has recorded the socket, so drop waits for it.
func (f *fakeSlackSocket) drop() {
	dropConn(f.t, &f.mu, &f.conn)
}

// dropConn closes *conn once it is set (guarded by mu), and forgets it.
func dropConn(t *testing.T, mu *sync.Mutex, conn **websocket.Conn) {
	t.Helper()
	waitFor(t, "the fake's side of the connection", func() bool {
		mu.Lock()
		defer mu.Unlock()
		if *conn == nil {
			return false
		}
		(*conn).Close()
		*conn = nil
		return true
	})
}

// command delivers a slash command envelope on the open socket.
func (f *fakeSlackSocket) command(id, user, command, text string) {
	f.t.Helper()
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c == nil {
		f.t.Fatalf("no Slack socket open to send %s", id)
	}
	err := f.write(c, map[string]any{"type": "slash_commands", "envelope_id": id, "accepts_response_payload": true,
		"payload": map[string]string{"command": command, "text": text, "team_id": "T1", "user_id": user, "trigger_id": "tr-" + id,
			"response_url": f.srv.URL + "/response"}})
	if err != nil {
		f.t.Fatalf("sending %s: %v", id, err)
	}
}

// ackOf is the payloads of every acknowledgement of id.
func (f *fakeSlackSocket) ackOf(id string) []json.RawMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]json.RawMessage(nil), f.acks[id]...)
}

// fakeDiscordGateway is a scriptable Discord: GET /gateway (503 while
// down), a gateway that says HELLO and answers IDENTIFY or RESUME, and the
// interaction callback endpoint, which records each answer.
type fakeDiscordGateway struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	down      bool
	closeWith int // close code for the next login, once
	conn      *websocket.Conn
	wmu       sync.Mutex
	answers   map[string][]string // interaction id -> each callback body
	answered  chan string
	logins    chan float64 // op of each IDENTIFY (2) or RESUME (6)
}

var callbackPath = regexp.MustCompile(`^/api/v10/interactions/(\d+)/[^/]+/callback$`)

func newFakeDiscordGateway(t *testing.T) *fakeDiscordGateway {
	f := &fakeDiscordGateway{t: t, answers: map[string][]string{}, answered: make(chan string, 100), logins: make(chan float64, 100)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDiscordGateway) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	down := f.down
	f.mu.Unlock()
	switch {
	case r.URL.Path == "/api/v10/gateway" && down:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"message":"unavailable","code":0}`)
	case r.URL.Path == "/api/v10/gateway":
		io.WriteString(w, `{"url":"ws://`+r.Host+`/gw"}`)
	case r.URL.Path == "/gw/":
		f.gateway(w, r)
	case callbackPath.MatchString(r.URL.Path):
		body, _ := io.ReadAll(r.Body)
		id := callbackPath.FindStringSubmatch(r.URL.Path)[1]
		f.mu.Lock()
		f.answers[id] = append(f.answers[id], string(body))
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		f.answered <- id
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeDiscordGateway) gateway(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	f.write(c, map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
	var m map[string]any
	if err := c.ReadJSON(&m); err != nil {
		return
	}
	f.logins <- m["op"].(float64)
	f.mu.Lock()
	code := f.closeWith
	f.closeWith = 0
	f.mu.Unlock()
	if code != 0 {
		c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, "refused"))
		c.ReadMessage()
		return
	}
	if m["op"].(float64) == 6 {
		f.write(c, map[string]any{"op": 0, "s": 1, "t": "RESUMED", "d": map[string]any{}})
	} else {
		f.write(c, map[string]any{"op": 0, "s": 1, "t": "READY", "d": map[string]any{"v": 10, "session_id": "sess",
			"user": map[string]any{"id": "999", "username": "pledgebot"}, "guilds": []any{}}})
	}
	f.mu.Lock()
	f.conn = c
	f.mu.Unlock()
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			return
		}
	}
}

func (f *fakeDiscordGateway) write(c *websocket.Conn, v any) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	return c.WriteJSON(v)
}

// setDown makes GET /gateway answer 503 (true) or the gateway URL.
func (f *fakeDiscordGateway) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

// refuseNext closes the next login with code.
func (f *fakeDiscordGateway) refuseNext(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closeWith = code
}

func (f *fakeDiscordGateway) drop() {
	dropConn(f.t, &f.mu, &f.conn)
}

// register dispatches a /business register interaction from user.
func (f *fakeDiscordGateway) register(id, user, name string) {
	f.t.Helper()
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c == nil {
		f.t.Fatalf("no gateway connection to send %s", id)
	}
	ic := map[string]any{"id": id, "application_id": "999", "type": 2, "token": "tok" + id, "version": 1,
		"guild_id": "111", "channel_id": "444",
		"member": map[string]any{"user": map[string]any{"id": user, "username": "user" + user}, "roles": []string{}},
		"data": map[string]any{"id": "1", "name": "business", "type": 1, "options": []map[string]any{{"name": "register", "type": 1,
			"options": []map[string]any{{"name": "name", "type": 3, "value": name}}}}}}
	if err := f.write(c, map[string]any{"op": 0, "s": 2, "t": "INTERACTION_CREATE", "d": ic}); err != nil {
		f.t.Fatalf("sending %s: %v", id, err)
	}
}

func (f *fakeDiscordGateway) answersOf(id string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.answers[id]...)
}
