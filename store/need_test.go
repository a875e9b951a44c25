package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// A partner's person posts a need; a pledge against it is indexed back,
// leaves the index when its business is deleted, and the poster goes by
// "erased" after an erasure.
func TestNeedPostPledgeDeleteErase(t *testing.T) {
	f := newFixture(t)
	f.partner(t, carol, "Food Bank")
	n, err := f.s.PostNeed(ctx, c, carol, bot.Need{Text: "Volunteers for the Saturday shift", Theme: "volunteering",
		Target: 40, Unit: "hours", Partner: 1, Area: "CB1", Due: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}, "r-need")
	if err != nil || n.Number != 1 || n.Partner != 1 || n.Target != 40 || n.PostedBy != carol.ID || n.Area != "CB1" ||
		n.Due.Format(time.DateOnly) != "2027-03-01" || n.State() != bot.NeedOpen {
		t.Fatalf("post: %+v %v", n, err)
	}
	// A replay answers the same need and posts no second one.
	if again, err := f.s.PostNeed(ctx, c, carol, bot.Need{Text: "x", Theme: "volunteering", Partner: 1}, "r-need"); err != nil || again.Number != 1 {
		t.Fatalf("replay: %+v %v", again, err)
	}
	// Someone who acts for no partner and holds no role may not post.
	before := f.snapshot(t)
	if _, err := f.s.PostNeed(ctx, c, dave, bot.Need{Text: "x", Theme: "volunteering"}, "r-dave"); code(err) != bot.Forbidden {
		t.Fatalf("dave posting: %v", err)
	}
	if _, err := f.s.PostNeed(ctx, c, dave, bot.Need{Text: "x", Theme: "volunteering", Partner: 1}, "r-dave2"); code(err) != bot.Forbidden {
		t.Fatalf("dave posting for partner 1: %v", err)
	}
	sameSnapshot(t, before, f.snapshot(t))

	f.business(t, alice, "Acme")
	p, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "Shifts", Theme: "volunteering", Target: 10, Partner: 1, Need: 1}, "r-p1")
	if err != nil || p.Need != 1 || p.Partner != 1 {
		t.Fatalf("pledge against the need: %+v %v", p, err)
	}
	if _, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "carbon", Need: 1, Partner: 1}, "r-p2"); code(err) != bot.Invalid {
		t.Fatalf("another theme: %v", err)
	}
	if _, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "volunteering", Need: 1}, "r-p3"); code(err) != bot.Invalid {
		t.Fatalf("no partner against a partner's need: %v", err)
	}
	if _, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "volunteering", Need: 9}, "r-p4"); code(err) != bot.NotFound {
		t.Fatalf("no need #9: %v", err)
	}
	if _, err := f.s.LogProgress(ctx, c, alice, p.Number, 4, "", "r-prog"); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.Need(ctx, c, 1)
	// pledged 10 (the one pledge's target), delivered 4, none confirmed
	// yet: the 4 awaits the need's partner, whom the pledge names.
	if fig := got.Figures(); err != nil || len(got.Pledges) != 1 || fig != (bot.NeedFigures{Pledged: 10, Delivered: 4, By: bot.Vouched{Awaiting: 4}}) {
		t.Fatalf("need #1: %+v %v", got, err)
	}
	if err := f.s.DeleteBusiness(ctx, c, alice, 1, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.Need(ctx, c, 1); len(got.Pledges) != 0 {
		t.Fatalf("a deleted business's pledge still counts: %+v", got)
	}
	if n, _ := f.rdb.Exists(ctx, f.prefix+":{"+c+"}:need:1:pledges").Result(); n != 0 {
		t.Errorf("need:1:pledges outlives its last pledge")
	}

	if _, err := f.s.ErasePerson(ctx, "operator:root", carol.ID); err != nil {
		t.Fatal(err)
	}
	if left := f.naming(t, carol.ID); len(left) > 0 {
		t.Errorf("carol is still named after her erasure:\n%s", strings.Join(left, "\n"))
	}
	if got, _ := f.s.Need(ctx, c, 1); got.PostedBy != (bot.Identity{}) || got.Text == "" {
		t.Errorf("need after erasing its poster: %+v", got)
	}
}

// Closing: its partner's people, its poster, coordinators and admins; a
// closed need takes no more pledges.
func TestNeedClose(t *testing.T) {
	f := newFixture(t)
	f.partner(t, carol, "Food Bank")
	if _, err := f.s.PostNeed(ctx, c, carol, bot.Need{Text: "Tins", Theme: "sponsorship", Target: 500, Partner: 1}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CloseNeed(ctx, c, dave, 1, "r1"); code(err) != bot.Forbidden {
		t.Fatalf("dave closing: %v", err)
	}
	n, err := f.s.CloseNeed(ctx, c, carol, 1, "r2")
	if err != nil || n.State() != bot.NeedClosed || n.ClosedAt.IsZero() {
		t.Fatalf("close: %+v %v", n, err)
	}
	if _, err := f.s.CloseNeed(ctx, c, carol, 1, "r2"); err != nil {
		t.Fatalf("replayed close: %v", err)
	}
	if _, err := f.s.CloseNeed(ctx, c, carol, 1, "r3"); code(err) != bot.Conflict {
		t.Fatalf("closing twice: %v", err)
	}
	f.business(t, alice, "Acme")
	if _, err := f.s.AddPledge(ctx, c, alice, bot.NewPledge{Text: "x", Theme: "sponsorship", Partner: 1, Need: 1}, ""); code(err) != bot.Conflict {
		t.Fatalf("pledge against a closed need: %v", err)
	}
}
