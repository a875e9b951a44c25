package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

// enqueue offers notices under their keys and returns how many went into
// the outbox.
func (f *fixture) enqueue(t *testing.T, to bot.Identity, keys ...string) int {
	t.Helper()
	var out []store.Outgoing
	for _, k := range keys {
		out = append(out, store.Outgoing{Key: k, Notice: bot.Notice{ID: k, Community: c,
			To: bot.Recipient{Platform: to.Platform, Workspace: to.Workspace, User: to.User}, Reply: bot.Reply{Text: k}}})
	}
	n, err := f.s.Enqueue(ctx, c, "", 0, time.Hour, out)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A nudge or lapse notice about a pledge is decided once, in the pledge's
// own hash; deleting the business drops its pledges' decisions with them
// (no SCAN finds them afterwards), keeps the other business's, and a
// notice about a pledge that is gone is not sent at all.
func TestDeleteBusinessDropsItsNoticeDecisions(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bikes")
	gone := f.pledge(t, alice, bot.NewPledge{Text: "x"}).Number
	kept := f.pledge(t, bob, bot.NewPledge{Text: "y", Business: 2}).Number
	keys := func(n int, who bot.Identity) []string {
		return []string{fmt.Sprintf("nudge:%d:stale:1790000000", n), fmt.Sprintf("nudge:%d:overdue:2026-W48", n),
			fmt.Sprintf("lapsed:%d:1790000000:%s", n, who.Key())}
	}
	if got := f.enqueue(t, alice.ID, keys(gone, alice.ID)...); got != 3 {
		t.Fatalf("enqueued %d of business #1's notices, want 3", got)
	}
	if got := f.enqueue(t, bob.ID, keys(kept, bob.ID)...); got != 3 {
		t.Fatalf("enqueued %d of business #2's notices, want 3", got)
	}
	if got := f.enqueue(t, alice.ID, keys(gone, alice.ID)...); got != 0 {
		t.Fatalf("decided notices went out again: %d", got)
	}
	base := f.prefix + ":{c1}:"
	if h := f.rdb.HGetAll(ctx, fmt.Sprintf("%spledge:%d:once", base, gone)).Val(); len(h) != 3 {
		t.Fatalf("pledge #%d's decisions: %v", gone, h)
	}
	if ttl := f.rdb.TTL(ctx, fmt.Sprintf("%spledge:%d:once", base, gone)).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("decisions expire in %v, want within the notice ttl", ttl)
	}
	// A decision written by a release before this one: a string per notice.
	legacy := fmt.Sprintf("%sonce:nudge:%d:soon:2026-12-01", base, kept)
	f.rdb.Set(ctx, legacy, "1", time.Hour)
	if got := f.enqueue(t, bob.ID, fmt.Sprintf("nudge:%d:soon:2026-12-01", kept)); got != 0 {
		t.Errorf("a notice decided by the release before went out again")
	}

	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	keysLeft, _ := pledgetest.Keys(f.rdb, f.prefix)
	for _, k := range keysLeft {
		if strings.Contains(k, fmt.Sprintf(":pledge:%d:", gone)) || strings.Contains(k, fmt.Sprintf(":once:nudge:%d:", gone)) ||
			strings.Contains(k, fmt.Sprintf(":once:lapsed:%d:", gone)) {
			t.Errorf("a decision about the deleted pledge is left: %s", k)
		}
	}
	if h := f.rdb.HGetAll(ctx, fmt.Sprintf("%spledge:%d:once", base, kept)).Val(); len(h) != 3 {
		t.Errorf("the other business's decisions: %v", h)
	}
	before, _ := f.s.OutboxLen(ctx, c)
	if got := f.enqueue(t, alice.ID, fmt.Sprintf("nudge:%d:soon:2026-12-01", gone)); got != 0 {
		t.Errorf("a nudge about a deleted pledge was enqueued")
	}
	if after, _ := f.s.OutboxLen(ctx, c); after != before {
		t.Errorf("outbox %d -> %d", before, after)
	}
	if n := f.rdb.Exists(ctx, fmt.Sprintf("%spledge:%d:once", base, gone)).Val(); n != 0 {
		t.Errorf("refusing the notice decided it anyway")
	}
}

// Erasing a person drops the lapse notices to them that their businesses'
// pledges decided (the decision names them), and nobody else's.
func TestEraseDropsTheirLapseDecisions(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	if err := f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleOwner, ""); err != nil {
		t.Fatal(err)
	}
	n := f.pledge(t, alice, bot.NewPledge{Text: "x"}).Number
	f.enqueue(t, bob.ID, fmt.Sprintf("lapsed:%d:1790000000:%s", n, bob.ID.Key()))
	f.enqueue(t, alice.ID, fmt.Sprintf("lapsed:%d:1790000000:%s", n, alice.ID.Key()), fmt.Sprintf("nudge:%d:stale:1", n))
	if _, err := f.s.Erase(ctx, "operator:root", bob.ID); err != nil {
		t.Fatal(err)
	}
	h := f.rdb.HGetAll(ctx, fmt.Sprintf("%s:{c1}:pledge:%d:once", f.prefix, n)).Val()
	if _, ok := h["lapsed:1790000000:"+alice.ID.Key()]; !ok || len(h) != 2 {
		t.Errorf("decisions after erasing bob: %v, want alice's lapse notice and the nudge", h)
	}
	if left := f.naming(t, bob.ID); len(left) > 0 {
		t.Errorf("bob is still named:\n%s", strings.Join(left, "\n"))
	}
}
