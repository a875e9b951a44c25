// Package supervise keeps Pledgebot's transports (Slack over HTTP and
// Socket Mode, Discord HTTP interactions and the gateway) running for weeks
// unattended: each runs under one loop that starts it, retries it with a
// capped, jittered backoff (the first connection included), keeps its state
// for /readyz and metrics, and logs each change of state once. A transport
// that fails for good (a revoked token) stops alone; the others go on.
//
// It imports no platform, Redis or metrics package: serve wires the
// observers.
package supervise

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"
)

// State is where a transport stands.
type State string

const (
	Connecting   State = "connecting"   // not connected yet since start
	Up           State = "up"           // connected (or, for HTTP, serving)
	Reconnecting State = "reconnecting" // was up, or failed, and is retrying
	Stalled      State = "stalled"      // connected, but the peer stopped answering
	Failed       State = "failed"       // stopped for good; needs an operator
	Stopped      State = "stopped"      // shut down
)

// Status is a transport's state, why, and since when.
type Status struct {
	State  State     `json:"state"`
	Reason string    `json:"reason,omitempty"`
	Since  time.Time `json:"since"`
}

// Ready reports whether the transport is carrying traffic.
func (s Status) Ready() bool { return s.State == Up }

// Text is the one-line form /readyz shows: "ok", or the state and reason.
func (s Status) Text() string {
	if s.Ready() {
		return "ok"
	}
	if s.Reason == "" {
		return string(s.State)
	}
	return string(s.State) + ": " + s.Reason
}

// Reporter is how a running transport tells its supervisor what happened
// between start and return.
type Reporter interface {
	// Up says the transport is connected and carrying traffic.
	Up()
	// Down says the connection was lost while the transport itself is
	// reconnecting (a library that resumes on its own); reason is one of
	// the reason labels below.
	Down(reason string, err error)
	// Stalled says the connection is open but not answering (a missed
	// heartbeat): not ready, though nothing has been reconnected yet. Up
	// clears it.
	Stalled(err error)
}

// Run is one transport's life from one connection attempt: it connects,
// calls r.Up once carrying traffic, and returns when the connection ends
// (the error says why) or ctx ends. Wrap an error with Permanent when
// retrying cannot fix it, and with Because to label why it ended.
type Run func(ctx context.Context, r Reporter) error

// Reason labels, for pledgebot_transport_reconnects_total. Keep the set
// small: they become metric label values.
const (
	ReasonRefused        = "refused"         // the connection attempt failed
	ReasonLost           = "lost"            // an open connection broke
	ReasonZombie         = "zombie"          // the peer stopped answering heartbeats
	ReasonServerRequest  = "server_request"  // the platform asked us to reconnect
	ReasonInvalidSession = "invalid_session" // the platform dropped the session
	ReasonClosed         = "closed"          // the transport returned without error
)

// labelled carries a reason label with an error.
type labelled struct {
	reason string
	err    error
}

func (l *labelled) Error() string { return l.err.Error() }
func (l *labelled) Unwrap() error { return l.err }

// Because labels err with one of the reason labels.
func Because(reason string, err error) error {
	if err == nil {
		return nil
	}
	return &labelled{reason, err}
}

// ReasonOf is err's reason label: the one given with Because, else
// "refused" when the transport never came up, "lost" when it did.
func ReasonOf(err error, wasUp bool) string {
	var l *labelled
	switch {
	case errors.As(err, &l):
		return l.reason
	case err == nil:
		return ReasonClosed
	case wasUp:
		return ReasonLost
	}
	return ReasonRefused
}

// PermanentError is a failure retrying cannot fix.
type PermanentError struct {
	Why string // plain words for the operator: what is wrong and what to do
	Err error
}

func (p *PermanentError) Error() string {
	if p.Err == nil {
		return p.Why
	}
	return p.Why + " (" + p.Err.Error() + ")"
}
func (p *PermanentError) Unwrap() error { return p.Err }

// Permanent marks err as one retrying cannot fix, with why in plain words.
func Permanent(why string, err error) error { return &PermanentError{Why: why, Err: err} }

// Backoff bounds the delays between attempts: the n-th retry in a row
// waits a random time in [d/2, d] with d = Min·2ⁿ capped at Max, so many
// bots restarted together do not retry in step.
type Backoff struct{ Min, Max time.Duration }

// DefaultBackoff is what serve uses: a second at first, two minutes at most.
var DefaultBackoff = Backoff{Min: time.Second, Max: 2 * time.Minute}

// Delay is the wait before retry number n (0 for the first).
func (b Backoff) Delay(n int) time.Duration {
	d := max(b.Min, time.Nanosecond)
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, max(b.Max, b.Min))
	return d/2 + rand.N(d/2+1)
}

// Supervisor runs transports. Set its fields before Add.
type Supervisor struct {
	Backoff Backoff
	Log     *slog.Logger
	// OnState, when set, hears every change of a transport's state.
	OnState func(transport string, s Status)
	// OnReconnect, when set, hears every reconnection, with its reason label.
	OnReconnect func(transport, reason string)
	Now         func() time.Time

	mu     sync.Mutex
	order  []string
	runs   map[string]Run
	status map[string]Status
}

// Add registers a transport under name; it starts "connecting".
func (s *Supervisor) Add(name string, run Run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runs == nil {
		s.runs, s.status = map[string]Run{}, map[string]Status{}
	}
	if _, dup := s.runs[name]; dup {
		panic("supervise: transport " + name + " added twice")
	}
	s.order = append(s.order, name)
	s.runs[name] = run
	s.status[name] = Status{State: Connecting, Since: s.now()}
}

// Len is how many transports are configured.
func (s *Supervisor) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.order)
}

// Status is a copy of every transport's status.
func (s *Supervisor) Status() map[string]Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Status, len(s.status))
	for k, v := range s.status {
		out[k] = v
	}
	return out
}

// ErrAllFailed is returned by Run when every transport has failed for good.
var ErrAllFailed = errors.New("every chat transport has stopped for good")

// Run runs every transport until ctx ends, and returns nil then. It
// returns ErrAllFailed (with each one's reason) early when no transport is
// left running: each has failed for good.
func (s *Supervisor) Run(ctx context.Context) error {
	s.mu.Lock()
	names := append([]string(nil), s.order...)
	s.mu.Unlock()
	failed := make(chan string, len(names))
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() {
			if s.loop(ctx, name) {
				failed <- name
			}
		})
	}
	defer wg.Wait()
	var why []string
	for range names {
		select {
		case <-ctx.Done():
			return nil
		case name := <-failed:
			why = append(why, name+": "+s.Status()[name].Reason)
		}
	}
	if len(names) == 0 {
		<-ctx.Done()
		return nil
	}
	sort.Strings(why)
	return fmt.Errorf("%w: %s", ErrAllFailed, strings.Join(why, "; "))
}

// loop keeps one transport running; it reports whether it failed for good.
func (s *Supervisor) loop(ctx context.Context, name string) (failed bool) {
	s.mu.Lock()
	run := s.runs[name]
	s.mu.Unlock()
	retries := 0
	for {
		r := &reporter{s: s, name: name}
		err := run(ctx, r)
		if ctx.Err() != nil {
			s.set(name, Stopped, "shut down", nil)
			return false
		}
		var p *PermanentError
		if errors.As(err, &p) {
			s.set(name, Failed, p.Why, err)
			return true
		}
		upAt := r.upAt()
		// A connection that stayed up a while starts the backoff afresh;
		// one dropped at once keeps backing off.
		if !upAt.IsZero() && s.now().Sub(upAt) >= s.Backoff.Max {
			retries = 0
		}
		// A run that already reported its connection lost (Down) failed
		// its own reconnection: that is a refused attempt, not a second loss.
		reason := ReasonOf(err, r.connected())
		d := s.Backoff.Delay(retries)
		retries++
		state := Reconnecting
		if s.Status()[name].State == Connecting {
			state = Connecting
		}
		s.reconnect(name, reason)
		s.set(name, state, fmt.Sprintf("%s; retry %d in %s", errText(err, reason), retries, d.Round(time.Millisecond)), err)
		if !sleep(ctx, d) {
			s.set(name, Stopped, "shut down", nil)
			return false
		}
	}
}

func errText(err error, reason string) string {
	if err == nil {
		return "connection " + reason
	}
	return err.Error()
}

// set records a state and logs it when the state (not only its reason)
// changes, so an outage of hours logs once, not once per retry.
func (s *Supervisor) set(name string, state State, reason string, err error) {
	s.mu.Lock()
	old := s.status[name]
	st := Status{State: state, Reason: reason, Since: old.Since}
	if state != old.State {
		st.Since = s.now()
	}
	s.status[name] = st
	s.mu.Unlock()
	// Same state, fresher reason: /readyz has it. The exception is the
	// first failure of the first connection, still "connecting".
	if state == old.State && (old.Reason != "" || reason == "") {
		return
	}
	if s.OnState != nil {
		s.OnState(name, st)
	}
	s.logChange(name, old, st, err)
}

func (s *Supervisor) logChange(name string, old, st Status, err error) {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	attrs := []any{"transport", name, "state", string(st.State), "was", string(old.State)}
	switch st.State {
	case Up:
		log.Info(name+": connected", attrs...)
	case Failed:
		log.Error(name+": stopped for good, not retrying; the other transports keep running: "+st.Reason, append(attrs, "err", err)...)
	case Stopped:
		log.Info(name+": stopped", attrs...)
	case Stalled:
		log.Warn(name+": not answering; not ready until it does", append(attrs, "reason", st.Reason)...)
	default:
		log.Warn(name+": "+string(st.State)+"; retrying", append(attrs, "reason", st.Reason)...)
	}
}

func (s *Supervisor) reconnect(name, reason string) {
	if s.OnReconnect != nil {
		s.OnReconnect(name, reason)
	}
}

func (s *Supervisor) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// reporter is one run's Reporter.
type reporter struct {
	s    *Supervisor
	name string
	mu   sync.Mutex
	up   time.Time // when it last came up
	down bool      // Down since then
}

func (r *reporter) Up() {
	r.mu.Lock()
	r.up, r.down = r.s.now(), false
	r.mu.Unlock()
	r.s.set(r.name, Up, "", nil)
}

func (r *reporter) Down(reason string, err error) {
	r.mu.Lock()
	r.down = true
	r.mu.Unlock()
	r.s.reconnect(r.name, reason)
	r.s.set(r.name, Reconnecting, errText(err, reason), err)
}

func (r *reporter) Stalled(err error) {
	r.s.set(r.name, Stalled, errText(err, ""), err)
}

// connected reports whether the run was carrying traffic when it ended.
func (r *reporter) connected() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.up.IsZero() && !r.down
}

func (r *reporter) upAt() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.up
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Always is the Run of a transport with no connection of its own (HTTP
// endpoints): up at once, until ctx ends.
func Always(ctx context.Context, r Reporter) error {
	r.Up()
	<-ctx.Done()
	return nil
}
