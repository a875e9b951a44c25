package store

import (
	"context"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
)

// Pledges and businesses of the release before (testdata/ledger-0361339.json:
// ann registered Acme and made #1 and #2, bob, a member, logged 5 on #1)
// name people in full; MigratePersons numbers them (ann is 1, bob 2) and a
// second run does nothing. After it the pledges, their histories, the figures, the export
// and the rights that compare the maker (bob may correct what he logged,
// on his own pledge's maker entry too, not ann's) read as before, and
// erasing ann leaves her pledges made by 'erased', her number gone.
func TestMigratePersonsNumbersMakers(t *testing.T) {
	rdb, s, _ := loadLedgerFixture(t)
	ctx := context.Background()
	base := s.base("town")
	if w := packedPledge(t, rdb, base, 1)["w"]; w != fixtureAnn.ID.Key() {
		t.Fatalf("the fixture's pledge 1 was made by %q", w)
	}
	want1 := history(t, s, 1)
	// (a community that persons-2026-12 numbered the pledges of has its
	// businesses numbered: the mark names the release)
	rdb.HSet(ctx, base+"migrations", "persons", "persons-2026-12")
	if n, err := s.MigratePersons(ctx, "town"); err != nil || n != 3 {
		t.Fatalf("numbered %d pledges and businesses, %v; want 2 and Acme", n, err)
	}
	if n, err := s.MigratePersons(ctx, "town"); err != nil || n != 0 {
		t.Fatalf("second run numbered %d, %v", n, err)
	}
	for _, n := range []int{1, 2} {
		if w := packedPledge(t, rdb, base, n)["w"]; w != "1" {
			t.Errorf("pledge %d stores maker %q, want ann's number 1", n, w)
		}
	}
	if got := rdb.HGet(ctx, base+"persons:0", "1").Val(); got != fixtureAnn.ID.Key() {
		t.Errorf("number 1 is %q, want ann", got)
	}
	// Acme: ann (1) made it and owns it, bob (2) is a member.
	acme := rdb.HGetAll(ctx, base+"business:1").Val()
	if acme["created_by"] != "1" || acme["@1"] != "owner" || acme["@2"] != "member" || acme["^2"] == "" ||
		acme["@"+fixtureAnn.ID.Key()] != "" || acme["@"+fixtureBob.ID.Key()] != "" || acme["^"+fixtureBob.ID.Key()] != "" {
		t.Errorf("Acme's hash after the migration %v; want created_by 1, @1 owner, @2 member, ^2, no identity", acme)
	}
	if b, err := s.Business(ctx, "town", 1); err != nil || b.CreatedBy != fixtureAnn.ID || len(b.Members) != 2 ||
		b.Members[0] != (bot.BusinessMember{Who: fixtureAnn.ID, Role: bot.RoleOwner}) ||
		b.Members[1] != (bot.BusinessMember{Who: fixtureBob.ID, Role: bot.RoleMember}) {
		t.Errorf("Acme reads %+v (%v); want made by ann, ann owner, bob member", b, err)
	}
	if got := rdb.HGet(ctx, base+"people", fixtureAnn.ID.Key()).Val(); got != "=1,1" {
		t.Errorf("ann's field of people %q, want her number then Acme: =1,1", got)
	}
	if got := history(t, s, 1); got != want1 {
		t.Errorf("#1 history after the migration:\n %s\nwant\n %s", got, want1)
	}
	p1, _, err := s.Pledge(ctx, "town", fixtureBob, 1)
	if err != nil || p1.CreatedBy != fixtureAnn.ID || p1.Progress != 17 {
		t.Errorf("#1 made by %v, progress %v (%v); want ann, 12+5", p1.CreatedBy, p1.Progress, err)
	}
	ex, err := s.ExportBusiness(ctx, "town", fixtureAnn, 1)
	if err != nil || len(ex.Pledges) != 2 || ex.Pledges[0].Pledge.CreatedBy != fixtureAnn.ID || ex.Pledges[1].Pledge.CreatedBy != fixtureAnn.ID {
		t.Errorf("Acme's export %+v (%v); want #1 and #2 made by ann", ex.Pledges, err)
	}

	// bob's own pledge: he is number 2, and its maker's entry (who '')
	// is his to correct; ann's is not.
	p3, err := s.AddPledge(ctx, "town", fixtureBob, bot.NewPledge{Text: "Hire", Theme: "volunteering", Target: 8, Visibility: bot.Public}, "r1")
	if err != nil || p3.Number != 3 || p3.CreatedBy != fixtureBob.ID {
		t.Fatalf("bob's pledge %+v (%v)", p3, err)
	}
	if w := packedPledge(t, rdb, base, 3)["w"]; w != "2" {
		t.Errorf("pledge 3 stores maker %q, want bob's number 2", w)
	}
	if _, err := s.LogProgress(ctx, "town", fixtureBob, 3, 2, "", "r2"); err != nil {
		t.Fatal(err)
	}
	if p, err := s.CorrectProgress(ctx, "town", fixtureBob, 3, 1, 3, "typo", "r3"); err != nil || p.Progress != 3 {
		t.Errorf("bob correcting what he logged on his pledge: progress %v (%v); want 3", p.Progress, err)
	}
	if _, err := s.CorrectProgress(ctx, "town", fixtureBob, 2, 1, 50, "", "r4"); bot.ErrorCode(err) != bot.Forbidden {
		t.Errorf("bob correcting ann's report on #2: %v; want it refused", err)
	}
	if got, want := history(t, s, 3), "11-25 created UBOB 0; 11-25 progress UBOB 2 entry 1; 11-25 corrected UBOB 3 typo entry 1"; got != want {
		t.Errorf("#3 history %s, want %s", got, want)
	}

	// Erasing ann drops her number: her pledges' maker reads 'erased',
	// bob's stays his.
	if _, err := s.ErasePerson(ctx, "operator:root", fixtureAnn.ID); err != nil {
		t.Fatal(err)
	}
	if rdb.HExists(ctx, base+"persons:0", "1").Val() || rdb.HExists(ctx, base+"people", fixtureAnn.ID.Key()).Val() {
		t.Errorf("ann's number is kept: persons:0 %v, people %v", rdb.HGetAll(ctx, base+"persons:0").Val(), rdb.HGetAll(ctx, base+"people").Val())
	}
	if got := history(t, s, 1); got != strings.ReplaceAll(want1, "UANN", "erased") {
		t.Errorf("#1 history after erasing ann: %s", got)
	}
	if p, _, err := s.Pledge(ctx, "town", fixtureBob, 2); err != nil || p.CreatedBy != (bot.Identity{}) {
		t.Errorf("#2 after erasing ann made by %v (%v); want nobody", p.CreatedBy, err)
	}
	if p, _, err := s.Pledge(ctx, "town", fixtureBob, 3); err != nil || p.CreatedBy != fixtureBob.ID {
		t.Errorf("#3 after erasing ann made by %v (%v); want bob", p.CreatedBy, err)
	}
	// Acme goes to bob, its one member left; ann made it, 'erased'.
	if b, err := s.Business(ctx, "town", 1); err != nil || b.CreatedBy != (bot.Identity{}) || len(b.Members) != 1 ||
		b.Members[0] != (bot.BusinessMember{Who: fixtureBob.ID, Role: bot.RoleOwner}) {
		t.Errorf("Acme after erasing ann %+v (%v); want made by nobody, bob its owner", b, err)
	}
	if got := rdb.HGet(ctx, base+"business:1", "created_by").Val(); got != "erased" {
		t.Errorf("Acme's created_by %q after erasing ann, want erased", got)
	}
}
