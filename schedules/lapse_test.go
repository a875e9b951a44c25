package schedules

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/config"
)

// The owners of a business hear once when the lapse job lapses a pledge
// of theirs, honouring their nudge settings; members do not.
func TestLapseTellsOwnersOnce(t *testing.T) {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-09-01 12:00")
	e.MustDo("alice", "/business register Acme")
	e.MustDo("alice", "/business add-member @bob")
	e.MustDo("alice", "/business add-member @carol role:owner")
	e.MustDo("carol", "/nudges off")
	e.MustDo("bob", `/pledge add "Plant trees" theme:carbon target:2 due:2026-10-01`)
	e.at(t, "2026-11-24 06:00")
	if r := e.run(t, JobLapse); r.Lapsed != 1 {
		t.Fatalf("lapsed %d, want 1", r.Lapsed)
	}
	// 06:00 is outside nudge hours: the owners hear at the next sweep.
	if early := e.rec.take(); len(early) != 0 {
		t.Fatalf("told at 06:00: %v", titles(early))
	}
	e.at(t, "2026-11-24 10:00")
	e.run(t, JobNudges)
	sent := e.rec.take()
	if len(sent) != 1 || sent[0].To.User != "alice" {
		t.Fatalf("sent %v to %+v, want one notice to alice", titles(sent), sent)
	}
	text := sent[0].Reply.Title + " " + sent[0].Reply.Text
	if !strings.Contains(text, "Pledge #1 has lapsed") || !strings.Contains(text, "/pledge reopen 1 due:") {
		t.Fatalf("notice: %s", text)
	}
	e.run(t, JobLapse)
	e.at(t, "2026-11-24 11:00")
	e.run(t, JobNudges)
	if again := e.rec.take(); len(again) != 0 {
		t.Fatalf("a second run told again: %v", titles(again))
	}
	// Reopened with a new due date, it counts as active again.
	e.MustDo("alice", "/pledge reopen 1 due:2027-03-31")
	if out := e.MustDo("alice", "/pledge show 1"); strings.Contains(out, "lapsed ·") {
		t.Fatalf("after reopen:\n%s", out)
	}
}

// A pledge lapsed by a run that failed before telling (here: lapsed by
// the store alone) is told by the next run, once.
func TestLapseTellsWhatAnEarlierRunDidNot(t *testing.T) {
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
	if sent := e.rec.take(); len(sent) != 1 || sent[0].Reply.Title != "Pledge #1 has lapsed" {
		t.Fatalf("sent %v", titles(sent))
	}
	e.at(t, "2026-11-26 10:00")
	e.run(t, JobLapse)
	e.run(t, JobNudges)
	if again := e.rec.take(); len(again) != 0 {
		t.Fatalf("told again: %v", titles(again))
	}
}
