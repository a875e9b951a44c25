package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/pledgebot/pledgebot/bot"
)

// queued is how long an interaction waits between reaching the adapter
// and being handled, in the tests below. With DefaultDeferAfter (2 s)
// counted from the handling, as it used to be, the deferred answer came
// 1.5 + 2 = 3.5 s after arrival, past Discord's 3 s; counted from arrival
// it comes at 2 s.
const queued = 1500 * time.Millisecond

// registerSlow adds /slowtest, which runs until the test ends.
func registerSlow(t *testing.T, e *env) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs before the env's Wait
	e.h.Bot.Register(&bot.Command{Name: "slowtest", Subs: []*bot.Subcommand{{Run: func(ctx context.Context, c *bot.Call) (bot.Reply, error) {
		select {
		case <-release:
			return bot.Reply{Text: "finally done"}, nil
		case <-ctx.Done():
			return bot.Reply{}, ctx.Err()
		}
	}}}})
}

// slowBody is a request body that arrives queued after the headers.
type slowBody struct {
	r     io.Reader
	delay time.Duration
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.delay > 0 {
		time.Sleep(b.delay)
		b.delay = 0
	}
	return b.r.Read(p)
}

// An HTTP interaction whose body takes 1.5 s to read still gets its
// deferred answer within 3 s of reaching the adapter.
func TestDeferredAnswerCountsFromHTTPArrival(t *testing.T) {
	e := newEnv(t)
	registerSlow(t, e)
	body := e.interaction(discordgo.InteractionApplicationCommand, alice, map[string]any{"id": "1", "name": "slowtest", "type": 1})
	ts := strconv.FormatInt(e.now.Unix(), 10)
	req := httptest.NewRequest("POST", "/discord/interactions", &slowBody{r: bytes.NewReader(body), delay: queued})
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(e.key, append([]byte(ts), body...))))
	rec := httptest.NewRecorder()
	start := time.Now()
	e.a.ServeHTTP(rec, req)
	checkAnswer(t, "/slowtest", timedAnswer{rec.Code, rec.Body.Bytes(), time.Since(start)},
		discordgo.InteractionResponseDeferredChannelMessageWithSource)
}

// A gateway interaction read while the connection's loop is busy (here in
// op 9's wait before it logs in again) gets its deferred answer within 3 s
// of being read from the socket.
func TestDeferredAnswerCountsFromGatewayArrival(t *testing.T) {
	old := InvalidSessionWait
	t.Cleanup(func() { InvalidSessionWait = old })
	InvalidSessionWait = func() time.Duration { return queued }
	e := newEnv(t)
	registerSlow(t, e)
	e.api.called = make(chan call, 10)
	interaction := e.interaction(discordgo.InteractionApplicationCommand, alice, map[string]any{"id": "1", "name": "slowtest", "type": 1})
	sent := make(chan time.Time, 1)
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
		if _, _, err := c.ReadMessage(); err != nil { // IDENTIFY
			return
		}
		c.WriteJSON(map[string]any{"op": 0, "s": 1, "t": "READY", "d": map[string]any{"v": 9, "session_id": "sess",
			"user": map[string]any{"id": appID, "username": "pledgebot"}, "guilds": []any{}}})
		c.WriteJSON(map[string]any{"op": 9, "d": true})
		c.WriteMessage(websocket.TextMessage, []byte(`{"op":0,"s":2,"t":"INTERACTION_CREATE","d":`+string(interaction)+`}`))
		sent <- time.Now()
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	a := New(Options{Bot: e.h.Bot, Session: e.api.session(t, "gateway-token")})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunGateway(ctx, nopReporter{}) }()
	at := recv(t, sent, "the interaction sent")
	c := recv(t, e.api.called, "the interaction's answer")
	took := time.Since(at)
	cancel()
	recv(t, done, "gateway shutdown")
	t.Logf("gateway interaction answered %v after it was sent: %s %s", took, c.Method, c.Path)
	if took >= 3*time.Second {
		t.Errorf("answered %v after the gateway sent it, past Discord's 3 s", took)
	}
	if r := decodeAnswer(t, c.Body); r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("want a deferred answer, got %s", c.Body)
	}
}
