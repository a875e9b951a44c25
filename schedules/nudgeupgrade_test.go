package schedules

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/config"
)

// A nudge release 0361339 decided (pledge:N:once field "soon:DATE", which
// named no person) does not go out again after the upgrade.
func TestNudgeDecidedByTheReleaseBeforeStands(t *testing.T) {
	e := setup(t, config.Schedules{})
	ctx := context.Background()
	e.at(t, "2026-10-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Buy local" theme:buy-local target:100 due:2026-12-01`) // #1
	e.at(t, "2026-11-24 10:00")
	base := e.Prefix + ":{" + e.Community() + "}:"
	e.Redis.HSet(ctx, base+"pledge:1:once", "soon:2026-12-01", time.Now().Add(30*24*time.Hour).Unix())
	e.Redis.Expire(ctx, base+"pledge:1:once", 30*24*time.Hour)
	if r := e.run(t, JobNudges); r.Enqueued != 0 {
		t.Fatalf("pledge #1 nudged again for the same due date after the upgrade: %v\n%s", r, byUser(e.rec.take())["alice"])
	}
}

// A nudge message waiting in the outbox that lists a deleted business's
// pledge is taken back whole; the other business's pledge it listed is
// told again by the next sweep, alone.
func TestDeletingABusinessTakesBackItsNudges(t *testing.T) {
	e := setup(t, config.Schedules{})
	ctx := context.Background()
	e.at(t, "2026-10-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", "/business register Other")
	e.MustDo("alice", `/pledge add "Buy local produce" theme:buy-local target:100 due:2026-12-01 business:1`) // #1
	e.MustDo("alice", `/pledge add "Plant trees" theme:carbon target:1 due:2026-12-01 business:2`)            // #2
	e.at(t, "2026-11-24 10:00")
	var r Result
	if err := e.sched.sweep(ctx, e.Community(), e.Clock.Now(), true, &r); err != nil || r.Enqueued != 1 {
		t.Fatalf("sweep: %v %v", r, err)
	}
	e.MustDo("alice", "/business delete 1 confirm")
	if _, err := e.sched.Drain(ctx, e.Community()); err != nil {
		t.Fatal(err)
	}
	for _, n := range e.rec.take() {
		t.Errorf("sent after its business was deleted: %q\n%s", n.Reply.Title, lines(n))
	}
	e.at(t, "2026-11-25 10:00")
	e.run(t, JobNudges)
	got := byUser(e.rec.take())["alice"]
	if !strings.Contains(got, "Plant trees") || strings.Contains(got, "Buy local") || strings.Contains(got, "(deleted)") {
		t.Fatalf("next sweep sent alice:\n%s", got)
	}
}
