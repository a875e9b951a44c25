package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
)

type recordSender struct{ err error }

func (s recordSender) Send(ctx context.Context, n Notice) error { return s.err }

func observedBot(t *testing.T, logs *bytes.Buffer) (*Bot, *[]CommandEvent, *[]SendEvent) {
	var cmds []CommandEvent
	var sends []SendEvent
	b := New(Options{
		Logger:      slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
		Observe:     func(e CommandEvent) { cmds = append(cmds, e) },
		ObserveSend: func(e SendEvent) { sends = append(sends, e) },
	})
	b.Register(&Command{Name: "echo", Subs: []*Subcommand{
		{Name: "say", Options: []Option{{Name: "text", Type: Text, Positional: true, Rest: true}},
			Run: func(ctx context.Context, c *Call) (Reply, error) { return Reply{Text: c.Args.String("text")}, nil }},
		{Name: "boom", Run: func(ctx context.Context, c *Call) (Reply, error) { panic("boom") }},
		{Name: "fail", Run: func(ctx context.Context, c *Call) (Reply, error) {
			return Reply{}, errors.New("secret-internal-detail")
		}},
	}})
	return b, &cmds, &sends
}

func TestHandleObservesAndLogs(t *testing.T) {
	var logs bytes.Buffer
	b, cmds, _ := observedBot(t, &logs)
	from := Identity{Platform: Console, Workspace: "local", User: "ann"}
	tests := []struct {
		id, command, text     string
		wantCmd, wantSub, out string
	}{
		{"req-1", "echo", "say hunter2-private-text", "echo", "say", "ok"},
		{"", "ECHO", "say hello", "echo", "say", "ok"},
		{"", "echo", "nosuch x", "echo", "", "invalid"},
		{"", "echo", "", "echo", "", "ok"}, // help
		{"", "typo-cmd-from-user", "x", "unknown", "", "not_found"},
		{"", "echo", "boom", "echo", "boom", "panic"},
		{"", "echo", "fail", "echo", "fail", "internal"},
	}
	for _, tt := range tests {
		b.Handle(context.Background(), Request{ID: tt.id, From: from, Command: tt.command, Text: tt.text})
	}
	if len(*cmds) != len(tests) {
		t.Fatalf("observed %d commands, want %d", len(*cmds), len(tests))
	}
	ids := map[string]bool{}
	for i, tt := range tests {
		e := (*cmds)[i]
		if e.Command != tt.wantCmd || e.Sub != tt.wantSub || e.Outcome != tt.out {
			t.Errorf("%s %s: observed %s/%s/%s, want %s/%s/%s", tt.command, tt.text, e.Command, e.Sub, e.Outcome, tt.wantCmd, tt.wantSub, tt.out)
		}
		if tt.id != "" && e.RequestID != tt.id {
			t.Errorf("request id %q, want the platform's %q", e.RequestID, tt.id)
		}
		if e.RequestID == "" || ids[e.RequestID] {
			t.Errorf("request id %q is empty or repeated", e.RequestID)
		}
		ids[e.RequestID] = true
		if e.Community != "console-local" {
			t.Errorf("event %+v: want community console-local", e)
		}
	}
	// One info line per command, with the fields operators search by, and
	// no message text.
	var lines int
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if rec["msg"] != "command" {
			continue
		}
		lines++
		for _, k := range []string{"request", "community", "command", "sub", "outcome", "duration"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("log line lacks %q: %s", k, line)
			}
		}
	}
	if lines != len(tests) {
		t.Errorf("%d command log lines, want %d", lines, len(tests))
	}
	for _, secret := range []string{"hunter2-private-text", "hello", "typo-cmd-from-user"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs contain user text %q:\n%s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "secret-internal-detail") {
		t.Errorf("internal error detail should reach the error log:\n%s", logs.String())
	}
	if b.InFlight() != 0 {
		t.Errorf("%d still in flight after every Handle returned", b.InFlight())
	}
}

func TestDeliverObserved(t *testing.T) {
	var logs bytes.Buffer
	b, _, sends := observedBot(t, &logs)
	b.AddSender(Slack, recordSender{})
	b.AddSender(Discord, recordSender{err: ErrUnavailable})
	for _, p := range []Platform{Slack, Discord, Console} {
		b.Deliver(context.Background(), Notice{Community: "c", To: Recipient{Platform: p}})
	}
	want := []string{"slack ok", "discord unavailable", "console no_adapter"}
	for i, e := range *sends {
		if got := string(e.Platform) + " " + e.Outcome; got != want[i] {
			t.Errorf("send %d: %q, want %q", i, got, want[i])
		}
	}
	if len(*sends) != len(want) {
		t.Fatalf("observed %d sends, want %d", len(*sends), len(want))
	}
}

func TestDrainWaitsForHolds(t *testing.T) {
	b := New(Options{})
	if err := b.Drain(context.Background()); err != nil {
		t.Fatalf("idle bot: %v", err)
	}
	done := b.Hold()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("drain with a hold and a cancelled ctx: %v", err)
	}
	drained := make(chan error)
	go func() { drained <- b.Drain(context.Background()) }()
	done()
	done() // extra calls are ignored
	if err := <-drained; err != nil {
		t.Fatal(err)
	}
	if b.InFlight() != 0 {
		t.Fatalf("in flight %d", b.InFlight())
	}
}

// BenchmarkHandleLogged measures what the per-command log line, request id
// and observer cost on top of routing a trivial command.
func BenchmarkHandleLogged(b *testing.B) {
	for _, tc := range []struct {
		name    string
		logger  *slog.Logger
		observe func(CommandEvent)
	}{
		{"quiet", slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})), nil},
		{"json+observer", slog.New(slog.NewJSONHandler(io.Discard, nil)), func(CommandEvent) {}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			bt := New(Options{Logger: tc.logger, Observe: tc.observe})
			bt.Register(&Command{Name: "echo", Subs: []*Subcommand{{Name: "say",
				Run: func(ctx context.Context, c *Call) (Reply, error) { return Reply{Text: "hi"}, nil }}}})
			req := Request{From: Identity{Platform: Console, Workspace: "local", User: "ann"}, Command: "echo", Text: "say"}
			b.ReportAllocs()
			for b.Loop() {
				bt.Handle(context.Background(), req)
			}
		})
	}
}

// A notice held for a workspace that removed the app is not a failed
// send: the outbox keeps it uncounted, and the delivery metric says held,
// not internal, so held notices retried at every drain raise no alarm.
func TestDeliverHeldObserved(t *testing.T) {
	var logs bytes.Buffer
	b, _, sends := observedBot(t, &logs)
	b.AddSender(Slack, recordSender{err: fmt.Errorf("slack: not installed: %w", ErrHeld)})
	b.Deliver(context.Background(), Notice{Community: "c", To: Recipient{Platform: Slack}})
	if len(*sends) != 1 || (*sends)[0].Outcome != "held" {
		t.Fatalf("observed %+v, want one send with outcome held", *sends)
	}
}
