package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// People's indexes as the release before communities-buckets-2026-12
// (8a0da89) wrote them, a hash PREFIX:communities-of:IDENTITY each, move
// into the buckets once: every entry found again, the old keys gone, a
// second run does nothing, and an erasure afterwards visits the person's
// communities and leaves the others' entries alone.
func TestMigrateCommunityBucketsMovesEarlierIndexes(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	id := func(u string) bot.Actor {
		return bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: u}}
	}
	alice, bob := id("alice"), id("bob")
	if _, err := s.RegisterBusiness(ctx, "c1", alice, bot.Business{Name: "Acme"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterBusiness(ctx, "c2", bob, bot.Business{Name: "Bakery"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMember(ctx, "c1", alice, 1, bob.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	// What the previous release held instead of the buckets.
	for _, k := range []string{alice.ID.Key(), bob.ID.Key()} {
		rdb.Del(ctx, s.communitiesOfKey(k))
	}
	old := func(who string) string { return prefix + ":communities-of:" + who }
	rdb.HSet(ctx, old(alice.ID.Key()), "c1", "")
	rdb.HSet(ctx, old(bob.ID.Key()), "c1", "", "c2", "")

	n, err := s.MigrateCommunityBuckets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("moved %d entries, want 3 (alice c1, bob c1 and c2)", n)
	}
	for who, want := range map[string][]string{alice.ID.Key(): {"c1"}, bob.ID.Key(): {"c1", "c2"}} {
		got, err := s.communitiesOf(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s appears in %v, want %v", who, got, want)
		}
		if rdb.Exists(ctx, old(who)).Val() != 0 {
			t.Errorf("%s's own index key is still there", who)
		}
	}
	if v := rdb.HGet(ctx, s.migrationsKey(), "communities-buckets").Val(); v != communityBucketsRelease {
		t.Errorf("migrations holds %q", v)
	}
	// A second run, from another process too, does nothing.
	again := New(rdb, prefix)
	t.Cleanup(again.people.close)
	if n, err := again.MigrateCommunityBuckets(ctx); err != nil || n != 0 {
		t.Errorf("second run moved %d (%v), want 0", n, err)
	}

	out, err := s.Erase(ctx, "operator:test", bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Communities, []string{"c1", "c2"}) {
		t.Errorf("the erasure visited %v, want [c1 c2]", out.Communities)
	}
	if got, _ := s.communitiesOf(ctx, bob.ID.Key()); len(got) != 0 {
		t.Errorf("bob still appears in %v", got)
	}
	if got, _ := s.communitiesOf(ctx, alice.ID.Key()); !slices.Equal(got, []string{"c1"}) {
		t.Errorf("alice appears in %v after bob's erasure, want [c1]", got)
	}
}

// An erasure right after the upgrade, before the start-up migration ran,
// still finds the person through their old index key: it migrates first.
func TestEraseMigratesCommunityBucketsFirst(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	ann := bot.Actor{ID: bot.Identity{Platform: bot.Discord, Workspace: "42", User: "7"}}
	if _, err := s.RegisterBusiness(ctx, "c1", ann, bot.Business{Name: "Acme"}, ""); err != nil {
		t.Fatal(err)
	}
	rdb.Del(ctx, s.communitiesOfKey(ann.ID.Key()))
	rdb.HSet(ctx, prefix+":communities-of:"+ann.ID.Key(), "c1", "")
	out, err := s.Erase(ctx, "operator:test", ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Communities, []string{"c1"}) {
		t.Errorf("the erasure visited %v, want [c1]", out.Communities)
	}
	if b, err := s.Business(ctx, "c1", 1); err != nil || !b.NeedsOwner {
		t.Errorf("business 1 after its only owner's erasure: %+v, %v", b, err)
	}
}

// The bucket count keeps a large deployment's buckets compact: 20,000
// people (the 100,000 pledges, one business per five pledges)
// spread so that no bucket passes Redis's default
// hash-max-listpack-entries, 128; and a person's entries share a bucket.
func TestCommunityBucketsStayCompact(t *testing.T) {
	s := New(nil, "pb")
	count := map[string]int{}
	for i := range 20_000 {
		who := bot.Identity{Platform: bot.Slack, Workspace: "T0ABCDEFGHI", User: fmt.Sprintf("U0%09d", i*7919)}.Key()
		count[s.communitiesOfKey(who)]++
	}
	if len(count) != communityBuckets {
		t.Errorf("%d buckets used, want %d", len(count), communityBuckets)
	}
	for k, n := range count {
		if n >= 128 {
			t.Errorf("bucket %s holds %d people", k, n)
		}
	}
	// A Discord person's entry for their own server's community fits a
	// listpack value; spelt out it would not.
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s = New(rdb, prefix)
	t.Cleanup(s.people.close)
	who := bot.Identity{Platform: bot.Discord, Workspace: "1234567890123456789", User: "9876543210987654321"}
	s.appear(ctx, "discord-1234567890123456789", who)
	s.appear(ctx, "town", who)
	if e := communityEntry(who.Key(), "discord-1234567890123456789"); len(e) > 64 {
		t.Errorf("entry %q is %d bytes", e, len(e))
	}
	if got, err := s.communitiesOf(ctx, who.Key()); err != nil || !slices.Equal(got, []string{"discord-1234567890123456789", "town"}) {
		t.Errorf("the Discord person appears in %v (%v)", got, err)
	}
	if enc := rdb.ObjectEncoding(ctx, s.communitiesOfKey(who.Key())).Val(); enc != "listpack" && !onEmbedded() {
		t.Errorf("their bucket is a %s", enc)
	}
	if len(s.communitiesOfKey("slack:T1:U1")) != len(prefix+":communities-of:")+2 {
		t.Errorf("bucket name %q", s.communitiesOfKey("slack:T1:U1"))
	}
}
