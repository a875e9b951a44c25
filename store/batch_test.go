package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

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
	rdb, prefix := testRedis(t)
	b := newBatcher(rdb)
	defer b.close()
	sc := echo(t) // never loaded: EVALSHA says NOSCRIPT
	var calls []*scriptCall
	for i := range 3 {
		calls = append(calls, newCall(context.Background(), sc, prefix+":{batch}:n", strconv.Itoa(i)))
	}
	b.exec(calls)
	for i, c := range calls {
		if got, err := c.cmd.Text(); err != nil || got != strconv.Itoa(i) {
			t.Fatalf("call %d after NOSCRIPT: %q %v", i, got, err)
		}
	}
}

func TestBatchConcurrentCallersGetTheirOwnAnswers(t *testing.T) {
	_, prefix, trips, b, sc := counted(t)
	trips.Reset()
	const n = 400
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := strconv.Itoa(i)
			if got, err := b.run(context.Background(), sc, []string{prefix + ":{batch}:n"}, want).Text(); err != nil || got != want {
				errs <- fmt.Errorf("call %d answered %q %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	t.Logf("%d calls in %d round trips", n, trips.Count())
}

func TestBatchCallerThatGaveUp(t *testing.T) {
	rdb, prefix := testRedis(t)
	b := newBatcher(rdb)
	defer b.close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := b.run(ctx, echo(t), []string{prefix + ":{batch}:n"}, "x").Err()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v", err)
	}
	// Skipped in a batch: the script does not run for it.
	c := newCall(ctx, echo(t), prefix+":{batch}:n", "x")
	b.exec([]*scriptCall{c})
	if !errors.Is(c.cmd.Err(), context.Canceled) {
		t.Fatalf("skipped call got %v", c.cmd.Err())
	}
	if n, _ := rdb.Exists(context.Background(), prefix+":{batch}:n").Result(); n != 0 {
		t.Fatal("a call whose caller gave up still ran")
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
