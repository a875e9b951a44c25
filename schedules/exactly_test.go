package schedules

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
)

// many makes n pledges due tomorrow (from the clock's 2026-11-24) by n
// people, and subscribes two channels to the digest.
func many(t *testing.T, e *env, n int) {
	t.Helper()
	e.at(t, "2026-11-20 12:00")
	for i := 0; i < n; i++ {
		who := fmt.Sprintf("owner%d", i)
		e.MustDo(who, fmt.Sprintf("/business register Biz %d", i))
		e.MustDo(who, `/pledge add "Hire one" theme:apprenticeships target:1 due:2026-11-25`)
	}
	e.Bot.Handle(context.Background(), bot.Request{From: bot.Identity{Platform: bot.Console, Workspace: "local", User: "admin"},
		Channel: "general", Command: "digest", Text: "subscribe"})
	e.Bot.Handle(context.Background(), bot.Request{From: bot.Identity{Platform: bot.Console, Workspace: "local", User: "admin"},
		Channel: "coordinators", Command: "digest", Text: "subscribe"})
}

func TestThreeRunnersSendOnce(t *testing.T) {
	e := setup(t, config.Schedules{})
	many(t, e, 12)
	e.at(t, "2026-11-24 10:00")
	at := e.Clock.Now()
	scheds := []*Scheduler{e.sched, e.newSched(t, "replica-2"), e.newSched(t, "replica-3")}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(scheds))
	for _, s := range scheds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, job := range []string{JobNudges, JobDigest, JobNudges, JobLapse} {
				if _, err := s.Run(context.Background(), job, e.Community(), at); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, n := range e.rec.take() {
		got[n.To.User+"#"+n.To.Channel+" "+n.Reply.Title]++
	}
	if len(got) != 14 {
		t.Fatalf("sent %d distinct notices, want 12 nudges + 2 digests: %v", len(got), got)
	}
	for k, c := range got {
		if c != 1 {
			t.Errorf("%q sent %d times", k, c)
		}
	}
}

func TestCrashBetweenDecideAndSend(t *testing.T) {
	e := setup(t, config.Schedules{})
	many(t, e, 3)
	e.at(t, "2026-11-24 10:00")
	ctx := context.Background()

	// Replica 1 decides and reads the notices, then dies before sending.
	e.sched.crashBeforeSend = true
	if _, err := e.sched.Run(ctx, JobNudges, e.Community(), e.Clock.Now()); !errors.Is(err, errCrash) {
		t.Fatalf("want the simulated crash, got %v", err)
	}
	if n := len(e.rec.take()); n != 0 {
		t.Fatalf("%d sent before the crash", n)
	}
	// Another replica runs the same job: already decided, and the entries
	// are in replica 1's hands, not idle long enough to take over.
	other := e.newSched(t, "replica-2")
	if r, err := other.Run(ctx, JobNudges, e.Community(), e.Clock.Now()); err != nil || r.Sent != 0 {
		t.Fatalf("other replica: %v %v", r, err)
	}
	// Replica 1 restarts under its name and sends what it had read, once.
	restarted := e.newSched(t, "replica-1")
	if n, err := restarted.Drain(ctx, e.Community()); err != nil || n != 3 {
		t.Fatalf("after restart sent %d (%v), want 3", n, err)
	}
	if n, _ := restarted.Drain(ctx, e.Community()); n != 0 {
		t.Fatalf("sent %d more on a second drain", n)
	}
	if n := len(e.rec.take()); n != 3 {
		t.Fatalf("delivered %d, want 3", n)
	}

	// A replica that never comes back: another takes its entries over with
	// XAUTOCLAIM once they are idle (0 here, a minute in production).
	e.at(t, "2026-11-25 10:00")
	e.MustDo("owner0", `/pledge add "One more" theme:apprenticeships target:1 due:2026-11-26`)
	e.sched.crashBeforeSend = true
	if _, err := e.sched.Run(ctx, JobNudges, e.Community(), e.Clock.Now()); !errors.Is(err, errCrash) {
		t.Fatalf("want the simulated crash, got %v", err)
	}
	other.claimIdle = 0
	if n, err := other.Drain(ctx, e.Community()); err != nil || n != 1 {
		t.Fatalf("take-over sent %d (%v), want 1", n, err)
	}
	wantLines(t, byUser(e.rec.take())["owner0"], `
Due soon (1)
  #4 One more: Due tomorrow (Thu 26 Nov 2026)`)
	if n, _ := e.Store.OutboxLen(ctx, e.Community()); n != 0 {
		t.Fatalf("outbox still holds %d", n)
	}
}

type rateErr time.Duration

func (r rateErr) Error() string             { return "429 too many requests" }
func (r rateErr) RetryAfter() time.Duration { return time.Duration(r) }

func TestRateLimitBacksOffAndFailuresRetry(t *testing.T) {
	e := setup(t, config.Schedules{})
	many(t, e, 1)
	e.at(t, "2026-11-24 10:00")
	var slept []time.Duration
	e.sched.sleep = func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}
	limited := 2
	e.rec.fail = func(bot.Notice) error {
		if limited > 0 {
			limited--
			return fmt.Errorf("slack: %w", rateErr(3*time.Second))
		}
		return nil
	}
	if r := e.run(t, JobNudges); r.Sent != 1 {
		t.Fatalf("result %v", r)
	}
	if fmt.Sprint(slept) != "[3s 3s]" {
		t.Fatalf("backed off %v, want [3s 3s]", slept)
	}
	e.rec.take()

	// A platform that keeps failing: the notice stays pending, is retried
	// by each drain, and after MaxAttempts moves to outbox-dead.
	e.rec.fail = func(bot.Notice) error { return errors.New("boom") }
	e.sched.maxAttempts = 5
	e.at(t, "2026-11-24 11:00")
	e.run(t, JobDigest)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if n, _ := e.Store.OutboxLen(ctx, e.Community()); n != 2 {
			t.Fatalf("drain %d: outbox holds %d, want the 2 digests", i, n)
		}
		e.sched.Drain(ctx, e.Community())
	}
	e.rec.fail = nil
	if n, err := e.sched.Drain(ctx, e.Community()); err != nil || n != 2 {
		t.Fatalf("recovered platform: sent %d (%v)", n, err)
	}
	e.rec.take()
	e.rec.fail = func(bot.Notice) error { return errors.New("boom") }
	e.MustDo("admin", "/digest preview")
	e.at(t, "2026-12-01 11:00")
	e.run(t, JobDigest)
	for i := 0; i < 5; i++ {
		e.sched.Drain(ctx, e.Community())
	}
	if n, _ := e.Store.OutboxLen(ctx, e.Community()); n != 0 {
		t.Fatalf("outbox holds %d after MaxAttempts", n)
	}
	if n := e.Redis.XLen(ctx, e.Prefix+":{"+e.Community()+"}:outbox-dead").Val(); n != 2 {
		t.Fatalf("outbox-dead holds %d, want 2", n)
	}
}

func TestCatchUpAfterDowntime(t *testing.T) {
	e := setup(t, config.Schedules{})
	many(t, e, 1)
	ctx := context.Background()
	// Every replica was down over Monday 09:00; one comes back on Wednesday.
	e.at(t, "2026-11-25 15:00")
	rs, err := e.sched.CatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var digests []Result
	for _, r := range rs {
		if r.Job == JobDigest {
			digests = append(digests, r)
		}
	}
	if len(digests) != 1 || !digests[0].At.Equal(local(t, "2026-11-23 09:00")) || digests[0].Sent != 2 {
		t.Fatalf("catch-up ran %v, want Monday's digest sent to 2 channels", rs)
	}
	e.rec.take()
	// A second replica starting, or this one again: nothing more.
	for _, s := range []*Scheduler{e.sched, e.newSched(t, "replica-2")} {
		if rs, err := s.CatchUp(ctx); err != nil || len(rs) != 0 {
			t.Fatalf("second catch-up ran %v (%v)", rs, err)
		}
	}
	if n := len(e.rec.take()); n != 0 {
		t.Fatalf("second catch-up sent %d", n)
	}
	// The cron firing itself, had the replica been up, is the same period.
	if r := e.run(t, JobDigest); r.Skipped == "" {
		t.Fatalf("digest ran twice in one week: %v", r)
	}
}

// A wait longer than half of ClaimIdle is not slept through (another
// replica could take the entry over meanwhile): the entry stays for the
// next drain, without counting as a failure.
func TestLongRateLimitLeavesEntryForLater(t *testing.T) {
	e := setup(t, config.Schedules{})
	many(t, e, 1)
	e.at(t, "2026-11-24 10:00")
	e.rec.fail = func(bot.Notice) error { return rateErr(10 * time.Minute) }
	if r := e.run(t, JobNudges); r.Enqueued != 1 || r.Sent != 0 {
		t.Fatalf("result %v", r)
	}
	ctx := context.Background()
	attempts := e.Redis.HLen(ctx, e.Prefix+":{"+e.Community()+"}:outbox-attempts").Val()
	if attempts != 0 {
		t.Fatalf("a long rate limit counted as %d failures", attempts)
	}
	e.rec.fail = nil
	if n, err := e.sched.Drain(ctx, e.Community()); err != nil || n != 1 {
		t.Fatalf("next drain sent %d (%v)", n, err)
	}
}

// Two drains at once in one process (the cron job's and the periodic one)
// must not both send the consumer's pending entries: while the first is
// stuck in a send, the second finds a drain running and leaves.
func TestConcurrentDrainsInOneProcess(t *testing.T) {
	e := setup(t, config.Schedules{})
	many(t, e, 5)
	e.at(t, "2026-11-24 10:00")
	ctx := context.Background()
	if err := e.sched.Nudges(ctx, e.Community(), e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	inSend, release := make(chan struct{}), make(chan struct{})
	var first0 atomic.Bool
	e.rec.fail = func(bot.Notice) error {
		if first0.CompareAndSwap(false, true) {
			close(inSend)
			e.rec.mu.Unlock() // let any other drain's sends through meanwhile
			<-release
			e.rec.mu.Lock()
		}
		return nil
	}
	first := make(chan error, 1)
	go func() {
		_, err := e.sched.Drain(ctx, e.Community())
		first <- err
	}()
	<-inSend
	if n, err := e.sched.Drain(ctx, e.Community()); err != nil || n != 0 {
		t.Errorf("second drain sent %d (%v) while the first held the entries", n, err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, n := range e.rec.take() {
		seen[n.ID]++
	}
	if len(seen) != 5 {
		t.Fatalf("sent %d distinct nudges, want 5", len(seen))
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("%s sent %d times", id, c)
		}
	}
}

// A replica that does not run a notice's platform leaves the entry to age,
// even while it keeps draining, so a replica that does run it takes it over.
func TestUndeliverableEntriesAgeForAnotherReplica(t *testing.T) {
	e := setup(t, config.Schedules{})
	many(t, e, 1)
	e.at(t, "2026-11-24 10:00")
	ctx := context.Background()
	noConsole := bot.New(bot.Options{Store: e.Store, Tenancy: e.Bot.Tenancy(), Themes: config.DefaultThemes, Now: e.Clock.Now})
	a, err := New(Options{Store: e.Store, Bot: noConsole, Config: e.cfg, Now: e.Clock.Now, Consumer: "slack-only", Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := a.Run(ctx, JobNudges, e.Community(), e.Clock.Now()); err != nil || r.Enqueued != 1 || r.Sent != 0 {
		t.Fatalf("replica without the console: %v %v", r, err)
	}
	time.Sleep(60 * time.Millisecond) // real idle time in Redis, tiny
	if n, err := a.Drain(ctx, e.Community()); err != nil || n != 0 {
		t.Fatalf("drain without the console sent %d (%v)", n, err)
	}
	b := e.newSched(t, "with-console")
	b.claimIdle = 50 * time.Millisecond
	if n, err := b.Drain(ctx, e.Community()); err != nil || n != 1 {
		t.Fatalf("replica with the console sent %d (%v), want 1", n, err)
	}
}
