package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/supervise"
)

// TestRunSocketEndToEnd runs the real Socket Mode client against a fake
// Slack: apps.connections.open hands out a WebSocket URL, the fake sends
// hello and a slash command envelope, and reads the acknowledgement.
func TestRunSocketEndToEnd(t *testing.T) {
	h := pledgetest.New(t)
	acks := make(chan map[string]any, 1)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/apps.connections.open":
			if r.Header.Get("Authorization") != "Bearer xapp-1-test" {
				io.WriteString(w, `{"ok":false,"error":"invalid_auth"}`)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"url":"ws`+strings.TrimPrefix(srv.URL, "http")+`/link"}`)
		case "/link":
			conn, err := (&websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}).Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer conn.Close()
			conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1})
			conn.WriteJSON(map[string]any{"type": "slash_commands", "envelope_id": "env-1", "accepts_response_payload": true,
				"payload": map[string]string{"command": "/business", "text": "register Sockets <!here> Ltd", "team_id": team,
					"user_id": "U1", "trigger_id": "sock-1"}})
			for {
				var msg map[string]any
				if err := conn.ReadJSON(&msg); err != nil {
					return
				}
				if msg["envelope_id"] == "env-1" {
					acks <- msg
				}
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	a := New(Options{Bot: h.Bot, Once: h.Store, BotToken: "xoxb-test", APIURL: srv.URL + "/api"})
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunSocket(ctx, "xapp-1-test", nopReporter{}) }()
	select {
	case ack := <-acks:
		js, _ := json.Marshal(ack["payload"])
		s := unescapeJSON(string(js))
		if !strings.Contains(s, "Registered business #1: Sockets &lt;!here&gt; Ltd") {
			t.Fatalf("ack payload: %s", s)
		}
	case err := <-done:
		t.Fatalf("RunSocket ended early: %v", err)
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("no acknowledgement over Socket Mode")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunSocket after shutdown: %v", err)
	}
}

func TestRunSocketNeedsAppToken(t *testing.T) {
	a := New(Options{Bot: pledgetest.New(t).Bot})
	defer a.Close()
	err := a.RunSocket(context.Background(), "xoxb-not-an-app-token", nopReporter{})
	var p *supervise.PermanentError
	if !errors.As(err, &p) || !strings.Contains(err.Error(), "xapp-") {
		t.Fatalf("a bot token as app token: %v, want a permanent error naming xapp-", err)
	}
}

// nopReporter is a supervise.Reporter that hears nothing.
type nopReporter struct{}

func (nopReporter) Up()                {}
func (nopReporter) Down(string, error) {}
func (nopReporter) Stalled(error)      {}
