package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// nudgeMsg is who's message of date about pledge n, in parts.
func nudgeMsg(who bot.Identity, date string, n, parts int) store.NudgeMessage {
	key, _ := store.NudgeKey(n, "soon:2026-12-01", who)
	m := store.NudgeMessage{Who: who, Date: date, Items: []string{key}}
	for i := range parts {
		m.Parts = append(m.Parts, bot.Notice{ID: fmt.Sprint(i), Community: c,
			To: bot.Recipient{Platform: who.Platform, Workspace: who.Workspace, User: who.User}})
	}
	return m
}

// A person's nudge message goes into the outbox once a local day, all its
// parts in one step; an item decided since the sweep read it, or about a
// pledge deleted since, makes the whole call write nothing (the sweep
// reads again); erasing the person forgets their day and their items.
func TestEnqueueNudges(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	n := f.pledge(t, alice, bot.NewPledge{Text: "x"}).Number
	if got, err := f.s.EnqueueNudges(ctx, c, time.Hour, []store.NudgeMessage{nudgeMsg(alice.ID, "2026-11-24", n, 3)}); err != nil || got != 3 {
		t.Fatalf("enqueued %d (%v), want 3 parts", got, err)
	}
	if got, err := f.s.EnqueueNudges(ctx, c, time.Hour, []store.NudgeMessage{nudgeMsg(alice.ID, "2026-11-24", n, 3)}); err != nil || got != 0 {
		t.Fatalf("the same day again: %d (%v), want nothing", got, err)
	}
	// Another day, the item already decided: a race, nothing written.
	before, _ := f.s.OutboxLen(ctx, c)
	if _, err := f.s.EnqueueNudges(ctx, c, time.Hour, []store.NudgeMessage{
		nudgeMsg(bob.ID, "2026-11-25", n, 1), nudgeMsg(alice.ID, "2026-11-25", n, 1)}); !errors.Is(err, store.ErrNudgeRace) {
		t.Fatalf("a decided item: %v, want ErrNudgeRace", err)
	}
	if after, _ := f.s.OutboxLen(ctx, c); after != before {
		t.Fatalf("outbox %d -> %d after a race", before, after)
	}
	if f.rdb.HExists(ctx, f.prefix+":{c1}:nudged", bob.ID.Key()).Val() {
		t.Fatal("bob's day was marked though nothing was sent")
	}
	if _, err := f.s.EnqueueNudges(ctx, c, time.Hour, []store.NudgeMessage{nudgeMsg(bob.ID, "2026-11-25", 999, 1)}); !errors.Is(err, store.ErrNudgeRace) {
		t.Fatalf("a pledge that is gone: %v, want ErrNudgeRace", err)
	}
	// The candidates read says what was decided, per person.
	cands, people, err := f.s.NudgeCandidates(ctx, c, time.Time{}, time.Unix(1<<40, 0), time.Time{}, time.Unix(1<<40, 0))
	if err != nil || len(cands) != 1 || !cands[0].Decided["soon:2026-12-01:"+alice.ID.Key()] || people[alice.ID].Nudged != "2026-11-24" {
		t.Fatalf("candidates %+v, people %+v, %v", cands, people, err)
	}
	if _, err := f.s.Erase(ctx, "operator:root", alice.ID); err != nil {
		t.Fatal(err)
	}
	if left := f.naming(t, alice.ID); len(left) > 0 {
		t.Errorf("alice is still named: %v", left)
	}
}
