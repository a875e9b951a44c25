package commands_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
)

// The partner's people record what difference pledge #1 made; a later
// outcome replaces the earlier on the pledge and /pledge show, the history
// keeps both; a retry records once; hostile text stays text.
func TestPartnerRecordsOutcome(t *testing.T) {
	h := confirmFixture(t)
	mustContain(t, "first outcome", h.MustDo("gus", "/pledge outcome 1 Six volunteers kept the Tuesday shift going"),
		"Recorded the outcome of pledge #1", "council reports show it as a case study")
	h.Clock.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	// e + combining acute (NFD) is kept as é (NFC).
	for range 2 {
		r := handleAs(h, "evt-o", "fiona", "/pledge outcome 1 Cafe\u0301 staff fed 40 families <!channel> @everyone <https://x.test|click>")
		if r.Err != nil {
			t.Fatalf("outcome: %s", r.Err.Message)
		}
	}
	p, ev := pledgeOf(t, h, 1)
	want := "Café staff fed 40 families <!channel> @everyone <https://x.test|click>"
	if p.Outcome == nil || p.Outcome.Text != want || p.Outcome.By != "console:local:fiona" {
		t.Fatalf("outcome %+v, want fiona's %q", p.Outcome, want)
	}
	told := 0
	for _, e := range ev {
		if e.Kind == bot.EventOutcome {
			told++
		}
	}
	if told != 2 {
		t.Fatalf("%d outcomes in the history, want gus's and fiona's (the retry records once)", told)
	}
	show := h.MustDo("ann", "/pledge show 1")
	mustContain(t, "/pledge show", show, "Outcome: "+want+" (@fiona, 2 Nov 2026)",
		"@gus told its outcome: Six volunteers kept the Tuesday shift going", "@fiona told its outcome: Café staff")
	// Its business's owner's figures are untouched: 8 + 6 = 14 of 40.
	mustContain(t, "/pledge show figures", show, "14 of 40 hours")
}

func TestOutcomeRefusals(t *testing.T) {
	h := confirmFixture(t)
	for _, who := range []string{"outsider", "ann", "zed", h.Admin} {
		mustContain(t, who+"'s refusal", h.MustFail(who, "/pledge outcome 1 it went well", bot.Forbidden), "Only the people of partner #1")
	}
	mustContain(t, "no partner", h.MustFail("gus", "/pledge outcome 2 it went well", bot.Invalid), "names no community partner")
	h.MustFail("gus", "/pledge outcome 9 it went well", bot.NotFound)
	h.MustFail("gus", "/pledge outcome 1", bot.Invalid)
	mustContain(t, "too long", h.MustFail("gus", "/pledge outcome 1 "+strings.Repeat("a", bot.MaxOutcome+1), bot.Invalid), "too long")
	if p, _ := pledgeOf(t, h, 1); p.Outcome != nil {
		t.Fatalf("a refusal recorded %+v", p.Outcome)
	}
}

// /partner export gives its partner-owner a JSON file of the partner, its
// people and the pledges made to it with their entries, confirmations and
// outcomes; a partner-member may not.
func TestPartnerExport(t *testing.T) {
	h := confirmFixture(t)
	h.MustDo("gus", "/pledge confirm 1 entry:1")
	h.MustDo("gus", "/pledge outcome 1 Six volunteers kept the Tuesday shift going")
	r := h.Reply("fiona", "/partner export")
	if r.Err != nil || r.File == nil || r.File.Name != "partner-1.json" {
		t.Fatalf("export: %+v", r)
	}
	var x bot.PartnerExport
	if err := json.Unmarshal(r.File.Content, &x); err != nil {
		t.Fatal(err)
	}
	if x.Partner.Name != "Food Bank" || len(x.Partner.Members) != 2 || len(x.Pledges) != 1 {
		t.Fatalf("export %+v", x)
	}
	p := x.Pledges[0]
	if p.Number != 1 || p.Checks[1] != bot.CheckConfirmed || p.Outcome == nil || p.Outcome.Text != "Six volunteers kept the Tuesday shift going" {
		t.Fatalf("pledge %+v", p.Pledge)
	}
	// made, 2 entries, a confirmation, an outcome.
	if len(p.History) != 5 {
		t.Fatalf("history of %d events, want 5: %+v", len(p.History), p.History)
	}
	h.MustFail("gus", "/partner export 1", bot.Forbidden)
}
