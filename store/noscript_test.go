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

// registerCall is a batched call of the business registration script, as
// RegisterBusiness makes it, for request req.
func registerCall(s *Store, req, name string) *scriptCall {
	who := bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "U1"}
	call := registerBusinessCall{Actor: bot.Actor{ID: who}, Req: req, Business: bot.Business{Name: name, CreatedAt: time.Unix(1790000000, 0)}}
	args := call.argv()
	return &scriptCall{ctx: context.Background(), sc: registerBusiness.Script, keys: registerBusiness.keys(s.base("town"), args), args: args, done: make(chan struct{})}
}

// After Redis forgets its scripts (a restart; SCRIPT FLUSH here) a
// pipeline of writes meets NOSCRIPT: each is answered once the script is
// loaded again, or by EVAL when loading fails, and a write retried with the
// request id of one already done is not applied twice.
func TestBatchWritesSurviveForgottenScripts(t *testing.T) {
	skipOnEmbedded(t, "SCRIPT FLUSH and ACLs on a redis-server of its own")
	ctx := context.Background()
	srv := testredis.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { rdb.Close() })
	s := New(rdb, "t")
	b := s.batch
	t.Cleanup(b.close)
	// A user that may run scripts but not load them: its reload fails, as
	// one can while Redis is coming back.
	if err := rdb.Do(ctx, "ACL", "SETUSER", "noload", "on", ">noload-pw", "~*", "&*", "+@all", "-script|load").Err(); err != nil {
		t.Fatal(err)
	}
	noload := redis.NewClient(&redis.Options{Addr: srv.Addr(), Username: "noload", Password: "noload-pw"})
	t.Cleanup(func() { noload.Close() })
	nb := newBatcher(noload)
	t.Cleanup(nb.close)

	exec := func(b *batcher, calls ...*scriptCall) []int {
		t.Helper()
		b.exec(calls)
		var out []int
		for _, c := range calls {
			n, err := c.cmd.Int()
			if err != nil {
				t.Fatalf("%v after SCRIPT FLUSH: %v (as the store words it: %v)", c.args[1], err, s.fail(err))
			}
			out = append(out, n)
		}
		return out
	}
	flush := func() {
		t.Helper()
		if err := rdb.ScriptFlush(ctx).Err(); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		bs, err := s.Businesses(ctx, "town")
		if err != nil {
			t.Fatal(err)
		}
		return len(bs)
	}

	// r1 registers business 1.
	if got := exec(b, registerCall(s, "r1", "Acme"), registerCall(s, "r0", "Zero")); got[0] != 1 || got[1] != 2 {
		t.Fatalf("first registrations numbered %v, want [1 2]", got)
	}
	// Forgotten, reloaded: r1 again (a retry) is answered 1 and adds
	// nothing; r2 is new and is business 3.
	flush()
	if got := exec(b, registerCall(s, "r1", "Acme"), registerCall(s, "r2", "Bravo")); got[0] != 1 || got[1] != 3 {
		t.Fatalf("after a reload: numbered %v, want [1 3]", got)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d businesses, want 3: Acme, Zero, Bravo, each once", n)
	}
	// Forgotten, and SCRIPT LOAD refused: the calls go again by EVAL.
	flush()
	if err := registerBusiness.Load(ctx, noload).Err(); err == nil {
		t.Fatal("the noload user could load a script: the test does not test the fallback")
	}
	if got := exec(nb, registerCall(s, "r2", "Bravo"), registerCall(s, "r3", "Charlie")); got[0] != 3 || got[1] != 4 {
		t.Fatalf("with the reload refused: numbered %v, want [3 4]", got)
	}
	if n := count(); n != 4 {
		t.Fatalf("%d businesses, want 4", n)
	}
	if n, _ := rdb.Get(ctx, s.base("town")+"seq:business").Int(); n != 4 {
		t.Fatalf("business sequence at %d, want 4: a retry took a number", n)
	}
}

// A NOSCRIPT that outlives the retry (Redis forgot the script again in
// between) did not run the script: the person is told nothing was saved,
// not that something broke.
func TestNoScriptLeftIsUnavailable(t *testing.T) {
	s := New(nil, "t")
	if err := s.fail(redisError("NOSCRIPT No matching script. Please use EVAL.")); !errors.Is(err, bot.ErrUnavailable) {
		t.Fatalf("NOSCRIPT sorted as %v, want unavailable", err)
	}
	if err := s.fail(redisError("ERR unknown command")); errors.Is(err, bot.ErrUnavailable) {
		t.Fatalf("a plain Redis error sorted as %v, want internal", err)
	}
}

// redisError is an error reply from Redis (go-redis's redis.Error).
type redisError string

func (e redisError) Error() string { return string(e) }
func (redisError) RedisError()     {}
