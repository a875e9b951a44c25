package discord

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
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
	go func() { done <- a.Gateway(ctx) }()
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
