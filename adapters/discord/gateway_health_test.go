package discord

import (
	"strings"
	"testing"
	"time"
)

// Op 9 is answered after the wait Discord asks for, on the same
// connection: a fresh IDENTIFY when the session cannot be resumed, a
// RESUME when it can. The gateway is not ready meanwhile.
func TestGatewayWaitsAfterInvalidSession(t *testing.T) {
	const wait = 50 * time.Millisecond
	old := InvalidSessionWait
	t.Cleanup(func() { InvalidSessionWait = old })
	InvalidSessionWait = func() time.Duration { return wait }
	for _, tt := range []struct {
		resumable bool
		op        float64
	}{{false, 2}, {true, 6}} {
		t.Run(map[bool]string{false: "not resumable", true: "resumable"}[tt.resumable], func(t *testing.T) {
			e := newEnv(t)
			g := newFakeGateway(t, e)
			g.start(e)
			recv(t, g.got, "IDENTIFY")
			c := recv(t, g.conns, "READY")
			if got := g.state(t); got != "ok" {
				t.Fatalf("after READY: %q", got)
			}
			sent := time.Now()
			g.write(c, map[string]any{"op": 9, "d": tt.resumable})
			if got := g.state(t); !strings.HasPrefix(got, "reconnecting: Discord invalidated the session (op 9") {
				t.Fatalf("after op 9: %q", got)
			}
			m := recv(t, g.got, "login after op 9")
			// A lower bound: a timer never fires early.
			if since := time.Since(sent); since < wait {
				t.Errorf("logged in again %s after op 9, want %s or more", since, wait)
			}
			if m["op"].(float64) != tt.op {
				t.Fatalf("after op 9 (d=%v) the bot sent op %v, want %v", tt.resumable, m["op"], tt.op)
			}
			if got := g.state(t); got != "ok" {
				t.Fatalf("after logging in again: %q", got)
			}
			if n := g.attempts.Load(); n != 1 {
				t.Errorf("%d connections, want the same one", n)
			}
			if r := recv(t, g.reasons, "reconnect reason"); r != "invalid_session" {
				t.Errorf("reconnect reason %q", r)
			}
			g.stop(t)
		})
	}
}

func TestInvalidSessionWaitIsOneToFiveSeconds(t *testing.T) {
	seen := map[time.Duration]bool{}
	for range 100 {
		d := InvalidSessionWait()
		if d < time.Second || d > 5*time.Second {
			t.Fatalf("wait %s, want 1-5 s", d)
		}
		seen[d] = true
	}
	if len(seen) < 20 {
		t.Errorf("only %d distinct waits of 100: not randomised", len(seen))
	}
}

// A connection whose heartbeats go unacknowledged is not ready after one
// missed ACK and replaced after two, resuming the session on a new one.
func TestGatewayNoticesZombieWithinTwoMissedACKs(t *testing.T) {
	e := newEnv(t)
	g := newFakeGateway(t, e)
	g.interval = 20 // ms
	g.ackFrom = 2   // the first connection is the zombie
	g.start(e)
	recv(t, g.got, "IDENTIFY")
	recv(t, g.conns, "READY")
	if got := g.state(t); got != "ok" {
		t.Fatalf("after READY: %q", got)
	}
	if got := g.state(t); !strings.HasPrefix(got, "stalled: no heartbeat ACK from the Discord gateway for 1 interval(s)") {
		t.Fatalf("after one missed ACK: %q", got)
	}
	if got := g.state(t); !strings.HasPrefix(got, "reconnecting: no heartbeat ACK from the Discord gateway for 2 interval(s)") {
		t.Fatalf("after two missed ACKs: %q", got)
	}
	if r := recv(t, g.reasons, "reconnect reason"); r != "zombie" {
		t.Errorf("reconnect reason %q, want zombie", r)
	}
	if m := recv(t, g.got, "RESUME on a new connection"); m["op"].(float64) != 6 {
		t.Fatalf("after the zombie: op %v, want RESUME", m["op"])
	}
	recv(t, g.conns, "RESUMED")
	if got := g.state(t); got != "ok" {
		t.Fatalf("after resuming: %q", got)
	}
	g.stop(t)
	// The zombie got two heartbeats: the one it never acknowledged and
	// the one that found the first unacknowledged.
	zombie := 0
	for len(g.beats) > 0 {
		if m := <-g.beats; m["conn"] == int32(1) {
			zombie++
		}
	}
	if zombie != 2 {
		t.Errorf("%d heartbeats on the zombie connection, want 2", zombie)
	}
}

// Acknowledged heartbeats keep the gateway ready.
func TestGatewayHeartbeatsAcknowledgedStayReady(t *testing.T) {
	e := newEnv(t)
	g := newFakeGateway(t, e)
	g.interval = 5 // ms
	g.ack.Store(true)
	g.start(e)
	recv(t, g.got, "IDENTIFY")
	recv(t, g.conns, "READY")
	if got := g.state(t); got != "ok" {
		t.Fatalf("after READY: %q", got)
	}
	for i := range 10 {
		if m := recv(t, g.beats, "heartbeat"); i > 0 && m["d"] == nil {
			t.Fatalf("heartbeat %d carries no sequence: %v", i, m)
		}
	}
	select {
	case st := <-g.states:
		t.Fatalf("state changed while every heartbeat was acknowledged: %q", st)
	default:
	}
	g.stop(t)
}
