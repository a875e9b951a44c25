package schedules

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/config"
	"github.com/pledgebot/pledgebot/store"
)

func TestNeedSuits(t *testing.T) {
	cb := store.NeedNudgeBusiness{Postcode: "CB1 2AB", Themes: []string{"carbon", "volunteering"}}
	nowhere := store.NeedNudgeBusiness{Themes: []string{"volunteering"}}
	for _, c := range []struct {
		name        string
		theme, area string
		biz         store.NeedNudgeBusiness
		want        bool
	}{
		{"same theme, no area", "volunteering", "", cb, true},
		{"same theme, same district", "volunteering", "CB1", cb, true},
		{"same theme, other district of the area", "volunteering", "CB22", cb, true},
		{"same theme, full postcode in the area", "volunteering", "CB4 1XX", cb, true},
		{"same theme, other area", "volunteering", "OX1", cb, false},
		{"C is not CB", "volunteering", "C1", cb, false},
		{"theme it never pledged in", "apprenticeships", "CB1", cb, false},
		{"theme it never pledged in, no area", "apprenticeships", "", cb, false},
		{"no postcode: needs for everyone only", "volunteering", "", nowhere, true},
		{"no postcode: no area matches", "volunteering", "CB1", nowhere, false},
		{"no pledges at all", "volunteering", "", store.NeedNudgeBusiness{Postcode: "CB1"}, false},
	} {
		if got := needSuits(bot.Need{Theme: c.theme, Area: c.area}, c.biz); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestNeedsMessage(t *testing.T) {
	ns := []bot.Need{
		// 40 hours wanted, 13 delivered (pledges 10 and 3; a lapsed pledge's
		// delivery counts too): 40 - 13 = 27 still needed.
		{Number: 3, Text: "Saturday shift <@U1> @here", Theme: "volunteering", Target: 40, Unit: "hours", Partner: 2, Area: "CB1",
			Pledges: []bot.NeedPledge{{Status: bot.StatusActive, Target: 10, Delivered: 10}, {Status: bot.StatusLapsed, Target: 5, Delivered: 3}}},
		// 2 days = 16 hours (factor 8); 20 hours delivered is past it:
		// nothing left (it would be met, but the message shows what it gets).
		{Number: 1, Text: "Painting", Theme: "volunteering", Target: 16, Unit: "days", Factor: 8,
			Pledges: []bot.NeedPledge{{Status: bot.StatusActive, Target: 16, Delivered: 12}}},
	}
	r := NeedsMessage(ns, map[int]string{2: "Food Bank"})
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", r.Title, r.Text)
	for _, it := range r.Items {
		fmt.Fprintf(&b, "- %s\n  %s\n", it.Title, strings.ReplaceAll(it.Text, "\n", "\n  "))
	}
	// Painting: 16 - 12 = 4 hours left, shown in days: 4 / 8 = 0.5.
	want := `Needs near you (2)
Open needs in the themes your business pledges in, in its postcode area or for the whole community. /nudges needs off stops these messages.
- Need #3: Saturday shift <@U1> @here
  volunteering · for Food Bank · CB1 · still needs 27 hours of 40 hours
  Pledge for it: /pledge add TEXT need:3
- Need #1: Painting
  volunteering · still needs 0.5 days of 2 days
  Pledge for it: /pledge add TEXT need:1
`
	if b.String() != want {
		t.Fatalf("message:\n%s\nwant:\n%s", b.String(), want)
	}
	// Text never becomes a mention: the adapters escape it, and only
	// bot.Mention makes one.
	if strings.Contains(fmt.Sprint(r), "\x1f") {
		t.Fatal("a mention in the message")
	}
}

func TestNeedsReplyCap(t *testing.T) {
	var ns []bot.Need
	for i := 12; i >= 1; i-- {
		ns = append(ns, bot.Need{Number: i, Text: fmt.Sprint("N", i), Theme: "carbon", Target: 1, Unit: "t"})
	}
	r := NeedsMessage(ns, nil)
	// 12 needs: the first 10 (#12 to #3), then "and 2 more".
	if r.Title != "Needs near you (12)" || len(r.Items) != 11 {
		t.Fatalf("%q with %d items", r.Title, len(r.Items))
	}
	if r.Items[0].Title != "Need #12: N12" || r.Items[9].Title != "Need #3: N3" || r.Items[10].Title != "… and 2 more" {
		t.Fatalf("items %q, %q, %q", r.Items[0].Title, r.Items[9].Title, r.Items[10].Title)
	}
	// Exactly ten: no "more".
	if r := NeedsMessage(ns[:10], nil); len(r.Items) != 10 || strings.Contains(r.Items[9].Title, "more") {
		t.Fatalf("ten needs: %d items, last %q", len(r.Items), r.Items[9].Title)
	}
}

// needsFixture: coordinator "coord"; business #1 Acme (owner "alice",
// member "bob", postcode CB1 2AB, a volunteering pledge) and #2 Bolt
// (owner "carol", postcode OX1, a carbon pledge); needs #1 volunteering
// in CB1, #2 volunteering in OX4, #3 volunteering for everyone, #4
// apprenticeships in CB2, #5 carbon in OX1, #6 volunteering in CB3,
// closed.
func needsFixture(t *testing.T) *env {
	e := setup(t, config.Schedules{})
	e.at(t, "2026-11-20 12:00")
	coordinator := bot.Identity{Platform: bot.Console, Workspace: "local", User: "coord"}
	e.Redis.SAdd(context.Background(), e.Prefix+":{"+e.Community()+"}:role:coordinator", coordinator.Key())
	e.MustDo("alice", "/business register Acme postcode:CB1 2AB")
	e.MustDo("alice", "/business add-member @bob")
	e.MustDo("alice", `/pledge add "Shifts" theme:volunteering target:10`)
	e.MustDo("carol", "/business register Bolt postcode:OX1")
	e.MustDo("carol", `/pledge add "Less" theme:carbon target:1`)
	for _, line := range []string{
		`/need post "Food bank shift" theme:volunteering target:40 area:CB1`,
		`/need post "Oxford shift" theme:volunteering target:4 area:OX4`,
		`/need post "Anyone's shift" theme:volunteering target:8`,
		`/need post "Apprentice" theme:apprenticeships target:52 area:CB2`,
		`/need post "Less carbon" theme:carbon target:3 area:OX1`,
		`/need post "Closed shift" theme:volunteering target:8 area:CB3`,
		`/need close 6`,
	} {
		e.MustDo("coord", line)
	}
	return e
}

// Two replicas run the week's needs job at once: alice and carol get one
// message each, with the needs that suit their businesses; bob (not
// opted in) and dave (opted in, then out) none.
func TestNeedsOnceAcrossReplicas(t *testing.T) {
	e := needsFixture(t)
	e.MustDo("alice", "/nudges needs on")
	e.MustDo("alice", "/nudges needs on") // on twice is on
	e.MustDo("carol", "/nudges needs on")
	e.MustDo("dave", "/business register Dave's postcode:CB1")
	e.MustDo("dave", `/pledge add "Help" theme:volunteering target:1`)
	e.MustDo("dave", "/nudges needs on")
	e.MustDo("dave", "/nudges needs off")
	if out := e.MustDo("alice", "/nudges"); !strings.Contains(out, "Needs near you: on") {
		t.Fatalf("/nudges:\n%s", out)
	}
	if out := e.MustDo("bob", "/nudges"); !strings.Contains(out, "Needs near you: off") {
		t.Fatalf("/nudges for bob:\n%s", out)
	}
	e.MustFail("nobody", "/nudges needs on", bot.Invalid)
	e.at(t, "2026-11-23 09:00")
	at := e.Clock.Now()
	scheds := []*Scheduler{e.sched, e.newSched(t, "replica-2")}
	errs := make(chan error, len(scheds))
	for _, s := range scheds {
		go func() {
			_, err := s.Run(context.Background(), JobNeeds, e.Community(), at)
			errs <- err
		}()
	}
	for range scheds {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got := map[string][]string{}
	for _, n := range e.rec.take() {
		var items []string
		for _, it := range n.Reply.Items {
			items = append(items, it.Title)
		}
		got[n.To.User] = append(got[n.To.User], n.Reply.Title+": "+strings.Join(items, "; "))
	}
	// alice (Acme: volunteering, CB): #3 (everyone) and #1 (CB1), newest
	// first; not #2 (OX), #4 (a theme Acme never pledged in), #6 (closed).
	// carol (Bolt: carbon, OX): #5 only; #2 is volunteering.
	want := "map[alice:[Needs near you (2): Need #3: Anyone's shift; Need #1: Food bank shift] carol:[Needs near you (1): Need #5: Less carbon]]"
	if fmt.Sprint(got) != want {
		t.Fatalf("sent %v\nwant %s", got, want)
	}
	// The same week again sends nothing.
	if r := e.run(t, JobNeeds); r.Skipped == "" || r.Enqueued != 0 {
		t.Fatalf("second run: %+v", r)
	}
	if sent := e.rec.take(); len(sent) != 0 {
		t.Fatalf("sent again: %v", titles(sent))
	}
}

// Nothing matches: nothing is sent.
func TestNeedsNothingMatches(t *testing.T) {
	e := needsFixture(t)
	e.MustDo("coord", "/need close 1")
	e.MustDo("coord", "/need close 3")
	e.MustDo("alice", "/nudges needs on")
	e.at(t, "2026-11-23 09:00")
	if r := e.run(t, JobNeeds); r.Enqueued != 0 {
		t.Fatalf("enqueued %d", r.Enqueued)
	}
	if sent := e.rec.take(); len(sent) != 0 {
		t.Fatalf("sent %v", titles(sent))
	}
}

// Erasing a person takes them off the list; deleting the business of a
// person with no other tie does too.
func TestNeedNudgesForgotten(t *testing.T) {
	e := needsFixture(t)
	ctx := context.Background()
	key := e.Prefix + ":{" + e.Community() + "}:need-nudges"
	e.MustDo("alice", "/nudges needs on")
	e.MustDo("carol", "/nudges needs on")
	alice := bot.Identity{Platform: bot.Console, Workspace: "local", User: "alice"}
	if _, err := e.Store.ErasePerson(ctx, "test", alice); err != nil {
		t.Fatal(err)
	}
	if got := e.Redis.SMembers(ctx, key).Val(); fmt.Sprint(got) != "[console:local:carol]" {
		t.Fatalf("after erasing alice: %v", got)
	}
	carol := bot.Actor{ID: bot.Identity{Platform: bot.Console, Workspace: "local", User: "carol"}}
	if err := e.Store.DeleteBusiness(ctx, e.Community(), carol, 2, "req-del"); err != nil {
		t.Fatal(err)
	}
	if n := e.Redis.Exists(ctx, key).Val(); n != 0 {
		t.Fatalf("after deleting Bolt: %v", e.Redis.SMembers(ctx, key).Val())
	}
}

// After a person got the week's needs message and was erased, no key's
// name still names them: erasure finds what is theirs by name, never by
// a SCAN, so the message's once-only decision must not be a key named
// after them (it lived 60 days).
func TestNeedsMessageLeavesNoKeyNamingTheErased(t *testing.T) {
	e := needsFixture(t)
	ctx := context.Background()
	e.MustDo("alice", "/nudges needs on")
	e.at(t, "2026-11-23 09:00")
	if r := e.run(t, JobNeeds); r.Enqueued != 1 {
		t.Fatalf("enqueued %d, want alice's one message", r.Enqueued)
	}
	alice := bot.Identity{Platform: bot.Console, Workspace: "local", User: "alice"}
	if _, err := e.Store.ErasePerson(ctx, "test", alice); err != nil {
		t.Fatal(err)
	}
	var left []string
	iter := e.Redis.Scan(ctx, 0, e.Prefix+":*", 1000).Iterator()
	for iter.Next(ctx) {
		if strings.Contains(iter.Val(), alice.Key()) {
			left = append(left, iter.Val())
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	if len(left) > 0 {
		t.Fatalf("keys still naming alice after her erasure: %v", left)
	}
}
