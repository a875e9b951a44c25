package schedules

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/config"
)

// The owners of a business hear once when the lapse job lapses a pledge
// of theirs, in their nudge message, honouring their nudge settings;
// members do not.
func TestLapseTellsOwnersOnce(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-09-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", "/business add-member @bob")
	e.MustDo("alice", "/business add-member @carol role:owner")
	e.MustDo("carol", "/nudges off")
	e.MustDo("bob", `/pledge add "Plant trees" theme:carbon target:2 due:2026-10-01`)
	e.MustDo("alice", `/pledge add "Buy local" theme:buy-local target:100 due:2026-11-25`)
	e.at(t, "2026-11-24 06:00")
	if r := e.run(t, JobLapse); r.Lapsed != 1 {
		t.Fatalf("lapsed %d, want 1", r.Lapsed)
	}
	if early := e.rec.take(); len(early) != 0 {
		t.Fatalf("told by the lapse job: %v", byUser(early))
	}
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	sent := e.rec.take()
	if len(sent) != 1 || sent[0].To.User != "alice" {
		t.Fatalf("sent %v, want one message to alice", byUser(sent))
	}
	wantLines(t, lines(sent[0]), `
Due soon (1)
  #2 Buy local: Due tomorrow (Wed 25 Nov 2026)
Lapsed (1)
  #1 Plant trees: Lapsed: it passed its due date (Thu 1 Oct 2026) and no longer counts as active. If it is still going, reopen it with a new due date: /pledge reopen 1 due:YYYY-MM-DD`)
	if it := sent[0].Reply.Items[3]; len(it.Actions) != 0 || it.Progress != nil {
		t.Errorf("a lapsed pledge offers %v", it.Actions)
	}
	e.run(t, JobLapse)
	e.at(t, "2026-11-25 10:00")
	e.run(t, JobNudges)
	if again := e.rec.take(); len(again) != 0 {
		t.Fatalf("a later run told again: %v", byUser(again))
	}
	// Reopened with a new due date, it counts as active again.
	e.MustDo("alice", "/pledge reopen 1 due:2027-03-31")
	if out := e.MustDo("alice", "/pledge show 1"); strings.Contains(out, "lapsed ·") {
		t.Fatalf("after reopen:\n%s", out)
	}
}

// A pledge lapsed outside any run (here: by the store alone) is told by
// the next nudge sweep, once; it leaves the list of lapses to tell after
// a few days.
func TestLapseToldByTheNextSweep(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-09-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", `/pledge add "Plant trees" theme:carbon target:2 due:2026-10-01`)
	e.at(t, "2026-11-24 06:00")
	if ns, err := e.Store.LapseDue(context.Background(), e.Community(), e.Clock.Now().AddDate(0, 0, -30), e.Clock.Now()); err != nil || len(ns) != 1 {
		t.Fatalf("lapsed %v, %v", ns, err)
	}
	e.at(t, "2026-11-25 10:00")
	if r := e.run(t, JobLapse); r.Lapsed != 0 {
		t.Fatalf("lapsed %d more", r.Lapsed)
	}
	e.run(t, JobNudges)
	if sent := e.rec.take(); len(sent) != 1 || !strings.Contains(lines(sent[0]), "#1 Plant trees: Lapsed") {
		t.Fatalf("sent %v", byUser(sent))
	}
	e.at(t, "2026-11-26 10:00")
	e.run(t, JobLapse)
	e.run(t, JobNudges)
	if again := e.rec.take(); len(again) != 0 {
		t.Fatalf("told again: %v", byUser(again))
	}
	e.at(t, "2026-12-01 10:00")
	e.run(t, JobNudges)
	if n, _ := e.Redis.SCard(context.Background(), e.Prefix+":{"+e.Community()+"}:lapse-untold").Result(); n != 0 {
		t.Fatalf("%d lapses still to tell after a week", n)
	}
}
