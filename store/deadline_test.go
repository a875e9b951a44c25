package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest/testredis"
	"github.com/redis/go-redis/v9"
)

// With Redis stalled, a call whose context ends gives up then, whether it
// is a plain command or a script sent through the batcher, alone or
// queued behind stalled ones: it does not wait for the read timeout.
func TestStalledRedisAnswersByTheDeadline(t *testing.T) {
	skipOnEmbedded(t, "stalls a redis-server of its own")
	srv := testredis.Start(t)
	o, err := Open(context.Background(), Options{URL: srv.URL(), Prefix: "stall"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	sc := redis.NewScript(`return ARGV[1]`)
	if err := sc.Load(context.Background(), o.rdb).Err(); err != nil {
		t.Fatal(err)
	}
	srv.Stall(t, 2500*time.Millisecond) // past the 2 s read timeout
	// Generous: the deadline is 200 ms; without it the calls would wait
	// for the 2 s read timeout.
	const bound = 1500 * time.Millisecond
	calls := map[string]func(ctx context.Context) error{
		"Once": func(ctx context.Context) error {
			_, err := o.Once(ctx, "c1", "evt", time.Minute)
			return err
		},
	}
	for i := range batchSlots + 2 { // fill every slot, then queue
		calls["script "+string(rune('a'+i))] = func(ctx context.Context) error {
			return o.batch.run(ctx, sc, []string{"stall:{c1}:x"}, "x").Err()
		}
	}
	type result struct {
		name string
		err  error
		took time.Duration
	}
	out := make(chan result, len(calls))
	for name, call := range calls {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			err := call(ctx)
			out <- result{name, err, time.Since(start)}
		}()
	}
	for range calls {
		r := <-out
		if r.err == nil {
			t.Errorf("%s: answered by a stalled Redis", r.name)
		}
		if r.took > bound {
			t.Errorf("%s: gave up after %v, past its 200 ms deadline (%v)", r.name, r.took, r.err)
		}
		if r.name == "Once" && !errors.Is(r.err, bot.ErrUnavailable) {
			t.Errorf("Once: %v, want unavailable", r.err)
		}
	}
}
