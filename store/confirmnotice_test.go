package store_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// noticeFixture: alice owns business #1 "Acme & Sons"; partner #1 "Food
// Bank" is bob's, with dave and alice herself as its members; pledge #1
// (40 hours of volunteering) is made to it. The clock reads 5 Dec 2026.
func noticeFixture(t *testing.T) *fixture {
	f := newFixture(t)
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	f.s.SetClock(func() time.Time { return now })
	f.business(t, alice, "Acme & Sons")
	f.partner(t, bob, "Food Bank")
	for _, who := range []bot.Actor{dave, alice} {
		if err := f.s.SetPartnerMember(ctx, c, bob, 1, who.ID, bot.RolePartnerMember, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.pledge(t, alice, bot.NewPledge{Text: "Hours", Theme: "volunteering", Target: 40, Unit: "hours", Visibility: bot.Public, Partner: 1})
	return f
}

// waiting lists the outbox's notices as "key to: title | command, command".
func waiting(t *testing.T, f *fixture) []string {
	t.Helper()
	es, err := f.s.OutboxPending(ctx, c, "t", "0", 100)
	if err != nil {
		t.Fatal(err)
	}
	more, err := f.s.OutboxNew(ctx, c, "t", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range append(es, more...) {
		var cmds []string
		for _, a := range e.Notice.Reply.Actions {
			cmds = append(cmds, a.Label+"="+a.Command)
		}
		out = append(out, e.Key+" to "+e.Notice.To.User+": "+bot.RenderMentions(e.Notice.Reply.Title, func(s string) string { return s }, bot.PlainMention)+" | "+strings.Join(cmds, ", "))
	}
	sort.Strings(out)
	return out
}

func plainTitles(ss []string) string { return strings.Join(ss, "\n") }

// Progress on a pledge made to a partner asks each of its people but the
// one who logged, once, in the same step; a replay of the request asks
// nobody again.
func TestProgressAsksThePartnerOnce(t *testing.T) {
	f := noticeFixture(t)
	for i := 0; i < 3; i++ { // the first time and two replays
		if _, err := f.s.LogProgress(ctx, c, alice, 1, 8, "", "evt-1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 1, "", "evt-2"); err != nil {
		t.Fatal(err)
	}
	// (bot.PlainText renders alice's mention as @alice)
	want := []string{
		"confirm:1:1:console:local:bob to bob: Pledge #1 (Acme & Sons): @alice logged 8 hours on 5 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:1, Query=pledge query 1 entry:1",
		"confirm:1:1:console:local:dave to dave: Pledge #1 (Acme & Sons): @alice logged 8 hours on 5 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:1, Query=pledge query 1 entry:1",
		"confirm:1:2:console:local:bob to bob: Pledge #1 (Acme & Sons): @alice logged 1 hour on 5 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:2, Query=pledge query 1 entry:2",
		"confirm:1:2:console:local:dave to dave: Pledge #1 (Acme & Sons): @alice logged 1 hour on 5 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:2, Query=pledge query 1 entry:2",
	}
	if got := waiting(t, f); plainTitles(got) != plainTitles(want) {
		t.Fatalf("outbox:\n%s\nwant:\n%s", plainTitles(got), plainTitles(want))
	}
	// Someone who joins the partner afterwards is not asked about earlier entries.
	if err := f.s.SetPartnerMember(ctx, c, bob, 1, carol.ID, bot.RolePartnerMember, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 4 {
		t.Fatalf("outbox holds %d after carol joined, want the 4 above", n)
	}
}

// A pledge made to no partner asks nobody.
func TestProgressWithoutPartnerAsksNobody(t *testing.T) {
	f := noticeFixture(t)
	f.pledge(t, alice, bot.NewPledge{Text: "Other", Theme: "volunteering", Target: 4, Visibility: bot.Public})
	if _, err := f.s.LogProgress(ctx, c, alice, 2, 3, "", "e1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 0 {
		t.Fatalf("outbox holds %d", n)
	}
}

// Requests not sent yet go when what they ask about does: a struck entry,
// a person who left the partner, a pledge no longer made to it, a deleted
// business.
func TestStaleRequestsToConfirmGo(t *testing.T) {
	f := noticeFixture(t)
	for i, v := range []float64{8, 2} {
		if _, err := f.s.LogProgress(ctx, c, alice, 1, v, "", "e"+string(rune('1'+i))); err != nil {
			t.Fatal(err)
		}
	}
	keys := func() string {
		var out []string
		for _, w := range waiting(t, f) {
			k, _, _ := strings.Cut(w, " ")
			out = append(out, k)
		}
		return strings.Join(out, " ")
	}
	if _, err := f.s.CorrectProgress(ctx, c, alice, 1, 1, 0, "typo", "k1"); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "confirm:1:2:console:local:bob confirm:1:2:console:local:dave" {
		t.Fatalf("after striking entry 1: %s", got)
	}
	if err := f.s.RemovePartnerMember(ctx, c, bob, 1, dave.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "confirm:1:2:console:local:bob" {
		t.Fatalf("after dave left: %s", got)
	}
	none := 0
	if _, err := f.s.EditPledge(ctx, c, alice, 1, bot.PledgeEdit{Partner: &none}, "ed1"); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "" {
		t.Fatalf("after partner:none: %s", got)
	}
	// Deleting the business takes what waits about its pledges.
	one := 1
	if _, err := f.s.EditPledge(ctx, c, alice, 1, bot.PledgeEdit{Partner: &one}, "ed2"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 3, "", "e3"); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got == "" {
		t.Fatal("no request for entry 3")
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 0 {
		t.Fatalf("outbox holds %d after the deletion: %s", n, keys())
	}
}

// A business's reply about an entry is recorded once and tells the
// partner's people once, however often the request is replayed; the
// partner's people, admins and a pledge with no partner are refused.
func TestReplyOnceUnderReplay(t *testing.T) {
	f := noticeFixture(t)
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 8, "", "e1"); err != nil {
		t.Fatal(err)
	}
	f.sendAll(t)
	notice := bot.Reply{Title: "entry " + bot.EntryPlaceholder}
	for _, who := range []bot.Actor{bob, dave, {ID: carol.ID, Admin: true}} {
		if _, _, err := f.s.ReplyEntry(ctx, c, who, 1, 0, "x", notice, "r-"+who.ID.User); code(err) != bot.Forbidden {
			t.Errorf("%s: %v, want forbidden", who.ID.User, err)
		}
	}
	for range 3 {
		if _, k, err := f.s.ReplyEntry(ctx, c, alice, 1, 0, "it was Saturday", notice, "r1"); err != nil || k != 1 {
			t.Fatalf("reply: entry %d, %v", k, err)
		}
	}
	got := f.sendAll(t)
	if len(got) != 2 || got[0].Notice.Reply.Title != "entry 1" || got[0].Notice.To.User != "bob" || got[1].Notice.To.User != "dave" {
		t.Fatalf("notices %+v", got)
	}
	_, events, err := f.s.Pledge(ctx, c, alice, 1)
	if err != nil {
		t.Fatal(err)
	}
	replies := 0
	for _, e := range events {
		if e.Kind == bot.EventReplied && e.Entry == 1 && e.Note == "it was Saturday" {
			replies++
		}
	}
	if replies != 1 {
		t.Fatalf("%d replies in the history %+v", replies, events)
	}
	f.pledge(t, alice, bot.NewPledge{Text: "Other", Theme: "volunteering", Target: 4, Visibility: bot.Public})
	if _, err := f.s.LogProgress(ctx, c, alice, 2, 1, "", "e2"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.ReplyEntry(ctx, c, alice, 2, 0, "x", notice, "r2"); code(err) != bot.Invalid {
		t.Fatalf("no partner: %v", err)
	}
}

// A notice names the day progress was logged on in the community's zone:
// 11:30 UTC on 5 Dec 2026 is 00:30 on 6 Dec in Auckland (UTC+13 in
// December, daylight time), so its notice says 6 Dec, not UTC's 5 Dec.
func TestProgressNoticeNamesTheCommunitysDay(t *testing.T) {
	f := noticeFixture(t)
	auckland, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	f.s.SetZones(func(string) *time.Location { return auckland })
	f.s.SetClock(func() time.Time { return time.Date(2026, 12, 5, 11, 30, 0, 0, time.UTC) })
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 3, "", "e1"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"confirm:1:1:console:local:bob to bob: Pledge #1 (Acme & Sons): @alice logged 3 hours on 6 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:1, Query=pledge query 1 entry:1",
		"confirm:1:1:console:local:dave to dave: Pledge #1 (Acme & Sons): @alice logged 3 hours on 6 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:1, Query=pledge query 1 entry:1",
	}
	if got := waiting(t, f); plainTitles(got) != plainTitles(want) {
		t.Fatalf("outbox:\n%s\nwant:\n%s", plainTitles(got), plainTitles(want))
	}
}

// A correction (not a strike) asks the partner's people about the new
// amount: a request not sent yet is replaced, and one already sent, or
// an entry already confirmed, is followed by a new one; a replay of the
// correction asks nobody twice.
func TestCorrectionAsksAboutTheNewAmount(t *testing.T) {
	f := noticeFixture(t)
	for i, v := range []float64{8, 2} {
		if _, err := f.s.LogProgress(ctx, c, alice, 1, v, "", "e"+string(rune('1'+i))); err != nil {
			t.Fatal(err)
		}
	}
	// Entry 1, 8 hours, becomes 5 before anyone was told: progress 5 + 2 = 7.
	p, err := f.s.CorrectProgress(ctx, c, alice, 1, 1, 5, "", "k1")
	if err != nil || p.Progress != 7 {
		t.Fatalf("correct entry 1: progress %v, %v; want 7", p.Progress, err)
	}
	asked := func(k int, what string) string {
		return fmt.Sprintf("Pledge #1 (Acme & Sons): %s — confirm or query it | Confirm=pledge confirm 1 entry:%d, Query=pledge query 1 entry:%d", what, k, k)
	}
	want := []string{
		"confirm:1:1:console:local:bob to bob: " + asked(1, "entry 1 is now 5 hours, corrected by @alice on 5 Dec 2026"),
		"confirm:1:1:console:local:dave to dave: " + asked(1, "entry 1 is now 5 hours, corrected by @alice on 5 Dec 2026"),
		"confirm:1:2:console:local:bob to bob: " + asked(2, "@alice logged 2 hours on 5 Dec 2026"),
		"confirm:1:2:console:local:dave to dave: " + asked(2, "@alice logged 2 hours on 5 Dec 2026"),
	}
	if got := waiting(t, f); plainTitles(got) != plainTitles(want) {
		t.Fatalf("outbox:\n%s\nwant:\n%s", plainTitles(got), plainTitles(want))
	}
	// All four are sent; bob confirms entry 2.
	es, err := f.s.OutboxPending(ctx, c, "t", "0", 100)
	if err != nil || len(es) != 4 {
		t.Fatalf("%d pending, %v", len(es), err)
	}
	for _, e := range es {
		if err := f.s.OutboxDone(ctx, c, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := f.s.CheckEntry(ctx, c, bob, bot.CheckEntry{Pledge: 1, Entry: 2}, "c2"); err != nil {
		t.Fatal(err)
	}
	// Entry 2, 2 hours and confirmed, becomes 1 (three times, one request):
	// progress 5 + 1 = 6, and each is asked once about "1 hour".
	for range 3 {
		if p, err = f.s.CorrectProgress(ctx, c, alice, 1, 2, 1, "one hour, not two", "k2"); err != nil || p.Progress != 6 {
			t.Fatalf("correct entry 2: progress %v, %v; want 6", p.Progress, err)
		}
	}
	want = []string{
		"confirm:1:2:console:local:bob to bob: " + asked(2, "entry 2 is now 1 hour, corrected by @alice on 5 Dec 2026"),
		"confirm:1:2:console:local:dave to dave: " + asked(2, "entry 2 is now 1 hour, corrected by @alice on 5 Dec 2026"),
	}
	if got := waiting(t, f); plainTitles(got) != plainTitles(want) {
		t.Fatalf("outbox:\n%s\nwant:\n%s", plainTitles(got), plainTitles(want))
	}
	// and bob may confirm it again, as the correction made it await.
	if _, _, err := f.s.CheckEntry(ctx, c, bob, bot.CheckEntry{Pledge: 1, Entry: 2}, "c3"); err != nil {
		t.Fatalf("reconfirm: %v", err)
	}
}

// Erasing a person drops the partner's notices that name them (alice
// logged entry 1: bob's and dave's notices say so) as well as those to
// them (carol logged entry 2: alice, a member of the partner, is asked);
// carol's notices to bob and dave stay.
func TestErasureReachesPartnerNotices(t *testing.T) {
	f := noticeFixture(t)
	if err := f.s.SetMember(ctx, c, alice, 1, carol.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.LogProgress(ctx, c, alice, 1, 8, "", "e1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.LogProgress(ctx, c, carol, 1, 2, "", "e2"); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.OutboxLen(ctx, c); n != 5 {
		t.Fatalf("outbox holds %d, want 2 about entry 1 and 3 about entry 2", n)
	}
	if _, err := f.s.Erase(ctx, "operator:root", alice.ID); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"confirm:1:2:console:local:bob to bob: Pledge #1 (Acme & Sons): @carol logged 2 hours on 5 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:2, Query=pledge query 1 entry:2",
		"confirm:1:2:console:local:dave to dave: Pledge #1 (Acme & Sons): @carol logged 2 hours on 5 Dec 2026 — confirm or query it | Confirm=pledge confirm 1 entry:2, Query=pledge query 1 entry:2",
	}
	if got := waiting(t, f); plainTitles(got) != plainTitles(want) {
		t.Fatalf("outbox:\n%s\nwant:\n%s", plainTitles(got), plainTitles(want))
	}
	if left := f.naming(t, alice.ID); len(left) > 0 {
		t.Errorf("alice is still named after her erasure:\n%s", strings.Join(left, "\n"))
	}
}
