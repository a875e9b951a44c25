package store

import (
	"context"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

func (s *Store) remembers(who bot.Identity, c string) bool {
	s.people.mu.Lock()
	defer s.people.mu.Unlock()
	return s.people.live && s.people.known[who.Key()][c]
}

// Every write by a person or naming one puts the community in their own
// index; a refused one does not; a business deletion takes it out of the
// index of the people it forgot, but not the deleter's (the deletion's
// record names them).
func TestWritesKeepPeoplesIndexes(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	s := New(rdb, prefix)
	t.Cleanup(s.people.close)
	id := func(u string) bot.Actor {
		return bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: u}}
	}
	alice, bob, carol, dave, erin := id("alice"), id("bob"), id("carol"), id("dave"), id("erin")
	in := func(a bot.Actor) []string {
		cs, err := s.communitiesOf(ctx, a.ID.Key())
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	if _, err := s.RegisterBusiness(ctx, "c1", alice, bot.Business{Name: "Acme"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RegisterBusiness(ctx, "c2", alice, bot.Business{Name: "Acme"}, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMember(ctx, "c1", alice, 1, bob.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GrantRole(ctx, "c2", carol.ID, bot.RoleCouncil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNudges(ctx, "c3", dave.ID, true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPledge(ctx, "c1", erin, bot.NewPledge{Text: "x", Theme: "carbon"}, ""); bot.ErrorCode(err) != bot.Invalid {
		t.Fatalf("a pledge by someone with no business: %v", err)
	}
	for _, tc := range []struct {
		who  bot.Actor
		want string
	}{{alice, "[c1 c2]"}, {bob, "[c1]"}, {carol, "[c2]"}, {dave, "[c3]"}, {erin, "[]"}} {
		got := in(tc.who)
		if len(got) == 2 && got[0] > got[1] {
			got[0], got[1] = got[1], got[0]
		}
		if s := fmtList(got); s != tc.want {
			t.Errorf("%s appears in %s, want %s", tc.who.ID.User, s, tc.want)
		}
	}
	if err := s.DeleteBusiness(ctx, "c1", alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if got := fmtList(in(bob)); got != "[]" {
		t.Errorf("bob, forgotten with the business, still appears in %s", got)
	}
	if got := in(alice); len(got) != 2 {
		t.Errorf("alice, whose deletion is on record in c1, appears in %v", got)
	}
}

func fmtList(l []string) string {
	out := "["
	for i, v := range l {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out + "]"
}

// A process remembers which entries it wrote, so a person's writes cost
// one extra command per community; when another replica forgets them
// there, it hears so and writes the entry again at their next write.
func TestForgottenPeopleAreWrittenAgainByEveryReplica(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testRedis(t)
	one, two := New(rdb, prefix), New(rdb, prefix)
	t.Cleanup(one.people.close)
	t.Cleanup(two.people.close)
	alice := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "alice"}}
	bob := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "bob"}}
	if _, err := one.RegisterBusiness(ctx, "c1", alice, bot.Business{Name: "Acme"}, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "replica one listens", func() bool {
		one.people.mu.Lock()
		defer one.people.mu.Unlock()
		return one.people.live
	})
	if err := one.SetMember(ctx, "c1", alice, 1, bob.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	if !one.remembers(bob.ID, "c1") {
		t.Fatal("replica one does not remember writing bob's entry")
	}
	indexed := func() bool {
		return rdb.HExists(ctx, one.communitiesOfKey(bob.ID.Key()), communityEntry(bob.ID.Key(), "c1")).Val()
	}
	if !indexed() {
		t.Fatal("bob's index lacks c1")
	}
	// Replica two deletes the business, bob's only tie: he is forgotten.
	if err := two.DeleteBusiness(ctx, "c1", alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if indexed() {
		t.Fatal("bob's index still holds c1")
	}
	waitFor(t, "replica one forgets bob's entry", func() bool { return !one.remembers(bob.ID, "c1") })
	// bob comes back through replica one: his entry is written again.
	if _, err := one.RegisterBusiness(ctx, "c1", bob, bot.Business{Name: "Bikes"}, ""); err != nil {
		t.Fatal(err)
	}
	if !indexed() {
		t.Error("bob wrote again in c1 through replica one, which did not write his entry")
	}
}
