package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/pledgebot/pledgebot/metrics"
	"github.com/prometheus/client_golang/prometheus/testutil"
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

// failingAcker is a socketmode client whose acknowledgements fail (the
// connection dropped while a command ran).
type failingAcker struct{}

func (failingAcker) AckCtx(context.Context, string, any) error {
	return errors.New("socket mode: connection closed")
}

// longPledges registers a business with n pledges whose titles are long,
// so that /pledge list renders past one Socket Mode frame (20 KB).
func longPledges(e *env, n int) {
	e.mustCommand("U1", "/business register Acme Bakery")
	for i := range n {
		title := fmt.Sprintf("Pledge %02d: %s", i+1, strings.Repeat("give volunteer hours to the food bank and the library ", 4))
		e.mustCommand("U1", fmt.Sprintf(`/pledge add "%s" theme:volunteering target:40 due:2027-06-30`, strings.TrimSpace(title)))
	}
}

// A reply too big for one frame is acknowledged empty (Slack stops
// waiting) and goes to response_url instead, every part in order, and it
// is counted.
func TestSocketModeReplyTooBigGoesToResponseURL(t *testing.T) {
	e := newEnv(t)
	longPledges(e, 50)
	before := testutil.ToFloat64(metrics.AckFailures("slack-socket", "too_big"))
	ack := &recordingAcker{}
	e.a.socketEvent(t.Context(), ack, envelope(socketmode.EventTypeSlashCommand, "env-big", map[string]string{
		"command": "/pledge", "text": "list", "team_id": team, "user_id": "U1", "trigger_id": "big-1",
		"response_url": e.slack.responseURL()}))
	e.a.Close() // waits for the follow-ups
	payload, acked := ack.acks["env-big"]
	if !acked || payload != nil {
		t.Fatalf("ack: acknowledged %v with %v, want an empty ack", acked, payload)
	}
	posts := e.slack.Calls("response")
	if len(posts) < 2 {
		t.Fatalf("%d response_url posts, want every part of a long list", len(posts))
	}
	// The first part is what the ack would have carried.
	if n := len(`{"envelope_id":"env-big","payload":}`) + len(posts[0].Body); n < maxFrame {
		t.Fatalf("the ack would have been %d bytes; the test needs %d or more", n, maxFrame)
	}
	var all strings.Builder
	for i, p := range posts {
		var m answer
		json.Unmarshal(p.Body, &m)
		if want := fmt.Sprintf("(part %d of %d)", i+1, len(posts)); !strings.HasPrefix(m.Text, want) {
			t.Errorf("post %d: %q, want %s…", i, m.Text, want)
		}
		all.WriteString(unescapeJSON(string(m.Blocks)))
	}
	for i := range 50 {
		if want := fmt.Sprintf("Pledge %02d:", i+1); strings.Count(all.String(), want) != 1 {
			t.Errorf("%q appears %d times in the posts' blocks, want once", want, strings.Count(all.String(), want))
		}
	}
	if n := testutil.ToFloat64(metrics.AckFailures("slack-socket", "too_big")) - before; n != 1 {
		t.Errorf("pledgebot_ack_failures_total{too_big} rose by %v, want 1", n)
	}
}

// A failed acknowledgement is logged as an error and counted, never
// reported as fine.
func TestSocketModeFailedAckIsLoggedAndCounted(t *testing.T) {
	var logs syncLog
	e := newEnv(t, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	before := testutil.ToFloat64(metrics.AckFailures("slack-socket", "failed"))
	e.a.socketEvent(t.Context(), failingAcker{}, envelope(socketmode.EventTypeSlashCommand, "env-lost", map[string]string{
		"command": "/pledgebot", "text": "help", "team_id": team, "user_id": "U1", "trigger_id": "lost-1",
		"response_url": e.slack.responseURL()}))
	if n := testutil.ToFloat64(metrics.AckFailures("slack-socket", "failed")) - before; n != 1 {
		t.Errorf("pledgebot_ack_failures_total{failed} rose by %v, want 1", n)
	}
	if s := logs.String(); !strings.Contains(s, "level=ERROR") || !strings.Contains(s, "Socket Mode acknowledgement failed") || !strings.Contains(s, "env-lost") {
		t.Errorf("log:\n%s", s)
	}
}

// syncLog is a log destination safe for the adapter's goroutines.
type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
