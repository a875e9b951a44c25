package schedules

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// RateLimited is what a Sender's error implements when the platform said
// "too many requests"; the drain waits RetryAfter and tries again.
type RateLimited interface {
	RetryAfter() time.Duration
}

// errLongWait: the platform asked to wait longer than a drain may hold an
// entry without another replica taking it over.
var errLongWait = errors.New("schedules: rate limited for longer than ClaimIdle/2")

// errCrash stands for the process dying between reading and sending.
var errCrash = errors.New("schedules: simulated crash before send")

const (
	outboxBatch   = 100
	rateRetries   = 5
	maxRetryAfter = 10 * time.Minute
)

// Drain sends what waits in a community's outbox: first this consumer's
// own pending entries (left by a crash before it acknowledged them), then
// entries idle in other consumers' hands for ClaimIdle (a crashed replica),
// then new ones. Each entry is tried once per drain; failures stay pending
// and are retried by a later drain, up to MaxAttempts.
func (s *Scheduler) Drain(ctx context.Context, c string) (sent int, err error) {
	// One drain per community at a time in this process; a drain already
	// running reads new entries until there are none, so skipping is safe.
	mu, _ := s.draining.LoadOrStore(c, &sync.Mutex{})
	if !mu.(*sync.Mutex).TryLock() {
		return 0, nil
	}
	defer mu.(*sync.Mutex).Unlock()
	ack := newAcker(ctx, s.st, c)
	defer func() {
		if aerr := ack.close(); err == nil {
			err = aerr
		}
	}()
	process := func(es []store.OutboxEntry) error {
		if len(es) > 0 && s.crashBeforeSend {
			return errCrash
		}
		for _, e := range es {
			ok, err := s.deliver(ctx, c, e)
			if err != nil {
				return err
			}
			if ok {
				ack.add(e.ID)
				sent++
			}
		}
		return nil
	}
	// Own pending entries, paging by id.
	for after := "0"; ; {
		es, err := s.st.OutboxPending(ctx, c, s.consumer, after, outboxBatch)
		if err != nil || len(es) == 0 {
			if err != nil {
				return sent, err
			}
			break
		}
		if err := process(es); err != nil {
			return sent, err
		}
		after = es[len(es)-1].ID
	}
	// Entries abandoned by other consumers.
	for cursor, rounds := "0-0", 0; rounds < 1000; rounds++ {
		es, next, err := s.st.OutboxClaim(ctx, c, s.consumer, s.claimIdle, cursor, outboxBatch)
		if err != nil {
			return sent, err
		}
		if err := process(es); err != nil {
			return sent, err
		}
		if cursor = next; cursor == "0-0" {
			break
		}
	}
	// New entries.
	for rounds := 0; rounds < 1000; rounds++ {
		es, err := s.st.OutboxNew(ctx, c, s.consumer, outboxBatch)
		if err != nil || len(es) == 0 {
			return sent, err
		}
		if err := process(es); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// deliver sends one entry and records the outcome; it reports whether the
// notice went out. Only store errors are returned: a failed send is logged
// and left for a retry.
func (s *Scheduler) deliver(ctx context.Context, c string, e store.OutboxEntry) (bool, error) {
	if e.Bad != nil {
		s.log.Error("dropping undecodable outbox entry", "community", c, "entry", e.ID)
		return false, s.st.OutboxDead(ctx, c, e, e.Bad.Error())
	}
	if s.bot == nil || !s.bot.CanDeliver(e.Notice.To.Platform) {
		// Left pending: a replica running that platform's adapter claims it
		// after ClaimIdle.
		return false, nil
	}
	err := s.send(ctx, e)
	if err == nil {
		return true, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if errors.Is(err, bot.ErrHeld) {
		// Not a failure: kept pending, uncounted, until it can be sent.
		s.log.Info("notice held: its workspace cannot be reached now", "community", c, "key", e.Key)
		return false, nil
	}
	if errors.Is(err, errLongWait) {
		// Not a failure: the next drain tries again.
		s.log.Info("rate limited for longer than a drain waits; left for later", "community", c, "key", e.Key)
		return false, nil
	}
	attempts, serr := s.st.OutboxFailed(ctx, c, e.ID)
	if serr != nil {
		return false, serr
	}
	if attempts >= s.maxAttempts {
		s.log.Error("giving up on a notice", "community", c, "key", e.Key, "attempts", attempts, "err", err)
		return false, s.st.OutboxDead(ctx, c, e, fmt.Sprintf("%d failed sends, last: %v", attempts, err))
	}
	s.log.Warn("send failed; will retry", "community", c, "key", e.Key, "attempts", attempts, "err", err)
	return false, nil
}

// send delivers through the bot, backing off as a rate limit asks.
func (s *Scheduler) send(ctx context.Context, e store.OutboxEntry) error {
	for try := 0; ; try++ {
		err := s.bot.Deliver(ctx, e.Notice)
		var rl RateLimited
		if err == nil || !errors.As(err, &rl) || try >= rateRetries {
			return err
		}
		wait := min(max(rl.RetryAfter(), time.Second), maxRetryAfter)
		if wait > s.claimIdle/2 {
			return errLongWait
		}
		s.log.Info("rate limited; backing off", "key", e.Key, "retry_after", wait)
		if err := s.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// acker acknowledges sent entries in the background while sending goes on:
// each round trip takes every id sent since the previous one (group
// commit). A crash can lose only the acknowledgements in flight, as with
// one round trip per entry, but a fast sender no longer waits on Redis.
type acker struct {
	ids  chan string
	done chan error
}

func newAcker(ctx context.Context, st Store, c string) *acker {
	a := &acker{ids: make(chan string, outboxBatch), done: make(chan error, 1)}
	go func() {
		var firstErr error
		for id := range a.ids {
			batch := []string{id}
		more:
			for len(batch) < 500 {
				select {
				case id, ok := <-a.ids:
					if !ok {
						break more
					}
					batch = append(batch, id)
				default:
					break more
				}
			}
			// Acknowledge even when ctx is cancelled: the sends happened.
			if err := st.OutboxDone(context.WithoutCancel(ctx), c, batch...); err != nil && firstErr == nil {
				firstErr = err
			}
		}
		a.done <- firstErr
	}()
	return a
}

func (a *acker) add(id string) { a.ids <- id }

// close waits for every acknowledgement to be written.
func (a *acker) close() error {
	close(a.ids)
	return <-a.done
}
