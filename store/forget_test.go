package store_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/store"
)

var (
	carol = bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "carol"}}
	dave  = bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "dave"}}
)

// naming scans the test's own key prefix and returns "key => contents" for
// every key whose name or contents hold the person's identity string or
// their bare user id.
func (f *fixture) naming(t *testing.T, who bot.Identity) []string {
	t.Helper()
	keys, err := pledgetest.Keys(f.rdb, f.prefix)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		v := contents(t, f, k)
		if strings.Contains(k, who.Key()) || strings.Contains(k, who.User) ||
			strings.Contains(v, who.Key()) || strings.Contains(v, who.User) {
			out = append(out, k+" => "+v)
		}
	}
	return out
}

// communitiesOf is what people's indexes (the buckets communities-of:BB)
// say the person appears in, sorted.
func (f *fixture) communitiesOf(t *testing.T, who bot.Identity) []string {
	t.Helper()
	keys, err := pledgetest.Keys(f.rdb, f.prefix)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range keys {
		if !strings.HasPrefix(k, f.prefix+":communities-of:") {
			continue
		}
		for _, e := range f.rdb.HKeys(ctx, k).Val() {
			if c, ok := strings.CutPrefix(e, who.Key()+" "); ok {
				if c == "=" { // the community named after their workspace
					c = string(who.Platform) + "-" + who.Workspace
				}
				out = append(out, c)
			}
		}
	}
	sort.Strings(out)
	return out
}

// notice enqueues a notice addressed to a person under a job's key.
func (f *fixture) notice(t *testing.T, key string, to bot.Identity) {
	t.Helper()
	n := bot.Notice{ID: key, Community: c, To: bot.Recipient{Platform: to.Platform, Workspace: to.Workspace, User: to.User},
		Reply: bot.Reply{Text: "a notice"}}
	if _, err := f.s.Enqueue(ctx, c, "", 0, time.Hour, []store.Outgoing{{Key: key, Notice: n}}); err != nil {
		t.Fatal(err)
	}
}

// After a business is deleted, nothing in the community names a person
// whose only tie to it was that business: not their request records,
// nudge settings, notices waiting for them or their job markers, nor audit
// entries. People with another business or a community role keep what
// those need; the deleter stays named by the deletion's own audit entry
// and request record.
func TestDeleteBusinessForgetsItsPeople(t *testing.T) {
	f := newFixture(t)
	if _, err := f.s.RegisterBusiness(ctx, c, alice, bot.Business{Name: "Acme"}, "r-reg"); err != nil {
		t.Fatal(err)
	}
	f.business(t, carol, "Other")
	for _, who := range []bot.Identity{bob.ID, carol.ID, dave.ID} {
		if err := f.s.SetMember(ctx, c, alice, 1, who, bot.RoleMember, "r-add-"+who.User); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.GrantRole(ctx, c, dave.ID, bot.RoleCoordinator); err != nil {
		t.Fatal(err)
	}
	p, err := f.s.AddPledge(ctx, c, bob, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7}, "r-pledge")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.LogProgress(ctx, c, bob, p.Number, 2, "", "r-progress"); err != nil {
		t.Fatal(err)
	}
	for _, who := range []bot.Identity{alice.ID, bob.ID, carol.ID, dave.ID} {
		if err := f.s.SetNudges(ctx, c, who, true, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	// What the lapse job leaves: a notice waiting for bob and its marker
	// (once:lapsed:N:CLOSED:IDENTITY), and a notice of another kind.
	f.notice(t, fmt.Sprintf("lapsed:%d:1700000000:%s", p.Number, bob.ID.Key()), bob.ID)
	f.notice(t, "note:1", bob.ID)
	f.notice(t, fmt.Sprintf("lapsed:%d:1700000000:%s", p.Number, carol.ID.Key()), carol.ID)
	if len(f.naming(t, bob.ID)) == 0 {
		t.Fatal("bob was never written")
	}

	if err := f.s.DeleteBusiness(ctx, c, alice, 1, "r-delete"); err != nil {
		t.Fatal(err)
	}
	if left := f.naming(t, bob.ID); len(left) > 0 {
		t.Errorf("bob, a member of the deleted business only, is still named:\n%s", strings.Join(left, "\n"))
	}
	// alice's only tie was the business: what names her is the deletion,
	// and her own index of communities, which says where it is.
	for _, l := range f.naming(t, alice.ID) {
		if !strings.Contains(l, "business.delete") && !strings.HasPrefix(l, f.idemKey(alice.ID, f.serverDay(t))) &&
			!(strings.HasPrefix(l, f.prefix+":communities-of:") && slices.Equal(f.communitiesOf(t, alice.ID), []string{c})) {
			t.Errorf("alice is still named: %s", l)
		}
	}
	if rec := f.rdb.HGetAll(ctx, f.idemKey(alice.ID, f.serverDay(t))).Val(); len(rec) != 1 {
		t.Errorf("alice's request records after the deletion: %v, want the deletion's only", rec)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, "r-delete"); err != nil {
		t.Errorf("a replayed deletion: %v", err)
	}
	// carol keeps her business and settings; dave his role and settings.
	if bs, _ := f.s.BusinessesOf(ctx, c, carol.ID); len(bs) != 1 || bs[0].Number != 2 {
		t.Errorf("carol's businesses: %+v", bs)
	}
	prefs := f.rdb.HGetAll(ctx, f.prefix+":{c1}:nudge-prefs").Val()
	if prefs[carol.ID.Key()] != "off" || prefs[dave.ID.Key()] != "off" || len(prefs) != 2 {
		t.Errorf("nudge settings after the deletion: %v", prefs)
	}
	// Nor does a lapse notice about its pledge wait for carol.
	for _, l := range f.naming(t, carol.ID) {
		if strings.Contains(l, fmt.Sprintf("lapsed:%d:", p.Number)) {
			t.Errorf("a lapse notice about the deleted pledge stays: %s", l)
		}
	}
	if grants, _ := f.s.RoleGrants(ctx, c); len(grants[bot.RoleCoordinator]) != 1 {
		t.Errorf("dave's role went: %v", grants)
	}
}

// After an erasure nothing in the community names the person, by identity
// or bare user id: not the history of a business they have left, nor the
// lapse job's marker of a notice to them.
func TestEraseLeavesNothingNamingThePerson(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	if err := f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, "r-add"); err != nil {
		t.Fatal(err)
	}
	p, err := f.s.AddPledge(ctx, c, bob, bot.NewPledge{Text: "x", Theme: "carbon", Target: 7}, "r-pledge")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.LogProgress(ctx, c, bob, p.Number, 2, "", "r-progress"); err != nil {
		t.Fatal(err)
	}
	f.notice(t, fmt.Sprintf("lapsed:%d:1700000000:%s", p.Number, bob.ID.Key()), bob.ID)
	// bob leaves: his pledge and progress stay in the business's history.
	if err := f.s.RemoveMember(ctx, c, bob, 1, bob.ID, "r-leave"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ErasePerson(ctx, "operator:root", bob.ID); err != nil {
		t.Fatal(err)
	}
	if left := f.naming(t, bob.ID); len(left) > 0 {
		t.Errorf("bob is still named after his erasure:\n%s", strings.Join(left, "\n"))
	}
	// A member who left before the business was deleted is forgotten too.
	if err := f.s.SetMember(ctx, c, alice, 1, carol.ID, bot.RoleMember, "r-add-carol"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetNudges(ctx, c, carol.ID, true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveMember(ctx, c, carol, 1, carol.ID, "r-leave-carol"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if left := f.naming(t, carol.ID); len(left) > 0 {
		t.Errorf("carol, who had left the deleted business, is still named:\n%s", strings.Join(left, "\n"))
	}
}

// Erasing a business's only owner hands it to its longest-standing
// member, or, with nobody left, marks it for an admin; both are recorded
// in the audit trail and returned for the command to say.
func TestEraseOnlyOwnerHandsOver(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")  // #1: carol and dave members
	f.business(t, alice, "Solo")  // #2: alice alone
	f.business(t, carol, "Other") // #3: alice a member, carol the owner
	if err := f.s.SetMember(ctx, c, alice, 1, carol.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMember(ctx, c, alice, 1, dave.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMember(ctx, c, carol, 3, alice.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	// dave joined first (as if a day earlier), though carol sorts first.
	// (When they joined is field '^' + their number of business:1, lua/prelude.lua
	// folded_call; the number is first in their field of people, "=N,...".)
	number := func(who bot.Identity) string {
		v := f.rdb.HGet(ctx, f.prefix+":{c1}:people", who.Key()).Val()
		n, _, _ := strings.Cut(strings.TrimPrefix(v, "="), ",")
		return n
	}
	f.rdb.HSet(ctx, f.prefix+":{c1}:business:1", "^"+number(dave.ID), 100, "^"+number(carol.ID), 200)
	e, err := f.s.Erase(ctx, "operator:root", alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.OwnerChange{{Community: c, Business: 1, NewOwner: dave.ID}, {Community: c, Business: 2}}
	sort.Slice(e.Owners, func(i, j int) bool { return e.Owners[i].Business < e.Owners[j].Business })
	if fmt.Sprint(e.Owners) != fmt.Sprint(want) {
		t.Fatalf("owner changes: %+v, want %+v", e.Owners, want)
	}
	b1, _ := f.s.Business(ctx, c, 1)
	if !isOwnerOf(b1, dave.ID) || isOwnerOf(b1, carol.ID) || b1.NeedsOwner {
		t.Errorf("business #1 after the erasure: %+v", b1)
	}
	b2, _ := f.s.Business(ctx, c, 2)
	if len(b2.Members) != 0 || !b2.NeedsOwner {
		t.Errorf("business #2 after the erasure: %+v", b2)
	}
	if b3, _ := f.s.Business(ctx, c, 3); !isOwnerOf(b3, carol.ID) || len(b3.Members) != 1 {
		t.Errorf("business #3 (carol still owns it) changed: %+v", b3)
	}
	actions := map[string]int{}
	entries, _ := f.s.Audit(ctx, c, 0, 0)
	for _, a := range entries {
		actions[fmt.Sprintf("%s #%d", a.Action, a.Business)]++
	}
	if actions["business.owner-handover #1"] != 1 || actions["business.needs-owner #2"] != 1 {
		t.Errorf("audit after the erasure: %v", actions)
	}
	// An admin adds an owner: the mark goes.
	if err := f.s.SetMember(ctx, c, admin, 2, carol.ID, bot.RoleOwner, ""); err != nil {
		t.Fatal(err)
	}
	if b2, _ := f.s.Business(ctx, c, 2); b2.NeedsOwner {
		t.Errorf("business #2 still needs an owner: %+v", b2)
	}
}

func isOwnerOf(b bot.Business, who bot.Identity) bool {
	for _, m := range b.Members {
		if m.Who == who && m.Role == bot.RoleOwner {
			return true
		}
	}
	return false
}
