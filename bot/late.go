package bot

import (
	"context"
	"time"
)

// An answer given late (after the platform's deadline, through its
// deferred path) asks again this many times, waiting lateRetryWait longer
// each time, while the store is unavailable.
const (
	lateRetries   = 4
	lateRetryWait = 500 * time.Millisecond
)

// Settle is for answers given late: when reply says the store was
// unavailable, it handles req again, up to a few times with growing waits.
// A write that timed out may still have landed, so "unavailable" is not
// the last word; req keeps its request id, so asking again acts at most
// once and answers the first result.
func (b *Bot) Settle(ctx context.Context, req Request, reply Reply) Reply {
	for try := 1; reply.Err != nil && reply.Err.Code == Unavailable && try <= lateRetries; try++ {
		if Sleep(ctx, time.Duration(try)*lateRetryWait) != nil {
			break
		}
		reply = b.Handle(ctx, req)
	}
	return reply
}

// Sleep waits d, or less when ctx ends first (then it returns ctx's error).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
