package store_test

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
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
		if v, _ := f.rdb.Dump(ctx, k).Result(); strings.Contains(v, "Acme") {
			t.Errorf("key %s still holds the deleted business's text", k)
		}
	}
	entries, err := f.s.Audit(ctx, c, 1, 0)
	if err != nil || len(entries) != 1 || entries[0].Action != "business.delete" || entries[0].By != alice.ID.Key() {
		t.Fatalf("audit after delete: %+v %v", entries, err)
	}
	totals := f.rdb.HGetAll(ctx, f.prefix+":{c1}:totals").Val()
	if totals["committed:carbon"] != "3" || (totals["delivered:carbon"] != "0" && totals["delivered:carbon"] != "") || totals["status:active"] != "1" {
		t.Fatalf("totals still count the deleted business: %v", totals)
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
		if v, _ := f.rdb.Dump(ctx, k).Result(); strings.Contains(v, bob.ID.Key()) {
			t.Errorf("key %s still names bob", k)
		}
	}
	p, events, err := f.s.Pledge(ctx, c, alice, 1)
	if err != nil || p.Progress != 2 || len(events) != 2 || events[1].By != "erased" {
		t.Fatalf("pledge after erasure: %+v %+v %v", p, events, err)
	}
}
