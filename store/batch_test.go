package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

// echo is a script unknown to the server until first used (the nonce makes
// its SHA new), so its first pipeline meets NOSCRIPT.
func echo(t *testing.T) *redis.Script {
	return redis.NewScript(fmt.Sprintf(`-- %s %d
if ARGV[1] == 'fail' then return redis.error_reply('PB forbidden no') end
redis.call('INCR', KEYS[1])
return ARGV[1]`, t.Name(), time.Now().UnixNano()))
}

// counted is a batcher on the test Redis whose round trips are counted,
// and a loaded echo script.
func counted(t *testing.T) (*redis.Client, string, *RoundTrips, *batcher, *redis.Script) {
	rdb, prefix := testRedis(t)
	trips := &RoundTrips{}
	rdb.AddHook(trips)
	b := newBatcher(rdb)
	t.Cleanup(b.close)
	sc := echo(t)
	if err := sc.Load(context.Background(), rdb).Err(); err != nil {
		t.Fatal(err)
	}
	return rdb, prefix, trips, b, sc
}

func newCall(ctx context.Context, sc *redis.Script, key, arg string) *scriptCall {
	return &scriptCall{ctx: ctx, sc: sc, keys: []string{key}, args: []any{arg}, done: make(chan struct{})}
}

func TestBatchAnswersEachCallInOnePipeline(t *testing.T) {
	rdb, prefix, trips, b, sc := counted(t)
	key := prefix + ":{batch}:n"
	// go-redis keeps pipelines on connections of their own; open one first
	// so its set-up commands are not counted.
	if _, err := rdb.Pipelined(context.Background(), func(p redis.Pipeliner) error { p.Ping(context.Background()); return nil }); err != nil {
		t.Fatal(err)
	}
	trips.Reset()
	var calls []*scriptCall
	for i := range 5 {
		arg := strconv.Itoa(i)
		if i == 2 {
			arg = "fail" // one refusal must not spoil the others
		}
		calls = append(calls, newCall(context.Background(), sc, key, arg))
	}
	b.exec(calls)
	if n := trips.Count(); n != 1 {
		t.Fatalf("5 calls took %d round trips, want 1 pipeline", n)
	}
	for i, c := range calls {
		got, err := c.cmd.Text()
		switch {
		case i == 2:
			if err == nil || err.Error() != "PB forbidden no" {
				t.Fatalf("call 2: want the script's refusal, got %q %v", got, err)
			}
		case err != nil || got != strconv.Itoa(i):
			t.Fatalf("call %d answered %q %v", i, got, err)
		}
	}
	if n, _ := rdb.Get(context.Background(), key).Int(); n != 4 {
		t.Fatalf("counter %d, want 4 (each successful call once)", n)
	}
}

func TestBatchReloadsScriptsRedisForgot(t *testing.T) {
	rdb, prefix, trips, b, _ := counted(t)
	rdb.Pipelined(context.Background(), func(p redis.Pipeliner) error { p.Ping(context.Background()); return nil })
	sc := echo(t) // never loaded: EVALSHA says NOSCRIPT
	var calls []*scriptCall
	for i := range 3 {
		calls = append(calls, newCall(context.Background(), sc, prefix+":{batch}:n", strconv.Itoa(i)))
	}
	trips.Reset()
	b.exec(calls)
	for i, c := range calls {
		if got, err := c.cmd.Text(); err != nil || got != strconv.Itoa(i) {
			t.Fatalf("call %d after NOSCRIPT: %q %v", i, got, err)
		}
	}
	// The pipeline, one SCRIPT LOAD, the pipeline again.
	if n := trips.Count(); n != 3 {
		t.Fatalf("NOSCRIPT recovery took %d round trips, want 3", n)
	}
}

func TestBatchConcurrentCallersGetTheirOwnAnswers(t *testing.T) {
	_, prefix, trips, b, sc := counted(t)
	trips.Reset()
	const n = 400
	var wg sync.WaitGroup
	errs := make(chan error, n)
	// Every caller waits at the gate, so all 400 are there at once even on
	// a loaded machine, where starting goroutines one by one could let each
	// find a free slot and go alone.
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			want := strconv.Itoa(i)
			if got, err := b.run(context.Background(), sc, []string{prefix + ":{batch}:n"}, want).Text(); err != nil || got != want {
				errs <- fmt.Errorf("call %d answered %q %v", i, got, err)
			}
		}()
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Four slots for 400 callers at once: most must have shared a pipeline.
	if got := trips.Count(); got >= n {
		t.Fatalf("%d calls took %d round trips: nothing was batched", n, got)
	}
}

func TestBatchCallerThatGaveUp(t *testing.T) {
	rdb, prefix, _, b, sc := counted(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.run(ctx, sc, []string{prefix + ":{batch}:gone"}, "x").Err(); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v", err)
	}
	// In a pipeline with others, a call whose caller gave up is skipped and
	// the rest are answered.
	gone := newCall(ctx, sc, prefix+":{batch}:gone", "x")
	live := []*scriptCall{newCall(context.Background(), sc, prefix+":{batch}:n", "a"), gone,
		newCall(context.Background(), sc, prefix+":{batch}:n", "b")}
	b.exec(live)
	if !errors.Is(gone.cmd.Err(), context.Canceled) {
		t.Fatalf("skipped call got %v", gone.cmd.Err())
	}
	for _, c := range []*scriptCall{live[0], live[2]} {
		if got, err := c.cmd.Text(); err != nil || got != c.args[0] {
			t.Fatalf("live call answered %q %v", got, err)
		}
	}
	if n, _ := rdb.Exists(context.Background(), prefix+":{batch}:gone").Result(); n != 0 {
		t.Fatal("a call whose caller gave up still ran")
	}
}

// A caller waiting for a slot can give up; whoever sends the queue later
// skips its call.
func TestBatchWaitingCallerGivesUp(t *testing.T) {
	_, prefix, _, b, sc := counted(t)
	b.mu.Lock()
	b.flying = batchSlots // every slot busy
	b.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := b.run(ctx, sc, []string{prefix + ":{batch}:n"}, "x").Err(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting caller got %v", err)
	}
	batch := b.next()
	if len(batch) != 1 {
		t.Fatalf("want the abandoned call still queued, got %d", len(batch))
	}
	b.exec(batch)
	if !errors.Is(batch[0].cmd.Err(), context.DeadlineExceeded) {
		t.Fatalf("abandoned call was sent: %v", batch[0].cmd.Err())
	}
	b.mu.Lock()
	b.flying = 0
	b.mu.Unlock()
}

// Past maxWaiting queued calls Redis is not keeping up: refuse at once.
func TestBatchRefusesWhenTheQueueIsFull(t *testing.T) {
	_, prefix, _, b, sc := counted(t)
	b.mu.Lock()
	b.flying = batchSlots
	b.waiting = make([]*scriptCall, maxWaiting)
	b.mu.Unlock()
	err := b.run(context.Background(), sc, []string{prefix + ":{batch}:n"}, "x").Err()
	if !errors.Is(err, errStoreBusy) {
		t.Fatalf("want a refusal, got %v", err)
	}
	if got := (&Store{}).fail(err); !errors.Is(got, bot.ErrUnavailable) {
		t.Fatalf("a full queue must read as unavailable, got %v", got)
	}
	b.mu.Lock()
	b.flying, b.waiting = 0, nil
	b.mu.Unlock()
}

func TestBatchNothingOnCluster(t *testing.T) {
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}})
	defer cc.Close()
	if !newBatcher(cc).direct {
		t.Fatal("a cluster client must not batch")
	}
}

func TestBatchAfterClose(t *testing.T) {
	rdb, prefix := testRedis(t)
	b := newBatcher(rdb)
	sc := echo(t)
	if got, err := b.run(context.Background(), sc, []string{prefix + ":{batch}:n"}, "ok").Text(); err != nil || got != "ok" {
		t.Fatalf("before close: %q %v", got, err)
	}
	b.close()
	b.close() // twice is fine
	if err := b.run(context.Background(), sc, []string{prefix + ":{batch}:n"}, "late").Err(); !errors.Is(err, errStoreClosed) {
		t.Fatalf("after close: %v", err)
	}
}
