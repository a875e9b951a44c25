package commands_test

import (
	"strings"
	"testing"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

// needFixture: partner #1 Food Bank (partner-owner "fb"), business #1
// Acme (owner "acme") and #2 Bolt (owner "bolt", postcode CB2).
func needFixture(t *testing.T) *pledgetest.Harness {
	h := pledgetest.New(t)
	h.MustDo("fb", "/partner register Food Bank area:CB1")
	h.MustDo("acme", "/business register Acme postcode:CB1 2AB")
	h.MustDo("bolt", "/business register Bolt postcode:CB2")
	return h
}

func wantIn(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("reply lacks %q:\n%s", w, out)
		}
	}
}

// A need's figures through the real command path, checked by hand.
func TestNeedFigures(t *testing.T) {
	h := needFixture(t)
	out := h.MustDo("fb", "/need post Volunteers for the Saturday shift theme:volunteering target:40 area:CB1 due:2099-03-01")
	wantIn(t, out, "Need #1 posted", "for #1 Food Bank", "CB1", "due 1 Mar 2099", "0 hours of 40 hours delivered", "open")
	// need: gives the partner.
	out = h.MustDo("acme", "/pledge add Saturday shifts theme:volunteering target:10 need:1")
	wantIn(t, out, "Pledge #1 added")
	h.MustDo("bolt", "/pledge add Sunday help theme:volunteering target:20 need:1 visibility:private")
	h.MustDo("bolt", "/pledge add Withdrawn help target:5 need:1 theme:volunteering partner:Food Bank")
	h.MustDo("bolt", "/pledge withdraw 3 confirm")
	h.MustDo("acme", "/pledge progress 1 4")
	h.MustDo("acme", "/pledge progress 1 3")
	h.MustDo("bolt", "/pledge progress 2 6")
	h.MustDo("fb", "/pledge confirm 1 entry:1")
	out = h.MustDo("anyone", "/need show 1")
	// pledged: 10 (#1) + 20 (#2, private but counted) = 30, 30/40 = 75%;
	// #3 is withdrawn and counts nowhere. delivered: 4 + 3 (#1) + 6 (#2)
	// = 13, 13/40 = 32.5%, shown 33% (the one rounding rule: half away
	// from zero). By who says so: confirmed entry 1 of #1 = 4, 10%;
	// awaiting 3 (#1) + 6 (#2) = 9, 22.5% shown 23%; nothing queried or
	// self-reported (both pledges name the need's partner).
	wantIn(t, out, "Pledged: 30 hours (75% of 40 hours)", "Delivered: 13 hours (33% of 40 hours)",
		"Confirmed: 4 hours (10% of 40 hours)", "Awaiting confirmation: 9 hours (23% of 40 hours)",
		"Queried: 0 hours (0% of 40 hours)", "Self-reported: 0 hours (0% of 40 hours)",
		"Pledge #1 · Acme", "Private pledges", "1 (counted above")
	if strings.Contains(out, "Pledge #2") || strings.Contains(out, "Pledge #3") {
		t.Errorf("a private or withdrawn pledge is listed:\n%s", out)
	}
	// The partner queries #2's 6: awaiting 3 (7.5%, shown 8%), queried 6
	// (15%).
	h.MustDo("fb", "/pledge query 2 entry:1 Which Sunday was this?")
	wantIn(t, h.MustDo("anyone", "/need show 1"), "Confirmed: 4 hours (10% of 40 hours)",
		"Awaiting confirmation: 3 hours (8% of 40 hours)", "Queried: 6 hours (15% of 40 hours)")
	// Acme corrects the confirmed 4 to 5: it awaits confirmation again.
	// delivered 5 + 3 + 6 = 14 (35%); confirmed 0; awaiting 5 + 3 = 8
	// (20%); queried 6 (15%).
	h.MustDo("acme", "/pledge correct 1 5 entry:1 one more hour")
	wantIn(t, h.MustDo("anyone", "/need show 1"), "Delivered: 14 hours (35% of 40 hours)",
		"Confirmed: 0 hours (0% of 40 hours)", "Awaiting confirmation: 8 hours (20% of 40 hours)",
		"Queried: 6 hours (15% of 40 hours)")
	// Reconfirmed: confirmed 5 (12.5%, shown 13%), awaiting 3 (8%).
	h.MustDo("fb", "/pledge confirm 1 entry:1")
	wantIn(t, h.MustDo("anyone", "/need show 1"), "Confirmed: 5 hours (13% of 40 hours)",
		"Awaiting confirmation: 3 hours (8% of 40 hours)", "Queried: 6 hours (15% of 40 hours)")
	// 27 more hours meet it: delivered 14 + 27 = 41 >= 40 (102.5%, 103%).
	h.MustDo("acme", "/pledge progress 1 27")
	wantIn(t, h.MustDo("anyone", "/need show 1"), "41 hours (103% of 40 hours)", "Status: met")
	wantIn(t, h.MustDo("anyone", "/need list status:met"), "Need #1")
	wantIn(t, h.MustDo("anyone", "/need list"), "No needs found")
	// A correction takes it back to open: 5 + 3 + 20 + 6 = 34.
	h.MustDo("acme", "/pledge correct 1 entry:3 20")
	wantIn(t, h.MustDo("anyone", "/need list"), "Need #1", "34 hours of 40 hours delivered")

	// A need posted for no partner: its pledges name none, so what they
	// deliver is self-reported: 4 of 10, 40%.
	h.MustDo(h.Admin, "/need post Litter pick theme:volunteering target:10")
	h.MustDo("acme", "/pledge add Litter pick need:2 target:10")
	h.MustDo("acme", "/pledge progress 4 4")
	wantIn(t, h.MustDo("anyone", "/need show 2"), "Delivered: 4 hours (40% of 10 hours)",
		"Confirmed: 0 hours (0% of 10 hours)", "Awaiting confirmation: 0 hours (0% of 10 hours)",
		"Self-reported: 4 hours (40% of 10 hours) (pledges naming no partner)")
}

func TestNeedRefusals(t *testing.T) {
	h := needFixture(t)
	h.MustDo(h.Admin, "/partner register Youth Club")
	h.MustDo("fb", "/need post Tins for the shelves theme:sponsorship target:500")
	h.MustFail("acme", "/pledge add Tins theme:carbon need:1", bot.Invalid)
	msg := h.MustFail("acme", "/pledge add Tins theme:sponsorship need:1 partner:Youth Club", bot.Invalid)
	wantIn(t, msg, "#1 Food Bank")
	h.MustFail("acme", "/pledge add Tins theme:sponsorship need:9", bot.NotFound)
	h.MustFail("fb", "/need post Fair pay theme:fair-pay target:100", bot.Invalid)
	h.MustFail("fb", "/need post Tins theme:sponsorship target:0", bot.Invalid)
	h.MustFail("fb", "/need post Tins theme:sponsorship target:5 area:nowhere", bot.Invalid)
	h.MustFail("fb", "/need post Tins theme:sponsorship target:5 due:2001-01-01", bot.Invalid)
	h.MustFail("acme", "/need post Tins theme:sponsorship target:5", bot.Forbidden)
	h.MustFail("fb", "/need post Tins theme:sponsorship target:5 partner:Youth Club", bot.Forbidden)
	h.MustFail("anyone", "/need list area:1CB", bot.Invalid)
	// A pledge against the need keeps its theme and partner.
	h.MustDo("acme", "/pledge add Tins theme:sponsorship need:1")
	wantIn(t, h.MustFail("acme", "/pledge edit 1 theme:carbon target:3", bot.Invalid), "Need #1 is about sponsorship")
	h.MustFail("acme", "/pledge edit 1 partner:Youth Club", bot.Invalid)
	h.MustFail("acme", "/pledge edit 1 partner:none", bot.Invalid)
	h.MustDo("acme", "/pledge edit 1 target:300")
	h.MustDo("fb", "/need close 1")
	h.MustFail("fb", "/need close 1", bot.Conflict)
	h.MustFail("acme", "/pledge add Tins theme:sponsorship need:1", bot.Conflict)
}

// Units convert as pledges' do; the area filter takes a postcode area or
// district.
func TestNeedUnitsAndAreas(t *testing.T) {
	h := needFixture(t)
	h.MustDo(h.Admin, "/roles grant councillor council")
	out := h.MustDo("councillor", "/need post Less landfill theme:waste target:500 unit:kg area:CB2 1AA")
	wantIn(t, out, "500 kg", "CB2 1AA")
	h.MustDo("bolt", "/pledge add Compost theme:waste target:200 unit:kg need:1")
	// 200 kg of 500 kg: 40%.
	wantIn(t, h.MustDo("anyone", "/need show 1"), "200 kg (40% of 500 kg)")
	for filter, want := range map[string]bool{"CB": true, "CB2": true, "CB1": false, "cb2": true, "E": false} {
		out := h.MustDo("anyone", "/need list area:"+filter)
		if strings.Contains(out, "Need #1") != want {
			t.Errorf("area:%s: want listed %v:\n%s", filter, want, out)
		}
	}
}

// /pledge add need:N without theme: takes the need's theme (and its unit
// and partner); without need:, theme: stays required; a theme: other than
// the need's is refused.
func TestPledgeThemeFromNeed(t *testing.T) {
	h := needFixture(t)
	h.MustDo("fb", "/need post Tins for the shelves theme:sponsorship target:500") // need #1, £
	out := h.MustDo("acme", "/pledge add Tins need:1 target:200")
	wantIn(t, out, "Pledge #1 added", "sponsorship", "£200")
	wantIn(t, h.MustDo("acme", "/pledge show 1"), "Food Bank")
	// 200 pledged of 500: 40%.
	wantIn(t, h.MustDo("anyone", "/need show 1"), "£200 (40% of £500)")
	msg := h.MustFail("acme", "/pledge add Tins target:5", bot.Invalid)
	wantIn(t, msg, "missing theme:", "need:N")
	msg = h.MustFail("acme", "/pledge add Tins theme:carbon need:1", bot.Invalid)
	wantIn(t, msg, "Need #1 is about sponsorship", "theme:sponsorship")
	// Nothing half-written: still one pledge.
	if out := h.MustDo("acme", "/pledge list"); strings.Contains(out, "#2") {
		t.Errorf("a refused pledge was written:\n%s", out)
	}
}

// TestSeveralBusinessesWordedInFull: the store gives the numbers of the
// businesses (bot.Refs) and the core words them, exactly as before.
func TestSeveralBusinessesWordedInFull(t *testing.T) {
	h := needFixture(t) // acme runs business #1, bolt #2
	h.MustDo("acme", `/business register "Second Shop"`)
	msg := h.MustFail("acme", "/pledge add Tins theme:carbon", bot.Invalid)
	if want := "You belong to several businesses (#1, #3): say which with business:N."; msg != want {
		t.Errorf("several businesses: %q, want %q", msg, want)
	}
}
