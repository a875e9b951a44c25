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
//
// A call that finds a pipeline slot free sends itself at once, on its own
// goroutine, so a quiet server pays no hand-off at all. Calls that find
// every slot busy wait; whoever finishes a pipeline sends everything
// waiting as the next one (on a new goroutine, so nobody's own answer is
// held up by other people's work).
//
// A pipeline answers when its last reply is in, so only short scripts with
// small replies (the per-command reads and writes) go through the batcher;
// scans, lists, summaries and sweeps run on their own connection. On Redis
// Cluster nothing is batched: one pipeline would wait for every node it
// touches, and a slow shard would hold up communities on healthy ones.
type batcher struct {
	rdb     redis.UniversalClient
	direct  bool // Cluster: every call on its own
	mu      sync.Mutex
	waiting []*scriptCall
	flying  int  // pipelines in flight
	closed  bool // no new calls
	wg      sync.WaitGroup
}

const (
	// batchSlots is how many pipelines may be in flight at once. Redis
	// runs one command at a time, so a few keep it busy while the next
	// batch gathers.
	batchSlots = 4
	// maxBatch bounds one pipeline so a burst cannot build one huge reply.
	maxBatch = 64
	// maxWaiting bounds the queue: past it Redis is not keeping up, and a
	// quick refusal beats a wait that ends in a timeout anyway.
	maxWaiting = 4096
)

var (
	errStoreClosed = errors.New("store: closed")
	errStoreBusy   = errors.New("store: too many Redis calls waiting")
)

type scriptCall struct {
	ctx  context.Context
	sc   *redis.Script
	keys []string
	args []any
	cmd  *redis.Cmd
	done chan struct{}
}

func newBatcher(rdb redis.UniversalClient) *batcher {
	_, cluster := rdb.(*redis.ClusterClient)
	return &batcher{rdb: rdb, direct: cluster}
}

// run runs one script call and returns its answer, or ctx's error if ctx
// ends first (the script may still run: every write script is idempotent
// on its request id).
func (b *batcher) run(ctx context.Context, sc *redis.Script, keys []string, args ...any) *redis.Cmd {
	if b.direct {
		return sc.Run(ctx, b.rdb, keys, args...)
	}
	c := &scriptCall{ctx: ctx, sc: sc, keys: keys, args: args, done: make(chan struct{})}
	b.mu.Lock()
	switch {
	case b.closed:
		b.mu.Unlock()
		return failedCmd(ctx, errStoreClosed)
	case len(b.waiting) >= maxWaiting:
		b.mu.Unlock()
		return failedCmd(ctx, errStoreBusy)
	case b.flying < batchSlots:
		b.flying++
		b.wg.Add(1)
		b.mu.Unlock()
		b.exec([]*scriptCall{c})
		if next := b.next(); next != nil {
			go b.serve(next)
		}
		return c.cmd
	}
	b.waiting = append(b.waiting, c)
	b.mu.Unlock()
	select {
	case <-c.done:
		return c.cmd
	case <-ctx.Done():
		return failedCmd(ctx, ctx.Err())
	}
}

// serve sends waiting calls until none are left, holding one slot.
func (b *batcher) serve(batch []*scriptCall) {
	for batch != nil {
		b.exec(batch)
		batch = b.next()
	}
}

// next takes up to maxBatch waiting calls, or gives the slot back when
// nothing waits.
func (b *batcher) next() []*scriptCall {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.waiting) == 0 {
		b.flying--
		b.wg.Done()
		return nil
	}
	n := min(len(b.waiting), maxBatch)
	batch := make([]*scriptCall, n)
	copy(batch, b.waiting)
	b.waiting = append(b.waiting[:0], b.waiting[n:]...)
	return batch
}

func failedCmd(ctx context.Context, err error) *redis.Cmd {
	cmd := redis.NewCmd(ctx)
	cmd.SetErr(err)
	return cmd
}

func (b *batcher) exec(batch []*scriptCall) {
	// A caller that gave up is skipped. The pipeline itself has no
	// deadline beyond the client's read and write timeouts: one caller's
	// context must not cut short the others' calls.
	ctx := context.Background()
	live := batch[:0]
	for _, c := range batch {
		if err := c.ctx.Err(); err != nil {
			c.cmd = failedCmd(c.ctx, err)
			close(c.done)
			continue
		}
		live = append(live, c)
	}
	if len(live) == 1 { // alone, it keeps its own deadline
		c := live[0]
		c.cmd = c.sc.Run(c.ctx, b.rdb, c.keys, c.args...)
		close(c.done)
		return
	}
	b.pipeline(ctx, live, nil)
	// A restarted (or SCRIPT FLUSHed) Redis has lost its script cache:
	// load each script it forgot once, then send those calls again
	// together, once. A script that did not load (Redis still starting, a
	// dropped connection) goes again as EVAL, which carries its source, so
	// the call does not meet NOSCRIPT a second time. NOSCRIPT means the
	// script did not run, so the retry cannot apply a write twice; and
	// every write script answers a repeated request id with its first
	// answer anyway (prelude.lua).
	var again []*scriptCall
	loadErr := map[*redis.Script]error{}
	for _, c := range live {
		if err := c.cmd.Err(); err != nil && isNoScript(err) {
			if _, tried := loadErr[c.sc]; !tried {
				loadErr[c.sc] = c.sc.Load(ctx, b.rdb).Err()
			}
			again = append(again, c)
		}
	}
	b.pipeline(ctx, again, func(c *scriptCall) bool { return loadErr[c.sc] != nil })
	for _, c := range live {
		close(c.done)
	}
}

// pipeline sends calls as one pipeline, by EVALSHA or, for the calls
// eval picks, EVAL; each command holds its own error.
func (b *batcher) pipeline(ctx context.Context, calls []*scriptCall, eval func(*scriptCall) bool) {
	if len(calls) == 0 {
		return
	}
	pipe := b.rdb.Pipeline()
	for _, c := range calls {
		if eval != nil && eval(c) {
			c.cmd = c.sc.Eval(ctx, pipe, c.keys, c.args...)
		} else {
			c.cmd = c.sc.EvalSha(ctx, pipe, c.keys, c.args...)
		}
	}
	pipe.Exec(ctx)
}

// isNoScript says whether Redis did not know a script's SHA, so did not
// run it.
func isNoScript(err error) bool { return strings.HasPrefix(err.Error(), "NOSCRIPT") }

// close refuses new calls and waits until every call already made has
// its answer.
func (b *batcher) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.wg.Wait()
}
