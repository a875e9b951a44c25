package store

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// A batcher sends the scripts that concurrent requests run at the same
// moment in shared pipelines. On a busy server the socket calls and
// wake-ups of a round trip cost more than most scripts, on both sides:
// Redis too reads a whole pipeline in one go and answers it in one write.
// While a pipeline is in flight the next calls queue and then leave
// together; a lone call leaves at once, so nothing waits for a timer.
type batcher struct {
	rdb   redis.UniversalClient
	queue chan *scriptCall
	stop  chan struct{}
	wg    sync.WaitGroup
	// mu orders enqueueing against close, so no call is queued after the
	// last drain.
	mu     sync.RWMutex
	closed bool
}

const (
	// batchSenders is how many pipelines may be in flight at once. Redis
	// runs one command at a time, so a few keep it busy while the next
	// batch gathers.
	batchSenders = 4
	// maxBatch bounds one pipeline so a burst cannot build one huge reply.
	maxBatch = 64
)

var errStoreClosed = errors.New("store: closed")

type scriptCall struct {
	ctx  context.Context
	sc   *redis.Script
	keys []string
	args []any
	cmd  *redis.Cmd
	done chan struct{}
}

func newBatcher(rdb redis.UniversalClient) *batcher {
	b := &batcher{rdb: rdb, queue: make(chan *scriptCall, maxBatch*batchSenders), stop: make(chan struct{})}
	b.wg.Add(batchSenders)
	for range batchSenders {
		go b.send()
	}
	return b
}

// run runs one script call, in a pipeline with whatever others are
// waiting, and returns its answer, or ctx's error if ctx ends first (the
// script may still run: every write script is idempotent on its request id).
func (b *batcher) run(ctx context.Context, sc *redis.Script, keys []string, args ...any) *redis.Cmd {
	c := &scriptCall{ctx: ctx, sc: sc, keys: keys, args: args, done: make(chan struct{})}
	if err := b.enqueue(c); err != nil {
		return failedCmd(ctx, err)
	}
	select {
	case <-c.done:
		return c.cmd
	case <-ctx.Done():
		return failedCmd(ctx, ctx.Err())
	}
}

func (b *batcher) enqueue(c *scriptCall) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return errStoreClosed
	}
	select {
	case b.queue <- c:
		return nil
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
}

func failedCmd(ctx context.Context, err error) *redis.Cmd {
	cmd := redis.NewCmd(ctx)
	cmd.SetErr(err)
	return cmd
}

// send takes the first waiting call, then everything else already queued.
func (b *batcher) send() {
	defer b.wg.Done()
	batch := make([]*scriptCall, 0, maxBatch)
	for {
		select {
		case <-b.stop:
			b.drain()
			return
		case c := <-b.queue:
			batch = append(batch[:0], c)
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case c := <-b.queue:
				batch = append(batch, c)
			default:
				break gather
			}
		}
		b.exec(batch)
	}
}

// drain answers calls queued when the store closed.
func (b *batcher) drain() {
	for {
		select {
		case c := <-b.queue:
			c.cmd = failedCmd(c.ctx, errStoreClosed)
			close(c.done)
		default:
			return
		}
	}
}

func (b *batcher) exec(batch []*scriptCall) {
	// A caller that gave up is skipped; one that is still waiting gets its
	// answer however long the others wait, so the pipeline has no deadline
	// of its own beyond the client's read and write timeouts.
	ctx := context.WithoutCancel(batch[0].ctx)
	live := batch[:0]
	for _, c := range batch {
		if err := c.ctx.Err(); err != nil {
			c.cmd = failedCmd(c.ctx, err)
			close(c.done)
			continue
		}
		live = append(live, c)
	}
	switch len(live) {
	case 0:
		return
	case 1:
		c := live[0]
		c.cmd = c.sc.Run(ctx, b.rdb, c.keys, c.args...)
		close(c.done)
		return
	}
	pipe := b.rdb.Pipeline()
	for _, c := range live {
		c.cmd = c.sc.EvalSha(ctx, pipe, c.keys, c.args...)
	}
	pipe.Exec(ctx) // each command holds its own error
	for _, c := range live {
		// A restarted Redis has lost its script cache: Run loads it again.
		if err := c.cmd.Err(); err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
			c.cmd = c.sc.Run(ctx, b.rdb, c.keys, c.args...)
		}
		close(c.done)
	}
}

// close stops the senders once the pipelines in flight are answered; calls
// still queued, or made later, fail with errStoreClosed.
func (b *batcher) close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	b.mu.Unlock()
	close(b.stop)
	b.wg.Wait()
	b.drain()
}
