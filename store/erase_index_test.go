package store_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
	"github.com/pledgebot/pledgebot/pledgetest/testredis"
	"github.com/pledgebot/pledgebot/store"
	"github.com/redis/go-redis/v9"
)

// A person found only through their own index: in c1 they hold a role and
// nothing else, in c2 they have left every business they were in, in c3
// (as a configured admin) they only wrote audit entries and request
// records; c4 never saw them. None of these has a person:ID key. The
// migration has run before any of it was written, so the writes alone kept
// the index.
func TestEraseFindsPeopleWithoutPersonKeys(t *testing.T) {
	f := newFixture(t)
	if _, err := f.s.MigratePeople(ctx); err != nil {
		t.Fatal(err)
	}
	zed := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T9", User: "U0ZED"}, Admin: true}
	reg := func(c string, a bot.Actor, name string) {
		t.Helper()
		if _, err := f.s.RegisterBusiness(ctx, c, a, bot.Business{Name: name}, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"c1", "c2", "c3", "c4"} {
		reg(c, alice, "Acme "+c)
	}
	if _, err := f.s.GrantRole(ctx, "c1", zed.ID, bot.RoleCouncil); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMember(ctx, "c2", alice, 1, zed.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddPledge(ctx, "c2", zed, bot.NewPledge{Business: 1, Text: "Plant trees", Theme: "carbon", Target: 2}, "r-zed"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemoveMember(ctx, "c2", zed, 1, zed.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetMember(ctx, "c3", zed, 1, bob.ID, bot.RoleMember, "r-admin"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"c1", "c2", "c3"} {
		if n := f.rdb.Exists(ctx, f.prefix+":{"+c+"}:person:"+zed.ID.Key()).Val(); n != 0 {
			t.Fatalf("zed has a person key in %s: the case is not the one meant", c)
		}
	}
	if len(f.naming(t, zed.ID)) == 0 {
		t.Fatal("zed was never written")
	}

	e, err := f.s.Erase(ctx, "operator:root", zed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.Communities, " "); got != "c1 c2 c3" {
		t.Errorf("erased from %q, want c1 c2 c3", got)
	}
	if left := f.naming(t, zed.ID); len(left) > 0 {
		t.Errorf("zed is still named:\n%s", strings.Join(left, "\n"))
	}
	if h, _ := store.ReadPackedPledge(ctx, f.rdb, f.prefix+":{c2}:", 1); h["w"] != "erased" { // created_by, stored short (pledge_short)
		by := h["w"]
		t.Errorf("zed's pledge is by %q after the erasure", by)
	}
	if bs, _ := f.s.BusinessesOf(ctx, "c3", bob.ID); len(bs) != 1 {
		t.Errorf("the membership zed gave bob went too: %+v", bs)
	}
}

// scanCalls reads how many SCAN commands a Redis has served.
func scanCalls(t *testing.T, rdb redis.UniversalClient) int64 {
	t.Helper()
	info, err := rdb.Info(ctx, "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`cmdstat_scan:calls=(\d+)`).FindStringSubmatch(info)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// Deleting a business and erasing a person issue no SCAN, on a Redis of
// the test's own where nothing else runs one: they find what they remove
// through the indexes kept as it was written (a person's own index is an
// HSCAN of one bucket, not a SCAN). (The SCANs are the migrations', at
// upgrade; they show that the count sees one.)
func TestDeleteAndEraseScanNothing(t *testing.T) {
	pledgetest.SkipOnEmbedded(t, "counts SCAN in INFO commandstats of a redis-server of its own")
	srv := testredis.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr(), DisableIdentity: true})
	t.Cleanup(func() { rdb.Close() })
	s := store.New(rdb, "pb")
	t.Cleanup(func() { s.Close() })
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: s, rdb: rdb, prefix: "pb"}
	for i := 1; i <= 20; i++ { // the unrelated communities
		c := fmt.Sprintf("other%d", i)
		owner := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T" + strconv.Itoa(i), User: "U1"}}
		if _, err := s.RegisterBusiness(ctx, c, owner, bot.Business{Name: "Other"}, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPledge(ctx, c, owner, bot.NewPledge{Text: "x", Theme: "carbon", Target: 1}, "r"); err != nil {
			t.Fatal(err)
		}
	}
	f.business(t, alice, "Acme")
	f.business(t, carol, "Crafts")
	if err := s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	n := f.pledge(t, bob, bot.NewPledge{Text: "Hire two"}).Number
	kept := f.pledge(t, carol, bot.NewPledge{Text: "Plant trees", Business: 2}).Number
	f.enqueue(t, alice.ID, fmt.Sprintf("nudge:%d:stale:1790000000", n), fmt.Sprintf("lapsed:%d:1790000000:%s", n, alice.ID.Key()))
	f.enqueue(t, carol.ID, fmt.Sprintf("lapsed:%d:1790000000:%s", kept, carol.ID.Key()))
	if _, err := s.GrantRole(ctx, c, dave.ID, bot.RoleCoordinator); err != nil {
		t.Fatal(err)
	}

	before := scanCalls(t, rdb)
	if _, err := s.MigratePeople(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MigrateCommunityBuckets(ctx); err != nil {
		t.Fatal(err)
	}
	if scanCalls(t, rdb) == before {
		t.Fatal("the migration's SCAN was not counted: the count proves nothing")
	}
	before = scanCalls(t, rdb)
	if err := s.DeleteBusiness(ctx, c, alice, 1, "r-del"); err != nil {
		t.Fatal(err)
	}
	for _, who := range []bot.Identity{carol.ID, dave.ID} {
		if e, err := s.Erase(ctx, "operator:root", who); err != nil || len(e.Communities) != 1 {
			t.Fatalf("erasing %s: %+v %v", who.User, e, err)
		}
	}
	if got := scanCalls(t, rdb) - before; got != 0 {
		t.Errorf("deleting a business and erasing two people issued %d SCANs", got)
	}
	// And they did their work.
	if left := f.naming(t, bob.ID); len(left) > 0 {
		t.Errorf("bob is still named:\n%s", strings.Join(left, "\n"))
	}
	for _, who := range []bot.Identity{carol.ID, dave.ID} {
		if left := f.naming(t, who); len(left) > 0 {
			t.Errorf("%s is still named:\n%s", who.User, strings.Join(left, "\n"))
		}
	}
	if n := rdb.Exists(ctx, fmt.Sprintf("pb:{c1}:pledge:%d:once", n)).Val(); n != 0 {
		t.Error("the deleted pledge's notice decisions are left")
	}
}

// Deleting a business forgets the people whose only tie it was, but not
// one who made pledges in a business they left: those pledges store their
// number, and dropping it would show them as erased (review of 6 Dec).
func TestDeleteBusinessKeepsTheNumberOfAPastMember(t *testing.T) {
	f := newFixture(t)
	f.business(t, carol, "Other") // 1
	if err := f.s.SetMember(ctx, c, carol, 1, bob.ID, bot.RoleMember, "r1"); err != nil {
		t.Fatal(err)
	}
	p := f.pledge(t, bob, bot.NewPledge{Text: "x", Target: 7})
	if err := f.s.RemoveMember(ctx, c, carol, 1, bob.ID, "r2"); err != nil {
		t.Fatal(err)
	}
	f.business(t, alice, "Acme") // 2
	if err := f.s.SetMember(ctx, c, alice, 2, bob.ID, bot.RoleMember, "r3"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 2, "r4"); err != nil {
		t.Fatal(err)
	}
	got, _, err := f.s.Pledge(ctx, c, carol, p.Number)
	if err != nil {
		t.Fatal(err)
	}
	if got.CreatedBy != bob.ID {
		t.Errorf("pledge %d in business 1, made by bob, reads as made by %+v after business 2 was deleted", p.Number, got.CreatedBy)
	}
}

// A request by someone the community has no record of (an admin set in
// configuration) files its record under their identity, for its 48 hours,
// and gives them no number: erasure finds nothing of theirs left behind.
func TestAdminRequestGivesNoNumberThatErasureWouldMiss(t *testing.T) {
	f := newFixture(t)
	// (as a community whose migrations have run: Erase does not run them again)
	f.rdb.HSet(ctx, f.prefix+":migrations", "people", "people-2026-12", "communities-buckets", "x")
	f.business(t, alice, "Acme")
	admin := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "other", User: "zed"}, Admin: true}
	if _, err := f.s.EditBusiness(ctx, c, admin, 1, bot.BusinessEdit{}, "r-edit"); err != nil {
		t.Fatal(err)
	}
	// The retry still answers from the record.
	if _, err := f.s.EditBusiness(ctx, c, admin, 1, bot.BusinessEdit{}, "r-edit"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Erase(ctx, "op", admin.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.naming(t, admin.ID); len(got) != 0 {
		t.Errorf("after erasure, keys still naming the admin: %v", got)
	}
}
