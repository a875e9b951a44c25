package commands_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pledgebot/pledgebot/bot"
	"github.com/pledgebot/pledgebot/pledgetest"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// A pledge may be made in a unit that converts to its theme's: it shows in
// its own unit, and the theme's totals add like with like.
func TestUnitsConvertToTheTheme(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	contains(t, h.MustDo("ann", `/pledge add "Cut packaging" theme:carbon target:800 unit:kg`), "0% (0 of 800 kg CO2e)")
	contains(t, h.MustDo("ann", `/pledge add "Electric vans" theme:carbon target:5`), "0% (0 of 5 tonnes CO2e)")
	p, _ := pledgeOf(t, h, 1)
	if !near(p.Target, 0.8) || p.Unit != "kg CO2e" || !near(p.Factor, 0.001) {
		t.Errorf("pledge #1 kept target %v unit %q factor %v; want 0.8 tonnes, kg CO2e, 0.001", p.Target, p.Unit, p.Factor)
	}
	if got := figures(t, h, "2026-Q4", "carbon"); !near(got.Committed, 5.8) {
		t.Errorf("carbon committed %v, want 5.8 tonnes", got.Committed)
	}
	// Progress is given in the pledge's unit, and shown in it.
	contains(t, h.MustDo("ann", `/pledge progress 1 200 "new boxes"`), "Logged 200 kg CO2e against pledge #1", "25% (200 of 800 kg CO2e)")
	contains(t, h.MustDo("ann", `/pledge show 1`), "logged 200 kg CO2e: new boxes", "25% (200 of 800 kg CO2e)")
	if got := figures(t, h, "2026-Q4", "carbon"); !near(got.Delivered, 0.2) {
		t.Errorf("carbon delivered %v, want 0.2 tonnes", got.Delivered)
	}
	// unit: alone re-expresses the same amounts.
	contains(t, h.MustDo("ann", `/pledge edit 1 unit:tonnes`), "25% (0.2 of 0.8 tonnes CO2e)")
	if got := figures(t, h, "2026-Q4", "carbon"); !near(got.Committed, 5.8) || !near(got.Delivered, 0.2) {
		t.Errorf("after unit:tonnes carbon committed %v delivered %v, want 5.8 and 0.2", got.Committed, got.Delivered)
	}

	for _, tc := range []struct{ line, want string }{
		{`/pledge add Raffle theme:sponsorship target:500 unit:"raffle prizes"`, "sponsorship is counted in £, so unit:raffle prizes can't be used: give the value in £"},
		{`/pledge add Raffle theme:sponsorship target:500 unit:raffle prizes`, `unit:"raffle prizes"`},
		{`/pledge add Raffle theme:sponsorship target:+500`, "target is a value here, not a change"},
		{`/pledge add Raffle theme:sponsorship target:1 000`, "write the number without spaces"},
		{`/pledge edit 2 unit:hours`, "carbon is counted in tonnes CO2e, so unit:hours can't be used"},
	} {
		contains(t, h.MustFail("ann", tc.line, bot.Invalid), tc.want)
	}
}

// Moving a pledge to a theme counted in another unit needs a target in it;
// target:+N and -N raise and lower the target in the pledge's unit.
func TestEditThemeUnitAndTargetChanges(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	contains(t, h.MustDo("ann", `/pledge add "Sponsor the fun run" theme:sponsorship target:2500`), "0% (0 of £2,500)")

	contains(t, h.MustFail("ann", `/pledge edit 1 target:-3000`, bot.Invalid), "below 0: it is £2,500", "target:-2,500")
	contains(t, h.MustDo("ann", `/pledge edit 1 target:+5000`), "0% (0 of £7,500)")
	contains(t, h.MustDo("ann", `/pledge edit 1 target:-7500`), "delivered £0")
	contains(t, h.MustFail("ann", `/pledge edit 1 target:-1`, bot.Invalid), "has no target yet")
	// Nor raised: +N on no target would silently mean N.
	contains(t, h.MustFail("ann", `/pledge edit 1 target:+5000`, bot.Invalid), "has no target yet, so target:+5,000 can't raise it", "target:5,000")
	h.MustDo("ann", `/pledge edit 1 target:2500`)
	if got := figures(t, h, "2026-Q4", "sponsorship"); !near(got.Committed, 2500) {
		t.Errorf("sponsorship committed %v, want 2500", got.Committed)
	}

	contains(t, h.MustFail("ann", `/pledge edit 1 theme:waste`, bot.Invalid), "waste is counted in tonnes, not £: give the target in it too", "theme:waste target:3")
	contains(t, h.MustFail("ann", `/pledge edit 1 theme:waste target:+3`, bot.Invalid), "give the target in it too")
	contains(t, h.MustFail("ann", `/pledge edit 1 theme:waste target:3 unit:£`, bot.Invalid), "waste is counted in tonnes, so unit:£ can't be used")
	out := h.MustDo("ann", `/pledge edit 1 theme:waste target:3`)
	contains(t, out, "waste diverted from landfill", "0% (0 of 3 tonnes)")
	if strings.Contains(out, "£") {
		t.Errorf("the moved pledge still shows £:\n%s", out)
	}
	if got := figures(t, h, "2026-Q4", "sponsorship"); got.Committed != 0 {
		t.Errorf("sponsorship still counts %v after the move", got.Committed)
	}
	if got := figures(t, h, "2026-Q4", "waste"); !near(got.Committed, 3) {
		t.Errorf("waste committed %v, want 3 tonnes", got.Committed)
	}
	contains(t, h.MustDo("ann", `/pledge edit 1 theme:waste target:500 unit:kg`), "0% (0 of 500 kg)")

	// Once progress is logged, the pledge can't change unit by moving.
	h.MustDo("ann", `/pledge progress 1 100`)
	contains(t, h.MustFail("ann", `/pledge edit 1 theme:sponsorship target:2500`, bot.Conflict),
		"Pledge #1 has 100 kg logged", "Correct its progress to 0 first, or withdraw it and make a new pledge")
	// A move between themes counted alike keeps the amounts.
	h.MustDo("ann", `/pledge add "Local flour" theme:sponsorship target:2 unit:£k`)
	contains(t, h.MustDo("ann", `/pledge edit 2 theme:buy-local`), "buying from local suppliers", "0% (0 of £2k)")
	if got := figures(t, h, "2026-Q4", "buy-local"); !near(got.Committed, 2000) {
		t.Errorf("buy-local committed %v, want £2,000", got.Committed)
	}
}

// Progress that names its unit is converted to the pledge's; a unit the
// theme does not count in is refused, not logged as the pledge's.
func TestProgressNamesItsUnit(t *testing.T) {
	h := pledgetest.New(t)
	h.Clock.Set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
	h.MustDo("ann", "/business register Acme")
	h.MustDo("ann", `/pledge add "Electric vans" theme:carbon target:5`)
	h.MustDo("ann", `/pledge add "Volunteer" theme:volunteering target:40`)
	contains(t, h.MustDo("ann", `/pledge progress 1 800 kg first van`), "Logged 0.8 tonnes CO2e against pledge #1", "16% (0.8 of 5 tonnes CO2e)")
	contains(t, h.MustDo("ann", `/pledge show 1`), "logged 0.8 tonnes CO2e: first van")
	contains(t, h.MustFail("ann", `/pledge progress 1 3 hours`, bot.Invalid), "counts tonnes CO2e, not hours")
	contains(t, h.MustDo("ann", `/pledge progress 2 90 minutes with the team`), "Logged 1.5 hours", "4% (1.5 of 40 hours)")
	contains(t, h.MustDo("ann", `/pledge progress 2 5 hours at the food bank`), "Logged 5 hours")
	contains(t, h.MustDo("ann", `/pledge show 2`), "logged 5 hours: at the food bank")
	contains(t, h.MustDo("ann", `/pledge progress 2 12 people helped`), "Logged 12 hours")
	contains(t, h.MustDo("ann", `/pledge show 2`), "logged 12 hours: people helped")
	if got := figures(t, h, "2026-Q4", "carbon"); !near(got.Delivered, 0.8) {
		t.Errorf("carbon delivered %v, want 0.8 tonnes", got.Delivered)
	}
}
