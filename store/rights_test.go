package store_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

func TestDeleteBusinessLeavesNothingBehind(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme Secret Bakery")
	f.business(t, bob, "Bikes")
	f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, "")
	f.pledge(t, alice, bot.NewPledge{Text: "Acme-only pledge text", Theme: "carbon", Target: 7})
	f.pledge(t, bob, bot.NewPledge{Text: "Bikes pledge", Theme: "carbon", Target: 3, Business: 2})
	f.s.LogProgress(ctx, c, alice, 1, 2, "Acme-only note", "")

	if err := f.s.DeleteBusiness(ctx, c, bob, 1, ""); bot.ErrorCode(err) != bot.Forbidden {
		t.Fatalf("member deleting: %v", err)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, "del-1"); err != nil {
		t.Fatal(err)
	}
	keys, _ := pledgetest.Keys(f.rdb, f.prefix)
	for _, k := range keys {
		if strings.Contains(k, ":business:1") || strings.Contains(k, ":pledge:1") || strings.HasSuffix(k, ":person:"+alice.ID.Key()) {
			t.Errorf("leftover key %s", k)
		}
		if v := f.dump(t, k); strings.Contains(v, "Acme") {
			t.Errorf("key %s still holds the deleted business's text", k)
		}
	}
	// (pledge 1 is packed in a bucket it shares with bob's: store.PledgeBucket)
	if h, err := store.ReadPackedPledge(ctx, f.rdb, f.prefix+":{"+c+"}:", 1); h != nil || err != nil {
		t.Errorf("pledge 1 left: %v (%v)", h, err)
	}
	entries, err := f.s.Audit(ctx, c, 1, 0)
	if err != nil || len(entries) != 1 || entries[0].Action != "business.delete" || entries[0].By != alice.ID.Key() {
		t.Fatalf("audit after delete: %+v %v", entries, err)
	}
	cur, err := f.allTime()
	if err != nil || len(cur.Themes) != 1 || cur.Themes["carbon"] == nil || cur.Themes["carbon"].Committed != 3 ||
		cur.Themes["carbon"].ToDate != 0 || cur.Themes["carbon"].Active != 1 || cur.Businesses != 1 {
		t.Fatalf("figures still count the deleted business: %+v %v", cur, err)
	}
	if bs, _ := f.s.BusinessesOf(ctx, c, bob.ID); len(bs) != 1 || bs[0].Number != 2 {
		t.Fatalf("bob's memberships: %+v", bs)
	}
	if _, err := f.s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme Secret Bakery"}, ""); err != nil {
		t.Fatalf("the name should be free again: %v", err)
	}
}

func TestExportBusiness(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.pledge(t, alice, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7})
	f.s.LogProgress(ctx, c, alice, 1, 2, "note", "")
	if _, err := f.s.ExportBusiness(ctx, c, bob, 1); bot.ErrorCode(err) != bot.Forbidden {
		t.Fatalf("stranger exporting: %v", err)
	}
	x, err := f.s.ExportBusiness(ctx, c, alice, 1)
	if err != nil {
		t.Fatal(err)
	}
	if x.Business.Name != "Acme" || len(x.Pledges) != 1 || len(x.Pledges[0].History) != 2 || len(x.Audit) != 3 {
		t.Fatalf("export: %+v", x)
	}
}

func TestErasePerson(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, "")
	f.pledge(t, bob, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7})
	f.s.LogProgress(ctx, c, bob, 1, 2, "by bob", "")
	f.rdb.SAdd(ctx, f.prefix+":{c1}:role:council", bob.ID.Key())
	communities, err := f.s.ErasePerson(ctx, "operator:root", bob.ID)
	if err != nil || len(communities) != 1 || communities[0] != c {
		t.Fatalf("erase: %v %v", communities, err)
	}
	keys, _ := pledgetest.Keys(f.rdb, f.prefix)
	for _, k := range keys {
		if strings.Contains(k, bob.ID.Key()) {
			t.Errorf("leftover key %s", k)
		}
		if v := f.dump(t, k); strings.Contains(v, bob.ID.Key()) {
			t.Errorf("key %s still names bob", k)
		}
	}
	p, events, err := f.s.Pledge(ctx, c, alice, 1)
	if err != nil || p.Progress != 2 || len(events) != 2 || events[1].By != "erased" {
		t.Fatalf("pledge after erasure: %+v %+v %v", p, events, err)
	}
}

func TestDeleteFreesNonASCIIName(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "ÉCOLE Café")
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RegisterBusiness(ctx, c, bob, bot.Business{Name: "école café"}, ""); err != nil {
		t.Fatalf("name still reserved after delete: %v", err)
	}
}

// Erasing ali must not touch alice: identities match whole, never as
// substrings.
func TestEraseMatchesWholeIdentities(t *testing.T) {
	f := newFixture(t)
	ali := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "ali"}}
	f.business(t, alice, "Acme")
	f.s.SetMember(ctx, c, alice, 1, ali.ID, bot.RoleMember, "")
	f.pledge(t, alice, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7})
	f.s.LogProgress(ctx, c, alice, 1, 1, "by alice", "")
	f.s.LogProgress(ctx, c, ali, 1, 1, "by ali", "")
	f.pledge(t, ali, bot.NewPledge{Text: "ali's own", Theme: "carbon", Target: 1, Business: 1})
	before, _ := f.s.Audit(ctx, c, 0, 0)
	if _, err := f.s.ErasePerson(ctx, "operator:root", ali.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := f.s.Audit(ctx, c, 0, 0)
	// ali's progress stays in the ledger (the figures need it), by
	// "erased"; the member change that named ali goes with the audit
	// stream's entries about ali, and the erasure records itself.
	var alices, erased int
	for _, e := range after {
		if e.By == alice.ID.Key() {
			alices++
		}
		if e.By == "erased" {
			erased++
		}
		if e.By == ali.ID.Key() || strings.Contains(e.Detail, ali.ID.Key()) {
			t.Errorf("ali's entry survived: %+v", e)
		}
	}
	if alices != 3 || erased != 2 || len(after) != len(before) {
		t.Fatalf("audit %d -> %d entries, alice's %d (want 3), erased %d (want ali's progress and pledge)", len(before), len(after), alices, erased)
	}
	_, events, _ := f.s.Pledge(ctx, c, alice, 1)
	if events[1].By != alice.ID.Key() || events[2].By != "erased" {
		t.Fatalf("history after erasure: %+v", events)
	}
	if _, events, _ := f.s.Pledge(ctx, c, alice, 2); len(events) == 0 || events[0].By != "erased" {
		t.Fatalf("ali's pledge after erasure: %+v", events)
	}
}

// The audit rewrite works in bounded steps and keeps every other entry,
// with its id, across many batches, also when a trim moves the entries
// between two of its steps.
func TestAuditScrubAcrossBatches(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bikes")
	key := f.prefix + ":{c1}:audit"
	// Older entries than the fixture's registrations, ids in order.
	first := f.rdb.LRange(ctx, key, 0, -1).Val()
	f.rdb.Del(ctx, key)
	pipe := f.rdb.Pipeline()
	ms := time.Now().Add(-time.Hour).UnixMilli()
	for i := 0; i < 2500; i++ {
		biz := "2"
		if i%5 == 0 {
			biz = "1"
		}
		pipe.RPush(ctx, key, strconv.FormatInt(ms+int64(i), 36)+"|pledge.progress|"+biz+"||x|secret of "+biz)
	}
	pipe.RPush(ctx, key, toAnys(first)...)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	before := f.rdb.LLen(ctx, key).Val()
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	after := f.rdb.LLen(ctx, key).Val()
	// 500 fixture entries and Acme's registration go; the delete record stays.
	if after != before-501+1 {
		t.Fatalf("audit %d -> %d entries", before, after)
	}
	if v := f.dump(t, key); strings.Contains(v, "secret of 1") {
		t.Fatal("deleted business's text is still in the list")
	}
	keys, _ := pledgetest.Keys(f.rdb, f.prefix)
	for _, k := range keys {
		if strings.Contains(k, "audit:scrub") {
			t.Fatalf("scratch key left behind: %s", k)
		}
	}
	// A trim of the oldest 1,500 between two steps of the rewrite: the
	// cursor finds its place again by id, and drops Bikes's entries after
	// it as well as before.
	scrub := store.AuditScrubStep(f.s)
	next, _, err := scrub(ctx, c, "-", "business", "2")
	if err != nil || next == "" {
		t.Fatalf("first step: %q %v", next, err)
	}
	if err := f.s.TrimAudit(ctx, c, time.UnixMilli(ms+1500)); err != nil {
		t.Fatal(err)
	}
	for next != "" {
		if next, _, err = scrub(ctx, c, next, "business", "2"); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range f.rdb.LRange(ctx, key, 0, -1).Val() {
		if strings.Contains(e, "secret of 2") {
			t.Fatalf("entry of Bikes kept: %s", e)
		}
	}
}

func toAnys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Someone who only holds a community role, or has left their business, is
// still found and erased.
func TestEraseFindsRoleOnlyPeople(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.s.AddCommunity(ctx, c)
	f.rdb.SAdd(ctx, f.prefix+":{c1}:role:council", bob.ID.Key())
	communities, err := f.s.ErasePerson(ctx, "operator:root", bob.ID)
	if err != nil || len(communities) != 1 {
		t.Fatalf("erase: %v %v", communities, err)
	}
	if roles, _ := f.s.Roles(ctx, c, bob.ID); len(roles) != 0 {
		t.Fatalf("bob still holds %v", roles)
	}
	if got, _ := f.s.ErasePerson(ctx, "operator:root", bot.Identity{Platform: bot.Console, Workspace: "local", User: "nobody"}); len(got) != 0 {
		t.Fatalf("erasing nobody reported %v", got)
	}
}

// TestDeleteTakesBusinessOutOfFigures: a pledge edited from one theme to
// another made its business take part under both themes; deleting the
// business takes its pledges out of the sums, its entries out of the
// ledger and its bits out of every month, and leaves the other business's.
func TestDeleteTakesBusinessOutOfFigures(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.business(t, bob, "Bikes")
	f.pledge(t, alice, bot.NewPledge{Text: "Less waste", Theme: "waste", Target: 7})
	f.pledge(t, bob, bot.NewPledge{Text: "Less waste too", Theme: "waste", Target: 3, Business: 2})
	for _, theme := range []string{"carbon", "volunteering", "carbon"} {
		if _, err := f.s.EditPledge(ctx, c, alice, 1, bot.PledgeEdit{Theme: &theme}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	keys, _ := pledgetest.Keys(f.rdb, f.prefix)
	var ledger, sums int
	for _, k := range keys {
		_, rest, _ := strings.Cut(k, "}:")
		switch {
		case strings.HasPrefix(rest, "ledger:"):
			for _, e := range f.rdb.LRange(ctx, k, 0, -1).Val() {
				if e == "" {
					continue // emptied in place, so pointers keep their places
				}
				ledger++
				if strings.Split(e, "|")[3] == "1" {
					t.Errorf("%s still holds %q of the deleted business", k, e)
				}
			}
		case strings.HasPrefix(rest, "sums:"):
			h := f.rdb.HGetAll(ctx, k).Val()
			sums += len(h)
			// (the theme by its slot: lua/figures.lua, sums_read), and the
			// month's businesses: bitmaps '~' and '~SLOT', where business
			// 2 is bit 2 of the first byte (mark_bits), 0x20; business 1's
			// bits are clear, so the fields of the themes only it wrote
			// about go.
			slot := f.rdb.HGet(ctx, f.prefix+":{c1}:theme-slots", "waste").Val()
			want := map[string]string{"m:#" + slot: "1", "c:#" + slot: "3", "~": "\x20", "~" + slot: "\x20"}
			for field, v := range h {
				if want[field] != v {
					t.Errorf("%s %s = %q after the deletion, want only %q", k, field, v, want)
				}
			}
		}
	}
	if ledger != 1 || sums != 4 {
		t.Errorf("%d ledger entries and %d sums fields left, want the other business's 1 and 4", ledger, sums)
	}
}
