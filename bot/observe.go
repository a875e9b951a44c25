package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// CommandEvent describes one handled command, for metrics. Its names are
// bounded: Command is a registered command name or "unknown", Sub a
// subcommand of it or "" (help, unparsed), so a typo cannot mint new
// metric series.
type CommandEvent struct {
	RequestID string
	Community string
	Platform  Platform
	Command   string
	Sub       string
	Outcome   string // "ok", an error Code ("invalid", "forbidden", ...) or "panic"
	Duration  time.Duration
}

// SendEvent describes one Deliver call.
type SendEvent struct {
	Platform  Platform
	Community string
	Outcome   string // "ok", "no_adapter", or an error Code
	Duration  time.Duration
}

// inflight counts running Handle and Deliver calls (and work adapters hold
// open with Hold) so that shutdown can wait for them.
type inflight struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to zero; nil while n == 0
}

func (f *inflight) add() func() {
	f.mu.Lock()
	f.n++
	if f.idle == nil {
		f.idle = make(chan struct{})
	}
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.n--
			if f.n == 0 {
				close(f.idle)
				f.idle = nil
			}
			f.mu.Unlock()
		})
	}
}

// Hold marks work in flight that outlives a Handle call, such as posting
// a reply to a Slack response_url after the 3-second acknowledgement.
// Shutdown waits until done is called. Call done exactly once (extra calls
// are ignored).
func (b *Bot) Hold() (done func()) { return b.inflight.add() }

// InFlight reports how many commands, deliveries and holds are running.
func (b *Bot) InFlight() int {
	b.inflight.mu.Lock()
	defer b.inflight.mu.Unlock()
	return b.inflight.n
}

// Drain waits until no command, delivery or hold is in flight, or ctx
// ends (then it returns ctx's error). Adapters must have stopped taking new
// requests first, or Drain may never see zero.
func (b *Bot) Drain(ctx context.Context) error {
	for {
		b.inflight.mu.Lock()
		idle := b.inflight.idle
		b.inflight.mu.Unlock()
		if idle == nil {
			return nil
		}
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// NewRequestID makes an id for logs when the platform gave none. It is
// only for tracing: it is never used as an idempotency key, because a
// fresh id per call would defeat idempotency anyway.
func NewRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return "r" + hex.EncodeToString(b[:])
}
