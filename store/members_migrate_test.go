package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// A business's people and pledges, as the release before kept them in
// keys of their own (0361339's fixture: ann owns Acme, #1, with pledges 1
// and 2; bob joined it as a member on 7 Dec 2026 08:35:31 UTC,
// business:1:joined), plus cat, who left it (business:1:past,
// person:slack:T1:UCAT:past, as set_member.lua wrote them), move once into
// fields of business:1 and read as they did: the members, what bob may do
// as one, its pledges' list, histories and figures, its export, and an
// erasure that hands the business to bob and forgets cat. Their own
// indexes (person:WHO, :past, :partners, :needs; with a partner ann acts
// for and a need bob posted) become fields of the hash people.
func TestMigrateMembers(t *testing.T) {
	rdb, s, _ := loadLedgerFixtureOld(t)
	ctx := context.Background()
	base := s.base("town")
	cat := bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "UCAT"}
	rdb.SAdd(ctx, base+"business:1:past", cat.Key())
	rdb.SAdd(ctx, base+"person:"+cat.Key()+":past", "1")
	rdb.HSet(ctx, s.communitiesOfKey(cat.Key()), communityEntry(cat.Key(), "town"), "")
	// and a partner ann acts for, a need bob posted, as that release kept them.
	rdb.HSet(ctx, base+"partner:1", "name", "Food Bank", "name_key", "f00d bank", "created_at", "1786352400")
	rdb.HSet(ctx, base+"partner:1:members", fixtureAnn.ID.Key(), "partner-owner")
	rdb.Set(ctx, base+"seq:partner", 1, 0)
	rdb.SAdd(ctx, base+"person:"+fixtureAnn.ID.Key()+":partners", "1")
	rdb.HSet(ctx, base+"need:1", "text", "Volunteers", "theme", "volunteering", "target", "50", "unit", "hours",
		"by", fixtureBob.ID.Key(), "created_at", "1786352400")
	rdb.Set(ctx, base+"seq:need", 1, 0)
	rdb.SAdd(ctx, base+"person:"+fixtureBob.ID.Key()+":needs", "1")

	if n, err := s.MigrateMembers(ctx, "town"); err != nil || n != 1 {
		t.Fatalf("moved %d businesses, %v; want 1", n, err)
	}
	if n, err := s.MigrateMembers(ctx, "town"); err != nil || n != 0 {
		t.Fatalf("second run moved %d, %v; want 0", n, err)
	}
	want := map[string]string{"created_at": "1786352400", "created_by": "slack:T1:UANN", "name": "Acme", "name_key": "acrne",
		"postcode": "CB1 2AB", "sector": "", "@slack:T1:UANN": "owner", "@slack:T1:UBOB": "member",
		"^slack:T1:UBOB": "1796454931", "~slack:T1:UCAT": "", "#1": "", "#2": ""}
	if got := rdb.HGetAll(ctx, base+"business:1").Val(); !reflect.DeepEqual(got, want) {
		t.Errorf("business:1 holds\n %v\nwant\n %v", got, want)
	}
	if n := rdb.Exists(ctx, base+"business:1:members", base+"business:1:joined", base+"business:1:past", base+"business:1:pledges").Val(); n != 0 {
		t.Errorf("%d of the old keys are left", n)
	}
	// Every person key is a field of people now.
	wantPeople := map[string]string{"slack:T1:UANN": "1", "slack:T1:UBOB": "1", "slack:T1:UCAT past": "1",
		"slack:T1:UANN partners": "1", "slack:T1:UBOB needs": "1"}
	if got := rdb.HGetAll(ctx, base+"people").Val(); !reflect.DeepEqual(got, wantPeople) {
		t.Errorf("people holds\n %v\nwant\n %v", got, wantPeople)
	}
	if n := rdb.Exists(ctx, base+"person:slack:T1:UANN", base+"person:slack:T1:UBOB", base+"person:slack:T1:UCAT:past",
		base+"person:slack:T1:UANN:partners", base+"person:slack:T1:UBOB:needs").Val(); n != 0 {
		t.Errorf("%d of the old person keys are left", n)
	}
	if pts, err := s.PartnersOf(ctx, "town", fixtureAnn.ID); err != nil || len(pts) != 1 || pts[0].Name != "Food Bank" {
		t.Errorf("ann's partners %+v (%v); want the Food Bank", pts, err)
	}
	if _, err := s.MigrateShortNames(ctx, "town"); err != nil {
		t.Fatal(err)
	}

	b, err := s.Business(ctx, "town", 1)
	wantMembers := []bot.BusinessMember{{Who: fixtureAnn.ID, Role: bot.RoleOwner}, {Who: fixtureBob.ID, Role: bot.RoleMember}}
	if err != nil || b.Name != "Acme" || b.Postcode != "CB1 2AB" || b.CreatedBy != fixtureAnn.ID || !reflect.DeepEqual(b.Members, wantMembers) {
		t.Errorf("business 1 reads %+v (%v); want Acme, CB1 2AB, by ann, members %v", b, err, wantMembers)
	}
	mine, err := s.BusinessesOf(ctx, "town", fixtureBob.ID)
	if err != nil || len(mine) != 1 || !reflect.DeepEqual(mine[0].Members, wantMembers) {
		t.Errorf("bob's businesses %+v (%v)", mine, err)
	}
	want1 := "08-10 created UANN 0; 08-10 progress UANN 10 first entry 1; 10-15 progress UBOB 5 entry 2; " +
		"11-20 corrected UANN 12 typo entry 1; 11-20 done UANN 0 all done"
	if got := history(t, s, 1); got != want1 {
		t.Errorf("#1 history:\n %s\nwant\n %s", got, want1)
	}
	// bob may log on #2 as a member of Acme: its latest report becomes 90.
	if _, err := s.LogProgress(ctx, "town", fixtureBob, 2, 90, "", "r1"); err != nil {
		t.Fatal(err)
	}
	want2 := "08-10 created UANN 0; 08-10 progress UANN 60 entry 1; 10-15 progress UANN 80 entry 2; 11-25 progress UBOB 90 entry 3"
	if got := history(t, s, 2); got != want2 {
		t.Errorf("#2 history:\n %s\nwant\n %s", got, want2)
	}
	// 10 Oct to 25 Nov: #1 done with 12 + 5 = 17 of 40, 5 of them
	// delivered in the period (15 Oct); fair-pay's latest report, 90.
	period := bot.Period{Start: time.Date(2026, 10, 10, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), Daily: true}
	prev := bot.Period{Start: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), End: period.Start, Daily: true}
	cur, _, err := s.Summary(ctx, "town", bot.SummaryFilter{Period: period, Previous: prev}, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if v := cur.Themes["volunteering"]; v == nil || v.Done != 1 || v.Committed != 40 || v.Delivered != 5 || v.ToDate != 17 || cur.Businesses != 1 {
		t.Errorf("volunteering %+v, %d businesses; want done 1, committed 40, delivered 5, to date 17, 1 business", v, cur.Businesses)
	}
	if r := cur.Themes["fair-pay"]; r == nil || r.Rate.Median != 90 || r.Rate.Reporting != 1 {
		t.Errorf("fair-pay %+v, want its latest report, 90", r)
	}

	// Its pledges, listed and exported; a new one joins them.
	list, err := s.Pledges(ctx, "town", fixtureAnn, bot.PledgeFilter{Business: 1})
	if err != nil || len(list) != 2 || list[0].Number != 2 || list[1].Number != 1 {
		t.Errorf("Acme's pledges %+v (%v); want #2 and #1", list, err)
	}
	if mine, err := s.Pledges(ctx, "town", fixtureAnn, bot.PledgeFilter{Mine: true}); err != nil || len(mine) != 2 {
		t.Errorf("ann's own pledges %+v (%v); want her two", mine, err)
	}
	ex, err := s.ExportBusiness(ctx, "town", fixtureAnn, 1)
	if err != nil || len(ex.Pledges) != 2 || ex.Pledges[0].Pledge.Number != 1 || ex.Pledges[0].Pledge.Progress != 17 ||
		ex.Pledges[1].Pledge.Number != 2 || ex.Pledges[1].Pledge.Progress != 90 {
		t.Errorf("Acme's export %+v (%v); want #1 (17) and #2 (90)", ex.Pledges, err)
	}
	if p, err := s.AddPledge(ctx, "town", fixtureBob, bot.NewPledge{Text: "Hire", Theme: "volunteering", Target: 8, Visibility: bot.Public}, "r2"); err != nil || p.Number != 3 {
		t.Fatalf("bob's pledge %+v (%v); want #3", p, err)
	}

	// Erasing ann, its last owner, hands Acme to bob, its member the
	// longest; erasing cat drops what remembered she left.
	e, err := s.Erase(ctx, "operator:test", fixtureAnn.ID)
	if err != nil || !reflect.DeepEqual(e.Owners, []OwnerChange{{Community: "town", Business: 1, NewOwner: fixtureBob.ID}}) {
		t.Errorf("erasing ann: %+v (%v); want Acme handed to bob", e, err)
	}
	if _, err := s.Erase(ctx, "operator:test", cat); err != nil {
		t.Fatal(err)
	}
	// (bob, given number 1 by his pledge #3, is owner as '@1': folded_set
	// renames the field it writes, MigratePersons the others.)
	want = map[string]string{"created_at": "1786352400", "created_by": "erased", "name": "Acme", "name_key": "acrne",
		"postcode": "CB1 2AB", "sector": "", "@1": "owner", "^slack:T1:UBOB": "1796454931", "#1": "", "#2": "", "#3": ""}
	if got := rdb.HGetAll(ctx, base+"business:1").Val(); !reflect.DeepEqual(got, want) {
		t.Errorf("after the erasures business:1 holds\n %v\nwant\n %v", got, want)
	}
	// bob's own indexes are left: Acme (his) and the need he posted, and
	// his number (=1: pledge #3 is his, person_number).
	wantPeople = map[string]string{"slack:T1:UBOB": "=1,1", "slack:T1:UBOB needs": "1"}
	if got := rdb.HGetAll(ctx, base+"people").Val(); !reflect.DeepEqual(got, wantPeople) {
		t.Errorf("after the erasures people holds\n %v\nwant\n %v", got, wantPeople)
	}
}

// An admin who writes about a pledge of a business they are not in has it
// in their own index 'wrote' (note_writer in lua/figures.lua), which the
// migration builds from the ledger for entries written before, and erasing
// them finds their entries through it, not by walking the ledger.
// 0361339's fixture: #2, fair-pay 100 %, reports 60 then 80 by ann; the
// admin reports 85 on 25 Nov.
func TestEraseWriterThroughTheirIndex(t *testing.T) {
	rdb, s, _ := loadLedgerFixture(t)
	ctx := context.Background()
	base := s.base("town")
	adm := bot.Actor{ID: bot.Identity{Platform: bot.Slack, Workspace: "T1", User: "UADM"}, Admin: true}
	if _, err := s.LogProgress(ctx, "town", adm, 2, 85, "", "r1"); err != nil {
		t.Fatal(err)
	}
	want2 := "08-10 created UANN 0; 08-10 progress UANN 60 entry 1; 10-15 progress UANN 80 entry 2; 11-25 progress UADM 85 entry 3"
	if got := history(t, s, 2); got != want2 {
		t.Errorf("#2 history:\n %s\nwant\n %s", got, want2)
	}
	if got := rdb.HGet(ctx, base+"people", "slack:T1:UADM wrote").Val(); got != "2" {
		t.Errorf("the admin's index wrote holds %q; want 2", got)
	}
	// Written before the index: the migration builds it from the ledger.
	rdb.HDel(ctx, base+"people", "slack:T1:UADM wrote")
	rdb.HSet(ctx, base+"migrations", "members", "members-people-2026-12")
	if _, err := s.MigrateMembers(ctx, "town"); err != nil {
		t.Fatal(err)
	}
	if got := rdb.HGet(ctx, base+"people", "slack:T1:UADM wrote").Val(); got != "2" {
		t.Errorf("after the migration the admin's index wrote holds %q; want 2", got)
	}
	// Ann and bob are Acme's people: nothing of theirs is in an index wrote.
	for f := range rdb.HGetAll(ctx, base+"people").Val() {
		if f != "slack:T1:UADM wrote" && strings.HasSuffix(f, " wrote") {
			t.Errorf("people holds %s", f)
		}
	}
	rdb.HSet(ctx, s.communitiesOfKey(adm.ID.Key()), communityEntry(adm.ID.Key(), "town"), "")
	if _, err := s.Erase(ctx, "operator:test", adm.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := history(t, s, 2), strings.Replace(want2, "UADM", "erased", 1); got != want {
		t.Errorf("after the erasure #2 history:\n %s\nwant\n %s", got, want)
	}
	if rdb.HExists(ctx, base+"people", "slack:T1:UADM wrote").Val() {
		t.Error("the erasure left the admin's index wrote")
	}
	// The figures stay: fair-pay's latest report is still 85.
	p, _, err := s.Pledge(ctx, "town", fixtureAnn, 2)
	if err != nil || p.Progress != 85 {
		t.Errorf("#2 progress %v (%v); want 85", p.Progress, err)
	}
}
