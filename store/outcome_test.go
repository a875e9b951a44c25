package store_test

import (
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// Only the people of the pledge's partner record its outcome; every
// refusal leaves every key as it was.
func TestOutcomeRefusalsWriteNothing(t *testing.T) {
	f := confirmFixture(t)
	f.pledge(t, alice, bot.NewPledge{Text: "No partner", Theme: "volunteering", Target: 5, Visibility: bot.Public})
	before := f.snapshot(t)
	for _, tc := range []struct {
		who  bot.Actor
		n    int
		want bot.Code
	}{
		{alice, 1, bot.Forbidden}, // the business's owner
		{carol, 1, bot.Forbidden}, // its member
		{dave, 1, bot.Forbidden},  // anyone else
		{bot.Actor{ID: dave.ID, Admin: true}, 1, bot.Forbidden},
		{bob, 2, bot.Invalid}, // names no partner
		{bob, 9, bot.NotFound},
	} {
		if _, err := f.s.RecordOutcome(ctx, c, tc.who, tc.n, "It helped", "r-"+tc.who.ID.User); code(err) != tc.want {
			t.Errorf("%s on #%d: %v, want %s", tc.who.ID.User, tc.n, err, tc.want)
		}
	}
	sameSnapshot(t, before, f.snapshot(t))
}

// A later outcome replaces the earlier on the pledge; the history keeps
// both, in order; a replayed request writes nothing again. A text longer
// than one 64-byte field comes back whole.
func TestOutcomeReplacesAndHistoryKeepsBoth(t *testing.T) {
	f := confirmFixture(t)
	now := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	f.s.SetClock(func() time.Time { return now })
	long := "Twelve families ate well all winter; the volunteers — café staff — stayed on as regulars. <!channel> ünïcödé"
	if _, err := f.s.RecordOutcome(ctx, c, bob, 1, "first words", "r1"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	p, err := f.s.RecordOutcome(ctx, c, bob, 1, long, "r2")
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.s.RecordOutcome(ctx, c, bob, 1, long, "r2")
	if err != nil || again.Outcome == nil || again.Outcome.Text != long {
		t.Fatalf("replay: %+v %v", again.Outcome, err)
	}
	want := bot.Outcome{Text: long, By: bob.ID.Key(), At: time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)}
	if p.Outcome == nil || *p.Outcome != want {
		t.Fatalf("outcome %+v, want %+v", p.Outcome, want)
	}
	p, ev, err := f.s.Pledge(ctx, c, alice, 1)
	if err != nil || p.Outcome == nil || *p.Outcome != want {
		t.Fatalf("read back %+v %v", p.Outcome, err)
	}
	var said []string
	for _, e := range ev {
		if e.Kind == bot.EventOutcome {
			said = append(said, e.Note)
		}
	}
	if len(said) != 2 || said[0] != "first words" || said[1] != long {
		t.Fatalf("history's outcomes %q, want both, in order", said)
	}
	// Lists carry it too (the report page reads them).
	ps, err := f.s.Pledges(ctx, c, dave, bot.PledgeFilter{OutcomeFrom: now.Add(-time.Hour), OutcomeTo: now.Add(time.Hour)})
	if err != nil || len(ps) != 1 || ps[0].Outcome == nil || ps[0].Outcome.Text != long {
		t.Fatalf("outcomes of the window: %+v %v", ps, err)
	}
	ps, err = f.s.Pledges(ctx, c, dave, bot.PledgeFilter{OutcomeFrom: now.Add(time.Hour), OutcomeTo: now.Add(2 * time.Hour)})
	if err != nil || len(ps) != 0 {
		t.Fatalf("outcomes of a later window: %+v %v", ps, err)
	}
}

// Erasing the partner's member who recorded an outcome leaves the words
// and takes their name; deleting the business drops it from the index.
func TestOutcomeErasureAndDeletion(t *testing.T) {
	f := confirmFixture(t)
	if err := f.s.SetPartnerMember(ctx, c, bob, 1, dave.ID, bot.RolePartnerMember, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RecordOutcome(ctx, c, dave, 1, "It helped", "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Erase(ctx, "operator", dave.ID); err != nil {
		t.Fatal(err)
	}
	p, _, _ := f.s.Pledge(ctx, c, alice, 1)
	if p.Outcome == nil || p.Outcome.By != "erased" || p.Outcome.Text != "It helped" {
		t.Fatalf("outcome after the erasure: %+v", p.Outcome)
	}
	if got := f.naming(t, dave.ID); len(got) != 0 {
		t.Fatalf("keys still naming dave: %v", got)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if n := f.rdb.Exists(ctx, f.prefix+":{"+c+"}:outcomes").Val(); n != 0 {
		t.Fatalf("the outcomes index outlived the business's only pledge")
	}
}

// A pledge made to another partner leaves the old partner's outcome
// behind: its words must not read as the new partner's (the history
// keeps them).
func TestPartnerChangeTakesTheOutcome(t *testing.T) {
	f := confirmFixture(t)
	now := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	f.s.SetClock(func() time.Time { return now })
	long := "Twelve families ate well all winter, and the volunteers stayed on as regulars afterwards."
	if _, err := f.s.RecordOutcome(ctx, c, bob, 1, long, "r1"); err != nil {
		t.Fatal(err)
	}
	none := 0
	p, err := f.s.EditPledge(ctx, c, alice, 1, bot.PledgeEdit{Partner: &none}, "ed1")
	if err != nil || p.Outcome != nil {
		t.Fatalf("after partner:none: %+v %v", p.Outcome, err)
	}
	ps, err := f.s.Pledges(ctx, c, dave, bot.PledgeFilter{OutcomeFrom: now.Add(-time.Hour), OutcomeTo: now.Add(time.Hour)})
	if err != nil || len(ps) != 0 {
		t.Fatalf("outcomes of the window: %+v %v", ps, err)
	}
	_, ev, err := f.s.Pledge(ctx, c, alice, 1)
	kept := false
	for _, e := range ev {
		kept = kept || (e.Kind == bot.EventOutcome && e.Note == long)
	}
	if err != nil || !kept {
		t.Fatalf("history lost the outcome: %v", err)
	}
}
