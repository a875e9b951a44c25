package slack

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/slack-go/slack/socketmode"
)

// recordingAcker stands in for the socketmode client.
type recordingAcker struct {
	mu   sync.Mutex
	acks map[string]any
}

func (r *recordingAcker) AckCtx(ctx context.Context, id string, payload any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.acks == nil {
		r.acks = map[string]any{}
	}
	r.acks[id] = payload
	return nil
}

func envelope(typ socketmode.EventType, id string, payload any) socketmode.Event {
	js, _ := json.Marshal(payload)
	return socketmode.Event{Type: typ, Request: &socketmode.Request{Type: string(typ), EnvelopeID: id, Payload: js}}
}

func TestSocketModeUsesTheSameHandlers(t *testing.T) {
	e := newEnv(t)
	ack := &recordingAcker{}
	ctx := t.Context()
	e.a.socketEvent(ctx, ack, envelope(socketmode.EventTypeSlashCommand, "env1", map[string]string{
		"command": "/business", "text": "register Socket Co", "team_id": team, "user_id": "U1", "trigger_id": "s1",
		"response_url": e.slack.responseURL()}))
	js, _ := json.Marshal(ack.acks["env1"])
	if !strings.Contains(string(js), "Registered business #1: Socket Co") {
		t.Fatalf("slash command ack: %s", js)
	}

	e.a.socketEvent(ctx, ack, envelope(socketmode.EventTypeSlashCommand, "env2", map[string]string{
		"command": "/pledge", "text": "add", "team_id": team, "user_id": "U1", "trigger_id": "s2"}))
	if _, ok := ack.acks["env2"]; !ok {
		t.Fatal("modal command not acknowledged")
	}
	_, meta := openedView(t, e, 1)
	p := submitPayload("U1", "s3", meta, map[string]map[string]any{"theme": choice("carbon")})
	e.a.socketEvent(ctx, ack, envelope(socketmode.EventTypeInteractive, "env3", p))
	js, _ = json.Marshal(ack.acks["env3"])
	if !strings.Contains(string(js), `"response_action":"errors"`) || !strings.Contains(string(js), `"text"`) {
		t.Fatalf("submission ack: %s", js)
	}

	ev := json.RawMessage(homeEvent("Ev9", "U1"))
	e.a.socketEvent(ctx, ack, envelope(socketmode.EventTypeEventsAPI, "env4", ev))
	e.a.socketEvent(ctx, ack, envelope(socketmode.EventTypeEventsAPI, "env5", ev))
	e.a.Close()
	if n := len(e.slack.Calls("views.publish")); n != 1 {
		t.Fatalf("views.publish %d times for one event_id over Socket Mode", n)
	}
	if _, ok := ack.acks["env5"]; !ok {
		t.Fatal("duplicate event not acknowledged")
	}
	// Garbage is acknowledged (so Slack stops resending it) and ignored.
	bad := socketmode.Event{Type: socketmode.EventTypeSlashCommand, Request: &socketmode.Request{EnvelopeID: "env6", Payload: []byte(`{"command":"x"}`)}}
	e.a.socketEvent(ctx, ack, bad)
	if _, ok := ack.acks["env6"]; !ok {
		t.Fatal("bad envelope not acknowledged")
	}
}
