package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/redis/go-redis/v9"
)

func (f *fixture) partner(t *testing.T, a bot.Actor, name string) bot.Partner {
	t.Helper()
	p, err := f.s.RegisterPartner(ctx, c, a, bot.Partner{Name: name, CreatedAt: time.Now()}, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func roleIn(p bot.Partner, who bot.Identity) bot.Role {
	for _, m := range p.Members {
		if m.Who == who {
			return m.Role
		}
	}
	return -1
}

func code(err error) bot.Code { return bot.ErrorCode(err) }

func TestRegisterPartner(t *testing.T) {
	f := newFixture(t)
	p, err := f.s.RegisterPartner(ctx, c, alice, bot.Partner{Name: "Food Bank", Area: "CB1", About: "feeds the town", CreatedAt: time.Unix(1790000000, 0)}, alice.ID, "r1")
	if err != nil || p.Number != 1 {
		t.Fatalf("register: %+v %v", p, err)
	}
	got, err := f.s.Partner(ctx, c, 1)
	if err != nil || got.Name != "Food Bank" || got.Area != "CB1" || got.About != "feeds the town" ||
		!got.CreatedAt.Equal(time.Unix(1790000000, 0)) || roleIn(got, alice.ID) != bot.RolePartnerOwner || len(got.Members) != 1 {
		t.Fatalf("partner #1: %+v %v", got, err)
	}
	// A look-alike name is refused, and writes nothing.
	before := f.snapshot(t)
	if _, err := f.s.RegisterPartner(ctx, c, bob, bot.Partner{Name: "FOOD  BANK"}, bob.ID, "r2"); code(err) != bot.Conflict {
		t.Fatalf("look-alike name: %v", err)
	}
	// Only admins and coordinators register for someone else.
	if _, err := f.s.RegisterPartner(ctx, c, bob, bot.Partner{Name: "Youth Club"}, carol.ID, "r3"); code(err) != bot.Forbidden {
		t.Fatalf("bob registering for carol: %v", err)
	}
	sameSnapshot(t, before, f.snapshot(t))
	if _, err := f.s.GrantRole(ctx, c, bob.ID, bot.RoleCoordinator); err != nil {
		t.Fatal(err)
	}
	yc, err := f.s.RegisterPartner(ctx, c, bob, bot.Partner{Name: "Youth Club"}, carol.ID, "r3")
	if err != nil || roleIn(yc, carol.ID) != bot.RolePartnerOwner || roleIn(yc, bob.ID) != -1 {
		t.Fatalf("coordinator registering for carol: %+v %v", yc, err)
	}
	if mine, _ := f.s.PartnersOf(ctx, c, carol.ID); len(mine) != 1 || mine[0].Number != 2 {
		t.Errorf("carol's partners: %+v", mine)
	}
	if _, err := f.s.RegisterPartner(ctx, c, admin, bot.Partner{Name: "School"}, dave.ID, ""); err != nil {
		t.Fatalf("admin registering for dave: %v", err)
	}
	all, _ := f.s.Partners(ctx, c)
	if len(all) != 3 || all[0].Name != "Food Bank" || all[2].Name != "School" {
		t.Errorf("partners: %+v", all)
	}
	if _, err := f.s.Partner(ctx, c, 9); code(err) != bot.NotFound {
		t.Errorf("partner #9: %v", err)
	}
}

// A replayed registration or membership change answers as the first did
// and acts once.
func TestPartnerWritesUnderReplay(t *testing.T) {
	f := newFixture(t)
	first, err := f.s.RegisterPartner(ctx, c, alice, bot.Partner{Name: "Food Bank"}, alice.ID, "trigger-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.s.RegisterPartner(ctx, c, alice, bot.Partner{Name: "Food Bank"}, alice.ID, "trigger-1")
	if err != nil || again.Number != first.Number {
		t.Fatalf("replayed register: %+v %v", again, err)
	}
	if err := f.s.SetPartnerMember(ctx, c, alice, 1, bob.ID, bot.RolePartnerMember, "trigger-2"); err != nil {
		t.Fatal(err)
	}
	snap := f.snapshot(t)
	if err := f.s.SetPartnerMember(ctx, c, alice, 1, bob.ID, bot.RolePartnerMember, "trigger-2"); err != nil {
		t.Fatalf("replayed add-member: %v", err)
	}
	sameSnapshot(t, snap, f.snapshot(t))
	if err := f.s.RemovePartnerMember(ctx, c, bob, 1, bob.ID, "trigger-3"); err != nil {
		t.Fatal(err)
	}
	// bob is added back; the old leave's id replayed changes nothing.
	if err := f.s.SetPartnerMember(ctx, c, alice, 1, bob.ID, bot.RolePartnerMember, "trigger-4"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemovePartnerMember(ctx, c, bob, 1, bob.ID, "trigger-3"); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.s.Partner(ctx, c, 1); roleIn(p, bob.ID) != bot.RolePartnerMember {
		t.Errorf("bob after a replayed leave: %+v", p)
	}
	if n, _ := f.rdb.Get(ctx, f.prefix+":{c1}:seq:partner").Int(); n != 1 {
		t.Errorf("seq:partner %d after a replayed register", n)
	}
	entries, _ := f.s.Audit(ctx, c, 0, 0)
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
	}
	if count["partner.register"] != 1 || count["partner.set-member"] != 2 || count["partner.remove-member"] != 1 {
		t.Errorf("audit under replay: %v", count)
	}
}

func TestPartnerMembers(t *testing.T) {
	f := newFixture(t)
	f.partner(t, alice, "Food Bank")
	before := f.snapshot(t)
	for _, tc := range []struct {
		name string
		err  error
		want bot.Code
	}{
		{"bob adds himself", f.s.SetPartnerMember(ctx, c, bob, 1, bob.ID, bot.RolePartnerMember, "a"), bot.Forbidden},
		{"unknown partner", f.s.SetPartnerMember(ctx, c, alice, 7, bob.ID, bot.RolePartnerMember, "b"), bot.NotFound},
		{"business role", f.s.SetPartnerMember(ctx, c, alice, 1, bob.ID, bot.RoleOwner, "c"), bot.Invalid},
		{"remove a stranger", f.s.RemovePartnerMember(ctx, c, alice, 1, bob.ID, "d"), bot.NotFound},
		{"last owner leaves", f.s.RemovePartnerMember(ctx, c, alice, 1, alice.ID, "e"), bot.Conflict},
		{"last owner steps down", f.s.SetPartnerMember(ctx, c, alice, 1, alice.ID, bot.RolePartnerMember, "f"), bot.Conflict},
	} {
		if code(tc.err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.want)
		}
	}
	sameSnapshot(t, before, f.snapshot(t))
	if err := f.s.SetPartnerMember(ctx, c, alice, 1, bob.ID, bot.RolePartnerMember, ""); err != nil {
		t.Fatal(err)
	}
	// A partner-member cannot add people; anyone may leave.
	if err := f.s.SetPartnerMember(ctx, c, bob, 1, carol.ID, bot.RolePartnerMember, ""); code(err) != bot.Forbidden {
		t.Errorf("partner-member adding carol: %v", err)
	}
	if err := f.s.SetPartnerMember(ctx, c, alice, 1, bob.ID, bot.RolePartnerOwner, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RemovePartnerMember(ctx, c, alice, 1, alice.ID, ""); err != nil {
		t.Fatalf("alice leaves with bob as partner-owner: %v", err)
	}
	if p, _ := f.s.Partner(ctx, c, 1); len(p.Members) != 1 || roleIn(p, bob.ID) != bot.RolePartnerOwner {
		t.Errorf("after alice left: %+v", p)
	}
	if mine, _ := f.s.PartnersOf(ctx, c, alice.ID); len(mine) != 0 {
		t.Errorf("alice still acts for %+v", mine)
	}
	// A coordinator may fix a partner's people.
	if _, err := f.s.GrantRole(ctx, c, dave.ID, bot.RoleCoordinator); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetPartnerMember(ctx, c, dave, 1, carol.ID, bot.RolePartnerOwner, ""); err != nil {
		t.Errorf("coordinator adding carol: %v", err)
	}
}

// Erasing a partner's people takes them out of it, hands a partner whose
// last partner-owner they were to its longest-standing person, or marks
// it for an admin; afterwards nothing names them.
func TestErasePartnerPeople(t *testing.T) {
	f := newFixture(t)
	f.partner(t, alice, "Food Bank") // #1: carol and dave partner-members
	f.partner(t, alice, "Solo")      // #2: alice alone
	for _, who := range []bot.Identity{carol.ID, dave.ID} {
		if err := f.s.SetPartnerMember(ctx, c, alice, 1, who, bot.RolePartnerMember, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.rdb.ZAdd(ctx, f.prefix+":{c1}:partner:1:joined", redis.Z{Score: 100, Member: dave.ID.Key()}, redis.Z{Score: 200, Member: carol.ID.Key()})
	if _, err := f.s.Erase(ctx, "operator:root", alice.ID); err != nil {
		t.Fatal(err)
	}
	p1, _ := f.s.Partner(ctx, c, 1)
	if roleIn(p1, dave.ID) != bot.RolePartnerOwner || roleIn(p1, carol.ID) != bot.RolePartnerMember || roleIn(p1, alice.ID) != -1 || p1.NeedsOwner {
		t.Errorf("partner #1 after the erasure: %+v", p1)
	}
	if p2, _ := f.s.Partner(ctx, c, 2); len(p2.Members) != 0 || !p2.NeedsOwner {
		t.Errorf("partner #2 after the erasure: %+v", p2)
	}
	if left := f.naming(t, alice.ID); len(left) > 0 {
		t.Errorf("alice is still named after her erasure:\n%s", strings.Join(left, "\n"))
	}
	// A person whose only tie is a partner is found and erased too.
	if _, err := f.s.Erase(ctx, "operator:root", carol.ID); err != nil {
		t.Fatal(err)
	}
	if left := f.naming(t, carol.ID); len(left) > 0 {
		t.Errorf("carol is still named after her erasure:\n%s", strings.Join(left, "\n"))
	}
	if err := f.s.SetPartnerMember(ctx, c, admin, 2, bob.ID, bot.RolePartnerOwner, ""); err != nil {
		t.Fatal(err)
	}
	if p2, _ := f.s.Partner(ctx, c, 2); p2.NeedsOwner {
		t.Errorf("partner #2 still needs an owner: %+v", p2)
	}
}

// Deleting a business keeps the people who also act for a partner: the
// partner still needs them, and their index still names the community.
// The partner no longer lists the business's pledges.
func TestDeleteBusinessKeepsPartnerPeople(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	if err := f.s.SetMember(ctx, c, alice, 1, bob.ID, bot.RoleMember, ""); err != nil {
		t.Fatal(err)
	}
	f.partner(t, bob, "Food Bank")
	f.pledge(t, alice, bot.NewPledge{Text: "Hours", Theme: "volunteering", Target: 5, Visibility: bot.Public, Partner: 1})
	if ps, _ := f.s.Pledges(ctx, c, bob, bot.PledgeFilter{Partner: 1, Status: "all"}); len(ps) != 1 {
		t.Fatalf("pledges made to the partner before the deletion: %+v", ps)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.s.Partner(ctx, c, 1); roleIn(p, bob.ID) != bot.RolePartnerOwner {
		t.Errorf("partner after the deletion: %+v", p)
	}
	if cs := f.communitiesOf(t, bob.ID); len(cs) != 1 || cs[0] != c {
		t.Errorf("bob's communities after the deletion: %v", cs)
	}
	if n, _ := f.rdb.Exists(ctx, f.prefix+":{c1}:partner:1:pledges").Result(); n != 0 {
		t.Errorf("the partner still lists the deleted business's pledge")
	}
}

// A pledge naming a partner that does not exist is refused before
// anything is written, on add and on edit.
func TestPledgeToUnknownPartnerWritesNothing(t *testing.T) {
	f := newFixture(t)
	f.business(t, alice, "Acme")
	f.partner(t, bob, "Food Bank")
	f.pledge(t, alice, bot.NewPledge{Text: "Hours", Theme: "volunteering", Target: 5, Visibility: bot.Public, Partner: 1})
	before := f.snapshot(t)
	if _, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon", Visibility: bot.Public, Partner: 2}, "r1"); code(err) != bot.NotFound {
		t.Fatalf("add to partner #2: %v", err)
	}
	two, text := 2, "new text"
	if _, err := f.s.EditPledge(ctx, c, alice, 1, bot.PledgeEdit{Text: &text, Partner: &two}, "r2"); code(err) != bot.NotFound {
		t.Fatalf("edit to partner #2: %v", err)
	}
	sameSnapshot(t, before, f.snapshot(t))
	p, _, err := f.s.Pledge(ctx, c, bob, 1)
	if err != nil || p.Partner != 1 {
		t.Fatalf("pledge #1: %+v %v", p, err)
	}
}
