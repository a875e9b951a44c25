package supervise

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// step is what one scripted run does: come up or not, then end with err.
type step struct {
	up    bool
	down  bool // report the connection lost (a library reconnecting itself)
	stall bool // report a missed heartbeat
	err   error
}

// script returns a Run that plays steps in order, then blocks until ctx
// ends; each run's start is signalled on started.
func script(started chan<- int, steps ...step) Run {
	var mu sync.Mutex
	n := 0
	return func(ctx context.Context, r Reporter) error {
		mu.Lock()
		i := n
		n++
		mu.Unlock()
		started <- i
		if i >= len(steps) {
			r.Up()
			<-ctx.Done()
			return nil
		}
		if steps[i].up {
			r.Up()
		}
		if steps[i].stall {
			r.Stalled(errors.New("no heartbeat ACK for 1 interval(s)"))
		}
		if steps[i].down {
			r.Down(ReasonLost, errors.New("connection closed; reconnecting"))
		}
		return steps[i].err
	}
}

type events struct {
	mu         sync.Mutex
	states     []string
	reconnects []string
}

func (e *events) onState(name string, s Status) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.states = append(e.states, name+"="+string(s.State))
}

func (e *events) onReconnect(name, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reconnects = append(e.reconnects, name+"/"+reason)
}

func (e *events) get() ([]string, []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.states...), append([]string(nil), e.reconnects...)
}

var tiny = Backoff{Min: time.Millisecond, Max: 4 * time.Millisecond}

func TestSupervisorScripts(t *testing.T) {
	refused := errors.New("dial tcp: connection refused")
	for _, tt := range []struct {
		name       string
		steps      []step
		runs       int      // runs to wait for before checking
		states     []string // state changes, in order
		reconnects []string
		final      State
		reason     string // prefix of the final reason
	}{
		{name: "up at once", runs: 1, states: []string{"t=up"}, final: Up},
		{name: "first connection retried", steps: []step{{err: refused}, {err: refused}}, runs: 3,
			states: []string{"t=connecting", "t=up"}, reconnects: []string{"t/refused", "t/refused"}, final: Up},
		{name: "drop after up is lost, then back", steps: []step{{up: true, err: refused}}, runs: 2,
			states: []string{"t=up", "t=reconnecting", "t=up"}, reconnects: []string{"t/lost"}, final: Up},
		{name: "labelled reason", steps: []step{{up: true, err: Because(ReasonZombie, errors.New("no heartbeat ACK"))}}, runs: 2,
			states: []string{"t=up", "t=reconnecting", "t=up"}, reconnects: []string{"t/zombie"}, final: Up},
		{name: "lost, then its own reconnection refused", steps: []step{{up: true, down: true, err: refused}}, runs: 2,
			states: []string{"t=up", "t=reconnecting", "t=up"}, reconnects: []string{"t/lost", "t/refused"}, final: Up},
		{name: "stalled, then a zombie", steps: []step{{up: true, stall: true, err: Because(ReasonZombie, errors.New("no heartbeat ACK for 2 interval(s)"))}}, runs: 2,
			states: []string{"t=up", "t=stalled", "t=reconnecting", "t=up"}, reconnects: []string{"t/zombie"}, final: Up},
		{name: "clean return reconnects", steps: []step{{up: true}}, runs: 2,
			states: []string{"t=up", "t=reconnecting", "t=up"}, reconnects: []string{"t/closed"}, final: Up},
		{name: "permanent at start", steps: []step{{err: Permanent("Slack refused SLACK_APP_TOKEN (invalid_auth)", errors.New("invalid_auth"))}}, runs: 1,
			states: []string{"t=failed"}, final: Failed, reason: "Slack refused SLACK_APP_TOKEN"},
		{name: "permanent after a retry", steps: []step{{err: refused}, {up: true, err: Permanent("bad token", nil)}}, runs: 2,
			states: []string{"t=connecting", "t=up", "t=failed"}, reconnects: []string{"t/refused"}, final: Failed, reason: "bad token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ev events
			var log bytes.Buffer
			s := &Supervisor{Backoff: tiny, OnState: ev.onState, OnReconnect: ev.onReconnect, Log: slog.New(slog.NewTextHandler(&log, nil))}
			started := make(chan int, 10)
			s.Add("t", script(started, tt.steps...))
			s.Add("other", Always)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.Run(ctx) }()
			for range tt.runs {
				recv(t, started)
			}
			waitFor(t, func() bool { return s.Status()["t"].State == tt.final })
			st := s.Status()["t"]
			if !strings.HasPrefix(st.Reason, tt.reason) || st.Since.IsZero() {
				t.Errorf("status %+v, want reason %q…", st, tt.reason)
			}
			waitFor(t, func() bool { return s.Status()["other"].State == Up })
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("Run: %v", err)
			}
			states, reconnects := ev.get()
			var mine []string
			for _, x := range states {
				if strings.HasPrefix(x, "t=") {
					mine = append(mine, x)
				}
			}
			want := tt.states
			if tt.final != Failed {
				want = append(want, "t=stopped")
			}
			if strings.Join(mine, " ") != strings.Join(want, " ") {
				t.Errorf("states %v, want %v", mine, want)
			}
			if strings.Join(reconnects, " ") != strings.Join(tt.reconnects, " ") {
				t.Errorf("reconnects %v, want %v", reconnects, tt.reconnects)
			}
			if n := strings.Count(log.String(), "\n"); n != len(want)+2 { // other's up and stopped too
				t.Errorf("%d log lines, want one per state change (%d):\n%s", n, len(want)+2, log.String())
			}
		})
	}
}

// An outage of many failed attempts logs once and keeps /readyz fresh.
func TestOutageLogsOnce(t *testing.T) {
	var log bytes.Buffer
	s := &Supervisor{Backoff: tiny, Log: slog.New(slog.NewTextHandler(&log, nil))}
	started := make(chan int, 100)
	steps := make([]step, 20)
	for i := range steps {
		steps[i] = step{err: errors.New("HTTP 503")}
	}
	s.Add("t", script(started, steps...))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	for range 10 {
		recv(t, started)
	}
	if st := s.Status()["t"]; st.State != Connecting || !strings.Contains(st.Reason, "HTTP 503; retry ") {
		t.Errorf("during the outage: %+v", st)
	}
	cancel()
	<-done
	if n := strings.Count(log.String(), "retrying"); n != 1 {
		t.Errorf("logged %d times during one outage:\n%s", n, log.String())
	}
}

// When every transport has failed for good, Run returns why; while one is
// left it keeps running.
func TestAllFailedEndsRun(t *testing.T) {
	s := &Supervisor{Backoff: tiny, Log: slog.New(slog.DiscardHandler)}
	started := make(chan int, 10)
	s.Add("slack-socket", script(started, step{err: Permanent("Slack refused SLACK_APP_TOKEN", nil)}))
	s.Add("discord-gateway", script(started, step{err: Permanent("Discord refused DISCORD_BOT_TOKEN", nil)}))
	err := s.Run(context.Background())
	if !errors.Is(err, ErrAllFailed) || !strings.Contains(err.Error(), "discord-gateway: Discord refused DISCORD_BOT_TOKEN; slack-socket: Slack refused SLACK_APP_TOKEN") {
		t.Fatalf("Run: %v", err)
	}
}

func TestReasonOf(t *testing.T) {
	for _, tt := range []struct {
		err   error
		wasUp bool
		want  string
	}{
		{errors.New("x"), false, ReasonRefused},
		{errors.New("x"), true, ReasonLost},
		{nil, true, ReasonClosed},
		{Because(ReasonServerRequest, errors.New("op 7")), true, ReasonServerRequest},
		{Because(ReasonInvalidSession, errors.New("op 9")), false, ReasonInvalidSession},
	} {
		if got := ReasonOf(tt.err, tt.wasUp); got != tt.want {
			t.Errorf("ReasonOf(%v, %v) = %s, want %s", tt.err, tt.wasUp, got, tt.want)
		}
	}
}

func TestStatusText(t *testing.T) {
	for _, tt := range []struct {
		s    Status
		want string
	}{
		{Status{State: Up}, "ok"},
		{Status{State: Connecting}, "connecting"},
		{Status{State: Reconnecting, Reason: "HTTP 503; retry 2 in 1s"}, "reconnecting: HTTP 503; retry 2 in 1s"},
		{Status{State: Failed, Reason: "bad token"}, "failed: bad token"},
	} {
		if got := tt.s.Text(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestBackoffIsJitteredExponentialAndCapped(t *testing.T) {
	b := Backoff{Min: time.Second, Max: 2 * time.Minute}
	for _, tt := range []struct {
		n int
		d time.Duration
	}{{0, time.Second}, {1, 2 * time.Second}, {2, 4 * time.Second}, {6, 64 * time.Second}, {7, 2 * time.Minute}, {20, 2 * time.Minute}} {
		seen := map[time.Duration]bool{}
		for range 50 {
			got := b.Delay(tt.n)
			if got < tt.d/2 || got > tt.d {
				t.Fatalf("Delay(%d) = %s, want within [%s, %s]", tt.n, got, tt.d/2, tt.d)
			}
			seen[got] = true
		}
		if len(seen) < 10 {
			t.Errorf("Delay(%d) is hardly jittered: %d distinct values of 50", tt.n, len(seen))
		}
	}
	if d := b.Delay(1000); d > b.Max {
		t.Fatalf("Delay(1000) = %s", d)
	}
}

func recv(t *testing.T, ch <-chan int) int {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("no run started")
		return 0
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(time.Millisecond)
	}
}
