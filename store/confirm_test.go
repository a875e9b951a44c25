package store_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/store"
)

// confirmFixture: alice owns business #1 with pledge #1 (to partner #1,
// bob's) and entries 4 and 6; carol is a member of the business.
func confirmFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	if err := f.s.SetMember(ctx, c, alice, 1, carol.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	f.partner(t, bob, "Food Bank")
	f.pledge(t, alice, bot.NewPledge{Text: "Hours", Theme: "volunteering", Target: 20, Visibility: bot.Public, Partner: 1})
	for _, v := range []float64{4, 6} {
		if _, err := f.s.LogProgress(ctx, c, alice, 1, v, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	f.sendAll(t) // bob's requests to confirm the two entries
	return f
}

// sendAll takes every waiting notice out of the outbox as a sender would,
// and returns them.
func (f *fixture) sendAll(t *testing.T) []store.OutboxEntry {
	t.Helper()
	es, err := f.s.OutboxNew(ctx, c, "t", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if err := f.s.OutboxDone(ctx, c, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	return es
}

func query(k int, note string) bot.CheckEntry {
	return bot.CheckEntry{Pledge: 1, Entry: k, Query: true, Note: note,
		Notice: bot.Reply{Title: "entry " + bot.EntryPlaceholder + " queried", Text: note}}
}

// Refusals leave every key as it was.
func TestCheckEntryRefusalsWriteNothing(t *testing.T) {
	f := confirmFixture(t)
	before := f.snapshot(t)
	for _, tc := range []struct {
		who  bot.Actor
		ce   bot.CheckEntry
		want bot.Code
	}{
		{alice, bot.CheckEntry{Pledge: 1}, bot.Forbidden},                   // the business's owner
		{carol, query(2, "x"), bot.Forbidden},                               // its member
		{dave, bot.CheckEntry{Pledge: 1}, bot.Forbidden},                    // anyone else
		{bot.Actor{ID: dave.ID, Admin: true}, query(1, "x"), bot.Forbidden}, // an admin
		{bob, bot.CheckEntry{Pledge: 1, Entry: 3}, bot.NotFound},
		{bob, bot.CheckEntry{Pledge: 2}, bot.NotFound},
	} {
		if _, _, err := f.s.CheckEntry(ctx, c, tc.who, tc.ce, "r-"+tc.who.ID.User); code(err) != tc.want {
			t.Errorf("%s %+v: %v, want %s", tc.who.ID.User, tc.ce, err, tc.want)
		}
	}
	sameSnapshot(t, before, f.snapshot(t))
	if _, _, err := f.s.CheckEntry(ctx, c, bob, bot.CheckEntry{Pledge: 1, Entry: 1}, "r1"); err != nil {
		t.Fatal(err)
	}
	before = f.snapshot(t)
	if _, _, err := f.s.CheckEntry(ctx, c, bob, bot.CheckEntry{Pledge: 1, Entry: 1}, "r2"); code(err) != bot.Conflict {
		t.Fatalf("double confirm: %v", err)
	}
	sameSnapshot(t, before, f.snapshot(t))
}

// Replicas handling one delivered query at once: one notice, one entry;
// every answer is the first's.
func TestQueryOnceAcrossReplicas(t *testing.T) {
	f := confirmFixture(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var k int
			_, k, errs[i] = f.s.CheckEntry(ctx, c, bob, query(0, "we saw 5"), "evt-1")
			if errs[i] == nil && k != 2 {
				t.Errorf("replica %d: entry %d, want the latest, 2", i, k)
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 1 {
		t.Fatalf("outbox holds %d, want one notice to alice", n)
	}
	es, err := f.s.OutboxNew(ctx, c, "t", 10)
	if err != nil || len(es) != 1 || es[0].Notice.To.User != "alice" || es[0].Notice.Reply.Title != "entry 2 queried" {
		t.Fatalf("notice %+v %v", es, err)
	}
	p, ev, _ := f.s.Pledge(ctx, c, bob, 1)
	queried := 0
	for _, e := range ev {
		if e.Kind == bot.EventQueried && e.Entry == 2 && e.Note == "we saw 5" {
			queried++
		}
	}
	if queried != 1 || p.Checks[2] != bot.CheckQueried {
		t.Fatalf("%d query entries, checks %v", queried, p.Checks)
	}
}

// A correction clears its own entry's check and no other; the pledge keeps
// its checks in one short field (4 bytes for two entries).
func TestCorrectionClearsItsEntrysCheck(t *testing.T) {
	f := confirmFixture(t)
	if _, _, err := f.s.CheckEntry(ctx, c, bob, bot.CheckEntry{Pledge: 1, Entry: 1}, "r1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.CheckEntry(ctx, c, bob, query(2, "no"), "r2"); err != nil {
		t.Fatal(err)
	}
	// (a pledge's fields by stored name, packed: lua/prelude.lua pledge_load)
	stored := func() map[string]string {
		h, err := store.ReadPackedPledge(ctx, f.rdb, f.prefix+":{"+c+"}:", 1)
		if err != nil || h == nil {
			t.Fatalf("pledge 1: %v %v", h, err)
		}
		return h
	}
	if cf := stored()["cf"]; cf != "1c2q" {
		t.Fatalf("cf %q, want 1c2q", cf)
	}
	if _, err := f.s.CorrectProgress(ctx, c, alice, 1, 2, 5, "", ""); err != nil {
		t.Fatal(err)
	}
	if cf := stored()["cf"]; cf != "1c" {
		t.Fatalf("after correcting entry 2: cf %q, want 1c", cf)
	}
	if _, err := f.s.CorrectProgress(ctx, c, alice, 1, 1, 3, "", ""); err != nil {
		t.Fatal(err)
	}
	if cf, n := stored()["cf"]; n {
		t.Fatalf("cf %q left after every check was cleared", cf)
	}
	if p, _, _ := f.s.Pledge(ctx, c, alice, 1); p.Progress != 8 || p.Checks != nil {
		t.Fatalf("pledge %v checks %v, want 3 + 5 = 8 and none", p.Progress, p.Checks)
	}
}

// Erasing a partner's member takes their name out of the histories their
// confirmations and queries wrote into.
func TestErasureForgetsWhoConfirmed(t *testing.T) {
	f := confirmFixture(t)
	if err := f.s.SetPartnerMember(ctx, c, bob, 1, dave.ID, bot.RolePartnerMember, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.CheckEntry(ctx, c, dave, query(1, "hm"), "r1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Erase(ctx, "operator", dave.ID); err != nil {
		t.Fatal(err)
	}
	_, ev, _ := f.s.Pledge(ctx, c, alice, 1)
	last := ev[len(ev)-1]
	if last.Kind != bot.EventQueried || last.By != "erased" {
		t.Fatalf("the query after dave's erasure: %+v", last)
	}
	if got := f.naming(t, dave.ID); len(got) != 0 {
		t.Fatalf("keys still naming dave: %v", got)
	}
}

// A query's notice to the owners waits in the outbox; deleting the
// business takes it out with the pledge it is about.
func TestDeletingABusinessDropsItsQueries(t *testing.T) {
	f := confirmFixture(t)
	f.business(t, alice, "Other") // alice stays in the community
	if _, _, err := f.s.CheckEntry(ctx, c, bob, query(0, "we saw 5"), "q-1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 1 {
		t.Fatalf("outbox holds %d, want the query's notice", n)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 0 {
		es, _ := f.s.OutboxNew(ctx, c, "t", 10)
		t.Fatalf("outbox still holds %d after the deletion: %+v", n, es)
	}
}

// linkVisit is a confirm link's visitor's word on entry k of pledge #1.
func linkVisit(k int, name string, q bool, partner int) bot.CheckEntry {
	ce := bot.CheckEntry{Pledge: 1, Entry: k, Visitor: name, Partner: partner}
	if q {
		ce = query(k, "not sure")
		ce.Visitor, ce.Partner = name, partner
	}
	return ce
}

// A confirm link's visitor, with no identity, confirms and queries as the
// partner's people do: the history and the audit name them, no person
// index does, a replay of one form applies once, and a link for the
// partner the pledge was made to before is refused.
func TestLinkVisitorChecksEntries(t *testing.T) {
	f := confirmFixture(t)
	nobody := bot.Actor{}
	for i := 0; i < 2; i++ { // the second is a replay: the first's answer
		if _, k, err := f.s.CheckEntry(ctx, c, nobody, linkVisit(1, "Jane Ó Sé", false, 1), "form-1"); err != nil || k != 1 {
			t.Fatalf("confirm %d: entry %d, %v", i, k, err)
		}
	}
	if _, _, err := f.s.CheckEntry(ctx, c, nobody, linkVisit(2, "Jane Ó Sé", true, 1), "form-2"); err != nil {
		t.Fatal(err)
	}
	p, ev, err := f.s.Pledge(ctx, c, alice, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Checks[1] != bot.CheckConfirmed || p.Checks[2] != bot.CheckQueried {
		t.Fatalf("checks %v", p.Checks)
	}
	var said []string
	for _, e := range ev {
		if e.Kind == bot.EventConfirmed || e.Kind == bot.EventQueried {
			said = append(said, e.Kind+" by "+e.By)
		}
	}
	want := []string{"confirmed by link visitor Jane Ó Sé via confirm link", "queried by link visitor Jane Ó Sé via confirm link"}
	if len(said) != 2 || said[0] != want[0] || said[1] != want[1] {
		t.Fatalf("history says %q, want %q", said, want)
	}
	audit, err := f.s.Audit(ctx, c, 1, 10)
	named := 0
	for _, e := range audit {
		if e.By == bot.LinkVisitor("Jane Ó Sé") && (e.Action == "pledge.query" || e.Action == "pledge.confirm") {
			named++
		}
	}
	if err != nil || named != 2 {
		t.Fatalf("audit names the visitor %d times, want 2: %+v %v", named, audit, err)
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 1 {
		t.Fatalf("outbox holds %d, want the query's notice to alice", n)
	}
	before := f.snapshot(t)
	for _, ce := range []bot.CheckEntry{linkVisit(1, "Eve", false, 2), linkVisit(1, "A|B", false, 1)} {
		if _, _, err := f.s.CheckEntry(ctx, c, nobody, ce, "form-3"); err == nil {
			t.Errorf("%+v: accepted", ce)
		}
	}
	sameSnapshot(t, before, f.snapshot(t))
}

// A link withdrawn by /pledge confirm-link N revoke is refused by the
// confirming script itself, so a form posted while the revoke lands cannot
// slip past the page's own check; a link of the new generation works.
func TestLinkVisitorRefusedAfterRevoke(t *testing.T) {
	f := confirmFixture(t)
	nobody := bot.Actor{}
	if _, err := f.s.RevokeConfirmLinks(ctx, c, alice, 1, "rv-1"); err != nil {
		t.Fatal(err)
	}
	before := f.snapshot(t)
	_, _, err := f.s.CheckEntry(ctx, c, nobody, linkVisit(1, "Jane", false, 1), "form-old")
	var se *bot.StoreError
	if !errors.As(err, &se) || se.Kind != "link_revoked" {
		t.Fatalf("a link of generation 0 after a revoke: %v, want link_revoked", err)
	}
	sameSnapshot(t, before, f.snapshot(t))
	fresh := linkVisit(1, "Jane", false, 1)
	fresh.LinkGen = 1
	if _, k, err := f.s.CheckEntry(ctx, c, nobody, fresh, "form-new"); err != nil || k != 1 {
		t.Fatalf("a link of generation 1: entry %d, %v", k, err)
	}
}

// A confirm link's visitor is no person: no index of people names them
// (note_writer keeps 'WHO wrote' for identities only), and deleting a
// business takes its pledges out of the writers' indexes 'wrote', so the
// people hash names nothing of it afterwards.
func TestDeletingABusinessLeavesNoWriterIndex(t *testing.T) {
	f := confirmFixture(t)
	f.business(t, alice, "Other") // alice stays in the community
	nobody := bot.Actor{}
	if _, _, err := f.s.CheckEntry(ctx, c, nobody, linkVisit(1, "Jane Ó Sé", false, 1), "form-1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.CheckEntry(ctx, c, bob, query(2, "hm"), "q-1"); err != nil {
		t.Fatal(err)
	}
	people := f.rdb.HGetAll(ctx, f.prefix+":{"+c+"}:people").Val()
	for k, v := range people {
		if strings.Contains(k, "Jane") {
			t.Errorf("people names the link visitor: %q => %q", k, v)
		}
	}
	if got := people[bob.ID.Key()+" wrote"]; got != "1" {
		t.Errorf("bob's index wrote holds %q; want 1", got)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	for k, v := range f.rdb.HGetAll(ctx, f.prefix+":{"+c+"}:people").Val() {
		if strings.HasSuffix(k, " wrote") {
			t.Errorf("after the deletion people holds %q => %q", k, v)
		}
	}
}
